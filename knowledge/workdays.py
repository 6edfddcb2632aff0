"""Vietnamese working-day calendar: weekends, public holidays (Tết included), swapped Saturdays."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _calendar() -> Any:
    # The holidays package is maintained and knows lunar Tết, Giỗ Tổ and the official
    # make-up working Saturdays; years are filled in lazily as they are asked for. Imported
    # on first use: a search from the command line never needs it.
    import holidays

    return holidays.country_holidays("VN", language="vi")


def is_working_day(day: date) -> bool:
    """True on a Vietnamese working day."""
    return bool(_calendar().is_working_day(day))


def holiday_name(day: date) -> str | None:
    """The Vietnamese name of the public holiday on ``day``, if any."""
    name = _calendar().get(day)
    return str(name) if name else None


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the submission day does not count).

    ``days == 0`` means the same day if it is a working day, else the next one.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    if days == 0:
        while not is_working_day(current):
            current += timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
