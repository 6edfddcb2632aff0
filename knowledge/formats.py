"""Vietnamese number, percentage and date formatting: 1.672; 90,79%; 22/11/2026."""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def number(value: float, decimals: int = 0) -> str:
    """Format with '.' for thousands and ',' for decimals: 1672 -> '1.672', 2.5 -> '2,5'."""
    text = f"{value:,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if decimals and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def percent(part: float, whole: float, decimals: int = 2) -> str:
    """Percentage of ``part`` in ``whole`` the Vietnamese way: 138/152 -> '90,79%'."""
    if not whole:
        return "0%"
    value = round(100 * part / whole, decimals)
    text = f"{value:.{decimals}f}".replace(".", ",")
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


def day(value: date | datetime) -> str:
    """dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y")


def day_with_weekday(value: date) -> str:
    """'Thứ Hai, 23/11/2026'."""
    return f"{WEEKDAYS_VI[value.weekday()]}, {day(value)}"


def money(amount: int) -> str:
    """'50.000 đồng'."""
    return f"{number(amount)} đồng"
