"""R16 backup under load: ``python -m bot backup DEST`` while citizens keep filing.

The copy passes ``integrity_check``, holds every submission confirmed before the backup
started, and a bot started on it (the restore) is ready and serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
from pathlib import Path

from bot.server.webhook import webhook_path
from tests.fake_telegram import FakeTelegram
from tests.server_support import (
    SECRET,
    BotProcess,
    Hook,
    Outbox,
    bot_env,
    file_feedback,
    free_port,
    text_update,
    write_config,
)


async def test_online_backup_during_a_storm_and_restore(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    port = free_port()
    db = tmp_path / "bot.db"
    config = write_config(tmp_path / "config.toml", telegram, db, port, rate_limit_count=10_000)
    proc = BotProcess(config, port, tmp_path / "bot.log", unpaced=True)
    outbox = Outbox(telegram)
    url = f"http://127.0.0.1:{port}{webhook_path(SECRET)}"
    confirmed: list[str] = []
    stop = asyncio.Event()
    await proc.start()
    try:
        async with Hook(url) as hook:

            async def citizen(user: int) -> None:
                n = 0
                while not stop.is_set():
                    text = f"Lần {n} của {user}: hồ sơ trễ hẹn."
                    confirmed.append(await file_feedback(hook, telegram, outbox, user, text))
                    n += 1

            storm = [asyncio.create_task(citizen(810_000 + i)) for i in range(30)]
            await asyncio.sleep(3.0)
            before = set(confirmed)
            backup = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "backup",
                f"{tmp_path / 'backups'}/",
                "--config",
                str(config),
                env=bot_env(),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(backup.communicate(), 60)
            await asyncio.sleep(1.0)  # the storm goes on after the backup
            stop.set()
            await asyncio.gather(*storm)
        await proc.terminate()
    finally:
        stop.set()
        await proc.ensure_dead()
    assert backup.returncode == 0, err.decode()
    assert "integrity ok" in out.decode()
    copies = list((tmp_path / "backups").glob("bot-*.db"))
    assert len(copies) == 1
    with contextlib.closing(sqlite3.connect(copies[0])) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = {r[0] for r in conn.execute("SELECT code FROM feedback")}
    with contextlib.closing(sqlite3.connect(db)) as conn:
        live = {r[0] for r in conn.execute("SELECT code FROM feedback")}
    print(
        f"\nbackup: {len(before)} confirmed before the backup, {len(saved)} in the copy,"
        f" {len(live)} in the live file at the end; copy integrity ok"
    )
    assert before
    assert before <= saved  # every submission confirmed before the backup started
    assert saved <= live
    assert len(live) > len(saved)  # the bot kept writing during and after the backup

    # restore: a bot started on the copy is ready and answers
    restored_port = free_port()
    restored = write_config(tmp_path / "restored.toml", telegram, copies[0], restored_port)
    proc = BotProcess(restored, restored_port, tmp_path / "restored.log")
    await proc.start()
    try:
        url = f"http://127.0.0.1:{restored_port}{webhook_path(SECRET)}"
        async with Hook(url) as hook:
            assert await hook.post(text_update(telegram, "/start", 820_000)) == 200
            assert "Xin chào" in (await outbox.next(820_000))["text"]
        code, _ = await proc.terminate()
        assert code == 0
    finally:
        await proc.ensure_dead()
