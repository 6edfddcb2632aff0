"""Vietnamese text normalisation for search: fold, tone keys, Telex/VNI residue, glued words.

Every function here is pure and deterministic. The two keys the search works on are

* the *fold* of a syllable: no diacritics at all, ``đ`` → ``d``, and the i/y spelling variants
  unified (``ký``/``kí`` → ``ki``), so ``dang ky``, ``đăng kí`` and ``ĐĂNG KÝ`` share a key;
* the *tone key* of a syllable: shape marks kept (``ă â ê ô ơ ư đ``), the tone mark removed and
  appended as a digit, so the old and new tone placements (``hoà``/``hòa``) share a key and an
  accented query can prefer the title whose accents agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping
from functools import lru_cache

# Tone marks (combining) -> digit: sắc 1, huyền 2, hỏi 3, ngã 4, nặng 5.
TONE_DIGIT = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_DIGIT_TONE = {v: k for k, v in TONE_DIGIT.items()}
# Deprecated tone marks that NFC maps onto the ones above, for completeness.
_EXTRA_TONES = {"\u0340": "2", "\u0341": "1", "\u0342": "4"}

# Look-alikes of Đ/đ seen in copy-pasted text (Icelandic eth, African D).
_LOOKALIKE = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ"})
# Characters that carry nothing: soft hyphen, zero-width and joiners, BOM, word joiner.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# A word is a run of letters and digits (after NFC, Vietnamese marks are part of letters).
_WORD = re.compile(r"[^\W_]+")
_LOOKALIKE_CHARS = re.compile("[\u00d0\u00f0\u0189\u0256]")

_VOWELS = frozenset("aeiouy")
_IY = re.compile(r"^(qu|[bcdghklmnprstvx]{1,3})y(\d?)$")
_TELEX_TONE = {"s": "1", "f": "2", "r": "3", "x": "4", "j": "5"}
_ASCII_WORD = re.compile(r"^[a-z]+$")
_VNI_WORD = re.compile(r"^[a-z][a-z1-9]*$")


def words(text: str) -> list[str]:
    """The words of ``text``: lower-case NFC runs of letters and digits (see :func:`clean`)."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if _LOOKALIKE_CHARS.search(text):
        text = text.translate(_LOOKALIKE)
    text = text.casefold()
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _WORD.findall(text)


def clean(text: str) -> str:
    """Lower-case NFC text with punctuation, controls and invisibles turned into single spaces."""
    return " ".join(words(text))


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return unicodedata.normalize("NFD", ch)[0]


# Latin letters with marks (Latin-1 to Latin Extended Additional) -> base letter.
_FOLD_TABLE = {
    cp: _fold_char(chr(cp))
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
    if _fold_char(chr(cp)) != chr(cp)
}


def fold(text: str) -> str:
    """``text`` without any diacritic and with ``đ`` → ``d`` (length-preserving on NFC)."""
    return text.translate(_FOLD_TABLE)


def canon_iy(word: str) -> str:
    """Unify i/y in a folded syllable: ``ky``→``ki``, ``ly``→``li``, ``quy``→``qui``."""
    return _IY.sub(r"\1i\2", word)


@lru_cache(maxsize=1 << 16)
def word_key(word: str) -> str:
    """The fold key of one cleaned syllable (diacritics off, ``đ``→``d``, i/y unified)."""
    return canon_iy(fold(word))


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """The fold key of a whole text: clean, fold, i/y-unify each word."""
    return " ".join(word_key(w) for w in clean(text).split())


@lru_cache(maxsize=1 << 16)
def tone_key(word: str) -> str:
    """Placement-free key of a syllable: ``hòa``/``hoà`` → ``hoa2``, ``thủy`` → ``thuy3``."""
    tone = ""
    keep = []
    for ch in unicodedata.normalize("NFD", word):
        digit = TONE_DIGIT.get(ch) or _EXTRA_TONES.get(ch)
        if digit:
            tone = digit
        else:
            keep.append(ch)
    base = unicodedata.normalize("NFC", "".join(keep))
    return _IY.sub(r"\1i\2", base + tone) if base.isascii() else _iy_shape(base) + tone


def _iy_shape(base: str) -> str:
    """i/y unification for a syllable that still carries shape marks."""
    folded = fold(base)
    if _IY.match(folded):
        return base[:-1] + "i"
    return base


def has_diacritics(word: str) -> bool:
    """True when ``word`` carries any Vietnamese mark (tone, shape or ``đ``)."""
    return fold(word) != word


_SYLLABLES: dict[str, tuple[str, str, bool]] = {}


def syllable(word: str) -> tuple[str, str, bool]:
    """``(fold key, tone key, typed with diacritics)`` of one cleaned word (memoised)."""
    found = _SYLLABLES.get(word)
    if found is None:
        found = (word_key(word), tone_key(word), fold(word) != word)
        if len(_SYLLABLES) < 200_000:
            _SYLLABLES[word] = found
    return found


def syllables(text: str) -> list[tuple[str, str, bool]]:
    """:func:`syllable` of every word of ``clean(text)``."""
    get = _SYLLABLES.get
    return [get(w) or syllable(w) for w in words(text)]


# --- Telex and VNI residue ------------------------------------------------------------------

_SHAPE = {
    "aa": "â",
    "ee": "ê",
    "oo": "ô",
    "aw": "ă",
    "ow": "ơ",
    "uw": "ư",
}


def _first_vowel(chars: list[str]) -> int:
    for i, ch in enumerate(chars):
        if fold(ch) in _VOWELS:
            return i
    return -1


def _apply_horn_breve(chars: list[str]) -> bool:
    """Apply a Telex ``w`` to the vowel nucleus of ``chars``; False when there is none."""
    folded = [fold(c) for c in chars]
    for i in range(len(chars) - 1):
        if folded[i] == "u" and folded[i + 1] == "o":
            chars[i], chars[i + 1] = "ư", "ơ"
            return True
    for i in range(len(chars) - 1, -1, -1):
        if chars[i] in "aou":
            chars[i] = {"a": "ă", "o": "ơ", "u": "ư"}[chars[i]]
            return True
    return False


def decode_telex(token: str) -> tuple[str, str] | None:
    """Decode a syllable typed in Telex with the IME off: ``(shaped syllable, tone digit)``.

    ``dangw`` → ``("dăng", "")``, ``kys`` → ``("ky", "1")``, ``ddawngs`` → ``("đăng", "1")``.
    Returns None when ``token`` carries no Telex key at all.
    """
    if not _ASCII_WORD.match(token) or len(token) < 2:
        return None
    chars: list[str] = []
    tone = ""
    changed = False
    pending_w = False
    i = 0
    while i < len(token):
        ch = token[i]
        vowel_seen = _first_vowel(chars) >= 0
        if ch == "d" and i == 0 and token[1:2] == "d":
            chars.append("đ")
            i += 2
            changed = True
            continue
        if vowel_seen and ch in _TELEX_TONE and not (_VOWELS & set(token[i + 1 :])):
            tone = _TELEX_TONE[ch]
            changed = True
            i += 1
            continue
        if vowel_seen and ch == "z":
            tone = ""
            changed = True
            i += 1
            continue
        if ch == "w":
            prev = chars[-1] if chars else ""
            if prev in ("a", "o", "u"):
                if prev == "o" and len(chars) >= 2 and chars[-2] == "u":
                    chars[-2] = "ư"
                chars[-1] = _SHAPE[prev + "w"]
            elif not chars:
                chars.append("ư")
            else:
                pending_w = True
            changed = True
            i += 1
            continue
        if ch in "aeo" and chars and chars[-1] == ch:
            chars[-1] = _SHAPE[ch + ch]
            changed = True
            i += 1
            continue
        chars.append(ch)
        i += 1
    if pending_w and not _apply_horn_breve(chars):
        return None
    if not changed or _first_vowel(chars) < 0:
        return None
    return "".join(chars), tone


def decode_vni(token: str) -> tuple[str, str] | None:
    """Decode a syllable typed in VNI with the IME off: ``d9a8ng`` → ``("đăng", "")``, ``ky1``."""
    if not _VNI_WORD.match(token) or token.isalpha():
        return None
    chars: list[str] = []
    tone = ""
    for ch in token:
        if not ch.isdigit():
            chars.append(ch)
            continue
        if ch in "12345":
            tone = ch
            continue
        target = {"6": "aeo", "7": "ou", "8": "a", "9": "d"}[ch]
        for j in range(len(chars) - 1, -1, -1):
            if chars[j] in target:
                if ch == "6":
                    chars[j] = {"a": "â", "e": "ê", "o": "ô"}[chars[j]]
                elif ch == "7":
                    chars[j] = {"o": "ơ", "u": "ư"}[chars[j]]
                    if chars[j] == "ơ" and j > 0 and chars[j - 1] == "u":
                        chars[j - 1] = "ư"
                elif ch == "8":
                    chars[j] = "ă"
                else:
                    chars[j] = "đ"
                break
        else:
            return None
    if _first_vowel(chars) < 0:
        return None
    return "".join(chars), tone


def with_tone(shaped: str, digit: str) -> str:
    """Put tone ``digit`` on the main vowel of ``shaped`` (placement does not change the keys)."""
    if not digit:
        return shaped
    folded = fold(shaped)
    idx = [i for i, c in enumerate(folded) if c in _VOWELS]
    if folded.startswith(("qu", "gi")) and len(idx) > 1:
        idx = idx[1:]
    if not idx:
        return shaped
    shaped_vowels = [i for i in idx if shaped[i] not in "aeiouy"]
    if shaped_vowels:
        pick = shaped_vowels[-1]
    elif len(idx) >= 2 and idx[-1] == len(shaped) - 1:
        pick = idx[-2]
    else:
        pick = idx[-1]
    mark = _DIGIT_TONE[digit]
    return unicodedata.normalize("NFC", shaped[: pick + 1] + mark + shaped[pick + 1 :])


def decode_ime(token: str, vocabulary: Collection[str]) -> str | None:
    """The accented syllable a Telex/VNI ``token`` stands for, if it folds into ``vocabulary``.

    ``vocabulary`` holds fold keys (:func:`word_key`). A token that already is a vocabulary
    syllable is never rewritten, so ``xoong`` or form codes such as ``ct01`` stay as typed.
    """
    if word_key(token) in vocabulary or "0" in token:
        return None
    for decoder in (decode_telex, decode_vni):
        decoded = decoder(token)
        if decoded is None:
            continue
        shaped, digit = decoded
        if word_key(shaped) in vocabulary:
            return with_tone(shaped, digit)
    return None


# --- glued syllables ----------------------------------------------------------------------


def split_glued(
    word: str,
    vocabulary: Mapping[str, float] | Collection[str],
    *,
    max_parts: int = 4,
    weight: Callable[[str], float] | None = None,
    extra: Collection[str] = (),
    pair: Callable[[str, str], float] | None = None,
) -> list[str] | None:
    """Split a word typed without spaces into vocabulary syllables: ``đăngký`` → ``[đăng, ký]``.

    Works on the fold key and cuts the original at the same places (folding is
    length-preserving on NFC text), so accents survive. A part is a vocabulary syllable with a
    vowel, or one of the ``extra`` words (abbreviations such as ``cccd``); it has at least two
    letters. The split with the fewest parts wins; ties go to the highest sum of ``weight``
    (how common each part is) plus ``pair`` (how common each pair of neighbours is), so
    ``tuchoi`` is ``tu choi`` when "từ chối" is a known pair.
    """
    folded = fold(word)
    n = len(folded)
    if n < 4 or n > 40 or not folded.isalnum() or not folded.isascii():
        return None

    def score(part: str) -> float:
        if weight is not None:
            return weight(part)
        if isinstance(vocabulary, Mapping):
            return float(vocabulary.get(part, 0.0))
        return 1.0

    # parts[i] = the keys that can start at i, with their end
    parts_at: list[list[tuple[int, str]]] = [[] for _ in range(n)]
    for begin in range(n):
        for end in range(begin + 2, min(n, begin + 7) + 1):
            piece = folded[begin:end]
            k = canon_iy(piece)
            # an extra word without a vowel ("dk", "ng") only opens a glued word: at the end
            # it is more likely a typo ("thung" is not "thu ng")
            if (k in vocabulary and _VOWELS & set(piece)) or (
                piece in extra and (begin == 0 or _VOWELS & set(piece) or len(piece) > 2)
            ):
                parts_at[begin].append((end, k))
    best: tuple[int, float, list[int]] | None = None
    stack: list[tuple[int, list[int], list[str], float]] = [(0, [], [], 0.0)]
    while stack:  # depth-first over segmentations of at most max_parts parts
        pos, cuts, keys, total = stack.pop()
        if pos == n:
            cand = (len(cuts), -total, cuts)
            if best is None or cand[:2] < best[:2]:
                best = cand
            continue
        if len(cuts) >= max_parts or (best is not None and len(cuts) >= best[0]):
            continue
        for end, k in parts_at[pos]:
            gain = score(k) + (pair(keys[-1], k) if pair is not None and keys else 0.0)
            stack.append((end, [*cuts, end], [*keys, k], total + gain))
    if best is None or best[0] < 2:
        return None
    out = []
    begin = 0
    for end in best[2]:
        out.append(word[begin:end])
        begin = end
    return out
