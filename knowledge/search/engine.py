"""Procedure search: a citizen's words in, the right administrative procedure out.

Pipeline (built once; a query only reads in-memory structures, never scans raw text):

1. Normalise (:mod:`knowledge.textnorm`): NFC/NFD, case, punctuation, ``đ``, tone placement,
   i/y spelling, Telex/VNI residue and glued syllables (both checked against the catalogue
   vocabulary).
2. Aliases from ``knowledge/data/aliases.csv``: a row with an expansion rewrites the query into
   an extra *variant* (``sổ đỏ`` → ``giấy chứng nhận quyền sử dụng đất``); a row with codes is
   an extra name of those procedures; abbreviations are also expanded inside catalogue names.
3. Every query word is weighed by its rarity in the catalogue (IDF); question words,
   politeness and filler (``cho em hỏi``, ``cần những gì``, ``ạ``) are dropped or weighed down,
   and chit-chat words carry nothing.
4. Retrieval: inverted indexes of syllables (folded and tone-keyed) and syllable pairs score
   every name with numpy vector adds: query coverage, name coverage, pair coverage, plus small
   priors (local level, no unasked "xóa/thu hồi/chấm dứt").
5. Re-rank the best names with rapidfuzz (one batched ``cdist``) and phrase/prefix features,
   fold names to procedures, keep level-only duplicates behind distinct procedures.
6. A calibrated score in [0, 1] and a decision: ``card`` (one clear match), ``list`` (several
   close ones), ``none`` (nothing relevant enough: greetings, chit-chat, gibberish).
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from knowledge import DATA_DIR, textnorm
from knowledge.catalogue.models import POSTAL, Procedure

DEFAULT_ALIASES = DATA_DIR / "aliases.csv"

DECISIONS = ("card", "list", "none")
MAX_QUERY_CHARS = 1000  # longer input is cut: nobody describes a procedure in more
MAX_QUERY_WORDS = 60
MAX_VARIANTS = 6
CANDIDATES = 200  # names scored on every feature per query variant
TOP_K = 30  # names re-ranked with rapidfuzz per query variant
ALIAS_WORD_WEIGHT = 5.0  # weight an alias expansion carries per word it replaces
LONG_EXPANSION = 4  # words from which an expansion shares its weight equally and saturates
ALIAS_SATURATION = 0.6  # share of an alias expansion a name must match to get all of it
UNKNOWN_WORD_WEIGHT = 5.0  # weight of a content word no catalogue name uses
SECONDARY_PENALTY = 0.08  # a name starting with an action the query did not ask for
NAME_COVERAGE_WEIGHT = 0.22  # weight of the share of a name the query covers
PREFIX_BONUS = 0.08  # the query is the beginning of the name (at least three words)
CLAUSE_PENALTY = -0.04  # one clause of a long name matches too easily
ALIAS_CODE_STEP = 0.02  # an alias naming several procedures prefers the first listed
GLUE_PAIR_BONUS = 6.0  # a glued word splits where the catalogue has the pair side by side
COMPOUND_SHARE = 0.85  # a word bound to its partners in this share of the names that use it
COMPOUND_PARTNERS = 2  # how many partners such a word may have
COMPOUND_LONE = 0.35  # weight of such a word met without its partner
HEAD_BONUS = 0.04  # the first three words of the name appear together in the query
ACCENT_MISMATCH = 0.35  # credit for a word whose accents differ from the ones typed
ALIAS_PHRASE_BONUS = 0.06  # the whole alias phrase appears, in order, in the query

_CODE_RE = re.compile(r"(?<![\d.])(\d)\s*\.\s*(\d{6})(?:\.\d{3}\.\d{2}\.\d{2}\.[a-z]\d{2})?(?!\d)")
_DIGITS_WORD = re.compile(r"^(\d+)(\D{2,})$")
_LEVEL_NOTE = re.compile(
    r"\((?:thuc hien )?(?:tai |o )?cap (?:tinh|tinh|bo|xa|tw|trung uong|huyen|dia phuong)[^)]*\)"
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]
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
    "tờ khai",
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
        0.08,
    ),
    **dict.fromkeys(_words("cho ở tại về vào lên xuống bị mới của trong ngoài giấy việc"), 0.35),
    # time, quantity and counting words of a story ("tháng sau", "hai đứa", "tuần trước")
    **dict.fromkeys(
        _words(
            "tháng tuần ngày năm sau trước hôm qua tới nữa một hai ba bốn năm sáu đứa chiếc "
            "cuối mỗi cả tất cùng chưa"
        ),
        0.3,
    ),
    # people and places a question mentions as context
    **dict.fromkeys(
        _words("vợ chồng con cháu bé cha bố mẹ má xã phường huyện quận tỉnh nhà"), 0.45
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
    0.45,
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
AMBIGUOUS_FILLER_WEIGHT = 0.4
CONTEXT_WEIGHT = 0.45

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


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """One procedure found, with a calibrated score in [0, 1]."""

    code: str
    name: str
    score: float
    procedure: Procedure


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What a search found and how the bot should show it (``decision``)."""

    query: str
    hits: tuple[Hit, ...]
    decision: str  # "card" | "list" | "none"


@dataclass(frozen=True, slots=True)
class Alias:
    """One row of the alias file."""

    alias: str
    expansion: str = ""
    codes: tuple[str, ...] = ()
    kind: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class AliasProblem:
    """A row of the alias file that was skipped, and why."""

    line: int
    reason: str


@dataclass(slots=True)
class _Token:
    fold: str
    tone: str
    accented: bool
    weight: float = 1.0  # multiplier: filler and context words weigh less
    alias: bool = False  # came from an alias expansion
    scale: float = 1.0  # an expansion shares the weight of the words it replaced
    group: int = -1  # the alias expansion this word belongs to


@dataclass(slots=True)
class _Variant:
    tokens: list[_Token]
    alias: bool
    penalty: float = 0.0  # a second-choice expansion starts a little behind


def _copy(t: _Token) -> _Token:
    return _Token(t.fold, t.tone, t.accented, t.weight, t.alias, t.scale, t.group)


@dataclass(slots=True)
class _Candidate:
    proc: int
    score: float
    qcov: float
    ecov: float
    mass: float
    alias: bool
    named: bool = False  # the query holds one of the procedure's aliases, whole


@dataclass(slots=True)
class _Prepared:
    variants: list[_Variant] = field(default_factory=list)
    content: int = 0  # words that can carry a procedure
    secondary: int = 0  # bit mask of SECONDARY_ACTIONS the query asks for


# --- alias file ------------------------------------------------------------------------------


def load_aliases(path: str | Path | None = None) -> tuple[list[Alias], list[AliasProblem]]:
    """Read the alias CSV (``alias,expansion,codes,kind,note``); bad rows come back as problems."""
    source = Path(path) if path is not None else DEFAULT_ALIASES
    aliases: list[Alias] = []
    problems: list[AliasProblem] = []
    if not source.exists():
        return aliases, [AliasProblem(0, f"no alias file at {source.name}")]
    with source.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"alias", "expansion"} - set(reader.fieldnames or ())
        if missing:
            return aliases, [AliasProblem(1, f"missing columns: {', '.join(sorted(missing))}")]
        for row in reader:
            line = reader.line_num
            alias = (row.get("alias") or "").strip()
            expansion = (row.get("expansion") or "").strip()
            codes = tuple(c for c in re.split(r"[\s;,|]+", row.get("codes") or "") if c)
            if not alias or alias.startswith("#"):
                continue
            if not textnorm.key(alias):
                problems.append(AliasProblem(line, "alias has no letters or digits"))
                continue
            if not expansion and not codes:
                problems.append(AliasProblem(line, "neither an expansion nor codes"))
                continue
            bad = [c for c in codes if not re.fullmatch(r"\d\.\d{6}", c)]
            if bad:
                problems.append(AliasProblem(line, f"not a national code: {', '.join(bad)}"))
                continue
            kind = (row.get("kind") or "").strip()
            aliases.append(Alias(alias, expansion, codes, kind, (row.get("note") or "").strip()))
    return aliases, problems


# --- helpers ------------------------------------------------------------------------------------


def _syllables(text: str) -> list[Syllable]:
    """(fold key, tone key, accented) of every word of ``text``."""
    return textnorm.syllables(text)


def _marked_syllables(text: str) -> list[tuple[str, str, bool]]:
    """(fold key, tone key, inside parentheses) of every word of a catalogue name."""
    if "(" not in text:
        return [(f, t, False) for f, t, _ in _syllables(text)]
    out: list[tuple[str, str, bool]] = []
    depth = 0
    for piece in re.split(r"([()])", text):
        if piece == "(":
            depth += 1
        elif piece == ")":
            depth = max(0, depth - 1)
        else:
            out.extend((w, t, depth > 0) for w, t, _ in _syllables(piece))
    return out


def _same(tok: _Token, syl: Syllable) -> bool:
    """Accent-aware word equality: accents must agree when the query word carries them."""
    return tok.tone == syl[1] if tok.accented and syl[2] else tok.fold == syl[0]


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


def _match_at(toks: list[_Token], i: int, phrase: list[Syllable]) -> bool:
    n = len(phrase)
    return i + n <= len(toks) and all(_same(toks[i + j], phrase[j]) for j in range(n))


def _base_name(name: str) -> str:
    """A name without its level note, to tell level-only duplicates apart."""
    folded = _LEVEL_NOTE.sub(" ", textnorm.fold(name.casefold()))
    key = " ".join(textnorm.word_key(w) for w in re.findall(r"[a-z0-9]+", folded))
    return key.removeprefix("thu tuc ")


# --- the engine ------------------------------------------------------------------------------


class ProcedureSource(Protocol):
    """Anything that holds procedures, like :class:`knowledge.catalogue.Catalogue`."""

    @property
    def procedures(self) -> Sequence[Procedure]:
        """The procedures to search."""
        ...


class SearchEngine:
    """In-memory search over a catalogue (anything with ``.procedures``) or a procedure list."""

    def __init__(
        self,
        catalogue: ProcedureSource | Sequence[Procedure],
        aliases_path: str | Path | None = None,
    ) -> None:
        procs = catalogue if isinstance(catalogue, Sequence) else catalogue.procedures
        self.procedures: tuple[Procedure, ...] = tuple(procs)
        self._by_code = {p.code: i for i, p in enumerate(self.procedures)}
        self.aliases, self.alias_problems = load_aliases(aliases_path)
        self.unknown_alias_codes: list[str] = []
        self._build()

    # -- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        entry_proc: list[int] = []
        entry_syl: list[list[tuple[str, str, bool]]] = []
        entry_bonus: list[float] = []
        entry_alias: list[bool] = []

        def add(
            proc: int,
            text: str,
            bonus: float = 0.0,
            alias: bool = False,
            syl: list[tuple[str, str, bool]] | None = None,
        ) -> None:
            if syl is None:
                syl = _marked_syllables(text)
            if syl:
                entry_proc.append(proc)
                entry_syl.append(syl)
                entry_bonus.append(bonus)
                entry_alias.append(alias)

        alias_syl = [(_syllables(a.alias), _syllables(a.expansion)) for a in self.aliases]
        abbr: dict[str, list[Syllable]] = {}
        for a, (key_syl, exp_syl) in zip(self.aliases, alias_syl, strict=True):
            if a.kind == "abbr" and exp_syl and len(key_syl) == 1:
                abbr[key_syl[0][0]] = exp_syl
        for i, p in enumerate(self.procedures):
            add(i, p.name)
            clauses = _top_level_clauses(p.name) if (";" in p.name or "\n" in p.name) else []
            if len(clauses) > 1:
                for clause in clauses:
                    if len(clause.split()) >= 3:
                        add(i, clause, CLAUSE_PENALTY)
            for kw in p.keywords:
                add(i, kw)
        for a, (key_syl, _) in zip(self.aliases, alias_syl, strict=True):
            marked = [(f, t, False) for f, t, _ in key_syl]
            for rank, code in enumerate(a.codes):
                idx = self._by_code.get(code)
                if idx is None:
                    self.unknown_alias_codes.append(code)
                else:  # codes are listed most likely first
                    add(idx, a.alias, -ALIAS_CODE_STEP * rank, alias=True, syl=marked)
        # names that use abbreviations get a spelled-out twin ("BHXH" -> "bảo hiểm xã hội")
        for e in range(len(entry_proc)):
            if abbr.keys().isdisjoint([x[0] for x in entry_syl[e]]):
                continue
            twin: list[tuple[str, str, bool]] = []
            for x in entry_syl[e]:
                exp = abbr.get(x[0])
                if exp is None:
                    twin.append(x)
                else:
                    twin.extend((f, t, x[2]) for f, t, _ in exp)
            entry_proc.append(entry_proc[e])
            entry_syl.append(twin)
            entry_bonus.append(entry_bonus[e])
            entry_alias.append(entry_alias[e])

        # postings, built as flat (term, name) pairs then grouped by term in one sort:
        # fold -> names (with the word's weight in that name: 0.3 inside parentheses),
        # tone key -> names, consecutive fold pairs -> names
        n = len(entry_proc)
        self.n_entries = n
        lengths = np.fromiter((len(syl) for syl in entry_syl), dtype=np.int64, count=n)
        flat = [x for syl in entry_syl for x in syl]
        fold_ids: dict[str, int] = {}
        tone_ids: dict[str, int] = {}
        fid = np.fromiter(
            (fold_ids.setdefault(x[0], len(fold_ids)) for x in flat), np.int64, len(flat)
        )
        tid = np.fromiter(
            (tone_ids.setdefault(x[1], len(tone_ids)) for x in flat), np.int64, len(flat)
        )
        paren = np.fromiter((x[2] for x in flat), bool, len(flat))
        ent = np.repeat(np.arange(n, dtype=np.int64), lengths)
        weight = np.where(paren, 0.3, 1.0)
        n_folds, n_tones = max(1, len(fold_ids)), max(1, len(tone_ids))
        u_entry, u_term, u_weight = _unique_max(ent, fid, weight, n_folds)
        t_entry, t_term, t_weight = _unique_max(ent, tid, weight, n_tones)
        # consecutive words of one name
        same = ent[:-1] == ent[1:]
        pair_mask = same & (fid[:-1] != fid[1:])
        pair_keys = fid[:-1][pair_mask] * n_folds + fid[1:][pair_mask]
        uniq_pairs, pair_of = np.unique(pair_keys, return_inverse=True)
        pair_ids: dict[tuple[int, int], int] = {
            (k // n_folds, k % n_folds): i for i, k in enumerate(uniq_pairs.tolist())
        }
        pair_w = np.where(paren[:-1] & paren[1:], 0.3, 1.0)[pair_mask]
        b_entry, b_term, b_weight = _unique_max(
            ent[:-1][pair_mask], pair_of.astype(np.int64), pair_w, max(1, len(uniq_pairs))
        )
        ends = np.cumsum(lengths).tolist()
        starts = [0, *ends[:-1]]
        folds_all = [x[0] for x in flat]
        tokens = [folds_all[a:b] for a, b in zip(starts, ends, strict=True)]
        texts = [" ".join(folds) for folds in tokens]

        n_procs = max(1, len(self.procedures))
        proc_arr = np.asarray(entry_proc, dtype=np.int64)
        ut, ue = u_term, u_entry
        # document frequency counts procedures, not names
        pairs_pt = np.unique(proc_arr[ue] * n_folds + ut)
        df_arr = np.bincount(pairs_pt % n_folds, minlength=len(fold_ids))
        idf_arr = np.log(1.0 + (n_procs - df_arr + 0.5) / (df_arr + 0.5))
        folds_list = list(fold_ids)
        self._idf = dict(zip(folds_list, idf_arr.tolist(), strict=True))
        # a word no name uses weighs like a rare one, not like the rarest possible
        self._unknown_idf = UNKNOWN_WORD_WEIGHT
        uw = u_weight
        self._uni = _Postings(fold_ids, ut, ue, uw)
        self._tone = _Postings(tone_ids, t_term, t_entry, t_weight)
        self._entry_alias = np.asarray(entry_alias, dtype=bool)
        self._entry_pairs = np.bincount(b_entry, minlength=n).astype(np.float64)
        self._bi = _Postings(pair_ids, b_term, b_entry, b_weight)
        # words that (almost) only occur inside one compound ("yếu" in "yếu tố"): alone in a
        # query they are likely another sense ("già yếu"); read on tone keys, so "yêu cầu"
        # does not hide that "yếu" only comes in "yếu tố"
        tones_list = list(tone_ids)
        tone_keys = tid[:-1][same] * n_tones + tid[1:][same]
        uniq_tone_pairs, pair_counts = np.unique(tone_keys, return_counts=True)
        self._tone_ids = tone_ids
        self._tone_pair_keys: set[int] = set(uniq_tone_pairs.tolist())
        self._n_tones = n_tones
        occurrences = np.bincount(t_term, minlength=n_tones)
        side_tid = np.concatenate((uniq_tone_pairs // n_tones, uniq_tone_pairs % n_tones))
        side_count = np.concatenate((pair_counts, pair_counts))
        order = np.lexsort((-side_count, side_tid))
        side_tid, side_count = side_tid[order], side_count[order]
        starts_tid = np.ones(side_tid.size, dtype=bool)
        starts_tid[1:] = side_tid[1:] != side_tid[:-1]
        partner_rank = np.arange(side_tid.size) - np.maximum.accumulate(
            np.where(starts_tid, np.arange(side_tid.size), 0)
        )
        top_sum = np.bincount(
            side_tid[partner_rank < COMPOUND_PARTNERS],
            weights=side_count[partner_rank < COMPOUND_PARTNERS],
            minlength=n_tones,
        )
        bound = (occurrences >= 3) & (top_sum >= COMPOUND_SHARE * occurrences)
        self._bound: set[str] = {tones_list[i] for i in np.flatnonzero(bound).tolist()}
        self._fold_ids = fold_ids
        entry_weight = np.bincount(ue, weights=idf_arr[ut] * uw, minlength=n)
        self._entry_weight = np.maximum(entry_weight, 1e-9)
        self._inv_entry_weight = 1.0 / self._entry_weight
        self._entry_proc = np.asarray(entry_proc, dtype=np.int32)
        self._entry_text = texts
        # a name without its "Thủ tục" lead-in, padded for whole-word tests, and its first
        # three words
        self._entry_body: list[str] = []
        self._entry_head: list[str] = []
        for folds in tokens:
            start = 2 if folds[:2] == ["thu", "tuc"] else 0
            self._entry_body.append(" " + " ".join(folds[start:]) + " ")
            head = folds[start : start + 3]
            self._entry_head.append(" ".join(head) if len(head) == 3 else "\x00")

        df = dict(zip(folds_list, df_arr.tolist(), strict=True))
        known: set[str] = set(df)
        for key_syl, exp_syl in alias_syl:
            known.update(x[0] for x in key_syl)
            known.update(x[0] for x in exp_syl)
        for phrase in (
            *FILLER_PHRASES,
            *FILLER_WORDS,
            *CHAT_WORDS,
            *SECONDARY_ACTIONS,
            *CONTEXT_PHRASES,
        ):
            known.update(x[0] for x in _syllables(phrase))
        self._known = known
        self._split_weight = {t: math.log(1.0 + d) for t, d in df.items()}
        # glued words may hold an alias word too ("lamcccd", "rutbhxh")
        self._glue_extra = frozenset(
            key_syl[0][0]
            for key_syl, _ in alias_syl
            if len(key_syl) == 1 and len(key_syl[0][0]) > 1
        )
        self._pair_ids = pair_ids

        # priors: service-centre levels first; secondary actions the query did not ask for
        prior = np.zeros(len(self.procedures), dtype=np.float64)
        for i, p in enumerate(self.procedures):
            levels = " ".join(p.levels).casefold()
            if "xã" in levels:
                prior[i] = 0.03
            elif "tỉnh" in levels:
                prior[i] = 0.015
            if "Công dân" in p.subjects:
                prior[i] += 0.01
        self._entry_prior = prior[self._entry_proc] + np.asarray(entry_bonus, dtype=np.float64)
        self._secondary_by_first: dict[str, list[tuple[int, list[str]]]] = {}
        for b, action in enumerate(SECONDARY_ACTIONS):
            folds_a = [f for f, _, _ in _syllables(action)]
            self._secondary_by_first.setdefault(folds_a[0], []).append((b, folds_a))
        # a procedure's secondary action is read from its official name, and holds for all
        # its names (an alias "khai sinh lại" is still "đăng ký lại khai sinh")
        proc_mask = np.zeros(len(self.procedures), dtype=np.int64)
        for e, folds in enumerate(tokens):
            if not entry_alias[e]:
                start = 2 if folds[:2] == ["thu", "tuc"] else 0
                proc_mask[entry_proc[e]] |= self._secondary_mask(folds[start : start + 8])
        self._entry_neg = proc_mask[self._entry_proc]

        # level-only duplicates share a group
        groups: dict[str, int] = {}
        first_entry: dict[int, int] = {}
        for e, proc in enumerate(entry_proc):
            first_entry.setdefault(proc, e)
        self._group = []
        for i, p in enumerate(self.procedures):
            if "(" in p.name or i not in first_entry:
                base = _base_name(p.name)
            else:
                base = texts[first_entry[i]].removeprefix("thu tuc ")
            self._group.append(groups.setdefault(base, len(groups)))

        # typo alternatives: vocabulary words by first letter
        buckets: dict[str, list[str]] = {}
        for t in df:
            if len(t) >= 3 and t.isalpha():
                buckets.setdefault(t[0], []).append(t)
        self._buckets = buckets

        # query rewriting: aliases by the fold of their first word
        rewrite: dict[str, list[tuple[list[Syllable], list[Syllable]]]] = {}
        for key_syl, exp in alias_syl:
            if key_syl and exp and [x[0] for x in exp] != [x[0] for x in key_syl]:
                rewrite.setdefault(key_syl[0][0], []).append((key_syl, exp))
        for lst in rewrite.values():
            lst.sort(key=lambda pair: len(pair[0]), reverse=True)
        self._rewrite = rewrite
        self._filler_phrases = _index_phrases(FILLER_PHRASES)
        self._chat_phrases = _index_phrases(CHAT_WORDS)
        self._context_phrases = _index_phrases(tuple(CONTEXT_PHRASES))
        tones_of: dict[str, set[str]] = {}
        for t in tone_ids:
            tones_of.setdefault(textnorm.word_key(t.rstrip("12345")), set()).add(t)
        self._filler_tone: dict[str, float] = {}
        self._filler_fold: dict[str, float] = {}
        lightest: dict[str, float] = {}
        for w, m in FILLER_WORDS.items():
            f, t, _ = _syllables(w)[0]
            self._filler_tone[t] = m
            self._filler_fold[f] = max(self._filler_fold.get(f, 0.0), m)
            lightest[f] = min(lightest.get(f, 1.0), m)
        for f, m in list(self._filler_fold.items()):
            if f in BARE_FILLER:
                self._filler_fold[f] = lightest[f]
            elif tones_of.get(f, set()) - set(self._filler_tone):
                self._filler_fold[f] = max(m, AMBIGUOUS_FILLER_WEIGHT)
        self._levels = [
            {textnorm.key(lv).removeprefix("cap ") for lv in p.levels} for p in self.procedures
        ]

    # -- normalisation ---------------------------------------------------------------------------

    def normalise(self, query: str) -> str:
        """The fold keys of ``query`` after cleaning, IME decoding and glued-word splitting."""
        return " ".join(t.fold for t in self._tokens(query))

    def _tokens(self, query: str) -> list[_Token]:
        text = textnorm.clean(query[:MAX_QUERY_CHARS])
        out: list[_Token] = []
        words: list[str] = []
        for word in text.split()[:MAX_QUERY_WORDS]:
            m = _DIGITS_WORD.match(word)
            if m and textnorm.word_key(m.group(2)) in self._known:
                words.extend(m.groups())  # "1lan" -> "1 lan", "17tuoi" -> "17 tuoi"
            else:
                words.append(word)
        for word in words:
            k = textnorm.word_key(word)
            if k in self._known or not k.isalnum():
                out.append(_Token(k, textnorm.tone_key(word), textnorm.has_diacritics(word)))
                continue
            if word.isascii():
                decoded = textnorm.decode_ime(word, self._known)
                if decoded is not None:
                    out.append(
                        _Token(textnorm.word_key(decoded), textnorm.tone_key(decoded), True)
                    )
                    continue
            parts = textnorm.split_glued(
                word,
                self._split_weight,
                extra=self._glue_extra,
                pair=self._glue_pair,
            )
            if parts is not None:
                out.extend(
                    _Token(textnorm.word_key(p), textnorm.tone_key(p), textnorm.has_diacritics(p))
                    for p in parts
                )
                continue
            out.append(_Token(k, textnorm.tone_key(word), textnorm.has_diacritics(word)))
        return out

    def _glue_pair(self, a: str, b: str) -> float:
        """Bonus for two neighbouring parts of a glued word that some name has side by side."""
        fa, fb = self._fold_ids.get(a), self._fold_ids.get(b)
        return (
            GLUE_PAIR_BONUS
            if fa is not None and fb is not None and (fa, fb) in self._pair_ids
            else 0.0
        )

    def _prepare(self, query: str) -> _Prepared:
        prep = _Prepared()
        toks = self._drop_fillers(self._tokens(query))
        if not toks:
            return prep
        # alias matches: the longest at each position (overlaps become separate variants)
        matches: list[tuple[int, int, list[list[Syllable]]]] = []
        for i in range(len(toks)):
            found: tuple[int, list[list[Syllable]]] | None = None
            for key_syl, exp in self._rewrite.get(toks[i].fold, ()):
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
        variants = [_Variant(self._weigh([_copy(t) for t in toks]), False)]
        for spans in span_sets:
            if not spans:
                continue
            picks: list[list[int]] = [[0] * len(spans)]
            for s_i, (_, _, exps) in enumerate(spans):
                picks.extend(
                    [0] * s_i + [alt] + [0] * (len(spans) - s_i - 1) for alt in range(1, len(exps))
                )
            for pick in picks:
                if len(variants) >= MAX_VARIANTS:
                    break
                new: list[_Token] = []
                pos = 0
                for g, ((start, end, exps), alt) in enumerate(zip(spans, pick, strict=True)):
                    new.extend(_copy(t) for t in toks[pos:start])
                    new.extend(self._expansion(exps[alt], end - start, g))
                    pos = end
                new.extend(_copy(t) for t in toks[pos:])
                variants.append(_Variant(self._weigh(new), True, 0.03 if any(pick) else 0.0))
        prep.variants = [v for v in variants if any(t.weight > 0 for t in v.tokens)]
        prep.content = max(
            (sum(1 for t in v.tokens if t.weight >= 0.3) for v in prep.variants), default=0
        )
        prep.secondary = self._secondary_mask([t.fold for t in toks])
        return prep

    def _expansion(self, exp: list[Syllable], replaced: int, group: int) -> list[_Token]:
        """Tokens of an alias expansion: together they weigh what the replaced words would.

        The whole weighs :data:`ALIAS_WORD_WEIGHT` per word it replaced, never more than its
        own IDF. A long expansion names one thing, so its words share that weight equally; a
        short one shares it by IDF (in "cấp lại", "lại" says more than "cấp").
        """
        known = list(dict.fromkeys(f for f, _, _ in exp if f in self._idf))
        if not known:
            return [_Token(f, t, a, 1.0, True, 1.0, group) for f, t, a in exp]
        idf_sum = sum(self._idf[f] for f in known)
        total = min(ALIAS_WORD_WEIGHT * max(1, replaced), idf_sum)
        out = []
        for f, t, a in exp:
            if f not in self._idf:
                scale = 1.0
            elif len(known) >= LONG_EXPANSION:
                scale = total / len(known) / self._idf[f]
            else:
                scale = total / idf_sum
            out.append(_Token(f, t, a, 1.0, True, scale, group))
        return out

    def _secondary_mask(self, folds: list[str]) -> int:
        """Bit mask of the secondary actions (:data:`SECONDARY_ACTIONS`) found in ``folds``."""
        mask = 0
        for j, f in enumerate(folds):
            for b, phrase in self._secondary_by_first.get(f, ()):
                if folds[j : j + len(phrase)] == phrase:
                    mask |= 1 << b
        return mask

    def _drop_fillers(self, toks: list[_Token]) -> list[_Token]:
        """Drop filler phrases ("cho em hỏi", "ở đâu") and silence chit-chat words."""
        keep = [True] * len(toks)
        i = 0
        while i < len(toks):
            found: tuple[list[Syllable], bool] | None = None
            for table, drop in ((self._chat_phrases, False), (self._filler_phrases, True)):
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
                        and toks[i].fold in self._idf
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

    def _weigh(self, toks: list[_Token]) -> list[_Token]:
        """Weigh down context phrases, filler and context words (alias and silenced words stay)."""
        i = 0
        while i < len(toks):
            tok = toks[i]
            step = 1
            if not tok.alias and tok.weight > 0.0:
                for phrase in self._context_phrases.get(tok.fold, ()):
                    n = len(phrase)
                    if _match_at(toks, i, phrase) and not any(t.alias for t in toks[i : i + n]):
                        for t in toks[i : i + n]:
                            t.weight = min(t.weight, CONTEXT_WEIGHT)
                        step = n
                        break
                if step == 1 and tok.weight == 1.0:
                    m = (
                        self._filler_tone.get(tok.tone)
                        if tok.accented
                        else self._filler_fold.get(tok.fold)
                    )
                    if m is not None:
                        tok.weight = m
                    elif tok.fold.isdigit():
                        tok.weight = 0.3
            i += step
        return toks

    # -- search ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 5,
        field: str | None = None,
        level: str | None = None,
        same_day: bool | None = None,
        time_cut: bool | None = None,
        postal: bool | None = None,
    ) -> SearchResult:
        """Find the procedures ``query`` is about; ``decision`` says how to present them."""
        if not isinstance(query, str):
            query = "" if query is None else str(query)
        text = query.replace("\x00", " ")
        try:
            limit = max(1, min(int(limit), 50))
        except (TypeError, ValueError):
            limit = 5
        allowed = self._allowed(field, level, same_day, time_cut, postal)

        direct = self._direct_codes(text, allowed)
        if direct:
            hits = tuple(self._hit(i, 1.0) for i in direct[:limit])
            return SearchResult(query, hits, "card" if len(hits) == 1 else "list")

        prep = self._prepare(text)
        if not prep.variants or prep.content == 0:
            return SearchResult(query, (), "none")
        entry_allowed = allowed[self._entry_proc] if allowed is not None else None
        ranked = self._rank(prep, entry_allowed)
        return self._decide(query, ranked, limit)

    def _fuzzy_alternatives(self, word: str) -> list[tuple[str, float]]:
        """Vocabulary words close to an unknown ``word`` (same first letter), with similarity."""
        if len(word) < 4 or not word.isalpha():
            return []
        bucket = self._buckets.get(word[0])
        if not bucket:
            return []
        cutoff = 80.0 if len(word) <= 5 else 75.0
        found = process.extract(word, bucket, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3)
        return [(str(m[0]), (float(m[1]) - 40.0) / 60.0) for m in found]

    def _postings_of(self, tok: _Token) -> list[tuple[IntArray, float, FloatArray]]:
        """Names holding a query word: (names, share of the word's weight, name-side weights).

        A word typed with accents counts :data:`ACCENT_MISMATCH` in names that have it with
        other accents and fully in names that have the same accents; empty when no name has it.
        """
        post = self._uni.get(tok.fold)
        if post is None:
            return []
        ids, pw = post
        idf = self._idf[tok.fold]
        if not tok.accented:
            return [(ids, 1.0, pw * idf)]
        out = [(ids, ACCENT_MISMATCH, pw * (ACCENT_MISMATCH * idf))]
        tone_post = self._tone.get(tok.tone)
        if tone_post is not None:
            share = 1.0 - ACCENT_MISMATCH
            out.append((tone_post[0], share, tone_post[1] * (share * idf)))
        return out

    def _score_variant(
        self,
        variant: _Variant,
        cache: dict[tuple[str, str], list[tuple[IntArray, float, FloatArray]]],
    ) -> tuple[FloatArray, FloatArray, float]:
        """Per name: matched query weight, matched name weight; and the query's total weight.

        Postings are gathered first and summed with one ``bincount``. The words of one long
        alias expansion count together and saturate: a name matching
        :data:`ALIAS_SATURATION` of the expansion gets all of it ("Giấy chứng nhận" is enough
        of "giấy chứng nhận quyền sử dụng đất" when the query said "sổ đỏ").
        """
        n = self.n_entries
        live = [t for t in variant.tokens if t.weight > 0.0]
        sizes: dict[int, int] = {}
        for tok in live:
            if tok.group >= 0:
                sizes[tok.group] = sizes.get(tok.group, 0) + 1
        # (ids, weights) to add, per target: -1 = the query side, g = saturating group g
        q_parts: dict[int, tuple[list[IntArray], list[float]]] = {}
        e_ids: list[IntArray] = []
        e_w: list[FloatArray] = []
        group_total: dict[int, float] = {}
        extra_q: list[FloatArray] = []
        extra_e: list[FloatArray] = []
        q_total = 0.0
        seen: set[tuple[str, int]] = set()
        lone = self._lone_compound_words(live)
        for i, tok in enumerate(live):
            if (tok.fold, tok.group) in seen:
                continue
            seen.add((tok.fold, tok.group))
            key = (tok.fold, tok.tone if tok.accented else "")
            parts = cache.get(key)
            if parts is None:
                parts = cache[key] = self._postings_of(tok)
            if parts:
                idf = self._idf[tok.fold]
                w = idf * tok.weight * tok.scale * (COMPOUND_LONE if i in lone else 1.0)
                q_total += w
                target = -1
                if tok.group >= 0 and sizes.get(tok.group, 0) >= LONG_EXPANSION:
                    target = tok.group
                    group_total[target] = group_total.get(target, 0.0) + w
                ids_list, w_list = q_parts.setdefault(target, ([], []))
                for ids, share, e_weights in parts:
                    ids_list.append(ids)
                    w_list.append(share * w)
                    e_ids.append(ids)
                    e_w.append(e_weights)
                continue
            if tok.weight < 0.3:
                continue  # an unknown filler word: neither evidence nor penalty
            alts = self._fuzzy_alternatives(tok.fold)
            if not alts:
                q_total += self._unknown_idf * tok.weight
                continue
            q_total += max(self._idf[a] for a, _ in alts) * tok.weight
            part_q = np.zeros(n, dtype=np.float64)
            part_e = np.zeros(n, dtype=np.float64)
            for alt, sim in alts:
                found = self._uni.get(alt)
                if found is None:
                    continue
                ids, pw = found
                idf = self._idf[alt]
                np.maximum.at(part_q, ids, idf * tok.weight * sim)
                np.maximum.at(part_e, ids, idf * pw * sim)
            extra_q.append(part_q)
            extra_e.append(part_e)
        acc_q = np.zeros(n, dtype=np.float64)
        for target, (ids_list, w_list) in q_parts.items():
            weights = np.repeat(np.asarray(w_list), [a.size for a in ids_list])
            summed = np.bincount(np.concatenate(ids_list), weights=weights, minlength=n)
            if target < 0:
                acc_q += summed
            else:  # a long expansion: its head is enough
                cap = ALIAS_SATURATION * group_total[target]
                acc_q += np.minimum(summed, cap) / ALIAS_SATURATION
        acc_e: FloatArray = np.zeros(n, dtype=np.float64)
        if e_ids:
            acc_e += np.bincount(np.concatenate(e_ids), weights=np.concatenate(e_w), minlength=n)
        for part in extra_q:
            acc_q += part
        for part in extra_e:
            acc_e += part
        return acc_q, acc_e, q_total

    def _lone_compound_words(self, live: list[_Token]) -> set[int]:
        """Positions of accented words that only live in compounds, met outside all of them."""
        out: set[int] = set()
        ids = self._tone_ids
        for i, tok in enumerate(live):
            if not tok.accented or tok.alias or tok.tone not in self._bound:
                continue
            me = ids[tok.tone]
            left = ids.get(live[i - 1].tone, -1) if i > 0 else -1
            right = ids.get(live[i + 1].tone, -1) if i + 1 < len(live) else -1
            keys = self._tone_pair_keys
            if (left < 0 or left * self._n_tones + me not in keys) and (
                right < 0 or me * self._n_tones + right not in keys
            ):
                out.add(i)
        return out

    def _rank(self, prep: _Prepared, allowed: BoolArray | None) -> list[_Candidate]:
        best: dict[int, _Candidate] = {}
        cache: dict[tuple[str, str], list[tuple[IntArray, float, FloatArray]]] = {}
        for variant in prep.variants:
            asked = self._secondary_mask([t.fold for t in variant.tokens]) | prep.secondary
            acc_q, acc_e, q_total = self._score_variant(variant, cache)
            if q_total <= 0.0:
                continue
            # consecutive pairs: content pairs for the query's coverage, every pair (filler too)
            # for whether an alias phrase appears as written
            p_ids: list[IntArray] = []
            b_ids: list[IntArray] = []
            b_w: list[FloatArray] = []
            n_pairs = 0
            seen_pairs: set[tuple[int, int]] = set()
            live = [t for t in variant.tokens if t.weight > 0.0]
            for a, b in itertools.pairwise(live):
                fa, fb = self._fold_ids.get(a.fold), self._fold_ids.get(b.fold)
                if fa is None or fb is None or fa == fb or (fa, fb) in seen_pairs:
                    continue
                seen_pairs.add((fa, fb))
                content_pair = a.weight >= 0.3 and b.weight >= 0.3
                n_pairs += content_pair
                post = self._bi.get((fa, fb))
                if post is not None:
                    p_ids.append(post[0])
                    if content_pair:
                        b_ids.append(post[0])
                        b_w.append(post[1])
            n = self.n_entries
            acc_p = (
                np.bincount(np.concatenate(p_ids), minlength=n).astype(np.float64)
                if p_ids
                else np.zeros(n)
            )
            acc_b = (
                np.bincount(np.concatenate(b_ids), weights=np.concatenate(b_w), minlength=n)
                if b_ids
                else np.zeros(n)
            )
            # candidates: the names best covered, cheaply; the other features only for them
            hit = np.flatnonzero(acc_q > 0.0)
            if allowed is not None:
                hit = hit[allowed[hit]]
            if hit.size == 0:
                continue
            pre = acc_q[hit] * (1.0 / q_total) + 0.4 * acc_e[hit] * self._inv_entry_weight[hit]
            if hit.size > CANDIDATES:
                cand = hit[np.argpartition(-pre, CANDIDATES - 1)[:CANDIDATES]]
            else:
                cand = hit
            qcov = acc_q[cand] / q_total
            ecov = np.minimum(acc_e[cand] * self._inv_entry_weight[cand], 1.0)
            bcov = acc_b[cand] / n_pairs if n_pairs else np.zeros(cand.size)
            # an alias is a phrase: its words must come in its order to count fully
            pairs_in_name = self._entry_pairs[cand]
            phrase = np.where(
                pairs_in_name > 0,
                np.minimum(acc_p[cand] / np.maximum(pairs_in_name, 1.0), 1.0),
                1.0,
            )
            is_alias = self._entry_alias[cand]
            full_alias = is_alias & (ecov * phrase >= 0.99)
            # an alias covering little of a long question says little about it
            ecov = np.where(is_alias, ecov * phrase * np.minimum(1.0, 0.5 + qcov), ecov)
            # naming a procedure by one of its aliases asks for it, secondary action and all
            neg_penalty = ((self._entry_neg[cand] & ~np.int64(asked)) != 0) & ~full_alias
            # how much of the name the query covers matters for short queries ("khai sinh"
            # is the plain birth registration); a long question's words decide by themselves
            n_content = sum(1 for t in variant.tokens if t.weight >= 0.3)
            w_name = NAME_COVERAGE_WEIGHT if n_content <= 3 else 0.7 * NAME_COVERAGE_WEIGHT
            coarse = (
                0.55 * qcov
                + w_name * ecov
                + 0.12 * bcov
                + self._entry_prior[cand]
                + ALIAS_PHRASE_BONUS * np.minimum(1.0, 0.5 + qcov) * full_alias
                - SECONDARY_PENALTY * neg_penalty
            )
            k = min(TOP_K, cand.size)
            pick = np.argpartition(-coarse, k - 1)[:k] if cand.size > k else np.arange(cand.size)
            pick = pick[coarse[pick] > 0.0]
            if pick.size == 0:
                continue
            top = cand[pick]
            coarse_top = coarse[pick]
            qcov_top = qcov[pick]
            ecov_top = ecov[pick]
            named_top = full_alias[pick]
            content_all = [t.fold for t in variant.tokens if t.weight >= 0.3]
            content = list(dict.fromkeys(content_all))
            q_text = " ".join(content)
            prefix_bonus = PREFIX_BONUS if len(content) >= 3 else PREFIX_BONUS / 2
            ratio = process.cdist(
                [q_text], [self._entry_text[e] for e in top], scorer=fuzz.ratio, dtype=np.float64
            )[0]
            live_folds = [t.fold for t in variant.tokens if t.weight > 0.0]
            trigrams = {
                " ".join(live_folds[i : i + 3]) for i in range(max(0, len(live_folds) - 2))
            }
            run_all = " " + " ".join(content_all) + " "
            run = " " + q_text + " "
            long_run = len(content_all) >= 3
            base = coarse_top + 0.06 * ratio / 100.0 - variant.penalty
            procs = self._entry_proc[top]
            for j, e in enumerate(top.tolist()):
                body = self._entry_body[e]
                extra = HEAD_BONUS if self._entry_head[e] in trigrams else 0.0
                if content and (body.startswith(run) or body.startswith(run_all)):
                    extra += prefix_bonus
                elif long_run and run_all in body:
                    extra += 0.75 * prefix_bonus
                sc = float(base[j]) + extra
                proc = int(procs[j])
                cur = best.get(proc)
                named = bool(named_top[j]) or (cur is not None and cur.named)
                if cur is None or sc > cur.score:
                    best[proc] = _Candidate(
                        proc,
                        sc,
                        float(qcov_top[j]),
                        float(ecov_top[j]),
                        q_total,
                        variant.alias,
                        named,
                    )
                elif named:
                    cur.named = True
        ranked = sorted(best.values(), key=lambda c: (-c.score, self.procedures[c.proc].code))
        # level-only duplicates go behind the distinct procedures close to them
        out: list[_Candidate] = []
        later: list[_Candidate] = []
        seen_groups: set[int] = set()
        for c in ranked:
            g = self._group[c.proc]
            (later if g in seen_groups else out).append(c)
            seen_groups.add(g)
        merged: list[_Candidate] = []
        for c in out:
            while later and later[0].score - 0.08 > c.score:
                merged.append(later.pop(0))
            merged.append(c)
        merged.extend(later)
        return merged

    def _decide(self, query: str, ranked: list[_Candidate], limit: int) -> SearchResult:
        if not ranked:
            return SearchResult(query, (), "none")
        ranked = ranked[: max(limit, 10) + 20]
        scores = [_calibrate(c) for c in ranked]
        top = scores[0]
        if top < T_LOW:
            return SearchResult(query, (), "none")
        hits: list[Hit] = []
        shown = top
        best = ranked[0].score
        runner_up = 0.0  # the best other procedure that is not a level twin of the first
        first_group = self._group[ranked[0].proc]
        for c, sc in zip(ranked, scores, strict=True):
            # below the first hit, the score also tells how far behind it a hit ranks;
            # scores never rise down the list
            shown = min(shown, sc, top * math.exp(-RANK_DECAY * (best - c.score)))
            if c is not ranked[0] and self._group[c.proc] != first_group:
                runner_up = max(runner_up, shown)
            if len(hits) < limit and sc >= T_LOW and sc >= top - LIST_SPAN:
                hits.append(self._hit(c.proc, shown))
        decision = "card" if top >= T_CARD and top - runner_up >= CARD_GAP else "list"
        return SearchResult(query, tuple(hits), decision)

    # -- helpers ---------------------------------------------------------------------------------

    def _hit(self, proc: int, score: float) -> Hit:
        p = self.procedures[proc]
        return Hit(p.code, p.name, round(min(1.0, max(0.0, score)), 4), p)

    def _direct_codes(self, query: str, allowed: BoolArray | None) -> list[int]:
        text = unicodedata.normalize("NFKC", query[:MAX_QUERY_CHARS]).casefold()
        out: list[int] = []
        for m in _CODE_RE.finditer(text):
            idx = self._by_code.get(f"{m.group(1)}.{m.group(2)}")
            if idx is not None and idx not in out and (allowed is None or allowed[idx]):
                out.append(idx)
        return out

    def _allowed(
        self,
        field: str | None,
        level: str | None,
        same_day: bool | None,
        time_cut: bool | None,
        postal: bool | None,
    ) -> BoolArray | None:
        if not field and not level and same_day is None and time_cut is None and postal is None:
            return None
        mask = np.ones(len(self.procedures), dtype=bool)
        field_key = textnorm.key(field) if field else ""
        level_key = textnorm.key(level).removeprefix("cap ") if level else ""
        for i, p in enumerate(self.procedures):
            local = p.local
            ok = True
            if field_key and textnorm.key(p.field) != field_key:
                ok = False
            if ok and level_key and level_key not in self._levels[i]:
                ok = False
            if ok and same_day is not None:
                ok = (local is not None and local.same_day) == same_day
            if ok and time_cut is not None:
                ok = (local is not None and local.time_cut) == time_cut
            if ok and postal is not None:
                by_post = (local is not None and (local.postal_submit or local.postal_return)) or (
                    p.channel(POSTAL) is not None
                )
                ok = by_post == postal
            mask[i] = ok
        return mask


def _unique_max(
    entries: npt.NDArray[np.int64],
    terms: npt.NDArray[np.int64],
    weights: FloatArray,
    n_terms: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray]:
    """Distinct (entry, term) pairs, each with its largest weight."""
    keys = entries * n_terms + terms
    order = np.lexsort((-weights, keys))
    keys, weights = keys[order], weights[order]
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    keys, weights = keys[first], weights[first]
    return keys // n_terms, keys % n_terms, weights


class _Postings:
    """Term -> names, stored compressed (one sorted array and offsets per term)."""

    __slots__ = ("_entries", "_ids", "_indptr", "_weights")

    def __init__(
        self,
        ids: Mapping[Any, int],
        terms: npt.NDArray[np.int64],
        entries: npt.NDArray[np.int64],
        weights: FloatArray | None = None,
    ) -> None:
        self._ids = ids
        order = np.argsort(terms, kind="stable")
        counts = np.bincount(terms, minlength=len(ids)) if terms.size else np.zeros(len(ids))
        self._indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self._entries = entries[order].astype(np.int32)
        ones = np.ones(entries.size, dtype=np.float64)
        self._weights = (weights if weights is not None else ones)[order]

    def get(self, key: object) -> tuple[IntArray, FloatArray] | None:
        """Names holding ``key`` and the key's weight in each, or None."""
        i = self._ids.get(key)
        if i is None:
            return None
        a, b = self._indptr[i], self._indptr[i + 1]
        return self._entries[a:b], self._weights[a:b]


def _contains(seq: list[str], part: list[str]) -> bool:
    """True when ``part`` occurs in ``seq`` as a contiguous run."""
    n = len(part)
    first = part[0]
    return any(seq[i] == first and seq[i : i + n] == part for i in range(len(seq) - n + 1))


def _top_level_clauses(name: str) -> list[str]:
    """Parts of a name separated by semicolons outside parentheses."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in name:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if (ch == ";" or ch == "\n") and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


# --- calibration -------------------------------------------------------------------------------

T_LOW = 0.4  # below: nothing relevant
T_CARD = 0.8  # at or above, with a clear gap to other procedures: show one card
CARD_GAP = 0.1
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
