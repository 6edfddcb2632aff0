"""The in-memory index of the catalogue's names, built once from procedures and aliases.

A query only reads these structures (see :mod:`knowledge.search.query` and
:mod:`knowledge.search.ranking`); nothing here scans raw text at query time. The entries are
names: each procedure's official name, its top-level clauses, its keywords, the aliases that
name it, and a spelled-out twin of any of them that uses an abbreviation ("BHXH" -> "bảo hiểm
xã hội"). Postings (word, tone-keyed word, word pair -> entries) are compressed numpy arrays.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from knowledge import textnorm
from knowledge.catalogue import Procedure
from knowledge.search.aliases import Alias
from knowledge.search.fulltext import FullText
from knowledge.search.lexicon import (
    BARE_FILLER,
    CHAT_WORDS,
    CONTEXT_PHRASES,
    FILLER_PHRASES,
    FILLER_WORDS,
    SECONDARY_ACTIONS,
    Syllable,
    _index_phrases,
    _syllables,
)
from knowledge.search.model import name_features
from knowledge.search.weights import (
    ALIAS_CODE_STEP,
    AMBIGUOUS_FILLER_WEIGHT,
    CITIZEN_PRIOR,
    CLAUSE_PENALTY,
    COMMUNE_PRIOR,
    COMPOUND_MIN_USES,
    COMPOUND_PARTNERS,
    COMPOUND_SHARE,
    PAREN_WEIGHT,
    PROVINCE_PRIOR,
    SECONDARY_LEAD,
    UNKNOWN_WORD_WEIGHT,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

_LEVEL_NOTE = re.compile(
    r"\((?:thuc hien )?(?:tai |o )?cap (?:tinh|tinh|bo|xa|tw|trung uong|huyen|dia phuong)[^)]*\)"
)


def _marked_syllables(text: str) -> list[tuple[str, str, bool]]:
    """(fold key, tone key, inside parentheses) of every word of a catalogue name."""
    if "(" not in text:
        return [(f, t, False) for f, t, _ in _syllables(text)]
    out: list[tuple[str, str, bool]] = []
    depth = 0
    for piece in re.split(r"([()])", text):
        if piece == "(":
            depth += 1
        elif piece == ")":
            depth = max(0, depth - 1)
        else:
            out.extend((w, t, depth > 0) for w, t, _ in _syllables(piece))
    return out


def _base_name(name: str) -> str:
    """A name without its level note, to tell level-only duplicates apart."""
    folded = _LEVEL_NOTE.sub(" ", textnorm.fold(name.casefold()))
    key = " ".join(textnorm.word_key(w) for w in re.findall(r"[a-z0-9]+", folded))
    return key.removeprefix("thu tuc ")


class SearchIndex:
    """Everything a query reads, built once from the procedures and the aliases.

    ``procedures`` and ``by_code`` (code -> position) describe the catalogue; the entries
    (``n_entries`` names, ``entry_*`` arrays and lists) point back to procedures through
    ``entry_proc``; ``uni``, ``tone`` and ``bi`` are the postings of folded words, tone-keyed
    words and word pairs; ``idf`` weighs a folded word by its rarity among procedures;
    ``group`` puts level-only duplicates together; the remaining tables serve the query
    (vocabulary, glued words, typos, alias rewriting, filler and chit-chat phrases) and the
    filters (``levels``). ``unknown_alias_codes`` lists alias codes that name no procedure.
    """

    def __init__(self, procedures: Sequence[Procedure], aliases: Sequence[Alias]) -> None:
        self.procedures: tuple[Procedure, ...] = tuple(procedures)
        self.by_code = {p.code: i for i, p in enumerate(self.procedures)}
        self.unknown_alias_codes: list[str] = []
        self._build(aliases)
        self.build_fulltext()

    def _build(self, aliases: Sequence[Alias]) -> None:
        entry_proc: list[int] = []
        entry_syl: list[list[tuple[str, str, bool]]] = []
        entry_bonus: list[float] = []
        entry_alias: list[bool] = []

        def add(
            proc: int,
            text: str,
            bonus: float = 0.0,
            alias: bool = False,
            syl: list[tuple[str, str, bool]] | None = None,
        ) -> None:
            if syl is None:
                syl = _marked_syllables(text)
            if syl:
                entry_proc.append(proc)
                entry_syl.append(syl)
                entry_bonus.append(bonus)
                entry_alias.append(alias)

        alias_syl = [(_syllables(a.alias), _syllables(a.expansion)) for a in aliases]
        abbr: dict[str, list[Syllable]] = {}
        for a, (key_syl, exp_syl) in zip(aliases, alias_syl, strict=True):
            if a.kind == "abbr" and exp_syl and len(key_syl) == 1:
                abbr[key_syl[0][0]] = exp_syl
        for i, p in enumerate(self.procedures):
            add(i, p.name)
            clauses = _top_level_clauses(p.name) if (";" in p.name or "\n" in p.name) else []
            if len(clauses) > 1:
                for clause in clauses:
                    if len(clause.split()) >= 3:
                        add(i, clause, CLAUSE_PENALTY)
            for kw in p.keywords:
                add(i, kw)
        for a, (key_syl, _) in zip(aliases, alias_syl, strict=True):
            marked = [(f, t, False) for f, t, _ in key_syl]
            for rank, code in enumerate(a.codes):
                idx = self.by_code.get(code)
                if idx is None:
                    self.unknown_alias_codes.append(code)
                else:  # codes are listed most likely first
                    add(idx, a.alias, -ALIAS_CODE_STEP * rank, alias=True, syl=marked)
        # names that use abbreviations get a spelled-out twin ("BHXH" -> "bảo hiểm xã hội")
        for e in range(len(entry_proc)):
            if abbr.keys().isdisjoint([x[0] for x in entry_syl[e]]):
                continue
            twin: list[tuple[str, str, bool]] = []
            for x in entry_syl[e]:
                exp = abbr.get(x[0])
                if exp is None:
                    twin.append(x)
                else:
                    twin.extend((f, t, x[2]) for f, t, _ in exp)
            entry_proc.append(entry_proc[e])
            entry_syl.append(twin)
            entry_bonus.append(entry_bonus[e])
            entry_alias.append(entry_alias[e])

        # postings, built as flat (term, name) pairs then grouped by term in one sort:
        # fold -> names (with the word's weight in that name: less inside parentheses),
        # tone key -> names, consecutive fold pairs -> names
        n = len(entry_proc)
        self.n_entries = n
        lengths = np.fromiter((len(syl) for syl in entry_syl), dtype=np.int64, count=n)
        flat = [x for syl in entry_syl for x in syl]
        fold_ids: dict[str, int] = {}
        tone_ids: dict[str, int] = {}
        fid = np.fromiter(
            (fold_ids.setdefault(x[0], len(fold_ids)) for x in flat), np.int64, len(flat)
        )
        tid = np.fromiter(
            (tone_ids.setdefault(x[1], len(tone_ids)) for x in flat), np.int64, len(flat)
        )
        paren = np.fromiter((x[2] for x in flat), bool, len(flat))
        ent = np.repeat(np.arange(n, dtype=np.int64), lengths)
        weight = np.where(paren, PAREN_WEIGHT, 1.0)
        n_folds, n_tones = max(1, len(fold_ids)), max(1, len(tone_ids))
        u_entry, u_term, u_weight = _unique_max(ent, fid, weight, n_folds)
        t_entry, t_term, t_weight = _unique_max(ent, tid, weight, n_tones)
        # consecutive words of one name
        same = ent[:-1] == ent[1:]
        pair_mask = same & (fid[:-1] != fid[1:])
        pair_keys = fid[:-1][pair_mask] * n_folds + fid[1:][pair_mask]
        uniq_pairs, pair_of = np.unique(pair_keys, return_inverse=True)
        pair_ids: dict[tuple[int, int], int] = {
            (k // n_folds, k % n_folds): i for i, k in enumerate(uniq_pairs.tolist())
        }
        pair_w = np.where(paren[:-1] & paren[1:], PAREN_WEIGHT, 1.0)[pair_mask]
        b_entry, b_term, b_weight = _unique_max(
            ent[:-1][pair_mask], pair_of.astype(np.int64), pair_w, max(1, len(uniq_pairs))
        )
        ends = np.cumsum(lengths).tolist()
        starts = [0, *ends[:-1]]
        folds_all = [x[0] for x in flat]
        tokens = [folds_all[a:b] for a, b in zip(starts, ends, strict=True)]
        texts = [" ".join(folds) for folds in tokens]

        n_procs = max(1, len(self.procedures))
        proc_arr = np.asarray(entry_proc, dtype=np.int64)
        ut, ue = u_term, u_entry
        # document frequency counts procedures, not names
        pairs_pt = np.unique(proc_arr[ue] * n_folds + ut)
        df_arr = np.bincount(pairs_pt % n_folds, minlength=len(fold_ids))
        idf_arr = np.log(1.0 + (n_procs - df_arr + 0.5) / (df_arr + 0.5))
        folds_list = list(fold_ids)
        self.idf = dict(zip(folds_list, idf_arr.tolist(), strict=True))
        # a word no name uses weighs like a rare one, not like the rarest possible
        self.unknown_idf = UNKNOWN_WORD_WEIGHT
        uw = u_weight
        self.uni = _Postings(fold_ids, ut, ue, uw)
        self.tone = _Postings(tone_ids, t_term, t_entry, t_weight)
        self.entry_alias = np.asarray(entry_alias, dtype=bool)
        self.entry_pairs = np.bincount(b_entry, minlength=n).astype(np.float64)
        self.bi = _Postings(pair_ids, b_term, b_entry, b_weight)
        # words that (almost) only occur inside one compound ("yếu" in "yếu tố"): alone in a
        # query they are likely another sense ("già yếu"); read on tone keys, so "yêu cầu"
        # does not hide that "yếu" only comes in "yếu tố"
        tones_list = list(tone_ids)
        tone_keys = tid[:-1][same] * n_tones + tid[1:][same]
        uniq_tone_pairs, pair_counts = np.unique(tone_keys, return_counts=True)
        self.tone_ids = tone_ids
        self.tone_pair_keys: set[int] = set(uniq_tone_pairs.tolist())
        self.n_tones = n_tones
        occurrences = np.bincount(t_term, minlength=n_tones)
        side_tid = np.concatenate((uniq_tone_pairs // n_tones, uniq_tone_pairs % n_tones))
        side_count = np.concatenate((pair_counts, pair_counts))
        order = np.lexsort((-side_count, side_tid))
        side_tid, side_count = side_tid[order], side_count[order]
        starts_tid = np.ones(side_tid.size, dtype=bool)
        starts_tid[1:] = side_tid[1:] != side_tid[:-1]
        partner_rank = np.arange(side_tid.size) - np.maximum.accumulate(
            np.where(starts_tid, np.arange(side_tid.size), 0)
        )
        top_sum = np.bincount(
            side_tid[partner_rank < COMPOUND_PARTNERS],
            weights=side_count[partner_rank < COMPOUND_PARTNERS],
            minlength=n_tones,
        )
        bound = (occurrences >= COMPOUND_MIN_USES) & (top_sum >= COMPOUND_SHARE * occurrences)
        self.bound: set[str] = {tones_list[i] for i in np.flatnonzero(bound).tolist()}
        self.fold_ids = fold_ids
        entry_weight = np.bincount(ue, weights=idf_arr[ut] * uw, minlength=n)
        self.entry_weight = np.maximum(entry_weight, 1e-9)
        self.inv_entry_weight = 1.0 / self.entry_weight
        self.entry_proc = np.asarray(entry_proc, dtype=np.int32)
        self.entry_text = texts
        # a name without its "Thủ tục" lead-in, padded for whole-word tests, and its first
        # three words
        self.entry_body: list[str] = []
        self.entry_head: list[str] = []
        for folds in tokens:
            start = 2 if folds[:2] == ["thu", "tuc"] else 0
            self.entry_body.append(" " + " ".join(folds[start:]) + " ")
            head = folds[start : start + 3]
            self.entry_head.append(" ".join(head) if len(head) == 3 else "\x00")

        df = dict(zip(folds_list, df_arr.tolist(), strict=True))
        known: set[str] = set(df)
        for key_syl, exp_syl in alias_syl:
            known.update(x[0] for x in key_syl)
            known.update(x[0] for x in exp_syl)
        for phrase in (
            *FILLER_PHRASES,
            *FILLER_WORDS,
            *CHAT_WORDS,
            *SECONDARY_ACTIONS,
            *CONTEXT_PHRASES,
        ):
            known.update(x[0] for x in _syllables(phrase))
        self.known = known
        self.split_weight = {t: math.log(1.0 + d) for t, d in df.items()}
        # glued words may hold an alias word too ("lamcccd", "rutbhxh")
        self.glue_extra = frozenset(
            key_syl[0][0]
            for key_syl, _ in alias_syl
            if len(key_syl) == 1 and len(key_syl[0][0]) > 1
        )
        self.pair_ids = pair_ids

        # priors: service-centre levels first; secondary actions the query did not ask for
        prior = np.zeros(len(self.procedures), dtype=np.float64)
        for i, p in enumerate(self.procedures):
            levels = " ".join(p.levels).casefold()
            if "xã" in levels:
                prior[i] = COMMUNE_PRIOR
            elif "tỉnh" in levels:
                prior[i] = PROVINCE_PRIOR
            if "Công dân" in p.subjects:
                prior[i] += CITIZEN_PRIOR
        self.entry_prior = prior[self.entry_proc] + np.asarray(entry_bonus, dtype=np.float64)
        self.secondary_by_first: dict[str, list[tuple[int, list[str]]]] = {}
        for b, action in enumerate(SECONDARY_ACTIONS):
            folds_a = [f for f, _, _ in _syllables(action)]
            self.secondary_by_first.setdefault(folds_a[0], []).append((b, folds_a))
        # a procedure's secondary action is read from its official name, and holds for all
        # its names (an alias "khai sinh lại" is still "đăng ký lại khai sinh")
        proc_mask = np.zeros(len(self.procedures), dtype=np.int64)
        for e, folds in enumerate(tokens):
            if not entry_alias[e]:
                start = 2 if folds[:2] == ["thu", "tuc"] else 0
                proc_mask[entry_proc[e]] |= self.secondary_mask(
                    folds[start : start + SECONDARY_LEAD]
                )
        self.entry_neg = proc_mask[self.entry_proc]

        # level-only duplicates share a group
        groups: dict[str, int] = {}
        first_entry: dict[int, int] = {}
        for e, proc in enumerate(entry_proc):
            first_entry.setdefault(proc, e)
        self.group = []
        for i, p in enumerate(self.procedures):
            if "(" in p.name or i not in first_entry:
                base = _base_name(p.name)
            else:
                base = texts[first_entry[i]].removeprefix("thu tuc ")
            self.group.append(groups.setdefault(base, len(groups)))

        # typo alternatives: vocabulary words by first letter
        buckets: dict[str, list[str]] = {}
        for t in df:
            if len(t) >= 3 and t.isalpha():
                buckets.setdefault(t[0], []).append(t)
        self.buckets = buckets

        # query rewriting: aliases by the fold of their first word
        rewrite: dict[str, list[tuple[list[Syllable], list[Syllable]]]] = {}
        for key_syl, exp in alias_syl:
            if key_syl and exp and [x[0] for x in exp] != [x[0] for x in key_syl]:
                rewrite.setdefault(key_syl[0][0], []).append((key_syl, exp))
        for lst in rewrite.values():
            lst.sort(key=lambda pair: len(pair[0]), reverse=True)
        self.rewrite = rewrite
        self.filler_phrases = _index_phrases(FILLER_PHRASES)
        self.chat_phrases = _index_phrases(CHAT_WORDS)
        self.context_phrases = _index_phrases(tuple(CONTEXT_PHRASES))
        tones_of: dict[str, set[str]] = {}
        for t in tone_ids:
            tones_of.setdefault(textnorm.word_key(t.rstrip("12345")), set()).add(t)
        self.filler_tone: dict[str, float] = {}
        self.filler_fold: dict[str, float] = {}
        lightest: dict[str, float] = {}
        for w, m in FILLER_WORDS.items():
            f, t, _ = _syllables(w)[0]
            self.filler_tone[t] = m
            self.filler_fold[f] = max(self.filler_fold.get(f, 0.0), m)
            lightest[f] = min(lightest.get(f, 1.0), m)
        for f, m in list(self.filler_fold.items()):
            if f in BARE_FILLER:
                self.filler_fold[f] = lightest[f]
            elif tones_of.get(f, set()) - set(self.filler_tone):
                self.filler_fold[f] = max(m, AMBIGUOUS_FILLER_WEIGHT)
        self.levels = [
            {textnorm.key(lv).removeprefix("cap ") for lv in p.levels} for p in self.procedures
        ]

    def build_fulltext(self) -> None:
        """Index more of each procedure than its name (:mod:`~knowledge.search.fulltext`) and
        read once what the rank features need of each procedure (:func:`name_features`)."""
        self.fulltext = FullText(self.procedures)
        self.name_features = [name_features(p) for p in self.procedures]

    def secondary_mask(self, folds: list[str]) -> int:
        """Bit mask of the secondary actions (:data:`SECONDARY_ACTIONS`) found in ``folds``."""
        mask = 0
        for j, f in enumerate(folds):
            for b, phrase in self.secondary_by_first.get(f, ()):
                if folds[j : j + len(phrase)] == phrase:
                    mask |= 1 << b
        return mask


def _unique_max(
    entries: npt.NDArray[np.int64],
    terms: npt.NDArray[np.int64],
    weights: FloatArray,
    n_terms: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray]:
    """Distinct (entry, term) pairs, each with its largest weight."""
    keys = entries * n_terms + terms
    order = np.lexsort((-weights, keys))
    keys, weights = keys[order], weights[order]
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    keys, weights = keys[first], weights[first]
    return keys // n_terms, keys % n_terms, weights


class _Postings:
    """Term -> names, stored compressed (one sorted array and offsets per term)."""

    __slots__ = ("_entries", "_ids", "_indptr", "_weights")

    def __init__(
        self,
        ids: Mapping[Any, int],
        terms: npt.NDArray[np.int64],
        entries: npt.NDArray[np.int64],
        weights: FloatArray | None = None,
    ) -> None:
        self._ids = ids
        order = np.argsort(terms, kind="stable")
        counts = np.bincount(terms, minlength=len(ids)) if terms.size else np.zeros(len(ids))
        self._indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._entries = entries[order].astype(np.int32)
        ones = np.ones(entries.size, dtype=np.float64)
        self._weights = (weights if weights is not None else ones)[order]

    def get(self, key: object) -> tuple[IntArray, FloatArray] | None:
        """Names holding ``key`` and the key's weight in each, or None."""
        i = self._ids.get(key)
        if i is None:
            return None
        a, b = self._indptr[i], self._indptr[i + 1]
        return self._entries[a:b], self._weights[a:b]


def _top_level_clauses(name: str) -> list[str]:
    """Parts of a name separated by semicolons outside parentheses."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in name:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if (ch == ";" or ch == "\n") and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]
