"""`python -m bot backup DEST [--config PATH]`: a consistent copy of the SQLite file, online.

Uses SQLite's online backup API in a single step, so the copy is one consistent snapshot
even while the bot keeps writing (WAL mode: the bot is never blocked). The copy is written
next to DEST, checked with ``PRAGMA integrity_check``, flushed to disk, then renamed into
place, so DEST is either the old file or a complete new one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "backup", help="sao lưu tệp dữ liệu SQLite khi bot vẫn chạy (online backup API)"
    )
    parser.add_argument("dest", help="tệp đích, hoặc thư mục (có sẵn, hoặc kết thúc bằng /)")
    parser.add_argument("--config", default=None, help="đường dẫn config.toml")
    parser.set_defaults(func=backup_command)


def backup(source: str | Path, target: str | Path) -> dict[str, Any]:
    """Copy ``source`` to ``target`` atomically; returns what was copied.

    A ``target`` that is a directory (or ends with ``/``) gets ``bot-YYYYmmdd-HHMMSS.db``.
    """
    dest = Path(target)
    if dest.is_dir() or str(target).endswith(("/", os.sep)):
        dest = dest / f"bot-{datetime.now().strftime('%Y%m%d-%H%M%S')}.db"
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)  # only reads; WAL readers never block the bot
    try:
        with contextlib.closing(sqlite3.connect(partial)) as out:
            src.backup(out)  # pages=-1: every page in one step, one consistent snapshot
            check = out.execute("PRAGMA integrity_check").fetchone()[0]
            tables = [
                r[0] for r in out.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            counts = {
                name: int(out.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for name in ("feedback", "task", "chat_user")
                if name in tables
            }
            out.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        src.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"integrity_check of the copy: {check}")
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, dest)
    with contextlib.suppress(OSError):  # make the rename itself durable
        fd = os.open(dest.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return {"path": str(dest), "bytes": dest.stat().st_size, "counts": counts}


def backup_command(args: argparse.Namespace) -> int:
    """Back up the configured store to ``args.dest``."""
    from bot.config import load_for_command

    config = load_for_command(args.config)
    if config is None:
        return 2
    source = Path(config.storage.path)
    if not source.exists():
        print(f"Không có tệp dữ liệu {source}", file=sys.stderr)
        return 2
    try:
        done = backup(source, args.dest)
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        print(f"Sao lưu thất bại: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {v}" for k, v in done["counts"].items())
    print(f"Đã sao lưu {source} → {done['path']} ({done['bytes']} bytes; {counts}); integrity ok")
    return 0
