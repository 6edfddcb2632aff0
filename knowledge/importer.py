"""Build the catalogue from national-portal records (dvcqg crawl, BQP exports) and an overlay."""

from __future__ import annotations

import gzip
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from knowledge.catalogue import Catalogue, make, normalize_code
from knowledge.errors import ImportProblem
from knowledge.models import Procedure

# Where each source file comes from (see ../shared/data/PROVENANCE.md); recorded in the catalogue.
PROVENANCE = {
    "dvcqg_procedures.jsonl.gz": (
        "Cổng Dịch vụ công quốc gia (dichvucong.gov.vn), crawled mid-2026 by "
        "github.com/chatbot-tthc/chatbot_tthc scripts/crawler/data/raw/ "
        "@53229487610b07e0d7127f529b87c333f19aeb1e"
    ),
    "bqp_procedures.jsonl.gz": (
        "Bộ Quốc phòng, ChiTietTTHC_<code>.doc exports of dichvucong.gov.vn, parsed by "
        "github.com/nhdandz/ThuTucHanhChinh data/extracted_fixed/ "
        "@936e184ef5b6afd7debfecf42e66888c4d6174ba"
    ),
}

# BQP records carry no portal link. We build the portal's search page for the code instead: it
# is a search link (it lists the procedure), not a verified detail page.
PORTAL_SEARCH = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?keyword={code}"

_LEVEL_NAMES = {"cấp bộ": "Cấp Bộ", "cấp tỉnh": "Cấp Tỉnh", "cấp xã": "Cấp Xã"}
_NO_INFO = {"", "không có thông tin", "không", "không có", "không quy định", "-", "--"}

# Anomaly kinds, as counted and as kept on Procedure.anomalies.
DUPLICATE_CODE = "duplicate_code"
BAD_CODE = "bad_code"


def clean(text: Any) -> str:
    """NFC text with runs of blanks collapsed and the ends stripped ("" for None)."""
    if text is None:
        return ""
    nfc = unicodedata.normalize("NFC", str(text)).replace("\xa0", " ")
    return re.sub(r"[ \t]+", " ", nfc).strip()


def one_line(text: Any) -> str:
    """Like :func:`clean` but on one line."""
    return re.sub(r"\s+", " ", clean(text)).strip()


def no_info(text: str) -> bool:
    """True when the portal's text means "nothing published" (Không có thông tin, ...)."""
    return text.strip().strip(".").strip().lower() in _NO_INFO


def parse_levels(text: str) -> tuple[str, ...]:
    """Levels of ``cap_thuc_hien``, comma separated, casing normalised (Cấp Tỉnh, Cấp Xã)."""
    out: list[str] = []
    for part in one_line(text).split(","):
        name = part.strip()
        if not name:
            continue
        name = _LEVEL_NAMES.get(name.lower(), name[:1].upper() + name[1:])
        if name not in out:
            out.append(name)
    return tuple(out)


def portal_search_url(code: str) -> str:
    """The national portal's search page for ``code`` (used when a record has no link)."""
    return PORTAL_SEARCH.format(code=quote(code))


@dataclass
class ImportReport:
    """What the import found: how many records, and a count per anomaly kind."""

    records: Counter[str] = field(default_factory=Counter)  # per source
    anomalies: Counter[str] = field(default_factory=Counter)  # per kind
    duplicates: list[str] = field(default_factory=list)  # "code (source, first source)"
    overlay_problems: list[str] = field(default_factory=list)
    overlay_applied: int = 0

    def lines(self) -> list[str]:
        """The report as printable lines."""
        out = [f"{src}: {n} thủ tục" for src, n in sorted(self.records.items())]
        out.append(f"tổng: {sum(self.records.values())} bản ghi")
        out.append("bất thường (anomalies):")
        if not self.anomalies:
            out.append("  (không có)")
        for kind, n in sorted(self.anomalies.items()):
            out.append(f"  {kind}: {n}")
        for dup in self.duplicates:
            out.append(f"  trùng mã: {dup}")
        if self.overlay_applied or self.overlay_problems:
            out.append(f"overlay: {self.overlay_applied} dòng áp dụng")
            out.extend(f"  {p}" for p in self.overlay_problems)
        return out


# --- source records --------------------------------------------------------------------------


def iter_records(path: str | Path) -> Iterator[dict[str, Any]]:
    """JSON objects of a .jsonl or .jsonl.gz file, one a line."""
    p = Path(path)
    opener: Callable[..., Any] = gzip.open if p.suffix == ".gz" else open
    try:
        with opener(p, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise ImportProblem(f"{p.name}:{lineno}: not JSON ({exc})") from exc
    except OSError as exc:
        raise ImportProblem(f"cannot read {p.name}: {exc}") from exc


def source_kind(record: Mapping[str, Any]) -> str:
    """ "dvcqg" for a portal crawl record, "bqp" for a BQP export record."""
    if "ma_thu_tuc" in record:
        return "dvcqg"
    if "thu_tuc_id" in record and "metadata" in record:
        return "bqp"
    raise ImportProblem("unknown record shape (neither dvcqg nor bqp)")


def from_dvcqg(rec: Mapping[str, Any]) -> Procedure:
    """A Procedure of one dvcqg crawl record."""
    anomalies: list[str] = []
    return Procedure(
        code=one_line(rec["ma_thu_tuc"]),
        name=one_line(rec.get("ten_thu_tuc")),
        field=one_line(rec.get("linh_vuc")),
        levels=parse_levels(rec.get("cap_thuc_hien") or ""),
        agency=_info(one_line(rec.get("co_quan_thuc_hien"))),
        authority=_info(one_line(rec.get("co_quan_co_tham_quyen"))),
        decision=one_line(rec.get("so_quyet_dinh")),
        subjects=_info(one_line(rec.get("doi_tuong_thuc_hien"))),
        url=one_line(rec.get("detail_url")) or portal_search_url(one_line(rec["ma_thu_tuc"])),
        source="dvcqg",
        anomalies=tuple(anomalies),
    )


def from_bqp(rec: Mapping[str, Any]) -> Procedure:
    """A Procedure of one BQP export record (these have no portal link: see PORTAL_SEARCH)."""
    meta: Mapping[str, Any] = rec.get("metadata") or {}
    content: Mapping[str, Any] = rec.get("content") or {}
    code = one_line(meta.get("mã_thủ_tục") or rec["thu_tuc_id"])
    return Procedure(
        code=code,
        name=one_line(meta.get("tên_thủ_tục")),
        field=one_line(meta.get("lĩnh_vực")),
        levels=parse_levels(meta.get("cấp_thực_hiện") or ""),
        agency=_info(one_line(content.get("cơ_quan_thực_hiện"))),
        authority=_info(one_line(content.get("cơ_quan_có_thẩm_quyền"))),
        decision=one_line(meta.get("số_quyết_định")),
        subjects=_info(one_line(content.get("đối_tượng_thực_hiện"))),
        url=portal_search_url(code),
        source="bqp",
    )


def _info(text: str) -> str:
    return "" if no_info(text) else text


# --- the build -------------------------------------------------------------------------------


def build_date() -> str:
    """Today's ISO date, or the date of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return when.date().isoformat()


def import_sources(
    paths: Iterable[str | Path],
    *,
    overlay: str | Path | None = None,
    progress: Callable[[Iterable[dict[str, Any]], str], Iterable[dict[str, Any]]] | None = None,
    built_at: str | None = None,
) -> tuple[Catalogue, ImportReport]:
    """Read the source files into a Catalogue; a duplicate code keeps the first record."""
    if overlay is not None:
        raise ImportProblem("overlay import is not available yet")
    report = ImportReport()
    by_code: dict[str, Procedure] = {}
    sources: list[str] = []
    for path in paths:
        p = Path(path)
        sources.append(f"{p.name}: {PROVENANCE.get(p.name, 'nguồn không rõ (unknown origin)')}")
        records: Iterable[dict[str, Any]] = iter_records(p)
        if progress is not None:
            records = progress(records, p.name)
        for rec in records:
            kind = source_kind(rec)
            proc = from_dvcqg(rec) if kind == "dvcqg" else from_bqp(rec)
            report.records[kind] += 1
            bare = normalize_code(proc.code)
            if bare is None:
                report.anomalies[BAD_CODE] += 1
                continue
            if bare != proc.code:
                proc = replace(proc, code=bare)
            if bare in by_code:
                report.anomalies[DUPLICATE_CODE] += 1
                report.duplicates.append(f"{bare} ({kind}; giữ bản đầu từ {by_code[bare].source})")
                continue
            by_code[bare] = proc
    for proc in by_code.values():
        report.anomalies.update(proc.anomalies)
    catalogue = make(by_code.values(), built_at=built_at or build_date(), sources=sources)
    return catalogue, report
