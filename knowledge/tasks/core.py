"""Administrative-reform tasks: records, derived status, summaries, scoping, history, digest.

A task's status is never stored. It follows from its deadline (``Thời hạn``), its completion
date (``Ngày hoàn thành``) and today:

* done on or before the deadline (or without a deadline) → hoàn thành đúng hạn;
* done after the deadline → hoàn thành trễ hạn;
* not done, deadline today or later (or none: a recurring task) → đang thực hiện (trong hạn);
* not done, deadline before today → quá hạn chưa hoàn thành.

Officials may update only tasks whose lead agency (``Cơ quan chủ trì``) is their own; admins
may update any. That rule lives here, not only in the handlers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from knowledge import textnorm
from knowledge.errors import InvalidInput, NotFound, PermissionDenied
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


# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """Tasks by status."""

    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        """Every task."""
        return self.on_time + self.late + self.in_progress + self.overdue

    @property
    def completed(self) -> int:
        """Done, on time or late: the base of the report's percentages."""
        return self.on_time + self.late

    @property
    def open(self) -> int:
        """Not done yet ("đang thực hiện" in the report), overdue included."""
        return self.in_progress + self.overdue

    def get(self, status: Status) -> int:
        """The count of one status."""
        return {
            Status.ON_TIME: self.on_time,
            Status.LATE: self.late,
            Status.IN_PROGRESS: self.in_progress,
            Status.OVERDUE: self.overdue,
        }[status]


@dataclass(frozen=True, slots=True)
class AgencyRow:
    """One line of the per-agency table."""

    agency: Agency
    counts: Counts


@dataclass(frozen=True, slots=True)
class AreaRow:
    """One line of the per-area table (index -1: no area given)."""

    index: int
    counts: Counts

    @property
    def name(self) -> str:
        """The area's full name."""
        return AREAS[self.index] if self.index >= 0 else "Chưa phân lĩnh vực"


@dataclass(frozen=True, slots=True)
class Summary:
    """The province's (or one agency's, or one area's) picture on ``today``."""

    today: date
    documents: int
    counts: Counts
    by_agency: tuple[AgencyRow, ...] = ()
    by_area: tuple[AreaRow, ...] = ()


_COUNT_SQL = """
    SUM(t.completed_on IS NOT NULL AND (t.deadline IS NULL OR t.completed_on <= t.deadline)),
    SUM(t.completed_on IS NOT NULL AND t.deadline IS NOT NULL AND t.completed_on > t.deadline),
    SUM(t.completed_on IS NULL AND (t.deadline IS NULL OR t.deadline >= :today)),
    SUM(t.completed_on IS NULL AND t.deadline < :today)
"""


def _counts(row: Sequence[Any]) -> Counts:
    return Counts(*(int(v or 0) for v in row[:4]))


def _filter(agency_id: int | None, area: int | None) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    if agency_id is not None:
        clauses.append("t.agency_id = :agency")
        params["agency"] = agency_id
    if area is not None:
        clauses.append("t.area = :area" if area >= 0 else "t.area IS NULL")
        params["area"] = area
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def summary(
    db: Database, today: date, *, agency_id: int | None = None, area: int | None = None
) -> Summary:
    """Counts by status, documents, and the per-agency and per-area breakdowns."""
    where, params = _filter(agency_id, area)
    params["today"] = today.isoformat()
    total = db.execute(
        f"SELECT {_COUNT_SQL}, COUNT(DISTINCT t.doc_key) FROM task t{where}", params
    ).fetchone()
    agencies = [
        AgencyRow(Agency(row[4], row[5]), _counts(row))
        for row in db.execute(
            f"SELECT {_COUNT_SQL}, a.id, a.name FROM task t"
            f" JOIN task_agency a ON a.id = t.agency_id{where} GROUP BY a.id",
            params,
        )
    ]
    agencies.sort(key=lambda r: (-r.counts.overdue, -r.counts.total, fold(r.agency.name)))
    areas = [
        AreaRow(-1 if row[4] is None else int(row[4]), _counts(row))
        for row in db.execute(
            f"SELECT {_COUNT_SQL}, t.area FROM task t{where} GROUP BY t.area", params
        )
    ]
    areas.sort(key=lambda r: r.index if r.index >= 0 else len(AREAS))
    return Summary(
        today=today,
        documents=int(total[4] or 0),
        counts=_counts(total),
        by_agency=tuple(agencies),
        by_area=tuple(areas),
    )


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


# --- import (the upsert; reading files is knowledge/tasks_import.py) ---------------------


_FIELDS = (
    "title",
    "doc_number",
    "doc_date",
    "issuer",
    "area",
    "agency",
    "supporting",
    "deadline",
    "completed_on",
    "note",
)


def _doc_key(issuer: str | None, number: str | None) -> str | None:
    if not number or not fold(number):
        return None
    return f"{fold(issuer or '')}|{fold(number)}"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _blank(value: Any) -> Any:
    return None if value is None or value == "" else value


def upsert(db: Database, record: TaskRecord, now: datetime, source: str = "") -> str:
    """Create or update the task ``record.code``; returns created, updated or unchanged.

    Each change is recorded in the task's history. A blank completion date in the file
    never clears one already recorded (an old file must not undo a reported completion).
    """
    stamp = now.isoformat(timespec="seconds")
    agency_id = _ensure_agency(db, record.agency)
    values: dict[str, Any] = {
        "code": record.code,
        "code_key": code_key(record.code),
        "title": record.title,
        "doc_number": record.doc_number,
        "doc_date": _plain(record.doc_date),
        "issuer": record.issuer,
        "doc_key": _doc_key(record.issuer, record.doc_number),
        "area": record.area,
        "agency_id": agency_id,
        "supporting": record.supporting,
        "deadline": _plain(record.deadline),
        "completed_on": _plain(record.completed_on),
        "note": record.note,
    }
    row = db.execute(
        f"SELECT {_TASK_COLUMNS}{_TASK_FROM} WHERE t.code_key = ?", [values["code_key"]]
    ).fetchone()
    if row is None:
        cur = db.execute(
            "INSERT INTO task (code, code_key, title, doc_number, doc_date, issuer, doc_key,"
            " area, agency_id, supporting, deadline, completed_on, note, created_at,"
            " updated_at) VALUES (:code, :code_key, :title, :doc_number, :doc_date, :issuer,"
            " :doc_key, :area, :agency_id, :supporting, :deadline, :completed_on, :note,"
            " :now, :now)",
            {**values, "now": stamp},
        )
        _event(db, int(cur.lastrowid or 0), now, "created", note=source or None)
        return "created"
    old = _task(row)
    if record.completed_on is None and old.completed_on is not None:
        values["completed_on"] = old.completed_on.isoformat()
    changes: dict[str, list[Any]] = {}
    for name in _FIELDS:
        before = _plain(getattr(old, name))
        after = record.agency if name == "agency" else values[name]
        if name == "agency":
            if agency_id != old.agency_id:
                changes[name] = [before, after]
        elif _blank(before) != _blank(after):
            changes[name] = [before, after]
    if not changes:
        return "unchanged"
    values["now"] = stamp
    values["id"] = old.id
    db.execute(
        "UPDATE task SET code = :code, title = :title, doc_number = :doc_number,"
        " doc_date = :doc_date, issuer = :issuer, doc_key = :doc_key, area = :area,"
        " agency_id = :agency_id, supporting = :supporting, deadline = :deadline,"
        " completed_on = :completed_on, note = :note, updated_at = :now WHERE id = :id",
        values,
    )
    _event(db, old.id, now, "imported", changes=changes, note=source or None)
    return "updated"


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
