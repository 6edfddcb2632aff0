"""Processing times as a citizen reads them: each time once, its channels, the case it is for.

The portal publishes one row per channel and case, often the same time six times over, and two
rows of one channel with different times without saying which case each is for (the case is in
the row's description). The importer keeps a short ``condition`` on each row
(:func:`conditions`) and resolves a lost unit from the procedure's own text
(:func:`unit_in_text`); :func:`time_rows` merges the rows for the card.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from knowledge.catalogue.models import Channel, Duration, Procedure

CONDITION_CHARS = 90  # a condition longer than this is cut at a word, with "…"

# --- a lost unit, from the procedure's own text -------------------------------------------

_UNIT_WORDS = {
    "ngày làm việc": "ngay_lam_viec",
    "giờ làm việc": "gio",
    "ngày": "ngay",
    "giờ": "gio",
    "tuần": "tuan",
    "tháng": "thang",
    "năm": "nam",
}
_UNIT_RE = "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
# "Trong thời hạn 01 ngày làm việc kể từ ngày nhận được hồ sơ": the processing time, stated.
_BEFORE = re.compile(
    r"(?:trong thời hạn|thời hạn giải quyết\s*:?|không quá|trong vòng|trong thời gian(?: tối đa)?"
    r"|tối đa)\s*(?:là\s*)?(?:không quá\s*|tối đa\s*)?$",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"\s*,?\s*(?:kể )?từ (?:ngày|khi|thời điểm)[^.;]{0,40}?(?:nhận|tiếp nhận)", re.IGNORECASE
)


def unit_in_text(value: float, text: str) -> str | None:
    """The unit ``text`` gives a processing time of ``value``, when it says so unambiguously.

    Only a time stated as one ("trong thời hạn 01 ngày làm việc kể từ ngày nhận được hồ sơ")
    counts; several such statements with different units give None.
    """
    if value != int(value):
        return None
    number = rf"(?<![\d/.,])0*{int(value)}"
    found: set[str] = set()
    for match in re.finditer(rf"{number}\s*({_UNIT_RE})(?![^\W\d_])", text, re.IGNORECASE):
        before = text[max(0, match.start() - 60) : match.start()]
        if _BEFORE.search(before) and _AFTER.match(text, match.end()):
            found.add(_UNIT_WORDS[match.group(1).lower()])
    return found.pop() if len(found) == 1 else None


def resolve_units(channels: Sequence[Channel], text: str) -> tuple[tuple[Channel, ...], int]:
    """``channels`` with lost units resolved, and how many were.

    A bare "1" takes the unit another channel of the same procedure publishes for the same
    number, else the unit the procedure's text states for it (:func:`unit_in_text`). The
    Duration keeps its raw text and says where its unit came from (``unit_from``).
    """
    stated: dict[float, set[str]] = {}
    for ch in channels:
        if ch.time is not None and ch.time.known and ch.time.value is not None:
            stated.setdefault(ch.time.value, set()).add(ch.time.unit)
    out: list[Channel] = []
    resolved = 0
    for ch in channels:
        time = ch.time
        value = _bare_number(time)
        if time is None or value is None:
            out.append(ch)
            continue
        units = stated.get(value, set())
        unit = next(iter(units)) if len(units) == 1 else unit_in_text(value, text)
        if unit is None:
            out.append(ch)
            continue
        resolved += 1
        out.append(replace(ch, time=Duration(time.raw, value, unit, unit_from="procedure")))
    return tuple(out), resolved


def _bare_number(time: Duration | None) -> float | None:
    if time is None or time.known or not re.fullmatch(r"\d+(?:[.,]\d+)?", time.raw.strip()):
        return None
    return float(time.raw.strip().replace(",", "."))


# --- the case a row is for -------------------------------------------------------------------

_SEGMENTS = re.compile(r"(?:^|\s)[-+•*]\s+|(?<=[.;])\s+|\s+(?=[a-zđ]\)\s)")
_LEAD = re.compile(r"^(?:[-+•*]\s*|[a-zđ]\)\s*|\(?\d{1,2}[.)]\s*)+")
# "Cấp lại biển số định danh: Không quá 07 ngày làm việc" -> "Cấp lại biển số định danh"
_LABEL = re.compile(
    r"^(?P<label>[^:]{3,160}?)\s*:\s*(?:trong (?:thời hạn|vòng|thời gian)|không quá|chậm nhất"
    r"|tối đa|\d|cấp ngay|ngay|trả kết quả)",
    re.IGNORECASE,
)
# "... đối với trường hợp bố trí trồng rừng thay thế tại địa phương khác"
_CASE = re.compile(r"(?:(?<=\s)|^)(?:đối với|trường hợp|trong trường hợp)\s", re.IGNORECASE)
_CASE_END = re.compile(
    r"\s*[:;]|\.(?=\s|$)|\s+thì\s|,\s*(?:trong thời hạn|không quá|thời hạn|kể từ)", re.IGNORECASE
)


def _segments(description: str) -> list[str]:
    parts = (_LEAD.sub("", p.strip()).strip() for p in _SEGMENTS.split(description))
    return [p for p in parts if len(p) > 2]


def _key(segment: str) -> str:
    return re.sub(r"\W+", " ", segment.casefold()).strip()


def case_of(description: str, common: set[str]) -> str:
    """The short case a row's description names, leaving out what every row says."""
    found: list[str] = []
    for segment in _segments(description):
        if _key(segment) in common:
            continue
        label = _LABEL.match(segment)
        if label is not None:
            found.append(label.group("label").strip(" ,"))
            continue
        case = _CASE.search(segment)
        if case is not None:
            rest = segment[case.start() :]
            end = _CASE_END.search(rest)
            text = (rest[: end.start()] if end else rest).strip(" ,")
            if len(text) > 12:
                found.append(text)
    return shorten("; ".join(dict.fromkeys(found[:2])), CONDITION_CHARS)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word under ``limit`` characters, with "…" when cut."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return cut + "…"


def conditions(channels: Sequence[Channel]) -> tuple[Channel, ...]:
    """``channels`` with the case of each row set, when one channel has several times.

    A procedure whose every channel has one time needs no case: the channel says it.
    """
    times: dict[str, set[str]] = {}
    for ch in channels:
        times.setdefault(ch.kind, set()).add(_time_key(ch.time))
    if all(len(found) < 2 for found in times.values()):
        return tuple(channels)
    described = [ch.description for ch in channels if ch.description]
    segment_sets = [{_key(s) for s in _segments(d)} for d in described]
    common = set.intersection(*segment_sets) if len(segment_sets) > 1 else set()
    return tuple(
        replace(ch, condition=case_of(ch.description, common) if ch.description else "")
        for ch in channels
    )


def _time_key(time: Duration | None) -> str:
    if time is None:
        return ""
    if time.known:
        return f"{time.value:g} {time.unit}"
    return time.raw.strip().casefold()


# --- the card's time rows --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeRow:
    """One time, the channels it applies to (in order) and the cases it is for."""

    time: Duration | None
    kinds: tuple[str, ...]
    conditions: tuple[str, ...] = ()


def time_rows(procedure: Procedure) -> list[TimeRow]:
    """The procedure's times, each once: equal times merged, their channels and cases kept."""
    order: list[str] = []
    rows: dict[str, tuple[Duration | None, list[str], list[str]]] = {}
    for ch in procedure.channels:
        key = _time_key(ch.time)
        if key not in rows:
            order.append(key)
            rows[key] = (ch.time, [], [])
        _, kinds, cases = rows[key]
        if ch.kind not in kinds:
            kinds.append(ch.kind)
        if ch.condition and ch.condition not in cases:
            cases.append(ch.condition)
    return [TimeRow(rows[key][0], tuple(rows[key][1]), tuple(rows[key][2])) for key in order]
