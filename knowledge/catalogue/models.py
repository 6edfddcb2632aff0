"""Procedure records as the catalogue ships them (national data plus the provincial overlay)."""

from __future__ import annotations

from dataclasses import dataclass

# Channel kinds, as the national portal names them.
IN_PERSON = "truc_tiep"  # Trực tiếp
ONLINE = "truc_tuyen"  # Trực tuyến
POSTAL = "buu_chinh"  # Dịch vụ bưu chính
CHANNEL_KINDS = (IN_PERSON, ONLINE, POSTAL)

# Normalised time units; "unknown" when the source lost the unit.
UNITS = ("ngay_lam_viec", "ngay", "gio", "tuan", "thang", "nam", "unknown")


@dataclass(frozen=True, slots=True)
class Duration:
    """A processing time as published: quantity and unit, or unknown with the raw text kept."""

    raw: str
    value: float | None = None
    unit: str = "unknown"
    # Where the unit came from: "" the time cell itself; "procedure" the procedure's own text
    # or another channel of it, when the cell lost it ("1" beside "01 ngày làm việc").
    unit_from: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None and self.unit != "unknown"


@dataclass(frozen=True, slots=True)
class Channel:
    """One way to submit: in person, online or by post, with its time and fee."""

    kind: str
    time: Duration | None
    fee: str  # fee text as published ("" when the source says nothing)
    fee_amount: int | None = None  # VND when the text states one plain amount (0: free)
    description: str = ""
    condition: str = ""  # the case this row is for, when a channel has several times


@dataclass(frozen=True, slots=True)
class LegalDoc:
    """A legal document the procedure rests on."""

    title: str
    number: str = ""


@dataclass(frozen=True, slots=True)
class LocalInfo:
    """What the province decides (overlay row); ``sample`` marks demonstration data."""

    same_day: bool = False
    legal_days: float | None = None
    cut_days: float | None = None
    cut_decision: str = ""
    postal_submit: bool = False
    postal_return: bool = False
    address: str = ""
    notes: str = ""
    sample: bool = False

    @property
    def time_cut(self) -> bool:
        return (
            self.legal_days is not None
            and self.cut_days is not None
            and self.cut_days < self.legal_days
        )


@dataclass(frozen=True, slots=True)
class Procedure:
    """One administrative procedure (thủ tục hành chính)."""

    code: str  # national code, e.g. "1.001193"
    name: str
    field: str  # lĩnh vực
    levels: tuple[str, ...]  # "Cấp Bộ", "Cấp Tỉnh", "Cấp Xã", ...
    agency: str  # cơ quan thực hiện
    authority: str = ""  # cơ quan có thẩm quyền
    decision: str = ""  # số quyết định công bố
    subjects: str = ""  # đối tượng thực hiện
    channels: tuple[Channel, ...] = ()
    documents: tuple[str, ...] = ()
    legal_basis: tuple[LegalDoc, ...] = ()
    requirements: str = ""
    result: str = ""
    url: str = ""  # national portal page
    source: str = ""  # "dvcqg" | "bqp"
    anomalies: tuple[str, ...] = ()  # what the parser could not read (kept visible)
    local: LocalInfo | None = None
    keywords: tuple[str, ...] = ()  # colloquial names bound to this procedure
    document_notes: tuple[str, ...] = ()  # "Lưu ý" rows of the document list (not documents)
    document_headings: tuple[int, ...] = ()  # positions in ``documents`` that are headings

    def is_heading(self, index: int) -> bool:
        """True when ``documents[index]`` is a heading of the list, not a document."""
        return index in self.document_headings

    def channel(self, kind: str) -> Channel | None:
        """The channel of this kind, if the procedure has one."""
        for ch in self.channels:
            if ch.kind == kind:
                return ch
        return None
