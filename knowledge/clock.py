"""Local time of the province (Asia/Ho_Chi_Minh); code asks a clock, tests pass their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
Clock = Callable[[], datetime]


def now() -> datetime:
    """The current time in Vietnam, timezone-aware."""
    return datetime.now(TZ)
