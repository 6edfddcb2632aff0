"""The one SQLite file: WAL, synchronous=FULL, one thread owns the connection.

Async code hands functions to :meth:`Store.run`; they execute one after another on the
writer thread, so there is never a second writer and never "database is locked". Schema
changes are numbered migrations, one ``sqlite_utils.Migrations`` set per feature; the
composition root (``bot/storage.py``) hands them in, so the kernel never imports a feature.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database, Migrations

T = TypeVar("T")


def _open(path: str | Path, migrations: Sequence[Migrations]) -> Database:
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    for migration_set in migrations:
        migration_set.apply(db)
    return db


class Store:
    """Owns the SQLite connection on a single worker thread."""

    def __init__(
        self,
        path: str | Path,
        migrations: Sequence[Migrations],
        *,
        executor: Executor | None = None,
    ) -> None:
        """Open ``path`` and apply ``migrations`` in order on the one writer thread.

        ``executor`` must run one job at a time on one thread (the default does);
        ``bot/server/inbox.py`` passes one with a fast lane.
        """
        self.path = str(path)
        self._executor = executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="sqlite-writer"
        )
        self._db: Database = self._executor.submit(_open, path, migrations).result()
        self._closed = threading.Event()

    async def run(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn(db)`` on the writer thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, self._db)

    def run_sync(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn(db)`` on the writer thread from synchronous code (CLI, tests)."""
        return self._executor.submit(fn, self._db).result()

    def close(self) -> None:
        """Close the connection and stop the thread; safe to call twice."""
        if self._closed.is_set():
            return
        self._closed.set()
        self._executor.submit(self._db.close).result()
        self._executor.shutdown(wait=True)
