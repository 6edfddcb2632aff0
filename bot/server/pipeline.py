"""Inbox → Application: every update committed first, processed after, in order per chat.

Every update, from the webhook or from long polling, goes through :class:`Pipeline`: it is
committed to the ``inbox`` table keyed by ``update_id`` first (only then does Telegram get
its 200), processed by the PTB Application after that, and marked processed at the end.
A redelivered ``update_id`` is acknowledged and not processed again; rows left unprocessed
by a crash or a shutdown are processed first at the next start.

:class:`PerChatUpdateProcessor` is the one place that orders updates: concurrent across
chats, one at a time and in order of arrival within a chat.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.server.inbox import InboxWriter
from bot.server.metrics import Metrics, update_kind
from handlers.common import Services, mark_recovered
from knowledge import inbox

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

MAX_CONCURRENT_UPDATES = 256  # updates being handled at once, across all chats


def chat_of(update: object) -> int:
    """The chat (or, without one, the user) whose updates must stay in order."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return 0


class _ChatLane:
    """One chat's turn-taking: a FIFO lock and how many updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Handle updates concurrently across chats, but one at a time within a chat.

    A citizen's messages are answered in the order they were sent, while a busy centre's
    many chats do not wait for each other. A chat waiting for its turn does not hold one of
    the ``max_concurrent`` slots: the chat's turn comes first, the slot second (PTB's own
    semaphore, taken before this method runs, is set so high it never waits).
    """

    def __init__(self, max_concurrent: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(1 << 30)
        self._slots = asyncio.BoundedSemaphore(max_concurrent)
        self._chats: dict[int, _ChatLane] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` in the update's chat's turn, within the concurrency limit."""
        key = chat_of(update)
        lane = self._chats.get(key) or self._chats.setdefault(key, _ChatLane())
        lane.users += 1
        try:
            async with lane.lock, self._slots:
                await coroutine
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._chats[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


@dataclass
class Pipeline:
    """Inbox → Application: commit first, process after, mark processed at the end.

    A chat's updates are processed one at a time in order of arrival
    (:class:`PerChatUpdateProcessor`).
    """

    app: App
    services: Services
    metrics: Metrics
    accepting: bool = True
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    writer: InboxWriter = field(init=False)

    def __post_init__(self) -> None:
        self.writer = InboxWriter(self.services.store)

    async def accept(
        self, update_id: int, body: str, data: dict[str, Any], update: Update | None = None
    ) -> bool:
        """Commit the raw update; process it if new. Returns False for a redelivery.

        While draining, a new update is committed but left for the next start.
        """
        new = await self.writer.accept(update_id, body)
        self.metrics.updates.labels(update_kind(data)).inc()
        if not new:
            self.metrics.updates_duplicate.inc()
            return False
        if self.accepting:
            self._spawn(update_id, data, update)
        return True

    def dispatch(self, update_id: int, data: dict[str, Any], update: Update | None) -> None:
        """Process an update the webhook thread committed (called on the main loop)."""
        self.metrics.updates.labels(update_kind(data)).inc()
        if self.accepting:
            self._spawn(update_id, data, update)

    async def start_backlog(self) -> int:
        """Queue the rows a crash or a shutdown left unprocessed, oldest first."""
        rows, gave_up = await self.services.store.run(inbox.claim_backlog)
        mark_recovered(self.app.bot_data, [row.update_id for row in rows])
        for update_id in gave_up:
            log.warning("update %s kept failing at start-up; given up", update_id)
            self.metrics.updates_processed.labels("gave_up").inc()
        for row in rows:
            try:
                data = json.loads(row.body)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                await self._finish(row.update_id, "invalid")
                continue
            self._spawn(row.update_id, data)
        if rows:
            log.info("processing %d updates left in the inbox", len(rows))
        return len(rows)

    def _spawn(self, update_id: int, data: dict[str, Any], update: Update | None = None) -> None:
        task = asyncio.create_task(
            self._process(update_id, data, update), name=f"update-{update_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, update_id: int, data: dict[str, Any], update: Update | None) -> None:
        started = time.perf_counter()
        self.metrics.in_flight.inc()
        try:
            if update is None:
                try:
                    update = Update.de_json(data, self.app.bot)
                except Exception:
                    log.warning("update %s could not be parsed; skipped", update_id)
                    await self._finish(update_id, "invalid")
                    return
            # Turn-taking per chat is the update processor's (PerChatUpdateProcessor).
            coroutine = self.app.process_update(update)
            try:
                await self.app.update_processor.process_update(update, coroutine)
            finally:
                coroutine.close()  # no-op when it ran; no "never awaited" if cancelled
            await self._finish(update_id, "done")
            self.metrics.update_seconds.observe(time.perf_counter() - started)
        finally:
            self.metrics.in_flight.dec()

    async def _finish(self, update_id: int, outcome: str) -> None:
        self.writer.processed(update_id, outcome)
        self.metrics.updates_processed.labels(outcome).inc()

    @property
    def in_flight(self) -> int:
        """Updates being processed now."""
        return len(self._tasks)

    async def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is in flight; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._tasks:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            await asyncio.wait(set(self._tasks), timeout=remaining)
        await self.writer.flush()
        return True

    async def drain(self, grace: float) -> int:
        """Stop taking updates; let in-flight ones finish within ``grace``, cancel the rest.

        A cancelled update is not marked processed: it stays in the inbox for the next start.
        Returns how many were cancelled.
        """
        self.accepting = False
        if await self.wait_idle(grace):
            return 0
        left = list(self._tasks)
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await self.writer.flush()
        log.warning("%d updates did not finish in time; kept in the inbox", len(left))
        return len(left)
