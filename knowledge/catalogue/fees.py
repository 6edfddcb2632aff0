"""What a fee cell says, read once for every card: free, an amount, the province, a law, unclear.

The portal's fee column starts with "Miễn phí" whenever its amount field is empty, and puts the
real information in a note: ``Miễn phí(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần ...)``.
The rule, in order:

1. nothing published -> :data:`MISSING`;
2. the text states a sum of money (``135.000 đồng``, ``160,000 Việt Nam Đồng``, ``01 triệu
   đồng``, ``10 USD``) -> :data:`AMOUNT`, the sums as stated (never a figure the text does not
   name; a head under 1.000 đồng, often thousands on the portal, is not trusted);
3. it defers to the province (Hội đồng nhân dân / Ủy ban nhân dân cấp tỉnh, chính quyền địa
   phương) -> :data:`PROVINCIAL`;
4. it says free ("Miễn phí", "0 Đồng", "Không thu lệ phí", "Không quy định"...) and nothing
   in its note contradicts it -> :data:`FREE`;
5. it defers to a national text without a figure (``Thông tư số 60/2023/TT-BTC``, "Luật Phí và
   lệ phí") -> :data:`LAW`, with that text as ``basis``;
6. anything else -> :data:`UNCLEAR`: the source text is shown, marked as such.

:func:`read_fee` is pure and cached; the importer and the cards both use it, so the card and
the import report agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from knowledge import formats
from knowledge.catalogue.models import Procedure

FREE = "free"
AMOUNT = "amount"
PROVINCIAL = "provincial"
LAW = "law"
UNCLEAR = "unclear"
MISSING = "missing"
FEE_KINDS = (FREE, AMOUNT, PROVINCIAL, LAW, UNCLEAR, MISSING)

# Who decides, for PROVINCIAL readings.
COUNCIL = "hdnd"  # Hội đồng nhân dân tỉnh (a resolution, Nghị quyết)
PEOPLES_COMMITTEE = "ubnd"  # Ủy ban nhân dân cấp tỉnh
LOCAL = "local"  # "chính quyền địa phương", "địa phương"

_NO_INFO = {"", "không có thông tin", "không có thông tin."}

# A number as the portal writes sums: 135.000 / 160,000 / 1.500.000 / 500 / 10.000.0000 (a typo,
# kept as written). Not part of a date or a legal number (no "/" or digit glued on either side).
_NUMBER = r"(?<![\d/.,])\d[\d.,]*\d(?!\d|/\d)|(?<![\d/.,])\d(?![\d.,]|/\d)"
_SCALE = r"(?:\s*(?P<scale>triệu|nghìn|ngàn|tỷ))?"
_CURRENCY = (
    r"(?P<cur>Việt Nam Đồng|việt nam đồng|VNĐ|VND|vnđ|vnd|Vnđ|đồng|Đồng|ĐỒNG|đ(?![\w])|Đ(?![\w])"
    r"|USD|usd)"
)
_PERCENT = r"(?P<pct>\d+(?:[.,]\d+)?\s*%\s*(?:của|x|×)?\s*)?"
_MONEY = re.compile(
    rf"{_PERCENT}(?P<num>{_NUMBER}){_SCALE}\s*(?:/\s*(?P<per1>[^\s\d.,;:()/][^.,;:()\n/]{{0,24}}?)\s+)?"
    rf"{_CURRENCY}"
)
# "Phí: 8.000.000/lần", "Lệ phí: 1,500,000": a sum the text names without a currency.
# "+ 160.000/hộ chiếu": a grouped sum per something.
_BARE_MONEY = re.compile(
    r"(?:(?:[Pp]hí|[Mm]ức thu|[Mm]ức phí)\s*:?\s*|:\s*)"
    r"(?P<num>\d{1,3}(?:[.,]\d{3})+)(?![\d.,]\d|/\d)"
    r"|(?<![\d.,/])(?P<num2>\d{1,3}(?:[.,]\d{3})+)(?=\s?/\s?[^\W\d_])"
)
# What a sum is per: "/lần", "/ hộ chiếu", "/lần/phòng kiểm nghiệm", up to four words.
_PER_WORD = re.compile(r"\s?/\s?((?:\d{1,2}\s)?[^\s\d.,;:()/\[\]“”\"'][^\s.,;:()\[\]“”\"']*)")
_PER_STOP = {
    "kể", "theo", "khi", "đối", "áp", "từ", "đến", "và", "trong", "cho", "nếu", "hoặc", "tại",
    "thì", "là", "được", "của", "với", "miễn", "mức", "phí", "lệ", "trường", "kèm",
}  # fmt: skip
_YEAR_BEFORE = re.compile(r"(?:năm|Năm|ngày|tháng)\s*$")
# "135.000", "160,000", "500", "03" (USD), "0.000" (nothing): figures read as numbers.
_WELL_FORMED = re.compile(
    r"0(?:[.,]000)*|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,2}(?:,\d{3})+|0?[1-9]\d*"
)
_PER_WORD_AFTER = re.compile(r" ([^\s\d.,;:()/\[\]“”\"'][^\s.,;:()/\[\]“”\"']*)")
PER_WORDS = 3  # "đồng/01 Giấy chứng nhận", "đồng/lần/phòng kiểm nghiệm"
_SCALES = {"triệu": 1_000_000, "nghìn": 1_000, "ngàn": 1_000, "tỷ": 1_000_000_000}

_HEAD_FREE = re.compile(r"^(?:Miễn phí|(?:Lệ phí|Phí)\s*:\s*(?:0|Không)\s*Đồng)", re.IGNORECASE)
_HEAD_AMOUNT = re.compile(rf"^(?:(?:Lệ phí|Phí)\s*:\s*)?(?P<num>{_NUMBER})\s*{_CURRENCY}")
_AFFIRM_FREE = re.compile(
    r"^(?:miễn(?: thu)?(?: lệ)? phí|miễn lệ phí|không thu(?: lệ)? phí|không thu|không phải nộp"
    r"|không(?: có)?(?: được)? quy định|chưa quy định|không có|không|miễn|0 đồng)\b",
    re.IGNORECASE,
)
_PROVINCIAL = (
    (COUNCIL, re.compile(r"Hội đồng nhân dân|HĐND", re.IGNORECASE)),
    (
        PEOPLES_COMMITTEE,
        re.compile(r"(?:Ủy|Uỷ) ban nhân dân (?:cấp )?tỉnh|UBND (?:cấp )?tỉnh", re.IGNORECASE),
    ),
    (LOCAL, re.compile(r"chính quyền địa phương", re.IGNORECASE)),
)
_FEE_WORDS = re.compile(
    r"(?<!\w)(?:phí|lệ phí|mức thu|giá dịch vụ|biểu giá|khung giá|chi phí|thu tiền|đồng)(?!\w)",
    re.IGNORECASE,
)
_LAW_WORDS = re.compile(
    r"Thông tư|Nghị định|Nghị quyết|Quyết định|Luật|pháp luật|Bộ Tài chính|Biểu (?:phí|mức)",
    re.IGNORECASE,
)
_BASIS = re.compile(
    r"(?:Thông tư liên tịch|Thông tư|Nghị định|Nghị quyết|Quyết định)(?:\s+số)?\s*"
    r"\d+(?:\.\d+)?/\d{4}/[A-ZĐa-zđ]+(?:-[A-ZĐa-zđ]+)*"
    r"|Luật [Pp]hí và lệ phí",
)
# "Không được quy định tại Biểu phí, lệ phí ... ban hành kèm theo Thông tư số 47/2019/TT-BTC"
_SCHEDULE = re.compile(r"(?:tại|trong) Biểu (?:phí|mức)[^.;]*", re.IGNORECASE)
# "Phí cấp bản sao Trích lục (nếu có yêu cầu) ...": a fee only on request.
_ON_REQUEST = re.compile(r"\(?nếu có yêu cầu\)?|nếu có nhu cầu", re.IGNORECASE)
_EXEMPTED = re.compile(r"(?<!\w)được miễn(?!\w)", re.IGNORECASE)
# A note that changes the sum: "bằng 50% mức thu", "Miễn phí từ ngày ...", "đối với trường hợp".
_CAVEAT = re.compile(
    r"%|(?<!\w)(?:giảm|miễn|kể từ ngày|từ ngày|đến hết ngày|áp dụng mức|trường hợp)(?!\w)",
    re.IGNORECASE,
)
_TRIVIAL_NOTE = re.compile(r"[\W_]*(?:[a-zđ]|[ivx]{1,4}|\d{1,2})?[\W_]*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Money:
    """A sum the source states, with what it is per ("lần", "hồ sơ") when it says."""

    text: str  # as written, cleaned ("10.000.0000 đồng": a malformed figure stays as written)
    value: int | None = None  # in ``currency``; None when the figure is not well formed
    currency: str = "đồng"  # "đồng", "USD", or "" when the text names no currency
    per: str = ""  # "lần", "hồ sơ", "GT-lần" ...
    share: str = ""  # "20% của " when the sum is a share of the figure

    def __str__(self) -> str:
        if self.value is None:
            return self.text
        if self.currency == "đồng":
            shown = formats.money(self.value)
        elif self.currency:
            shown = f"{formats.number(self.value)} {self.currency}"
        else:
            shown = formats.number(self.value)
        return f"{self.share}{shown}" + (f"/{self.per}" if self.per else "")


@dataclass(frozen=True, slots=True)
class FeeReading:
    """What one fee cell says (see the module's rule)."""

    kind: str
    text: str = ""  # the source text, cleaned (no doubled brackets), "" when missing
    amounts: tuple[Money, ...] = ()  # AMOUNT: the sums stated, in order, without repeats
    basis: str = ""  # LAW: "Thông tư số 60/2023/TT-BTC"; PROVINCIAL: COUNCIL, ... ; else ""
    note: str = ""  # what the source adds after its head ("Miễn phí" or the first amount)
    uncertain: bool = False  # AMOUNT: the head amount was not trusted (under 1.000 đồng)
    other_fees: bool = False  # FREE: the note names another fee without a figure
    caveat: bool = False  # AMOUNT: the note limits or changes the sum (a reduction, a case)
    partial: bool = False  # FREE: only in the cases ``condition`` names ("cho người có công")
    condition: str = ""  # FREE: the case it is free in, when short ("đối với tổ hợp tác")

    @property
    def amount(self) -> int | None:
        """The amount in đồng when the text states exactly one plain sum in đồng (0 if free)."""
        if self.kind == FREE:
            return None if self.partial else 0
        if self.kind != AMOUNT or self.uncertain or len(self.amounts) != 1:
            return None
        money = self.amounts[0]
        if money.currency != "đồng" or money.share or money.value is None:
            return None
        return money.value

    @property
    def detailed(self) -> bool:
        """True when the source says more than the short form shows (see the fees page)."""
        if self.kind == FREE:
            return self.partial or self.other_fees or (bool(self.note) and not self.condition)
        if self.kind == AMOUNT:
            return bool(self.note) or self.uncertain or len(self.amounts) > 1
        return self.kind != MISSING


def clean_text(text: str) -> str:
    """The fee text on one line, "Miễn phí((x))" as "Miễn phí (x)", a space before its note."""
    one = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).replace("\xa0", " ")).strip()
    head, note = _split_head(one)
    if not note or not one[len(head) :].lstrip().startswith("("):
        return one  # "Miễn phí đối với: ..." has no bracket to tidy
    return f"{head} ({note})"


def _strip_brackets(note: str) -> str:
    """``((x))`` -> ``x``; ``(x)`` -> ``x``; unbalanced brackets are left alone."""
    text = note.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    if text.startswith("(") and not text.endswith(")") and text.count("(") > text.count(")"):
        text = text[1:].strip()  # "(Lệ phí ... (Miễn ...)" : the note's own "(" never closed
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _split_head(text: str) -> tuple[str, str]:
    """(the head: "Miễn phí", "160,000 Việt Nam Đồng"..., the note after it, brackets off)."""
    head = _HEAD_FREE.match(text) or _HEAD_AMOUNT.match(text)
    if head is None:
        return "", text
    rest = text[head.end() :].strip()
    if rest.startswith("("):
        return head.group(0).strip(), _strip_brackets(rest)
    if rest and _HEAD_FREE.match(text):
        return head.group(0).strip(), rest  # "Miễn phí đối với: người di cư từ Lào ..."
    return text, ""  # "20.000 vnđ /tờ khai": no note, the whole text is the head


def money_in(text: str) -> list[Money]:
    """Every sum of money ``text`` states, in order (zero sums included)."""
    found: list[tuple[int, Money]] = []
    taken: list[tuple[int, int]] = []
    for match in _MONEY.finditer(text):
        if _YEAR_BEFORE.search(text, 0, match.start("num")):
            continue  # "năm 2016 Đồng": a year, then the cell's currency
        per, _ = per_after(text, match.end())
        found.append((match.start(), _money(match, match.group("cur"), per)))
        taken.append(match.span())
    for match in _BARE_MONEY.finditer(text):
        group = "num" if match.group("num") else "num2"
        if any(start <= match.start(group) < end for start, end in taken):
            continue
        per, _ = per_after(text, match.end())
        found.append((match.start(group), _money(match, "", per, group)))
    return [money for _, money in sorted(found, key=lambda item: item[0])]


def per_after(text: str, pos: int) -> tuple[str, int]:
    """What the sum ending at ``pos`` is per ("lần", "hộ chiếu", "lần/phòng kiểm nghiệm")."""
    words: list[str] = []
    spaces = 0
    end = pos
    while True:
        slash = not words or text.startswith("/", end)
        match = _PER_WORD.match(text, end) if slash else _PER_WORD_AFTER.match(text, end)
        if match is None:
            break
        word = match.group(1)
        if words and word.lower() in _PER_STOP:
            break
        if words and not slash:
            spaces += 1
            if spaces >= PER_WORDS:
                break
        words.append(word if not words else ("/" if slash else " ") + word)
        end = match.end()
    return "".join(words).strip(), end


def _money(match: re.Match[str], currency: str, per: str, group: str = "num") -> Money:
    groups = match.groupdict()
    number = groups[group]
    scale = _SCALES.get((groups.get("scale") or "").lower(), 1)
    per = (groups.get("per1") or "").strip() or per
    share = groups.get("pct") or ""
    cur = currency.strip().lower()
    unit = "USD" if cur == "usd" else ("đồng" if cur else "")
    value: int | None = None
    if _WELL_FORMED.fullmatch(number):
        value = int(re.sub(r"[.,]", "", number)) * scale
    elif scale != 1 and re.fullmatch(r"\d+(?:[.,]\d+)?", number):
        value = round(float(number.replace(",", ".")) * scale)  # "1,5 triệu đồng"
    text = re.sub(r"\s+", " ", match.group(0) if group == "num" else number).strip()
    if per and value is None:
        text = f"{text}/{per}"
    share_text = re.sub(r"\s+", " ", share).strip()
    return Money(text, value, unit, per, f"{share_text} " if share_text else "")


def _affirms_free(note: str) -> bool:
    """The note only confirms the head's "free" ("Không", "Không quy định", "Miễn lệ phí")."""
    text = note.strip(" -+*•.;:").strip()
    if not text or _TRIVIAL_NOTE.fullmatch(text):
        return True
    match = _AFFIRM_FREE.match(text)
    if match is None:
        return False
    rest = _SCHEDULE.sub("", text[match.end() :])
    # "Miễn lệ phí (Thông tư số 47/2019/TT-BTC)." : nothing after the affirmation names another
    # fee, nor a case it is limited to ("Không thu lệ phí đối với tổ hợp tác" is partial).
    return _FEE_WORDS.search(rest) is None and _CONDITION.search(rest) is None


def _basis(text: str) -> str:
    match = _BASIS.search(text)
    if match is None:
        return ""
    return re.sub(r"\s+", " ", match.group(0)).strip()


def _provincial(text: str) -> str:
    for who, pattern in _PROVINCIAL:
        if pattern.search(text):
            return who
    return ""


_CONDITION = re.compile(
    r"(?:^|\s)(?:đối với|trong trường hợp|trường hợp|cho|khi)\b", re.IGNORECASE
)
_CONDITION_END = re.compile(r"\s+(?:theo quy định|theo|căn cứ|quy định tại)\b|\s*[(;]|\.(?=\s|$)")
_CASE_SPLIT = re.compile(r"(?:^|\s)[-+•*]\s*|;\s*|\.\s+(?=[A-ZĐ])")
SHORT_CONDITION = 70  # characters of a condition shown in the short form


@lru_cache(maxsize=4096)
def read_fee(text: str) -> FeeReading:
    """What the fee cell ``text`` says (see the module's rule)."""
    cleaned = clean_text(text)
    if cleaned.strip(" .").lower() in _NO_INFO:
        return FeeReading(MISSING)
    head, note = _split_head(cleaned)

    sums = [m for m in money_in(cleaned) if m.value != 0]
    uncertain = False
    if _HEAD_AMOUNT.match(cleaned) and sums and sums[0].currency == "đồng":
        first = sums[0]
        if first.value is not None and 0 < first.value < 1000:
            # "150 VNĐ(150.000 đồng/lần/thẻ.)": the head is thousands, or the time's digits.
            sums, uncertain = sums[1:], True
            if not sums:
                return FeeReading(UNCLEAR, cleaned, note=note)
    if sums:
        per, _ = (
            per_after(note, note.index("/"))
            if re.match(r"(?:đồng|Đồng|VNĐ)?\s*/", note)
            else ("", 0)
        )
        if per and not sums[0].per and not uncertain:
            # "12,000,000 Việt Nam Đồng(đồng/lần)", "500,000 Việt Nam Đồng(/hồ sơ)"
            first = sums[0]
            sums[0] = Money(first.text, first.value, first.currency, per, first.share)
        return FeeReading(
            AMOUNT,
            cleaned,
            tuple(_unique(sums)),
            basis=_provincial(cleaned),  # "150.000 đồng (mức cụ thể do HĐND tỉnh quyết định)"
            note=note,
            uncertain=uncertain,
            caveat=_CAVEAT.search(note) is not None,
        )

    who = _provincial(cleaned)
    if who:
        return FeeReading(PROVINCIAL, cleaned, basis=who, note=note)

    if _HEAD_FREE.match(cleaned) or (not head and _affirms_free(cleaned)):
        free = _free(cleaned, note)
        if free is not None:
            return free
    if _LAW_WORDS.search(cleaned):
        return FeeReading(LAW, cleaned, basis=_basis(cleaned), note=note)
    return FeeReading(UNCLEAR, cleaned, note=note)


def _free(cleaned: str, note: str) -> FeeReading | None:
    """The FREE reading of a cell whose head says free, or None when its note contradicts it."""
    cases = [c.strip(" .;:-+*•") for c in _CASE_SPLIT.split(note)]
    cases = [c for c in cases if c]
    if all(_affirms_free(c) or _affirms_free(c.rsplit(":", 1)[-1]) for c in cases):
        # "Không quy định", "- Trường hợp A: Không có - Trường hợp B: Không có"
        return FeeReading(FREE, cleaned, note=note)
    first = cases[0]
    affirm = _AFFIRM_FREE.match(first)
    rest_of_first = first[affirm.end() :].strip(" :") if affirm else first
    case = _CONDITION.search(rest_of_first)
    if case is not None and (affirm or case.start() == 0):
        rest_of_first = rest_of_first[case.start() :].strip()
    if case is not None and (affirm or case.start() == 0) and not _FEE_WORDS.search(rest_of_first):
        # "Miễn lệ phí cho người thuộc hộ nghèo...", "Đối với sân bay trực thăng, ...",
        # "Không thu lệ phí đăng ký đối với tổ hợp tác theo quy định tại ..."
        condition = _CONDITION_END.split(rest_of_first, maxsplit=1)[0].strip(" ,:")
        others = any(_FEE_WORDS.search(c) for c in cases[1:])
        short_enough = len(condition) <= SHORT_CONDITION and len(cases) == 1
        return FeeReading(
            FREE,
            cleaned,
            note=note,
            partial=True,
            condition=condition if short_enough else "",
            other_fees=others,
        )
    if affirm and _affirms_free(first):
        # "Miễn lệ phí. Phí cấp bản sao Trích lục (nếu có yêu cầu) theo Thông tư ...".
        return FeeReading(FREE, cleaned, note=note, other_fees=True)
    fee_cases = [c for c in cases if _FEE_WORDS.search(c)]
    if fee_cases and all(_ON_REQUEST.search(c) for c in fee_cases):
        # "Phí cấp bản sao Trích lục đăng ký giám hộ (nếu có yêu cầu) theo Thông tư ...": the
        # procedure itself is free, a copy costs what the Thông tư says.
        return FeeReading(FREE, cleaned, note=note, other_fees=True)
    if _EXEMPTED.search(note):
        # "Tổ chức khoa học và công nghệ được miễn lệ phí đăng ký kinh doanh (theo ...)"
        return FeeReading(FREE, cleaned, note=note, partial=True)
    if _FEE_WORDS.search(note) is None and _LAW_WORDS.search(note) is None:
        return FeeReading(FREE, cleaned, note=note)  # a note about something else
    return None


def _unique(sums: list[Money]) -> list[Money]:
    """The sums without repeats; "1,500,000" beside "1.500.000 đồng" is the same sum."""
    out: list[Money] = []
    for money in sums:
        same = next((i for i, kept in enumerate(out) if _same(kept, money)), None)
        if same is None:
            out.append(money)
        elif money.per and not out[same].per:
            kept = out[same]
            out[same] = Money(kept.text, kept.value, kept.currency, money.per, kept.share)
    return out


def _same(a: Money, b: Money) -> bool:
    if a.value is None or b.value is None:
        return a.text == b.text
    return (
        a.value == b.value
        and (a.currency == b.currency or not a.currency or not b.currency)
        and a.share == b.share
        and (a.per == b.per or not a.per or not b.per)
    )


@dataclass(frozen=True, slots=True)
class FeeRow:
    """One fee reading and the channels (kinds, in order) it applies to."""

    reading: FeeReading
    kinds: tuple[str, ...]


def summary_key(reading: FeeReading) -> tuple[object, ...]:
    """What the short form of ``reading`` shows: equal keys read the same on a card."""
    if reading.kind in (AMOUNT,):
        return (reading.kind, tuple(str(m) for m in reading.amounts), reading.basis,
                reading.uncertain, reading.caveat)  # fmt: skip
    if reading.kind == FREE:
        return (reading.kind, reading.partial, reading.condition, reading.other_fees)
    if reading.kind in (PROVINCIAL, LAW):
        return (reading.kind, reading.basis)
    return (reading.kind, reading.text)


def fee_rows(procedure: Procedure, *, detail: bool = False) -> list[FeeRow]:
    """The procedure's fees, each once, with the channels they apply to.

    Channels whose fee reads the same are merged: on the card (``detail`` false) when their
    short forms are equal, on the fees page (``detail`` true) when their texts are.
    """
    order: list[object] = []
    rows: dict[object, tuple[FeeReading, list[str]]] = {}
    for ch in procedure.channels:
        reading = read_fee(ch.fee)
        key: object = reading.text if detail else summary_key(reading)
        if key not in rows:
            order.append(key)
            rows[key] = (reading, [])
        kinds = rows[key][1]
        if ch.kind not in kinds:
            kinds.append(ch.kind)
    return [FeeRow(rows[key][0], tuple(rows[key][1])) for key in order]
