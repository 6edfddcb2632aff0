"""The citizen's rating of an answer; "không hài lòng" in time reopens the record.

The reopening is the one transition the citizen makes; it reads
:data:`knowledge.feedback.lifecycle.TRANSITIONS` like the officials' actions do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlite_utils import Database

from knowledge.clock import TZ
from knowledge.errors import Stale
from knowledge.feedback.lifecycle import TRANSITIONS, Action
from knowledge.feedback.records import (
    RatingResult,
    _add_event,
    _iso,
    due_date_for,
    find_own,
    get,
    latest_answer,
    rating_of,
)
from knowledge.settings import FeedbackConfig

RATING_LABELS: Mapping[str, str] = {
    "hai_long": "Hài lòng",
    "binh_thuong": "Bình thường",
    "khong_hai_long": "Không hài lòng",
}

RATINGS = ("hai_long", "binh_thuong", "khong_hai_long")
UNSATISFIED = "khong_hai_long"


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
            reopened_to = TRANSITIONS.get((record.status, Action.REOPEN))
            if reopened_to is not None and now - answered <= timedelta(days=cfg.reopen_days):
                due = due_date_for(now.astimezone(TZ).date(), record.kind, cfg)
                # queue_message_id NULL: the queue poster posts it again, as reopened.
                db.execute(
                    "UPDATE feedback SET status = ?, closed_at = NULL, reopen_count ="
                    " reopen_count + 1, due_date = ?, updated_at = ?, queue_message_id = NULL"
                    " WHERE id = ?",
                    [reopened_to, due.isoformat(), _iso(now), record.id],
                )
                _add_event(
                    db,
                    record.id,
                    now,
                    Action.REOPEN,
                    actor_kind="citizen",
                    actor_id=user_id,
                    from_status=record.status,
                    to_status=reopened_to,
                )
                reopened = True
            else:
                too_late = True
        return RatingResult(get(db, record.id), value, True, reopened, too_late)
