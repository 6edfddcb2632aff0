"""/baocao: the chart (PNG, completion by agency stacked by status) and the XLSX export."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from knowledge import formats
from knowledge.tasks.counting import Counts, Summary
from knowledge.tasks.records import STATUS_LABELS, Status, Task

STATUS_ORDER = (Status.ON_TIME, Status.LATE, Status.IN_PROGRESS, Status.OVERDUE)
COLOURS = {
    Status.ON_TIME: "#2e7d32",
    Status.LATE: "#f9a825",
    Status.IN_PROGRESS: "#1565c0",
    Status.OVERDUE: "#c62828",
}
MAX_BARS = 40  # more agencies than this: the smallest are grouped as "Các cơ quan khác"
TASK_COLUMNS = (
    "Mã nhiệm vụ",
    "Nội dung nhiệm vụ",
    "Văn bản giao",
    "Ngày giao",
    "Cơ quan giao",
    "Lĩnh vực",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời hạn",
    "Ngày hoàn thành",
    "Trạng thái",
    "Số ngày trễ",
    "Tiến độ",
    "Ghi chú",
)
COUNT_COLUMNS = ("Tổng", *(STATUS_LABELS[s] for s in STATUS_ORDER), "Tỷ lệ đúng hạn")


def report_sentence(summary: Summary) -> str:
    """The report's sentence: "nhận được 53 văn bản chỉ đạo với 184 nhiệm vụ; ..."."""
    c = summary.counts
    n = formats.number
    text = (
        f"nhận được {n(summary.documents)} văn bản chỉ đạo với {n(c.total)} nhiệm vụ; "
        f"hoàn thành đúng hạn {n(c.on_time)} nhiệm vụ "
        f"(đạt {formats.percent(c.on_time, c.completed)}); "
        f"hoàn thành nhưng trễ hạn {n(c.late)} nhiệm vụ "
        f"({formats.percent(c.late, c.completed)}); "
        f"đang thực hiện {n(c.open)} nhiệm vụ"
    )
    if c.overdue:
        text += f" (trong đó {n(c.overdue)} nhiệm vụ quá hạn)"
    return text


def _bars(summary: Summary) -> list[tuple[str, Counts]]:
    rows = sorted(summary.by_agency, key=lambda r: (r.counts.total, r.agency.name))
    bars = [(r.agency.name, r.counts) for r in rows]
    if len(bars) > MAX_BARS:
        rest = bars[: len(bars) - MAX_BARS + 1]
        merged = Counts(
            *(sum(c.get(s) for _, c in rest) for s in STATUS_ORDER)  # same field order
        )
        bars = [("Các cơ quan khác", merged), *bars[len(bars) - MAX_BARS + 1 :]]
    return bars


def chart_png(summary: Summary) -> bytes:
    """A horizontal bar per lead agency, stacked by status, as PNG bytes (Agg, no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    bars = _bars(summary) or [("(chưa có nhiệm vụ)", Counts())]
    height = 1.8 + 0.34 * len(bars)
    figure = Figure(figsize=(10, height), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    names = [name for name, _ in bars]
    left = [0] * len(bars)
    for status in STATUS_ORDER:
        values = [counts.get(status) for _, counts in bars]
        axes.barh(names, values, left=left, color=COLOURS[status], label=STATUS_LABELS[status])
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        axes.text(total + 0.2, y, formats.number(total), va="center", fontsize=8)
    axes.set_xlabel("Số nhiệm vụ")
    axes.set_title(
        "Tình hình thực hiện nhiệm vụ cải cách hành chính theo cơ quan chủ trì\n"
        f"(đến ngày {formats.day(summary.today)})",
        fontsize=11,
    )
    axes.tick_params(axis="y", labelsize=8)
    axes.set_xlim(0, max([*left, 1]) * 1.08 + 1)
    axes.legend(loc="lower right", fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _rate(counts: Counts) -> float | None:
    return counts.on_time / counts.completed if counts.completed else None


def export_xlsx(summary: Summary, tasks: Sequence[Task], today: date) -> bytes:
    """The current state as an XLSX: summary, per agency, per area, and every task."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append([f"Tình hình thực hiện nhiệm vụ cải cách hành chính đến ngày {today:%d/%m/%Y}"])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([report_sentence(summary)])
    sheet.append([])
    sheet.append(["Chỉ tiêu", "Số lượng", "Tỷ lệ"])
    c = summary.counts
    completed = c.completed or 1
    sheet.append(["Văn bản chỉ đạo", summary.documents, None])
    sheet.append(["Tổng số nhiệm vụ", c.total, None])
    sheet.append([STATUS_LABELS[Status.ON_TIME], c.on_time, c.on_time / completed])
    sheet.append([STATUS_LABELS[Status.LATE], c.late, c.late / completed])
    sheet.append([STATUS_LABELS[Status.IN_PROGRESS], c.in_progress, None])
    sheet.append([STATUS_LABELS[Status.OVERDUE], c.overdue, None])
    for cell in sheet[4]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=5, min_col=3, max_col=3):
        row[0].number_format = "0.00%"
    sheet.column_dimensions["A"].width = 34

    def counts_sheet(title: str, first: str, rows: list[tuple[str, Counts]]) -> None:
        ws = book.create_sheet(title)
        ws.append([first, *COUNT_COLUMNS])
        for cell in ws[1]:
            cell.font = bold
        for name, counts in [*rows, ("Tổng cộng", summary.counts)]:
            ws.append([name, counts.total, *(counts.get(s) for s in STATUS_ORDER), _rate(counts)])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for row in ws.iter_rows(min_row=2, min_col=7, max_col=7):
            row[0].number_format = "0.00%"
        ws.column_dimensions["A"].width = 40

    counts_sheet(
        "Theo cơ quan",
        "Cơ quan chủ trì",
        [
            (r.agency.name, r.counts)
            for r in sorted(summary.by_agency, key=lambda r: r.agency.name)
        ],
    )
    counts_sheet("Theo lĩnh vực", "Lĩnh vực", [(r.name, r.counts) for r in summary.by_area])

    ws = book.create_sheet("Nhiệm vụ")
    ws.append(list(TASK_COLUMNS))
    for cell in ws[1]:
        cell.font = bold
    for task in tasks:
        ws.append(
            [
                task.code,
                task.title,
                task.doc_number,
                task.doc_date,
                task.issuer,
                task.area_name,
                task.agency,
                task.supporting,
                task.deadline if task.deadline is not None else "Thường xuyên",
                task.completed_on,
                STATUS_LABELS[task.status(today)],
                task.days_late(today),
                task.progress,
                task.note,
            ]
        )
    for col in ("D", "I", "J"):
        for cell in ws[col][1:]:
            cell.number_format = "DD/MM/YYYY"
    for col, width in {"A": 12, "B": 60, "F": 30, "G": 32, "K": 26}.items():
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
