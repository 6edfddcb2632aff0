"""Benchmark the procedure search against SQLite FTS5 over the same names, in one process.

Run: ``.venv/bin/python benchmarks/bench_search.py [--quick]``. The full run takes about three
minutes on two cores; ``--quick`` (about a minute and a half) takes 3 latency rounds instead of
5 and skips the 10x catalogue, and still prints every goal.

Both engines answer the same queries. FTS5 uses ``tokenize="unicode61 remove_diacritics 2"``
with ``đ`` folded to ``d`` in documents and queries, OR-ed quoted terms ranked by ``bm25()``; it
has no alias table and never refuses a message that shares a word with some name.

Printed, in order:

1. start-up (load catalogue + build index) and memory;
2. real citizens' questions (tests/search_real_questions.tsv, issue 9): hit@1 and hit@3 on the
   answerable (``real``) ones and the share of out-of-scope (``oos``) ones answered with no
   procedure, for ours and FTS5, on the ``test`` part (the goals) and, as context only, on the
   ``tune`` part the models were fitted on; for ours on the test part, the reliability of the
   first hit's score in bins of 0.1 (count, share right, mean score) with the expected
   calibration error, and the counts of each ``decision`` and ``asks``;
3. latency on 300 questions of 1,000 characters (real questions of every split joined and
   cut), wall time per call, ours and FTS5 interleaved query by query: p50/p99 and the ratio
   ours/FTS5 per round, and the median of the rounds;
4. ours' hit@1 on all ``short`` and all ``natural`` rows of the two older sets together;
5. the labelled set (tests/search_labelled.tsv), the second set (tests/search_second_set.tsv)
   and variants generated from the first (no diacritics, NFD, upper case, Telex and VNI typed
   with the IME off, glued words, one typo): latency p50/p99 per engine and the ratio
   ours/FTS5, quality (hit@1, hit@3, chit-chat rejection); then the same on a 10x synthetic
   catalogue (every name combined with qualifiers and levels), unless ``--quick``;
6. ``=== goals ===``: one line per goal of issue 9, each ending with MET or MISSED: real test
   hit@1 >= 0.80, hit@3 >= 0.90, oos test refused >= 0.80, short hit@1 >= 0.97, natural
   hit@1 >= 0.90, median p99 at 1,000 characters <= 10 ms.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import random
import re
import resource
import sqlite3
import statistics
import sys
import time
import tracemalloc
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.catalogue import load  # noqa: E402
from knowledge.catalogue.models import Procedure  # noqa: E402
from knowledge.search import SearchEngine  # noqa: E402
from knowledge.search.engine import DECISIONS, SearchResult  # noqa: E402
from knowledge.search.fitting import (  # noqa: E402
    REAL_QUESTIONS,
    Figures,
    Labelled,
    evaluate,
    read_sets,
)

LABELLED = ROOT / "tests" / "search_labelled.tsv"
SECOND_SET = ROOT / "tests" / "search_second_set.tsv"
LIMIT = 5

Query = tuple[str, str, frozenset[str]]  # kind, text, acceptable codes (empty: expect nothing)
Searcher = Callable[[str], list[str]]


# --- queries ---------------------------------------------------------------------------------


def labelled(path: Path = LABELLED) -> list[Query]:
    out: list[Query] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, text, codes = line.split("\t")
            out.append((kind, text, frozenset(codes.split()) - {"-"}))
    return out


_TELEX_TONE = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_TELEX_SHAPE = {"â": "aa", "ê": "ee", "ô": "oo", "ă": "aw", "ơ": "ow", "ư": "uw", "đ": "dd"}
_VNI_TONE = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_VNI_SHAPE = {"â": "a6", "ê": "e6", "ô": "o6", "ă": "a8", "ơ": "o7", "ư": "u7", "đ": "d9"}


def strip_accents(text: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return out.replace("đ", "d").replace("Đ", "D")


def to_ime(text: str, shapes: dict[str, str], tones: dict[str, str]) -> str:
    """Type ``text`` as Telex or VNI with the IME off (tone key at the end of each word)."""
    words = []
    for word in text.lower().split():
        tone = ""
        letters: list[str] = []
        for ch in unicodedata.normalize("NFD", word):
            if ch in tones:
                tone = tones[ch]
            elif unicodedata.category(ch) == "Mn":
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
            else:
                letters.append(ch)
        words.append("".join(shapes.get(c, c) for c in letters) + tone)
    return " ".join(words)


def glue(text: str) -> str:
    words = text.split()
    return " ".join(a + b for a, b in zip(words[::2], [*words[1::2], ""], strict=False))


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w))
    words[i] = w[:j] + w[j + 1 :]  # drop one letter, keep the first
    return " ".join(words)


def variants(queries: Sequence[Query], seed: int = 7) -> list[Query]:
    rng = random.Random(seed)
    out: list[Query] = []
    for kind, text, codes in queries:
        if kind == "chat":
            continue
        out.append((kind + "/nodiac", strip_accents(text).lower(), codes))
        out.append((kind + "/nfd", unicodedata.normalize("NFD", text), codes))
        out.append((kind + "/upper", text.upper(), codes))
        if kind == "short":
            out.append((kind + "/telex", to_ime(text, _TELEX_SHAPE, _TELEX_TONE), codes))
            out.append((kind + "/vni", to_ime(text, _VNI_SHAPE, _VNI_TONE), codes))
            out.append((kind + "/glued", glue(strip_accents(text).lower()), codes))
            out.append((kind + "/typo", typo(text, rng), codes))
    return out


# --- FTS5 baseline ---------------------------------------------------------------------------


def fts_fold(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D")


class Fts5:
    """SQLite FTS5 over the procedure names (unicode61, remove_diacritics 2, đ folded)."""

    def __init__(self, procedures: Sequence[Procedure]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE names USING fts5(code UNINDEXED, name, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO names(code, name) VALUES (?, ?)",
            ((p.code, fts_fold(p.name)) for p in procedures),
        )
        self.db.commit()

    def search(self, query: str) -> list[str]:
        text = fts_fold(unicodedata.normalize("NFC", query[:1000]))
        terms = list(dict.fromkeys(re.findall(r"\w+", text.lower())))[:60]
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
        rows = self.db.execute(
            "SELECT code FROM names WHERE names MATCH ? ORDER BY bm25(names) LIMIT ?",
            (match, LIMIT),
        ).fetchall()
        return [r[0] for r in rows]


# --- measuring -------------------------------------------------------------------------------


def timed(
    search: Searcher, queries: Sequence[Query], rounds: int
) -> tuple[list[float], list[list[str]]]:
    """Per query: the best wall time over ``rounds`` passes (filters out preemption by other
    processes on a shared machine), and the answer."""
    times = [float("inf")] * len(queries)
    answers: list[list[str]] = [[] for _ in queries]
    for _ in range(rounds):
        for i, (_, text, _) in enumerate(queries):
            start = time.perf_counter()
            got = search(text)
            times[i] = min(times[i], (time.perf_counter() - start) * 1000.0)
            answers[i] = got
    return times, answers


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def quality(queries: Sequence[Query], answers: Sequence[list[str]]) -> dict[str, str]:
    groups: dict[str, list[tuple[bool, bool]]] = {}
    chat: list[bool] = []
    for (kind, _, codes), got in zip(queries, answers, strict=True):
        if not codes:
            chat.append(not got)
            continue
        base = kind.split("/")[0]
        groups.setdefault(base, []).append(
            (bool(got) and got[0] in codes, bool(codes & set(got[:3])))
        )
    out = {}
    for kind, rows in sorted(groups.items()):
        h1 = sum(a for a, _ in rows) / len(rows)
        h3 = sum(b for _, b in rows) / len(rows)
        out[kind] = f"hit@1 {h1:.3f}  hit@3 {h3:.3f}  (n={len(rows)})"
    if chat:
        out["chat"] = f"rejected {sum(chat) / len(chat):.3f}  (n={len(chat)})"
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def report(
    title: str,
    procedures: Sequence[Procedure],
    queries: Sequence[Query],
    quality_sets: Mapping[str, Sequence[Query]],
    repeats: int,
    rounds: int,
) -> None:
    print(f"\n=== {title}: {len(procedures):,} procedures, {len(queries):,} queries ===")
    gc.collect()
    builds = []
    engine = None
    for _ in range(repeats):
        start = time.perf_counter()
        engine = SearchEngine(procedures)
        builds.append(time.perf_counter() - start)
    assert engine is not None
    start = time.perf_counter()
    fts = Fts5(procedures)
    fts_build = time.perf_counter() - start
    print(
        f"build index: ours {statistics.median(builds) * 1000:.0f} ms (median of {repeats}), "
        f"FTS5 {fts_build * 1000:.0f} ms"
    )

    def ours(text: str) -> list[str]:
        return [h.code for h in engine.search(text, limit=LIMIT).hits]

    ours(queries[0][1])  # warm caches the same way for both
    fts.search(queries[0][1])
    t_ours, a_ours = timed(ours, queries, rounds)
    t_fts, a_fts = timed(fts.search, queries, rounds)
    p50o, p99o, p50f, p99f = pct(t_ours, 0.5), pct(t_ours, 0.99), pct(t_fts, 0.5), pct(t_fts, 0.99)
    print(f"latency: best of {rounds} passes per query, wall clock")
    print(f"latency ms   ours p50 {p50o:.3f}  p99 {p99o:.3f}  max {max(t_ours):.3f}")
    print(f"             FTS5 p50 {p50f:.3f}  p99 {p99f:.3f}  max {max(t_fts):.3f}")
    print(f"             ratio ours/FTS5: p50 {p50o / p50f:.2f}  p99 {p99o / p99f:.2f}")
    index = {q: i for i, q in enumerate(queries)}
    for name, subset in quality_sets.items():
        rows_o = [a_ours[index[q]] for q in subset]
        rows_f = [a_fts[index[q]] for q in subset]
        print(f"quality on {name}:")
        q_o, q_f = quality(subset, rows_o), quality(subset, rows_f)
        for kind in q_o:
            print(f"  {kind:<8} ours {q_o[kind]}")
            print(f"  {'':<8} FTS5 {q_f[kind]}")


# --- real citizens' questions (issue 9) -----------------------------------------------------

ASKS = ("time", "fee", "documents", "place", "online", "postal", None)
LONG_CHARS = 1000  # the longest message the engine reads (longer input is cut)
LONG_QUESTIONS = 300


@dataclasses.dataclass(frozen=True, slots=True)
class Goal:
    """One goal of issue 9: a figure and the bound it must meet."""

    name: str
    value: float
    bound: float
    at_most: bool = False  # True: value <= bound; False: value >= bound
    unit: str = ""
    digits: int = 3

    def met(self) -> bool:
        if self.value != self.value:  # NaN: nothing measured
            return False
        return self.value <= self.bound if self.at_most else self.value >= self.bound

    def line(self) -> str:
        sign = "≤" if self.at_most else "≥"
        return (
            f"{self.name:<36} {self.value:.{self.digits}f}{self.unit}  "
            f"(goal {sign} {self.bound:g}{self.unit})  {'MET' if self.met() else 'MISSED'}"
        )


def fts_figures(fts: Fts5, examples: Sequence[Labelled]) -> tuple[float, float, float]:
    """FTS5's hit@1 and hit@3 on the answerable, share of the rest answered with nothing."""
    good = [e for e in examples if e.codes]
    bad = [e for e in examples if not e.codes]
    h1 = h3 = 0
    for ex in good:
        got = fts.search(ex.text)
        h1 += bool(got) and got[0] in ex.codes
        h3 += bool(ex.codes & set(got[:3]))
    refused = sum(not fts.search(ex.text) for ex in bad)
    nan = float("nan")
    return (
        h1 / len(good) if good else nan,
        h3 / len(good) if good else nan,
        refused / len(bad) if bad else nan,
    )


def print_part(
    label: str, engine: SearchEngine, fts: Fts5, examples: Sequence[Labelled]
) -> Figures:
    n_real = sum(1 for e in examples if e.codes)
    n_oos = len(examples) - n_real
    ours = evaluate(engine, examples)
    h1, h3, refused = fts_figures(fts, examples)
    print(f"{label}: {n_real} real, {n_oos} oos")
    print(
        f"  ours  real hit@1 {ours.hit1:.3f}  hit@3 {ours.hit3:.3f}  answered {ours.answered:.3f}"
        f"   oos refused {ours.refused:.3f}"
    )
    print(f"  FTS5  real hit@1 {h1:.3f}  hit@3 {h3:.3f}  {'':16}   oos refused {refused:.3f}")
    return ours


def reliability(figures: Figures, results: Sequence[SearchResult]) -> None:
    """Print the reliability rows of ``figures`` (bins of 0.1 of the first hit's score) with
    the mean score of each bin, taken from ``results`` (the same messages searched again), and
    the expected calibration error."""
    firsts = [r.hits[0].score for r in results if r.hits]
    total = sum(n for _, _, n, _ in figures.reliability)
    if not total:
        print("reliability: no message of the test part was answered")
        return
    print(f"reliability of the first hit's score, ours, test part ({total} messages answered):")
    print("  score bin      n   share  right  mean score  |gap|")
    ece = 0.0
    for low, high, n, right in figures.reliability:
        # the bins of knowledge.search.fitting.evaluate: [low, high), the last one with 1.0
        inside = [s for s in firsts if low <= s < high or (high == 1.0 and s == 1.0)]
        mean = statistics.fmean(inside) if inside else (low + high) / 2
        gap = abs(mean - right)
        ece += n / total * gap
        note = "" if len(inside) == n else f"  (mean of {len(inside)}: the engine moved)"
        print(
            f"  {low:.1f}-{high:.1f}  {n:5d}  {n / total:6.3f}  {right:5.3f}  {mean:10.3f}  "
            f"{gap:5.3f}{note}"
        )
    print(f"  expected calibration error (n-weighted mean |mean score - right share|): {ece:.3f}")


def decision_mix(test: Sequence[Labelled], results: Sequence[SearchResult]) -> None:
    """Print how many messages of ``test`` got each ``decision`` and each ``asks``."""
    real = [r for ex, r in zip(test, results, strict=True) if ex.codes]
    oos = [r for ex, r in zip(test, results, strict=True) if not ex.codes]
    print("decision and asks, ours, test part:   real    oos    all")
    rows: tuple[tuple[str, Sequence[str | None]], ...] = (("decision", DECISIONS), ("asks", ASKS))
    for key, values in rows:
        counts = [Counter(getattr(r, key) for r in part) for part in (real, oos, results)]
        for value in values:
            print(f"  {key:<8} {value!s:<10} {'':12}" + "".join(f"{c[value]:7d}" for c in counts))


def real_questions(engine: SearchEngine, fts: Fts5, examples: Sequence[Labelled]) -> Figures:
    """Print the figures of issue 9 on the real questions; return ours on the test part."""
    tune = [e for e in examples if e.split == "tune"]
    test = [e for e in examples if e.split == "test"]
    print(f"\n=== real citizens' questions ({REAL_QUESTIONS.name}) ===")
    print_part("tune (fitted on; context only, not a goal)", engine, fts, tune)
    figures = print_part("test (never fitted on; the goals)", engine, fts, test)
    results = [engine.search(ex.text) for ex in test]
    reliability(figures, results)
    decision_mix(test, results)
    return figures


def long_questions(
    examples: Sequence[Labelled], n: int = LONG_QUESTIONS, size: int = LONG_CHARS, seed: int = 9
) -> list[str]:
    """``n`` messages of ``size`` characters: real questions, in a shuffled order that goes
    through all of them before any repeats, joined by spaces and cut at ``size``."""
    rng = random.Random(seed)
    deck: list[str] = []
    out: list[str] = []
    while len(out) < n:
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < size:
            if not deck:
                deck = [e.text for e in examples]
                rng.shuffle(deck)
            parts.append(deck.pop())
        out.append(" ".join(parts)[:size])
    return out


def long_latency(engine: SearchEngine, fts: Fts5, questions: Sequence[str], rounds: int) -> float:
    """Wall time per call on ``questions``, ours and FTS5 interleaved query by query, in
    ``rounds`` rounds; print p50/p99 per round and their medians, return ours' median p99."""
    print(
        f"\n=== latency on {len(questions)} questions of {min(map(len, questions)):,}-"
        f"{max(map(len, questions)):,} characters (real questions joined), wall clock per call ==="
    )
    engine.search(questions[0])  # warm caches the same way for both
    fts.search(questions[0])
    rows = []
    for r in range(rounds):
        gc.collect()
        t_ours: list[float] = []
        t_fts: list[float] = []
        for q in questions:
            start = time.perf_counter()
            engine.search(q)
            t_ours.append((time.perf_counter() - start) * 1000.0)
            start = time.perf_counter()
            fts.search(q)
            t_fts.append((time.perf_counter() - start) * 1000.0)
        row = (pct(t_ours, 0.5), pct(t_ours, 0.99), pct(t_fts, 0.5), pct(t_fts, 0.99))
        rows.append(row)
        print(
            f"round {r + 1}: ours p50 {row[0]:.3f}  p99 {row[1]:.3f} ms   "
            f"FTS5 p50 {row[2]:.3f}  p99 {row[3]:.3f} ms   "
            f"ratio ours/FTS5 p50 {row[0] / row[2]:.2f}  p99 {row[1] / row[3]:.2f}"
        )
    med = [statistics.median(x[k] for x in rows) for k in range(4)]
    ratio50 = statistics.median(x[0] / x[2] for x in rows)
    ratio99 = statistics.median(x[1] / x[3] for x in rows)
    print(
        f"median of {rounds} rounds: ours p50 {med[0]:.3f}  p99 {med[1]:.3f} ms   "
        f"FTS5 p50 {med[2]:.3f}  p99 {med[3]:.3f} ms   "
        f"ratio ours/FTS5 p50 {ratio50:.2f}  p99 {ratio99:.2f}  "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    return med[1]


def synthetic(procedures: Sequence[Procedure], factor: int = 10) -> list[Procedure]:
    """Every name plus ``factor - 1`` made-up relatives (qualifiers, levels), with new codes."""
    qualifiers = [
        " (thực hiện tại cấp tỉnh)",
        " (thực hiện tại cấp trung ương)",
        " có yếu tố nước ngoài",
        " đối với doanh nghiệp có vốn đầu tư nước ngoài",
        " trong trường hợp bị mất, bị hỏng",
        " tại khu vực biên giới",
        " thực hiện bằng dịch vụ công trực tuyến toàn trình",
    ]
    prefixes = ["Cấp lại ", "Điều chỉnh ", "Gia hạn ", "Thu hồi "]
    out = list(procedures)
    serial = 0
    for p in procedures:
        for k in range(factor - 1):
            serial += 1
            if k < len(qualifiers):
                name = p.name + qualifiers[k]
            else:
                name = prefixes[(serial + k) % len(prefixes)] + p.name[0].lower() + p.name[1:]
            out.append(dataclasses.replace(p, code=f"9.{serial:06d}", name=name, keywords=()))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 latency rounds instead of 5; skip the 10x catalogue",
    )
    args = parser.parse_args(argv)
    began = time.perf_counter()

    # start-up: load the catalogue and build the index, as the bot does
    startups = []
    cpu = []
    for _ in range(3):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        catalogue = load()
        SearchEngine(catalogue)
        startups.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    rss_before = rss_mb()
    tracemalloc.start()
    catalogue = load()
    after_load, _ = tracemalloc.get_traced_memory()
    engine = SearchEngine(catalogue)
    after_build, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"start-up (load catalogue + build index): median {statistics.median(startups):.3f} s "
        f"wall, {statistics.median(cpu):.3f} s CPU "
        f"(wall runs: {', '.join(f'{x:.3f}' for x in startups)}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )

    print(
        f"memory (tracemalloc): catalogue {after_load / 2**20:.1f} MiB, "
        f"index {(after_build - after_load) / 2**20:.1f} MiB, peak during build "
        f"{peak / 2**20:.1f} MiB; process max RSS {rss_mb():.0f} MiB "
        f"(was {rss_before:.0f} MiB before the traced build)"
    )
    del engine

    # real citizens' questions and long messages (issue 9), on the engine the bot builds
    engine = SearchEngine(catalogue)
    fts = Fts5(catalogue.procedures)
    real = read_sets([REAL_QUESTIONS])
    test = real_questions(engine, fts, real)
    p99_long = long_latency(engine, fts, long_questions(real), rounds=3 if args.quick else 5)
    older = read_sets([LABELLED, SECOND_SET])
    short = evaluate(engine, [e for e in older if e.kind == "short"])
    natural = evaluate(engine, [e for e in older if e.kind == "natural"])
    print(
        f"\nolder sets together ({LABELLED.name} + {SECOND_SET.name}), ours: "
        f"short hit@1 {short.hit1:.3f} (n={short.n}), natural hit@1 {natural.hit1:.3f} "
        f"(n={natural.n})"
    )
    del engine, fts

    base = labelled()
    second = labelled(SECOND_SET)
    generated = variants(base)
    queries = base + second + generated
    procs = list(catalogue.procedures)
    sets = {"labelled set": base, "second set": second, "generated variants": generated}
    report("shipped catalogue", procs, queries, sets, repeats=3, rounds=3)
    if not args.quick:
        big = synthetic(procs)
        report(
            "10x synthetic catalogue", big, queries, {"labelled set": base}, repeats=1, rounds=1
        )
        print(f"process max RSS {rss_mb():.0f} MiB")

    goals = [
        Goal("real test hit@1", test.hit1, 0.80),
        Goal("real test hit@3", test.hit3, 0.90),
        Goal("oos test refused", test.refused, 0.80),
        Goal("short hit@1 (older sets)", short.hit1, 0.97),
        Goal("natural hit@1 (older sets)", natural.hit1, 0.90),
        Goal("1,000-character p99 (median)", p99_long, 10.0, at_most=True, unit=" ms", digits=2),
    ]
    print("\n=== goals ===")
    for goal in goals:
        print(goal.line())
    print(f"{sum(g.met() for g in goals)} of {len(goals)} goals met")
    print(f"(the whole run took {time.perf_counter() - began:.0f} s wall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
