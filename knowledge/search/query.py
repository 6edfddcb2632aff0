"""From a query string to the token variants the ranking scores.

The words are cleaned and keyed by :mod:`knowledge.textnorm` (IME residue decoded and glued
words split against the catalogue's vocabulary), filler phrases are dropped and chit-chat
silenced, filler and context words are weighed down (word lists in
:mod:`~knowledge.search.lexicon`, weights in :mod:`~knowledge.search.weights`), and every alias
found adds a variant with the alias rewritten into its expansion.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from knowledge import textnorm
from knowledge.search.index import SearchIndex
from knowledge.search.lexicon import Syllable
from knowledge.search.weights import (
    ALIAS_WORD_WEIGHT,
    CONTENT_WEIGHT,
    CONTEXT_WEIGHT,
    GLUE_PAIR_BONUS,
    LONG_EXPANSION,
    NUMBER_WEIGHT,
    SECOND_CHOICE_PENALTY,
    STORY_SHARE,
)

MAX_QUERY_CHARS = 1000  # longer input is cut: nobody describes a procedure in more
MAX_QUERY_WORDS = 60
MAX_VARIANTS = 6
MAX_LONG_VARIANTS = 3  # a long message's words say enough: fewer alias readings of it
LONG_TOKENS = 20  # words from which a message is long
MAX_STORY_WORDS = 40
ACCENTED_MIN_WORDS = 4  # words from which a message can be judged typed with accents
ACCENTED_SHARE = 0.5  # ... when at least this share of its words carry them

_DIGITS_WORD = re.compile(r"^(\d+)(\D{2,})$")


@dataclass(slots=True)
class _Token:
    """A query word: its keys, and how much it counts."""

    fold: str
    tone: str
    accented: bool
    weight: float = 1.0  # multiplier: filler and context words weigh less
    alias: bool = False  # came from an alias expansion
    scale: float = 1.0  # an expansion shares the weight of the words it replaced
    group: int = -1  # the alias expansion this word belongs to
    story: bool = False  # told before the question: weighs STORY_SHARE of itself


@dataclass(slots=True)
class _Variant:
    """One reading of the query: as typed, or with some aliases expanded."""

    tokens: list[_Token]
    alias: bool
    penalty: float = 0.0  # a second-choice expansion starts a little behind


def _copy(t: _Token) -> _Token:
    return _Token(t.fold, t.tone, t.accented, t.weight, t.alias, t.scale, t.group, t.story)


@dataclass(slots=True)
class _Prepared:
    """A query ready to rank: its variants and what the ranking needs to know about it."""

    variants: list[_Variant] = field(default_factory=list)
    content: int = 0  # words that can carry a procedure
    secondary: int = 0  # bit mask of SECONDARY_ACTIONS the query asks for


def _same(tok: _Token, syl: Syllable) -> bool:
    """Accent-aware word equality: accents must agree when the query word carries them."""
    return tok.tone == syl[1] if tok.accented and syl[2] else tok.fold == syl[0]


def _match_at(toks: list[_Token], i: int, phrase: list[Syllable]) -> bool:
    n = len(phrase)
    return i + n <= len(toks) and all(_same(toks[i + j], phrase[j]) for j in range(n))


def tokens(index: SearchIndex, query: str) -> list[_Token]:
    """The words of ``query``: cleaned, IME residue decoded, glued words split."""
    text = textnorm.clean(query[:MAX_QUERY_CHARS])
    out: list[_Token] = []
    words: list[str] = []
    for word in text.split()[:MAX_QUERY_WORDS]:
        m = _DIGITS_WORD.match(word)
        if m and textnorm.word_key(m.group(2)) in index.known:
            words.extend(m.groups())  # "1lan" -> "1 lan", "17tuoi" -> "17 tuoi"
        else:
            words.append(word)
    for word in words:
        out.extend(_Token(f, t, a) for f, t, a in _word_tokens(index, word))
    # in a message typed with accents, a word without any is meant without any ("hải quan")
    letters = [t for t in out if t.fold.isalpha()]
    if len(letters) >= ACCENTED_MIN_WORDS and sum(t.accented for t in letters) >= (
        ACCENTED_SHARE * len(letters)
    ):
        for t in letters:
            t.accented = True
    return out


@functools.lru_cache(maxsize=1 << 15)
def _word_tokens(index: SearchIndex, word: str) -> tuple[Syllable, ...]:
    """(fold, tone, accented) of the one or more catalogue words a typed word stands for."""
    k = textnorm.word_key(word)
    if k in index.known or not k.isalnum():
        return ((k, textnorm.tone_key(word), textnorm.has_diacritics(word)),)
    if word.isascii():
        decoded = textnorm.decode_ime(word, index.known)
        if decoded is not None:
            return ((textnorm.word_key(decoded), textnorm.tone_key(decoded), True),)
    parts = textnorm.split_glued(
        word,
        index.split_weight,
        extra=index.glue_extra,
        pair=functools.partial(_glue_pair, index),
    )
    if parts is not None:
        return tuple(
            (textnorm.word_key(p), textnorm.tone_key(p), textnorm.has_diacritics(p)) for p in parts
        )
    return ((k, textnorm.tone_key(word), textnorm.has_diacritics(word)),)


def _glue_pair(index: SearchIndex, a: str, b: str) -> float:
    """Bonus for two neighbouring parts of a glued word that some name has side by side."""
    fa, fb = index.fold_ids.get(a), index.fold_ids.get(b)
    return (
        GLUE_PAIR_BONUS
        if fa is not None and fb is not None and (fa, fb) in index.pair_ids
        else 0.0
    )


def prepare(index: SearchIndex, query: str, story: str = "") -> _Prepared:
    """The variants of ``query`` to score: as typed, and with its aliases expanded.

    ``story`` is what the message told before its question: its words come first and weigh
    :data:`STORY_SHARE` of what they would; the question's words always fit, the story keeps
    its last words within :data:`MAX_STORY_WORDS`.
    """
    told = tokens(index, story[-MAX_QUERY_CHARS:]) if story else []
    return prepare_tokens(index, tokens(index, query), told)


def prepare_tokens(index: SearchIndex, asked: list[_Token], told: list[_Token]) -> _Prepared:
    """:func:`prepare` on words already split: ``asked`` the question's, ``told`` the story's.

    The lists are not changed (the tokens are copied).
    """
    prep = _Prepared()
    toks = _drop_fillers(index, [_copy(t) for t in asked])
    if told:
        story = _drop_fillers(index, [_copy(t) for t in told])[-MAX_STORY_WORDS:]
        for t in story:
            t.story = True
        toks = story + toks
    if not toks:
        return prep
    # alias matches: the longest at each position (overlaps become separate variants)
    matches: list[tuple[int, int, list[list[Syllable]]]] = []
    for i in range(len(toks)):
        found: tuple[int, list[list[Syllable]]] | None = None
        for key_syl, exp in index.rewrite.get(toks[i].fold, ()):
            if found is not None and len(key_syl) < found[0]:
                break
            if len(key_syl) == 1 and key_syl[0][2] and not toks[i].accented:
                continue  # one accented word ("bò") is not matched by its bare form ("bo")
            if _match_at(toks, i, key_syl):
                if found is None:
                    found = (len(key_syl), [exp])
                else:
                    found[1].append(exp)
        if found is not None:
            matches.append((i, i + found[0], found[1]))
    greedy: list[tuple[int, int, list[list[Syllable]]]] = []
    for m in matches:
        if not greedy or m[0] >= greedy[-1][1]:
            greedy.append(m)
    span_sets = [greedy]
    for m in matches:
        if m not in greedy:
            span_sets.append(sorted([m, *(g for g in greedy if g[1] <= m[0] or g[0] >= m[1])]))
    variants = [_Variant(_weigh(index, [_copy(t) for t in toks]), False)]
    for spans in span_sets:
        if not spans:
            continue
        picks: list[list[int]] = [[0] * len(spans)]
        for s_i, (_, _, exps) in enumerate(spans):
            picks.extend(
                [0] * s_i + [alt] + [0] * (len(spans) - s_i - 1) for alt in range(1, len(exps))
            )
        for pick in picks:
            if len(variants) >= (MAX_VARIANTS if len(toks) <= LONG_TOKENS else MAX_LONG_VARIANTS):
                break
            new: list[_Token] = []
            pos = 0
            for g, ((start, end, exps), alt) in enumerate(zip(spans, pick, strict=True)):
                new.extend(_copy(t) for t in toks[pos:start])
                new.extend(_expansion(index, exps[alt], end - start, g, story=toks[start].story))
                pos = end
            new.extend(_copy(t) for t in toks[pos:])
            variants.append(
                _Variant(_weigh(index, new), True, SECOND_CHOICE_PENALTY if any(pick) else 0.0)
            )
    prep.variants = [v for v in variants if any(t.weight > 0 for t in v.tokens)]
    prep.content = max(
        (sum(1 for t in v.tokens if t.weight >= CONTENT_WEIGHT) for v in prep.variants), default=0
    )
    prep.secondary = index.secondary_mask([t.fold for t in toks])
    return prep


def _expansion(
    index: SearchIndex, exp: list[Syllable], replaced: int, group: int, *, story: bool = False
) -> list[_Token]:
    """Tokens of an alias expansion: together they weigh what the replaced words would.

    The whole weighs :data:`ALIAS_WORD_WEIGHT` per word it replaced, never more than its
    own IDF. A long expansion names one thing, so its words share that weight equally; a
    short one shares it by IDF (in "cấp lại", "lại" says more than "cấp").
    """
    known = list(dict.fromkeys(f for f, _, _ in exp if f in index.idf))
    weight = STORY_SHARE if story else 1.0
    if not known:
        return [_Token(f, t, a, weight, True, 1.0, group, story) for f, t, a in exp]
    idf_sum = sum(index.idf[f] for f in known)
    total = min(ALIAS_WORD_WEIGHT * max(1, replaced), idf_sum)
    out = []
    for f, t, a in exp:
        if f not in index.idf:
            scale = 1.0
        elif len(known) >= LONG_EXPANSION:
            scale = total / len(known) / index.idf[f]
        else:
            scale = total / idf_sum
        out.append(_Token(f, t, a, weight, True, scale, group, story))
    return out


def _drop_fillers(index: SearchIndex, toks: list[_Token]) -> list[_Token]:
    """Drop filler phrases ("cho em hỏi", "ở đâu") and silence chit-chat words."""
    keep = [True] * len(toks)
    i = 0
    while i < len(toks):
        found: tuple[list[Syllable], bool] | None = None
        for table, drop in ((index.chat_phrases, False), (index.filler_phrases, True)):
            for phrase in table.get(toks[i].fold, ()):
                if found is not None and len(phrase) <= len(found[0]):
                    break  # the longest phrase wins, chit-chat first on a tie
                if not _match_at(toks, i, phrase):
                    continue
                if (
                    not drop
                    and len(phrase) == 1
                    and phrase[0][2]
                    and not toks[i].accented
                    and toks[i].fold in index.idf
                ):
                    continue  # "doi" may be "đói" or "đổi": keep a catalogue word
                found = (phrase, drop)
                break
        if found is None:
            i += 1
            continue
        phrase, drop = found
        for j in range(len(phrase)):
            if drop:
                keep[i + j] = False
            else:
                toks[i + j].weight = 0.0
        i += len(phrase)
    return [t for t, k in zip(toks, keep, strict=True) if k]


def _weigh(index: SearchIndex, toks: list[_Token]) -> list[_Token]:
    """Weigh down context phrases, filler and context words (alias and silenced words stay)."""
    i = 0
    while i < len(toks):
        tok = toks[i]
        step = 1
        if not tok.alias and tok.weight > 0.0:
            for phrase in index.context_phrases.get(tok.fold, ()):
                n = len(phrase)
                if _match_at(toks, i, phrase) and not any(t.alias for t in toks[i : i + n]):
                    for t in toks[i : i + n]:
                        t.weight = min(t.weight, CONTEXT_WEIGHT)
                    step = n
                    break
            if step == 1 and tok.weight == 1.0:
                m = (
                    index.filler_tone.get(tok.tone)
                    if tok.accented
                    else index.filler_fold.get(tok.fold)
                )
                if m is not None:
                    tok.weight = m
                elif tok.fold.isdigit():
                    tok.weight = NUMBER_WEIGHT
        i += step
    for tok in toks:
        if tok.story and not tok.alias:
            tok.weight *= STORY_SHARE
    return toks
