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

from knowledge.catalogue import Catalogue, make, normalize_code, times
from knowledge.catalogue import fees as fee_rule
from knowledge.catalogue.models import Channel, Duration, LegalDoc, Procedure
from knowledge.catalogue.overlay import apply_overlay, load_overlay, national_mismatches
from knowledge.errors import ImportProblem

# Where each source file comes from (see sources/PROVENANCE.md); recorded in the catalogue.
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
_NO_INFO = {"", "không có thông tin", "không", "không có", "-", "--", "không có thông tin."}

# Anomaly kinds, counted by the import and kept on Procedure.anomalies as "kind" or
# "kind:channel" so that the UI says "chưa có thông tin" instead of guessing.
DUPLICATE_CODE = "duplicate_code"  # the same code twice: the first record is kept
BAD_CODE = "bad_code"  # not a national code: the record is skipped
NO_CHANNELS = "no_channels"  # no submission channel could be read
TIME_MISSING = "time_missing"  # the channel publishes no processing time
TIME_WITHOUT_UNIT = "time_without_unit"  # a bare number: the unit was lost (1.001193 shows "1")
TIME_NOT_NUMERIC = "time_not_numeric"  # text such as "Không quy định", "3-5": kept as published
TIME_FEE_GLUED = "time_fee_glued"  # "120 VNĐ": time and fee digits run together, split unknown
TIME_UNIT_FROM_TEXT = "time_unit_from_text"  # a bare "1" whose unit the procedure's text states
FEE_MISSING = "fee_missing"  # the channel publishes no fee ("Không có thông tin" or nothing)
FEE_UNPARSED = "fee_unparsed"  # fee text that is not "Miễn phí" or an amount: kept as published
FEE_AMOUNT_UNCLEAR = "fee_amount_unclear"  # an amount in VNĐ under 1.000 (thousands?) or mixed
FEE_CONTRADICTED = "fee_contradicted"  # "Miễn phí(...)" whose note states a sum or defers it
NO_DOCUMENTS = "no_documents"  # no document list
DOCUMENTS_UNSTRUCTURED = "documents_unstructured"  # the list is prose, kept as one item
NO_LEGAL_BASIS = "no_legal_basis"  # no legal basis
LEGAL_NUMBER_MISSING = "legal_number_missing"  # a legal document without a readable number

ANOMALY_HELP = {
    DUPLICATE_CODE: "mã trùng (giữ bản ghi đầu)",
    BAD_CODE: "mã không hợp lệ (bỏ qua)",
    NO_CHANNELS: "không đọc được cách thức thực hiện",
    TIME_MISSING: "kênh không có thời hạn",
    TIME_WITHOUT_UNIT: "thời hạn mất đơn vị",
    TIME_NOT_NUMERIC: "thời hạn không phải số (giữ nguyên văn)",
    TIME_FEE_GLUED: "thời hạn và phí dính nhau, không tách chắc chắn được",
    TIME_UNIT_FROM_TEXT: "thời hạn mất đơn vị, lấy đơn vị từ nội dung của chính thủ tục",
    FEE_MISSING: "kênh không có thông tin phí",
    FEE_UNPARSED: "phí không đọc được thành số (giữ nguyên văn)",
    FEE_AMOUNT_UNCLEAR: "số tiền phí không rõ (dưới 1.000 đồng hoặc nhiều mức)",
    FEE_CONTRADICTED: "ghi “Miễn phí” nhưng phần ghi chú nêu số tiền hoặc nơi quy định mức thu",
    NO_DOCUMENTS: "không có thành phần hồ sơ",
    DOCUMENTS_UNSTRUCTURED: "thành phần hồ sơ không theo bảng (giữ nguyên văn)",
    NO_LEGAL_BASIS: "không có căn cứ pháp lý",
    LEGAL_NUMBER_MISSING: "văn bản pháp lý không có số hiệu",
}


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


# --- cells: time, fee, channels ---------------------------------------------------------------

_UNITS = {
    "ngày làm việc": "ngay_lam_viec",
    "ngày": "ngay",
    "giờ làm việc": "gio",
    "giờ": "gio",
    "tuần": "tuan",
    "tháng": "thang",
    "năm": "nam",
}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_NUM_RE = r"\d+(?:[.,]\d+)?"
_TIME_CELL = re.compile(rf"({_NUM_RE})\s*({_UNIT_RE})\.?", re.IGNORECASE)
_CURRENCY_RE = r"Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD"
_VND = {"việt nam đồng", "vnđ", "vnd", "đồng"}
_AMOUNT_RE = r"\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+[.,]\d{1,2}(?!\d)|\d+"
_FEE_CELL = re.compile(
    rf"(?:(?:Lệ phí|Phí)\s*:\s*)?({_AMOUNT_RE})\s*({_CURRENCY_RE})\s*(\(.*\))?", re.DOTALL
)
_FEE_HEAD = re.compile(rf"Miễn phí|Không có thông tin|(?:{_AMOUNT_RE})\s*(?:{_CURRENCY_RE})")
_MONEY_IN_TEXT = re.compile(
    r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đồng|Đồng|VNĐ|vnđ|VND|đ\b)"
    r"|(?:[Pp]hí|[Mm]ức thu)\s*:?\s*(\d{1,3}(?:[.,]\d{3})+|\d{4,})"
)
_WELL_FORMED_AMOUNT = re.compile(r"0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d*")
_GLUED = re.compile(rf"(\d[\d.,]*)\s*({_CURRENCY_RE})")
_BARE_NUMBER = re.compile(rf"({_NUM_RE})(?=Miễn phí|Không)")

CHANNEL_NAMES = {
    "trực tiếp": "truc_tiep",
    "trực tuyến": "truc_tuyen",
    "dịch vụ bưu chính": "buu_chinh",
}
_CHANNEL_RE = re.compile("Trực tiếp|Trực tuyến|Dịch vụ bưu chính")
_ROW_START = re.compile(r"\d|Không|Miễn")
CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def _number(text: str) -> float:
    """``0,5`` or ``1.5`` as a float (comma or dot is the decimal mark in a time)."""
    return float(text.replace(",", "."))


def _amount(text: str) -> int:
    """``2,000,000`` or ``70.000`` or ``500`` as an integer."""
    return int(re.sub(r"[.,]", "", text))


def parse_duration(text: str) -> tuple[Duration | None, str | None]:
    """A time cell as a Duration, and the anomaly kind when it could not be read fully.

    ``5 Ngày làm việc`` -> 5 ngay_lam_viec; ``1`` -> unit unknown (the source lost it), raw kept;
    ``Không quy định`` -> kept as text, unknown; ``Không có thông tin`` or "" -> None.
    """
    raw = one_line(text)
    if no_info(raw):
        return None, TIME_MISSING
    match = _TIME_CELL.fullmatch(raw)
    if match:
        return Duration(raw, _number(match.group(1)), _UNITS[match.group(2).lower()]), None
    if re.fullmatch(_NUM_RE, raw):
        return Duration(raw), TIME_WITHOUT_UNIT
    return Duration(raw), TIME_NOT_NUMERIC


def parse_fee(text: str) -> tuple[str, int | None, str | None]:
    """A fee cell as (text as published, amount in VND or None, anomaly kind or None).

    The reading is :func:`knowledge.catalogue.fees.read_fee` (the rule the cards use): the
    amount is 0 only when the cell says free and nothing in it contradicts that, the one sum
    in đồng it states otherwise, None when it states none or several. A "Miễn phí" head whose
    note states a sum or defers the fee to the province or a law is reported as contradicted.
    """
    fee = clean(text).strip()
    reading = fee_rule.read_fee(fee)
    if reading.kind == fee_rule.MISSING:
        return "", None, FEE_MISSING
    problem: str | None = None
    head_free = fee.startswith("Miễn phí")
    if reading.kind == fee_rule.UNCLEAR:
        problem = FEE_UNPARSED
    elif head_free and reading.kind != fee_rule.FREE:
        problem = FEE_CONTRADICTED
    elif reading.kind == fee_rule.AMOUNT and (reading.uncertain or len(reading.amounts) > 1):
        problem = FEE_AMOUNT_UNCLEAR
    elif reading.kind in (fee_rule.LAW, fee_rule.PROVINCIAL):
        problem = FEE_UNPARSED
    return fee, reading.amount, problem


def _take_parens(text: str) -> tuple[str, str]:
    """Split a leading balanced "(...)" off ``text``: (the parenthesis, the rest)."""
    if not text.startswith("("):
        return "", text
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[: i + 1], text[i + 1 :]
    # Unbalanced (the portal's notes sometimes are): end the note at the first ")" that is glued
    # to the next cell ("...TT-BTC))Trong thời hạn", "...TT-BTC)20 ngày"), else at the end.
    glued = re.search(r"\)(?=[^\s).,;:]|- )", text)
    if glued:
        return text[: glued.end()], text[glued.end() :]
    return text, ""


def _glued_splits(digits: str) -> list[tuple[str, str]]:
    """Ways to read ``120`` as time + amount (``1`` + ``20``, ``12`` + ``0``, ``""`` + ``120``)."""
    out = []
    for i in range(min(4, len(digits))):
        time, amount = digits[:i], digits[i:]
        if i and not time.isdigit():
            break
        if _WELL_FORMED_AMOUNT.fullmatch(amount):
            out.append((time, amount))
    return out


def _parse_row(kind: str, body: str) -> tuple[Channel, list[str]]:
    """One flattened channel row (after its name): time, fee and description."""
    anomalies: list[str] = []
    time: Duration | None
    rest = body
    fee_override: str | None = None
    if match := _TIME_CELL.match(body):
        time = Duration(one_line(match.group(0)).rstrip("."), _number(match.group(1)))
        time = replace(time, unit=_UNITS[match.group(2).lower()])
        rest = body[match.end() :]
    elif body.startswith("Không có thông tin"):
        time, rest = None, body[len("Không có thông tin") :]
        anomalies.append(TIME_MISSING)
    elif glued := _GLUED.match(body):
        splits = _glued_splits(glued.group(1))
        if len(splits) == 1:
            time_digits, amount = splits[0]
            if time_digits:
                time = Duration(time_digits)
                anomalies.append(TIME_WITHOUT_UNIT)
            else:
                time = None
                anomalies.append(TIME_MISSING)
            rest = f"{amount} {glued.group(2)}{body[glued.end() :]}"
        else:
            # "120 VNĐ" reads as 1 + 20, 12 + 0 or 120: do not choose. The cell is kept as the
            # raw time, the fee column's note (if any) as the fee text, without an amount.
            time = Duration(one_line(glued.group(0)))
            anomalies.append(TIME_FEE_GLUED)
            note, rest = _take_parens(body[glued.end() :])
            fee_override = note[1:-1].strip() if note.endswith(")") else note
    elif match := _BARE_NUMBER.match(body):
        time, rest = Duration(match.group(1)), body[match.end() :]
        anomalies.append(TIME_WITHOUT_UNIT)
    elif (head := _FEE_HEAD.search(body)) is not None:
        time, problem = parse_duration(body[: head.start()])
        anomalies.extend([problem] if problem else [])
        rest = body[head.start() :]
    else:
        time = None
        anomalies.append(TIME_MISSING)

    fee, amount_vnd, description = "", None, rest
    if fee_override is not None:
        fee = fee_override
    elif (head := _FEE_HEAD.match(rest)) is not None:
        # "Không có thông tin(1) Trường hợp..." : the "(1)" numbers the description.
        no_fee = head.group(0) == "Không có thông tin"
        note, description = (
            ("", rest[head.end() :]) if no_fee else _take_parens(rest[head.end() :])
        )
        fee, amount_vnd, problem = parse_fee(head.group(0) + note)
        anomalies.extend([problem] if problem else [])
    else:
        anomalies.append(FEE_MISSING)
    description = one_line(description)
    channel = Channel(kind, time, fee, amount_vnd, "" if no_info(description) else description)
    return channel, [f"{a}:{kind}" for a in anomalies]


def parse_dvcqg_channels(cell: str) -> tuple[tuple[Channel, ...], list[str]]:
    """Channels of a flattened ``cach_thuc_thuc_hien`` cell, and what could not be read."""
    text = clean(cell)
    if text.startswith(CHANNEL_HEADER):
        text = text[len(CHANNEL_HEADER) :]
    starts = [
        m for m in _CHANNEL_RE.finditer(text) if m.start() == 0 or _ROW_START.match(text, m.end())
    ]
    if not starts:
        return (), [NO_CHANNELS]
    channels: list[Channel] = []
    anomalies: list[str] = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        kind = CHANNEL_NAMES[match.group(0).lower()]
        channel, problems = _parse_row(kind, text[match.end() : end])
        channels.append(channel)
        anomalies.extend(problems)
    return tuple(channels), anomalies


def parse_bqp_channels(rows: Iterable[Mapping[str, Any]]) -> tuple[tuple[Channel, ...], list[str]]:
    """Channels of a BQP ``tables.hinh_thuc_nop`` list (one row per channel and case)."""
    channels: list[Channel] = []
    anomalies: list[str] = []
    for row in rows:
        kind = CHANNEL_NAMES.get(one_line(row.get("hinh_thuc")).lower())
        if kind is None:
            continue
        time, time_problem = parse_duration(row.get("thoi_han_giai_quyet") or "")
        fee, amount, fee_problem = parse_fee(row.get("phi_le_phi") or "")
        description = one_line(row.get("mo_ta"))
        channels.append(
            Channel(kind, time, fee, amount, "" if no_info(description) else description)
        )
        anomalies.extend(f"{p}:{kind}" for p in (time_problem, fee_problem) if p)
    if not channels:
        anomalies.append(NO_CHANNELS)
    return tuple(channels), anomalies


# --- cells: documents ------------------------------------------------------------------------

DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY = re.compile(r"(\d) bản chính(?:,\s*(\d) bản sao)?|(\d) bản sao")
_FORM_FILE = re.compile(r"\.(?:docx?|pdf|xlsx?|rtf|odt|zip|rar)$", re.IGNORECASE)
_FORM_GLUED = re.compile(
    r"(?<=\S)(?:Mẫu|Mau|Mus|MẪU|MAU|Phụ lục|Phụ Lục|Phu luc|Phu lục|PL|Phlc|Tờ khai|TK)"
)


def _strip_form_file(text: str) -> str:
    """Drop trailing form file names (``...;Mẫu số 01.docx``) from a document name."""
    for _ in range(10):  # some rows list several files
        stripped = _strip_one_form_file(text)
        if stripped == text:
            break
        text = stripped
    return text


def _strip_one_form_file(text: str) -> str:
    ext = _FORM_FILE.search(text)
    if not ext:
        return text
    stem = text[: ext.start()]
    window = max(0, len(stem) - 120)
    # 1. a form name glued to the text before it: "...NĐ-CPMau38", "...đề nghị.Phụ lục VIII"
    anchors = [
        m.start() for m in _FORM_GLUED.finditer(stem, window) if stem[m.start() - 1] not in "( "
    ]
    if anchors:
        return stem[: anchors[0]].strip()
    # 2. after the last delimiter: "...27/12/2021;Mus08"
    cut = max((stem.rfind(ch, window) for ch in ";:)"), default=-1)
    dot = stem.rfind(".", window)
    if dot > 0 and not stem[dot - 1].isdigit():
        cut = max(cut, dot)
    if cut >= 0:
        return stem[: cut + 1].strip()
    # 3. a lower-case letter glued to a capital: "...QĐ-TTgGiấy đề nghị"
    glued = [window + m.start() + 1 for m in re.finditer(r"[a-zà-ỹđ][A-ZÀ-ỸĐ]", stem[window:])]
    if glued:
        return stem[: glued[-1]].strip()
    return text


def _quantity_label(match: re.Match[str]) -> str:
    """``1 bản chính,1 bản sao`` -> ``1 bản chính, 1 bản sao``; nothing when all are zero."""
    if match.group(3) is not None:
        originals, copies = 0, int(match.group(3))
    else:
        originals, copies = int(match.group(1)), int(match.group(2) or 0)
    parts = []
    if originals:
        parts.append(f"{originals} bản chính")
    if copies:
        parts.append(f"{copies} bản sao")
    return ", ".join(parts)


def _document(name: str, quantity: str = "") -> str:
    text = _strip_form_file(one_line(name)).strip()
    text = re.sub(r"^[-+•*]\s*", "", text).strip().rstrip(";,").strip()
    if text and quantity:
        text = f"{text} ({quantity})"
    return text


def _document_rows(body: str) -> tuple[list[tuple[str, bool]], str]:
    """Rows of one flattened document table as (text, heading?), and the text after the last.

    A row that ends with ":" ("Hồ sơ chủ đầu tư nộp đến Sở ..., gồm:") heads the rows after it.
    """
    rows: list[tuple[str, bool]] = []
    pos = 0
    for match in _QUANTITY.finditer(body):
        after = body[match.end() : match.end() + 2]
        if len(after) == 2 and after[0] == " " and after[1].islower():
            continue  # "01 bản sao có chứng thực" inside a name, not the quantity column
        if match.start() <= pos:
            continue
        name = body[pos : match.start()]
        heading = _is_heading_row(name)
        doc = _document(name, "" if heading else _quantity_label(match))
        if doc:
            rows.append((doc, heading))
        pos = match.end()
    return rows, body[pos:]


def _is_heading_row(name: str) -> bool:
    return one_line(name).rstrip().endswith(":")


def _label(text: str) -> str:
    return one_line(text).strip("-* ").strip()


def parse_dvcqg_documents(cell: str) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """Documents of ``thanh_phan_ho_so``: (documents, notes of "Lưu ý" sections, anomalies).

    Section labels ("Trường hợp ủy quyền thực hiện thủ tục:") stay in the list, in order;
    :func:`read_dvcqg_documents` also says which items are such headings.
    """
    documents, notes, _, anomalies = read_dvcqg_documents(cell)
    return documents, notes, anomalies


def read_dvcqg_documents(
    cell: str,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], list[str]]:
    """Like :func:`parse_dvcqg_documents`, with the positions of the headings in the list.

    Headings are the labels of the portal's sections ("* Giấy tờ phải xuất trình:", "1. Hồ sơ
    thu hồi") and the rows that end with ":" ("..., hồ sơ gồm:"): they head what follows.
    """
    text = clean(cell)
    if no_info(one_line(text)):
        return (), (), (), [NO_DOCUMENTS]
    if DOCUMENT_HEADER not in text:
        return (one_line(text),), (), (), [DOCUMENTS_UNSTRUCTURED]
    documents: list[str] = []
    headings: list[int] = []
    notes: list[str] = []
    parts = text.split(DOCUMENT_HEADER)
    label = _label(parts[0])
    for body in parts[1:]:
        rows, tail = _document_rows(body)
        if "lưu ý" in label.lower():
            notes.extend([label] + [doc for doc, _ in rows])
        else:
            if label:
                headings.append(len(documents))
                documents.append(label)
            for doc, heading in rows:
                if heading:
                    headings.append(len(documents))
                documents.append(doc)
        label = _label(tail)
    if label:
        (notes if label.lower().startswith("lưu ý") else documents).append(label)
    anomalies = [] if documents else [NO_DOCUMENTS]
    return tuple(documents), tuple(notes), tuple(headings), anomalies


def parse_bqp_documents(rows: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, ...], list[str]]:
    """Documents of a BQP ``tables.thanh_phan_ho_so`` list."""
    documents, _, anomalies = read_bqp_documents(rows)
    return documents, anomalies


def read_bqp_documents(
    rows: Iterable[Mapping[str, Any]],
) -> tuple[tuple[str, ...], tuple[int, ...], list[str]]:
    """Like :func:`parse_bqp_documents`, with the positions of the headings ("..., gồm:")."""
    out: list[str] = []
    headings: list[int] = []
    for row in rows:
        if _is_heading_row(row.get("ten_giay_to") or ""):
            heading = _document(row.get("ten_giay_to") or "")
            if heading:
                headings.append(len(out))
                out.append(heading)
            continue
        note = one_line(row.get("ghi_chu"))
        originals = re.search(r"Bản chính:\s*(\d+)", note)
        copies = re.search(r"Bản sao:\s*(\d+)", note)
        parts = []
        if originals and int(originals.group(1)):
            parts.append(f"{int(originals.group(1))} bản chính")
        if copies and int(copies.group(1)):
            parts.append(f"{int(copies.group(1))} bản sao")
        doc = _document(row.get("ten_giay_to") or "", ", ".join(parts))
        if doc:
            out.append(doc)
    return tuple(out), tuple(headings), ([] if out else [NO_DOCUMENTS])


# --- cells: legal basis ----------------------------------------------------------------------

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# Issuers that end legal numbers (NĐ-CP, TT-BTC, QĐ-TTg ...): the longest known one wins, so
# "NĐ-CPThông tư" and "NĐ-CPLUẬT" (flattened rows) still end at "CP".
_ISSUER_NAMES = """CP TTg TTG BTC NHNN BNNMT BCA BTP BGTVT BNNPTNT BXD BTNMT BLĐTBXH BHXH BKHĐT
    UBND
    BQP BKHCN BNG BYT BCT HĐND BNV VPCP BVHTTDL BTTTT TANDTC VKSNDTC BGDĐT BKH CTN VPQH KTNN
    UBDT BDT HĐTP TLĐ NHCSXH TCHQ TCT TW BCĐ BNN BTNN BTM BTS BKHMT BVHTT BGD"""
_ISSUERS = sorted(set(_ISSUER_NAMES.split()), key=lambda name: (-len(name), name))
_DOC_TYPES = "NĐ|TTLT|TT|QĐ|NQ|CT|PL|L|VBHN|NĐCP|KH|HD|CV|TB"
_ISSUER_RE = "|".join(_ISSUERS) + r"|UBTVQH\d{2}|QH\d{2}|[A-ZĐ]{1,10}(?![a-zà-ỹđ])"
_LEGAL_NUMBER = re.compile(
    rf"(\d+(?:\.\d+)?)/(?:((?:19|20)\d{{2}})/)?"
    rf"((?:UBTVQH|QH)\d{{2}}|(?:{_DOC_TYPES})(?:\s?[-/]\s?(?:{_ISSUER_RE}))+)"
)
_TRAILING_TYPE = re.compile(
    r"(?<=\S)(?:Thông tư liên tịch|Thông tư|Nghị định|Quyết định|Nghị quyết|Luật|Pháp lệnh|"
    r"Chỉ thị|Văn bản hợp nhất|NĐ|TT|QĐ|NQ)(?:\s+số)?\s*$"
)


_ONLY_DOC_TYPE = re.compile(
    r"(?:Thông tư liên tịch|Thông tư|Nghị định|Quyết định|Nghị quyết|Luật|Pháp lệnh|Lệnh|"
    r"Chỉ thị)(?:\s+số)?",
    re.IGNORECASE,
)
_GLUED_DOC_TYPE = re.compile(
    r"(?<=[^\s(\[\"“'/-])(?:Thông tư|Nghị định|Quyết định|Nghị quyết|Pháp lệnh|Luật) "
)


def _legal_number(match: re.Match[str]) -> tuple[str, int]:
    """The number text of a match and how many leading digits belong to the title instead.

    ``năm 201102/2011/QH13`` reads as the year 2011 then ``02/2011/QH13``.
    """
    digits = match.group(1)
    lead = 0
    if len(digits) > 4 and re.match(r"(?:19|20)\d{2}", digits):
        lead = 4
    number = match.group(0)[lead:]
    return re.sub(r"\s+", "", number), lead


def _legal_title(text: str) -> str:
    title = one_line(text)
    title = _TRAILING_TYPE.sub("", title).strip()
    return title.strip(" ;,:-").strip()


def parse_legal_basis(cell: str) -> tuple[tuple[LegalDoc, ...], list[str]]:
    """The flattened ``can_cu_phap_ly`` table as LegalDocs (title, number), and anomalies."""
    text = one_line(cell)
    if text.startswith(LEGAL_HEADER):
        text = text[len(LEGAL_HEADER) :]
    # The crawl sometimes ran on into the next section ("...QH12Cơ quan thực hiệnTòa án...").
    text = re.split(r"(?<=\S)Cơ quan thực hiện", text, maxsplit=1)[0]
    if no_info(text):
        return (), [NO_LEGAL_BASIS]
    docs: list[LegalDoc] = []
    rows: list[str] = []  # the raw text of each row in docs, number included
    anomalies: list[str] = []
    row_start = 0
    pos = 0
    while (match := _LEGAL_NUMBER.search(text, pos)) is not None:
        pos = match.end()
        end = match.end()
        nxt = text[end : end + 2]
        glued = (
            end == len(text)
            or (not nxt[0].isspace() and nxt[0] not in ",.;:)]")
            or text[end:].strip() in (".", ";")
        )
        spaced = len(nxt) == 2 and nxt[0] == " " and nxt[1].isupper()
        if not (glued or spaced):
            continue  # a number quoted inside a title
        number, lead = _legal_number(match)
        row = text[row_start : match.start() + lead]
        title = _legal_title(row)
        if not title and docs and docs[-1].number == number:
            # "Luật 60/2014/QH13" + "60/2014/QH13": the title itself ends with the number.
            docs.pop()
            previous_row = rows.pop()
            starts = list(_GLUED_DOC_TYPE.finditer(previous_row))
            if starts and starts[-1].start() > 0:
                # "...Việt Nam.73-CPThông tư số 119/2014/TT-BTC": the text before the glued
                # "Thông tư" is an earlier document whose number column could not be read.
                orphan = _legal_title(previous_row[: starts[-1].start()])
                if orphan:
                    docs.append(LegalDoc(orphan))
                    anomalies.append(LEGAL_NUMBER_MISSING)
                previous_row = previous_row[starts[-1].start() :]
            title = _legal_title(previous_row)
        if _ONLY_DOC_TYPE.fullmatch(title):
            title = f"{title} {number}"  # "Luật28/2023/QH15" -> "Luật 28/2023/QH15"
        docs.append(LegalDoc(title or number, number))
        rows.append(text[row_start:end])
        row_start = end
    rest = _legal_title(text[row_start:])
    partial = re.search(r"(\d+/(?:19|20)\d{2})$", rest)
    if (
        partial
        and docs
        and docs[-1].number.startswith(partial.group(1) + "/")
        and (rest == partial.group(1))
    ):
        rest = ""  # "...46/2020/NĐ-CP46/2020": the number column lost its suffix
    elif partial:
        # "Nghị định số 167/2025/NĐ-CP ngày ... của Chính phủ167/2025": take the full number
        # the title quotes, when it starts with the truncated number column.
        quoted = [
            m for m in _LEGAL_NUMBER.finditer(rest) if m.group(0).startswith(partial.group(1))
        ]
        if quoted:
            docs.append(LegalDoc(_legal_title(rest[: partial.start()]), quoted[0].group(0)))
            rest = ""
    if rest:
        docs.append(LegalDoc(rest))
        anomalies.append(LEGAL_NUMBER_MISSING)
    if not docs:
        anomalies.append(NO_LEGAL_BASIS)
    return tuple(docs), anomalies


def parse_bqp_legal(rows: Iterable[Mapping[str, Any]]) -> tuple[tuple[LegalDoc, ...], list[str]]:
    """A BQP ``tables.can_cu_phap_ly`` list as LegalDocs."""
    docs: list[LegalDoc] = []
    anomalies: list[str] = []
    for row in rows:
        title = one_line(row.get("trich_yeu"))
        code = one_line(row.get("so_ky_hieu"))
        match = _LEGAL_NUMBER.search(code)
        if match is None:
            # "12" or a title in the number column: take the number the summary opens with.
            match = _LEGAL_NUMBER.search(title[:60])
        number = _legal_number(match)[0] if match else ""
        if not number:
            anomalies.append(LEGAL_NUMBER_MISSING)
        docs.append(LegalDoc(title or code, number))
    if not docs:
        anomalies.append(NO_LEGAL_BASIS)
    return tuple(docs), anomalies


# --- cells: result ---------------------------------------------------------------------------

_RESULT_CODE = re.compile(r"Mã: KQ[\w.]*")


def parse_dvcqg_result(cell: str) -> str:
    """Result names of ``ket_qua_xu_ly`` (``Giấy khai sinhMã: KQ...Từ khóa...Mô tả...``)."""
    text = one_line(cell)
    text = text.split("Chọn cơ quan thực hiện")[0]
    pieces = _RESULT_CODE.split(text)
    if len(pieces) == 1:
        return "" if no_info(text) else text
    names = [pieces[0].strip()]
    for piece in pieces[1:]:
        # "Từ khóa<kw>Mô tả<description><next name>"
        desc = piece.split("Mô tả", 1)[1] if "Mô tả" in piece else ""
        if desc.startswith("Không có thông tin"):
            desc = desc[len("Không có thông tin") :]
        if desc.strip():
            names.append(desc.strip())
    return "; ".join(n for n in names if n)


@dataclass
class ImportReport:
    """What the import found: records per source, anomalies per kind, the overlay's problems."""

    records: Counter[str] = field(default_factory=Counter)  # per source
    anomalies: Counter[str] = field(default_factory=Counter)  # procedures per kind
    channel_anomalies: Counter[str] = field(default_factory=Counter)  # channels per kind
    duplicates: list[str] = field(default_factory=list)  # "code (source, first source)"
    overlay_problems: list[str] = field(default_factory=list)
    overlay_applied: int = 0
    overlay_skipped: int = 0

    def lines(self) -> list[str]:
        """The report as printable lines."""
        out = [f"{src}: {n} bản ghi" for src, n in sorted(self.records.items())]
        out.append(f"tổng: {sum(self.records.values())} bản ghi")
        out.append("bất thường (số thủ tục; số kênh nộp nếu theo kênh):")
        kinds = sorted(set(self.anomalies) | {DUPLICATE_CODE, BAD_CODE})
        for kind in kinds:
            n = self.anomalies.get(kind, 0)
            per_channel = self.channel_anomalies.get(kind)
            extra = f" ({per_channel} kênh)" if per_channel else ""
            out.append(f"  {kind}: {n}{extra}  - {ANOMALY_HELP.get(kind, '')}")
        for dup in self.duplicates:
            out.append(f"  trùng mã: {dup}")
        if self.overlay_applied or self.overlay_problems:
            out.append(
                f"overlay: áp dụng {self.overlay_applied} dòng, bỏ qua {self.overlay_skipped} dòng"
            )
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
    code = one_line(rec["ma_thu_tuc"])
    channels, channel_problems = parse_dvcqg_channels(rec.get("cach_thuc_thuc_hien") or "")
    channels, channel_problems = _settle_times(
        channels, channel_problems, _procedure_text(rec, DVCQG_TEXT_FIELDS)
    )
    documents, notes, headings, document_problems = read_dvcqg_documents(
        rec.get("thanh_phan_ho_so") or ""
    )
    legal, legal_problems = parse_legal_basis(rec.get("can_cu_phap_ly") or "")
    return Procedure(
        code=code,
        name=one_line(rec.get("ten_thu_tuc")),
        field=one_line(rec.get("linh_vuc")),
        levels=parse_levels(rec.get("cap_thuc_hien") or ""),
        agency=_info(one_line(rec.get("co_quan_thuc_hien"))),
        authority=_info(one_line(rec.get("co_quan_co_tham_quyen"))),
        decision=_info(one_line(rec.get("so_quyet_dinh"))),
        subjects=_info(one_line(rec.get("doi_tuong_thuc_hien"))),
        channels=channels,
        documents=documents,
        legal_basis=legal,
        requirements=_info(clean(rec.get("yeu_cau_dieu_kien"))),
        result=parse_dvcqg_result(rec.get("ket_qua_xu_ly") or ""),
        url=one_line(rec.get("detail_url")) or portal_search_url(code),
        source="dvcqg",
        anomalies=_unique(channel_problems + document_problems + legal_problems),
        document_notes=notes,
        document_headings=headings,
    )


def from_bqp(rec: Mapping[str, Any]) -> Procedure:
    """A Procedure of one BQP export record (these have no portal link: see PORTAL_SEARCH)."""
    meta: Mapping[str, Any] = rec.get("metadata") or {}
    content: Mapping[str, Any] = rec.get("content") or {}
    tables: Mapping[str, Any] = rec.get("tables") or {}
    code = one_line(meta.get("mã_thủ_tục") or rec["thu_tuc_id"])
    channels, channel_problems = parse_bqp_channels(tables.get("hinh_thuc_nop") or ())
    channels, channel_problems = _settle_times(
        channels, channel_problems, _procedure_text(content, BQP_TEXT_FIELDS)
    )
    documents, headings, document_problems = read_bqp_documents(
        tables.get("thanh_phan_ho_so") or ()
    )
    legal, legal_problems = parse_bqp_legal(tables.get("can_cu_phap_ly") or ())
    return Procedure(
        code=code,
        name=one_line(meta.get("tên_thủ_tục")),
        field=one_line(meta.get("lĩnh_vực")),
        levels=parse_levels(meta.get("cấp_thực_hiện") or ""),
        agency=_info(one_line(content.get("cơ_quan_thực_hiện"))),
        authority=_info(one_line(content.get("cơ_quan_có_thẩm_quyền"))),
        decision=_info(one_line(meta.get("số_quyết_định"))),
        subjects=_info(one_line(content.get("đối_tượng_thực_hiện"))),
        channels=channels,
        documents=documents,
        legal_basis=legal,
        requirements=_info(clean(content.get("yêu_cầu_điều_kiện_thực_hiện"))),
        result=_info(clean(content.get("kết_quả_thực_hiện"))),
        # BQP exports carry no portal link: this is the portal's search page for the code.
        url=portal_search_url(code),
        source="bqp",
        anomalies=_unique(channel_problems + document_problems + legal_problems),
        document_headings=headings,
    )


# Where a record states its processing times in words (a lost unit is looked up there).
DVCQG_TEXT_FIELDS = ("raw_text", "trinh_tu_thuc_hien", "cach_thuc_thuc_hien")
BQP_TEXT_FIELDS = ("trình_tự_thực_hiện", "cách_thức_thực_hiện", "mô_tả")


def _procedure_text(record: Mapping[str, Any], fields: Iterable[str]) -> str:
    return "\n".join(one_line(record.get(name)) for name in fields if record.get(name))


def _settle_times(
    channels: tuple[Channel, ...], anomalies: list[str], text: str
) -> tuple[tuple[Channel, ...], list[str]]:
    """Channels with the case of each time (when a channel has several) and lost units found.

    A time whose unit the procedure states elsewhere (:func:`times.resolve_units`) is reported
    as ``time_unit_from_text`` instead of ``time_without_unit``.
    """
    channels = times.conditions(channels)
    channels, resolved = times.resolve_units(channels, text)
    if not resolved:
        return channels, anomalies
    still_bare = {
        ch.kind for ch in channels if ch.time is not None and not ch.time.known and ch.time.raw
    }
    out: list[str] = []
    for anomaly in anomalies:
        kind, _, channel = anomaly.partition(":")
        if kind == TIME_WITHOUT_UNIT and channel not in still_bare:
            out.append(f"{TIME_UNIT_FROM_TEXT}:{channel}")
        else:
            out.append(anomaly)
    resolved_kinds = {
        ch.kind for ch in channels if ch.time is not None and ch.time.unit_from == "procedure"
    }
    out.extend(
        f"{TIME_UNIT_FROM_TEXT}:{kind}"
        for kind in resolved_kinds
        if f"{TIME_UNIT_FROM_TEXT}:{kind}" not in out
    )
    return channels, out


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """Items in first-seen order without repeats."""
    return tuple(dict.fromkeys(items))


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
        report.anomalies.update({a.split(":", 1)[0] for a in proc.anomalies})
        report.channel_anomalies.update(a.split(":", 1)[0] for a in proc.anomalies if ":" in a)
    procedures = list(by_code.values())
    overlay_name, overlay_sample = "", False
    if overlay is not None:
        layer = load_overlay(overlay, by_code.keys())
        procedures = apply_overlay(procedures, layer.entries)
        overlay_name, overlay_sample = layer.name, layer.sample
        report.overlay_applied = len(layer.entries)
        report.overlay_problems = [
            str(p) for p in (*layer.problems, *national_mismatches(layer, procedures))
        ]
        report.overlay_skipped = sum(1 for p in layer.problems if p.skipped and p.code)
    catalogue = make(
        procedures,
        built_at=built_at or build_date(),
        sources=sources,
        overlay_name=overlay_name,
        overlay_sample=overlay_sample,
    )
    return catalogue, report
