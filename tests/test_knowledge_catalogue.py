"""The procedure catalogue: the shipped file, lookups, the importer's cell parsers, the overlay.

The cells below are copied from sources/dvcqg_procedures.jsonl.gz (code in the test
name or comment); the expected values were read off the cell text by hand.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from knowledge import DATA_DIR
from knowledge import catalogue as cat
from knowledge.catalogue import importer as im
from knowledge.catalogue import overlay as ov
from knowledge.catalogue.models import LocalInfo
from knowledge.errors import ImportProblem

DATA = Path(__file__).resolve().parents[1] / "sources"
HEADER = im.CHANNEL_HEADER


@pytest.fixture(scope="module")
def shipped() -> cat.Catalogue:
    return cat.load()


# --- the shipped catalogue -------------------------------------------------------------------


def test_shipped_catalogue_has_every_procedure(shipped: cat.Catalogue) -> None:
    assert len(shipped) == 2642 + 207
    codes = shipped.codes()
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes, key=lambda c: tuple(int(x) for x in c.split(".")))
    assert all(p.url.startswith("https://dichvucong.gov.vn/") for p in shipped)
    assert {p.source for p in shipped} == {"dvcqg", "bqp"}
    assert all(p.name and p.field and p.levels for p in shipped)
    assert sum(1 for p in shipped if p.source == "bqp") == 207


def test_shipped_catalogue_loads_fast() -> None:
    # Best of three, so that a busy machine does not make the test flaky.
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        cat.load()
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.5


def test_shipped_catalogue_records_provenance_and_sample_overlay(shipped: cat.Catalogue) -> None:
    assert len(shipped.built_at) == 10
    assert shipped.built_at[4] == "-"
    assert any(
        s.startswith("dvcqg_procedures.jsonl.gz:") and "53229487" in s for s in shipped.sources
    )
    assert any(
        s.startswith("bqp_procedures.jsonl.gz:") and "936e184e" in s for s in shipped.sources
    )
    assert shipped.overlay_sample
    assert shipped.overlay_label.startswith("DỮ LIỆU MẪU")
    local = [p for p in shipped if p.local is not None]
    assert 40 <= len(local) <= 60
    assert all(p.local is not None and p.local.sample for p in local)


def test_shipped_overlay_lists(shipped: cat.Catalogue) -> None:
    same_day, cut = shipped.same_day(), shipped.time_cut()
    assert same_day
    assert cut
    assert all(p.local is not None and p.local.same_day for p in same_day)
    for p in cut:
        assert p.local is not None
        assert p.local.cut_days is not None
        assert p.local.legal_days is not None
        assert p.local.cut_days < p.local.legal_days
        assert "mẫu" in p.local.cut_decision.lower()
    local_postal = shipped.postal(national=False)
    assert local_postal
    assert all(p.local is not None for p in local_postal)
    everything = shipped.postal()
    assert set(map(id, local_postal)) <= set(map(id, everything))
    assert any(p.local is None and p.channel("buu_chinh") for p in everything)


def test_get_accepts_suffix_and_spaces(shipped: cat.Catalogue) -> None:
    birth = shipped.get("1.001193")
    assert birth is not None
    assert "khai sinh" in birth.name.lower()
    assert shipped.get(" 1.001193.000.00.00.H44 ") is birth
    assert shipped.get("1.001193.000.00.00.H01") is birth
    assert "1.001193" in shipped
    assert shipped.get("9.999999") is None
    assert shipped.get("khai sinh") is None
    assert shipped.get("") is None
    assert shipped.get("1.0011930") is None


def test_levels_are_normalised(shipped: cat.Catalogue) -> None:
    levels = shipped.levels()
    assert levels[:3] == ["Cấp Bộ", "Cấp Tỉnh", "Cấp Xã"]
    assert all(lv in ("Cấp Bộ", "Cấp Tỉnh", "Cấp Xã", "Cơ quan khác") for lv in levels)
    commune = shipped.filter(level="Cấp Xã")
    assert commune
    assert all("Cấp Xã" in p.levels for p in commune)


def test_fields_sorted_vietnamese(shipped: cat.Catalogue) -> None:
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
    fields = shipped.fields()
    assert fields == sorted(set(fields), key=cat.vn_sort_key)
    assert "Hộ tịch" in fields


def test_bqp_records_get_a_portal_search_link(shipped: cat.Catalogue) -> None:
    bqp = [p for p in shipped if p.source == "bqp"]
    assert all(p.url == im.portal_search_url(p.code) for p in bqp)
    assert all(p.code in p.url for p in bqp)


def test_round_trip_is_byte_identical(shipped: cat.Catalogue) -> None:
    again = cat.from_json(shipped.to_json())
    assert again.procedures == shipped.procedures
    assert cat.dumps(again) == cat.dumps(shipped)


def test_lost_unit_of_1_001193_is_kept_unknown(shipped: cat.Catalogue) -> None:
    # The portal cell reads "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí".
    birth = shipped.get("1.001193")
    assert birth is not None
    assert [ch.kind for ch in birth.channels] == ["truc_tuyen", "buu_chinh", "truc_tiep"]
    for ch in birth.channels:
        assert ch.time is not None
        assert ch.time.raw == "1"
        assert ch.time.unit == "unknown"
        assert ch.time.value is None
        assert not ch.time.known
        assert ch.fee == "Miễn phí"
        assert ch.fee_amount == 0
    assert "time_without_unit:truc_tuyen" in birth.anomalies
    assert birth.result == "Giấy khai sinh"
    assert any("Giấy chứng sinh" in d for d in birth.documents)
    assert any("Lưu ý" in n for n in birth.document_notes)
    assert {d.number for d in birth.legal_basis} >= {"123/2015/NĐ-CP", "60/2014/QH13"}


# --- channels --------------------------------------------------------------------------------


def test_channels_of_1_000178_postal_first_and_no_fee() -> None:
    desc = "Thời hạn giải quyết khiếu nại lần đầu không quá 30 ngày, kể từ ngày thụ lý."
    cell = (
        f"{HEADER}Dịch vụ bưu chính60 Ngày làm việcKhông có thông tin{desc}"
        f"Trực tiếp60 Ngày làm việcKhông có thông tin{desc}"
    )
    channels, anomalies = im.parse_dvcqg_channels(cell)
    assert [ch.kind for ch in channels] == ["buu_chinh", "truc_tiep"]
    for ch in channels:
        assert ch.time is not None
        assert (ch.time.value, ch.time.unit) == (60.0, "ngay_lam_viec")
        assert ch.fee == ""
        assert ch.fee_amount is None
        assert ch.description == desc
    assert anomalies == ["fee_missing:buu_chinh", "fee_missing:truc_tiep"]


def test_channels_of_1_004002_amount_with_matching_note() -> None:
    row = "2 Ngày làm việc70,000 VNĐ(70.000 đồng/Giấy chứng nhận)"
    cell = f"{HEADER}Trực tuyến{row}Dịch vụ bưu chính{row}Trực tiếp{row}"
    channels, anomalies = im.parse_dvcqg_channels(cell)
    assert len(channels) == 3
    assert not anomalies
    for ch in channels:
        assert ch.time is not None
        assert (ch.time.value, ch.time.unit) == (2.0, "ngay_lam_viec")
        assert ch.fee == "70,000 VNĐ(70.000 đồng/Giấy chứng nhận)"
        assert ch.fee_amount == 70000
        assert ch.description == ""


def test_channels_of_3_000141_hours() -> None:
    channels, anomalies = im.parse_dvcqg_channels(f"{HEADER}Trực tuyến8 GiờMiễn phí")
    assert len(channels) == 1
    assert not anomalies
    assert channels[0].time == im.Duration("8 Giờ", 8.0, "gio")
    assert channels[0].fee_amount == 0


def test_glued_time_and_fee_of_1_000014_is_not_split() -> None:
    # "120 VNĐ" is 1 + 20, 12 + 0 or 120: the parser must not choose.
    cell = f"{HEADER}Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 VNĐ(20.000 vnđ /tờ khai)"
    channels, anomalies = im.parse_dvcqg_channels(cell)
    assert [ch.kind for ch in channels] == ["truc_tuyen", "truc_tiep"]
    for ch in channels:
        assert ch.time is not None
        assert not ch.time.known
        assert ch.time.raw == "120 VNĐ"
        assert ch.fee_amount is None
        assert ch.fee == "20.000 vnđ /tờ khai"
    assert anomalies == ["time_fee_glued:truc_tuyen", "time_fee_glued:truc_tiep"]


def test_glued_time_and_fee_of_2_002044_with_one_reading() -> None:
    # "1100,000 VNĐ" can only be 1 + 100,000 (an amount never starts with 0).
    note = "(- Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần (Thông tư số 47/2019/TT-BTC).)"
    cell = (
        f"{HEADER}Trực tuyến1Miễn phí(Miễn lệ phí  (Thông tư số 47/2019/TT-BTC).)"
        f"Dịch vụ bưu chính1100 VNĐ{note}Trực tiếp1100,000 VNĐ{note}"
    )
    channels, anomalies = im.parse_dvcqg_channels(cell)
    online, postal, direct = channels
    assert online.time is not None
    assert online.time.raw == "1"
    assert online.fee_amount == 0
    assert postal.time is not None
    assert not postal.time.known
    assert postal.fee_amount is None
    assert direct.time is not None
    assert direct.time.raw == "1"
    assert not direct.time.known
    assert direct.fee_amount == 100000
    assert direct.fee.startswith("100,000 VNĐ(- Phí công bố")
    assert anomalies == [
        "time_without_unit:truc_tuyen",
        "time_fee_glued:buu_chinh",
        "time_without_unit:truc_tiep",
    ]


def test_channels_of_1_009825_time_no_and_fee_missing() -> None:
    cell = (
        f"{HEADER}Trực tiếpKhôngKhông có thông tinTại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
        "Trực tuyếnKhôngKhông có thông tinQua Cổng dịch vụ công Quốc gia"
    )
    channels, anomalies = im.parse_dvcqg_channels(cell)
    assert [ch.kind for ch in channels] == ["truc_tiep", "truc_tuyen"]
    assert all(ch.time is None and ch.fee == "" for ch in channels)
    assert channels[0].description == "Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
    assert "time_missing:truc_tiep" in anomalies
    assert "fee_missing:truc_tuyen" in anomalies


def test_channel_text_time_and_numbered_description() -> None:
    # 1.008312: "Không quy định" is published text, not a missing time.
    channels, anomalies = im.parse_dvcqg_channels(
        f"{HEADER}Trực tuyếnKhông quy địnhMiễn phíQua Cổng DVC Quốc gia"
    )
    assert channels[0].time == im.Duration("Không quy định")
    assert anomalies == ["time_not_numeric:truc_tuyen"]
    # 1.014264: "(1)" after "Không có thông tin" numbers the description, it is not a fee note.
    channels, _ = im.parse_dvcqg_channels(
        f"{HEADER}Trực tiếp14 Ngày làm việcKhông có thông tin\t(1) Trường hợp thay đổi tên"
    )
    assert channels[0].fee == ""
    assert channels[0].description == "(1) Trường hợp thay đổi tên"


def test_description_mentioning_a_channel_is_not_a_new_row() -> None:
    cell = f"{HEADER}Trực tuyến5 Ngày làm việcMiễn phíTrực tuyến: nộp hồ sơ qua Cổng dịch vụ công"
    channels, _ = im.parse_dvcqg_channels(cell)
    assert len(channels) == 1
    assert channels[0].description == "Trực tuyến: nộp hồ sơ qua Cổng dịch vụ công"


def test_unbalanced_fee_note_ends_where_the_next_cell_is_glued() -> None:
    # 1.004270: the note opens three parentheses and closes two.
    row = (
        "20 Ngày400,000 VNĐ(Sát hạch lý thuyết, Phí: 1,700,000 Sát hạch thực hành (Miễn phí từ "
        "ngày 07/4/2026 đến 30/6/2026 theo quy định tại Thông tư 40/2026/TT-BTC)20 ngày, kể từ "
        "ngày nhận được hồ sơ"
    )
    channels, anomalies = im.parse_dvcqg_channels(f"{HEADER}Trực tiếp{row}")
    assert channels[0].description == "20 ngày, kể từ ngày nhận được hồ sơ"
    assert channels[0].fee.endswith("40/2026/TT-BTC)")
    assert channels[0].fee_amount is None  # the note names other sums
    assert anomalies == ["fee_amount_unclear:truc_tiep"]


def test_no_channels() -> None:
    assert im.parse_dvcqg_channels("") == ((), ["no_channels"])
    assert im.parse_dvcqg_channels("Không có thông tin") == ((), ["no_channels"])


@pytest.mark.parametrize(
    ("text", "value", "unit", "problem"),
    [
        ("5 Ngày làm việc", 5.0, "ngay_lam_viec", None),
        ("07 Ngày", 7.0, "ngay", None),
        ("0,5 ngày", 0.5, "ngay", None),
        ("1.5 Giờ", 1.5, "gio", None),
        ("6 Tháng", 6.0, "thang", None),
        ("2 tuần", 2.0, "tuan", None),
        ("1 Năm", 1.0, "nam", None),
        ("1", None, "unknown", "time_without_unit"),
        ("3-5", None, "unknown", "time_not_numeric"),
        ("Chậm nhất là ngay trước khi tàu rời cảng", None, "unknown", "time_not_numeric"),
    ],
)
def test_parse_duration(text: str, value: float | None, unit: str, problem: str | None) -> None:
    duration, found = im.parse_duration(text)
    assert duration is not None
    assert (duration.raw, duration.value, duration.unit, found) == (text, value, unit, problem)


@pytest.mark.parametrize("text", ["", "Không có thông tin", "  "])
def test_parse_duration_missing(text: str) -> None:
    assert im.parse_duration(text) == (None, "time_missing")


@pytest.mark.parametrize(
    ("text", "amount", "problem"),
    [
        ("Miễn phí", 0, None),
        ("Phí : 0 Đồng", 0, None),
        ("2,000,000 Việt Nam Đồng", 2_000_000, None),
        ("Phí : 99.000 Đồng", 99_000, None),
        ("70,000 VNĐ(70.000 đồng/Giấy chứng nhận)", 70_000, None),
        ("25 USD", None, None),
        ("Lệ phí : 1.5 USD", None, None),
        ("20 VNĐ(20.000 đ/tờ khai)", None, "fee_amount_unclear"),
        # The note states the sum the "Miễn phí" head hides: the sum, reported as contradicted.
        ("Miễn phí(Mức thu: 50.000 đồng/hồ sơ)", 50_000, "fee_contradicted"),
        ("Miễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh)", None, "fee_contradicted"),
        ("15,000 VNĐ(15.000 đồng/lần; 30.000 đồng/lần đối với ...)", None, "fee_amount_unclear"),
        ("Phí : Không Đồng", 0, None),  # "none"
        ("Miễn phí(Phí thẩm định)", None, "fee_unparsed"),
        ("Không có thông tin", None, "fee_missing"),
        ("", None, "fee_missing"),
    ],
)
def test_parse_fee(text: str, amount: int | None, problem: str | None) -> None:
    fee, found_amount, found_problem = im.parse_fee(text)
    assert (found_amount, found_problem) == (amount, problem)
    assert fee == ("" if problem == "fee_missing" else text)


# --- documents -------------------------------------------------------------------------------


def test_documents_of_1_000178() -> None:
    cell = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTài liệu, chứng cứ do các bên cung cấp1 bản chính"
        "Quyết định giải quyết khiếu nại1 bản chínhBiên bản tổ chức đối thoại (nếu có)1 bản chính"
        "Đơn khiếu nại hoặc bản ghi nội dung khiếu nại1 bản chính"
    )
    docs, notes, anomalies = im.parse_dvcqg_documents(cell)
    assert docs == (
        "Tài liệu, chứng cứ do các bên cung cấp (1 bản chính)",
        "Quyết định giải quyết khiếu nại (1 bản chính)",
        "Biên bản tổ chức đối thoại (nếu có) (1 bản chính)",
        "Đơn khiếu nại hoặc bản ghi nội dung khiếu nại (1 bản chính)",
    )
    assert notes == ()
    assert anomalies == []


def test_documents_drop_form_file_names_and_read_copies() -> None:
    # 1.002693 and 1.000823
    cell = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngĐơn đề nghị cấp giấy phép chặt hạ, dịch chuyển cây "
        "xanh theo Mẫu số 01 Phụ lục I của Nghị định số 258/2025/NĐ-CPMẫu số 01.docx1 bản chính"
        "Ảnh chụp hiện trạng cây xanh đô thị cần chặt hạ, dịch chuyển0 bản chính,1 bản sao"
        "Đơn đề nghị chuyển đổi Giấy phép theo Mẫu số 08 ban hành kèm theo Nghị định số "
        "121/2021/NĐ-CP ngày 27/12/2021;Mus08.docx1 bản chính"
    )
    docs, _, _ = im.parse_dvcqg_documents(cell)
    assert docs == (
        "Đơn đề nghị cấp giấy phép chặt hạ, dịch chuyển cây xanh theo Mẫu số 01 Phụ lục I của "
        "Nghị định số 258/2025/NĐ-CP (1 bản chính)",
        "Ảnh chụp hiện trạng cây xanh đô thị cần chặt hạ, dịch chuyển (1 bản sao)",
        "Đơn đề nghị chuyển đổi Giấy phép theo Mẫu số 08 ban hành kèm theo Nghị định số "
        "121/2021/NĐ-CP ngày 27/12/2021 (1 bản chính)",
    )


def test_documents_keep_sections_and_split_notes() -> None:
    cell = (
        "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy chứng sinh1 bản chính"
        "- Nộp 01 bản sao có chứng thực giấy tờ tùy thân0 bản chính,1 bản sao"
        "* Lưu ý:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Không được yêu cầu nộp thêm giấy tờ.0 bản chính"
    )
    docs, notes, anomalies = im.parse_dvcqg_documents(cell)
    assert docs == (
        "Giấy tờ phải nộp:",
        "Giấy chứng sinh (1 bản chính)",
        "Nộp 01 bản sao có chứng thực giấy tờ tùy thân (1 bản sao)",
    )
    assert notes == ("Lưu ý:", "Không được yêu cầu nộp thêm giấy tờ.")
    assert anomalies == []


def test_documents_missing_or_prose() -> None:
    assert im.parse_dvcqg_documents("Không có thông tin") == ((), (), ["no_documents"])
    docs, _, anomalies = im.parse_dvcqg_documents("Bước 2. Nộp hồ sơ cho cơ quan BHXH.")
    assert docs == ("Bước 2. Nộp hồ sơ cho cơ quan BHXH.",)
    assert anomalies == ["documents_unstructured"]


# --- legal basis -----------------------------------------------------------------------------


def test_legal_basis_of_1_000178() -> None:
    cell = (
        "Tên văn bản pháp lýMã văn bảnHướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết "
        "khiếu nại và quản lý công tác giải quyết khiếu nại trong công an nhân dân68/2013/TT-BCA"
        "Luật Khiếu nại  năm 201102/2011/QH13Quy định quy trình giải quyết khiếu nại trong công an "
        "nhân dân11/2015/TT-BCANghị định 05/2012/NĐ-CP05/2012/NĐ-CP"
    )
    docs, anomalies = im.parse_legal_basis(cell)
    assert [(d.title, d.number) for d in docs] == [
        (
            "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản lý công "
            "tác giải quyết khiếu nại trong công an nhân dân",
            "68/2013/TT-BCA",
        ),
        ("Luật Khiếu nại năm 2011", "02/2011/QH13"),
        ("Quy định quy trình giải quyết khiếu nại trong công an nhân dân", "11/2015/TT-BCA"),
        ("Nghị định 05/2012/NĐ-CP", "05/2012/NĐ-CP"),
    ]
    assert anomalies == []


def test_legal_basis_glued_titles_and_numbers() -> None:
    # 1.005458 / 1.007887 / 1.014156 (the portal dropped the "T" of "Thông tư" there).
    cell = (
        "Tên văn bản pháp lýMã văn bảnLuật 54/2014/QH1354/2014/QH13Quyết định 601/QĐ-BTC601/QĐ-BTC"
        "Về giao dịch điện tử trong hoạt động tài chính27/2007/NĐ-CPQUY ĐỊNH VỀ PHÂN ĐỊNH THẨM "
        "QUYỀN145/2025/NĐ-CPhông tư sửa đổi Thông tư số 16/2025/TT-BXD ngày 30/6/2025"
        "43/2025/TT-BXDThông tư liên tịch 09/2015/TTLT-BCA-BYT-BTC09/2015/TTLT-BCA-BYT-BTC"
    )
    docs, anomalies = im.parse_legal_basis(cell)
    assert [d.number for d in docs] == [
        "54/2014/QH13",
        "601/QĐ-BTC",
        "27/2007/NĐ-CP",
        "145/2025/NĐ-CP",
        "43/2025/TT-BXD",
        "09/2015/TTLT-BCA-BYT-BTC",
    ]
    assert docs[0].title == "Luật 54/2014/QH13"
    assert docs[2].title == "Về giao dịch điện tử trong hoạt động tài chính"
    assert docs[4].title == "hông tư sửa đổi Thông tư số 16/2025/TT-BXD ngày 30/6/2025"
    assert anomalies == []


def test_legal_basis_malformed_number_column_of_1_007887() -> None:
    cell = (
        "Tên văn bản pháp lýMã văn bảnNghị định 73/NĐ-CP ngày 30/7/1994 của Chính phủ quy định "
        "chi tiết.73-CPThông tư số 119/2014/TT-BTC119/2014/TT-BTC"
    )
    docs, anomalies = im.parse_legal_basis(cell)
    assert [(d.title, d.number) for d in docs] == [
        ("Nghị định 73/NĐ-CP ngày 30/7/1994 của Chính phủ quy định chi tiết.73-CP", ""),
        ("Thông tư số 119/2014/TT-BTC", "119/2014/TT-BTC"),
    ]
    assert anomalies == ["legal_number_missing"]


def test_legal_basis_truncated_and_missing() -> None:
    # 3.000139: the number column lost its suffix.
    docs, anomalies = im.parse_legal_basis(
        "Tên văn bản pháp lýMã văn bảnNghị định số 46/2020/NĐ-CP46/2020"
    )
    assert [(d.title, d.number) for d in docs] == [("Nghị định số 46/2020/NĐ-CP", "46/2020/NĐ-CP")]
    assert anomalies == []
    docs, _ = im.parse_legal_basis("Tên văn bản pháp lýMã văn bảnLuật28/2023/QH15")
    assert [(d.title, d.number) for d in docs] == [("Luật 28/2023/QH15", "28/2023/QH15")]
    assert im.parse_legal_basis("Không có thông tin") == ((), ["no_legal_basis"])
    docs, anomalies = im.parse_legal_basis(
        "Tên văn bản pháp lýMã văn bản06/2007/QH12Luật Hóa chất"
    )
    assert [d.number for d in docs] == ["06/2007/QH12", ""]
    assert anomalies == ["legal_number_missing"]


def test_bqp_record_1_013124_from_the_source_file() -> None:
    with gzip.open(DATA / "bqp_procedures.jsonl.gz", "rt", encoding="utf-8") as fh:
        rec = next(json.loads(line) for line in fh if '"1.013124"' in line)
    proc = im.from_bqp(rec)
    assert proc.code == "1.013124"
    assert proc.source == "bqp"
    assert proc.levels == ("Cấp Bộ",)
    assert [ch.kind for ch in proc.channels] == ["truc_tiep", "truc_tuyen", "buu_chinh"]
    assert all(
        ch.time == im.Duration("30 Ngày làm việc", 30.0, "ngay_lam_viec") for ch in proc.channels
    )
    assert all(ch.fee == "Phí : 0 Đồng" and ch.fee_amount == 0 for ch in proc.channels)
    assert len(proc.documents) == 2
    assert all(d.endswith("(1 bản chính)") for d in proc.documents)
    # so_ky_hieu is just "12": the number comes from the summary that opens with it.
    assert [d.number for d in proc.legal_basis] == ["12/2021/QĐ-TTg"]
    assert proc.url == im.portal_search_url("1.013124")
    assert proc.anomalies == ()


# --- overlay ---------------------------------------------------------------------------------

KNOWN = {"1.001193", "1.000894", "2.000815", "3.000333", "1.004222", "1.000010"}
CSV_HEADER = (
    "Mã thủ tục,Tên thủ tục,Trả kết quả trong ngày,Thời hạn theo quy định (ngày),"
    "Thời hạn sau cắt giảm (ngày),Quyết định cắt giảm,Nộp qua bưu chính,"
    "Nhận kết quả qua bưu chính,Địa chỉ tiếp nhận,Ghi chú,Dữ liệu mẫu"
)


def _write(tmp_path: Path, text: str, name: str = "overlay.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_overlay_csv_good_and_bad_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# DỮ LIỆU MẪU\n"
        f"{CSV_HEADER}\n"
        "1.001193.000.00.00.H44,Khai sinh,có,,,,không,có,UBND xã,,có\n"  # row 3: good
        "3.000333,LLTP,không,10,7,QĐ số 1/QĐ-UBND,có,có,,,có\n"  # row 4: good, cut
        "9.999999,?,có,,,,,,,,\n"  # row 5: unknown code
        "1.004222,Thường trú,không,7,9,QĐ 2,,,,,\n"  # row 6: cut above legal
        "2.000815,Chứng thực,có lẽ,,,,,,,,\n"  # row 7: unreadable yes/no
        "1.001193,Khai sinh lần 2,có,,,,,,,,\n"  # row 8: duplicate
        "1.000894,Kết hôn,không,5,3,,,,,,\n"  # row 9: cut without decision
        "\n"
        "1.000010,x,không,mười,,,,,,,\n",  # row 11: days not a number
    )
    entries, problems = ov.read_overlay(path, KNOWN)
    assert set(entries) == {"1.001193", "3.000333"}
    assert entries["1.001193"] == LocalInfo(
        same_day=True, postal_return=True, address="UBND xã", sample=True
    )
    lltp = entries["3.000333"]
    assert (lltp.legal_days, lltp.cut_days, lltp.time_cut) == (10.0, 7.0, True)
    assert lltp.cut_decision == "QĐ số 1/QĐ-UBND"
    assert lltp.postal_submit
    assert [(p.row, p.code) for p in problems] == [
        (5, "9.999999"),
        (6, "1.004222"),
        (7, "2.000815"),
        (8, "1.001193"),
        (9, "1.000894"),
        (11, "1.000010"),
    ]
    assert all(p.skipped for p in problems)
    assert "lớn hơn" in problems[1].message
    assert "dòng 3" in problems[3].message
    assert str(problems[0]).startswith("dòng 5 [9.999999]:")


def test_overlay_semicolons_bom_and_loose_headers(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffma thu tuc;TRẢ KẾT QUẢ TRONG NGÀY;Cột lạ\n1.001193;x;1\n".encode())
    entries, problems = ov.read_overlay(path, KNOWN)
    assert entries == {"1.001193": LocalInfo(same_day=True)}
    assert [(p.row, p.skipped) for p in problems] == [(1, False)]


def test_overlay_without_code_column_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "Tên thủ tục,Ghi chú\nKhai sinh,x\n")
    with pytest.raises(ImportProblem):
        ov.read_overlay(path, KNOWN)


def test_overlay_xlsx_with_numeric_code_cells(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["# DỮ LIỆU MẪU"])
    sheet.append(CSV_HEADER.split(","))
    sheet.append([1.00001, "a", "không", 15, 10, "QĐ (mẫu)", True, None, "", "", "có"])  # 1.000010
    sheet.append(["1.004222", "b", "không", 7, 9, "QĐ", None, None, None, None, "có"])
    sheet.append(["2.000815", "c", "có", None, None, None, "khong", "co", None, None, "không"])
    path = tmp_path / "overlay.xlsx"
    book.save(path)
    layer = ov.load_overlay(path, KNOWN)
    assert set(layer.entries) == {"1.000010", "2.000815"}
    assert layer.entries["1.000010"].cut_days == 10.0
    assert layer.entries["1.000010"].postal_submit
    assert layer.entries["2.000815"] == LocalInfo(same_day=True, postal_return=True, sample=False)
    assert [(p.row, p.code) for p in layer.problems] == [(4, "1.004222")]
    assert layer.sample
    assert layer.rows == {"1.000010": 3, "2.000815": 5}


def test_overlay_applies_and_warns_about_national_days(
    shipped: cat.Catalogue, tmp_path: Path
) -> None:
    lltp = shipped.get("3.000333")
    assert lltp is not None
    assert lltp.channel("truc_tiep") is not None
    path = _write(tmp_path, f"{CSV_HEADER}\n3.000333,,không,12,8,QĐ x,,,,,\n")
    layer = ov.load_overlay(path, shipped.codes())
    warnings = ov.national_mismatches(layer, shipped.procedures)
    assert [(w.row, w.code, w.skipped) for w in warnings] == [(2, "3.000333", False)]
    applied = ov.apply_overlay((*shipped.procedures[:3], lltp), layer.entries)
    assert applied[-1].local == layer.entries["3.000333"]
    assert applied[0].local == shipped.procedures[0].local


@pytest.mark.parametrize(
    ("text", "value"), [("có", True), ("Không", False), ("", False), ("X", True)]
)
def test_parse_bool(text: str, value: bool) -> None:
    assert ov.parse_bool(text) is value


@pytest.mark.parametrize("text", ["có lẽ", "2", "?"])
def test_parse_bool_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(text)):
        ov.parse_bool(text)


@pytest.mark.parametrize(
    ("text", "value"), [("15", 15.0), ("0,5", 0.5), ("2.5", 2.5), ("", None), ("10 ngày", 10.0)]
)
def test_parse_days(text: str, value: float | None) -> None:
    assert ov.parse_days(text) == value


@pytest.mark.parametrize("text", ["mười", "-1", "99999"])
def test_parse_days_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(text)):
        ov.parse_days(text)


def test_shipped_sample_overlay_reads_cleanly_in_both_formats(shipped: cat.Catalogue) -> None:
    data = DATA_DIR
    csv_layer = ov.load_overlay(data / "overlay_sample.csv", shipped.codes())
    xlsx_layer = ov.load_overlay(data / "overlay_sample.xlsx", shipped.codes())
    assert csv_layer.problems == ()
    assert xlsx_layer.problems == ()
    assert csv_layer.entries == xlsx_layer.entries
    assert csv_layer.sample
    assert all(i.sample for i in csv_layer.entries.values())
    assert ov.national_mismatches(csv_layer, shipped.procedures) == []
    assert {c: p.local for c, p in ((c, shipped.get(c)) for c in csv_layer.entries) if p} == (
        csv_layer.entries
    )
