"""R6 graceful shutdown, with ``python -m bot run`` as a real process in both modes.

SIGTERM at peak load: the bot stops taking updates, finishes or keeps in the inbox what
is in flight, and exits within 30 s; nothing accepted is lost, and the next start
processes what was kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path

import aiohttp

from bot.server.webhook import webhook_path
from tests.fake_telegram import FakeTelegram
from tests.server_support import (
    SECRET,
    BotProcess,
    Hook,
    Outbox,
    free_port,
    spawn_polling_bot,
    text_update,
    write_config,
)


def inbox_state(db: Path) -> tuple[set[int], int]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        ids = {r[0] for r in conn.execute("SELECT update_id FROM inbox")}
        left = conn.execute("SELECT count(*) FROM inbox WHERE processed_at IS NULL").fetchone()
    return ids, int(left[0])


async def test_sigterm_under_load_exits_in_time_and_loses_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    port = free_port()
    db = tmp_path / "bot.db"
    config = write_config(tmp_path / "config.toml", telegram, db, port)
    proc = BotProcess(config, port, tmp_path / "bot.log")
    outbox = Outbox(telegram)
    url = f"http://127.0.0.1:{port}{webhook_path(SECRET)}"
    accepted: set[int] = set()
    refused = 0
    await proc.start()
    try:
        async with Hook(url, connections=40) as hook:
            # 200 citizens write at once; with Telegram's pacing (30 messages a second)
            # the replies take many seconds, so plenty is in flight at the signal.
            burst = [text_update(telegram, "/start", 500_000 + i) for i in range(200)]
            late = text_update(telegram, "/help", 600_000)
            for update in burst:
                if await hook.post(update) == 200:
                    accepted.add(update["update_id"])
            await asyncio.sleep(1.0)
            stopping = asyncio.create_task(proc.terminate())
            await asyncio.sleep(0.3)
            try:
                refused = int(await hook.post(late) != 200)  # 503 while draining
            except aiohttp.ClientError:
                refused = 1  # or the listener is already closed
            code, seconds = await stopping
    finally:
        await proc.ensure_dead()
    ids, left = inbox_state(db)
    replied_before = sum(1 for chat in outbox.by_chat if 500_000 <= chat < 600_000)
    print(
        f"\nshutdown: {len(accepted)} accepted, {replied_before} answered before the signal"
        f" ended; SIGTERM → exit {code} in {seconds:.1f} s; kept in the inbox: {left}"
    )
    assert code == 0
    assert seconds < 30
    assert accepted <= ids  # nothing accepted was lost
    assert refused == 1  # stopped taking updates
    assert late["update_id"] not in ids  # the late update was not taken
    # the next start processes what was kept, first
    await proc.start()
    try:
        for _ in range(120):
            if inbox_state(db)[1] == 0:
                break
            await asyncio.sleep(0.5)
        code, _ = await proc.terminate()
    finally:
        await proc.ensure_dead()
    assert inbox_state(db)[1] == 0
    answered = {chat for chat in outbox.by_chat if 500_000 <= chat < 600_000}
    assert len(answered) == len(accepted)


async def test_sigterm_in_polling_mode_exits_in_time(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    proc = await spawn_polling_bot(telegram, tmp_path, stdout=asyncio.subprocess.DEVNULL)
    try:
        telegram.user_sends("/start")
        await telegram.next_message(1001, timeout=60)
        for i in range(30):
            telegram.user_sends("/help", user=2000 + i)
        await asyncio.sleep(0.5)  # a long poll is open and replies are being paced
        started = time.monotonic()
        proc.terminate()
        _, stderr = await asyncio.wait_for(proc.communicate(), 40)
        seconds = time.monotonic() - started
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    print(f"\npolling shutdown: exit {proc.returncode} in {seconds:.1f} s")
    assert proc.returncode == 0, stderr.decode()[-2000:]
    assert seconds < 30
    with contextlib.closing(sqlite3.connect(tmp_path / "bot.db")) as conn:
        rows = conn.execute("SELECT count(*) FROM inbox").fetchone()[0]
    assert rows >= 2  # polling goes through the inbox too
    assert telegram.token not in stderr.decode()
