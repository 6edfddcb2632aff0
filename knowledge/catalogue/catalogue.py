"""The procedure catalogue: the shipped, versioned file of national procedures plus the overlay."""

from __future__ import annotations

import dataclasses
import gc
import gzip
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knowledge import CATALOGUE_PATH
from knowledge.catalogue import snapshot
from knowledge.catalogue.models import Channel, Duration, LegalDoc, LocalInfo, Procedure
from knowledge.errors import ImportProblem

DEFAULT_PATH = CATALOGUE_PATH
FORMAT_VERSION = 1

# A national code, optionally with the portal's agency suffix (".000.00.00.H44").
_CODE_RE = re.compile(r"^(\d\.\d{6})(?:\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?$")

# The order of the 29 letters of the Vietnamese alphabet, then the tones (ngang, huyền, hỏi,
# ngã, sắc, nặng) as dictionaries sort them.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def normalize_code(code: str) -> str | None:
    """The bare national code (``1.001193``) of ``code``, or None when it is not a code."""
    match = _CODE_RE.match(unicodedata.normalize("NFKC", code).strip())
    return match.group(1) if match else None


def _letter_key(ch: str) -> tuple[int, int, int]:
    """Sort key of one character: alphabet rank, tone rank, then code point for the rest."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    letter = base
    for mark in marks:
        if mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
        elif mark == "\u0306" and base == "a":
            letter = "ă"
        elif mark == "\u0302" and base in "aeo":
            letter = {"a": "â", "e": "ê", "o": "ô"}[base]
        elif mark == "\u031b" and base in "ou":
            letter = {"o": "ơ", "u": "ư"}[base]
    if ch.lower() == "đ":
        letter = "đ"
    if letter in _LETTER_RANK:
        return (1, _LETTER_RANK[letter], tone)
    return (0 if not ch.isalnum() else 2, ord(ch.lower()), 0)


def vn_sort_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]:
    """Sort key that orders Vietnamese text as a dictionary does (a < ă < â < b ..., đ after d)."""
    nfc = unicodedata.normalize("NFC", text)
    keys = [_letter_key(ch) for ch in nfc]
    # Letters first, tones second (so "ba" < "bà" < "bác"), then the text itself.
    return (tuple((a, b) for a, b, _ in keys), tuple(t for _, _, t in keys), nfc)


# --- on-disk codec ---------------------------------------------------------------------------
# Keys equal the dataclass field names; empty values and defaults are left out to keep it small.


def _duration_to_json(d: Duration) -> dict[str, Any]:
    out: dict[str, Any] = {"raw": d.raw}
    if d.value is not None:
        out["value"] = d.value
    if d.unit != "unknown":
        out["unit"] = d.unit
    if d.unit_from:
        out["unit_from"] = d.unit_from
    return out


def _channel_to_json(ch: Channel) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": ch.kind}
    if ch.time is not None:
        out["time"] = _duration_to_json(ch.time)
    if ch.fee:
        out["fee"] = ch.fee
    if ch.fee_amount is not None:
        out["fee_amount"] = ch.fee_amount
    if ch.description:
        out["description"] = ch.description
    if ch.condition:
        out["condition"] = ch.condition
    return out


def _local_to_json(info: LocalInfo) -> dict[str, Any]:
    defaults = LocalInfo()
    return {
        name: getattr(info, name)
        for name in LocalInfo.__dataclass_fields__
        if getattr(info, name) != getattr(defaults, name)
    }


def procedure_to_json(p: Procedure) -> dict[str, Any]:
    """A JSON-ready dict of ``p`` without empty fields."""
    out: dict[str, Any] = {"code": p.code, "name": p.name}
    for name in ("field", "agency", "authority", "decision", "subjects"):
        value = getattr(p, name)
        if value:
            out[name] = value
    if p.levels:
        out["levels"] = list(p.levels)
    if p.channels:
        out["channels"] = [_channel_to_json(ch) for ch in p.channels]
    if p.documents:
        out["documents"] = list(p.documents)
    if p.legal_basis:
        out["legal_basis"] = [
            [d.title, d.number] if d.number else [d.title] for d in p.legal_basis
        ]
    for name in ("requirements", "result", "url", "source"):
        value = getattr(p, name)
        if value:
            out[name] = value
    if p.anomalies:
        out["anomalies"] = list(p.anomalies)
    if p.local is not None:
        out["local"] = _local_to_json(p.local)
    if p.keywords:
        out["keywords"] = list(p.keywords)
    if p.document_notes:
        out["document_notes"] = list(p.document_notes)
    if p.document_headings:
        out["document_headings"] = list(p.document_headings)
    return out


def _duration_from_json(d: Mapping[str, Any]) -> Duration:
    return Duration(d["raw"], d.get("value"), d.get("unit", "unknown"), d.get("unit_from", ""))


def _channel_from_json(c: Mapping[str, Any]) -> Channel:
    time = c.get("time")
    return Channel(
        c["kind"],
        _duration_from_json(time) if time is not None else None,
        c.get("fee", ""),
        c.get("fee_amount"),
        c.get("description", ""),
        c.get("condition", ""),
    )


class _Shared:
    """One object for equal values: the same law, channel or document line appears in
    hundreds of procedures, and frozen records can be shared instead of copied."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.laws: dict[tuple[Any, ...], LegalDoc] = {}
        self.channels: dict[tuple[Any, ...], Channel] = {}

    def text(self, value: str) -> str:
        return self.texts.setdefault(value, value)

    def texts_of(self, values: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.texts.setdefault(v, v) for v in values)

    def law(self, fields: Sequence[Any]) -> LegalDoc:
        key = tuple(fields)
        found = self.laws.get(key)
        if found is None:
            found = self.laws[key] = LegalDoc(*(self.text(f) for f in fields))
        return found

    def channel(self, c: Mapping[str, Any]) -> Channel:
        time = c.get("time") or {}
        key = (c["kind"], c.get("fee"), c.get("fee_amount"), c.get("description"),
               c.get("condition"), time.get("raw"), time.get("value"), time.get("unit"),
               time.get("unit_from"))  # fmt: skip
        found = self.channels.get(key)
        if found is None:
            found = self.channels[key] = _channel_from_json(c)
        return found


def procedure_from_json(d: Mapping[str, Any], shared: _Shared | None = None) -> Procedure:
    """The Procedure that :func:`procedure_to_json` wrote."""
    s = shared or _Shared()
    local = d.get("local")
    return Procedure(
        code=d["code"],
        name=d["name"],
        field=s.text(d.get("field", "")),
        levels=s.texts_of(d.get("levels", ())),
        agency=s.text(d.get("agency", "")),
        authority=s.text(d.get("authority", "")),
        decision=d.get("decision", ""),
        subjects=s.text(d.get("subjects", "")),
        channels=tuple(s.channel(c) for c in d.get("channels", ())),
        documents=s.texts_of(d.get("documents", ())),
        legal_basis=tuple(s.law(doc) for doc in d.get("legal_basis", ())),
        requirements=s.text(d.get("requirements", "")),
        result=s.text(d.get("result", "")),
        url=d.get("url", ""),
        source=d.get("source", ""),
        anomalies=tuple(d.get("anomalies", ())),
        local=LocalInfo(**local) if local is not None else None,
        keywords=tuple(d.get("keywords", ())),
        document_notes=s.texts_of(d.get("document_notes", ())),
        document_headings=tuple(d.get("document_headings", ())),
    )


# --- the catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    """All procedures, sorted by code, with where they came from and when they were built.

    ``overlay_label`` is what the UI must show next to provincial data: it starts with
    "DỮ LIỆU MẪU" when the overlay is demonstration data, and is "" when there is no overlay.
    """

    procedures: tuple[Procedure, ...]
    built_at: str = ""
    sources: tuple[str, ...] = ()
    overlay_label: str = ""
    overlay_name: str = ""
    overlay_sample: bool = False
    path: Path | None = field(default=None, compare=False)  # the file it was loaded from
    digest: str = field(default="", compare=False)  # SHA-256 of that file's bytes
    _by_code: dict[str, Procedure] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_code = {p.code: p for p in self.procedures}
        if len(by_code) != len(self.procedures):
            raise ImportProblem("catalogue has duplicate procedure codes")
        object.__setattr__(self, "_by_code", by_code)

    def __len__(self) -> int:
        return len(self.procedures)

    def __repr__(self) -> str:
        # Cheap on purpose: asyncio and loggers repr task arguments that reach the catalogue.
        return f"Catalogue({len(self.procedures)} procedures, built {self.built_at})"

    def __iter__(self) -> Iterator[Procedure]:
        return iter(self.procedures)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def get(self, code: str) -> Procedure | None:
        """The procedure with this national code (``1.001193`` or ``1.001193.000.00.00.H44``)."""
        bare = normalize_code(code)
        return self._by_code.get(bare) if bare is not None else None

    def codes(self) -> list[str]:
        """Every national code, sorted."""
        return [p.code for p in self.procedures]

    def fields(self) -> list[str]:
        """Distinct fields (lĩnh vực), in Vietnamese dictionary order."""
        return sorted({p.field for p in self.procedures if p.field}, key=vn_sort_key)

    def levels(self) -> list[str]:
        """Distinct levels, from the ministry down to the commune, then anything else."""
        order = {"Cấp Bộ": 0, "Cấp Tỉnh": 1, "Cấp Xã": 2}
        found = {level for p in self.procedures for level in p.levels}
        return sorted(found, key=lambda lv: (order.get(lv, 9), vn_sort_key(lv)))

    def same_day(self) -> list[Procedure]:
        """Procedures the provincial overlay marks as returning the result the same day."""
        return [p for p in self.procedures if p.local is not None and p.local.same_day]

    def time_cut(self) -> list[Procedure]:
        """Procedures whose processing time the province cut (overlay cut days < legal days)."""
        return [p for p in self.procedures if p.local is not None and p.local.time_cut]

    def postal(self, *, national: bool = True) -> list[Procedure]:
        """Procedures usable by post.

        A procedure counts when the provincial overlay allows submitting or receiving the
        result by public postal service, or, when ``national`` is true (the default), when the
        national record lists a "Dịch vụ bưu chính" submission channel.
        """
        out = []
        for p in self.procedures:
            local = p.local is not None and (p.local.postal_submit or p.local.postal_return)
            if local or (national and p.channel("buu_chinh") is not None):
                out.append(p)
        return out

    def filter(
        self,
        *,
        field: str | None = None,
        level: str | None = None,
    ) -> list[Procedure]:
        """Procedures of this field and/or level (exact names as :meth:`fields` lists them)."""
        return [
            p
            for p in self.procedures
            if (field is None or p.field == field) and (level is None or level in p.levels)
        ]

    def to_json(self) -> dict[str, Any]:
        """The on-disk document of this catalogue."""
        return {
            "format": FORMAT_VERSION,
            "built_at": self.built_at,
            "sources": list(self.sources),
            "overlay": {
                "name": self.overlay_name,
                "sample": self.overlay_sample,
                "label": self.overlay_label,
            },
            "count": len(self.procedures),
            "procedures": [procedure_to_json(p) for p in self.procedures],
        }


def from_json(doc: Mapping[str, Any], *, path: Path | None = None, digest: str = "") -> Catalogue:
    """The Catalogue of an on-disk document (read from ``path``; ``digest`` of its bytes)."""
    if doc.get("format") != FORMAT_VERSION:
        raise ImportProblem(f"unsupported catalogue format {doc.get('format')!r}")
    overlay = doc.get("overlay") or {}
    shared = _Shared()
    return Catalogue(
        procedures=tuple(procedure_from_json(p, shared) for p in doc["procedures"]),
        built_at=doc.get("built_at", ""),
        sources=tuple(doc.get("sources", ())),
        overlay_label=overlay.get("label", ""),
        overlay_name=overlay.get("name", ""),
        overlay_sample=bool(overlay.get("sample", False)),
        path=path,
        digest=digest,
    )


def dumps(catalogue: Catalogue) -> bytes:
    """The gzipped compact JSON of ``catalogue``; byte-identical for identical catalogues."""
    text = json.dumps(catalogue.to_json(), ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def save(catalogue: Catalogue, path: str | Path) -> Path:
    """Write ``catalogue`` to ``path`` atomically; returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(dumps(catalogue))
    tmp.replace(target)
    return target


def load(path: str | Path | None = None) -> Catalogue:
    """Read the shipped catalogue (or the one at ``path``).

    The records come from the snapshot beside the file when it was made from exactly this
    file (:mod:`knowledge.catalogue.snapshot`), otherwise from the JSON itself.
    """
    source = Path(path) if path is not None else DEFAULT_PATH
    # Tens of thousands of small objects: the cyclic GC would only slow the load down.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        packed = source.read_bytes()
        digest = hashlib.sha256(packed).hexdigest()
        state = snapshot.read(snapshot.snapshot_path(source), digest)
        if state is not None:
            return Catalogue(**state, path=source, digest=digest)
        doc = json.loads(gzip.decompress(packed))
        return from_json(doc, path=source, digest=digest)
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise ImportProblem(f"cannot read catalogue {source.name}: {exc}") from exc
    finally:
        if was_enabled:
            gc.enable()


def save_records(catalogue: Catalogue) -> Path | None:
    """Write the records snapshot beside the file ``catalogue`` was loaded from."""
    if catalogue.path is None or not catalogue.digest:
        return None
    state = {
        f.name: getattr(catalogue, f.name)
        for f in dataclasses.fields(catalogue)
        if f.init and f.name not in ("path", "digest")
    }
    return snapshot.write(snapshot.snapshot_path(catalogue.path), catalogue.digest, state)


def make(
    procedures: Iterable[Procedure],
    *,
    built_at: str,
    sources: Iterable[str],
    overlay_name: str = "",
    overlay_sample: bool = False,
) -> Catalogue:
    """A Catalogue of ``procedures`` sorted by code, with its overlay label worked out."""
    label = ""
    if overlay_name:
        label = (
            f"DỮ LIỆU MẪU, không phải quyết định của tỉnh ({overlay_name})"
            if overlay_sample
            else f"Dữ liệu của tỉnh ({overlay_name})"
        )
    return Catalogue(
        procedures=tuple(sorted(procedures, key=lambda p: _code_sort_key(p.code))),
        built_at=built_at,
        sources=tuple(sources),
        overlay_label=label,
        overlay_name=overlay_name,
        overlay_sample=overlay_sample,
    )


def _code_sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in code.split("."))
