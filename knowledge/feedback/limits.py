"""The limits: sizes, counts and file types a submission may have, and the rate limit.

The rate limit (``rate_limit_count`` submissions per ``rate_limit_minutes`` per citizen)
comes from ``[feedback]`` in the configuration; the rest are fixed here.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlite_utils import Database

from knowledge.errors import FeedbackInputError, RateLimited
from knowledge.feedback.records import _dt, _iso
from knowledge.settings import FeedbackConfig

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
