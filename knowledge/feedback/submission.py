"""Submission: a draft becomes a record exactly once; the queue's outbox and acknowledgements.

:func:`submit` turns a draft into a ``feedback`` row exactly once (``draft_id`` is UNIQUE)
and the caller tells the citizen "đã ghi nhận" only after it returned. A record whose
``queue_message_id`` is NULL has not reached the officials' chat yet (:func:`unposted`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from knowledge import users
from knowledge.clock import TZ
from knowledge.errors import KnowledgeError, Stale
from knowledge.feedback import tracking
from knowledge.feedback.drafts import STEP_SUMMARY, _current
from knowledge.feedback.lifecycle import INITIAL, OPEN_STATUSES
from knowledge.feedback.limits import check_rate_limit
from knowledge.feedback.records import (
    Feedback,
    Submission,
    _add_event,
    _dicts,
    _feedback,
    _iso,
    _one,
    due_date_for,
    get,
)
from knowledge.settings import FeedbackConfig


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
                            INITIAL,
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
            to_status=INITIAL,
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
