"""Reading reform tasks from XLSX or CSV: tolerant headers, Vietnamese dates, bad rows reported.

The columns are described in docs/tasks.md. Headers are matched ignoring case, diacritics,
extra spaces and a trailing ``(dd/mm/yyyy)``; columns may come in any order; a title row or
two above the header row is skipped. Each bad row is reported with its row number (as the
spreadsheet shows it) and skipped; the rest are imported in one transaction, keyed by
``Mã nhiệm vụ`` so that importing the same file again updates instead of duplicating.

:func:`upsert` stores one record: it creates or updates the task and writes each change to
the task's history; :func:`import_file` reads a file and upserts its rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from knowledge.errors import ImportProblem
from knowledge.tasks.records import (
    _TASK_COLUMNS,
    _TASK_FROM,
    AREAS,
    TaskRecord,
    _ensure_agency,
    _event,
    _plain,
    _task,
    code_key,
    fold,
)

# Canonical field -> accepted headers. The first one is what docs/tasks.md shows.
HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("Mã nhiệm vụ", "Mã NV", "Mã số nhiệm vụ", "Mã"),
    "title": ("Nội dung nhiệm vụ", "Tên nhiệm vụ", "Nội dung", "Nhiệm vụ"),
    "doc_number": ("Văn bản giao", "Số văn bản", "Số hiệu văn bản", "Văn bản giao nhiệm vụ"),
    "doc_date": ("Ngày giao", "Ngày văn bản", "Ngày ban hành"),
    "issuer": ("Cơ quan giao", "Cơ quan ban hành", "Cấp giao"),
    "area": ("Lĩnh vực", "Lĩnh vực cải cách", "Nội dung cải cách"),
    "agency": ("Cơ quan chủ trì", "Đơn vị chủ trì", "Chủ trì"),
    "supporting": ("Cơ quan phối hợp", "Đơn vị phối hợp", "Phối hợp"),
    "deadline": ("Thời hạn", "Thời hạn hoàn thành", "Hạn hoàn thành", "Hạn"),
    "completed_on": ("Ngày hoàn thành", "Hoàn thành ngày"),
    "note": ("Ghi chú",),
}
REQUIRED = ("code", "title", "agency", "deadline")
HEADER_LABELS = {name: aliases[0] for name, aliases in HEADERS.items()}
_BY_HEADER = {fold(alias): name for name, aliases in HEADERS.items() for alias in aliases}

# Deadlines that are not dates: recurring tasks, never overdue.
RECURRING = frozenset(
    fold(text)
    for text in (
        "Thường xuyên",
        "Hằng năm",
        "Hàng năm",
        "Hằng quý",
        "Hàng quý",
        "Hằng tháng",
        "Hàng tháng",
        "Không thời hạn",
        "Liên tục",
    )
)

# Reform area: distinctive words -> index into AREAS.
_AREA_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = tuple(
    (index, tuple(fold(w) for w in words))
    for index, words in (
        (0, ("chỉ đạo", "điều hành")),
        (1, ("thể chế",)),
        (2, ("thủ tục", "TTHC")),
        (3, ("bộ máy",)),
        (4, ("công vụ", "công chức")),
        (5, ("tài chính",)),
        (6, ("điện tử", "chính phủ số", "chính quyền số", "chuyển đổi số")),
    )
)

MAX_CODE = 40
MAX_TITLE = 2000
MAX_TEXT = 500
HEADER_SCAN_ROWS = 10

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_PARENS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that was skipped, with why."""

    row: int
    message: str


@dataclass
class ImportReport:
    """What an import did."""

    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


class RowError(ValueError):
    """One cell of one row is wrong (the message is shown to the operator)."""


def header_field(text: Any) -> str | None:
    """The canonical field of a header cell, or None when it is not one of ours."""
    if text is None:
        return None
    folded = fold(_PARENS.sub(" ", str(text)))
    return _BY_HEADER.get(folded)


def parse_date(value: Any, column: str, *, recurring_ok: bool = False) -> date | None:
    """A date cell: real date, ``dd/mm/yyyy`` (also ``-`` or ``.``), or ISO ``yyyy-mm-dd``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if recurring_ok and fold(text) in RECURRING:
        return None
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        match = _YMD.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise RowError(f"{column} không phải ngày hợp lệ dạng dd/mm/yyyy: {text[:40]!r}")


def parse_area(value: Any) -> int | None:
    """The reform-area index of a ``Lĩnh vực`` cell (None when blank)."""
    text = fold(str(value or ""))
    if not text:
        return None
    for index, name in enumerate(AREAS):
        if text == fold(name):
            return index
    found = {index for index, words in _AREA_WORDS if any(f" {w} " in f" {text} " for w in words)}
    if len(found) == 1:
        return found.pop()
    accepted = "; ".join(AREAS)
    raise RowError(f"Lĩnh vực không rõ: {str(value)[:60]!r} (dùng một trong: {accepted})")


def _text(value: Any, column: str, limit: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    if len(text) > limit:
        raise RowError(f"{column} dài quá {limit} ký tự")
    return text or None


def parse_row(cells: dict[str, Any], today: date) -> TaskRecord:
    """Validate one row (canonical field -> raw cell) into a record; RowError if bad."""
    code = _text(cells.get("code"), "Mã nhiệm vụ", MAX_CODE)
    if not code:
        raise RowError("thiếu Mã nhiệm vụ")
    title = _text(cells.get("title"), "Nội dung nhiệm vụ", MAX_TITLE)
    if not title:
        raise RowError("thiếu Nội dung nhiệm vụ")
    agency = _text(cells.get("agency"), "Cơ quan chủ trì")
    if not agency:
        raise RowError("thiếu Cơ quan chủ trì")
    deadline_cell = cells.get("deadline")
    deadline = parse_date(deadline_cell, "Thời hạn", recurring_ok=True)
    if deadline is None and not _text(deadline_cell, "Thời hạn"):
        raise RowError("thiếu Thời hạn (ghi ngày dd/mm/yyyy, hoặc 'Thường xuyên')")
    doc_date = parse_date(cells.get("doc_date"), "Ngày giao")
    completed = parse_date(cells.get("completed_on"), "Ngày hoàn thành")
    if completed is not None and completed > today:
        raise RowError(f"Ngày hoàn thành {completed:%d/%m/%Y} sau ngày hôm nay")
    if doc_date is not None and deadline is not None and deadline < doc_date:
        raise RowError(f"Thời hạn {deadline:%d/%m/%Y} trước Ngày giao {doc_date:%d/%m/%Y}")
    if doc_date is not None and completed is not None and completed < doc_date:
        raise RowError(f"Ngày hoàn thành {completed:%d/%m/%Y} trước Ngày giao {doc_date:%d/%m/%Y}")
    return TaskRecord(
        code=code,
        title=title,
        agency=agency,
        deadline=deadline,
        doc_number=_text(cells.get("doc_number"), "Văn bản giao"),
        doc_date=doc_date,
        issuer=_text(cells.get("issuer"), "Cơ quan giao"),
        area=parse_area(cells.get("area")),
        supporting=_text(cells.get("supporting"), "Cơ quan phối hợp"),
        completed_on=completed,
        note=_text(cells.get("note"), "Ghi chú", MAX_TITLE),
    )


# --- reading files --------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[Sequence[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258", errors="replace")  # Vietnamese Windows code page
    # Excel writes ";" where the decimal mark is a comma (as in Vietnam): take the delimiter
    # under which the header row is found.
    delimiter = ","
    for candidate in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=candidate)
        head = [row for _, row in zip(range(HEADER_SCAN_ROWS), reader, strict=False)]
        if _find_header(head) is not None:
            delimiter = candidate
            break
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(path: Path) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportProblem(f"{path.name}: không đọc được tệp XLSX ({exc})") from exc
    try:
        sheets = list(book.worksheets)
        # The first sheet whose first rows hold our header; else the first sheet.
        for sheet in sheets:
            head = list(sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True))
            if _find_header(head) is not None:
                yield from sheet.iter_rows(values_only=True)
                return
        if sheets:
            yield from sheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def iter_rows(path: str | Path) -> Iterator[Sequence[Any]]:
    """Every row of the file as cell values (XLSX: first sheet holding the header)."""
    path = Path(path)
    if not path.exists():
        raise ImportProblem(f"{path}: không có tệp này")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_rows(path)
    if suffix in {".csv", ".txt"}:
        return _csv_rows(path)
    raise ImportProblem(f"{path.name}: chỉ nhận tệp .xlsx hoặc .csv")


def _find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        fields = {header_field(cell) for cell in row}
        if all(name in fields for name in REQUIRED):
            return i
    return None


@dataclass
class ParsedFile:
    """The valid records (with their row numbers) and the bad rows of one file."""

    records: list[tuple[int, TaskRecord]] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0


def read_file(path: str | Path, today: date) -> ParsedFile:
    """Parse and validate the file; ImportProblem if it has no usable header row."""
    rows = iter_rows(path)
    try:
        return _read(rows, Path(path), today)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # an XLSX reader holds the file open until it is closed


def _read(rows: Iterator[Sequence[Any]], path: Path, today: date) -> ParsedFile:
    head: list[Sequence[Any]] = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SCAN_ROWS or _find_header(head) is not None:
            break
    index = _find_header(head)
    if index is None:
        seen = {header_field(c) for row in head for c in row}
        missing = [HEADER_LABELS[name] for name in REQUIRED if name not in seen]
        raise ImportProblem(
            f"{path.name}: không tìm thấy dòng tiêu đề; thiếu cột {', '.join(missing)}"
        )
    columns: dict[int, str] = {}
    parsed = ParsedFile()
    for col, cell in enumerate(head[index]):
        name = header_field(cell)
        if name is not None and name not in columns.values():
            columns[col] = name
        elif cell is not None and str(cell).strip():
            parsed.ignored_columns.append(str(cell).strip())
    first_seen: dict[str, int] = {}
    pending = head[index + 1 :]
    number = index + 1  # 1-based row number of the header

    def all_rows() -> Iterator[Sequence[Any]]:
        yield from pending
        yield from rows

    for row in all_rows():
        number += 1
        cells = {name: row[col] if col < len(row) else None for col, name in columns.items()}
        if all(v is None or not str(v).strip() for v in cells.values()):
            continue
        parsed.rows += 1
        try:
            record = parse_row(cells, today)
        except RowError as exc:
            parsed.bad.append(BadRow(number, str(exc)))
            continue
        key = code_key(record.code)
        if key in first_seen:
            parsed.bad.append(
                BadRow(number, f"Mã nhiệm vụ {record.code} trùng với dòng {first_seen[key]}")
            )
            continue
        first_seen[key] = number
        parsed.records.append((number, record))
    return parsed


# --- storing (the upsert, and a whole file in one transaction) ----------------------------


_FIELDS = (
    "title",
    "doc_number",
    "doc_date",
    "issuer",
    "area",
    "agency",
    "supporting",
    "deadline",
    "completed_on",
    "note",
)


def _doc_key(issuer: str | None, number: str | None) -> str | None:
    if not number or not fold(number):
        return None
    return f"{fold(issuer or '')}|{fold(number)}"


def _blank(value: Any) -> Any:
    return None if value is None or value == "" else value


def upsert(db: Database, record: TaskRecord, now: datetime, source: str = "") -> str:
    """Create or update the task ``record.code``; returns created, updated or unchanged.

    Each change is recorded in the task's history. A blank completion date in the file
    never clears one already recorded (an old file must not undo a reported completion).
    """
    stamp = now.isoformat(timespec="seconds")
    agency_id = _ensure_agency(db, record.agency)
    values: dict[str, Any] = {
        "code": record.code,
        "code_key": code_key(record.code),
        "title": record.title,
        "doc_number": record.doc_number,
        "doc_date": _plain(record.doc_date),
        "issuer": record.issuer,
        "doc_key": _doc_key(record.issuer, record.doc_number),
        "area": record.area,
        "agency_id": agency_id,
        "supporting": record.supporting,
        "deadline": _plain(record.deadline),
        "completed_on": _plain(record.completed_on),
        "note": record.note,
    }
    row = db.execute(
        f"SELECT {_TASK_COLUMNS}{_TASK_FROM} WHERE t.code_key = ?", [values["code_key"]]
    ).fetchone()
    if row is None:
        cur = db.execute(
            "INSERT INTO task (code, code_key, title, doc_number, doc_date, issuer, doc_key,"
            " area, agency_id, supporting, deadline, completed_on, note, created_at,"
            " updated_at) VALUES (:code, :code_key, :title, :doc_number, :doc_date, :issuer,"
            " :doc_key, :area, :agency_id, :supporting, :deadline, :completed_on, :note,"
            " :now, :now)",
            {**values, "now": stamp},
        )
        _event(db, int(cur.lastrowid or 0), now, "created", note=source or None)
        return "created"
    old = _task(row)
    if record.completed_on is None and old.completed_on is not None:
        values["completed_on"] = old.completed_on.isoformat()
    changes: dict[str, list[Any]] = {}
    for name in _FIELDS:
        before = _plain(getattr(old, name))
        after = record.agency if name == "agency" else values[name]
        if name == "agency":
            if agency_id != old.agency_id:
                changes[name] = [before, after]
        elif _blank(before) != _blank(after):
            changes[name] = [before, after]
    if not changes:
        return "unchanged"
    values["now"] = stamp
    values["id"] = old.id
    db.execute(
        "UPDATE task SET code = :code, title = :title, doc_number = :doc_number,"
        " doc_date = :doc_date, issuer = :issuer, doc_key = :doc_key, area = :area,"
        " agency_id = :agency_id, supporting = :supporting, deadline = :deadline,"
        " completed_on = :completed_on, note = :note, updated_at = :now WHERE id = :id",
        values,
    )
    _event(db, old.id, now, "imported", changes=changes, note=source or None)
    return "updated"


def import_file(db: Database, path: str | Path, now: datetime) -> ImportReport:
    """Read ``path`` and create or update its tasks in one transaction."""
    parsed = read_file(path, now.date())
    source = Path(path).name
    report = ImportReport(
        source=source,
        rows=parsed.rows,
        bad=parsed.bad,
        ignored_columns=parsed.ignored_columns,
    )
    with db.atomic():
        for _number, record in parsed.records:
            outcome = upsert(db, record, now, source=f"Nhập từ tệp {source}")
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report
