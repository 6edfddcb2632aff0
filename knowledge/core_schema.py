"""Migrations for tables every feature shares: users, inbox, conversation state."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("core")


@migrations(name="0001_core")
def m0001_core(db: Database) -> None:
    """Users, the webhook inbox and durable conversation state."""
    db.table("chat_user").create(
        {
            "user_id": int,
            "language": str,  # "vi" | "en" | None (follow Telegram)
            "consent_at": str,  # ISO timestamp of consent to store contact details
            "consent_policy": str,  # policy version shown when consenting
            "blocked": int,  # 1 when an official blocked this user
            "bot_blocked": int,  # 1 when the user blocked the bot (403)
            "created_at": str,
            "updated_at": str,
        },
        pk="user_id",
        not_null={"blocked", "bot_blocked"},
        defaults={"blocked": 0, "bot_blocked": 0},
    )
    db.table("inbox").create(
        {
            "update_id": int,
            "body": str,  # raw update JSON
            "received_at": str,
            "processed_at": str,
        },
        pk="update_id",
    )
    db.table("inbox").create_index(["processed_at"])
    db.table("conversation_state").create(
        {"key": str, "state": str, "updated_at": str},
        pk="key",
    )
    db.table("processed_update").create({"update_id": int, "at": str}, pk="update_id")


@migrations(name="0002_inbox_attempts")
def m0002_inbox_attempts(db: Database) -> None:
    """Inbox: start-ups that found a row unprocessed, and how processing ended."""
    db.execute("ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE inbox ADD COLUMN outcome TEXT")
