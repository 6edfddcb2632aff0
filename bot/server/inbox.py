"""The inbox's write path: group commit on a writer thread with a fast lane.

With ``synchronous=FULL`` every commit waits for the disk (a few milliseconds on a VM), and
the single writer thread also runs every handler's writes. Two things keep the webhook's
acknowledgement fast under load without a second writer:

- :class:`PriorityStore` is the Store with a fast lane: the inbox's jobs run before any
  queued handler job (still one thread, one connection, one writer);
- :class:`InboxWriter` commits all updates that arrived meanwhile in one transaction
  (one fsync), and folds "processed" marks into the same commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database, Migrations

from bot.storage import MIGRATIONS
from knowledge import inbox
from knowledge.store import Store

log = logging.getLogger(__name__)

T = TypeVar("T")
URGENT, NORMAL = 0, 1
MARK_DELAY = 0.02  # a "processed" mark waits at most this long for a commit to join


class _PriorityExecutor(Executor):
    """One worker thread taking urgent jobs before normal ones (FIFO within each)."""

    def __init__(self) -> None:
        self._jobs: queue.PriorityQueue[tuple[int, int, Any]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread = threading.Thread(target=self._work, name="sqlite-writer", daemon=True)
        self._thread.start()

    def submit_with(self, priority: int, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Queue ``fn(*args)`` at ``priority``."""
        future: Future[T] = Future()
        self._jobs.put((priority, next(self._order), (future, fn, args)))
        return future

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Queue a normal job (the Executor interface)."""
        return self.submit_with(NORMAL, lambda: fn(*args, **kwargs))

    def _work(self) -> None:
        while True:
            _, _, job = self._jobs.get()
            if job is None:
                return
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:
                future.set_exception(exc)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Finish queued jobs, then stop the thread."""
        self._jobs.put((2, next(self._order), None))
        if wait:
            self._thread.join()


class PriorityStore(Store):
    """The Store (one thread owns the connection) with :meth:`run_urgent` for the inbox."""

    def __init__(self, path: str | Path, migrations: Sequence[Migrations] = MIGRATIONS) -> None:
        self._urgent = _PriorityExecutor()
        super().__init__(path, migrations, executor=self._urgent)

    async def run_urgent(self, fn: Callable[[Database], T]) -> T:
        """Run ``fn(db)`` on the writer thread before any queued normal job."""
        return await asyncio.wrap_future(self._urgent.submit_with(URGENT, fn, self._db))


class InboxWriter:
    """Group commit for the inbox: every accept waiting meanwhile shares one transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        run_urgent = getattr(store, "run_urgent", None)
        self._run: Callable[[Callable[[Database], Any]], Any] = run_urgent or store.run
        self._accepts: list[tuple[int, str, asyncio.Future[bool]]] = []
        self._marks: list[tuple[int, str]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.commits = 0

    async def accept(self, update_id: int, body: str) -> bool:
        """Commit the raw update (True if new); returns after the commit."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._accepts.append((update_id, body, future))
        self._kick()
        return await future

    def processed(self, update_id: int, outcome: str) -> None:
        """Mark an update processed with the next commit (at most ``MARK_DELAY`` later)."""
        self._marks.append((update_id, outcome))
        self._kick()

    def _kick(self) -> None:
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name="inbox-writer")

    async def _loop(self) -> None:
        while self._accepts or self._marks:
            if not self._accepts:  # only marks: give accepts a moment to join them
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), MARK_DELAY)
            await self._commit()

    async def _commit(self) -> None:
        accepts, self._accepts = self._accepts, []
        marks, self._marks = self._marks, []

        def write(db: Database) -> list[bool]:
            with db.atomic():
                fresh = [inbox.accept(db, uid, body) for uid, body, _ in accepts]
                for uid, outcome in marks:
                    inbox.mark_processed(db, uid, outcome)
            return fresh

        try:
            fresh = await self._run(write)
        except BaseException as exc:
            for _, _, future in accepts:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else RuntimeError())
            if marks:  # the marks are only an optimisation: a crash replays them anyway
                log.warning("could not mark %d updates processed", len(marks))
            if not isinstance(exc, Exception):
                raise
            return
        self.commits += 1
        for (_, _, future), new in zip(accepts, fresh, strict=True):
            if not future.done():
                future.set_result(new)

    async def flush(self) -> None:
        """Commit everything queued now."""
        while self._accepts or self._marks:
            await self._commit()
        if self._task is not None and not self._task.done():
            await self._task
