"""Officials' side: actions on a record, actions waiting for their text, blocking.

:func:`act` reads :data:`knowledge.feedback.lifecycle.TRANSITIONS` for the status an
action leads to; a pair missing from the table is refused.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from knowledge import users
from knowledge.errors import FeedbackInputError, NotFound
from knowledge.feedback import tracking
from knowledge.feedback.lifecycle import (
    CLOSED_STATUSES,
    OFFICIAL_ACTIONS,
    TEXT_ACTIONS,
    TRANSITIONS,
    Action,
)
from knowledge.feedback.limits import MAX_NOTE_CHARS, PENDING_MAX_AGE
from knowledge.feedback.records import (
    ActionResult,
    Feedback,
    Pending,
    _add_event,
    _dt,
    _iso,
    _one,
    by_code,
    clean_text,
    get,
)
from knowledge.settings import FeedbackConfig, Official


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
    if action not in OFFICIAL_ACTIONS:
        raise FeedbackInputError("bad_action")
    text = clean_text(note or "")
    if action in TEXT_ACTIONS and not text:
        raise FeedbackInputError("empty")
    if len(text) > MAX_NOTE_CHARS:
        raise FeedbackInputError("too_long", length=len(text), limit=MAX_NOTE_CHARS)
    with db.atomic():
        record = by_code(db, code)
        to_status = TRANSITIONS.get((record.status, Action(action)))
        if to_status is None:
            if record.is_open:  # the one pair an open status lacks: claiming a claimed record
                raise FeedbackInputError("already_claimed", name=record.assignee_name or "")
            raise FeedbackInputError("closed", status=record.status)
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
