"""From ranking scores to what the bot shows: a calibrated score and card, list or none.

:func:`_calibrate` maps a candidate's ranking features to the probability that it is what the
citizen meant; :func:`decide` keeps the hits worth listing and chooses ``card`` (one clear
match), ``list`` (several close ones) or ``none`` (nothing relevant enough: greetings,
chit-chat, gibberish).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from knowledge.search.ranking import _Candidate

T_LOW = 0.4  # below: nothing relevant
T_CARD = 0.8  # at or above, with a clear gap to other procedures: show one card
CARD_GAP = 0.1  # ... and this far ahead of the next distinct procedure
LIST_SPAN = 0.35  # list the hits within this distance of the best one
RANK_DECAY = 3.0  # a hit 0.1 behind the first in ranking score shows 26 % less


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


def decide(
    ranked: list[_Candidate], limit: int, groups: Sequence[int]
) -> tuple[list[tuple[int, float]], str]:
    """The hits to show, as (procedure, shown score), and the decision: card, list or none.

    ``groups`` gives each procedure's group of level-only duplicates (a level twin of the first
    hit does not make the choice less clear).
    """
    if not ranked:
        return [], "none"
    ranked = ranked[: max(limit, 10) + 20]
    scores = [_calibrate(c) for c in ranked]
    top = scores[0]
    if top < T_LOW:
        return [], "none"
    hits: list[tuple[int, float]] = []
    shown = top
    best = ranked[0].score
    runner_up = 0.0  # the best other procedure that is not a level twin of the first
    first_group = groups[ranked[0].proc]
    for c, sc in zip(ranked, scores, strict=True):
        # below the first hit, the score also tells how far behind it a hit ranks;
        # scores never rise down the list
        shown = min(shown, sc, top * math.exp(-RANK_DECAY * (best - c.score)))
        if c is not ranked[0] and groups[c.proc] != first_group:
            runner_up = max(runner_up, shown)
        if len(hits) < limit and sc >= T_LOW and sc >= top - LIST_SPAN:
            hits.append((c.proc, shown))
    decision = "card" if top >= T_CARD and top - runner_up >= CARD_GAP else "list"
    return hits, decision
