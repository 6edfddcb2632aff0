"""The daily digest: new overdue tasks, tasks due this week, completions since the last one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from knowledge.tasks.records import _TASK_COLUMNS, _TASK_FROM, Task, _d, _task

# --- the daily digest -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Digest:
    """What the morning message says."""

    today: date
    since: date  # first day of the window (the last digest's day, or yesterday)
    new_overdue: tuple[Task, ...] = field(default_factory=tuple)
    due_this_week: tuple[Task, ...] = field(default_factory=tuple)
    completed: tuple[Task, ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        """Nothing to say."""
        return not (self.new_overdue or self.due_this_week or self.completed)


def _query(db: Database, where: str, params: Iterable[Any], order: str) -> tuple[Task, ...]:
    rows = db.execute(
        f"SELECT {_TASK_COLUMNS}{_TASK_FROM} WHERE {where} ORDER BY {order}", list(params)
    )
    return tuple(_task(r) for r in rows)


def last_digest_day(db: Database) -> date | None:
    """The day the last digest went out, if any."""
    row = db.execute("SELECT MAX(day) FROM task_digest_run").fetchone()
    return _d(row[0]) if row else None


def digest(db: Database, today: date, since: date | None = None) -> Digest:
    """New overdue tasks, tasks due this week and completions since the last digest.

    The window runs from ``since`` (the last digest's day; yesterday by default, at most a
    week back) to yesterday, so a weekend or a missed morning loses nothing.
    """
    yesterday = today - timedelta(days=1)
    start = since if since is not None and since < today else yesterday
    start = max(start, today - timedelta(days=7))
    week_end = today + timedelta(days=6 - today.weekday())
    window = [start.isoformat(), yesterday.isoformat()]
    return Digest(
        today=today,
        since=start,
        new_overdue=_query(
            db,
            "t.completed_on IS NULL AND t.deadline >= ? AND t.deadline <= ?",
            window,
            "t.deadline, t.code_key",
        ),
        due_this_week=_query(
            db,
            "t.completed_on IS NULL AND t.deadline >= ? AND t.deadline <= ?",
            [today.isoformat(), week_end.isoformat()],
            "t.deadline, t.code_key",
        ),
        completed=_query(
            db,
            "t.completed_on >= ? AND t.completed_on <= ?",
            window,
            "t.completed_on, t.code_key",
        ),
    )


def record_digest(db: Database, today: date, now: datetime, chats: int) -> bool:
    """Mark today's digest as sent; False if it already was (a restart must not resend)."""
    with db.atomic():
        cur = db.execute(
            "INSERT OR IGNORE INTO task_digest_run (day, at, chats) VALUES (?, ?, ?)",
            [today.isoformat(), now.isoformat(timespec="seconds"), chats],
        )
    return bool(cur.rowcount)
