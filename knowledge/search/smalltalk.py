"""Messages that are not a search: greetings, thanks, insults, emoji, questions about the centre.

:func:`classify` tells them apart before the search runs, so "chào bạn" gets a friendly reply
and "trung tâm làm việc mấy giờ" the centre's hours instead of a list of arbitration centres.
A message is small talk only when it is short and made of these phrases and filler; anything
that names what the citizen needs ("chào bạn, cho mình hỏi làm sổ đỏ") stays a search.
Phrases are matched on fold keys, word-bounded (tuning data, like the lexicon).
"""

from __future__ import annotations

import re
import unicodedata

from knowledge import textnorm
from knowledge.search.reading import phrases

KINDS = (
    "centre_phone",
    "centre_hours",
    "centre_address",
    "greeting",
    "thanks",
    "bye",
    "insult",
    "emoji",
)

_CENTRE = ("trung tam", "bo phan mot cua", "mot cua", "hanh chinh cong", "cac ban", "ben minh")
CUES: dict[str, tuple[str, ...]] = {
    "centre_phone": (
        "so dien thoai",
        "sdt",
        "hotline",
        "duong day nong",
        "goi dien",
        "so goi",
        "lien he qua so",
    ),
    "centre_hours": (
        "may gio",
        "gio lam viec",
        "gio mo cua",
        "mo cua",
        "dong cua",
        "lam viec thu bay",
        "lam viec chu nhat",
        "thu bay co lam",
        "chu nhat co lam",
        "lam viec khong",
        "gio nao",
        "lich lam viec",
    ),
    "centre_address": ("dia chi", "o dau", "cho nao", "nam o", "duong nao", "den the nao"),
    "greeting": ("xin chao", "chao", "hello", "hi", "alo", "a lo", "chao buoi sang"),
    "thanks": ("cam on", "cam ta", "thanks", "thank you", "tks", "thank"),
    "bye": ("tam biet", "bye", "hen gap lai"),
    "insult": ("ngu", "dot", "vo dung", "te qua", "kem qua", "do te", "ngu qua", "bot ngu"),
}
# words that may surround small talk without making it a question
_FILLER = (
    "a ạ à ơi nhe nha nhé ha hả bot ad admin em anh chị mình tôi bạn "
    "nhiều lắm quá rất vậy thế nhỉ oi trợ lý của với"
)
_FILLER_KEYS = frozenset(textnorm.word_key(w) for w in textnorm.words(_FILLER))
_PATTERNS = {kind: phrases(items) for kind, items in CUES.items()}
_CENTRE_WORDS = phrases(_CENTRE)
MAX_WORDS = 12  # a longer message is a question, not small talk


def classify(message: str) -> str | None:
    """The kind of small talk ``message`` is (:data:`KINDS`), or None when it is a search."""
    text = unicodedata.normalize("NFC", message or "").strip()
    if not text:
        return None
    words = textnorm.words(text)
    if not words:
        return "emoji" if any(_is_emoji(ch) for ch in text) else None
    key = " ".join(textnorm.word_key(w) for w in words)
    if len(words) > MAX_WORDS:
        return None
    # about the centre: its phone, hours or address, when the centre is what is asked about
    if _CENTRE_WORDS.search(key) or len(words) <= 4:
        for kind in ("centre_phone", "centre_hours", "centre_address"):
            if _PATTERNS[kind].search(key) and (
                _CENTRE_WORDS.search(key) or kind == "centre_phone"
            ):
                return kind
    for kind in ("greeting", "thanks", "bye", "insult"):
        rest = _PATTERNS[kind].sub(" ", key).split()
        if _PATTERNS[kind].search(key) and all(
            w in _FILLER_KEYS or _other_small_talk(w) for w in rest
        ):
            return kind
    return None


def _other_small_talk(word: str) -> bool:
    return any(p.fullmatch(word) for p in _PATTERNS.values())


_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]")


def _is_emoji(ch: str) -> bool:
    return bool(_EMOJI.match(ch))
