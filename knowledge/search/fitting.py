"""Fitting the search's models on labelled questions, and scoring them.

The labelled sets are TSV files. The real questions (``tests/search_real_questions.tsv``) have
six columns, ``split kind group question codes source``: ``split`` is ``tune`` or ``test``,
fixed once by source page (:func:`split_of`); ``kind`` is ``real`` (answerable, ``codes`` the
1–4 right procedures) or ``oos`` (no procedure answers it, ``codes`` is ``-``). The older sets
(``tests/search_labelled.tsv``, ``tests/search_second_set.tsv``) have three columns, ``kind
query codes``, kinds ``short``, ``natural`` and ``chat``.

:func:`fit` fits the rank and refer models (:mod:`~knowledge.search.model`) on the ``tune``
part and the older sets; the ``test`` part is never read by it. :func:`evaluate` scores an
engine on any part and returns the figures the benchmark prints.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from knowledge.search.model import (
    CALIBRATION_FEATURES,
    RANK_FEATURES,
    REFER_FEATURES,
    SHORT_WORDS,
    Logistic,
    ReferModel,
    SearchModel,
    calibration_rows,
    fit_listwise,
    fit_logistic,
    grams,
    refer_row,
)

if TYPE_CHECKING:
    from knowledge.search.engine import SearchEngine

TEST_SHARE = 35  # percent of source pages in the test part
_TESTS = Path(__file__).resolve().parents[2] / "tests"
REAL_QUESTIONS = _TESTS / "search_real_questions.tsv"
DEFAULT_SETS = (REAL_QUESTIONS, _TESTS / "search_labelled.tsv", _TESTS / "search_second_set.tsv")
ANSWERABLE = ("real", "short", "natural")
NOT_ANSWERABLE = ("oos", "chat")


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled message."""

    kind: str  # real | oos | short | natural | chat
    text: str
    codes: frozenset[str]  # empty: no procedure answers it
    split: str = "tune"  # tune | test
    group: str = ""
    source: str = ""


def sets_digest(paths: Sequence[Path]) -> str:
    """A digest of the labelled sets' contents (names and bytes), in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def split_of(source: str) -> str:
    """``test`` for :data:`TEST_SHARE` percent of source pages, chosen by a hash of the page."""
    page = source.strip().split("#", 1)[0].rstrip("/")
    digest = hashlib.sha256(page.encode("utf-8")).digest()
    return "test" if int.from_bytes(digest[:4], "big") % 100 < TEST_SHARE else "tune"


def read_sets(paths: Iterable[Path]) -> list[Labelled]:
    """Every labelled message of ``paths`` (either format), in file order."""
    out: list[Labelled] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) == 3:
                kind, text, codes = cols
                out.append(Labelled(kind, text, frozenset(codes.split()) - {"-"}))
            elif len(cols) == 6:
                split, kind, group, text, codes, source = cols
                out.append(
                    Labelled(kind, text, frozenset(codes.split()) - {"-"}, split, group, source)
                )
            else:
                raise ValueError(f"{path}: a line with {len(cols)} columns: {line[:80]!r}")
    return out


def fit(
    engine: SearchEngine,
    examples: Sequence[Labelled],
    *,
    l2: float = 0.01,
    min_count: int = 3,
    sets: Sequence[Path] = (),
) -> SearchModel:
    """Fit the models on ``examples`` (the ``test`` split is refused) and return them.

    ``sets`` are the files the examples came from: their digest goes into the model's
    ``meta``, so a test can tell a model fitted on older sets.
    """
    if any(e.split == "test" for e in examples):
        raise ValueError("the test part is not for fitting")
    found_all = [engine.candidates(ex.text) for ex in examples]
    groups = []
    for ex, found in zip(examples, found_all, strict=True):
        right = np.asarray([engine.procedures[p].code in ex.codes for p in found.procs])
        if right.any():
            groups.append((found.rows, right))
    scorer = fit_listwise(RANK_FEATURES, groups, l2=l2)
    # calibration: every candidate of every message, right or not, by its score and margin
    cal_x: list[np.ndarray] = []
    cal_y: list[np.ndarray] = []
    for ex, found in zip(examples, found_all, strict=True):
        if not found.procs:
            continue
        scores = found.rows @ np.asarray(scorer)
        cal_x.append(calibration_rows(scores, found.rows))
        cal_y.append(np.asarray([engine.procedures[p].code in ex.codes for p in found.procs]))
    calibration = fit_logistic(
        CALIBRATION_FEATURES, np.vstack(cal_x), np.concatenate(cal_y).astype(np.float64), l2=0.01
    )
    cue_rows: list[np.ndarray] = []
    message_grams: list[frozenset[str]] = []
    refer_y: list[float] = []
    for ex, found in zip(examples, found_all, strict=True):
        if ex.kind == "chat":
            continue  # greetings are "none", not "refer"
        top = 0.0
        if found.procs:
            scores = found.rows @ np.asarray(scorer)
            top = float(calibration.probability(calibration_rows(scores, found.rows)).max())
        cue_rows.append(refer_row(found.reading, top))
        message_grams.append(grams(found.reading))
        refer_y.append(1.0 if ex.kind == "oos" else 0.0)
    labels = np.asarray(refer_y)
    refer_model = _fit_refer(cue_rows, message_grams, labels, min_count=min_count)
    # thresholds: chosen on out-of-fold refer probabilities, so words seen in fitting do not
    # make the refer model look surer than it is on new messages
    judged = [(ex, f) for ex, f in zip(examples, found_all, strict=True) if ex.kind != "chat"]
    folds = np.asarray([_fold(ex) for ex, _ in judged])
    oof = np.zeros(len(judged))
    for k in range(FOLDS):
        train = np.flatnonzero(folds != k)
        part = _fit_refer(
            [cue_rows[i] for i in train],
            [message_grams[i] for i in train],
            labels[train],
            min_count=min_count,
        )
        for i in np.flatnonzero(folds == k):
            oof[i] = part.probability(judged[i][1].reading, float(cue_rows[i][-2]))
    tops = np.asarray([row[-2] for row in cue_rows])
    right = np.asarray([_right_in_top(engine, scorer, ex, f) for ex, f in judged])
    kinds = np.asarray([ex.kind for ex, _ in judged])
    words = np.asarray([f.reading.words for _, f in judged])
    t_refer, t_low = _thresholds(oof, tops, right, kinds, words)
    counts = {k: sum(1 for e in examples if e.kind == k) for k in (*ANSWERABLE, *NOT_ANSWERABLE)}
    return replace(
        engine.model,
        scorer=scorer,
        calibration=calibration,
        refer=refer_model,
        t_refer=t_refer,
        t_low=t_low,
        meta={
            "examples": counts,
            "l2": l2,
            "min_count": min_count,
            "sets": sets_digest(sets) if sets else "",
        },
    )


FOLDS = 5
REAL_WEIGHT = 3.0  # a question answered wrongly refused costs twice an off-topic one answered


def _right_in_top(engine: SearchEngine, scorer: Sequence[float], ex: Labelled, found: Any) -> bool:
    if not found.procs:
        return False
    order = np.argsort(-(found.rows @ np.asarray(scorer)))[:3]
    return any(engine.procedures[found.procs[int(i)]].code in ex.codes for i in order)


def _fold(ex: Labelled) -> int:
    page = ex.source or ex.text
    return hashlib.sha256(("fold:" + page).encode("utf-8")).digest()[0] % FOLDS


def _top(scorer: Sequence[float], calibration: Logistic, found: Any) -> float:
    if not found.procs:
        return 0.0
    scores = found.rows @ np.asarray(scorer)
    return float(calibration.probability(calibration_rows(scores, found.rows)).max())


def _thresholds(
    refer: np.ndarray,
    top: np.ndarray,
    right: np.ndarray,
    kinds: np.ndarray,
    words: np.ndarray,
) -> tuple[float, float]:
    """(t_refer, t_low) that maximise real questions answered with a right hit among the first
    three (weighted :data:`REAL_WEIGHT`) plus refused out-of-scope messages, each as a share of
    its kind. ``t_low`` applies to messages of :data:`SHORT_WORDS` words or more."""
    real = kinds == "real"
    oos = kinds == "oos"
    long = words >= SHORT_WORDS
    best = (-1.0, 0.5, 0.4)
    for t_refer in np.arange(0.1, 0.91, 0.05):
        for t_low in np.arange(0.0, 0.51, 0.025):
            refused = (refer >= t_refer) | (long & (top < t_low))
            gain = float(REAL_WEIGHT * (right & ~refused)[real].mean() + refused[oos].mean())
            if gain > best[0] + 1e-9:
                best = (gain, float(t_refer), float(t_low))
    return round(best[1], 3), round(best[2], 3)


WORD_L2 = 2.0  # the word weights of the refer model are pulled harder towards 0 than the cues


def _fit_refer(
    cue_rows: list[np.ndarray],
    message_grams: list[frozenset[str]],
    labels: np.ndarray,
    *,
    min_count: int,
) -> ReferModel:
    """Fit the refer model: its cue features and the words seen in ``min_count`` messages."""
    counts: dict[str, int] = {}
    for g in message_grams:
        for w in g:
            counts[w] = counts.get(w, 0) + 1
    vocab = sorted(w for w, c in counts.items() if c >= min_count)
    col = {w: i for i, w in enumerate(vocab)}
    cues = np.vstack(cue_rows)
    words = np.zeros((len(message_grams), len(vocab)))
    for r, g in enumerate(message_grams):
        for w in g:
            if w in col:
                words[r, col[w]] = 1.0
    names = (*REFER_FEATURES, *vocab)
    penalty = np.concatenate([np.full(len(REFER_FEATURES), 0.1), np.full(len(vocab), WORD_L2)])
    both = fit_logistic(names, np.hstack([cues, words]), labels, l2=penalty)
    k = len(REFER_FEATURES)
    return ReferModel(
        Logistic(REFER_FEATURES, both.weights[:k], both.bias),
        {w: v for w, v in zip(vocab, both.weights[k:], strict=True) if abs(v) >= 0.01},
    )


@dataclass(frozen=True, slots=True)
class Figures:
    """How an engine did on one set of labelled messages."""

    n: int
    hit1: float  # answerable: the first hit is right
    hit3: float  # answerable: a right one in the first three
    refused: float  # not answerable: no procedure shown (refer or none)
    answered: float  # answerable: some procedure shown
    reliability: tuple[tuple[float, float, int, float], ...]  # (low, high, n, right share)


def evaluate(engine: SearchEngine, examples: Sequence[Labelled]) -> Figures:
    """Score ``engine`` on ``examples``: hit@1 and hit@3 on the answerable, refusals on the
    rest, and the reliability of the first hit's score in bins of 0.1."""
    good = [e for e in examples if e.codes]
    bad = [e for e in examples if not e.codes]
    hit1 = hit3 = answered = 0
    scored: list[tuple[float, bool]] = []
    for ex in good:
        hits = engine.search(ex.text).hits
        codes = [h.code for h in hits]
        hit1 += bool(codes) and codes[0] in ex.codes
        hit3 += bool(set(codes[:3]) & ex.codes)
        answered += bool(codes)
        if hits:
            scored.append((hits[0].score, hits[0].code in ex.codes))
    refused = 0
    for ex in bad:
        hits = engine.search(ex.text).hits
        refused += not hits
        if hits:
            scored.append((hits[0].score, False))
    bins = []
    for b in range(10):
        low, high = b / 10, (b + 1) / 10
        inside = [ok for s, ok in scored if low <= s < high or (b == 9 and s == 1.0)]
        if inside:
            bins.append((low, high, len(inside), sum(inside) / len(inside)))
    return Figures(
        len(examples),
        hit1 / len(good) if good else math.nan,
        hit3 / len(good) if good else math.nan,
        refused / len(bad) if bad else math.nan,
        answered / len(good) if good else math.nan,
        tuple(bins),
    )
