"""Export submissions received in a date range to XLSX or CSV (officials' reports).

Contact names and phone numbers are left out on purpose: a report leaves the system,
personal data stays in it. Hidden records (blocked users) are left out unless asked for.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from knowledge import feedback as fb
from knowledge.clock import TZ

HEADERS = (
    "Mã phản ánh",
    "Ngày tiếp nhận",
    "Loại",
    "Mã thủ tục",
    "Tên thủ tục",
    "Nội dung",
    "Trạng thái",
    "Cơ quan xử lý",
    "Hạn xử lý",
    "Quá hạn (ngày làm việc)",
    "Ngày đóng",
    "Số lần mở lại",
    "Đánh giá",
    "Ẩn danh",
    "Tệp đính kèm",
    "Có vị trí",
)
WIDTHS = (14, 14, 28, 12, 40, 60, 20, 24, 12, 12, 12, 8, 14, 8, 8, 8)


@dataclass(frozen=True, slots=True)
class Row:
    """One exported record."""

    code: str
    received: date
    kind: str
    procedure_code: str
    procedure_name: str
    content: str
    status: str
    agency: str
    due: date
    days_late: int
    closed: date | None
    reopened: int
    rating: str
    anonymous: bool
    attachments: int
    location: bool

    def values(self) -> tuple[object, ...]:
        """The cells, in HEADERS order."""
        return (
            self.code,
            self.received,
            self.kind,
            self.procedure_code,
            self.procedure_name,
            self.content,
            self.status,
            self.agency,
            self.due,
            self.days_late,
            self.closed,
            self.reopened,
            self.rating,
            "Có" if self.anonymous else "Không",
            self.attachments,
            "Có" if self.location else "Không",
        )


def rows_between(
    db: Database, start: date, end: date, today: date, *, include_hidden: bool = False
) -> list[Row]:
    """Records received from ``start`` to ``end`` inclusive (Vietnam dates), oldest first."""
    if end < start:
        raise fb.FeedbackInputError("bad_range")
    lo = datetime.combine(start, time(0), TZ).isoformat(timespec="seconds")
    hi = datetime.combine(end + timedelta(days=1), time(0), TZ).isoformat(timespec="seconds")
    sql = "SELECT id FROM feedback WHERE created_at >= ? AND created_at < ?"
    if not include_hidden:
        sql += " AND hidden = 0"
    ids = [r[0] for r in db.execute(sql + " ORDER BY created_at, id", [lo, hi]).fetchall()]
    out: list[Row] = []
    for feedback_id in ids:
        record = fb.get(db, feedback_id)
        answer = fb.latest_answer(db, record.id)
        rating = fb.rating_of(db, record.id, answer.id) if answer else None
        out.append(
            Row(
                code=record.code,
                received=record.created_at.astimezone(TZ).date(),
                kind=fb.KIND_LABELS.get(record.kind, record.kind),
                procedure_code=record.procedure_code or "",
                procedure_name=record.procedure_name or "",
                content=record.content,
                status=fb.STATUS_LABELS.get(record.status, record.status),
                agency=record.agency or "",
                due=record.due_date,
                days_late=record.days_late(today),
                closed=record.closed_at.astimezone(TZ).date() if record.closed_at else None,
                reopened=record.reopen_count,
                rating=fb.RATING_LABELS.get(rating, "") if rating else "",
                anonymous=record.anonymous,
                attachments=len(record.attachments),
                location=record.has_location,
            )
        )
    return out


def _safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in citizen-typed text (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_xlsx(rows: Sequence[Row], *, title: str = "Phản ánh") -> bytes:
    """An XLSX workbook: one header row, one row per record, real date cells."""
    from openpyxl import Workbook  # 20 MB resident: loaded for an export, not at start-up
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_safe_cell(v) for v in row.values()])
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    for col in ("B", "I", "K"):
        for cell in ws[col][1:]:
            cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object) -> object:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return _safe_cell(value)


def to_csv(rows: Sequence[Row]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese letters correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row.values()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export(db: Database, start: date, end: date, today: date, fmt: str) -> tuple[bytes, str, int]:
    """(file bytes, file name, row count) for the range in ``fmt`` ("xlsx" or "csv")."""
    rows = rows_between(db, start, end, today)
    name = f"phan-anh_{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return to_xlsx(rows), name, len(rows)
    if fmt == "csv":
        return to_csv(rows), name, len(rows)
    raise fb.FeedbackInputError("bad_format")


def parse_day(text: str) -> date:
    """A date typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy or yyyy-mm-dd)."""
    value = text.strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise fb.FeedbackInputError("bad_date", value=value)
