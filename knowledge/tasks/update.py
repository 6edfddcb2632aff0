"""Who may update a task, and the guided update (/capnhat) an official walks through.

Officials may update only tasks whose lead agency (``Cơ quan chủ trì``) is their own; admins
may update any. That rule lives here, not only in the handlers. An update in progress is kept
in SQLite (``task_pending_update``), so it survives a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from knowledge.errors import InvalidInput, NotFound, PermissionDenied
from knowledge.settings import Official
from knowledge.tasks.records import (
    CHOICES,
    MAX_NOTE,
    Task,
    _event,
    _plain,
    derive_status,
    fold,
    get_task,
    get_task_by_id,
)

# --- scoping and the guided update ------------------------------------------------------


def can_update(official: Official, task: Task) -> bool:
    """Admins update any task; officials only their own agency's (folded names compared)."""
    return official.is_admin or fold(official.agency) == fold(task.agency)


def check_can_update(official: Official, task: Task) -> None:
    """PermissionDenied unless ``official`` may update ``task``."""
    if not can_update(official, task):
        raise PermissionDenied(task.code)


@dataclass(frozen=True, slots=True)
class PendingUpdate:
    """An official's /capnhat in progress (kept in SQLite: survives a restart)."""

    official_id: int
    chat_id: int
    task_id: int
    step: str  # status | note
    choice: str | None


def begin_update(db: Database, official: Official, chat_id: int, code: str, now: datetime) -> Task:
    """Start a guided update of task ``code`` (replacing any unfinished one)."""
    task = get_task(db, code)
    check_can_update(official, task)
    with db.atomic():
        db.execute(
            "INSERT OR REPLACE INTO task_pending_update (official_id, chat_id, task_id, step,"
            " choice, created_at) VALUES (?, ?, ?, 'status', NULL, ?)",
            [official.telegram_id, chat_id, task.id, now.isoformat(timespec="seconds")],
        )
    return task


def pending_update(db: Database, official_id: int) -> PendingUpdate | None:
    """The official's unfinished update, if any."""
    row = db.execute(
        "SELECT official_id, chat_id, task_id, step, choice FROM task_pending_update"
        " WHERE official_id = ?",
        [official_id],
    ).fetchone()
    return PendingUpdate(*row) if row else None


def choose_status(db: Database, official: Official, task_id: int, choice: str) -> Task:
    """Record the status chosen for the pending update; the note comes next."""
    if choice not in CHOICES:
        raise InvalidInput("bad_choice")
    pending = pending_update(db, official.telegram_id)
    if pending is None or pending.task_id != task_id:
        raise NotFound("no pending update")
    task = get_task_by_id(db, task_id)
    check_can_update(official, task)
    with db.atomic():
        db.execute(
            "UPDATE task_pending_update SET step = 'note', choice = ? WHERE official_id = ?",
            [choice, official.telegram_id],
        )
    return task


def cancel_update(db: Database, official_id: int) -> bool:
    """Drop the official's pending update; True if there was one."""
    with db.atomic():
        cur = db.execute("DELETE FROM task_pending_update WHERE official_id = ?", [official_id])
    return bool(cur.rowcount)


_LEADING_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b[\s:,.;-]*")


def split_note(note: str) -> tuple[date | None, str]:
    """A note may start with the completion date: ``12/03/2026 Đã ban hành...``."""
    match = _LEADING_DATE.match(note)
    if not match:
        return None, note.strip()
    day, month, year = (int(g) for g in match.groups())
    try:
        when = date(year, month, day)
    except ValueError as exc:
        raise InvalidInput("bad_date") from exc
    return when, note[match.end() :].strip()


def apply_update(
    db: Database,
    official: Official,
    task_id: int,
    choice: str,
    note: str | None,
    now: datetime,
) -> Task:
    """Apply a status choice and a progress note to a task, recording who and when."""
    if choice not in CHOICES:
        raise InvalidInput("bad_choice")
    task = get_task_by_id(db, task_id)
    check_can_update(official, task)
    today = now.date()
    done_on: date | None = None
    text = None
    if note is not None:
        if len(note) > MAX_NOTE:
            raise InvalidInput("note_too_long")
        done_on, text = split_note(note)
        text = text or None
    if done_on is not None and choice != "done":
        # A leading date only means something for a completion; keep it in the note.
        done_on = None
        text = note.strip() if note else None
    if choice == "note" and not text:
        raise InvalidInput("empty_note")
    if done_on is not None and done_on > today:
        raise InvalidInput("future_date")
    if done_on is not None and task.doc_date is not None and done_on < task.doc_date:
        raise InvalidInput("before_assigned")
    completed = task.completed_on
    if choice == "done":
        completed = done_on or task.completed_on or today
    elif choice == "open":
        completed = None
    changes: dict[str, list[Any]] = {}
    before, after = task.status(today), derive_status(task.deadline, completed, today)
    if before != after:
        changes["status"] = [before.value, after.value]
    if completed != task.completed_on:
        changes["completed_on"] = [_plain(task.completed_on), _plain(completed)]
    with db.atomic():
        db.execute(
            "UPDATE task SET completed_on = ?, progress = COALESCE(?, progress), updated_at = ?"
            " WHERE id = ?",
            [_plain(completed), text, now.isoformat(timespec="seconds"), task.id],
        )
        _event(db, task.id, now, "updated", actor=official, changes=changes, note=text)
        db.execute(
            "DELETE FROM task_pending_update WHERE official_id = ? AND task_id = ?",
            [official.telegram_id, task.id],
        )
    return get_task_by_id(db, task.id)


def finish_update(db: Database, official: Official, note: str | None, now: datetime) -> Task:
    """Complete the official's pending update with ``note`` (None: no note)."""
    pending = pending_update(db, official.telegram_id)
    if pending is None or pending.step != "note" or pending.choice is None:
        raise NotFound("no pending update")
    return apply_update(db, official, pending.task_id, pending.choice, note, now)
