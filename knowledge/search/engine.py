"""The search's public face: :class:`SearchEngine`, and the :class:`SearchResult` it returns.

The engine holds a :class:`~knowledge.search.index.SearchIndex` built once from the catalogue
and the alias file; :meth:`SearchEngine.search` reads a national code typed directly, or
prepares the query (:mod:`~knowledge.search.query`), ranks the names
(:mod:`~knowledge.search.ranking`) and decides how to show them
(:mod:`~knowledge.search.calibration`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from knowledge import textnorm
from knowledge.catalogue import POSTAL, Catalogue, Procedure
from knowledge.search import snapshot
from knowledge.search.aliases import DEFAULT_ALIASES, load_aliases
from knowledge.search.calibration import decide
from knowledge.search.index import BoolArray, SearchIndex
from knowledge.search.query import MAX_QUERY_CHARS, prepare, tokens
from knowledge.search.ranking import _Candidate, rank

DECISIONS = ("card", "list", "none")

_CODE_RE = re.compile(r"(?<![\d.])(\d)\s*\.\s*(\d{6})(?:\.\d{3}\.\d{2}\.\d{2}\.[a-z]\d{2})?(?!\d)")


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One procedure found, with a calibrated score in [0, 1]."""

    code: str
    name: str
    score: float
    procedure: Procedure


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What a search found and how the bot should show it (``decision``)."""

    query: str
    hits: tuple[Hit, ...]
    decision: str  # "card" | "list" | "none"


# --- the engine ------------------------------------------------------------------------------


class ProcedureSource(Protocol):
    """Anything that holds procedures, like :class:`knowledge.catalogue.Catalogue`."""

    @property
    def procedures(self) -> Sequence[Procedure]:
        """The procedures to search."""
        ...


class SearchEngine:
    """In-memory search over a catalogue (anything with ``.procedures``) or a procedure list."""

    def __init__(
        self,
        catalogue: ProcedureSource | Sequence[Procedure],
        aliases_path: str | Path | None = None,
    ) -> None:
        """Index ``catalogue``'s names and ``aliases_path`` (default: the shipped aliases).

        A catalogue loaded from a file takes the index saved beside it when that index was
        built from the same catalogue, aliases and search code (:mod:`.snapshot`);
        otherwise, and for a plain list of procedures, the index is built here.
        """
        procs = catalogue if isinstance(catalogue, Sequence) else catalogue.procedures
        self.procedures: tuple[Procedure, ...] = tuple(procs)
        self.aliases, self.alias_problems = load_aliases(aliases_path)
        self._snapshot = _snapshot_of(catalogue, aliases_path)
        index = snapshot.load(*self._snapshot, self.procedures) if self._snapshot else None
        self.index_source = "snapshot" if index is not None else "built"
        self._index = index if index is not None else SearchIndex(self.procedures, self.aliases)
        self._by_code = self._index.by_code
        self.unknown_alias_codes: list[str] = self._index.unknown_alias_codes
        self.n_entries = self._index.n_entries

    def save_index(self) -> Path | None:
        """Save the index beside the catalogue file it was loaded from (None: not from a file)."""
        if self._snapshot is None:
            return None
        path, key = self._snapshot
        return snapshot.save(self._index, path, key)

    # -- normalisation ---------------------------------------------------------------------------

    def normalise(self, query: str) -> str:
        """The fold keys of ``query`` after cleaning, IME decoding and glued-word splitting."""
        return " ".join(t.fold for t in tokens(self._index, query))

    # -- search ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 5,
        field: str | None = None,
        level: str | None = None,
        same_day: bool | None = None,
        time_cut: bool | None = None,
        postal: bool | None = None,
    ) -> SearchResult:
        """Find the procedures ``query`` is about; ``decision`` says how to present them."""
        if not isinstance(query, str):
            query = "" if query is None else str(query)
        text = query.replace("\x00", " ")
        try:
            limit = max(1, min(int(limit), 50))
        except (TypeError, ValueError):
            limit = 5
        allowed = self._allowed(field, level, same_day, time_cut, postal)

        direct = self._direct_codes(text, allowed)
        if direct:
            hits = tuple(self._hit(i, 1.0) for i in direct[:limit])
            return SearchResult(query, hits, "card" if len(hits) == 1 else "list")

        prep = prepare(self._index, text)
        if not prep.variants or prep.content == 0:
            return SearchResult(query, (), "none")
        entry_allowed = allowed[self._index.entry_proc] if allowed is not None else None
        ranked = rank(self._index, prep, entry_allowed)
        return self._decide(query, ranked, limit)

    def _decide(self, query: str, ranked: list[_Candidate], limit: int) -> SearchResult:
        hits, decision = decide(ranked, limit, self._index.group)
        return SearchResult(query, tuple(self._hit(proc, shown) for proc, shown in hits), decision)

    # -- helpers ---------------------------------------------------------------------------------

    def _hit(self, proc: int, score: float) -> Hit:
        p = self.procedures[proc]
        return Hit(p.code, p.name, round(min(1.0, max(0.0, score)), 4), p)

    def _direct_codes(self, query: str, allowed: BoolArray | None) -> list[int]:
        text = unicodedata.normalize("NFKC", query[:MAX_QUERY_CHARS]).casefold()
        out: list[int] = []
        for m in _CODE_RE.finditer(text):
            idx = self._by_code.get(f"{m.group(1)}.{m.group(2)}")
            if idx is not None and idx not in out and (allowed is None or allowed[idx]):
                out.append(idx)
        return out

    def _allowed(
        self,
        field: str | None,
        level: str | None,
        same_day: bool | None,
        time_cut: bool | None,
        postal: bool | None,
    ) -> BoolArray | None:
        if not field and not level and same_day is None and time_cut is None and postal is None:
            return None
        mask = np.ones(len(self.procedures), dtype=bool)
        field_key = textnorm.key(field) if field else ""
        level_key = textnorm.key(level).removeprefix("cap ") if level else ""
        for i, p in enumerate(self.procedures):
            local = p.local
            ok = True
            if field_key and textnorm.key(p.field) != field_key:
                ok = False
            if ok and level_key and level_key not in self._index.levels[i]:
                ok = False
            if ok and same_day is not None:
                ok = (local is not None and local.same_day) == same_day
            if ok and time_cut is not None:
                ok = (local is not None and local.time_cut) == time_cut
            if ok and postal is not None:
                by_post = (local is not None and (local.postal_submit or local.postal_return)) or (
                    p.channel(POSTAL) is not None
                )
                ok = by_post == postal
            mask[i] = ok
        return mask


def _snapshot_of(
    catalogue: ProcedureSource | Sequence[Procedure], aliases_path: str | Path | None
) -> tuple[Path, bytes] | None:
    """Where this input's saved index lives and its key; None when not loaded from a file."""
    if not isinstance(catalogue, Catalogue) or catalogue.path is None or not catalogue.digest:
        return None
    key = snapshot.key(catalogue.digest, aliases_path or DEFAULT_ALIASES)
    return snapshot.snapshot_path(catalogue.path), key
