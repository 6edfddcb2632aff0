"""Reform tasks as records: areas, statuses, text keys, the stored task, agencies, and queries.

A task's status is never stored. It follows from its deadline (``Thời hạn``), its completion
date (``Ngày hoàn thành``) and today:

* done on or before the deadline (or without a deadline) → hoàn thành đúng hạn;
* done after the deadline → hoàn thành trễ hạn;
* not done, deadline today or later (or none: a recurring task) → đang thực hiện (trong hạn);
* not done, deadline before today → quá hạn chưa hoàn thành.

The bottom of the package: every other module of ``knowledge.tasks`` reads from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from knowledge import textnorm
from knowledge.errors import InvalidInput, NotFound
from knowledge.settings import Official

# The seven reform areas of the provincial reports, in report order; callback data and the
# ``task.area`` column use the index.
AREAS: tuple[str, ...] = (
    "Công tác chỉ đạo, điều hành",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
)
AREA_SHORT: tuple[str, ...] = (
    "Chỉ đạo điều hành",
    "Thể chế",
    "Thủ tục hành chính",
    "Tổ chức bộ máy",
    "Công vụ",
    "Tài chính công",
    "Chính phủ điện tử, số",
)

MAX_QUERY = 100  # an agency name or a task code longer than this is not one
MAX_NOTE = 1000
MAX_DAYS = 366
PAGE = 10


class Status(StrEnum):
    """The four statuses of the provincial reports."""

    ON_TIME = "dung_han"
    LATE = "tre_han"
    IN_PROGRESS = "dang_thuc_hien"
    OVERDUE = "qua_han"


STATUS_LABELS: dict[Status, str] = {
    Status.ON_TIME: "Hoàn thành đúng hạn",
    Status.LATE: "Hoàn thành trễ hạn",
    Status.IN_PROGRESS: "Đang thực hiện (trong hạn)",
    Status.OVERDUE: "Quá hạn chưa hoàn thành",
}

# What an official may choose in /capnhat; "overdue" is never a choice, it is derived.
CHOICES = ("done", "open", "note")


# --- text keys ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """The search key of a name: lower-case, diacritics off, ``đ``→``d``, i/y unified."""
    return textnorm.key(text)


def code_key(code: str) -> str:
    """The re-import key of a task code: trimmed, upper-case, inner spaces removed."""
    return re.sub(r"\s+", "", code).upper()


# --- status ---------------------------------------------------------------------------------


def derive_status(deadline: date | None, completed_on: date | None, today: date) -> Status:
    """The status on ``today`` (see the module docstring)."""
    if completed_on is not None:
        if deadline is None or completed_on <= deadline:
            return Status.ON_TIME
        return Status.LATE
    if deadline is not None and deadline < today:
        return Status.OVERDUE
    return Status.IN_PROGRESS


def days_late(deadline: date | None, completed_on: date | None, today: date) -> int:
    """Days past the deadline: until completion if done, until today if not; 0 if in time."""
    if deadline is None:
        return 0
    end = completed_on or today
    return max(0, (end - deadline).days)


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Agency:
    """A lead agency with its short stable id."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One task as read from an import file (validated)."""

    code: str
    title: str
    agency: str
    deadline: date | None
    doc_number: str | None = None
    doc_date: date | None = None
    issuer: str | None = None
    area: int | None = None
    supporting: str | None = None
    completed_on: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A stored task."""

    id: int
    code: str
    title: str
    agency_id: int
    agency: str
    deadline: date | None
    completed_on: date | None
    doc_number: str | None = None
    doc_date: date | None = None
    issuer: str | None = None
    area: int | None = None
    supporting: str | None = None
    note: str | None = None
    progress: str | None = None
    updated_at: str = ""

    def status(self, today: date) -> Status:
        """The derived status on ``today``."""
        return derive_status(self.deadline, self.completed_on, today)

    def days_late(self, today: date) -> int:
        """Days past the deadline (see :func:`days_late`)."""
        return days_late(self.deadline, self.completed_on, today)

    @property
    def area_name(self) -> str | None:
        """The reform area's full name."""
        return AREAS[self.area] if self.area is not None else None


_TASK_COLUMNS = (
    "t.id, t.code, t.title, t.agency_id, a.name, t.deadline, t.completed_on, t.doc_number,"
    " t.doc_date, t.issuer, t.area, t.supporting, t.note, t.progress, t.updated_at"
)
_TASK_FROM = " FROM task t JOIN task_agency a ON a.id = t.agency_id"


def _task(row: Sequence[Any]) -> Task:
    return Task(
        id=row[0],
        code=row[1],
        title=row[2],
        agency_id=row[3],
        agency=row[4],
        deadline=_d(row[5]),
        completed_on=_d(row[6]),
        doc_number=row[7],
        doc_date=_d(row[8]),
        issuer=row[9],
        area=row[10],
        supporting=row[11],
        note=row[12],
        progress=row[13],
        updated_at=row[14],
    )


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a task's history."""

    at: str
    actor_name: str | None
    agency: str | None
    action: str
    changes: dict[str, list[Any]]
    note: str | None


# --- agencies -------------------------------------------------------------------------------


def agencies(db: Database) -> list[Agency]:
    """Every lead agency, by name."""
    rows = [Agency(r[0], r[1]) for r in db.execute("SELECT id, name FROM task_agency")]
    return sorted(rows, key=lambda a: fold(a.name))


def agency(db: Database, agency_id: int) -> Agency:
    """The agency with this id (NotFound if none)."""
    row = db.execute("SELECT id, name FROM task_agency WHERE id = ?", [agency_id]).fetchone()
    if row is None:
        raise NotFound(str(agency_id))
    return Agency(row[0], row[1])


def agency_for(db: Database, name: str) -> Agency | None:
    """The stored agency whose folded name equals ``name``'s, if any."""
    row = db.execute("SELECT id, name FROM task_agency WHERE key = ?", [fold(name)]).fetchone()
    return Agency(row[0], row[1]) if row else None


def _ensure_agency(db: Database, name: str) -> int:
    key = fold(name)
    db.execute("INSERT OR IGNORE INTO task_agency (name, key) VALUES (?, ?)", [name, key])
    row = db.execute("SELECT id FROM task_agency WHERE key = ?", [key]).fetchone()
    return int(row[0])


def clean_query(text: str) -> str:
    """A user's argument, trimmed; InvalidInput if it is empty or too long."""
    text = " ".join(text.split())
    if len(text) > MAX_QUERY:
        raise InvalidInput("too_long")
    if not fold(text):
        raise InvalidInput("empty")
    return text


def find_agency(db: Database, query: str) -> list[Agency]:
    """Agencies matching ``query`` fuzzily, best first: one when clear, several when ambiguous.

    Diacritics and case are ignored, so ``tu phap`` finds Sở Tư pháp; NotFound if nothing is
    close enough, InvalidInput for an empty or over-long query.
    """
    q = fold(clean_query(query))
    every = agencies(db)
    keys = {a.id: fold(a.name) for a in every}
    exact = [a for a in every if keys[a.id] == q]
    if exact:
        return exact[:1]
    inside = [a for a in every if f" {q} " in f" {keys[a.id]} "]
    if inside:
        return inside
    scored = process.extract(q, keys, scorer=fuzz.WRatio, processor=None, score_cutoff=75, limit=8)
    if not scored:
        raise NotFound(query)
    best = scored[0][1]
    by_id = {a.id: a for a in every}
    return [by_id[int(k)] for _, score, k in scored if best - score < 5]


# --- tasks ----------------------------------------------------------------------------------


def get_task(db: Database, code: str) -> Task:
    """The task with this code (case and spaces ignored); NotFound if none."""
    code = clean_query(code)
    row = db.execute(
        f"SELECT {_TASK_COLUMNS}{_TASK_FROM} WHERE t.code_key = ?", [code_key(code)]
    ).fetchone()
    if row is None:
        raise NotFound(code)
    return _task(row)


def get_task_by_id(db: Database, task_id: int) -> Task:
    """The task with this row id; NotFound if none."""
    row = db.execute(f"SELECT {_TASK_COLUMNS}{_TASK_FROM} WHERE t.id = ?", [task_id]).fetchone()
    if row is None:
        raise NotFound(str(task_id))
    return _task(row)


def all_tasks(db: Database) -> list[Task]:
    """Every task, by agency then code (for exports)."""
    rows = db.execute(f"SELECT {_TASK_COLUMNS}{_TASK_FROM} ORDER BY a.name, t.code_key")
    return [_task(r) for r in rows]


@dataclass(frozen=True, slots=True)
class Page:
    """A page of tasks out of ``total``."""

    items: tuple[Task, ...]
    total: int
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        """More after this page."""
        return self.offset + len(self.items) < self.total

    @property
    def has_prev(self) -> bool:
        """Pages before this one."""
        return self.offset > 0


def _page(db: Database, where: str, params: list[Any], order: str, page: int) -> Page:
    page = max(0, page)
    total = int(db.execute(f"SELECT COUNT(*) FROM task t WHERE {where}", params).fetchone()[0])
    rows = db.execute(
        f"SELECT {_TASK_COLUMNS}{_TASK_FROM} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, PAGE, page * PAGE],
    )
    return Page(tuple(_task(r) for r in rows), total, page * PAGE, PAGE)


def overdue(db: Database, today: date, *, agency_id: int | None = None, page: int = 0) -> Page:
    """Overdue tasks, most days late first."""
    where = "t.completed_on IS NULL AND t.deadline < ?"
    params: list[Any] = [today.isoformat()]
    if agency_id is not None:
        where += " AND t.agency_id = ?"
        params.append(agency_id)
    return _page(db, where, params, "t.deadline, t.code_key", page)


def open_tasks(db: Database, *, agency_id: int | None = None, page: int = 0) -> Page:
    """Tasks not completed yet, overdue first (most days late leading), recurring ones last.

    By deadline, so the overdue tasks come before those still in time without a second key.
    """
    where = "t.completed_on IS NULL"
    params: list[Any] = []
    if agency_id is not None:
        where += " AND t.agency_id = ?"
        params.append(agency_id)
    return _page(db, where, params, "t.deadline IS NULL, t.deadline, t.code_key", page)


def due_soon(
    db: Database, today: date, days: int, *, agency_id: int | None = None, page: int = 0
) -> Page:
    """Open tasks due from today to ``days`` days ahead, soonest first."""
    where = "t.completed_on IS NULL AND t.deadline >= ? AND t.deadline <= ?"
    params: list[Any] = [today.isoformat(), (today + timedelta(days=days)).isoformat()]
    if agency_id is not None:
        where += " AND t.agency_id = ?"
        params.append(agency_id)
    return _page(db, where, params, "t.deadline, t.code_key", page)


def parse_days(text: str | None, default: int) -> int:
    """The N of ``/nhiemvu_sapden N``: a whole number of days, 1 to 366."""
    if text is None or not text.strip():
        return default
    text = text.strip()
    if len(text) > 6 or not text.isdigit():
        raise InvalidInput("bad_days")
    days = int(text)
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput("bad_days")
    return days


def history(db: Database, task_id: int, limit: int = 20) -> list[Event]:
    """The task's history, oldest first (the last ``limit`` entries)."""
    rows = db.execute(
        "SELECT at, actor_name, agency, action, changes, note FROM task_event"
        " WHERE task_id = ? ORDER BY id DESC LIMIT ?",
        [task_id, limit],
    ).fetchall()
    return [
        Event(r[0], r[1], r[2], r[3], json.loads(r[4]) if r[4] else {}, r[5])
        for r in reversed(rows)
    ]


def _event(
    db: Database,
    task_id: int,
    at: datetime,
    action: str,
    *,
    actor: Official | None = None,
    changes: dict[str, list[Any]] | None = None,
    note: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO task_event (task_id, at, actor_id, actor_name, agency, action, changes,"
        " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            task_id,
            at.isoformat(timespec="seconds"),
            actor.telegram_id if actor else None,
            actor.name if actor else None,
            actor.agency if actor else None,
            action,
            json.dumps(changes, ensure_ascii=False) if changes else None,
            note,
        ],
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
