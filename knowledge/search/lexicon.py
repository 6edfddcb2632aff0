"""Tuning data of the search: the words that carry no procedure, and the actions rarely meant.

A new filler word, chit-chat word or context phrase is a diff in this one file. The lists are
written with accents: a query word typed with accents must agree with them, a word typed
without any is compared on its fold (see :class:`knowledge.search.index.SearchIndex` for the
tables built from them, and :mod:`knowledge.search.query` for how a query is weighed).
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge import textnorm
from knowledge.search.weights import (
    CONTEXT_WEIGHT,
    FILLER_WEIGHT,
    LIGHT_FILLER_WEIGHT,
    STORY_WORD_WEIGHT,
)

Syllable = tuple[str, str, bool]  # fold key, tone key, typed with diacritics


# --- words that carry no procedure ---------------------------------------------------------
# Written with accents. A query word typed with accents must agree with them; a word typed
# without any is compared on its fold. Phrases are dropped, single words weighed down.

FILLER_PHRASES = (
    "cho em hỏi",
    "cho mình hỏi",
    "cho tôi hỏi",
    "cho cháu hỏi",
    "cho con hỏi",
    "cho hỏi",
    "xin hỏi",
    "muốn hỏi",
    "hỏi chút",
    "cho em xin",
    "cho mình xin",
    "như thế nào",
    "thế nào",
    "ra sao",
    "làm sao",
    "vì sao",
    "tại sao",
    "làm thế nào",
    "làm như nào",
    "như nào",
    "bao nhiêu tiền",
    "mất bao nhiêu",
    "hết bao nhiêu",
    "tốn bao nhiêu",
    "bao nhiêu",
    "bao lâu",
    "mất bao lâu",
    "hết bao lâu",
    "trong bao lâu",
    "bao lâu thì có",
    "bao lâu thì xong",
    "bao lâu mới có",
    "bao lâu mới xong",
    "có lâu không",
    "lâu không",
    "hết mấy ngày",
    "mất mấy ngày",
    "mấy hôm",
    "có mất phí không",
    "có mất tiền không",
    "mất phí không",
    "có tốn phí không",
    "có được làm online không",
    "có làm online được không",
    "làm online được không",
    "nộp online được không",
    "online được không",
    "làm online",
    "nộp online",
    "thì sao",
    "với ạ",
    "nộp ở đâu",
    "nộp hồ sơ ở đâu",
    "làm ở đâu",
    "phí bao nhiêu",
    "lệ phí bao nhiêu",
    "bao giờ",
    "khi nào",
    "mấy ngày",
    "ở đâu",
    "chỗ nào",
    "nơi nào",
    "cơ quan nào",
    "cần những gì",
    "cần gì",
    "những gì",
    "giấy tờ gì",
    "hồ sơ gì",
    "gồm những",
    "cần chuẩn bị",
    "chuẩn bị",
    "mang theo",
    "được không",
    "có phải",
    "phải làm gì",
    "làm gì",
    "thủ tục",
    "hồ sơ",
    "giúp em",
    "giúp mình",
    "giúp tôi",
    "hướng dẫn",
    "ạ",
    "nhé",
    "trực tuyến",
    "qua mạng",
    "lệ phí",
    "thời gian",
    "thời hạn",
    "mẫu đơn",
    "có cần",
)


# weight multiplier of single words: particles, pronouns, question words, generic verbs...
def _words(text: str) -> list[str]:
    return text.split()


FILLER_WORDS: dict[str, float] = {
    **dict.fromkeys(
        _words(
            "ạ à ơi ơ ư nhé nhá nha ha hả hở hen nhỉ nhở vậy vầy thế đấy đó này kia ấy dạ vâng ừ "
            "ok oke okay em anh chị mình tôi tui tao tớ ad admin bác cô chú ông bà bạn hỏi xin "
            "muốn cần phải nên được đc dc không ko k kg hông có là thì mà và với nào gì "
            "đâu bao nhiêu lâu mấy những các cái đi đến rồi đã đang sẽ vừa hôm nay mai giờ "
            "lúc khi nếu như bây giúp xem biết tờ gồm ai ấy nhiều ít chút tí hay hoặc thôi luôn "
            "nữa cũng vẫn còn lắm quá rất để vì nhưng thật ra sắp làm e"
        ),
        FILLER_WEIGHT,
    ),
    **dict.fromkeys(
        _words("cho ở tại về vào lên xuống bị mới của trong ngoài giấy việc"), LIGHT_FILLER_WEIGHT
    ),
    # time, quantity and counting words of a story ("tháng sau", "hai đứa", "tuần trước")
    **dict.fromkeys(
        _words(
            "tháng tuần ngày năm sau trước hôm qua tới nữa một hai ba bốn năm sáu đứa chiếc "
            "cuối mỗi cả tất cùng chưa"
        ),
        STORY_WORD_WEIGHT,
    ),
    # people and places a question mentions as context
    **dict.fromkeys(
        _words("vợ chồng con cháu bé cha bố mẹ má xã phường huyện quận tỉnh nhà"), CONTEXT_WEIGHT
    ),
}

# context phrases of several words, weighed like the context words above
CONTEXT_PHRASES: dict[str, float] = dict.fromkeys(
    (
        "gia đình",
        "thị trấn",
        "thành phố",
        "ủy ban",
        "uỷ ban",
        "ubnd",
        "công an",
        "bệnh viện",
        "trạm y tế",
        "người yêu",
        "hàng xóm",
        "ông bà",
        "bố mẹ",
        "người thân",
        "người quen",
        "bạn bè",
        "họ hàng",
        "bà nội",
        "ông nội",
        "bà ngoại",
        "ông ngoại",
        "con trai",
        "con gái",
        "bạn trai",
        "bạn gái",
        "hà nội",
        "hồ chí minh",
        "sài gòn",
        "đà nẵng",
        "hải phòng",
        "cần thơ",
        "phú thọ",
        "việt trì",
        "ở quê",
    ),
    CONTEXT_WEIGHT,
)

# Words only chit-chat uses: they carry nothing; a query made of them and filler is no search.
CHAT_WORDS = (
    "xin chào",
    "chào",
    "chào bot",
    "chào bạn",
    "chào em",
    "chào anh",
    "chào chị",
    "chào ad",
    "chào admin",
    "chào buổi sáng",
    "hôm qua",
    "tối qua",
    "hôm nay",
    "ngày mai",
    "hello",
    "hi",
    "alo",
    "cảm ơn",
    "cám ơn",
    "thanks",
    "thank",
    "bye",
    "tạm biệt",
    "haha",
    "hihi",
    "hehe",
    "lol",
    "yêu",
    "ghét",
    "buồn",
    "vui",
    "đói",
    "no",
    "ăn",
    "uống",
    "ngủ",
    "thời tiết",
    "bóng đá",
    "xổ số",
    "giá vàng",
    "mưa",
    "nắng",
    "đẹp",
    "xấu",
    "khỏe",
    "trời",
    "bot",
    "robot",
    "game",
    "phim",
    "nhạc",
    "hát",
    "bóng đá",
    "đá bóng",
    "chơi",
    "test",
    "thử",
    "chuyện cười",
    "kể chuyện",
    "ngon",
    "chúc mừng",
    "năm mới",
    "tên gì",
    "tên là gì",
    "bạn tên",
    "tên bạn",
    "mấy tuổi",
    "bao nhiêu tuổi",
    "là ai",
    "đội tuyển",
    "ngu",
    "dốt",
    "điên",
    "khùng",
    "ngốc",
    "vô dụng",
    "người yêu",
    "đẹp trai",
    "xinh",
)

# Particles that stay filler even typed without accents (other filler words typed without
# accents may be a catalogue word: "the" is "thế" or "thẻ", "can" is "cần" or "căn").
BARE_FILLER = frozenset(
    _words(
        "thi la ma gi a oi nhe nha vay nhi ha roi khong ko k em e anh minh toi hoi muon "
        "duoc nao lam ve den xin"
    )
)

# Actions a citizen rarely means unless saying so (ending, renewing, changing something):
# names starting with them lose a little when the query does not ask for them
# ("đăng ký tàu cá" is not "xóa đăng ký tàu cá", "cấp thẻ căn cước" is not "cấp đổi").
SECONDARY_ACTIONS = (
    "xóa",
    "thu hồi",
    "hủy",
    "chấm dứt",
    "tạm ngừng",
    "dừng",
    "khóa",
    "giải thể",
    "thôi",
    "đình chỉ",
    "trình báo mất",
    "miễn",
    "hủy bỏ",
    "bãi bỏ",
    "đăng ký lại",
    "cấp lại",
    "đổi",
    "gia hạn",
    "điều chỉnh",
    "bổ sung",
    "sửa đổi",
    "thay đổi",
    "sửa chữa",
    "cải tạo",
    "di dời",
    "liên thông",
)


# --- helpers ---------------------------------------------------------------------------------


def _syllables(text: str) -> list[Syllable]:
    """(fold key, tone key, accented) of every word of ``text``."""
    return textnorm.syllables(text)


def _index_phrases(phrases: Sequence[str]) -> dict[str, list[list[Syllable]]]:
    """Phrases by the fold of their first word, longest first."""
    out: dict[str, list[list[Syllable]]] = {}
    for p in phrases:
        syl = _syllables(p)
        if syl:
            out.setdefault(syl[0][0], []).append(syl)
    for lst in out.values():
        lst.sort(key=len, reverse=True)
    return out
