"""Vietnamese normalisation: every way of typing the same words gives the same keys."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import textnorm as tn

VOCAB = {"dang", "ki", "khai", "sinh", "ket", "hon", "nguoi", "tieng", "viet", "truong", "xoong"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfd_and_nfc_give_the_same_keys() -> None:
    text = "Đăng ký khai sinh cho người nước ngoài, thuỷ lợi, hoà giải"
    assert tn.key(nfd(text)) == tn.key(text) == tn.key(unicodedata.normalize("NFC", text))
    assert [tn.tone_key(w) for w in tn.clean(nfd(text)).split()] == [
        tn.tone_key(w) for w in tn.clean(text).split()
    ]


@pytest.mark.parametrize(
    ("old", "new"), [("hòa", "hoà"), ("thủy", "thuỷ"), ("khỏe", "khoẻ"), ("lũy", "luỹ")]
)
def test_old_and_new_tone_placement_share_a_tone_key(old: str, new: str) -> None:
    assert tn.tone_key(old) == tn.tone_key(new)
    assert tn.key(old) == tn.key(new)


def test_tone_key_keeps_shape_and_tone() -> None:
    assert tn.tone_key("hòa") == "hoa2"
    assert tn.tone_key("ký") == tn.tone_key("kí") == "ki1"
    assert tn.tone_key("việt") == tn.tone_key("vịêt")  # a misplaced mark still agrees
    assert tn.tone_key("đăng") == "đăng"
    assert tn.tone_key("cưới") != tn.tone_key("cười")


def test_fold_drops_every_mark_and_maps_d_bar() -> None:
    assert tn.fold("Đăng ký Ủy ban") == "Dang ky Uy ban"
    assert tn.fold("đường dương đương") == "duong duong duong"
    assert len(tn.fold("Nguyễn Thị Ánh")) == len("Nguyễn Thị Ánh")


def test_lookalike_eth_is_d_bar() -> None:
    assert tn.key("ÐĂNG KÝ") == tn.key("Đăng ký") == "dang ki"  # U+00D0 Icelandic eth
    assert tn.key("ɖăng") == "dang"


@pytest.mark.parametrize(
    ("a", "b"),
    [("đăng kí", "đăng ký"), ("lí lịch", "lý lịch"), ("qui định", "quy định"), ("mĩ", "mỹ")],
)
def test_i_and_y_spellings_are_one_key(a: str, b: str) -> None:
    assert tn.key(a) == tn.key(b)


def test_i_y_unification_keeps_other_words_apart() -> None:
    assert tn.key("tay") != tn.key("tai")
    assert tn.key("thuỷ") == "thuy"
    assert tn.key("y tế") == "y te"


def test_clean_case_punctuation_spaces_and_invisibles() -> None:
    assert tn.clean("  ĐĂNG   KÝ,\tkhai-sinh!!  ") == "đăng ký khai sinh"
    assert tn.clean("đăng\u200bký\u00ad") == "đăngký"
    assert tn.clean("a\x00b\x07c\u202ed") == "a b cd"  # controls split, bidi marks vanish
    assert tn.clean("ＣＣＣＤ") == "cccd"  # full-width folds
    assert tn.clean("¿¡…—😀") == ""


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("dangw", "dăng"),
        ("kys", "ký"),
        ("ddawngs", "đắng"),
        ("nguowif", "người"),
        ("tieengs", "tiếng"),
        ("vieetj", "việt"),
        ("truowngf", "trường"),
    ],
)
def test_telex_residue_decodes_when_the_vocabulary_knows_it(typed: str, meant: str) -> None:
    decoded = tn.decode_ime(typed, VOCAB)
    assert decoded is not None
    assert tn.tone_key(decoded) == tn.tone_key(meant)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("d9a8ng", "đăng"), ("ky1", "ký"), ("nguo7i2", "người"), ("vie65t", "việt")],
)
def test_vni_residue_decodes(typed: str, meant: str) -> None:
    decoded = tn.decode_ime(typed, VOCAB)
    assert decoded is not None
    assert tn.word_key(decoded) == tn.word_key(meant)


@pytest.mark.parametrize("word", ["xoong", "ct01", "khai", "hoaf", "zzz", "123"])
def test_known_words_codes_and_unknown_decodings_stay_as_typed(word: str) -> None:
    assert tn.decode_ime(word, VOCAB) is None


def test_glued_syllables_split_on_the_vocabulary() -> None:
    assert tn.split_glued("dangky", VOCAB) == ["dang", "ky"]
    assert tn.split_glued("đăngký", VOCAB) == ["đăng", "ký"]
    assert tn.split_glued("khaisinh", VOCAB) == ["khai", "sinh"]
    assert tn.split_glued("dangkykethon", VOCAB) == ["dang", "ky", "ket", "hon"]
    assert tn.split_glued("asdf", VOCAB) is None
    assert tn.split_glued("khai", VOCAB) is None


def test_with_tone_places_a_mark_the_keys_read_back() -> None:
    for shaped, digit in [("hoa", "2"), ("thuy", "3"), ("ngươi", "2"), ("quy", "1")]:
        assert tn.tone_key(tn.with_tone(shaped, digit)).endswith(digit)


VIET = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹìíỉĩịòóỏõọùúủũụ ,.-")
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(VIET)
def test_key_is_the_same_for_nfc_and_nfd_of_any_text(text: str) -> None:
    assert tn.key(nfd(text)) == tn.key(unicodedata.normalize("NFC", text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_normalisers_never_raise(text: str) -> None:
    cleaned = tn.clean(text)
    assert "  " not in cleaned
    tn.key(text)
    for word in cleaned.split():
        tn.tone_key(word)
        tn.decode_ime(word, VOCAB)
        tn.split_glued(word, VOCAB)
