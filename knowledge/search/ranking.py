"""Scoring names against a prepared query, and folding names into ranked procedures.

Per query variant: every name is scored with numpy vector adds over the postings (query
coverage, name coverage, pair coverage, priors), the best :data:`CANDIDATES` get every feature,
the best :data:`TOP_K` of those are re-ranked with rapidfuzz and phrase/prefix features, names
fold to procedures, and level-only duplicates go behind the distinct procedures close to them.
Every weight comes from :mod:`knowledge.search.weights`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from knowledge.search.index import BoolArray, FloatArray, IntArray, SearchIndex
from knowledge.search.query import _Prepared, _Token, _Variant
from knowledge.search.weights import (
    ACCENT_MISMATCH,
    ALIAS_COVERAGE_FLOOR,
    ALIAS_PHRASE_BONUS,
    ALIAS_SATURATION,
    COMPOUND_LONE,
    CONTENT_WEIGHT,
    FULL_ALIAS,
    HEAD_BONUS,
    INNER_RUN_SHARE,
    LONG_EXPANSION,
    LONG_QUERY_NAME_SHARE,
    NAME_COVERAGE_WEIGHT,
    PAIR_COVERAGE_WEIGHT,
    PREFIX_BONUS,
    PREFIX_WORDS,
    PRESELECT_NAME_WEIGHT,
    QUERY_COVERAGE_WEIGHT,
    RATIO_WEIGHT,
    SECONDARY_PENALTY,
    SHORT_PREFIX_SHARE,
    SHORT_QUERY,
    TWIN_GAP,
    TYPO_ALTERNATIVES,
    TYPO_CUTOFF,
    TYPO_CUTOFF_SHORT,
    TYPO_FLOOR,
)

CANDIDATES = 200  # names scored on every feature per query variant
TOP_K = 30  # names re-ranked with rapidfuzz per query variant
RATIO_MAX_WORDS = 15  # content words up to which the rapidfuzz ratio to a name is computed


@dataclass(slots=True)
class _Candidate:
    """A procedure found, with the features the calibration reads."""

    proc: int
    score: float
    qcov: float
    ecov: float
    mass: float
    alias: bool
    named: bool = False  # the query holds one of the procedure's aliases, whole


def rank(index: SearchIndex, prep: _Prepared, allowed: BoolArray | None) -> list[_Candidate]:
    """Candidates for a prepared query, best first, level-only duplicates behind the rest."""
    best: dict[int, _Candidate] = {}
    cache: dict[tuple[str, str], list[tuple[IntArray, float, FloatArray]]] = {}
    for variant in prep.variants:
        asked = index.secondary_mask([t.fold for t in variant.tokens]) | prep.secondary
        acc_q, acc_e, q_total = _score_variant(index, variant, cache)
        if q_total <= 0.0:
            continue
        # consecutive pairs: content pairs for the query's coverage, every pair (filler too)
        # for whether an alias phrase appears as written
        p_ids: list[IntArray] = []
        b_ids: list[IntArray] = []
        b_w: list[FloatArray] = []
        n_pairs = 0
        seen_pairs: set[tuple[int, int]] = set()
        live = [t for t in variant.tokens if t.weight > 0.0]
        for a, b in itertools.pairwise(live):
            fa, fb = index.fold_ids.get(a.fold), index.fold_ids.get(b.fold)
            if fa is None or fb is None or fa == fb or (fa, fb) in seen_pairs:
                continue
            seen_pairs.add((fa, fb))
            content_pair = a.weight >= CONTENT_WEIGHT and b.weight >= CONTENT_WEIGHT
            n_pairs += content_pair
            post = index.bi.get((fa, fb))
            if post is not None:
                p_ids.append(post[0])
                if content_pair:
                    b_ids.append(post[0])
                    b_w.append(post[1])
        n = index.n_entries
        acc_p = (
            np.bincount(np.concatenate(p_ids), minlength=n).astype(np.float64)
            if p_ids
            else np.zeros(n)
        )
        acc_b = (
            np.bincount(np.concatenate(b_ids), weights=np.concatenate(b_w), minlength=n)
            if b_ids
            else np.zeros(n)
        )
        # candidates: the names best covered, cheaply; the other features only for them
        hit = np.flatnonzero(acc_q > 0.0)
        if allowed is not None:
            hit = hit[allowed[hit]]
        if hit.size == 0:
            continue
        pre = (
            acc_q[hit] * (1.0 / q_total)
            + PRESELECT_NAME_WEIGHT * acc_e[hit] * index.inv_entry_weight[hit]
        )
        if hit.size > CANDIDATES:
            cand = hit[np.argpartition(-pre, CANDIDATES - 1)[:CANDIDATES]]
        else:
            cand = hit
        qcov = acc_q[cand] / q_total
        ecov = np.minimum(acc_e[cand] * index.inv_entry_weight[cand], 1.0)
        bcov = acc_b[cand] / n_pairs if n_pairs else np.zeros(cand.size)
        # an alias is a phrase: its words must come in its order to count fully
        pairs_in_name = index.entry_pairs[cand]
        phrase = np.where(
            pairs_in_name > 0,
            np.minimum(acc_p[cand] / np.maximum(pairs_in_name, 1.0), 1.0),
            1.0,
        )
        is_alias = index.entry_alias[cand]
        full_alias = is_alias & (ecov * phrase >= FULL_ALIAS)
        # an alias covering little of a long question says little about it
        ecov = np.where(
            is_alias, ecov * phrase * np.minimum(1.0, ALIAS_COVERAGE_FLOOR + qcov), ecov
        )
        # naming a procedure by one of its aliases asks for it, secondary action and all
        neg_penalty = ((index.entry_neg[cand] & ~np.int64(asked)) != 0) & ~full_alias
        # how much of the name the query covers matters for short queries ("khai sinh"
        # is the plain birth registration); a long question's words decide by themselves
        n_content = sum(1 for t in variant.tokens if t.weight >= CONTENT_WEIGHT)
        w_name = (
            NAME_COVERAGE_WEIGHT
            if n_content <= SHORT_QUERY
            else LONG_QUERY_NAME_SHARE * NAME_COVERAGE_WEIGHT
        )
        coarse = (
            QUERY_COVERAGE_WEIGHT * qcov
            + w_name * ecov
            + PAIR_COVERAGE_WEIGHT * bcov
            + index.entry_prior[cand]
            + ALIAS_PHRASE_BONUS * np.minimum(1.0, ALIAS_COVERAGE_FLOOR + qcov) * full_alias
            - SECONDARY_PENALTY * neg_penalty
        )
        k = min(TOP_K, cand.size)
        pick = np.argpartition(-coarse, k - 1)[:k] if cand.size > k else np.arange(cand.size)
        pick = pick[coarse[pick] > 0.0]
        if pick.size == 0:
            continue
        top = cand[pick]
        coarse_top = coarse[pick]
        qcov_top = qcov[pick]
        ecov_top = ecov[pick]
        named_top = full_alias[pick]
        content_all = [t.fold for t in variant.tokens if t.weight >= CONTENT_WEIGHT]
        content = list(dict.fromkeys(content_all))
        q_text = " ".join(content)
        prefix_bonus = (
            PREFIX_BONUS if len(content) >= PREFIX_WORDS else PREFIX_BONUS * SHORT_PREFIX_SHARE
        )
        if len(content) <= RATIO_MAX_WORDS:
            ratio = process.cdist(
                [q_text], [index.entry_text[e] for e in top], scorer=fuzz.ratio, dtype=np.float64
            )[0]
        else:  # a long question is not a name typed with typos: its ratio to any name is low
            ratio = np.zeros(top.size)
        live_folds = [t.fold for t in variant.tokens if t.weight > 0.0]
        trigrams = {" ".join(live_folds[i : i + 3]) for i in range(max(0, len(live_folds) - 2))}
        run_all = " " + " ".join(content_all) + " "
        run = " " + q_text + " "
        long_run = len(content_all) >= PREFIX_WORDS
        base = coarse_top + RATIO_WEIGHT * ratio / 100.0 - variant.penalty
        procs = index.entry_proc[top]
        for j, e in enumerate(top.tolist()):
            body = index.entry_body[e]
            extra = HEAD_BONUS if index.entry_head[e] in trigrams else 0.0
            if content and (body.startswith(run) or body.startswith(run_all)):
                extra += prefix_bonus
            elif long_run and run_all in body:
                extra += INNER_RUN_SHARE * prefix_bonus
            sc = float(base[j]) + extra
            proc = int(procs[j])
            cur = best.get(proc)
            named = bool(named_top[j]) or (cur is not None and cur.named)
            if cur is None or sc > cur.score:
                best[proc] = _Candidate(
                    proc,
                    sc,
                    float(qcov_top[j]),
                    float(ecov_top[j]),
                    q_total,
                    variant.alias,
                    named,
                )
            elif named:
                cur.named = True
    ranked = sorted(best.values(), key=lambda c: (-c.score, index.procedures[c.proc].code))
    # level-only duplicates go behind the distinct procedures close to them
    out: list[_Candidate] = []
    later: list[_Candidate] = []
    seen_groups: set[int] = set()
    for c in ranked:
        g = index.group[c.proc]
        (later if g in seen_groups else out).append(c)
        seen_groups.add(g)
    merged: list[_Candidate] = []
    for c in out:
        while later and later[0].score - TWIN_GAP > c.score:
            merged.append(later.pop(0))
        merged.append(c)
    merged.extend(later)
    return merged


def _score_variant(
    index: SearchIndex,
    variant: _Variant,
    cache: dict[tuple[str, str], list[tuple[IntArray, float, FloatArray]]],
) -> tuple[FloatArray, FloatArray, float]:
    """Per name: matched query weight, matched name weight; and the query's total weight.

    Postings are gathered first and summed with one ``bincount``. The words of one long
    alias expansion count together and saturate: a name matching
    :data:`ALIAS_SATURATION` of the expansion gets all of it ("Giấy chứng nhận" is enough
    of "giấy chứng nhận quyền sử dụng đất" when the query said "sổ đỏ").
    """
    n = index.n_entries
    live = [t for t in variant.tokens if t.weight > 0.0]
    sizes: dict[int, int] = {}
    for tok in live:
        if tok.group >= 0:
            sizes[tok.group] = sizes.get(tok.group, 0) + 1
    # (ids, weights) to add, per target: -1 = the query side, g = saturating group g
    q_parts: dict[int, tuple[list[IntArray], list[float]]] = {}
    e_ids: list[IntArray] = []
    e_w: list[FloatArray] = []
    group_total: dict[int, float] = {}
    extra_q: list[FloatArray] = []
    extra_e: list[FloatArray] = []
    q_total = 0.0
    seen: set[tuple[str, int]] = set()
    lone = _lone_compound_words(index, live)
    # a word told in the story and asked again counts once, as asked
    for i in sorted(range(len(live)), key=lambda j: live[j].story):
        tok = live[i]
        if (tok.fold, tok.group) in seen:
            continue
        seen.add((tok.fold, tok.group))
        key = (tok.fold, tok.tone if tok.accented else "")
        parts = cache.get(key)
        if parts is None:
            parts = cache[key] = _postings_of(index, tok)
        if parts:
            idf = index.idf[tok.fold]
            w = idf * tok.weight * tok.scale * (COMPOUND_LONE if i in lone else 1.0)
            q_total += w
            target = -1
            if tok.group >= 0 and sizes.get(tok.group, 0) >= LONG_EXPANSION:
                target = tok.group
                group_total[target] = group_total.get(target, 0.0) + w
            ids_list, w_list = q_parts.setdefault(target, ([], []))
            for ids, share, e_weights in parts:
                ids_list.append(ids)
                w_list.append(share * w)
                e_ids.append(ids)
                e_w.append(e_weights)
            continue
        if tok.weight < CONTENT_WEIGHT:
            continue  # an unknown filler word: neither evidence nor penalty
        alts = _fuzzy_alternatives(index, tok.fold)
        if not alts:
            q_total += index.unknown_idf * tok.weight
            continue
        q_total += max(index.idf[a] for a, _ in alts) * tok.weight
        part_q = np.zeros(n, dtype=np.float64)
        part_e = np.zeros(n, dtype=np.float64)
        for alt, sim in alts:
            found = index.uni.get(alt)
            if found is None:
                continue
            ids, pw = found
            idf = index.idf[alt]
            np.maximum.at(part_q, ids, idf * tok.weight * sim)
            np.maximum.at(part_e, ids, idf * pw * sim)
        extra_q.append(part_q)
        extra_e.append(part_e)
    acc_q = np.zeros(n, dtype=np.float64)
    for target, (ids_list, w_list) in q_parts.items():
        weights = np.repeat(np.asarray(w_list), [a.size for a in ids_list])
        summed = np.bincount(np.concatenate(ids_list), weights=weights, minlength=n)
        if target < 0:
            acc_q += summed
        else:  # a long expansion: its head is enough
            cap = ALIAS_SATURATION * group_total[target]
            acc_q += np.minimum(summed, cap) / ALIAS_SATURATION
    acc_e: FloatArray = np.zeros(n, dtype=np.float64)
    if e_ids:
        acc_e += np.bincount(np.concatenate(e_ids), weights=np.concatenate(e_w), minlength=n)
    for part in extra_q:
        acc_q += part
    for part in extra_e:
        acc_e += part
    return acc_q, acc_e, q_total


def _postings_of(index: SearchIndex, tok: _Token) -> list[tuple[IntArray, float, FloatArray]]:
    """Names holding a query word: (names, share of the word's weight, name-side weights).

    A word typed with accents counts :data:`ACCENT_MISMATCH` in names that have it with
    other accents and fully in names that have the same accents; empty when no name has it.
    """
    post = index.uni.get(tok.fold)
    if post is None:
        return []
    ids, pw = post
    idf = index.idf[tok.fold]
    if not tok.accented:
        return [(ids, 1.0, pw * idf)]
    out = [(ids, ACCENT_MISMATCH, pw * (ACCENT_MISMATCH * idf))]
    tone_post = index.tone.get(tok.tone)
    if tone_post is not None:
        share = 1.0 - ACCENT_MISMATCH
        out.append((tone_post[0], share, tone_post[1] * (share * idf)))
    return out


def _lone_compound_words(index: SearchIndex, live: list[_Token]) -> set[int]:
    """Positions of accented words that only live in compounds, met outside all of them."""
    out: set[int] = set()
    ids = index.tone_ids
    for i, tok in enumerate(live):
        if not tok.accented or tok.alias or tok.tone not in index.bound:
            continue
        me = ids[tok.tone]
        left = ids.get(live[i - 1].tone, -1) if i > 0 else -1
        right = ids.get(live[i + 1].tone, -1) if i + 1 < len(live) else -1
        keys = index.tone_pair_keys
        if (left < 0 or left * index.n_tones + me not in keys) and (
            right < 0 or me * index.n_tones + right not in keys
        ):
            out.add(i)
    return out


def _fuzzy_alternatives(index: SearchIndex, word: str) -> list[tuple[str, float]]:
    """Vocabulary words close to an unknown ``word`` (same first letter), with similarity."""
    if len(word) < 4 or not word.isalpha():
        return []
    bucket = index.buckets.get(word[0])
    if not bucket:
        return []
    cutoff = TYPO_CUTOFF_SHORT if len(word) <= 5 else TYPO_CUTOFF
    found = process.extract(
        word, bucket, scorer=fuzz.ratio, score_cutoff=cutoff, limit=TYPO_ALTERNATIVES
    )
    return [(str(m[0]), (float(m[1]) - TYPO_FLOOR) / (100.0 - TYPO_FLOOR)) for m in found]
