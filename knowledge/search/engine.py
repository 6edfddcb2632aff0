"""The search's public face: :class:`SearchEngine`, and the :class:`SearchResult` it returns.

The engine holds a :class:`~knowledge.search.index.SearchIndex` built once from the catalogue
and the alias file; :meth:`SearchEngine.search` reads a national code typed directly, or
prepares the query (:mod:`~knowledge.search.query`), ranks the names
(:mod:`~knowledge.search.ranking`) and decides how to show them
(:mod:`~knowledge.search.calibration`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from knowledge import textnorm
from knowledge.catalogue import POSTAL, Catalogue, Procedure
from knowledge.search import smalltalk, snapshot
from knowledge.search.aliases import DEFAULT_ALIASES, load_aliases
from knowledge.search.calibration import Option, _calibrate, decide
from knowledge.search.index import BoolArray, FloatArray, SearchIndex
from knowledge.search.model import (
    BASE_FEATURES,
    RANK_FEATURES,
    SHORT_WORDS,
    SearchModel,
    actions,
    has_foreign,
    is_org,
)
from knowledge.search.model import load as load_model
from knowledge.search.query import (
    MAX_QUERY_CHARS,
    _Prepared,
    prepare_tokens,
    tokens,
)
from knowledge.search.ranking import _Candidate, rank
from knowledge.search.reading import Reading, aspect, read

DECISIONS = ("card", "list", "clarify", "refer", "none")
POOL = 20  # candidates taken from each ranking of the names
TEXT_POOL = 10  # candidates taken from the full-text ranking
_FLOOR = -8.0  # the logit of a candidate a ranking did not return

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
    """What a search found and how the bot should show it (``decision``).

    ``card``: one clear match; ``list``: several close ones; ``clarify``: the hits are variants
    of one procedure and ``options`` says what tells them apart; ``refer``: no procedure
    answers this message (``refer`` names the kind: fine, dispute, legal_advice,
    dossier_status, complaint_person, other); ``none``: nothing relevant. ``asks`` is the
    aspect the message asks about (time, fee, documents, place, online, postal) or None.
    """

    query: str
    hits: tuple[Hit, ...]
    decision: str  # one of DECISIONS
    asks: str | None = None
    refer: str | None = None
    options: tuple[Option, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidates:
    """A message read and ranked: candidate procedures, their features and probabilities."""

    reading: Reading
    procs: tuple[int, ...]
    rows: FloatArray
    probs: FloatArray


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
        self.model: SearchModel = load_model()

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

        if smalltalk.classify(text) is not None:
            return SearchResult(query, (), "none")
        direct = self._direct_codes(text, allowed)
        if direct:
            hits = tuple(self._hit(i, 1.0) for i in direct[:limit])
            return SearchResult(query, hits, "card" if len(hits) == 1 else "list", aspect(text))

        found = self.candidates(text, allowed)
        return self._decide(query, found, limit)

    def candidates(self, query: str, allowed: BoolArray | None = None) -> Candidates:
        """Read ``query``, rank the names twice and score each candidate with the rank model.

        The whole message is ranked with its story weighed down, and the asking clause alone;
        the candidates are the best :data:`POOL` of each, with one feature row each
        (:data:`~knowledge.search.model.RANK_FEATURES`), ordered by the fitted score.
        """
        reading = read(query)
        index = self._index
        entry_allowed = allowed[index.entry_proc] if allowed is not None else None
        asked = tokens(index, reading.ask)
        told = tokens(index, reading.story[-MAX_QUERY_CHARS:]) if reading.story else []
        ask_prep = prepare_tokens(index, asked, [])
        if told and not _has_content(ask_prep):
            # the question names nothing ("Thủ tục thế nào?"): the story says what it is about
            asked, told = told + asked, []
            ask_prep = prepare_tokens(index, asked, [])
        full_prep = prepare_tokens(index, asked, told) if told else ask_prep
        if not _has_content(full_prep):
            return Candidates(reading, (), np.zeros((0, len(RANK_FEATURES))), np.zeros(0))
        full = rank(index, full_prep, entry_allowed)[:POOL]
        ask = full
        if told:
            ask = rank(index, ask_prep, entry_allowed)[:POOL] if _has_content(ask_prep) else []
        text_full = index.fulltext.scores(_text_words(full_prep))
        text_ask = index.fulltext.scores(_text_words(ask_prep)) if told else text_full
        if allowed is not None:
            text_full = np.where(allowed, text_full, 0.0)
            text_ask = np.where(allowed, text_ask, 0.0)
        by_text = [int(i) for i in np.argsort(-text_full)[:TEXT_POOL] if text_full[i] > 0.0]
        procs = list(dict.fromkeys([c.proc for c in full] + [c.proc for c in ask] + by_text))
        rows = self._rows(reading, procs, full, ask, has_story=bool(told))
        base = len(BASE_FEATURES)
        text_rank = {p: r for r, p in enumerate(by_text)}
        top_full = float(text_full.max()) or 1.0
        top_ask = float(text_ask.max()) or 1.0
        cols = [BASE_FEATURES.index(f) for f in ("text_full", "text_ask", "text_rr")]
        for i, proc in enumerate(procs):
            r = text_rank.get(proc)
            rows[i, cols] = (
                text_full[proc] / top_full,
                text_ask[proc] / top_ask,
                1.0 / (1.0 + r) if r is not None else 0.0,
            )
        if told:  # the same features again, read only for messages that tell a story
            rows[:, base:] = rows[:, :base]
        scores = self.model.scores(rows)
        probs = self.model.probabilities(scores, rows)
        order = sorted(
            range(len(procs)),
            key=lambda i: (-scores[i], self.procedures[procs[i]].code),
        )
        return Candidates(
            reading,
            tuple(procs[i] for i in order),
            rows[order],
            probs[order],
        )

    def _rows(
        self,
        reading: Reading,
        procs: list[int],
        full: list[_Candidate],
        ask: list[_Candidate],
        *,
        has_story: bool,
    ) -> FloatArray:
        by_full = {c.proc: (r, c) for r, c in enumerate(full)}
        by_ask = {c.proc: (r, c) for r, c in enumerate(ask)}
        best_full = full[0].score if full else 0.0
        best_ask = ask[0].score if ask else 0.0
        ask_key = textnorm.key(reading.ask)
        whole_key = textnorm.key(f"{reading.story} {reading.ask}")
        wanted = actions(ask_key) or actions(whole_key)
        foreign = has_foreign(f"{reading.story} {reading.ask}")
        org = is_org(whole_key)
        story = math.log1p(len(reading.story.split())) if has_story else 0.0
        mass = math.log1p(max((c.mass for c in full), default=0.0))
        rows = np.zeros((len(procs), len(RANK_FEATURES)))
        base = len(BASE_FEATURES)
        names = self._index.name_features
        for i, proc in enumerate(procs):
            f_rank, f_c = by_full.get(proc, (-1, None))
            a_rank, a_c = by_ask.get(proc, (-1, None))
            has, named_foreign, name_len, people, orgs, commune, ministry = names[proc]
            row = {
                "full_logit": _logit(_calibrate(f_c)) if f_c else _FLOOR,
                "ask_logit": (_logit(_calibrate(a_c)) if a_c else _FLOOR) if has_story else 0.0,
                "full_score": f_c.score if f_c else 0.0,
                "ask_score": (a_c.score if a_c else 0.0) if has_story else 0.0,
                "full_first": 1.0 if f_rank == 0 else 0.0,
                "ask_first": 1.0 if a_rank == 0 and has_story else 0.0,
                "full_gap": best_full - f_c.score if f_c else 1.0,
                "ask_gap": (best_ask - a_c.score if a_c else 1.0) if has_story else 0.0,
                "named": 1.0 if (f_c and f_c.named) or (a_c and a_c.named) else 0.0,
                "ask_cover": (a_c.ecov if a_c else 0.0)
                if has_story
                else (f_c.ecov if f_c else 0.0),
                "act_match": 1.0 if has & wanted else 0.0,
                "act_missing": 1.0 if has - wanted else 0.0,
                "act_unmet": 1.0 if wanted and not has & wanted else 0.0,
                "foreign_match": 1.0 if foreign and named_foreign else 0.0,
                "foreign_clash": 1.0 if named_foreign and not foreign else 0.0,
                "story": story,
                "full_qcov": f_c.qcov if f_c else 0.0,
                "ask_qcov": (a_c.qcov if a_c else 0.0)
                if has_story
                else (f_c.qcov if f_c else 0.0),
                "full_ecov": f_c.ecov if f_c else 0.0,
                "full_rr": 1.0 / (1.0 + f_rank) if f_c else 0.0,
                "ask_rr": (1.0 / (1.0 + a_rank) if a_c else 0.0) if has_story else 0.0,
                "both": 1.0 if f_c and a_c else 0.0,
                "name_len": name_len,
                "org_only": 0.0 if people else 1.0,
                "org_clash": 1.0 if not people and not org else 0.0,
                "person_clash": 1.0 if org and not orgs else 0.0,
                "commune": 1.0 if commune else 0.0,
                "ministry_only": 1.0 if ministry else 0.0,
                "mass": mass,
                "text_full": 0.0,
                "text_ask": 0.0,
                "text_rr": 0.0,
            }
            rows[i, :base] = [row[f] for f in BASE_FEATURES]
        return rows

    def _decide(self, query: str, found: Candidates, limit: int) -> SearchResult:
        reading = found.reading
        if reading.sure:
            return SearchResult(query, (), "refer", reading.asks, reading.sure)
        top = float(found.probs[0]) if len(found.procs) else 0.0
        refer = self.model.refer.probability(reading, top)
        if refer >= self.model.t_refer or (not found.procs and reading.refer):
            if reading.refer or reading.words >= SHORT_WORDS:
                kind = reading.refer_kind or "other"
                return SearchResult(query, (), "refer", reading.asks, kind)
            return SearchResult(query, (), "none")  # chit-chat, not a question to refer
        hits, decision, options = decide(
            found.procs, found.probs, found.rows, limit, self._index, self.model, reading.words
        )
        return SearchResult(
            query,
            tuple(self._hit(proc, shown) for proc, shown in hits),
            decision,
            reading.asks if decision != "none" else None,
            None,
            options,
        )

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


def _text_words(prep: _Prepared) -> list[tuple[str, float]]:
    """The words of a prepared query, each with its largest weight over the variants."""
    out: dict[str, float] = {}
    for variant in prep.variants:
        for t in variant.tokens:
            w = t.weight * t.scale
            if w > out.get(t.fold, 0.0):
                out[t.fold] = w
    return list(out.items())


def _has_content(prep: _Prepared) -> bool:
    return bool(prep.variants) and prep.content > 0


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


def _snapshot_of(
    catalogue: ProcedureSource | Sequence[Procedure], aliases_path: str | Path | None
) -> tuple[Path, bytes] | None:
    """Where this input's saved index lives and its key; None when not loaded from a file."""
    if not isinstance(catalogue, Catalogue) or catalogue.path is None or not catalogue.digest:
        return None
    key = snapshot.key(catalogue.digest, aliases_path or DEFAULT_ALIASES)
    return snapshot.snapshot_path(catalogue.path), key
