"""Per-user settings kept in ``chat_user``: language, consent, blocks."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ensure_user(db: Database, user_id: int) -> None:
    """Create the user's row if it is missing."""
    now = _now()
    db.execute(
        "INSERT OR IGNORE INTO chat_user (user_id, blocked, bot_blocked, created_at, updated_at)"
        " VALUES (?, 0, 0, ?, ?)",
        [user_id, now, now],
    )


def get_language(db: Database, user_id: int) -> str | None:
    """The language the user chose with /lang, or None."""
    row = db.execute("SELECT language FROM chat_user WHERE user_id = ?", [user_id]).fetchone()
    return row[0] if row and row[0] else None


def set_language(db: Database, user_id: int, language: str) -> None:
    """Remember the user's language choice."""
    if language not in {"vi", "en"}:
        raise ValueError(language)
    with db.atomic():
        ensure_user(db, user_id)
        db.execute(
            "UPDATE chat_user SET language = ?, updated_at = ? WHERE user_id = ?",
            [language, _now(), user_id],
        )


def is_blocked(db: Database, user_id: int) -> bool:
    """True when an official has blocked this user."""
    row = db.execute("SELECT blocked FROM chat_user WHERE user_id = ?", [user_id]).fetchone()
    return bool(row and row[0])


def set_blocked(db: Database, user_id: int, blocked: bool) -> None:
    """Block or unblock a user (their records are kept, hidden)."""
    with db.atomic():
        ensure_user(db, user_id)
        db.execute(
            "UPDATE chat_user SET blocked = ?, updated_at = ? WHERE user_id = ?",
            [int(blocked), _now(), user_id],
        )


def mark_bot_blocked(db: Database, user_id: int) -> None:
    """Record that the user blocked the bot (Telegram answered 403): a fact, not an error."""
    with db.atomic():
        ensure_user(db, user_id)
        db.execute(
            "UPDATE chat_user SET bot_blocked = 1, updated_at = ? WHERE user_id = ?",
            [_now(), user_id],
        )


def record_consent(db: Database, user_id: int, at: str, policy_version: str) -> None:
    """Record explicit consent to store contact details: when, and which policy was shown."""
    with db.atomic():
        ensure_user(db, user_id)
        db.execute(
            "UPDATE chat_user SET consent_at = ?, consent_policy = ?, updated_at = ?"
            " WHERE user_id = ?",
            [at, policy_version, _now(), user_id],
        )


def withdraw_consent(db: Database, user_id: int) -> None:
    """Forget the consent record (the user erased their data)."""
    with db.atomic():
        db.execute(
            "UPDATE chat_user SET consent_at = NULL, consent_policy = NULL, language = NULL,"
            " updated_at = ? WHERE user_id = ?",
            [_now(), user_id],
        )


def profile(db: Database, user_id: int) -> dict[str, object] | None:
    """Everything ``chat_user`` holds about the user, or None."""
    cur = db.execute("SELECT * FROM chat_user WHERE user_id = ?", [user_id])
    row = cur.fetchone()
    if row is None:
        return None
    return {d[0]: value for d, value in zip(cur.description, row, strict=True)}
