"""The provincial overlay: what the province decides per procedure, read from CSV or XLSX.

One row per national code under a header row of Vietnamese column names (see docs/overlay.md).
Rows whose first cell starts with ``#`` are comments. A bad row (unknown or repeated code,
cut days above legal days, a cell that cannot be read) is reported with its row number and
skipped: it is never applied in part.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from knowledge.catalogue import normalize_code
from knowledge.catalogue.models import LocalInfo, Procedure
from knowledge.errors import ImportProblem

T = TypeVar("T")

# Column key -> accepted header names (compared without case, accents or extra spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã thủ tục", "Mã TTHC", "Mã"),
    "name": ("Tên thủ tục", "Tên TTHC"),
    "same_day": ("Trả kết quả trong ngày", "Trong ngày"),
    "legal_days": ("Thời hạn theo quy định (ngày)", "Thời hạn theo quy định"),
    "cut_days": ("Thời hạn sau cắt giảm (ngày)", "Thời hạn sau cắt giảm"),
    "cut_decision": ("Quyết định cắt giảm", "Số quyết định cắt giảm"),
    "postal_submit": ("Nộp qua bưu chính", "Nộp hồ sơ qua bưu chính"),
    "postal_return": ("Nhận kết quả qua bưu chính", "Trả kết quả qua bưu chính"),
    "address": ("Địa chỉ tiếp nhận",),
    "notes": ("Ghi chú",),
    "sample": ("Dữ liệu mẫu",),
}
HEADERS = {key: names[0] for key, names in COLUMNS.items()}  # the documented names

_TRUE = {"có", "co", "x", "yes", "y", "true", "1", "đúng", "dung"}
_FALSE = {"không", "khong", "", "no", "n", "false", "0", "sai"}
MAX_DAYS = 3650.0


@dataclass(frozen=True, slots=True)
class OverlayProblem:
    """A row (or the header) that was not applied, and why."""

    row: int  # as a spreadsheet shows it: the first line of the file is row 1
    code: str
    message: str
    skipped: bool = True  # False for a warning about a row that was applied

    def __str__(self) -> str:
        what = "bỏ qua" if self.skipped else "lưu ý"
        code = f" [{self.code}]" if self.code else ""
        return f"dòng {self.row}{code}: {self.message} ({what})"


@dataclass(frozen=True)
class Overlay:
    """The rows read from one overlay file."""

    name: str
    entries: dict[str, LocalInfo]
    problems: tuple[OverlayProblem, ...]
    rows: dict[str, int]  # code -> row number, for messages

    @property
    def sample(self) -> bool:
        """True when any applied row is marked as sample data."""
        return any(info.sample for info in self.entries.values())


def _fold(text: str) -> str:
    """Header text without accents, case or extra spaces, for matching column names."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain).strip().casefold()


_HEADER_INDEX = {_fold(name): key for key, names in COLUMNS.items() for name in names}


def _cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0``, dates as ISO, None as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return unicodedata.normalize("NFC", str(value)).strip()


def _code_text(value: Any) -> str:
    """A code cell; a spreadsheet may have turned ``1.000010`` into the number 1.00001."""
    if isinstance(value, float):
        return f"{value:.6f}"
    return _cell_text(value)


def parse_bool(text: str) -> bool:
    """``có``/``không`` (also x, yes/no, 1/0, empty = không); ValueError otherwise."""
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(text)


def parse_days(text: str) -> float | None:
    """A number of days (``15``, ``0,5``, ``2.5``), None when empty; ValueError otherwise."""
    raw = text.strip().lower()
    raw = re.sub(r"\s*(ngày làm việc|ngày)$", "", raw)
    if not raw:
        return None
    if not re.fullmatch(r"\d+(?:[.,]\d+)?", raw):
        raise ValueError(text)
    value = float(raw.replace(",", "."))
    if value > MAX_DAYS:
        raise ValueError(text)
    return value


def _rows_csv(path: Path) -> Iterator[list[Any]]:
    text = path.read_text(encoding="utf-8-sig")
    sample = "\n".join(line for line in text.splitlines()[:20] if not line.startswith("#"))
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _rows_xlsx(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def iter_rows(path: str | Path) -> Iterator[list[Any]]:
    """Raw rows of a CSV (UTF-8, comma, semicolon or tab) or XLSX file (first sheet)."""
    p = Path(path)
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            yield from _rows_xlsx(p)
        elif p.suffix.lower() in (".csv", ".txt", ".tsv"):
            yield from _rows_csv(p)
        else:
            raise ImportProblem(f"{p.name}: overlay must be .csv or .xlsx")
    except ImportProblem:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise ImportProblem(f"cannot read overlay {p.name}: {exc}") from exc


def _is_blank(row: Sequence[Any]) -> bool:
    return all(_cell_text(v) == "" for v in row)


def _header(row: Sequence[Any], rownum: int) -> tuple[dict[str, int], list[OverlayProblem]]:
    columns: dict[str, int] = {}
    problems: list[OverlayProblem] = []
    for i, cell in enumerate(row):
        name = _cell_text(cell)
        if not name:
            continue
        key = _HEADER_INDEX.get(_fold(name))
        if key is None:
            problems.append(OverlayProblem(rownum, "", f"cột lạ {name!r} (bỏ qua cột)", False))
        elif key in columns:
            problems.append(
                OverlayProblem(rownum, "", f"cột {name!r} lặp lại (bỏ qua cột)", False)
            )
        else:
            columns[key] = i
    if "code" not in columns:
        raise ImportProblem(f"dòng {rownum}: overlay has no column {HEADERS['code']!r}")
    return columns, problems


def _parse_row(
    cells: Mapping[str, Any], default_sample: bool
) -> tuple[LocalInfo | None, list[str]]:
    """A LocalInfo of one row, or None and the reasons it cannot be read."""
    errors: list[str] = []

    def parsed(key: str, parse: Callable[[str], T], problem: str, fallback: T) -> T:
        text = _cell_text(cells.get(key))
        try:
            return parse(text)
        except ValueError:
            errors.append(f"{HEADERS[key]} = {text!r}: {problem}")
            return fallback

    def flag(key: str) -> bool:
        return parsed(key, parse_bool, "ghi 'có' hoặc 'không'", False)

    def days(key: str) -> float | None:
        return parsed(key, parse_days, "không phải số ngày", None)

    same_day = flag("same_day")
    legal = days("legal_days")
    cut = days("cut_days")
    decision = re.sub(r"\s+", " ", _cell_text(cells.get("cut_decision")))
    postal_submit = flag("postal_submit")
    postal_return = flag("postal_return")
    sample_text = _cell_text(cells.get("sample"))
    sample = default_sample if sample_text == "" else flag("sample")
    if errors:
        return None, errors
    if cut is not None and legal is None:
        errors.append(f"có {HEADERS['cut_days']} nhưng thiếu {HEADERS['legal_days']}")
    if cut is not None and legal is not None and cut > legal:
        errors.append(
            f"thời hạn sau cắt giảm ({cut:g}) lớn hơn thời hạn theo quy định ({legal:g})"
        )
    if cut is not None and legal is not None and cut < legal and not decision:
        errors.append(f"cắt giảm thời hạn nhưng thiếu {HEADERS['cut_decision']}")
    if errors:
        return None, errors
    info = LocalInfo(
        same_day=same_day,
        legal_days=legal,
        cut_days=cut,
        cut_decision=decision,
        postal_submit=postal_submit,
        postal_return=postal_return,
        address=re.sub(r"\s+", " ", _cell_text(cells.get("address"))),
        notes=_cell_text(cells.get("notes")),
        sample=sample,
    )
    if info == LocalInfo(sample=sample):
        return None, ["dòng không có thông tin nào của tỉnh"]
    return info, []


def read_overlay(
    path: str | Path, known_codes: Collection[str], *, sample: bool = False
) -> tuple[dict[str, LocalInfo], list[OverlayProblem]]:
    """Rows of an overlay file by national code, and the problems found (row numbers 1-based).

    ``known_codes`` are the catalogue's codes: a row for any other code is reported and
    skipped. ``sample`` is the default for rows that leave the ``Dữ liệu mẫu`` column empty.
    """
    entries, problems, _ = _read(path, known_codes, sample)
    return entries, problems


def _read(
    path: str | Path, known_codes: Collection[str], sample: bool
) -> tuple[dict[str, LocalInfo], list[OverlayProblem], dict[str, int]]:
    entries: dict[str, LocalInfo] = {}
    first_row: dict[str, int] = {}
    problems: list[OverlayProblem] = []
    columns: dict[str, int] | None = None
    known = set(known_codes)
    for rownum, row in enumerate(iter_rows(path), 1):
        if _is_blank(row):
            continue
        if _cell_text(row[0]).startswith("#"):
            continue
        if columns is None:
            columns, header_problems = _header(row, rownum)
            problems.extend(header_problems)
            continue
        cells = {key: row[i] if i < len(row) else None for key, i in columns.items()}
        raw_code = _code_text(cells["code"])
        code = normalize_code(raw_code)
        if not raw_code:
            problems.append(OverlayProblem(rownum, "", "thiếu mã thủ tục"))
            continue
        if code is None:
            problems.append(OverlayProblem(rownum, raw_code, "mã thủ tục không hợp lệ"))
            continue
        if code not in known:
            problems.append(OverlayProblem(rownum, code, "mã không có trong danh mục quốc gia"))
            continue
        if code in first_row:
            problems.append(
                OverlayProblem(rownum, code, f"mã đã có ở dòng {first_row[code]} (trùng mã)")
            )
            continue
        first_row[code] = rownum
        info, errors = _parse_row(cells, sample)
        if info is None:
            problems.append(OverlayProblem(rownum, code, "; ".join(errors)))
            continue
        entries[code] = info
    if columns is None:
        raise ImportProblem(f"{Path(path).name}: overlay has no header row")
    return entries, problems, {code: first_row[code] for code in entries}


def load_overlay(path: str | Path, known_codes: Collection[str]) -> Overlay:
    """Read an overlay file into an :class:`Overlay`."""
    entries, problems, rows = _read(path, known_codes, False)
    return Overlay(Path(path).name, entries, tuple(problems), rows)


def national_mismatches(overlay: Overlay, procedures: Iterable[Procedure]) -> list[OverlayProblem]:
    """Warnings (rows still applied) where the legal days differ from every national time."""
    out: list[OverlayProblem] = []
    for proc in procedures:
        info = overlay.entries.get(proc.code)
        if info is None or info.legal_days is None:
            continue
        national = {
            ch.time.value
            for ch in proc.channels
            if ch.time is not None and ch.time.known and ch.time.unit in ("ngay_lam_viec", "ngay")
        }
        if national and info.legal_days not in national:
            shown = ", ".join(f"{v:g}" for v in sorted(v for v in national if v is not None))
            out.append(
                OverlayProblem(
                    overlay.rows.get(proc.code, 0),
                    proc.code,
                    f"thời hạn theo quy định {info.legal_days:g} ngày khác dữ liệu quốc gia "
                    f"({shown} ngày)",
                    False,
                )
            )
    return out


def apply_overlay(
    procedures: Iterable[Procedure], entries: Mapping[str, LocalInfo]
) -> list[Procedure]:
    """The procedures with their overlay row (if any) as ``local``."""
    return [replace(p, local=entries[p.code]) if p.code in entries else p for p in procedures]
