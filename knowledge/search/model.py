"""The fitted part of the search: two small logistic models, their features, and how to fit them.

The ranking (:mod:`~knowledge.search.ranking`) scores names twice, once on the whole message
with its story weighed down and once on the asking clause alone. :func:`candidate_features`
turns both into one feature row per candidate procedure; the **rank model** maps a row to the
probability that the procedure is what the citizen asked for. That probability orders the hits
and is the score shown, so it is calibrated by construction on the data it was fitted on (the
benchmark prints the reliability table on held-out questions).

The **refer model** maps a message's :class:`~knowledge.search.reading.Reading` cues and the
best hit's probability to the probability that no procedure answers it (a fine, a dispute,
legal advice, a dossier already filed).

The weights are data: ``knowledge/data/search_model.json``, written by :func:`fit` (run by
``python -m bot catalogue fit-search``) from the tuning part of the labelled real questions and
the older labelled sets. ``docs/search.md`` says how to refit. This module needs numpy only.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from knowledge import textnorm
from knowledge.catalogue import Procedure
from knowledge.search.reading import REFER_KINDS, Reading, phrases

FloatArray = npt.NDArray[np.float64]

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "search_model.json"

# --- rank features ------------------------------------------------------------------------------

BASE_FEATURES = (
    "full_logit",  # logit of the hand-calibrated probability, whole message (story weighed down)
    "ask_logit",  # the same on the asking clause alone (0 when there is no story)
    "full_score",  # raw ranking score, whole message
    "ask_score",  # raw ranking score, asking clause
    "full_first",  # ranked first on the whole message
    "ask_first",  # ranked first on the asking clause
    "full_gap",  # how far behind the best name on the whole message
    "ask_gap",  # how far behind the best name on the asking clause
    "named",  # the message holds one of the procedure's aliases, whole
    "ask_cover",  # share of the name the asking clause covers
    "act_match",  # the action asked (cấp lại, sang tên…) is the name's action
    "act_missing",  # the name starts with an action nobody asked for
    "act_unmet",  # an action was asked and the name has none of them
    "foreign_match",  # a foreign element in both the message and the name
    "foreign_clash",  # a foreign element in the name only
    "story",  # log(1 + words of story): long messages are less certain
    "full_qcov",  # share of the whole message's weight the name matches
    "ask_qcov",  # share of the asking clause's weight the name matches
    "full_ecov",  # share of the name the whole message covers
    "full_rr",  # 1 / (1 + rank) on the whole message
    "ask_rr",  # 1 / (1 + rank) on the asking clause
    "both",  # found by both readings
    "name_len",  # log(words of the name): long names match many words by chance
    "org_only",  # the procedure is for organisations only (no citizen among its subjects)
    "org_clash",  # ... and the message is a person's, not a company's
    "person_clash",  # the procedure is for people only and the message is a company's
    "commune",  # done at commune level
    "ministry_only",  # done only at a ministry
    "mass",  # log(1 + weight of the message's words that match some name): same for all
    "text_full",  # BM25 on the procedure's own text, whole message, share of the best
    "text_ask",  # the same for the asking clause
    "text_rr",  # 1 / (1 + rank) by BM25 on the whole message
)
LONG = "@long"  # suffix of a feature's copy that counts only for messages with a story
RANK_FEATURES = (*BASE_FEATURES, *(f + LONG for f in BASE_FEATURES))

SHORT_WORDS = 12  # fewer words: judged by the name match (chit-chat, or a procedure's name)

# --- refer features -----------------------------------------------------------------------------

REFER_FEATURES = (
    *REFER_KINDS,  # cue counts (asking clause 1, story 0.5), capped at 2
    "intent",  # cues of wanting to carry out a procedure, capped at 3
    "top",  # the best hit's rank probability
    "story",  # log(1 + words of story)
)

# actions a name starts with and a question asks for, by the phrases that say them (fold keys)
ACTIONS: dict[str, tuple[str, ...]] = {
    "cap lai": ("cap lai", "lam lai", "bi mat", "danh mat", "mat giay", "mat so", "mat the"),
    "cap doi": ("cap doi", "doi giay", "doi bang", "doi the", "doi so", "doi sang", "het han"),
    "sang ten": ("sang ten", "chuyen nhuong", "mua ban", "chuyen quyen", "tang cho"),
    "xoa": ("xoa dang ky", "xoa the chap", "xoa", "thu hoi", "huy"),
    "dang ky lai": ("dang ky lai",),
    "tach thua": ("tach thua", "tach so", "chia thua", "tach dat"),
    "hop thua": ("hop thua", "gop thua", "gop so"),
    "nuoi con nuoi": ("con nuoi",),
    "gia han": ("gia han",),
    "thay doi": ("thay doi", "cai chinh", "sua doi", "bo sung", "dieu chinh", "dinh chinh"),
    "chuyen muc dich": ("chuyen muc dich", "len tho cu", "chuyen doi muc dich"),
    "cham dut": ("cham dut", "tam ngung", "giai the", "ngung kinh doanh", "dong cua"),
    "xac nhan": ("xac nhan",),
    "trich luc": ("trich luc", "ban sao"),
    "thua ke": ("thua ke",),
}

ORG_CUES = (
    "cong ty",
    "doanh nghiep",
    "don vi chung toi",
    "co quan toi",
    "co so chung toi",
    "hop tac xa",
    "chi nhanh",
    "nha may",
    "to chuc",
)
PERSON_SUBJECTS = ("cong dan", "ca nhan", "nguoi viet nam", "nguoi nuoc ngoai", "ho gia dinh")

# a foreign element, read with accents ("Pháp" is France, "pháp luật" is not)
FOREIGN_CUES = (
    "nước ngoài",
    "người nước ngoài",
    "yếu tố nước ngoài",
    "quốc tịch",
    "việt kiều",
    "định cư",
    "hàn quốc",
    "nhật bản",
    "trung quốc",
    "đài loan",
    "hoa kỳ",
    "canada",
    "singapore",
    "thái lan",
    "campuchia",
    "malaysia",
    "anh quốc",
    "xuất khẩu lao động",
    # one-syllable countries are other words too ("pháp luật", "đức tính"): read after a
    # word that introduces a country
    *(
        f"{lead} {country}"
        for lead in ("người", "nước", "sang", "ở", "tại", "bên", "qua", "từ", "đi", "về")
        for country in ("mỹ", "úc", "pháp", "đức", "lào", "nga", "nhật", "anh", "hàn", "tây")
    ),
)
# the same typed without accents: only the cues that cannot be another word
FOREIGN_FOLDED = (
    "nuoc ngoai",
    "quoc tich",
    "viet kieu",
    "han quoc",
    "nhat ban",
    "trung quoc",
    "dai loan",
    "hoa ky",
    "canada",
    "singapore",
    "thai lan",
    "campuchia",
    "malaysia",
    "xuat khau lao dong",
)


_ACTION_OF = {textnorm.key(p): name for name, items in ACTIONS.items() for p in items}
_ACTION = phrases(_ACTION_OF)
_FOREIGN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(c) for c in sorted(FOREIGN_CUES, key=len, reverse=True))
    + r")(?!\w)"
)
_FOREIGN_FOLDED = phrases(FOREIGN_FOLDED)
_ORG = phrases(ORG_CUES)
_PERSON = phrases(PERSON_SUBJECTS)
_NAME_FOREIGN = phrases(("nuoc ngoai", "yeu to nuoc ngoai", "nguoi khong quoc tich"))


def actions(key: str) -> frozenset[str]:
    """The actions a fold-keyed text asks for."""
    return frozenset(_ACTION_OF[m] for m in _ACTION.findall(key))


def name_actions(name: str) -> frozenset[str]:
    """The actions a procedure's name starts with (read in its first eight words)."""
    return actions(" ".join(textnorm.key(name).split()[:8]))


def has_foreign(text: str) -> bool:
    """Whether a message mentions a foreign element (accents read where it has them)."""
    lowered = unicodedata.normalize("NFC", text).casefold()
    if _FOREIGN.search(lowered):
        return True
    return _FOREIGN_FOLDED.search(textnorm.key(text)) is not None


def is_org(key: str) -> bool:
    """Whether a fold-keyed message is written for a company or an organisation."""
    return _ORG.search(key) is not None


def for_people(subjects: str) -> bool:
    """Whether a procedure's subjects (đối tượng thực hiện) include people."""
    return _PERSON.search(textnorm.key(subjects)) is not None


class NameFeatures(NamedTuple):
    """What the rank features read of a procedure itself, computed once per catalogue."""

    actions: frozenset[str]  # the actions its name starts with
    foreign: bool  # its name is the variant with a foreign element
    name_len: float  # log(1 + words of the name)
    people: bool  # its subjects include people (or are not stated)
    organisations: bool  # its subjects include organisations
    commune: bool  # done at commune level
    ministry_only: bool  # done only at a ministry


def name_features(p: Procedure) -> NameFeatures:
    """The :class:`NameFeatures` of procedure ``p``."""
    subjects = textnorm.key(p.subjects)
    return NameFeatures(
        name_actions(p.name),
        name_foreign(p.name),
        math.log(1 + len(p.name.split())),
        for_people(p.subjects) or not subjects,
        not for_people(p.subjects) or is_org(subjects) or "to chuc" in subjects,
        "Cấp Xã" in p.levels,
        set(p.levels) == {"Cấp Bộ"},
    )


def name_foreign(name: str) -> bool:
    """Whether a procedure's name is the variant with a foreign element."""
    return _NAME_FOREIGN.search(textnorm.key(name)) is not None


# --- the models -------------------------------------------------------------------------------


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    return out


@dataclass(frozen=True, slots=True)
class Logistic:
    """A fitted logistic model over named features."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, rows: FloatArray) -> FloatArray:
        """P(y = 1) for each feature row (columns in :attr:`features` order)."""
        return _sigmoid(rows @ np.asarray(self.weights) + self.bias)

    def as_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data."""
        return {
            "bias": round(self.bias, 6),
            "weights": {f: round(w, 6) for f, w in zip(self.features, self.weights, strict=True)},
        }

    @classmethod
    def from_dict(cls, names: tuple[str, ...], data: Mapping[str, Any]) -> Logistic:
        """Read a model saved by :meth:`as_dict`; a feature it lacks weighs 0."""
        weights = data.get("weights", {})
        return cls(names, tuple(float(weights.get(f, 0.0)) for f in names), float(data["bias"]))


CALIBRATION_FEATURES = (
    "score",  # the candidate's rank score
    "margin",  # how far ahead of the best other candidate (negative: behind it)
    "full_logit",  # how well the words match at all (chit-chat matches names poorly)
    "mass",  # log(1 + weight of the message's words that match some name)
)

# A model that reproduces the hand-calibrated probability: used when no fitted file exists.
PRIOR_SCORER = tuple(1.0 if f == "full_logit" else 0.0 for f in RANK_FEATURES)
PRIOR_CALIBRATION = Logistic(CALIBRATION_FEATURES, (1.0, 0.0, 0.0, 0.0), 0.0)
PRIOR_REFER = Logistic(REFER_FEATURES, tuple(0.0 for _ in REFER_FEATURES), -30.0)


@dataclass(frozen=True, slots=True)
class ReferModel:
    """P(no procedure answers a message): cue features plus a weight per word and word pair."""

    cues: Logistic = PRIOR_REFER
    words: Mapping[str, float] = field(default_factory=dict)

    def probability(self, reading: Reading, top: float) -> float:
        """How likely no procedure answers the message read as ``reading``."""
        z = float(refer_row(reading, top) @ np.asarray(self.cues.weights)) + self.cues.bias
        z += sum(self.words.get(g, 0.0) for g in grams(reading))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data (word weights sorted, strongest first)."""
        ranked = sorted(self.words.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
        return {**self.cues.as_dict(), "words": {g: round(w, 4) for g, w in ranked}}


def grams(reading: Reading) -> frozenset[str]:
    """The fold-keyed words and word pairs of a message (story and question alike)."""
    words = textnorm.key(f"{reading.story} {reading.ask}").split()
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


@dataclass(frozen=True, slots=True)
class SearchModel:
    """The fitted models and the thresholds of the card/list/clarify/none decision.

    ``scorer`` orders the candidates (a linear score over :data:`RANK_FEATURES`, fitted
    listwise); ``calibration`` turns a score and its margin into a probability; ``refer``
    says how likely no procedure answers the message.
    """

    scorer: tuple[float, ...] = PRIOR_SCORER
    calibration: Logistic = PRIOR_CALIBRATION
    refer: ReferModel = field(default_factory=ReferModel)
    t_low: float = 0.4  # below: nothing relevant enough to show (a question of some length)
    t_low_short: float = 0.4  # a short message's best name match, hand-calibrated, below
    # which it is chit-chat ("chúc ngủ ngon" is not "Chứng thực di chúc")
    t_card: float = 0.8  # at or above, with a clear gap: one card
    card_gap: float = 0.1  # the gap to the next distinct procedure
    t_refer: float = 0.5  # refer at or above this probability of no procedure
    meta: dict[str, Any] = field(default_factory=dict)

    def too_weak(self, probs: FloatArray, rows: FloatArray, words: int) -> bool:
        """Whether the best candidate is too unlikely to show anything.

        A message of :data:`SHORT_WORDS` words or more is judged by its calibrated
        probability; a shorter one by how well its words match the best name
        (the hand-calibrated ``full_logit``), which tells chit-chat from a procedure's name.
        """
        if not len(probs):
            return True
        if words >= SHORT_WORDS:
            return float(probs.max()) < self.t_low
        best = int(np.argmax(probs))
        return float(_sigmoid(rows[best : best + 1, _FULL_LOGIT])[0]) < self.t_low_short

    def scores(self, rows: FloatArray) -> FloatArray:
        """The rank score of each candidate row."""
        out: FloatArray = rows @ np.asarray(self.scorer)
        return out

    def probabilities(self, scores: FloatArray, rows: FloatArray) -> FloatArray:
        """The calibrated probability of each candidate, from the scores of all of them."""
        return self.calibration.probability(calibration_rows(scores, rows))

    def as_dict(self) -> dict[str, Any]:
        """The model as JSON-ready data."""
        return {
            "about": (
                "Fitted by knowledge.search.fitting.fit; see docs/search.md. "
                "scorer: linear weights of the rank features (listwise fit); "
                "calibration: P(candidate is right | score, margin); "
                "refer: P(no procedure answers the message | cues)."
            ),
            "scorer": {f: round(w, 6) for f, w in zip(RANK_FEATURES, self.scorer, strict=True)},
            "calibration": self.calibration.as_dict(),
            "refer": self.refer.as_dict(),
            "thresholds": {
                "t_low": self.t_low,
                "t_low_short": self.t_low_short,
                "t_card": self.t_card,
                "card_gap": self.card_gap,
                "t_refer": self.t_refer,
            },
            "meta": self.meta,
        }


def calibration_rows(scores: FloatArray, rows: FloatArray) -> FloatArray:
    """The calibration's features per candidate (:data:`CALIBRATION_FEATURES`): its score, its
    lead over the best other one, and its hand-calibrated logit on the whole message."""
    n = scores.shape[0]
    if n == 0:
        return np.zeros((0, len(CALIBRATION_FEATURES)))
    full = rows[:, _FULL_LOGIT]
    mass = np.full(n, float(rows[:, _MASS].max()))
    if n == 1:
        return np.column_stack([scores, np.full(1, 5.0), full, mass])
    order = np.argsort(-scores)
    best, second = scores[order[0]], scores[order[1]]
    others = np.where(np.arange(n) == order[0], second, best)
    return np.column_stack([scores, scores - others, full, mass])


_FULL_LOGIT = RANK_FEATURES.index("full_logit")
_MASS = RANK_FEATURES.index("mass")


def load(path: Path = MODEL_PATH) -> SearchModel:
    """The shipped model (the prior one when the file is absent)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SearchModel()
    th = data.get("thresholds", {})
    scorer = data.get("scorer", {})
    return SearchModel(
        scorer=tuple(float(scorer.get(f, 0.0)) for f in RANK_FEATURES),
        calibration=Logistic.from_dict(CALIBRATION_FEATURES, data["calibration"]),
        refer=ReferModel(
            Logistic.from_dict(REFER_FEATURES, data["refer"]),
            {str(g): float(w) for g, w in data["refer"].get("words", {}).items()},
        ),
        t_low=float(th.get("t_low", 0.4)),
        t_low_short=float(th.get("t_low_short", 0.4)),
        t_card=float(th.get("t_card", 0.8)),
        card_gap=float(th.get("card_gap", 0.1)),
        t_refer=float(th.get("t_refer", 0.5)),
        meta=dict(data.get("meta", {})),
    )


def save(model: SearchModel, path: Path = MODEL_PATH) -> None:
    """Write ``model`` as indented JSON (a refit is a readable diff)."""
    path.write_text(
        json.dumps(model.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def refer_row(reading: Reading, top: float) -> FloatArray:
    """The refer model's features of a message whose best hit has probability ``top``."""
    row = [min(2.0, reading.refer.get(kind, 0.0)) for kind in REFER_KINDS]
    row += [min(3.0, reading.intent), top, math.log1p(len(reading.story.split()))]
    return np.asarray(row, dtype=np.float64)


# --- fitting ----------------------------------------------------------------------------------


def fit_listwise(
    names: Sequence[str],
    groups: Sequence[tuple[FloatArray, npt.NDArray[np.bool_]]],
    *,
    l2: float = 0.01,
    iterations: int = 800,
    rate: float = 0.05,
) -> tuple[float, ...]:
    """Linear weights that put a right candidate first: softmax cross-entropy per message.

    ``groups`` holds one (feature rows, right-or-not) pair per message with at least one right
    candidate. Features are standardised for the descent (Adam) and the weights returned on
    the raw scale.
    """
    rows = np.vstack([x for x, _ in groups])
    mean = rows.mean(axis=0)
    std = rows.std(axis=0)
    std[std < 1e-9] = 1.0
    data = [((x - mean) / std, y) for x, y in groups]
    d = rows.shape[1]
    w = np.zeros(d)
    m = np.zeros(d)
    v = np.zeros(d)
    for step in range(1, iterations + 1):
        grad = l2 * w * len(data)
        for x, y in data:
            s = x @ w
            s = s - s.max()
            e = np.exp(s)
            p = e / e.sum()
            q = np.where(y, e, 0.0)
            q = q / q.sum()
            grad += x.T @ (p - q)
        grad /= len(data)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return tuple(float(x) for x in w / std)


def fit_logistic(
    names: Sequence[str],
    rows: FloatArray,
    labels: npt.NDArray[np.float64],
    *,
    l2: float | FloatArray = 1.0,
    sample_weight: npt.NDArray[np.float64] | None = None,
    iterations: int = 50,
) -> Logistic:
    """Fit a logistic model by Newton's method with an L2 penalty (the bias is not penalised);
    ``l2`` may give one penalty per feature."""
    n, d = rows.shape
    x = np.hstack([rows, np.ones((n, 1))])
    sw = np.ones(n) if sample_weight is None else sample_weight
    w = np.zeros(d + 1)
    reg = np.zeros(d + 1)
    reg[:-1] = l2
    for _ in range(iterations):
        p = _sigmoid(x @ w)
        grad = x.T @ (sw * (p - labels)) + reg * w
        hess = (x * (sw * p * (1.0 - p))[:, None]).T @ x + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return Logistic(tuple(names), tuple(float(v) for v in w[:-1]), float(w[-1]))
