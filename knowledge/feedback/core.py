"""Citizens' feedback (phản ánh, kiến nghị): drafts, records, history, queue, ratings.

The draft *is* the conversation state: every step of the guided conversation is one
committed write to ``feedback_draft``, so a restart never loses where a citizen was.
:func:`submit` turns a draft into a ``feedback`` row exactly once (``draft_id`` is UNIQUE)
and the caller tells the citizen "đã ghi nhận" only after it returned.
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlite_utils import Database

from knowledge import users, workdays
from knowledge.clock import TZ
from knowledge.errors import InvalidInput, KnowledgeError, NotFound, RateLimited
from knowledge.feedback import tracking
from knowledge.settings import FeedbackConfig, Official

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
STATUS_LABELS: Mapping[str, str] = {
    "moi": "Mới tiếp nhận",
    "dang_xu_ly": "Đang xử lý",
    "da_chuyen": "Đã chuyển cơ quan khác",
    "mo_lai": "Mở lại",
    "da_tra_loi": "Đã trả lời",
    "khong_tham_quyen": "Không thuộc thẩm quyền",
    "trung": "Trùng",
    "tu_choi": "Từ chối",
}
RATING_LABELS: Mapping[str, str] = {
    "hai_long": "Hài lòng",
    "binh_thuong": "Bình thường",
    "khong_hai_long": "Không hài lòng",
}

# Kinds, in the order the citizen sees them.
KINDS = ("quy_dinh", "thai_do", "tre_hen", "kien_nghi", "khac")

# Conversation steps.
STEP_KIND = "kind"
STEP_PROCEDURE = "procedure"
STEP_CONTENT = "content"
STEP_ATTACHMENTS = "attachments"
STEP_CONTACT = "contact"
STEP_NAME = "contact_name"
STEP_PHONE = "contact_phone"
STEP_SUMMARY = "summary"
STEPS = (
    STEP_KIND,
    STEP_PROCEDURE,
    STEP_CONTENT,
    STEP_ATTACHMENTS,
    STEP_CONTACT,
    STEP_NAME,
    STEP_PHONE,
    STEP_SUMMARY,
)
TEXT_STEPS = frozenset({STEP_PROCEDURE, STEP_CONTENT, STEP_ATTACHMENTS, STEP_NAME, STEP_PHONE})
EDIT_FIELDS: Mapping[str, str] = {
    "kind": STEP_KIND,
    "procedure": STEP_PROCEDURE,
    "content": STEP_CONTENT,
    "attachments": STEP_ATTACHMENTS,
    "contact": STEP_CONTACT,
}

# Statuses of a record.
NEW = "moi"
IN_PROGRESS = "dang_xu_ly"
FORWARDED = "da_chuyen"
REOPENED = "mo_lai"
ANSWERED = "da_tra_loi"
NOT_COMPETENT = "khong_tham_quyen"
DUPLICATE = "trung"
REJECTED = "tu_choi"
OPEN_STATUSES = (NEW, IN_PROGRESS, FORWARDED, REOPENED)
CLOSED_STATUSES = (ANSWERED, NOT_COMPETENT, DUPLICATE, REJECTED)
STATUSES = OPEN_STATUSES + CLOSED_STATUSES

# Officials' actions and the status each leads to.
ACTIONS: Mapping[str, str] = {
    "claim": IN_PROGRESS,
    "forward": FORWARDED,
    "reply": ANSWERED,
    "not_competent": NOT_COMPETENT,
    "duplicate": DUPLICATE,
    "reject": REJECTED,
}
TEXT_ACTIONS = frozenset({"forward", "reply", "not_competent", "duplicate", "reject"})

RATINGS = ("hai_long", "binh_thuong", "khong_hai_long")
UNSATISFIED = "khong_hai_long"

MIN_CONTENT_CHARS = 10
MAX_NAME_CHARS = 80
MAX_NOTE_CHARS = 3000
MAX_ATTACHMENTS = 5
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram (getFile)
PENDING_MAX_AGE = timedelta(hours=2)
ALLOWED_MIME = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/heic",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
    }
)
ALLOWED_EXTENSIONS = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".heic", ".doc", ".docx", ".xls", ".xlsx", ".txt"}
)
ERASED_TEXT = "[đã xoá theo yêu cầu của người gửi]"


class Stale(KnowledgeError):
    """A button or message that belongs to a step or draft that is no longer current."""


class DraftExpired(KnowledgeError):
    """The citizen's draft was abandoned for longer than the expiry and is gone."""


class AlreadyProcessed(KnowledgeError):
    """This Telegram update was handled before (a redelivery)."""


class FeedbackInputError(InvalidInput):
    """Input refused with a reason key the adapters turn into a polite message."""

    def __init__(self, reason: str, **values: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


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
    status: str
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


# --- drafts -----------------------------------------------------------------------------


def _expired(row: Mapping[str, Any], now: datetime, cfg: FeedbackConfig) -> bool:
    updated = _dt(row["updated_at"])
    assert updated is not None
    return now - updated > timedelta(hours=cfg.draft_expiry_hours)


def _expire(db: Database, draft_id: int, now: datetime) -> None:
    with db.atomic():
        db.execute("DELETE FROM attachment WHERE draft_id = ? AND feedback_id IS NULL", [draft_id])
        db.execute(
            "UPDATE feedback_draft SET status = 'expired', content = NULL, contact_name = NULL,"
            " contact_phone = NULL, latitude = NULL, longitude = NULL, updated_at = ?"
            " WHERE id = ?",
            [_iso(now), draft_id],
        )


def get_open_draft(db: Database, user_id: int, now: datetime, cfg: FeedbackConfig) -> Draft | None:
    """The citizen's open draft, or None (an abandoned one is expired on the way)."""
    row = _one(db, "SELECT * FROM feedback_draft WHERE user_id = ? AND status = 'open'", [user_id])
    if row is None:
        return None
    if _expired(row, now, cfg):
        _expire(db, row["id"], now)
        return None
    return _draft(db, row)


def start_draft(
    db: Database,
    user_id: int,
    chat_id: int,
    now: datetime,
    cfg: FeedbackConfig,
    *,
    procedure: tuple[str, str] | None = None,
) -> tuple[Draft, bool]:
    """Open a draft (or return the open one); ``procedure`` is (code, name) from a card.

    Returns (draft, created). An existing draft keeps its step; a card's procedure is
    attached to it. Refuses with :class:`RateLimited` when the citizen is at the limit.
    """
    with db.atomic():
        existing = get_open_draft(db, user_id, now, cfg)
        if existing is not None:
            if procedure is not None:
                db.execute(
                    "UPDATE feedback_draft SET procedure_code = ?, procedure_name = ?,"
                    " updated_at = ? WHERE id = ?",
                    [procedure[0], procedure[1], _iso(now), existing.id],
                )
                if existing.step == STEP_PROCEDURE:
                    _move(db, existing, STEP_CONTENT, now)
            return _reload(db, existing.id), False
        check_rate_limit(db, user_id, now, cfg)
        code, name = procedure if procedure is not None else (None, None)
        cur = db.execute(
            "INSERT INTO feedback_draft (user_id, chat_id, status, step, editing, procedure_code,"
            " procedure_name, created_at, updated_at) VALUES (?, ?, 'open', ?, 0, ?, ?, ?, ?)",
            [user_id, chat_id, STEP_KIND, code, name, _iso(now), _iso(now)],
        )
        assert cur.lastrowid is not None
        return _reload(db, cur.lastrowid), True


def _reload(db: Database, draft_id: int) -> Draft:
    row = _one(db, "SELECT * FROM feedback_draft WHERE id = ?", [draft_id])
    if row is None:
        raise NotFound("draft")
    return _draft(db, row)


def _current(
    db: Database,
    user_id: int,
    draft_id: int | None,
    now: datetime,
    cfg: FeedbackConfig,
    steps: tuple[str, ...] | frozenset[str] | None,
) -> Draft:
    """The citizen's open draft, checked against the button's draft id and expected step."""
    row = _one(db, "SELECT * FROM feedback_draft WHERE user_id = ? AND status = 'open'", [user_id])
    if row is None:
        if draft_id is not None:
            old = _one(
                db,
                "SELECT status FROM feedback_draft WHERE id = ? AND user_id = ?",
                [draft_id, user_id],
            )
            if old is not None and old["status"] == "expired":
                raise DraftExpired(str(draft_id))
        raise Stale("no open draft")
    if _expired(row, now, cfg):
        # No write here: the caller's transaction rolls back; expire_drafts() persists it.
        raise DraftExpired(str(row["id"]))
    if draft_id is not None and row["id"] != draft_id:
        raise Stale("another draft")
    if steps is not None and row["step"] not in steps:
        raise Stale(f"step is {row['step']}")
    return _draft(db, row)


def _move(db: Database, draft: Draft, natural_next: str, now: datetime, **values: Any) -> None:
    """Save ``values`` and go to the next step (back to the summary when editing)."""
    step = STEP_SUMMARY if draft.editing else natural_next
    editing = 0 if step == STEP_SUMMARY else int(draft.editing)
    values = {**values, "step": step, "editing": editing, "updated_at": _iso(now)}
    cols = ", ".join(f"{k} = ?" for k in values)
    db.execute(f"UPDATE feedback_draft SET {cols} WHERE id = ?", [*values.values(), draft.id])


def _after_kind(draft: Draft) -> str:
    return STEP_CONTENT if draft.procedure_code else STEP_PROCEDURE


def set_kind(
    db: Database, user_id: int, draft_id: int, kind: str, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Step 1: the kind of feedback."""
    if kind not in KINDS:
        raise Stale(kind)
    with db.atomic():
        draft = _current(db, user_id, draft_id, now, cfg, (STEP_KIND,))
        _move(db, draft, _after_kind(draft), now, kind=kind)
        return _reload(db, draft.id)


def set_procedure(
    db: Database,
    user_id: int,
    draft_id: int,
    procedure: tuple[str, str] | None,
    now: datetime,
    cfg: FeedbackConfig,
) -> Draft:
    """Step 2: the related procedure (code, name), or None to skip."""
    code, name = procedure if procedure is not None else (None, None)
    with db.atomic():
        draft = _current(db, user_id, draft_id, now, cfg, (STEP_PROCEDURE,))
        _move(db, draft, STEP_CONTENT, now, procedure_code=code, procedure_name=name)
        return _reload(db, draft.id)


def current_draft(
    db: Database, user_id: int, now: datetime, cfg: FeedbackConfig, steps: frozenset[str]
) -> Draft:
    """The open draft when it is at one of ``steps`` (else :class:`Stale`)."""
    with db.atomic():
        return _current(db, user_id, None, now, cfg, steps)


def set_content(
    db: Database, user_id: int, text: str, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Step 3: the content, within the configured length."""
    content = clean_text(text)
    if not content:
        raise FeedbackInputError("empty")
    if len(content) > cfg.max_text_chars:
        raise FeedbackInputError("too_long", length=len(content), limit=cfg.max_text_chars)
    if len(content) < MIN_CONTENT_CHARS:
        raise FeedbackInputError("too_short", minimum=MIN_CONTENT_CHARS)
    with db.atomic():
        draft = _current(db, user_id, None, now, cfg, (STEP_CONTENT,))
        _move(db, draft, STEP_ATTACHMENTS, now, content=content)
        return _reload(db, draft.id)


def check_file(kind: str, file_size: int | None, mime_type: str | None, name: str | None) -> None:
    """Refuse unsupported types and files over what the bot can download."""
    if kind not in {"photo", "document"}:
        raise FeedbackInputError("unsupported_file")
    if file_size is not None and file_size > MAX_FILE_BYTES:
        raise FeedbackInputError("file_too_big", limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    if kind == "document":
        ext = ("." + name.rsplit(".", 1)[-1].lower()) if name and "." in name else ""
        if (mime_type or "").lower() not in ALLOWED_MIME or (
            ext and ext not in ALLOWED_EXTENSIONS
        ):
            raise FeedbackInputError("unsupported_file")


def add_attachment(
    db: Database,
    user_id: int,
    now: datetime,
    cfg: FeedbackConfig,
    *,
    kind: str,
    file_id: str,
    file_unique_id: str | None = None,
    file_name: str | None = None,
    mime_type: str | None = None,
    file_size: int | None = None,
) -> Draft:
    """Step 4: keep a photo or document (by file_id) with the draft."""
    check_file(kind, file_size, mime_type, file_name)
    with db.atomic():
        draft = _current(db, user_id, None, now, cfg, (STEP_ATTACHMENTS,))
        if len(draft.attachments) >= MAX_ATTACHMENTS:
            raise FeedbackInputError("too_many_files", limit=MAX_ATTACHMENTS)
        if file_unique_id and any(a.file_unique_id == file_unique_id for a in draft.attachments):
            return draft
        db.execute(
            "INSERT INTO attachment (draft_id, kind, file_id, file_unique_id, file_name,"
            " mime_type, file_size, created_at) VALUES (?,?,?,?,?,?,?,?)",
            [draft.id, kind, file_id, file_unique_id, file_name, mime_type, file_size, _iso(now)],
        )
        db.execute("UPDATE feedback_draft SET updated_at = ? WHERE id = ?", [_iso(now), draft.id])
        return _reload(db, draft.id)


def set_location(
    db: Database,
    user_id: int,
    latitude: float,
    longitude: float,
    now: datetime,
    cfg: FeedbackConfig,
) -> Draft:
    """Step 4: the place it is about (one location; a new one replaces the old)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise FeedbackInputError("bad_location")
    with db.atomic():
        draft = _current(db, user_id, None, now, cfg, (STEP_ATTACHMENTS,))
        db.execute(
            "UPDATE feedback_draft SET latitude = ?, longitude = ?, updated_at = ? WHERE id = ?",
            [latitude, longitude, _iso(now), draft.id],
        )
        return _reload(db, draft.id)


def clear_attachments(
    db: Database, user_id: int, draft_id: int, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Remove every attachment and the location from the draft."""
    with db.atomic():
        draft = _current(db, user_id, draft_id, now, cfg, (STEP_ATTACHMENTS,))
        db.execute("DELETE FROM attachment WHERE draft_id = ? AND feedback_id IS NULL", [draft.id])
        db.execute(
            "UPDATE feedback_draft SET latitude = NULL, longitude = NULL, updated_at = ?"
            " WHERE id = ?",
            [_iso(now), draft.id],
        )
        return _reload(db, draft.id)


def finish_attachments(
    db: Database, user_id: int, draft_id: int, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Step 4 done (with or without attachments)."""
    with db.atomic():
        draft = _current(db, user_id, draft_id, now, cfg, (STEP_ATTACHMENTS,))
        _move(db, draft, STEP_CONTACT, now)
        return _reload(db, draft.id)


def choose_contact(
    db: Database, user_id: int, draft_id: int, consent: bool, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Step 5: explicit consent to leave name and phone, or anonymous.

    Consent is recorded in ``chat_user`` with its time and the policy version shown.
    """
    with db.atomic():
        draft = _current(db, user_id, draft_id, now, cfg, (STEP_CONTACT,))
        if consent:
            users.record_consent(db, user_id, _iso(now), cfg.policy_version)
            db.execute(
                "UPDATE feedback_draft SET step = ?, anonymous = 0, updated_at = ? WHERE id = ?",
                [STEP_NAME, _iso(now), draft.id],
            )
        else:
            db.execute(
                "UPDATE feedback_draft SET step = ?, editing = 0, anonymous = 1,"
                " contact_name = NULL, contact_phone = NULL, updated_at = ? WHERE id = ?",
                [STEP_SUMMARY, _iso(now), draft.id],
            )
        return _reload(db, draft.id)


_NAME_OK = re.compile(r"^[^\d<>@#$%^*=+{}\[\]|\\/~`]+$")


def set_contact_name(
    db: Database, user_id: int, text: str, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Step 5a: the name to contact."""
    name = " ".join(clean_text(text).split())
    if len(name) < 2 or len(name) > MAX_NAME_CHARS or not _NAME_OK.match(name):
        raise FeedbackInputError("bad_name", limit=MAX_NAME_CHARS)
    with db.atomic():
        draft = _current(db, user_id, None, now, cfg, (STEP_NAME,))
        db.execute(
            "UPDATE feedback_draft SET contact_name = ?, step = ?, updated_at = ? WHERE id = ?",
            [name, STEP_PHONE, _iso(now), draft.id],
        )
        return _reload(db, draft.id)


def normalize_phone(text: str) -> str | None:
    """A Vietnamese phone number as 0xxxxxxxxx (mobile or landline), or None."""
    compact = re.sub(r"[\s.\-()]", "", text)
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) in (11, 12):
        compact = "0" + compact[2:]
    if re.fullmatch(r"0\d{9,10}", compact):
        return compact
    return None


def set_contact_phone(
    db: Database, user_id: int, text: str, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Step 5b: the phone number; then the summary."""
    phone = normalize_phone(clean_text(text))
    if phone is None:
        raise FeedbackInputError("bad_phone")
    with db.atomic():
        draft = _current(db, user_id, None, now, cfg, (STEP_PHONE,))
        db.execute(
            "UPDATE feedback_draft SET contact_phone = ?, step = ?, editing = 0, updated_at = ?"
            " WHERE id = ?",
            [phone, STEP_SUMMARY, _iso(now), draft.id],
        )
        return _reload(db, draft.id)


def start_edit(
    db: Database, user_id: int, draft_id: int, what: str, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """From the summary, go back to one step; finishing it returns to the summary."""
    step = EDIT_FIELDS.get(what)
    if step is None:
        raise Stale(what)
    with db.atomic():
        draft = _current(db, user_id, draft_id, now, cfg, (STEP_SUMMARY,))
        db.execute(
            "UPDATE feedback_draft SET step = ?, editing = 1, updated_at = ? WHERE id = ?",
            [step, _iso(now), draft.id],
        )
        return _reload(db, draft.id)


def cancel_draft(db: Database, user_id: int, now: datetime) -> bool:
    """Drop the citizen's open draft and its attachments; False when there was none."""
    with db.atomic():
        row = _one(
            db, "SELECT id FROM feedback_draft WHERE user_id = ? AND status = 'open'", [user_id]
        )
        if row is None:
            return False
        db.execute(
            "DELETE FROM attachment WHERE draft_id = ? AND feedback_id IS NULL", [row["id"]]
        )
        db.execute(
            "UPDATE feedback_draft SET status = 'cancelled', content = NULL, contact_name = NULL,"
            " contact_phone = NULL, latitude = NULL, longitude = NULL, updated_at = ?"
            " WHERE id = ?",
            [_iso(now), row["id"]],
        )
        return True


def active_drafts(db: Database, now: datetime, cfg: FeedbackConfig) -> dict[int, str]:
    """user_id -> step of every open draft that has not expired (for the in-memory index)."""
    expire_drafts(db, now, cfg)
    rows = db.execute("SELECT user_id, step FROM feedback_draft WHERE status = 'open'").fetchall()
    return {int(user_id): str(step) for user_id, step in rows}


def expire_drafts(db: Database, now: datetime, cfg: FeedbackConfig) -> list[int]:
    """Expire every draft untouched for ``draft_expiry_hours``; returns their users."""
    limit = _iso(now - timedelta(hours=cfg.draft_expiry_hours))
    with db.atomic():
        rows = db.execute(
            "SELECT id, user_id FROM feedback_draft WHERE status = 'open' AND updated_at < ?",
            [limit],
        ).fetchall()
        for draft_id, _ in rows:
            _expire(db, draft_id, now)
    return [int(user_id) for _, user_id in rows]


# --- submission -------------------------------------------------------------------------


def check_rate_limit(db: Database, user_id: int, now: datetime, cfg: FeedbackConfig) -> None:
    """Raise :class:`RateLimited` when the citizen filed the maximum in the window."""
    since = now - timedelta(minutes=cfg.rate_limit_minutes)
    rows = db.execute(
        "SELECT created_at FROM feedback WHERE user_id = ? AND created_at > ? ORDER BY created_at",
        [user_id, _iso(since)],
    ).fetchall()
    if len(rows) >= cfg.rate_limit_count:
        oldest = _dt(rows[len(rows) - cfg.rate_limit_count][0])
        assert oldest is not None
        free_at = oldest + timedelta(minutes=cfg.rate_limit_minutes)
        raise RateLimited(max(1, math.ceil((free_at - now).total_seconds())))


def submit(
    db: Database,
    user_id: int,
    draft_id: int,
    now: datetime,
    cfg: FeedbackConfig,
    *,
    new_code: Callable[[], str] = tracking.new_code,
) -> Submission:
    """Turn the draft into a record, exactly once, in one transaction.

    A second call for the same draft (a double tap, a redelivery) returns the same record
    with ``created=False``. A blocked citizen's record is kept but hidden from the queue.
    """
    with db.atomic():
        row = _one(
            db, "SELECT * FROM feedback_draft WHERE id = ? AND user_id = ?", [draft_id, user_id]
        )
        if row is None:
            raise Stale("no such draft")
        if row["status"] == "submitted":
            done = _one(db, "SELECT * FROM feedback WHERE draft_id = ?", [draft_id])
            assert done is not None
            return Submission(_feedback(db, done), created=False)
        draft = _current(db, user_id, draft_id, now, cfg, (STEP_SUMMARY,))
        if not draft.kind or not draft.content or draft.anonymous is None:
            raise Stale("incomplete draft")
        check_rate_limit(db, user_id, now, cfg)
        hidden = users.is_blocked(db, user_id)
        consent_at = consent_policy = None
        if not draft.anonymous:
            profile = users.profile(db, user_id) or {}
            consent_at = str(profile.get("consent_at") or _iso(now))
            consent_policy = str(profile.get("consent_policy") or cfg.policy_version)
        due = due_date_for(now.astimezone(TZ).date(), draft.kind, cfg)
        feedback_id: int | None = None
        for _attempt in range(20):
            try:
                with db.atomic():
                    cur = db.execute(
                        "INSERT INTO feedback (code, draft_id, user_id, chat_id, kind,"
                        " procedure_code, procedure_name, content, latitude, longitude,"
                        " anonymous, contact_name, contact_phone, consent_at, consent_policy,"
                        " status, hidden, created_at, updated_at, due_date)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        [
                            new_code(),
                            draft.id,
                            user_id,
                            draft.chat_id,
                            draft.kind,
                            draft.procedure_code,
                            draft.procedure_name,
                            draft.content,
                            draft.latitude,
                            draft.longitude,
                            int(bool(draft.anonymous)),
                            None if draft.anonymous else draft.contact_name,
                            None if draft.anonymous else draft.contact_phone,
                            consent_at,
                            consent_policy,
                            NEW,
                            int(hidden),
                            _iso(now),
                            _iso(now),
                            due.isoformat(),
                        ],
                    )
                    feedback_id = cur.lastrowid
                break
            except sqlite3.IntegrityError as exc:
                if "feedback.code" not in str(exc):
                    raise
        if feedback_id is None:
            raise KnowledgeError("could not draw a free tracking code")
        db.execute(
            "UPDATE attachment SET feedback_id = ?, draft_id = NULL WHERE draft_id = ?",
            [feedback_id, draft.id],
        )
        # The record holds the data now; the draft keeps only the link.
        db.execute(
            "UPDATE feedback_draft SET status = 'submitted', feedback_id = ?, content = NULL,"
            " contact_name = NULL, contact_phone = NULL, latitude = NULL, longitude = NULL,"
            " updated_at = ? WHERE id = ?",
            [feedback_id, _iso(now), draft.id],
        )
        _add_event(
            db,
            feedback_id,
            now,
            "submitted",
            actor_kind="citizen",
            actor_id=user_id,
            to_status=NEW,
        )
        return Submission(get(db, feedback_id), created=True)


def mark_acknowledged(db: Database, feedback_id: int, now: datetime) -> None:
    """Remember that the citizen received "đã ghi nhận"."""
    with db.atomic():
        db.execute(
            "UPDATE feedback SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
            [_iso(now), feedback_id],
        )


def set_queue_message(db: Database, feedback_id: int, chat_id: int, message_id: int) -> None:
    """Remember where the record was posted in the officials' chat."""
    with db.atomic():
        db.execute(
            "UPDATE feedback SET queue_chat_id = ?, queue_message_id = ? WHERE id = ?",
            [chat_id, message_id, feedback_id],
        )


def unposted(db: Database, limit: int = 50) -> list[Feedback]:
    """Visible open records not (or no longer, after a reopening) in the officials' chat."""
    marks = ",".join("?" for _ in OPEN_STATUSES)
    rows = _dicts(
        db.execute(
            f"SELECT * FROM feedback WHERE queue_message_id IS NULL AND hidden = 0"
            f" AND erased_at IS NULL AND status IN ({marks}) ORDER BY id LIMIT ?",
            [*OPEN_STATUSES, limit],
        )
    )
    return [_feedback(db, r) for r in rows]


def unacknowledged(db: Database, before: datetime) -> list[Feedback]:
    """Records whose "đã ghi nhận" never reached the citizen (a crash after the commit)."""
    rows = _dicts(
        db.execute(
            "SELECT * FROM feedback WHERE acknowledged_at IS NULL AND user_id IS NOT NULL"
            " AND created_at < ? ORDER BY id",
            [_iso(before)],
        )
    )
    return [_feedback(db, r) for r in rows]


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
            [NEW, REOPENED, limit],
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


# --- officials --------------------------------------------------------------------------


def act(
    db: Database,
    code: str,
    official: Official,
    action: str,
    now: datetime,
    cfg: FeedbackConfig,
    note: str | None = None,
) -> ActionResult:
    """An official's action on a record: status change plus a history line with who and when."""
    if action not in ACTIONS:
        raise FeedbackInputError("bad_action")
    text = clean_text(note or "")
    if action in TEXT_ACTIONS and not text:
        raise FeedbackInputError("empty")
    if len(text) > MAX_NOTE_CHARS:
        raise FeedbackInputError("too_long", length=len(text), limit=MAX_NOTE_CHARS)
    with db.atomic():
        record = by_code(db, code)
        if not record.is_open:
            raise FeedbackInputError("closed", status=record.status)
        if action == "claim" and record.status == IN_PROGRESS:
            raise FeedbackInputError("already_claimed", name=record.assignee_name or "")
        to_status = ACTIONS[action]
        updates: dict[str, Any] = {"status": to_status, "updated_at": _iso(now)}
        if action == "claim":
            updates |= {
                "agency": official.agency,
                "assignee_id": official.telegram_id,
                "assignee_name": official.name,
            }
        elif action == "forward":
            updates |= {"agency": text, "assignee_id": None, "assignee_name": None}
        elif action == "duplicate":
            other = tracking.normalize(text)
            if other is None:
                raise FeedbackInputError("bad_code")
            if other == record.code:
                raise FeedbackInputError("self_duplicate")
            by_code(db, other)  # NotFound when it does not exist
            updates["duplicate_of"] = other
            text = other
        if action == "reply":
            updates["answered_at"] = _iso(now)
        if to_status in CLOSED_STATUSES:
            updates["closed_at"] = _iso(now)
        cols = ", ".join(f"{k} = ?" for k in updates)
        db.execute(f"UPDATE feedback SET {cols} WHERE id = ?", [*updates.values(), record.id])
        event = _add_event(
            db,
            record.id,
            now,
            action,
            actor_kind="official",
            actor_id=official.telegram_id,
            actor_name=official.name,
            agency=official.agency,
            from_status=record.status,
            to_status=to_status,
            note=text or None,
        )
        db.execute(
            "DELETE FROM feedback_pending_action WHERE official_id = ?", [official.telegram_id]
        )
        return ActionResult(get(db, record.id), event)


def set_pending(
    db: Database, official_id: int, chat_id: int, code: str, action: str, now: datetime
) -> Feedback:
    """Remember that the official's next message in ``chat_id`` is the text for ``action``."""
    if action not in TEXT_ACTIONS:
        raise FeedbackInputError("bad_action")
    with db.atomic():
        record = by_code(db, code)
        if not record.is_open:
            raise FeedbackInputError("closed", status=record.status)
        db.execute(
            "INSERT INTO feedback_pending_action (official_id, chat_id, feedback_id, action,"
            " created_at) VALUES (?,?,?,?,?) ON CONFLICT (official_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, feedback_id = excluded.feedback_id,"
            " action = excluded.action, created_at = excluded.created_at",
            [official_id, chat_id, record.id, action, _iso(now)],
        )
        return record


def get_pending(db: Database, official_id: int, now: datetime) -> Pending | None:
    """The official's pending action, unless it is older than two hours."""
    row = _one(
        db,
        "SELECT p.*, f.code FROM feedback_pending_action p JOIN feedback f"
        " ON f.id = p.feedback_id WHERE p.official_id = ?",
        [official_id],
    )
    if row is None:
        return None
    created = _dt(row["created_at"])
    assert created is not None
    if now - created > PENDING_MAX_AGE:
        clear_pending(db, official_id)
        return None
    return Pending(
        official_id=row["official_id"],
        chat_id=row["chat_id"],
        feedback_id=row["feedback_id"],
        code=row["code"],
        action=row["action"],
        created_at=created,
    )


def clear_pending(db: Database, official_id: int) -> bool:
    """Forget the official's pending action; False when there was none."""
    with db.atomic():
        cur = db.execute(
            "DELETE FROM feedback_pending_action WHERE official_id = ?", [official_id]
        )
        return cur.rowcount > 0


def pending_index(db: Database) -> dict[int, int]:
    """official_id -> chat_id of every pending action (for the in-memory index)."""
    rows = db.execute("SELECT official_id, chat_id FROM feedback_pending_action").fetchall()
    return {int(a): int(b) for a, b in rows}


def block(
    db: Database, target: str, official: Official, now: datetime, *, blocked: bool = True
) -> tuple[int, int]:
    """Block (or unblock) the citizen behind a user id or tracking code.

    Their records are kept and hidden from the queue (or shown again); returns
    (user_id, records affected).
    """
    target = target.strip()
    with db.atomic():
        if re.fullmatch(r"\d{1,15}", target):
            user_id = int(target)
        else:
            record = by_code(db, target)
            if record.user_id is None:
                raise NotFound(target)
            user_id = record.user_id
        users.set_blocked(db, user_id, blocked)
        rows = db.execute(
            "SELECT id FROM feedback WHERE user_id = ? AND hidden = ?", [user_id, int(not blocked)]
        ).fetchall()
        for (feedback_id,) in rows:
            db.execute(
                "UPDATE feedback SET hidden = ?, updated_at = ? WHERE id = ?",
                [int(blocked), _iso(now), feedback_id],
            )
            _add_event(
                db,
                feedback_id,
                now,
                "hidden" if blocked else "unhidden",
                actor_kind="official",
                actor_id=official.telegram_id,
                actor_name=official.name,
                agency=official.agency,
                public=False,
            )
        return user_id, len(rows)


# --- citizen after the answer -----------------------------------------------------------


def rate(
    db: Database,
    user_id: int,
    code: str,
    answer_event_id: int,
    value: str,
    now: datetime,
    cfg: FeedbackConfig,
) -> RatingResult:
    """One-tap rating of the latest answer; "không hài lòng" in time reopens the record."""
    if value not in RATINGS:
        raise Stale(value)
    with db.atomic():
        record = find_own(db, code, user_id)
        answer = latest_answer(db, record.id)
        if answer is None or answer.id != answer_event_id:
            raise Stale("not the latest answer")
        given = rating_of(db, record.id, answer_event_id)
        if given is not None:
            return RatingResult(record, given, created=False, reopened=False, too_late=False)
        db.execute(
            "INSERT INTO rating (feedback_id, answer_event_id, value, at) VALUES (?,?,?,?)",
            [record.id, answer_event_id, value, _iso(now)],
        )
        _add_event(db, record.id, now, "rated", actor_kind="citizen", actor_id=user_id, note=value)
        reopened = too_late = False
        if value == UNSATISFIED:
            answered = record.answered_at or answer.at
            if record.status == ANSWERED and now - answered <= timedelta(days=cfg.reopen_days):
                due = due_date_for(now.astimezone(TZ).date(), record.kind, cfg)
                # queue_message_id NULL: the queue poster posts it again, as reopened.
                db.execute(
                    "UPDATE feedback SET status = ?, closed_at = NULL, reopen_count ="
                    " reopen_count + 1, due_date = ?, updated_at = ?, queue_message_id = NULL"
                    " WHERE id = ?",
                    [REOPENED, due.isoformat(), _iso(now), record.id],
                )
                _add_event(
                    db,
                    record.id,
                    now,
                    "reopened",
                    actor_kind="citizen",
                    actor_id=user_id,
                    from_status=record.status,
                    to_status=REOPENED,
                )
                reopened = True
            else:
                too_late = True
        return RatingResult(get(db, record.id), value, True, reopened, too_late)


# --- personal data ----------------------------------------------------------------------


def _json_record(db: Database, record: Feedback) -> dict[str, Any]:
    answer = latest_answer(db, record.id)
    return {
        "code": record.code,
        "kind": record.kind,
        "procedure_code": record.procedure_code,
        "procedure_name": record.procedure_name,
        "content": record.content,
        "location": (
            {"latitude": record.latitude, "longitude": record.longitude}
            if record.has_location
            else None
        ),
        "anonymous": record.anonymous,
        "contact_name": record.contact_name,
        "contact_phone": record.contact_phone,
        "consent_at": record.consent_at,
        "consent_policy": record.consent_policy,
        "status": record.status,
        "created_at": _iso(record.created_at),
        "due_date": record.due_date.isoformat(),
        "attachments": [
            {"kind": a.kind, "file_name": a.file_name, "mime_type": a.mime_type}
            for a in record.attachments
        ],
        "history": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "agency": e.agency,
                "status": e.to_status,
                "note": e.note,
            }
            for e in history(db, record.id, public_only=True)
        ],
        "rating": rating_of(db, record.id, answer.id) if answer else None,
    }


def export_user_data(
    db: Database, user_id: int, now: datetime, cfg: FeedbackConfig
) -> dict[str, Any]:
    """Everything the bot holds about the citizen, as a JSON-ready document."""
    profile = users.profile(db, user_id)
    draft = get_open_draft(db, user_id, now, cfg)
    return {
        "user_id": user_id,
        "exported_at": _iso(now),
        "settings": (
            {
                "language": profile.get("language"),
                "consent_at": profile.get("consent_at"),
                "consent_policy": profile.get("consent_policy"),
            }
            if profile
            else None
        ),
        "draft": (
            {
                "step": draft.step,
                "kind": draft.kind,
                "procedure_code": draft.procedure_code,
                "content": draft.content,
                "contact_name": draft.contact_name,
                "contact_phone": draft.contact_phone,
                "attachments": len(draft.attachments),
                "location": draft.has_location,
            }
            if draft
            else None
        ),
        "feedback": [_json_record(db, r) for r in user_records(db, user_id)],
    }


def erase_user_data(db: Database, user_id: int, now: datetime) -> Erasure:
    """Delete or anonymise the citizen's personal data; anonymous statistics stay.

    Records keep kind, procedure, status, dates, agency and ratings; content, contact,
    location, attachments and the link to the Telegram account are removed.
    """
    with db.atomic():
        drafts = db.execute(
            "SELECT id FROM feedback_draft WHERE user_id = ?", [user_id]
        ).fetchall()
        for (draft_id,) in drafts:
            db.execute("DELETE FROM attachment WHERE draft_id = ?", [draft_id])
        db.execute(
            "UPDATE feedback_draft SET status = CASE status WHEN 'open' THEN 'cancelled'"
            " ELSE status END, user_id = 0, chat_id = 0, content = NULL, contact_name = NULL,"
            " contact_phone = NULL, latitude = NULL, longitude = NULL, procedure_code = NULL,"
            " procedure_name = NULL, updated_at = ? WHERE user_id = ?",
            [_iso(now), user_id],
        )
        rows = db.execute(
            "SELECT id, queue_chat_id, queue_message_id, code FROM feedback WHERE user_id = ?",
            [user_id],
        ).fetchall()
        queue: list[tuple[int, int, str]] = []
        for feedback_id, chat_id, message_id, code in rows:
            db.execute("DELETE FROM attachment WHERE feedback_id = ?", [feedback_id])
            db.execute(
                "UPDATE feedback SET user_id = NULL, chat_id = NULL, content = ?,"
                " contact_name = NULL, contact_phone = NULL, consent_at = NULL,"
                " consent_policy = NULL, latitude = NULL, longitude = NULL, anonymous = 1,"
                " erased_at = ?, updated_at = ? WHERE id = ?",
                [ERASED_TEXT, _iso(now), _iso(now), feedback_id],
            )
            db.execute(
                "UPDATE feedback_event SET actor_id = NULL WHERE feedback_id = ?"
                " AND actor_kind = 'citizen'",
                [feedback_id],
            )
            _add_event(db, feedback_id, now, "erased", actor_kind="citizen", public=False)
            if chat_id is not None and message_id is not None:
                queue.append((int(chat_id), int(message_id), str(code)))
        users.withdraw_consent(db, user_id)
        return Erasure(records=len(rows), drafts=len(drafts), queue_messages=tuple(queue))


def prune_seen_updates(db: Database, before: datetime) -> int:
    """Forget handled update ids older than ``before`` (Telegram redelivers within a day)."""
    with db.atomic():
        cur = db.execute("DELETE FROM feedback_seen_update WHERE at < ?", [_iso(before)])
        return cur.rowcount
