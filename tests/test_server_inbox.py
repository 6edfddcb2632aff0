"""The inbox's storage (knowledge/inbox.py) and write path (bot/server/inbox.py)."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.server.inbox import InboxWriter, PriorityStore
from bot.storage import open_store
from knowledge import inbox


def test_accept_is_once_per_update_id(tmp_path: Path) -> None:
    store = open_store(tmp_path / "bot.db")
    try:
        assert store.run_sync(lambda db: inbox.accept(db, 7, '{"update_id": 7}'))
        assert not store.run_sync(lambda db: inbox.accept(db, 7, '{"update_id": 7}'))
        assert store.run_sync(lambda db: inbox.pending_count(db)) == 1
        store.run_sync(lambda db: inbox.mark_processed(db, 7))
        assert store.run_sync(inbox.unprocessed) == []
        row = store.run_sync(lambda db: db.execute("SELECT body, outcome FROM inbox").fetchone())
        assert row == (None, "done")  # the body (personal data) is gone once processed
        assert not store.run_sync(lambda db: inbox.accept(db, 7, "{}"))  # still recognised
    finally:
        store.close()


def test_backlog_counts_attempts_and_gives_up_on_poison(tmp_path: Path) -> None:
    store = open_store(tmp_path / "bot.db")
    try:
        for uid in (3, 1, 2):
            store.run_sync(lambda db, u=uid: inbox.accept(db, u, "{}"))
        for start_up in range(1, inbox.MAX_ATTEMPTS):
            rows, gave_up = store.run_sync(inbox.claim_backlog)
            assert [r.update_id for r in rows] == [1, 2, 3]  # oldest first
            assert all(r.attempts == start_up for r in rows)
            assert gave_up == []
        store.run_sync(lambda db: inbox.mark_processed(db, 2))
        rows, gave_up = store.run_sync(inbox.claim_backlog)
        assert rows == []
        assert gave_up == [1, 3]
    finally:
        store.close()


def test_prune_keeps_unprocessed_and_recent_rows(tmp_path: Path) -> None:
    store = open_store(tmp_path / "bot.db")
    try:
        for uid in (1, 2, 3):
            store.run_sync(lambda db, u=uid: inbox.accept(db, u, "{}"))
        store.run_sync(lambda db: inbox.mark_processed(db, 1))
        store.run_sync(lambda db: inbox.mark_processed(db, 2))
        later = datetime.now(UTC) + timedelta(days=4)
        assert store.run_sync(lambda db: inbox.prune(db, now=later)) == 2
        assert store.run_sync(lambda db: inbox.prune(db)) == 0
        assert [r.update_id for r in store.run_sync(inbox.unprocessed)] == [3]
    finally:
        store.close()


async def test_group_commit_shares_transactions_and_tells_new_from_seen(tmp_path: Path) -> None:
    store = PriorityStore(tmp_path / "bot.db")
    try:
        writer = InboxWriter(store)
        results = await asyncio.gather(
            *(writer.accept(i % 150, "{}") for i in range(300))  # each id twice
        )
        assert sum(results) == 150
        assert writer.commits < 300 / 4  # many accepts per commit (one fsync each)
        for i in range(150):
            writer.processed(i, "done")
        await writer.flush()
        assert await store.run(inbox.pending_count) == 0
    finally:
        store.close()


async def test_the_inbox_goes_before_queued_handler_writes(tmp_path: Path) -> None:
    store = PriorityStore(tmp_path / "bot.db")
    order: list[str] = []
    gate = threading.Event()
    try:
        blocker = asyncio.ensure_future(store.run(lambda db: gate.wait(5)))
        await asyncio.sleep(0.05)
        handlers = [
            asyncio.ensure_future(store.run(lambda db, i=i: order.append(f"handler {i}")))
            for i in range(5)
        ]
        await asyncio.sleep(0.05)
        urgent = asyncio.ensure_future(store.run_urgent(lambda db: order.append("inbox")))
        await asyncio.sleep(0.05)
        gate.set()
        started = time.monotonic()
        await asyncio.gather(blocker, urgent, *handlers)
        assert time.monotonic() - started < 5
        assert order[0] == "inbox"
        assert order[1:] == [f"handler {i}" for i in range(5)]  # FIFO among the rest
    finally:
        store.close()
