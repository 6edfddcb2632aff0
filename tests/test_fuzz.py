"""R12/R13 fuzzing: 10,000 generated updates through the real Application, every run.

Texts mix emoji, Vietnamese combining marks, bidi overrides, NUL and other controls, SQL
and HTML payloads, commands with junk arguments, and a few of 100,000 characters. Updates
are messages (text, photo, document, location, contact, sticker), button presses (known
prefixes with junk, and real buttons the bot showed earlier, pressed by anyone), inline
queries and edited messages, from citizens and officials, in private chats and the
officials' group. Each goes through ``Application.process_update`` (the same call the
webhook pipeline makes) with the fake Bot API answering in this process, as strictly as
Telegram: HTML that does not parse, text over 4,096 characters or callback data over 64
bytes would be a 400 and so an error.

Figures: 0 errors reaching the error handler, every outgoing text parses as Telegram HTML
and is ≤ 4,096 characters, every callback_data ≤ 64 bytes, every callback answer ≤ 200
characters, and the logs hold no token, phone number, ID number or message body.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update
from telegram.ext import CommandHandler
from telegram.request import BaseRequest, RequestData

from bot.app import App, build_application, build_services
from bot.localapi import ApiError, Call
from bot.telegram_html import plain_text, utf16_len
from knowledge.catalogue import load as load_catalogue
from knowledge.search import SearchEngine
from knowledge.settings import Config, FeedbackConfig, StorageConfig, TelegramConfig
from tests.conftest import OFFICIALS, OFFICIALS_CHAT
from tests.fake_telegram import FakeTelegram

EXAMPLES = int(os.environ.get("FUZZ_N", "10000"))
# CI (CI=true) replays one fixed sequence, so a merge is judged on the same 10,000 updates every
# time; everywhere else each run explores new ones (FUZZ_RANDOM=0/1 overrides either way).
DERANDOMIZE = os.environ.get("FUZZ_RANDOM", "0" if os.environ.get("CI") else "1") == "0"
PHONE = "0912345678"
ID_NUMBER = "079203001234"
SECRET_WORD = "bímậtthưtín"  # marks a message body: it must never reach the logs
USERS = (1001, 1002, 1003, 9001, 9002, 9009)


class InProcessRequest(BaseRequest):
    """PTB's HTTP seam answered by the fake Bot API's methods directly (no sockets)."""

    def __init__(self, api: FakeTelegram) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float:
        """PTB asks for it."""
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Run the fake's ``api_<method>`` and answer like Telegram's HTTP API."""
        name = url.rsplit("/", 1)[1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        for part, value in (request_data.multipart_data if request_data else {}).items():
            file_name, content = value[0], value[1]
            data = content if isinstance(content, bytes) else content.read()
            file_id = f"up{len(self.api.files) + 1}"
            self.api.files[file_id] = data
            params[part] = {"file_name": file_name, "bytes": data, "file_id": file_id}
        self.api.calls.append(Call(name, params))
        try:
            handler = getattr(self.api, f"api_{name}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params)
        except ApiError as exc:
            body = {"ok": False, "error_code": exc.status, "description": exc.description}
            return exc.status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}, default=str).encode()


# ---- what the fuzzer types -----------------------------------------------------------------
NASTY = [
    "\x00",
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200b",
    "\ufeff",
    "\u0301",  # combining acute
    "\u0323",  # combining dot below
    "e\u0302\u0301",  # ế, decomposed
    "🇻🇳",
    "👨‍👩‍👧‍👦",
    "🙏🏽",
    "<b>",
    "</i>",
    "<script>alert(1)</script>",
    "<a href='javascript:x'>",
    "&amp;",
    "&#x27;",
    "&lt;",
    "& ",
    "'; DROP TABLE feedback;--",
    "' OR 1=1 --",
    '"; SELECT * FROM chat_user; --',
    "%s%s%n",
    "{code}",
    "\\",
    "\n\n",
    "\r\n",
    "\t",
    "PA-7KQ3M9XD",
    "1.001193",
    "NV26-001",
    PHONE,
    ID_NUMBER,
    SECRET_WORD,
    "cấp lại căn cước",
    "đăng ký khai sinh",
    "sổ đỏ",
    "GPLX",
]
fragments = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
texts = st.one_of(
    st.text(max_size=60),
    st.lists(fragments, max_size=12).map("".join),
    st.tuples(st.sampled_from(NASTY), st.integers(1000, 25_000)).map(lambda p: p[0] * p[1]),
)


def command_texts(commands: list[str]) -> st.SearchStrategy[str]:
    """``/command`` with junk arguments (and @botname sometimes)."""
    return st.builds(
        lambda c, at, args: f"/{c}{at}" + (" " + args if args else ""),
        st.sampled_from(commands),
        st.sampled_from(["", "", "@tthc_local_bot"]),
        texts,
    )


@dataclass
class Fuzz:
    """The Application under test, its fake Bot API and what the fuzzer saw."""

    loop: asyncio.AbstractEventLoop
    api: FakeTelegram
    app: App
    commands: list[str]
    errors: list[str] = field(default_factory=list)
    buttons: list[tuple[str, int, int]] = field(default_factory=list)  # data, chat, message
    seen: int = 0
    seen_calls: int = 0
    updates: int = 0
    next_id: int = 1

    def check_outgoing(self) -> None:
        """Every new outgoing message is valid Telegram; remember its buttons."""
        for msg in self.api.outgoing[self.seen :]:
            text = msg.get("text") or ""
            if text:
                visible = plain_text(text)
                assert utf16_len(visible) <= 4096
            for _, data in self.api.buttons(msg):
                assert len(data.encode()) <= 64 or data.startswith(("http", "url:"))
                if not data.startswith(("http", "url:")) and len(self.buttons) < 5000:
                    self.buttons.append((data, int(msg["chat_id"]), int(msg["message_id"])))
        self.seen = len(self.api.outgoing)
        for call in self.api.calls[self.seen_calls :]:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                assert len(str(call.params["text"])) <= 200
        self.seen_calls = len(self.api.calls)


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    """The real Application started on its own loop, with the fake Bot API in-process."""
    loop = asyncio.new_event_loop()
    tmp = Path(tmp_path_factory.mktemp("fuzz"))
    api = FakeTelegram()
    config = Config(
        telegram=TelegramConfig(token=api.token),
        storage=StorageConfig(path=str(tmp / "bot.db")),
        feedback=FeedbackConfig(officials_chat_id=OFFICIALS_CHAT),
        officials=OFFICIALS,
    )
    catalogue = load_catalogue()
    services = build_services(config, catalogue=catalogue, search=SearchEngine(catalogue))
    app = build_application(config, services, base_url="http://127.0.0.1:9/bot", updater=False)
    app.bot._request = (app.bot._request[0], InProcessRequest(api))  # type: ignore[misc]
    commands = sorted(
        {
            c
            for group in app.handlers.values()
            for h in group
            if isinstance(h, CommandHandler)
            for c in h.commands
            if c != "baocao"  # a matplotlib chart: slow, and it takes no input
        }
    )
    state = Fuzz(loop, api, app, commands)

    async def on_error(update: object, context: Any) -> None:
        err = context.error
        state.errors.append(f"{type(err).__name__}: {str(err)[:200]}")

    async def start() -> None:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        app.add_error_handler(on_error)

    loop.run_until_complete(start())
    yield state

    async def stop() -> None:
        await app.stop()
        await app.shutdown()

    loop.run_until_complete(stop())
    services.store.close()
    loop.close()


def _user(uid: int) -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": "Lan", "language_code": "vi"}


@st.composite
def updates(draw: st.DrawFn, state: Fuzz) -> dict[str, Any]:
    """One update of any kind the bot may receive."""
    uid = draw(st.sampled_from(USERS))
    chat = draw(st.sampled_from([uid, uid, uid, OFFICIALS_CHAT]))
    message: dict[str, Any] = {
        "message_id": draw(st.integers(1, 10**6)),
        "date": int(time.time()),
        "chat": FakeTelegram.chat(chat, _user(uid)),
        "from": _user(uid),
    }
    kind = draw(
        st.sampled_from(
            ["text", "text", "command", "command", "button", "button", "inline", "media"]
        )
    )
    if kind in ("text", "command"):
        text = draw(command_texts(state.commands) if kind == "command" else texts)
        if not text:
            text = "."
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(text[:length])}
            ]
        key = draw(st.sampled_from(["message", "message", "message", "edited_message"]))
        if key == "edited_message":
            message["edit_date"] = int(time.time())
        return {key: message}
    if kind == "button":
        # Always the same draws (hypothesis replays them); real buttons come from state.
        real, index = draw(st.booleans()), draw(st.integers(0, 10**6))
        prefix = draw(st.sampled_from(["fb:", "fo:", "tk:", "p:", "pd:", "ls:", "lf:",
                                       "m:", "lang:", "x", ""]))  # fmt: skip
        data = (prefix + draw(st.text(max_size=40))).encode()[:64].decode("utf-8", "ignore")
        bchat, mid = chat, draw(st.integers(1, 10**6))
        if real and state.buttons:
            data, bchat, mid = state.buttons[index % len(state.buttons)]
        data = data or "x"
        return {
            "callback_query": {
                "id": str(draw(st.integers(1, 10**9))),
                "from": _user(uid),
                "chat_instance": str(bchat),
                "message": {**message, "message_id": mid, "chat": FakeTelegram.chat(bchat),
                            "text": "…"},
                "data": data,
            }
        }  # fmt: skip
    if kind == "inline":
        query = draw(texts)[:256]
        return {"inline_query": {"id": "q1", "from": _user(uid), "query": query, "offset": ""}}
    media = draw(st.sampled_from(["photo", "document", "location", "contact", "sticker"]))
    caption = draw(st.one_of(st.none(), texts.map(lambda t: t[:1024])))
    if caption:
        message["caption"] = caption
    if media == "photo":
        size = draw(st.integers(0, 30 * 1024 * 1024))
        message["photo"] = [{"file_id": "ph", "file_unique_id": "ph", "width": 9,
                             "height": 9, "file_size": size}]  # fmt: skip
    elif media == "document":
        message["document"] = {
            "file_id": "doc",
            "file_unique_id": "doc",
            "file_name": draw(texts)[:255] or "x",
            "mime_type": draw(st.sampled_from(["application/pdf", "image/png", "text/x-sh",
                                               "application/x-msdownload", ""])),
            "file_size": draw(st.integers(0, 60 * 1024 * 1024)),
        }  # fmt: skip
    elif media == "location":
        message["location"] = {
            "latitude": draw(st.floats(-90, 90, allow_nan=False)),
            "longitude": draw(st.floats(-180, 180, allow_nan=False)),
        }
    elif media == "contact":
        message["contact"] = {"phone_number": PHONE, "first_name": draw(texts)[:64] or "A"}
    else:
        message["sticker"] = {"file_id": "st", "file_unique_id": "st", "width": 1,
                              "height": 1, "is_animated": False, "is_video": False,
                              "type": "regular"}  # fmt: skip
    return {"message": message}


def test_ten_thousand_updates_break_nothing(fuzz: Fuzz, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    started = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=DERANDOMIZE,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one(data: st.DataObject) -> None:
        raw = data.draw(updates(fuzz))
        raw["update_id"] = fuzz.next_id
        fuzz.next_id += 1
        update = Update.de_json(json.loads(json.dumps(raw)), fuzz.app.bot)
        fuzz.loop.run_until_complete(fuzz.app.process_update(update))
        fuzz.updates += 1
        assert not fuzz.errors, fuzz.errors
        fuzz.check_outgoing()

    one()
    elapsed = time.monotonic() - started
    logs = caplog.text
    print(
        f"\nfuzz: {fuzz.updates} updates in {elapsed:.0f} s, {len(fuzz.api.outgoing)} messages"
        f" out, {len(fuzz.buttons)} buttons seen; errors {len(fuzz.errors)}"
    )
    assert fuzz.updates >= EXAMPLES
    for secret in (fuzz.api.token, PHONE, ID_NUMBER, SECRET_WORD):
        assert secret not in logs, secret
