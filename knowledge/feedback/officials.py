"""Officials' side: actions on a record, actions waiting for their text, blocking.

:func:`act` reads :data:`knowledge.feedback.lifecycle.TRANSITIONS` for the status an
action leads to; a pair missing from the table is refused.

Agency scoping: a record nobody has taken is the centre's, open to every official; once
claimed by, or forwarded to, an agency it belongs to that agency, and only its officials
(and admins) act on it (:func:`may_act`). Forwarding names one of the agencies of the
configured officials (:func:`agencies`), so the record lands in a queue somebody reads:
their ``/phananh_moi`` (:func:`list_new_for`). An agency outside the configuration (a
free-text forward from before) leaves the record open to everyone, never stranded.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from knowledge import textnorm, users
from knowledge.errors import FeedbackInputError, NotFound, UnknownUser
from knowledge.feedback import tracking
from knowledge.feedback.lifecycle import (
    CLOSED_STATUSES,
    OFFICIAL_ACTIONS,
    OPEN_STATUSES,
    TEXT_ACTIONS,
    TRANSITIONS,
    Action,
    Status,
)
from knowledge.feedback.limits import MAX_NOTE_CHARS, PENDING_MAX_AGE
from knowledge.feedback.records import (
    ActionResult,
    Feedback,
    Pending,
    _add_event,
    _dicts,
    _dt,
    _feedback,
    _iso,
    _one,
    by_code,
    clean_text,
    get,
)
from knowledge.settings import FeedbackConfig, Official

# --- agencies and who may act -----------------------------------------------------------


def agencies(officials: Iterable[Official]) -> tuple[str, ...]:
    """The agencies of the configured officials, each once (first spelling), by name.

    These are the agencies a record can be forwarded to: each has somebody who reads its
    queue. Names that differ only in case, spaces or diacritic placement are one agency.
    """
    found: dict[str, str] = {}
    for person in officials:
        name = " ".join(person.agency.split())
        key = textnorm.key(name)
        if key and key not in found:
            found[key] = name
    return tuple(sorted(found.values(), key=textnorm.key))


def agency_named(text: str, known: Iterable[str]) -> str | None:
    """The configured agency ``text`` names (case, spaces and diacritics ignored), if any."""
    key = textnorm.key(text)
    return next((name for name in known if textnorm.key(name) == key), None) if key else None


def may_act(agency: str | None, official: Official, known: Collection[str] | None = None) -> bool:
    """Whether ``official`` may act on a record held by ``agency`` (None: nobody yet).

    Admins may act on any record, officials on the centre's (no agency) and their own
    agency's. With ``known`` (the configured agencies), a record held by an agency outside
    them counts as the centre's.
    """
    if official.is_admin or not agency:
        return True
    key = textnorm.key(agency)
    if key == textnorm.key(official.agency):
        return True
    return known is not None and key not in {textnorm.key(name) for name in known}


def _check_may_act(record: Feedback, official: Official, known: Collection[str] | None) -> None:
    if not may_act(record.agency, official, known):
        raise FeedbackInputError("other_agency", agency=record.agency or "")


def _forward_target(record: Feedback, text: str, known: Collection[str] | None) -> str:
    """The agency a forward names: one of ``known`` (when given), not the record's own."""
    target = text
    if known is not None:
        found = agency_named(text, known)
        if found is None:
            raise FeedbackInputError("unknown_agency", agency=text)
        target = found
    if record.agency and textnorm.key(record.agency) == textnorm.key(target):
        raise FeedbackInputError("same_agency", agency=record.agency)
    return target


def act(
    db: Database,
    code: str,
    official: Official,
    action: str,
    now: datetime,
    cfg: FeedbackConfig,
    note: str | None = None,
    *,
    known: Collection[str] | None = None,
) -> ActionResult:
    """An official's action on a record: status change plus a history line with who and when.

    The status it leads to comes from :data:`TRANSITIONS`; then the official must be allowed
    to act on the record (:func:`may_act`: "other_agency" otherwise). ``known`` are the
    configured agencies: a forward must name one of them ("unknown_agency"), and the record
    then belongs to that agency.
    """
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
        _check_may_act(record, official, known)
        updates: dict[str, Any] = {"status": to_status, "updated_at": _iso(now)}
        if action == "claim":
            updates |= {
                "agency": official.agency,
                "assignee_id": official.telegram_id,
                "assignee_name": official.name,
            }
        elif action == "forward":
            text = _forward_target(record, text, known)
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
    db: Database,
    official_id: int,
    chat_id: int,
    code: str,
    action: str,
    now: datetime,
    *,
    official: Official | None = None,
    known: Collection[str] | None = None,
) -> Feedback:
    """Remember that the official's next message in ``chat_id`` is the text for ``action``.

    With ``official``, refused ("other_agency") when they may not act on the record.
    """
    if action not in TEXT_ACTIONS:
        raise FeedbackInputError("bad_action")
    with db.atomic():
        record = by_code(db, code)
        if not record.is_open:
            raise FeedbackInputError("closed", status=record.status)
        if official is not None:
            _check_may_act(record, official, known)
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
            known = db.execute(
                "SELECT 1 FROM chat_user WHERE user_id = ? UNION ALL "
                "SELECT 1 FROM feedback WHERE user_id = ? LIMIT 1",
                [user_id, user_id],
            ).fetchone()
            if known is None:  # nobody by that id ever wrote to the bot: nothing to block
                raise UnknownUser(target)
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


# --- the officials' lists, scoped to their agency ---------------------------------------


def list_new_for(
    db: Database, official: Official, known: Collection[str] | None = None, limit: int = 30
) -> list[Feedback]:
    """/phananh_moi: visible records nobody has taken yet that ``official`` may act on.

    New and reopened records of the centre or of their agency, and those forwarded to their
    agency (admins: every one), oldest first.
    """
    rows = _dicts(
        db.execute(
            "SELECT * FROM feedback WHERE status IN (?, ?, ?) AND hidden = 0"
            " ORDER BY created_at, id",
            [Status.NEW, Status.REOPENED, Status.FORWARDED],
        )
    )
    mine = [r for r in rows if may_act(r["agency"], official, known)]
    return [_feedback(db, r) for r in mine[:limit]]


def list_overdue_for(
    db: Database,
    official: Official,
    today: date,
    known: Collection[str] | None = None,
    limit: int = 50,
) -> list[Feedback]:
    """/phananh_quahan: visible open records past their due date that ``official`` may act on.

    The most overdue first; admins see every one.
    """
    marks = ",".join("?" for _ in OPEN_STATUSES)
    rows = _dicts(
        db.execute(
            f"SELECT * FROM feedback WHERE status IN ({marks}) AND hidden = 0"
            " AND due_date < ? ORDER BY due_date, id",
            [*OPEN_STATUSES, today.isoformat()],
        )
    )
    mine = [r for r in rows if may_act(r["agency"], official, known)]
    return [_feedback(db, r) for r in mine[:limit]]
