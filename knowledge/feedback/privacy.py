"""Personal data: the citizen's export and erasure, and forgetting old update ids.

Erasure keeps anonymous statistics (kind, procedure, status, dates, agency, ratings) and
removes content, contact, location, attachments and the link to the Telegram account.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from knowledge import users
from knowledge.feedback.drafts import get_open_draft
from knowledge.feedback.records import (
    Erasure,
    Feedback,
    _add_event,
    _iso,
    history,
    latest_answer,
    rating_of,
    user_records,
)
from knowledge.settings import FeedbackConfig

ERASED_TEXT = "[đã xoá theo yêu cầu của người gửi]"


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
