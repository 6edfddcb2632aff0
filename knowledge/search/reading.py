"""Reading a message the way a clerk would: the clause that asks, what it asks, and whether a
procedure can answer it at all.

Citizens write two to six sentences: a story first ("Năm 2019 tôi mua xe của anh A…"), the
question last ("…cho tôi hỏi thủ tục sang tên thế nào?"). :func:`read` splits the message into
sentences, finds the asking clause (the last sentence that asks, from its "cho tôi hỏi",
"muốn", "phải làm gì" on) and keeps the rest as the story, which the ranking weighs down. It
also names the aspect asked (:data:`ASPECTS`: how long, how much, which papers, where, online,
by post) and counts the cues of a message no procedure answers (:data:`REFER_CUES`: a fine, a
dispute, legal advice, a dossier already filed, a complaint about a person). The cue lists are
tuning data, written without accents (matched on fold keys, word-bounded).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge import textnorm

# --- cue lists (fold keys, matched on whole words) --------------------------------------------

# where the asking part of a sentence starts ("..., vậy cho tôi hỏi thủ tục ...")
ASK_LEADS = (
    "cho toi hoi",
    "cho em hoi",
    "cho minh hoi",
    "cho chau hoi",
    "cho con hoi",
    "cho hoi",
    "xin hoi",
    "toi muon hoi",
    "em muon hoi",
    "xin tu van",
    "nho tu van",
    "mong tu van",
    "vay thi",
    "vay toi",
    "vay em",
    "nay toi muon",
    "nay em muon",
    "nay toi can",
    "bay gio toi muon",
    "gio toi muon",
    "toi muon",
    "em muon",
    "minh muon",
    "toi can",
    "em can",
    "toi phai lam",
    "em phai lam",
    "phai lam gi",
    "can lam gi",
    "lam the nao de",
    "lam sao de",
)

# a sentence that asks (besides ending in "?")
ASK_CUES = (
    *ASK_LEADS,
    "hoi",
    "the nao",
    "nhu the nao",
    "ra sao",
    "lam sao",
    "bao lau",
    "bao nhieu",
    "o dau",
    "gi khong",
    "duoc khong",
    "khong a",
    "can nhung gi",
    "giay to gi",
    "ho so gi",
    "nhu nao",
    "huong dan",
)

# sentences that only close a message
CLOSINGS = (
    "xin cam on",
    "cam on",
    "xin chan thanh cam on",
    "mong luat su tu van",
    "mong duoc tu van",
    "mong duoc giai dap",
    "mong quy co quan",
    "rat mong",
    "tran trong",
    "xin cho biet",
)

# the aspect asked, by the phrases that ask it (first found in the asking clause wins)
ASPECTS: dict[str, tuple[str, ...]] = {
    "time": (
        "bao lau",
        "may ngay",
        "bao nhieu ngay",
        "may thang",
        "thoi gian giai quyet",
        "thoi han giai quyet",
        "thoi gian lam",
        "thoi gian xu ly",
        "thoi gian cap",
        "bao gio co",
        "bao gio thi co",
        "khi nao co",
        "khi nao thi co",
        "khi nao duoc",
        "lau khong",
        "het may",
        "mat may",
        "trong thoi han bao",
    ),
    "fee": (
        "bao nhieu tien",
        "le phi",
        "phi bao nhieu",
        "chi phi",
        "ton bao nhieu",
        "het bao nhieu",
        "mat bao nhieu",
        "mat phi",
        "mat tien",
        "nop phi",
        "muc phi",
        "phi la",
        "tien phi",
        "mien phi",
        "co ton phi",
        "ton phi",
        "ton tien",
        "gia bao nhieu",
    ),
    "documents": (
        "giay to gi",
        "giay to nao",
        "giay to can",
        "can giay to",
        "can nhung giay",
        "can nhung gi",
        "can chuan bi",
        "chuan bi gi",
        "chuan bi nhung",
        "ho so gom",
        "ho so gi",
        "ho so can",
        "ho so nhu the nao",
        "ho so the nao",
        "ho so ra sao",
        "thanh phan ho so",
        "bo ho so",
        "mang theo gi",
        "mang theo nhung",
        "can mang",
        "mau don",
        "mau to khai",
        "to khai mau",
    ),
    "place": (
        "o dau",
        "tai dau",
        "noi nao",
        "co quan nao",
        "cho nao",
        "di dau",
        "nop o",
        "lam o",
        "nop tai",
        "lam tai dau",
        "can bo nao",
        "dia chi",
        "tham quyen",
    ),
    "online": (
        "online",
        "onl",
        "truc tuyen",
        "qua mang",
        "tren mang",
        "dich vu cong",
        "vneid",
        "qua app",
        "ung dung",
        "tren cong",
        "qua internet",
        "tai nha",
    ),
    "postal": (
        "buu dien",
        "buu chinh",
        "duong buu",
        "chuyen phat",
        "gui qua buu",
        "gui ve nha",
        "tra ve nha",
    ),
}

# cues of a message no procedure answers, by kind
REFER_CUES: dict[str, tuple[str, ...]] = {
    "fine": (
        "muc phat",
        "bi phat",
        "xu phat",
        "phat bao nhieu",
        "phat tien",
        "phat hanh chinh",
        "nop phat",
        "bien ban vi pham",
        "lap bien ban",
        "phat nguoi",
        "bi xu ly",
        "xu ly vi pham",
        "tuoc bang",
        "tuoc giay phep",
        "tam giu xe",
        "bi giu xe",
        "khong doi mu",
        "nong do con",
        "vuot den do",
        "phat khong",
    ),
    "dispute": (
        "tranh chap",
        "khoi kien",
        "kien ra toa",
        "kien doi",
        "kien len",
        "ra toa",
        "toa an",
        "chia di san",
        "chia tai san",
        "phan chia",
        "doi no",
        "vo no",
        "quit no",
        "khong tra no",
        "cho vay",
        "lan chiem",
        "lan dat",
        "ranh gioi",
        "chiem dung",
        "boi thuong thiet hai",
        "sa thai",
        "no luong",
        "cham luong",
        "cho thoi viec",
        "don phuong cham dut",
        "khong chiu tra",
        "doi lai",
        "hang xom",
        "ly hon",
        "gianh quyen nuoi",
        "quyen nuoi con",
        "cap duong",
    ),
    "legal_advice": (
        "co dung luat",
        "dung luat khong",
        "dung quy dinh khong",
        "co dung khong",
        "co hop phap",
        "co vi pham",
        "vi pham phap luat",
        "trai luat",
        "trai phap luat",
        "co duoc huong",
        "duoc huong nhung",
        "duoc huong gi",
        "duoc huong bao nhieu",
        "co quyen",
        "co phai chiu",
        "phai chiu trach nhiem",
        "trach nhiem hinh su",
        "hinh su",
        "toi gi",
        "ngoi tu",
        "an treo",
        "bi bat",
        "co bi",
        "xu ly the nao",
        "giai quyet the nao",
        "phai lam sao",
        "co phai boi thuong",
        "co duoc khong",
        "duoc tinh",
        "cach tinh",
        "tinh the nao",
        "luong huu",
        "che do",
        "thua ke",
        "di chuc",
        "hop dong lao dong",
        "quy dinh the nao",
        "quy dinh nhu the nao",
        "phap luat quy dinh",
        "luat quy dinh",
    ),
    "dossier_status": (
        "da nop ho so",
        "nop ho so tu",
        "nop ho so tai",
        "nop ho so duoc",
        "chua co ket qua",
        "chua nhan duoc",
        "chua duoc giai quyet",
        "chua giai quyet",
        "qua han",
        "tre hen",
        "ho so cua toi",
        "ho so cua em",
        "tinh trang ho so",
        "tra cuu ho so",
        "den nay van chua",
        "van chua",
        "cham tre",
        "khong tra loi",
        "hen tra",
        "giay hen",
        "lau nhu vay",
    ),
    "complaint_person": (
        "thai do",
        "hach dich",
        "nhung nhieu",
        "gay kho de",
        "gay kho khan",
        "doi tien",
        "boi doi",
        "quat thao",
        "to cao",
        "lam kho",
        "bao ke",
        "coi thuong",
        "lam sai",
        "tham nhung",
    ),
}

# cues that settle it: a message with them is referred whatever the ranking found
REFER_SURE: dict[str, tuple[str, ...]] = {
    "fine": ("muc phat", "phat bao nhieu", "bi phat bao nhieu", "xu phat bao nhieu"),
    # a dossier already filed and still waiting: two of these together
    "dossier_status": (
        "da nop ho so",
        "nop ho so tu",
        "chua co ket qua",
        "van chua co",
        "chua nhan duoc",
        "den nay van chua",
        "ho so cua toi dang",
        "tinh trang ho so",
        "tra cuu ho so",
        "qua han",
        "tre hen",
    ),
}
SURE_COUNT = {"fine": 1, "dossier_status": 2}

# cues that someone wants to carry out a procedure
INTENT_CUES = (
    "thu tuc",
    "ho so",
    "giay to",
    "lam lai",
    "xin cap",
    "cap lai",
    "cap doi",
    "xin giay",
    "dang ky",
    "lam giay",
    "lam so",
    "lam the",
    "lam ho chieu",
    "nop o dau",
    "le phi",
    "mau don",
    "to khai",
    "muon lam",
    "can lam gi",
    "phai lam gi",
    "co can",
    "xin phep",
    "giay phep",
    "sang ten",
    "chung thuc",
    "cong chung",
    "trich luc",
    "xac nhan",
)

REFER_KINDS = tuple(REFER_CUES)

_SENTENCE = re.compile(r"[^.?!;…\n]+[.?!;…\n]*")
_MAX_ASK_WORDS = 45
_MIN_ASK_WORDS = 6  # an asking part shorter than this keeps the whole sentence


def phrases(items: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of ``items`` (keyed like :func:`knowledge.textnorm.key`) as
    whole words in a fold-keyed text."""
    alts = sorted({textnorm.key(i) for i in items}, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in alts)
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])")


_ASK_LEAD = phrases(ASK_LEADS)
_ASK_CUE = phrases(ASK_CUES)
_CLOSING = phrases(CLOSINGS)
_ASPECT = {name: phrases(items) for name, items in ASPECTS.items()}
_REFER = {name: phrases(items) for name, items in REFER_CUES.items()}
_INTENT = phrases(INTENT_CUES)
_SURE = {name: phrases(items) for name, items in REFER_SURE.items()}


@dataclass(frozen=True, slots=True)
class Reading:
    """A message read as a clerk would: the asking clause, the story, what is asked."""

    ask: str  # the clause that asks (the whole message when it is one clause)
    story: str  # what comes before it ("" when nothing does)
    asks: str | None  # "time" | "fee" | "documents" | "place" | "online" | "postal" | None
    refer: dict[str, float] = field(default_factory=dict)  # cue counts per kind
    intent: float = 0.0  # cues of wanting to carry out a procedure
    sentences: int = 1
    words: int = 0  # words in the message
    sure: str | None = None  # a refer kind its cues settle (REFER_SURE), or None

    @property
    def refer_kind(self) -> str | None:
        """The kind of out-of-scope message its cues point to most (None: no cue)."""
        if not self.refer:
            return None
        return max(self.refer, key=lambda k: (self.refer[k], -REFER_KINDS.index(k)))


def _key(text: str) -> str:
    return textnorm.key(text)


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text))


def read(message: str) -> Reading:
    """Read ``message``: its asking clause, its story, the aspect asked and its refer cues."""
    text = unicodedata.normalize("NFC", message or "").strip()
    pieces = [m.group(0).strip() for m in _SENTENCE.finditer(text)]
    pieces = [p for p in pieces if textnorm.words(p)]
    if not pieces:
        return Reading("", "", None)
    keys = [_key(p) for p in pieces]
    # drop closing formulas at the end ("Xin cảm ơn!", "Mong luật sư tư vấn giúp.")
    end = len(pieces)
    while end > 1 and _is_closing(keys[end - 1]):
        end -= 1
    asking = [i for i in range(end) if pieces[i].endswith("?") or _ASK_CUE.search(keys[i])]
    last = asking[-1] if asking else end - 1
    first = last
    # a run of asking sentences ends the message: "Thủ tục thế nào? Mất bao lâu?"
    while (
        first > 0
        and first - 1 in asking
        and len(" ".join(keys[first - 1 : last + 1]).split()) <= _MAX_ASK_WORDS
    ):
        first -= 1
    ask_pieces = pieces[first : last + 1]
    story_pieces = pieces[:first]
    # inside the first asking sentence, the ask starts at its lead ("..., cho tôi hỏi ...")
    head = ask_pieces[0]
    cut = _lead_cut(head)
    if cut > 0:
        story_pieces = [*story_pieces, head[:cut].strip()]
        ask_pieces = [head[cut:].strip(), *ask_pieces[1:]]
    ask = " ".join(ask_pieces)
    story = " ".join(p for p in story_pieces if p)
    ask_key = _key(ask)
    story_key = _key(story)
    whole_key = _key(" ".join(pieces[:end]))
    refer: dict[str, float] = {}
    for kind, pattern in _REFER.items():
        n = _count(pattern, ask_key) + 0.5 * _count(pattern, story_key)
        if n:
            refer[kind] = float(n)
    return Reading(
        ask=ask,
        story=story,
        asks=_aspect(ask_key) or (_aspect(whole_key) if len(pieces) == 1 else None),
        refer=refer,
        intent=float(_count(_INTENT, ask_key)) + 0.5 * _count(_INTENT, story_key),
        sentences=end,
        words=len(whole_key.split()),
        sure=next(
            (
                kind
                for kind, pattern in _SURE.items()
                if len(set(pattern.findall(ask_key if kind == "fine" else whole_key)))
                >= SURE_COUNT[kind]
            ),
            None,
        ),
    )


def _is_closing(key: str) -> bool:
    m = _CLOSING.search(key)
    return m is not None and len(key.split()) <= 12 and not _ASPECT_ANY.search(key)


def _lead_cut(sentence: str) -> int:
    """Character offset in ``sentence`` where its asking part starts (0: at the start)."""
    folded = textnorm.fold(sentence.casefold())
    if len(folded) != len(sentence):
        return 0
    # word-bounded search on the folded text (i/y not unified here: leads have no such word)
    m = _ASK_LEAD.search(re.sub(r"[^a-z0-9]", " ", folded))
    if m is None or m.start() == 0:
        return 0
    before = textnorm.words(sentence[: m.start()])
    after = textnorm.words(sentence[m.start() :])
    return m.start() if len(before) >= 4 and len(after) >= _MIN_ASK_WORDS else 0


def aspect(message: str) -> str | None:
    """The aspect a short message asks about (see :data:`ASPECTS`), or None."""
    return _aspect(_key(message))


def _aspect(key: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in _ASPECT.items():
        m = pattern.search(key)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


_ASPECT_ANY = phrases(tuple(p for items in ASPECTS.values() for p in items))
