"""The procedure catalogue: shipped file, lookups, importer parsing."""

from __future__ import annotations

import time

import pytest

from knowledge import catalogue as cat
from knowledge import importer


@pytest.fixture(scope="module")
def shipped() -> cat.Catalogue:
    return cat.load()


def test_shipped_catalogue_has_every_procedure(shipped: cat.Catalogue) -> None:
    assert len(shipped) == 2642 + 207
    codes = shipped.codes()
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes, key=lambda c: tuple(int(x) for x in c.split(".")))
    assert all(p.url.startswith("https://dichvucong.gov.vn/") for p in shipped)
    assert {p.source for p in shipped} == {"dvcqg", "bqp"}
    assert all(p.name and p.field for p in shipped)


def test_shipped_catalogue_loads_fast() -> None:
    start = time.perf_counter()
    cat.load()
    assert time.perf_counter() - start < 0.5


def test_get_accepts_suffix_and_spaces(shipped: cat.Catalogue) -> None:
    birth = shipped.get("1.001193")
    assert birth is not None
    assert "khai sinh" in birth.name.lower()
    assert shipped.get(" 1.001193.000.00.00.H44 ") is birth
    assert shipped.get("1.001193.000.00.00.H01") is birth
    assert shipped.get("9.999999") is None
    assert shipped.get("khai sinh") is None
    assert shipped.get("") is None


def test_levels_are_normalised(shipped: cat.Catalogue) -> None:
    levels = shipped.levels()
    assert levels[:3] == ["Cấp Bộ", "Cấp Tỉnh", "Cấp Xã"]
    assert "Cấp tỉnh" not in levels


def test_fields_sorted_vietnamese() -> None:
    words = ["Đường bộ", "Dân số", "Ăn uống", "An toàn", "Âm nhạc", "Bảo hiểm", "Báo chí", "ba"]
    assert sorted(words, key=cat.vn_sort_key) == [
        "An toàn",
        "Ăn uống",
        "Âm nhạc",
        "ba",
        "Báo chí",
        "Bảo hiểm",
        "Dân số",
        "Đường bộ",
    ]


def test_bqp_records_get_a_portal_search_link(shipped: cat.Catalogue) -> None:
    bqp = [p for p in shipped if p.source == "bqp"]
    assert len(bqp) == 207
    assert all(p.url == importer.portal_search_url(p.code) for p in bqp)
    assert all(p.code in p.url for p in bqp)


def test_parse_levels() -> None:
    assert importer.parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã") == ("Cấp Bộ", "Cấp Tỉnh", "Cấp Xã")
    assert importer.parse_levels("Cấp Tỉnh, Cấp Xã, Cơ quan khác") == (
        "Cấp Tỉnh",
        "Cấp Xã",
        "Cơ quan khác",
    )
    assert importer.parse_levels("") == ()


def test_round_trip_is_byte_identical(shipped: cat.Catalogue) -> None:
    again = cat.from_json(shipped.to_json())
    assert again.procedures == shipped.procedures
    assert cat.dumps(again) == cat.dumps(shipped)
