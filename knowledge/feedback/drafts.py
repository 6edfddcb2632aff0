"""The citizen's draft: the guided conversation's state, one committed write per step.

The draft *is* the conversation state: every step of the guided conversation is one
committed write to ``feedback_draft``, so a restart never loses where a citizen was.
Steps: kind, procedure, content, attachments, contact (name, phone), summary; from the
summary the citizen may edit one step and come straight back. Content typed at the kind
step is kept (:func:`add_early_content`) and its own step is then skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from knowledge import users
from knowledge.errors import DraftExpired, FeedbackInputError, NotFound, Stale
from knowledge.feedback.limits import (
    MAX_ATTACHMENTS,
    MAX_NAME_CHARS,
    MIN_CONTENT_CHARS,
    check_file,
    check_rate_limit,
)
from knowledge.feedback.records import KINDS, Draft, _draft, _dt, _iso, _one, clean_text
from knowledge.settings import FeedbackConfig

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
                    _move(db, existing, _after_procedure(existing), now)
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


def _after_procedure(draft: Draft) -> str:
    """The content step, unless the citizen already typed it (at the kind step)."""
    return STEP_ATTACHMENTS if draft.content else STEP_CONTENT


def _after_kind(draft: Draft) -> str:
    return _after_procedure(draft) if draft.procedure_code else STEP_PROCEDURE


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
        _move(db, draft, _after_procedure(draft), now, procedure_code=code, procedure_name=name)
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


def add_early_content(
    db: Database, user_id: int, text: str, now: datetime, cfg: FeedbackConfig
) -> Draft:
    """Step 1, typed: the citizen wrote the content before choosing the kind.

    It is kept (a second message is added to the first, within the length limit) and the
    draft stays at the kind step; the content step is then skipped.
    """
    piece = clean_text(text)
    if not piece:
        raise FeedbackInputError("empty")
    with db.atomic():
        draft = _current(db, user_id, None, now, cfg, (STEP_KIND,))
        content = f"{draft.content}\n{piece}" if draft.content else piece
        if len(content) > cfg.max_text_chars:
            raise FeedbackInputError("too_long", length=len(content), limit=cfg.max_text_chars)
        if len(content) < MIN_CONTENT_CHARS:
            raise FeedbackInputError("too_short", minimum=MIN_CONTENT_CHARS)
        db.execute(
            "UPDATE feedback_draft SET content = ?, updated_at = ? WHERE id = ?",
            [content, _iso(now), draft.id],
        )
        return _reload(db, draft.id)


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
