"""From probabilities to what the bot shows: card, list, clarify or none.

:func:`_calibrate` is the hand-fitted match probability of one name ranking (a rank feature,
``full_logit``, and the chit-chat gate of short messages); the calibrated probability of a
candidate comes from the fitted model (:mod:`~knowledge.search.model`). :func:`decide` keeps
the hits worth listing and chooses ``card`` (one clear match), ``clarify`` (the close hits are
variants of one procedure: :class:`Option` says what tells them apart), ``list`` (several
close ones) or ``none`` (nothing likely enough). ``refer`` is decided before, by the engine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knowledge import textnorm
from knowledge.search.ranking import _Candidate

if TYPE_CHECKING:
    from knowledge.search.index import FloatArray, SearchIndex
    from knowledge.search.model import SearchModel


def _calibrate(c: _Candidate) -> float:
    """Map a ranking score to [0, 1]: how likely the hit is what the citizen meant.

    A logistic model fitted on the labelled queries (tests/search_labelled.tsv): the top hit of
    each query, labelled right or wrong (chit-chat always wrong), on four features: the ranking
    score, how much of the name the query covers, how much evidence matched, and whether the
    query holds a whole alias of the procedure.
    """
    z = (
        -8.26
        + 7.46 * c.score
        + 4.07 * c.ecov
        + 1.28 * math.log1p(c.qcov * c.mass)
        + 1.45 * (1.0 if c.named else 0.0)
    )
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True, slots=True)
class Option:
    """A variant of a procedure to choose from: code, label, what it adds to the plainest."""

    code: str
    label: str
    extra: str  # the words this variant's name adds to the plainest name ("" for the plainest)


LIST_FLOOR = 0.05  # a hit less likely than this is not listed
FAMILY_DIFF = 7  # a variant adds at most this many words to the plainest name
CLARIFY_MAX = 4  # variants offered to choose from
CLARIFY_FLOOR = 0.5  # a question between variants this unlikely would mislead: list instead
OPTION_LABEL = 60  # characters of a button label


def decide(
    procs: Sequence[int],
    probs: FloatArray,
    rows: FloatArray,
    limit: int,
    index: SearchIndex,
    model: SearchModel,
    words: int,
) -> tuple[list[tuple[int, float]], str, tuple[Option, ...]]:
    """The hits to show as (procedure, probability), the decision and the clarify options.

    ``card``: one hit, or a likely one clearly ahead of the next distinct procedure;
    ``clarify``: the close hits are variants of one procedure; ``list``: several close ones;
    ``none``: nothing likely enough.
    """
    if not procs or model.too_weak(probs, rows, words):
        return [], "none", ()
    top = float(probs[0])
    groups = index.group
    first_group = groups[procs[0]]
    hits: list[tuple[int, float]] = []
    runner_up = 0.0
    shown = top
    for proc, p in zip(procs, probs, strict=True):
        # ordered by the fitted score; the probability shown never rises down the list
        shown = min(shown, float(p))
        if len(hits) >= limit or shown < LIST_FLOOR:
            break
        hits.append((proc, shown))
        if groups[proc] != first_group:
            runner_up = max(runner_up, shown)
    if not hits:
        return [], "none", ()
    distinct = {groups[proc] for proc, _ in hits}
    if len(distinct) == 1 or (top >= model.t_card and top - runner_up >= model.card_gap):
        return hits, "card", ()
    options = _family(index, hits) if top >= CLARIFY_FLOOR else ()
    if options:
        return hits[: len(options)], "clarify", options
    return hits, "list", ()


def _family(index: SearchIndex, hits: list[tuple[int, float]]) -> tuple[Option, ...]:
    """Options when the hits are variants of one procedure (empty: they are not)."""
    seen: set[int] = set()
    family: list[int] = []
    for proc, _ in hits:
        if index.group[proc] in seen:
            continue
        seen.add(index.group[proc])
        family.append(proc)
    if len(family) < 2:
        return ()
    family = family[:CLARIFY_MAX]
    names = [_bare(index.procedures[p].name) for p in family]
    words = [[t for _, t, _ in textnorm.syllables(n)] for n in names]
    # the leading run of variants of the plainest of them ("khai sinh", "… lưu động", …)
    run = 0
    for w in words:
        if not set(words[0]) & set(w):
            break
        run += 1
    plain = min(range(run), key=lambda i: (len(words[i]), i))
    core = set(words[plain])
    run = 0
    for w in words:
        if not core <= set(w) or len(set(w) - core) > FAMILY_DIFF:
            break
        run += 1
    if run < 2 or plain >= run:
        return ()  # the close hits are not variants of one procedure: a list says more
    family, names = family[:run], names[:run]
    plain_len = len(names[plain].split())
    out = []
    for i in sorted(range(len(family)), key=lambda i: (i != plain, i)):
        extra = ""
        tail = names[i].split()
        head = [textnorm.key(w) for w in tail[:plain_len]]
        if i != plain and head == [textnorm.key(w) for w in names[plain].split()]:
            extra = " ".join(tail[plain_len:])
        out.append(Option(index.procedures[family[i]].code, _label(names[i]), extra))
    return tuple(out)


def _bare(name: str) -> str:
    """A name without "Thủ tục" in front and without a trailing full stop."""
    name = " ".join(name.split()).rstrip(". ")
    if name.casefold().startswith("thủ tục "):
        name = name[8:]
        name = name[:1].upper() + name[1:]
    return name


def _label(name: str) -> str:
    name = " ".join(name.split())
    if len(name) <= OPTION_LABEL:
        return name
    cut = name[: OPTION_LABEL - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-") + "…"
