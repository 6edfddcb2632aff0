"""What a record is: kinds, the dataclasses, the row mappers, and reading records back.

Every other part of the package builds on this one: it maps ``feedback``, ``feedback_draft``,
``feedback_event`` and ``attachment`` rows to frozen dataclasses, writes history lines
(:func:`_add_event`), and holds the small shared helpers (text cleaning, due dates, the
once-per-update guard).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlite_utils import Database

from knowledge import workdays
from knowledge.clock import TZ
from knowledge.errors import AlreadyProcessed, FeedbackInputError, NotFound
from knowledge.feedback import tracking
from knowledge.feedback.lifecycle import OPEN_STATUSES, Status
from knowledge.settings import FeedbackConfig

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
R = TypeVar("R", bound="DataclassInstance")

KIND_LABELS: Mapping[str, str] = {
    "quy_dinh": "Phản ánh về quy định hành chính",
    "thai_do": "Thái độ phục vụ",
    "tre_hen": "Hồ sơ trễ hẹn",
    "kien_nghi": "Kiến nghị",
    "khac": "Khác",
}

# Kinds, in the order the citizen sees them.
KINDS = ("quy_dinh", "thai_do", "tre_hen", "kien_nghi", "khac")


# --- records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo or document kept by its Telegram file_id (the bytes stay with Telegram)."""

    id: int
    kind: str
    file_id: str
    file_unique_id: str | None
    file_name: str | None
    mime_type: str | None
    file_size: int | None


@dataclass(frozen=True, slots=True)
class Draft:
    """An unfinished submission: the conversation state of one citizen."""

    id: int
    user_id: int
    chat_id: int
    status: str
    step: str
    editing: bool
    kind: str | None
    procedure_code: str | None
    procedure_name: str | None
    content: str | None
    latitude: float | None
    longitude: float | None
    anonymous: bool | None
    contact_name: str | None
    contact_phone: str | None
    feedback_id: int | None
    created_at: datetime
    updated_at: datetime
    attachments: tuple[Attachment, ...] = ()

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class Feedback:
    """A submitted record."""

    id: int
    code: str
    draft_id: int | None
    user_id: int | None
    chat_id: int | None
    kind: str
    procedure_code: str | None
    procedure_name: str | None
    content: str
    latitude: float | None
    longitude: float | None
    anonymous: bool
    contact_name: str | None
    contact_phone: str | None
    consent_at: str | None
    consent_policy: str | None
    status: Status
    agency: str | None
    assignee_id: int | None
    assignee_name: str | None
    duplicate_of: str | None
    hidden: bool
    created_at: datetime
    updated_at: datetime
    due_date: date
    answered_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    acknowledged_at: datetime | None
    queue_chat_id: int | None
    queue_message_id: int | None
    erased_at: datetime | None
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def overdue(self, today: date) -> bool:
        """Open and past its due date."""
        return self.is_open and today > self.due_date

    def days_late(self, today: date) -> int:
        """Working days past the due date (0 when not overdue)."""
        if not self.overdue(today):
            return 0
        return max(1, workdays.working_days_between(self.due_date, today))


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a record's history: who did what, when."""

    id: int
    feedback_id: int
    at: datetime
    actor_kind: str
    actor_id: int | None
    actor_name: str | None
    agency: str | None
    action: str
    from_status: str | None
    to_status: str | None
    note: str | None
    public: bool


@dataclass(frozen=True, slots=True)
class Submission:
    """The result of :func:`submit`: the record and whether this call created it."""

    feedback: Feedback
    created: bool


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The record after an official's action, and the history line written."""

    feedback: Feedback
    event: Event


@dataclass(frozen=True, slots=True)
class RatingResult:
    """What a rating did: recorded now or before, reopened, or too late to reopen."""

    feedback: Feedback
    value: str
    created: bool
    reopened: bool
    too_late: bool


@dataclass(frozen=True, slots=True)
class Pending:
    """An official's action waiting for its text (reply, agency, reason, duplicate code)."""

    official_id: int
    chat_id: int
    feedback_id: int
    code: str
    action: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Erasure:
    """What :func:`erase_user_data` did."""

    records: int
    drafts: int
    queue_messages: tuple[tuple[int, int, str], ...]  # (chat_id, message_id, code) to blank


# --- helpers ----------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(TZ).isoformat(timespec="seconds")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _dicts(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _one(db: Database, sql: str, params: list[Any]) -> dict[str, Any] | None:
    rows = _dicts(db.execute(sql, params))
    return rows[0] if rows else None


def _from_row(cls: type[R], row: Mapping[str, Any], **converted: Any) -> R:
    """``cls`` from a row: each field from its column, or from ``converted`` when it needs work."""
    columns = {f.name: row[f.name] for f in fields(cls) if f.name not in converted}
    return cls(**columns, **converted)


def _attachment(row: Mapping[str, Any]) -> Attachment:
    return _from_row(Attachment, row)


def _draft_attachments(db: Database, draft_id: int) -> tuple[Attachment, ...]:
    rows = _dicts(
        db.execute("SELECT * FROM attachment WHERE draft_id = ? ORDER BY id", [draft_id])
    )
    return tuple(_attachment(r) for r in rows)


def _created_updated(row: Mapping[str, Any]) -> dict[str, datetime]:
    created = _dt(row["created_at"])
    updated = _dt(row["updated_at"])
    assert created is not None
    assert updated is not None
    return {"created_at": created, "updated_at": updated}


def _draft(db: Database, row: Mapping[str, Any]) -> Draft:
    anonymous = row["anonymous"]
    return _from_row(
        Draft,
        row,
        editing=bool(row["editing"]),
        anonymous=None if anonymous is None else bool(anonymous),
        attachments=_draft_attachments(db, row["id"]),
        **_created_updated(row),
    )


def _feedback(db: Database, row: Mapping[str, Any]) -> Feedback:
    rows = _dicts(
        db.execute("SELECT * FROM attachment WHERE feedback_id = ? ORDER BY id", [row["id"]])
    )
    return _from_row(
        Feedback,
        row,
        status=Status(row["status"]),
        anonymous=bool(row["anonymous"]),
        hidden=bool(row["hidden"]),
        due_date=date.fromisoformat(row["due_date"]),
        answered_at=_dt(row["answered_at"]),
        closed_at=_dt(row["closed_at"]),
        acknowledged_at=_dt(row["acknowledged_at"]),
        erased_at=_dt(row["erased_at"]),
        attachments=tuple(_attachment(r) for r in rows),
        **_created_updated(row),
    )


def _event(row: Mapping[str, Any]) -> Event:
    at = _dt(row["at"])
    assert at is not None
    return _from_row(Event, row, at=at, public=bool(row["public"]))


def _add_event(
    db: Database,
    feedback_id: int,
    now: datetime,
    action: str,
    *,
    actor_kind: str,
    actor_id: int | None = None,
    actor_name: str | None = None,
    agency: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
    public: bool = True,
) -> Event:
    cur = db.execute(
        "INSERT INTO feedback_event (feedback_id, at, actor_kind, actor_id, actor_name, agency,"
        " action, from_status, to_status, note, public) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            feedback_id,
            _iso(now),
            actor_kind,
            actor_id,
            actor_name,
            agency,
            action,
            from_status,
            to_status,
            note,
            int(public),
        ],
    )
    row = _one(db, "SELECT * FROM feedback_event WHERE id = ?", [cur.lastrowid])
    assert row is not None
    return _event(row)


def clean_text(text: str) -> str:
    """NFC, no control characters except newlines, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text.strip()


def due_date_for(start: date, kind: str, cfg: FeedbackConfig) -> date:
    """The due date: the kind's working days after ``start`` (Vietnamese holidays skipped)."""
    return workdays.add_working_days(start, int(cfg.deadline_days.get(kind, 10)))


def once(db: Database, update_id: int | None, now: datetime, fn: Callable[[], T]) -> T:
    """Run ``fn`` in one transaction with the record that ``update_id`` was handled.

    A redelivered update raises :class:`AlreadyProcessed` and changes nothing.
    """
    with db.atomic():
        if update_id is not None:
            cur = db.execute(
                "INSERT OR IGNORE INTO feedback_seen_update (update_id, at) VALUES (?, ?)",
                [update_id, _iso(now)],
            )
            if cur.rowcount == 0:
                raise AlreadyProcessed(str(update_id))
        return fn()


def seen(db: Database, update_id: int) -> bool:
    """True when this update already changed something (a redelivery)."""
    row = db.execute(
        "SELECT 1 FROM feedback_seen_update WHERE update_id = ?", [update_id]
    ).fetchone()
    return row is not None


# --- reading ----------------------------------------------------------------------------


def get(db: Database, feedback_id: int) -> Feedback:
    """The record with this id."""
    row = _one(db, "SELECT * FROM feedback WHERE id = ?", [feedback_id])
    if row is None:
        raise NotFound(str(feedback_id))
    return _feedback(db, row)


def by_code(db: Database, code: str) -> Feedback:
    """The record with this tracking code (officials); :class:`NotFound` otherwise."""
    canonical = tracking.normalize(code)
    row = _one(db, "SELECT * FROM feedback WHERE code = ?", [canonical]) if canonical else None
    if row is None:
        raise NotFound(code)
    return _feedback(db, row)


def find_own(db: Database, code: str, user_id: int) -> Feedback:
    """The citizen's own record; someone else's code is exactly as unknown as a missing one."""
    canonical = tracking.normalize(code)
    if canonical is None:
        raise FeedbackInputError("bad_code")
    row = _one(db, "SELECT * FROM feedback WHERE code = ? AND user_id = ?", [canonical, user_id])
    if row is None:
        raise NotFound(code)
    return _feedback(db, row)


def history(db: Database, feedback_id: int, *, public_only: bool) -> list[Event]:
    """The record's history, oldest first (only the citizen-visible lines if asked)."""
    sql = "SELECT * FROM feedback_event WHERE feedback_id = ?"
    if public_only:
        sql += " AND public = 1"
    return [_event(r) for r in _dicts(db.execute(sql + " ORDER BY id", [feedback_id]))]


def latest_answer(db: Database, feedback_id: int) -> Event | None:
    """The most recent official reply, if any."""
    row = _one(
        db,
        "SELECT * FROM feedback_event WHERE feedback_id = ? AND action = 'reply'"
        " ORDER BY id DESC LIMIT 1",
        [feedback_id],
    )
    return _event(row) if row else None


def rating_of(db: Database, feedback_id: int, answer_event_id: int) -> str | None:
    """The rating given to one answer, if any."""
    row = db.execute(
        "SELECT value FROM rating WHERE feedback_id = ? AND answer_event_id = ?",
        [feedback_id, answer_event_id],
    ).fetchone()
    return str(row[0]) if row else None


def user_records(db: Database, user_id: int) -> list[Feedback]:
    """Every record the citizen filed, newest first."""
    rows = _dicts(
        db.execute("SELECT * FROM feedback WHERE user_id = ? ORDER BY id DESC", [user_id])
    )
    return [_feedback(db, r) for r in rows]


def list_new(db: Database, limit: int = 30) -> list[Feedback]:
    """Visible records nobody has taken yet (new and reopened), oldest first."""
    rows = _dicts(
        db.execute(
            "SELECT * FROM feedback WHERE status IN (?, ?) AND hidden = 0"
            " ORDER BY created_at, id LIMIT ?",
            [Status.NEW, Status.REOPENED, limit],
        )
    )
    return [_feedback(db, r) for r in rows]


def list_overdue(db: Database, today: date, limit: int = 50) -> list[Feedback]:
    """Visible open records past their due date, the most overdue first."""
    marks = ",".join("?" for _ in OPEN_STATUSES)
    rows = _dicts(
        db.execute(
            f"SELECT * FROM feedback WHERE status IN ({marks}) AND hidden = 0"
            " AND due_date < ? ORDER BY due_date, id LIMIT ?",
            [*OPEN_STATUSES, today.isoformat(), limit],
        )
    )
    return [_feedback(db, r) for r in rows]


def count_overdue(db: Database, today: date) -> int:
    """How many visible open records are past their due date."""
    marks = ",".join("?" for _ in OPEN_STATUSES)
    row = db.execute(
        f"SELECT count(*) FROM feedback WHERE status IN ({marks}) AND hidden = 0 AND due_date < ?",
        [*OPEN_STATUSES, today.isoformat()],
    ).fetchone()
    return int(row[0])
