"""The webhook inbox: raw updates committed by ``update_id`` before Telegram gets its 200.

A row is written once (``INSERT OR IGNORE``), so a redelivered update is recognised and
never processed twice. After processing, the raw body is dropped (it may hold a citizen's
words and phone number) and only the id is kept, long enough to recognise redeliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

# Telegram keeps an undelivered update for at most 24 hours; ids are kept a little longer.
KEEP_PROCESSED = timedelta(days=3)
# A row found unprocessed at this many start-ups is given up (it keeps crashing the bot).
MAX_ATTEMPTS = 3


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class Pending:
    """An accepted update that has not been processed yet."""

    update_id: int
    body: str
    attempts: int


def accept(db: Database, update_id: int, body: str) -> bool:
    """Commit the raw update; True if it is new, False for a redelivery."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO inbox (update_id, body, received_at) VALUES (?, ?, ?)",
        [update_id, body, _now()],
    )
    return cursor.rowcount == 1


def mark_processed(db: Database, update_id: int, outcome: str = "done") -> None:
    """Record that the update was handled and forget its body."""
    db.execute(
        "UPDATE inbox SET processed_at = ?, outcome = ?, body = NULL"
        " WHERE update_id = ? AND processed_at IS NULL",
        [_now(), outcome, update_id],
    )


def unprocessed(db: Database, limit: int | None = None) -> list[Pending]:
    """Accepted but unprocessed updates, oldest id first."""
    sql = (
        "SELECT update_id, body, attempts FROM inbox WHERE processed_at IS NULL ORDER BY update_id"
    )
    params: list[int] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [Pending(int(r[0]), str(r[1] or ""), int(r[2])) for r in db.execute(sql, params)]


def claim_backlog(db: Database) -> tuple[list[Pending], list[int]]:
    """At start-up: count one more attempt for each unprocessed row and give up on poison rows.

    Returns the rows to process now and the ids given up (processed with outcome
    ``gave_up``), all in one transaction.
    """
    with db.atomic():
        db.execute("UPDATE inbox SET attempts = attempts + 1 WHERE processed_at IS NULL")
        rows = unprocessed(db)
        poison = [r.update_id for r in rows if r.attempts >= MAX_ATTEMPTS]
        for update_id in poison:
            mark_processed(db, update_id, "gave_up")
    return [r for r in rows if r.attempts < MAX_ATTEMPTS], poison


def pending_count(db: Database) -> int:
    """How many accepted updates wait to be processed."""
    row = db.execute("SELECT count(*) FROM inbox WHERE processed_at IS NULL").fetchone()
    return int(row[0])


def prune(db: Database, keep: timedelta = KEEP_PROCESSED, now: datetime | None = None) -> int:
    """Delete processed rows older than ``keep``; returns how many went."""
    cutoff = ((now or datetime.now(UTC)) - keep).isoformat(timespec="milliseconds")
    cursor = db.execute(
        "DELETE FROM inbox WHERE processed_at IS NOT NULL AND received_at < ?", [cutoff]
    )
    return int(cursor.rowcount)
