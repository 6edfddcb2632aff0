"""Helpers for the webhook, reliability and fuzz tests: updates, a webhook client, a driver."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import socket
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import build_services
from bot.ratelimit import Limits
from bot.server.inbox import PriorityStore
from bot.server.lifecycle import Running, start_webhook
from bot.server.webhook import SECRET_HEADER
from bot.telegram_html import plain_text
from knowledge.catalogue import Catalogue
from knowledge.search import SearchEngine
from knowledge.settings import Config, WebhookConfig
from tests.fake_telegram import FakeTelegram

JSON = dict[str, Any]
SECRET = "test-webhook-secret_0123456789"
_callback_ids = itertools.count(1)


def webhook_config(secret: str = SECRET, port: int = 0) -> WebhookConfig:
    """A webhook section listening on a free loopback port."""
    return WebhookConfig(
        host="127.0.0.1",
        port=port,
        public_url=f"http://127.0.0.1:{port}",
        secret_token=secret,
        max_connections=40,
    )


async def start_webhook_bot(
    config: Config,
    telegram: FakeTelegram,
    catalogue: Catalogue,
    search_engine: SearchEngine,
    limits: Limits | None = None,
) -> Running:
    """The real bot in webhook mode, in this process, talking to the fake Bot API."""
    store = PriorityStore(config.storage.path)
    services = build_services(config, catalogue=catalogue, search=search_engine, store=store)
    return await start_webhook(
        config,
        services=services,
        limits=limits or Limits.unlimited(),
        base_url=telegram.base_url,
    )


# ---- updates as Telegram would send them --------------------------------------------------
def text_update(telegram: FakeTelegram, text: str, user: int, chat: int | None = None) -> JSON:
    """A message update (not queued for getUpdates: it goes to the webhook)."""
    sender = telegram.user(user)
    return {
        "update_id": telegram.next_update_id(),
        "message": telegram.text_message(text, sender, chat or user),
    }


def click_update(telegram: FakeTelegram, data: str, user: int, message: JSON | None) -> JSON:
    """A callback query for a button of ``message`` (a forged one when ``message`` is None)."""
    msg = message or {"message_id": 999999, "chat_id": user, "text": "cũ"}
    return {
        "update_id": telegram.next_update_id(),
        "callback_query": {
            "id": f"cb{next(_callback_ids)}",
            "from": telegram.user(user),
            "chat_instance": str(msg["chat_id"]),
            "message": {
                "message_id": msg["message_id"],
                "date": int(time.time()),
                "chat": telegram.chat(msg["chat_id"]),
                "from": {"id": 7000000001, "is_bot": True, "first_name": "Trợ lý TTHC"},
                "text": msg.get("text") or "…",
            },
            "data": data,
        },
    }


# ---- the fake's outgoing messages, indexed per chat ----------------------------------------
class Outbox:
    """Every message the bot sent, per chat, with waiting that costs O(1) per message."""

    def __init__(self, telegram: FakeTelegram) -> None:
        self.by_chat: defaultdict[int, list[JSON]] = defaultdict(list)
        self._read: defaultdict[int, int] = defaultdict(int)
        self._events: defaultdict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.times: defaultdict[int, list[float]] = defaultdict(list)
        telegram.on_outgoing = self._on

    def _on(self, message: JSON) -> None:
        chat = int(message["chat_id"])
        self.by_chat[chat].append(message)
        self.times[chat].append(time.monotonic())
        self._events[chat].set()

    async def next(self, chat: int, timeout: float = 30.0) -> JSON:
        """The next unread message to ``chat``."""
        deadline = time.monotonic() + timeout
        while self._read[chat] >= len(self.by_chat[chat]):
            event = self._events[chat]
            event.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no message to {chat} within {timeout} s")
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue
        message = self.by_chat[chat][self._read[chat]]
        self._read[chat] += 1
        return message

    async def until(self, chat: int, pred: Callable[[JSON], bool], timeout: float = 30.0) -> JSON:
        """Read messages to ``chat`` until one satisfies ``pred``."""
        deadline = time.monotonic() + timeout
        while True:
            message = await self.next(chat, max(0.01, deadline - time.monotonic()))
            if pred(message):
                return message

    def unread(self, chat: int) -> int:
        """How many messages to ``chat`` were not read yet."""
        return len(self.by_chat[chat]) - self._read[chat]

    def all(self) -> list[JSON]:
        """Every outgoing message."""
        return [m for msgs in self.by_chat.values() for m in msgs]


def button(message: JSON, prefix: str) -> str | None:
    """The callback data of the first button starting with ``prefix``."""
    for _, data in FakeTelegram.buttons(message):
        if data.startswith(prefix):
            return data
    return None


def has_button(prefix: str) -> Callable[[JSON], bool]:
    """Predicate: the message carries a button starting with ``prefix``."""
    return lambda m: button(m, prefix) is not None


# ---- a webhook client playing Telegram ------------------------------------------------------
@dataclass
class Hook:
    """Posts updates to the bot's webhook like Telegram does (``connections`` in parallel)."""

    url: str
    secret: str = SECRET
    connections: int = 40
    latencies: list[float] = field(default_factory=list)
    statuses: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    session: aiohttp.ClientSession | None = None
    _slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(40))

    async def __aenter__(self) -> Hook:
        self._slots = asyncio.Semaphore(self.connections)
        connector = aiohttp.TCPConnector(limit=self.connections, force_close=False)
        self.session = aiohttp.ClientSession(connector=connector)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()

    async def post(self, update: JSON) -> int:
        """Deliver one update; returns the HTTP status (and records the latency).

        The latency runs from when one of the ``connections`` is free, as Telegram's does:
        waiting for a free connection is the client's queue, not the bot's answer.
        """
        assert self.session is not None
        async with self._slots:
            started = time.perf_counter()
            async with self.session.post(
                self.url, json=update, headers={SECRET_HEADER: self.secret}
            ) as resp:
                await resp.read()
                status = resp.status
            self.latencies.append(time.perf_counter() - started)
        self.statuses[status] += 1
        return status

    async def deliver(self, update: JSON, attempts: int = 50) -> None:
        """Deliver until accepted, as Telegram retries non-2xx answers."""
        for _ in range(attempts):
            try:
                if await self.post(update) == 200:
                    return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
        raise AssertionError("the webhook never accepted the update")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# ---- filing feedback through the webhook ----------------------------------------------------
CODE = re.compile(r"PA-[23456789A-HJKMNP-Z]{8}")


async def file_feedback(
    hook: Hook,
    telegram: FakeTelegram,
    outbox: Outbox,
    user: int,
    content: str,
    *,
    stall: float = 15.0,
    give_up: float = 180.0,
) -> str:
    """File one report through the webhook, like a patient citizen; returns the tracking code.

    The citizen answers whatever step the bot shows last. When the bot says nothing for
    ``stall`` seconds (a reply lost to a crash), they type /phananh again, which resumes
    the draft where it is.
    """
    deadline = time.monotonic() + give_up
    await hook.deliver(text_update(telegram, "/phananh", user))
    while time.monotonic() < deadline:
        try:
            msg = await outbox.next(user, stall)
        except AssertionError:
            await hook.deliver(text_update(telegram, "/phananh", user))
            continue
        while outbox.unread(user):  # act on the latest step only
            msg = await outbox.next(user)
        text = plain_text(msg.get("text") or "")
        if "Đã ghi nhận" in text:
            found = CODE.search(text)
            assert found, text
            return found.group(0)
        data = None
        for prefix in ("fb:ok:", "fb:kind:", "fb:proc:", "fb:att:"):
            data = data or button(msg, prefix)
        no = [
            d for _, d in FakeTelegram.buttons(msg) if d.startswith("fb:ct:") and d.endswith(":no")
        ]
        if no:
            data = no[0]
        if data is not None:
            await hook.deliver(click_update(telegram, data, user, msg))
        elif "Bước 3" in text:
            await hook.deliver(text_update(telegram, content, user))
    raise AssertionError(f"citizen {user} could not file within {give_up} s")


# ---- the bot as a real process ----------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(
    path: Path,
    telegram: FakeTelegram,
    db: Path,
    port: int,
    *,
    secret: str = SECRET,
    officials_chat: int = -100500,
    rate_limit_count: int = 1000,
) -> Path:
    """A webhook-mode config.toml pointing at the fake Bot API."""
    path.write_text(
        f"""
[telegram]
token = "{telegram.token}"
api_base_url = "{telegram.base_url}"
mode = "webhook"

[webhook]
host = "127.0.0.1"
port = {port}
public_url = "http://127.0.0.1:{port}"
secret_token = "{secret}"
max_connections = 40

[storage]
path = "{db}"

[feedback]
officials_chat_id = {officials_chat}
rate_limit_count = {rate_limit_count}

[[officials]]
telegram_id = 9001
name = "Cán bộ Tư pháp"
agency = "Sở Tư pháp"
""",
        encoding="utf-8",
    )
    return path


def bot_env() -> dict[str, str]:
    """The environment for a bot subprocess (no real token leaks in)."""
    env = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_BOT_TOKEN"}}
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    return env


async def spawn_polling_bot(
    telegram: FakeTelegram, tmp_path: Path, *, stdout: int | None = None
) -> asyncio.subprocess.Process:
    """``python -m bot run`` long-polling the fake Bot API, with its SQLite file in tmp_path."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{telegram.token}"\napi_base_url = "{telegram.base_url}"\n'
        f'[storage]\npath = "{tmp_path / "bot.db"}"\n',
        encoding="utf-8",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        env=bot_env(),
        stdout=asyncio.subprocess.PIPE if stdout is None else stdout,
        stderr=asyncio.subprocess.PIPE,
    )


@dataclass
class BotProcess:
    """``python -m bot run --config ...`` in webhook mode, its stderr kept in a file."""

    config: Path
    port: int
    log: Path
    unpaced: bool = False
    proc: asyncio.subprocess.Process | None = None

    async def start(self, ready_timeout: float = 60.0) -> float:
        """Start and wait until /healthz answers 200; returns the seconds it took."""
        started = time.monotonic()
        args = ["-m", "bot", "run", "--config", str(self.config)]
        if self.unpaced:
            args = ["-m", "tests.server_support", str(self.config)]
        handle = self.log.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=ROOT, env=bot_env(), stdout=handle, stderr=handle
        )
        handle.close()
        url = f"http://127.0.0.1:{self.port}/healthz"
        async with aiohttp.ClientSession() as session:
            while time.monotonic() - started < ready_timeout:
                if self.proc.returncode is not None:
                    raise AssertionError(f"the bot exited with {self.proc.returncode}")
                try:
                    async with session.get(url) as resp:
                        if resp.status == 200:
                            return time.monotonic() - started
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        raise AssertionError("the bot did not become ready")

    async def ensure_dead(self) -> None:
        """Kill the process if it still runs (after a failed test)."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def kill(self) -> None:
        """SIGKILL: no chance to clean up."""
        assert self.proc is not None
        self.proc.kill()
        await self.proc.wait()

    async def terminate(self, timeout: float = 40.0) -> tuple[int, float]:
        """SIGTERM and wait; returns (exit code, seconds to exit)."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.terminate()
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        return code, time.monotonic() - started


def _run_unpaced(config_path: str) -> int:
    """Webhook mode without Telegram's pacing (load tests against the fake Bot API only)."""
    from functools import partial

    from bot import config as config_mod
    from bot.logs import redact_token, setup_logging
    from bot.server.lifecycle import serve

    setup_logging()
    config = config_mod.load(config_path)
    redact_token(config.telegram.token)
    start = partial(start_webhook, limits=Limits.unlimited())
    return asyncio.run(serve(config, start))


if __name__ == "__main__":
    sys.exit(_run_unpaced(sys.argv[1]))
