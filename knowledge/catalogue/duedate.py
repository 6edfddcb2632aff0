"""Expected result date of a procedure from its processing time and a submission date."""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge import workdays
from knowledge.catalogue.models import Duration, Procedure


@dataclass(frozen=True, slots=True)
class DueDate:
    """The computed date, or None with ``reason`` when the time is not known."""

    submitted: date
    due: date | None
    duration: Duration | None
    working_days: bool  # counted in working days (weekends and holidays skipped)
    reason: str = ""  # "unknown" | "no_time" when ``due`` is None
    holidays_skipped: tuple[tuple[date, str], ...] = ()


def _add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _roll_forward(day: date) -> date:
    # A period whose last day is a day off ends on the next working day (Civil Code, art. 148).
    return workdays.add_working_days(day, 0)


def due_from_duration(duration: Duration | None, submitted: date) -> DueDate:
    """Compute the expected result date for ``duration`` counted from ``submitted``."""
    if duration is None:
        return DueDate(submitted, None, None, False, "no_time")
    if not duration.known:
        return DueDate(submitted, None, duration, False, "unknown")
    value = float(duration.value or 0)
    unit = duration.unit
    working = unit in {"ngay_lam_viec", "gio"}
    if unit == "ngay_lam_viec":
        due = workdays.add_working_days(submitted, math.ceil(value))
    elif unit == "gio":
        # Up to one working day of hours: the same working day; beyond: whole working days.
        due = workdays.add_working_days(submitted, math.ceil(value / 8) if value > 8 else 0)
    elif unit == "ngay":
        due = _roll_forward(submitted + timedelta(days=math.ceil(value)))
    elif unit == "tuan":
        due = _roll_forward(submitted + timedelta(weeks=math.ceil(value)))
    elif unit == "thang":
        due = _roll_forward(_add_months(submitted, math.ceil(value)))
    elif unit == "nam":
        due = _roll_forward(_add_months(submitted, 12 * math.ceil(value)))
    else:
        return DueDate(submitted, None, duration, False, "unknown")
    skipped = []
    current = submitted
    while current < due:
        current += timedelta(days=1)
        name = workdays.holiday_name(current)
        if name:
            skipped.append((current, name))
    return DueDate(submitted, due, duration, working, "", tuple(skipped))


def best_duration(procedure: Procedure, channel_kind: str | None = None) -> Duration | None:
    """The time that applies: the province's cut time if any, else the channel's national time."""
    local = procedure.local
    if local is not None and local.time_cut and local.cut_days is not None:
        return Duration(raw=f"{local.cut_days:g} ngày làm việc", value=local.cut_days,
                        unit="ngay_lam_viec")  # fmt: skip
    if local is not None and local.same_day:
        return Duration(raw="trong ngày", value=0, unit="ngay_lam_viec")
    channels = procedure.channels
    if channel_kind is not None:
        channels = tuple(ch for ch in channels if ch.kind == channel_kind) or channels
    for ch in channels:
        if ch.time is not None and ch.time.known:
            return ch.time
    for ch in channels:
        if ch.time is not None:
            return ch.time
    return None


def due_date(procedure: Procedure, submitted: date, channel_kind: str | None = None) -> DueDate:
    """Expected result date of ``procedure`` submitted on ``submitted``."""
    return due_from_duration(best_duration(procedure, channel_kind), submitted)
