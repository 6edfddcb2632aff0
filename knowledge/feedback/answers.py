"""What a citizen types where the conversation offers buttons: yes, no, send, cancel, a kind.

Most citizens type before they press. At a step that asks for a button, a short reply is
read here (:func:`understand`): ``có``, ``ok``, ``ừ``, ``gửi đi``, ``đồng ý`` / ``không``,
``thôi`` / ``hủy`` ..., with or without diacritics. Anything else is not understood (None):
the caller shows the step again, never a search. At the kind step, the complaint's own
words suggest its kind (:func:`guess_kind`), and a reply that only names a kind picks it
(:func:`kind_named`).

Pure functions over :mod:`knowledge.textnorm`; no storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from knowledge import textnorm
from knowledge.feedback.drafts import (
    STEP_ATTACHMENTS,
    STEP_CONTACT,
    STEP_KIND,
    STEP_PROCEDURE,
    STEP_SUMMARY,
)
from knowledge.feedback.records import KINDS

# What a reply means at a step (the value of :func:`understand`).
YES = "yes"  # kind: take the suggested kind; contact: consent; summary: send
NO = "no"  # contact: anonymous
SKIP = "skip"  # procedure: none; attachments: done
EDIT = "edit"  # summary: the edit menu
CANCEL = "cancel"  # any button step: offer the cancel button (never cancels by itself)
MEANINGS = (YES, NO, SKIP, EDIT, CANCEL)

# Word classes of a short reply: the meanings above (but SKIP and EDIT are classes too),
# SEND ("gửi", "xác nhận"), and "" for filler that carries nothing.
SEND = "send"
_VOCABULARY: Mapping[str, tuple[str, ...]] = {
    YES: (
        "có", "ok", "oke", "okê", "okay", "okie", "oki", "oce", "ừ", "ừm", "ừa", "ờ", "uh",
        "uhm", "um", "vâng", "dạ", "được", "đc", "dc", "đồng ý", "yes", "y", "chuẩn", "đúng",
        "chính xác", "tất nhiên", "ổn",
    ),
    SEND: ("gửi", "gởi", "nộp", "xác nhận", "send", "chốt"),
    NO: (
        "không", "không đồng ý", "không gửi", "không phải", "không cần", "không muốn",
        "không có", "chưa", "thôi", "no", "nope",
    ),
    SKIP: ("xong", "bỏ qua", "tiếp", "tiếp tục", "hết", "next", "skip", "done"),
    EDIT: ("sửa", "sửa lại", "chỉnh", "chỉnh sửa", "thay đổi", "edit"),
    CANCEL: ("hủy", "hủy bỏ", "bỏ", "dẹp", "cancel"),
    "": (
        "đi", "nhé", "nhá", "nha", "nhe", "ạ", "à", "a", "ơi", "luôn", "rồi", "mà", "em",
        "anh", "chị", "bạn", "mình", "tôi", "tui", "ad", "nhỉ", "thì", "là", "vậy", "đó",
        "đấy", "này", "nữa", "giúp", "giùm", "hộ", "với", "cho", "phản ánh", "cái", "lại",
        "ấy", "hen", "nghen", "chứ", "gì", "please", "cảm ơn", "cám ơn", "thanks", "thank",
        "you",
    ),
}  # fmt: skip

# Replies that only name a kind (the buttons' labels and their everyday names).
_KIND_NAMES: Mapping[str, tuple[str, ...]] = {
    "quy_dinh": ("quy định", "quy định hành chính", "về quy định hành chính"),
    "thai_do": ("thái độ", "thái độ phục vụ", "phục vụ"),
    "tre_hen": (
        "trễ hẹn", "hồ sơ trễ hẹn", "trễ", "chậm", "chậm trễ", "quá hẹn", "trễ hạn", "quá hạn",
    ),
    "kien_nghi": ("kiến nghị", "góp ý", "đề xuất", "đề nghị"),
    "khac": ("khác", "loại khác", "việc khác"),
    "": ("về", "loại", "chọn", "là", "phản ánh", "cái", "ạ", "nhé", "nha", "đi"),
}  # fmt: skip

# Words in a complaint that suggest its kind; the kind with most distinct hits wins, ties
# in this order (an official's conduct is the most specific).
_KIND_CUES: Mapping[str, tuple[str, ...]] = {
    "thai_do": (
        "thái độ", "nhũng nhiễu", "hách dịch", "cửa quyền", "gây khó dễ", "gây khó khăn",
        "làm khó", "cáu gắt", "quát", "quát tháo", "thô lỗ", "vô lễ", "xúc phạm", "chửi",
        "tiêu cực", "vòi vĩnh", "phong bì", "bồi dưỡng", "lót tay", "tiền ngoài",
        "không nhiệt tình", "thiếu tôn trọng", "khó chịu", "vắng mặt",
    ),
    "tre_hen": (
        "trễ hẹn", "trễ hạn", "chậm", "chậm trễ", "trễ", "quá hẹn", "quá hạn", "lỡ hẹn",
        "hẹn lại", "hẹn mãi", "chờ mãi", "đợi mãi", "chưa có kết quả", "chưa trả",
        "chưa nhận được", "chưa giải quyết", "muộn", "lâu",
    ),
    "quy_dinh": (
        "quy định", "rườm rà", "phức tạp", "bất hợp lý", "không hợp lý", "chồng chéo",
        "yêu cầu thêm", "giấy tờ", "văn bản", "nghị định", "thông tư", "luật", "mẫu đơn",
        "biểu mẫu",
    ),
    "kien_nghi": ("kiến nghị", "đề nghị", "đề xuất", "góp ý", "nên bổ sung", "nên có"),
}  # fmt: skip
_KIND_ORDER = ("thai_do", "tre_hen", "quy_dinh", "kien_nghi")
_MAX_REPLY_WORDS = 10  # a longer text is not a reply to a button step


# Everyday spellings of "không" (no), read as it before matching.
_NOT = frozenset({"k", "ko", "kg", "kh", "hok", "khum", "hông", "hổng", "hong", "khong"})


def _same(typed: str, word: str) -> bool:
    """A typed word is a vocabulary word: with its marks (tone placement free), or typed
    without any mark at all (``co`` for ``có``, ``khong`` for ``không``)."""
    if typed in _NOT:
        typed = "không"
    if typed == word or textnorm.tone_key(typed) == textnorm.tone_key(word):
        return True
    return not textnorm.has_diacritics(typed) and textnorm.word_key(typed) == textnorm.word_key(
        word
    )


@lru_cache(maxsize=8)
def _phrases(vocabulary: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[list[str], str]]:
    """(words, class) of every phrase, the longest first (greedy matching)."""
    out = [(textnorm.words(p), cls) for cls, phrases in vocabulary for p in phrases]
    return sorted(out, key=lambda item: -len(item[0]))


def _classes(words: Sequence[str], vocabulary: Mapping[str, tuple[str, ...]]) -> set[str] | None:
    """The classes of the phrases ``words`` is made of, filler left out; None when a word is
    none of them or when one word could be two different classes."""
    phrases = _phrases(tuple(vocabulary.items()))
    found: set[str] = set()
    i = 0
    while i < len(words):
        size = 0
        hits: set[str] = set()
        for phrase, cls in phrases:
            n = len(phrase)
            if size and n < size:
                break
            if i + n <= len(words) and all(
                _same(w, p) for w, p in zip(words[i : i + n], phrase, strict=True)
            ):
                size = n
                hits.add(cls)
        if not size or len(hits) > 1:
            return None
        found |= hits
        i += size
    found.discard("")
    return found


def reply_classes(text: str) -> set[str] | None:
    """The word classes of a short reply (``yes``, ``send``, ``no``, ``skip``, ``edit``,
    ``cancel``); None when it is not such a reply (empty, long, or any other word)."""
    words = textnorm.words(text)
    if not words or len(words) > _MAX_REPLY_WORDS:
        return None
    found = _classes(words, _VOCABULARY)
    return found or None


def understand(step: str, text: str) -> str | None:
    """What ``text`` means at a button step (one of :data:`MEANINGS`), or None.

    None means "not understood": the step is shown again with its buttons. Cancelling is
    only ever offered (a button), never done on a typed word, so no draft is lost to a
    misreading; "send" is understood only at the summary, consent only at the contact step.
    """
    found = reply_classes(text)
    if not found:
        return None
    if CANCEL in found and found <= {CANCEL, NO}:
        return CANCEL
    if step == STEP_SUMMARY:
        if found <= {YES, SEND}:
            return YES
        if found <= {NO, EDIT}:
            return EDIT
        return None
    if step == STEP_CONTACT:
        if found == {YES}:
            return YES
        return NO if found == {NO} else None
    if step in (STEP_PROCEDURE, STEP_ATTACHMENTS):
        return SKIP if found <= {NO, SKIP} else None
    if step == STEP_KIND:
        return YES if found == {YES} else (NO if found == {NO} else None)
    return None


def kind_named(text: str) -> str | None:
    """The kind a short reply names and nothing else (``trễ hẹn``, ``Thái độ phục vụ``)."""
    words = textnorm.words(text)
    if not words or len(words) > _MAX_REPLY_WORDS:
        return None
    found = _classes(words, _KIND_NAMES)
    if not found or len(found) != 1:
        return None
    (kind,) = found
    return kind if kind in KINDS else None


def _count_cues(words: Sequence[str], cues: Iterable[str]) -> int:
    hits = 0
    for cue in cues:
        phrase = textnorm.words(cue)
        n = len(phrase)
        if any(
            all(_same(w, p) for w, p in zip(words[i : i + n], phrase, strict=True))
            for i in range(len(words) - n + 1)
        ):
            hits += 1
    return hits


def guess_kind(text: str | None) -> str | None:
    """The kind a complaint's words suggest (``thái độ``, ``nhũng nhiễu`` → ``thai_do``;
    ``chậm``, ``trễ hẹn`` → ``tre_hen``), or None when nothing does."""
    words = textnorm.words(text or "")
    if not words:
        return None
    scores = {kind: _count_cues(words, _KIND_CUES[kind]) for kind in _KIND_ORDER}
    best = max(_KIND_ORDER, key=lambda kind: scores[kind])  # first in order on a tie
    return best if scores[best] else None
