"""R3 crash: SIGKILL the real bot process at random moments during a submission storm.

``python -m bot run --config tmp.toml`` runs in webhook mode (Telegram's pacing on) against
the fake Bot API in this process; citizens file feedback through the webhook without pause,
retrying what the dead bot did not accept, as Telegram does. After every kill, with the bot
down: ``PRAGMA integrity_check`` is ok, every update the webhook acknowledged (200) is in
the inbox, every submission whose "Đã ghi nhận" reached a citizen is stored. After the last
restart every accepted inbox row gets processed.

The default run does 3 rounds; the full 20 rounds are ``-m slow`` (about 3 minutes):
``TTHC_SLOW=1 .venv/bin/pytest -m slow tests/test_reliability_crash.py -s``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import sqlite3
import time
from pathlib import Path

import pytest

from bot.server.webhook import webhook_path
from bot.telegram_html import plain_text
from tests.fake_telegram import FakeTelegram
from tests.server_support import (
    CODE,
    SECRET,
    BotProcess,
    Hook,
    Outbox,
    file_feedback,
    free_port,
    write_config,
)

# Personal data in every submission: none of it may ever reach the logs.
PHONE = "0912345678"
ID_NUMBER = "001203004567"
BODY = "Hồ sơ chứng thực của tôi trễ hẹn ba tuần"


def content(user: int) -> str:
    return f"{BODY} (mã {user}), gọi {PHONE}, CCCD {ID_NUMBER}."


class RecordingHook(Hook):
    """A Hook that remembers every update the bot acknowledged."""

    accepted: set[int]

    async def post(self, update: dict) -> int:  # type: ignore[override]
        status = await super().post(update)
        if status == 200:
            self.accepted.add(int(update["update_id"]))
        return status


def check_after_kill(db: Path, accepted: set[int], acknowledged: set[str]) -> tuple[int, int]:
    """Integrity, 0 lost acks, 0 lost submissions; returns (inbox rows, feedback rows)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {r[0] for r in conn.execute("SELECT update_id FROM inbox")}
        codes = {r[0] for r in conn.execute("SELECT code FROM feedback")}
        dup = conn.execute("SELECT count(*) - count(DISTINCT draft_id) FROM feedback").fetchone()
    finally:
        conn.close()
    assert not accepted - ids, f"{len(accepted - ids)} acknowledged updates lost"
    assert not acknowledged - codes, f"lost submissions {acknowledged - codes}"
    assert dup[0] == 0
    return len(ids), len(codes)


def acknowledged_codes(outbox: Outbox) -> set[str]:
    codes = set()
    for chat, messages in outbox.by_chat.items():
        if chat < 0:
            continue
        for m in messages:
            text = plain_text(m.get("text") or "")
            if "Đã ghi nhận" in text:
                codes.update(CODE.findall(text))
    return codes


async def crash_rounds(telegram: FakeTelegram, tmp_path: Path, rounds: int) -> None:
    port = free_port()
    db = tmp_path / "bot.db"
    config = write_config(tmp_path / "config.toml", telegram, db, port)
    log = tmp_path / "bot.log"
    proc = BotProcess(config, port, log)
    outbox = Outbox(telegram)
    rng = random.Random(3)
    url = f"http://127.0.0.1:{port}{webhook_path(SECRET)}"
    users = iter(range(300_000, 400_000))
    stop = asyncio.Event()
    filed: list[str] = []
    ready_times: list[float] = []

    async with RecordingHook(url, connections=40) as hook:
        hook.accepted = set()

        async def citizen() -> None:
            while not stop.is_set():
                user = next(users)
                filed.append(
                    await file_feedback(hook, telegram, outbox, user, content(user), stall=4.0)
                )

        ready_times.append(await proc.start())
        storm = [asyncio.create_task(citizen()) for _ in range(40)]
        try:
            for i in range(rounds):
                await asyncio.sleep(rng.uniform(1.0, 5.0))
                await proc.kill()
                rows, records = check_after_kill(db, hook.accepted, acknowledged_codes(outbox))
                print(f"round {i + 1}: killed; inbox {rows} rows, {records} submissions")
                ready_times.append(await proc.start())
            stop.set()
            await asyncio.wait(storm, timeout=120)
            for task in storm:
                if task.done() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:
            stop.set()
            for task in storm:
                task.cancel()
        # every accepted inbox row gets processed after the last restart
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.closing(sqlite3.connect(db)) as conn:
                left = conn.execute(
                    "SELECT count(*) FROM inbox WHERE processed_at IS NULL"
                ).fetchone()[0]
            if left == 0:
                break
            await asyncio.sleep(0.5)
        code, seconds = await proc.terminate()
    acknowledged = acknowledged_codes(outbox)
    rows, records = check_after_kill(db, hook.accepted, acknowledged)
    with contextlib.closing(sqlite3.connect(db)) as conn:
        unprocessed = conn.execute(
            "SELECT count(*) FROM inbox WHERE processed_at IS NULL"
        ).fetchone()[0]
        bodies = conn.execute(
            "SELECT count(*) FROM inbox WHERE processed_at IS NOT NULL AND body IS NOT NULL"
        ).fetchone()[0]
    print(
        f"crash: {rounds} SIGKILLs; {len(hook.accepted)} updates acknowledged, all in the inbox;"
        f" {len(acknowledged)} submissions confirmed to citizens, all stored ({records} stored);"
        f" integrity ok every round; unprocessed after the last restart: {unprocessed};"
        f" restart to ready max {max(ready_times):.1f} s; SIGTERM exit {code} in {seconds:.1f} s"
    )
    assert unprocessed == 0
    assert bodies == 0  # processed rows keep no personal data
    assert code == 0
    assert len(acknowledged) > rounds  # the storm did get through between the kills
    text = await asyncio.to_thread(log.read_text, encoding="utf-8", errors="replace")
    for secret in (telegram.token, PHONE, ID_NUMBER, BODY, SECRET):
        assert secret not in text, "the log holds personal data or a secret"
    assert re.search(r"Traceback", text) is None, text[-3000:]


async def test_sigkill_during_a_submission_storm(telegram: FakeTelegram, tmp_path: Path) -> None:
    await crash_rounds(telegram, tmp_path, rounds=3)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("TTHC_SLOW"), reason="slow: set TTHC_SLOW=1")
async def test_sigkill_20_rounds(telegram: FakeTelegram, tmp_path: Path) -> None:
    await crash_rounds(telegram, tmp_path, rounds=20)
