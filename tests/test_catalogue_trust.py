"""Fees and times a citizen can trust, on a card that reads in five seconds (issue 10).

Catalogue-wide: no card says "Miễn phí" where its source fee text names a sum in đồng. Unit
tests of the fee and time rules on real cell texts of the shipped catalogue, and of the card,
its fees page and its documents page.
"""

from __future__ import annotations

import re

import pytest

from bot.telegram_html import plain_text, utf16_len
from handlers.procedures import cards
from knowledge import catalogue as cat
from knowledge.catalogue import fees as fee_rule
from knowledge.catalogue import times

# A sum in đồng as a reader spots it: digits, then the currency ("năm 2016 Đồng" is a year).
SUM_IN_DONG = re.compile(
    r"(?<![\d/.,])(\d[\d.,]*)\s*(?:triệu\s+|nghìn\s+)?"
    r"(?:Việt Nam Đồng|đồng|Đồng|VNĐ|VND|vnđ|vnd|đ)(?!\w)"
)
QUOTED = re.compile(r"“[^”]*”")  # a source text the card quotes is not the card's own claim
CARD_BODY_CHARS = 900  # the card without the procedure's (official, sometimes 900-char) name
CARD_LINES = 20


@pytest.fixture(scope="module")
def shipped() -> cat.Catalogue:
    return cat.load()


def names_a_sum(fee: str) -> bool:
    """The source fee text names a sum of money in đồng other than 0."""
    for match in SUM_IN_DONG.finditer(fee):
        if re.search(r"(?:năm|ngày|tháng)\s*$", fee[: match.start()]):
            continue
        if re.sub(r"[.,]", "", match.group(1)).strip("0"):
            return True
    return False


def says_free(html: str) -> bool:
    return "miễn phí" in QUOTED.sub("", plain_text(html)).lower()


def card_text(proc: cat.Procedure, catalogue: cat.Catalogue, lang: str = "vi") -> str:
    return plain_text(cards.card(lang, proc, catalogue)[0])


# --- catalogue-wide ---------------------------------------------------------------------------


def test_no_card_says_free_where_the_source_names_a_sum(shipped: cat.Catalogue) -> None:
    wrong: list[str] = []
    checked = 0
    for proc in shipped:
        priced = [ch for ch in proc.channels if names_a_sum(ch.fee)]
        for ch in priced:
            checked += 1
            shown = cards.fee_text("vi", ch)
            if says_free(shown):
                wrong.append(f"{proc.code} {ch.kind}: {plain_text(shown)[:80]}")
        published = [ch for ch in proc.channels if ch.fee.strip()]
        if (
            priced
            and len(priced) == len(published)
            and says_free(cards.card("vi", proc, shipped)[0])
        ):
            wrong.append(f"{proc.code}: the card says free")
    assert checked > 1000  # the rule is exercised on the whole catalogue
    assert not wrong, f"{len(wrong)} fee lines say free despite a sum: {wrong[:10]}"


def test_free_only_when_the_source_says_so(shipped: cat.Catalogue) -> None:
    for proc in shipped:
        for ch in proc.channels:
            reading = cat.read_fee(ch.fee)
            if reading.kind == cat.FREE:
                assert not names_a_sum(ch.fee), (proc.code, ch.fee)
                assert re.match(r"Miễn phí|(?:Lệ phí|Phí)\s*:\s*(?:0|[Kk]hông)", ch.fee), ch.fee
            # The stored amount follows the same rule as the card.
            assert ch.fee_amount in (reading.amount, None), (proc.code, ch.fee)
            if ch.fee_amount == 0:
                assert reading.kind == cat.FREE


def test_every_card_reads_in_five_seconds(shipped: cat.Catalogue) -> None:
    too_long = []
    for proc in shipped:
        html, markup = cards.card("vi", proc, shipped)
        text = plain_text(html)
        body = text.replace(proc.name, "", 1)
        if len(body) > CARD_BODY_CHARS or text.count("\n") + 1 > CARD_LINES:
            too_long.append((proc.code, len(body), text.count("\n") + 1))
        assert utf16_len(html) <= 4096
        assert text.count("Mã thủ tục:") == 1
        data = [b.callback_data for row in markup.inline_keyboard for b in row]
        assert f"pf:{proc.code}" in data  # the rest is one press away
    assert not too_long, too_long[:10]


# --- fees: real cell texts --------------------------------------------------------------------

DRIVING_LICENCE = (
    "Miễn phí(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần. Trường hợp tổ chức, cá nhân nộp hồ "
    "sơ theo hình thức trực tuyến: Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức "
    "thu lệ phí là 115.000 đồng/lần cấp.)"
)
MARRIAGE_POSTAL = (
    "Miễn phí((Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu) thực hiện theo "
    "quy định tại Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính.))"
)
VEHICLE_TRANSFER = (
    "Miễn phí(Thông tư số 60/2023/TT-BTC ngày 07/9/2023 của Bộ Tài chính quy định mức thu, chế "
    "độ thu, nộp, quản lý lệ phí đăng ký, cấp biển số phương tiện giao thông cơ giới đường bộ. "
    "Thông tư số 06/2025/TT-BTC ngày 24/01/2025 sửa đổi, bổ sung một số điều của các Thông tư "
    "của Bộ trưởng Bộ Tài chính quy định về phí, lệ phí.)"
)
BUILDING_PERMIT = "Miễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh)"
ID_CARD_POSTAL = "Miễn phí(Trả phí cho đơn vị cung cấp dịch vụ.)"
PASSPORT = (
    "160,000 Việt Nam Đồng(+ 160.000/hộ chiếu, trường hợp cấp lại do bị hư hỏng hoặc bị mất: "
    "320.000đ/hộ chiếu (áp dụng đến hết ngày 31/12/2023 theo Thông tư số 44/2023/TT-BTC ngày "
    "29/6/2023 của Bộ tài chính).)"
)


@pytest.mark.parametrize(
    ("text", "kind", "amounts", "short"),
    [
        (DRIVING_LICENCE, cat.AMOUNT, ["135.000 đồng/lần", "115.000 đồng/lần cấp"],
         "135.000 đồng/lần; 115.000 đồng/lần cấp (nhiều mức — xem 💰)"),
        (PASSPORT, cat.AMOUNT, ["160.000 đồng/hộ chiếu", "320.000 đồng/hộ chiếu"],
         "160.000 đồng/hộ chiếu; 320.000 đồng/hộ chiếu (nhiều mức — xem 💰)"),
        ("500,000 Việt Nam Đồng", cat.AMOUNT, ["500.000 đồng"], "500.000 đồng"),
        ("12,000,000 Việt Nam Đồng(đồng/lần)", cat.AMOUNT, ["12.000.000 đồng/lần"],
         "12.000.000 đồng/lần"),
        ("20.000 vnđ /tờ khai", cat.AMOUNT, ["20.000 đồng/tờ khai"], "20.000 đồng/tờ khai"),
        ("10 USD(10USD/giấy)", cat.AMOUNT, ["10 USD/giấy"], "10 USD/giấy"),
        ("2,000,000 VNĐ(* Theo quy định tại Thông tư 25/2022/TT-BTC ngày 28/4/2022. + 02 triệu "
         "đồng/Giấy chứng nhận.)", cat.AMOUNT, ["2.000.000 đồng/Giấy chứng nhận"],
         "2.000.000 đồng/Giấy chứng nhận"),
        ("Miễn phí(Cho một loại hình sản phẩm hoặc dịch vụ: 8.000.000/lần; thêm một loại hình "
         "sản phẩm hoặc dịch vụ: 2.000.000/lần.)", cat.AMOUNT, ["8.000.000/lần", "2.000.000/lần"],
         "8.000.000/lần; 2.000.000/lần (nhiều mức — xem 💰)"),
        ("150 VNĐ(150.000 đồng/lần/thẻ.)", cat.AMOUNT, ["150.000 đồng/lần/thẻ"],
         "150.000 đồng/lần/thẻ (nguồn ghi chưa rõ — xem 💰)"),
        (BUILDING_PERMIT, cat.PROVINCIAL, [], "theo Nghị quyết của HĐND tỉnh — hỏi Trung tâm"),
        ("Miễn phí(do Ủy ban nhân dân cấp tỉnh quy định.)", cat.PROVINCIAL, [],
         "theo quyết định của UBND tỉnh — hỏi Trung tâm"),
        (VEHICLE_TRANSFER, cat.LAW, [],
         "theo Thông tư số 60/2023/TT-BTC — nguồn không ghi số tiền"),
        ("Phí : Mức thu bằng 50% mức thu phí quy định tại Mục I và Mục II Biểu mức thu phí, lệ "
         "phí ban hành kèm theo Thông tư số 249/2016/TT-BTC ngày 11 tháng 11 năm 2016 Đồng (Thông "
         "tư số 64/2025/TT-BTC ngày 30/6/2025 quy định mức thu, miễn một số khoản phí, lệ phí "
         "nhằm hỗ trợ cho doanh nghiệp, người dân)",
         cat.LAW, [], "theo Thông tư số 249/2016/TT-BTC — nguồn không ghi số tiền"),
        (MARRIAGE_POSTAL, cat.FREE, [], "Miễn phí; có khoản phí khác — xem 💰"),
        ("Miễn phí(Không quy định.)", cat.FREE, [], "Miễn phí"),
        ("Phí : 0 Đồng", cat.FREE, [], "Miễn phí"),
        ("Miễn phí(Không thu lệ phí đăng ký đối với tổ hợp tác theo quy định tại khoản 2 Điều 22 "
         "Luật Hợp tác xã 2023.)", cat.FREE, [], "Miễn phí đối với tổ hợp tác"),
        (ID_CARD_POSTAL, cat.UNCLEAR, [],
         "chưa rõ — nguồn ghi: “Trả phí cho đơn vị cung cấp dịch vụ.”"),
        ("500 VNĐ(Từ ngày 01/01/2026 áp dụng theo quy định tại Thông tư số 156/2025/TT-BTC ngày "
         "31/12/2025)", cat.UNCLEAR, [], "chưa rõ — nguồn ghi: “500 VNĐ (Từ ngày 01/01/2026 áp "
         "dụng theo quy định tại Thông tư số…”"),
    ],
)  # fmt: skip
def test_fee_rule_on_real_cells(
    shipped: cat.Catalogue, text: str, kind: str, amounts: list[str], short: str
) -> None:
    published = {ch.fee for proc in shipped for ch in proc.channels}
    assert text in published, "a real cell of the shipped catalogue"
    reading = cat.read_fee(text)
    assert reading.kind == kind
    assert [str(m) for m in reading.amounts] == amounts
    shown = plain_text(cards.reading_text("vi", reading))
    assert shown == short
    if kind != cat.FREE:
        assert not says_free(shown)


def test_amounts_in_vietnamese_format_and_never_invented() -> None:
    assert str(cat.read_fee("160,000 Việt Nam Đồng").amounts[0]) == "160.000 đồng"
    assert cat.read_fee("160,000 Việt Nam Đồng").amount == 160_000
    # A head under 1.000 đồng is not trusted, and no figure is made up from it.
    reading = cat.read_fee("90 VNĐ")
    assert reading.kind == cat.UNCLEAR
    assert reading.amount is None
    assert "90.000" not in cards.reading_text("vi", reading)
    # "10.000.0000 đồng" (a typo in the source) is shown as written, without a value.
    typo = cat.read_fee("Miễn phí(10.000.0000 đồng (Cấp lần đầu); 3000.000 đồng (cấp lại))")
    assert [m.value for m in typo.amounts] == [None, None]
    assert "10.000.0000 đồng" in cards.reading_text("vi", typo)


def test_doubled_brackets_are_cleaned_but_the_source_is_kept() -> None:
    reading = cat.read_fee(MARRIAGE_POSTAL)
    assert "((" not in reading.text
    assert reading.text.startswith("Miễn phí (Miễn lệ phí. Phí cấp bản sao")
    assert reading.other_fees


def test_the_import_reports_a_contradicted_free_head() -> None:
    assert fee_rule.read_fee(DRIVING_LICENCE).amount is None  # two sums: no single amount
    from knowledge.catalogue import importer

    assert importer.parse_fee(DRIVING_LICENCE)[1:] == (None, importer.FEE_CONTRADICTED)
    assert importer.parse_fee(BUILDING_PERMIT)[1:] == (None, importer.FEE_CONTRADICTED)
    assert importer.parse_fee("Miễn phí(Không có)")[1:] == (0, None)


# --- times --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text", "unit"),
    [
        (3, "Trong thời hạn 03 ngày làm việc kể từ ngày tiếp nhận hồ sơ, cơ quan đăng ký hộ tịch",
         "ngay_lam_viec"),
        (48, "Trong thời gian 48 giờ kể từ thời điểm nhận đủ hồ sơ khai báo", "gio"),
        (1, "Sau thời hạn 01 năm kể từ ngày quyết định của Sở", None),  # not a processing time
        (1, "chậm nhất ngày 01 tháng 10 hằng năm", None),  # a date
        (1, "trong thời hạn 01 ngày làm việc kể từ ngày nhận được hồ sơ; trong thời hạn 01 ngày "
            "kể từ ngày nhận hồ sơ", None),  # two units: not resolved
        (1, "trả kết quả trong ngày làm việc tiếp theo", None),  # no number
    ],
)  # fmt: skip
def test_unit_in_the_procedures_own_text(value: float, text: str, unit: str | None) -> None:
    assert times.unit_in_text(value, text) == unit


def test_a_lost_unit_is_resolved_or_said_plainly(shipped: cat.Catalogue) -> None:
    # 1.004873 (Giấy xác nhận tình trạng hôn nhân): the cell says "3", the procedure "Trong thời
    # hạn 03 ngày làm việc kể từ ngày tiếp nhận hồ sơ".
    single = shipped.get("1.004873")
    assert single is not None
    time = single.channels[0].time
    assert time is not None
    assert (time.raw, time.value, time.unit, time.unit_from) == ("3", 3.0, "ngay_lam_viec",
                                                                 "procedure")  # fmt: skip
    assert "time_unit_from_text:truc_tiep" in single.anomalies
    assert "3 ngày làm việc (đơn vị theo nội dung thủ tục)" in card_text(single, shipped)
    # 1.000894 (đăng ký kết hôn): nothing in the procedure says which unit "1" is.
    marriage = shipped.get("1.000894")
    assert marriage is not None
    assert marriage.channels[0].time is not None
    assert not marriage.channels[0].time.known
    text = card_text(marriage, shipped)
    assert "⏱ Thời hạn: 1 — nguồn không ghi đơn vị" in text
    assert text.count("nguồn không ghi đơn vị") == 1  # once, not once per channel


def test_the_case_of_each_time_comes_from_the_row() -> None:
    assert (
        times.case_of("- Trường hợp cần xác minh nguồn gốc lâm sản: trong thời hạn 03 ngày làm việc.",
                      set())
        == "Trường hợp cần xác minh nguồn gốc lâm sản"
    )  # fmt: skip
    assert (
        times.case_of(
            "27 ngày làm việc đối với trường hợp bố trí thực hiện trồng rừng thay thế tại địa "
            "phương khác",
            set(),
        )
        == "đối với trường hợp bố trí thực hiện trồng rừng thay thế tại địa phương khác"
    )
    common = {times._key("Cơ quan đăng ký xe tiếp nhận hồ sơ trong giờ làm việc.")}
    assert (
        times.case_of(
            "+ Cơ quan đăng ký xe tiếp nhận hồ sơ trong giờ làm việc. + Cấp lại biển số định "
            "danh: Không quá 07 ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ.",
            common,
        )
        == "Cấp lại biển số định danh"
    )


def test_vehicle_transfer_shows_each_time_once_with_its_case(shipped: cat.Catalogue) -> None:
    # 1.013076 publishes six rows (two channels x three cases), the fee text six times over.
    proc = shipped.get("1.013076")
    assert proc is not None
    assert len(proc.channels) == 6
    rows = cat.time_rows(proc)
    assert [(r.time.value if r.time else None) for r in rows] == [2.0, 7.0, 1.0]
    assert all(set(r.kinds) == {"truc_tuyen", "truc_tiep"} for r in rows)
    assert rows[1].conditions == ("Cấp lại biển số định danh",)
    text = card_text(proc, shipped)
    assert "• 7 ngày làm việc — Cấp lại biển số định danh" in text
    assert "• 1 giờ — Cấp biển số định danh lần đầu" in text
    assert text.count("Thông tư số 60/2023/TT-BTC") == 1
    assert "nguồn không ghi số tiền" in text
    assert not says_free(text)


# --- the card ---------------------------------------------------------------------------------


def test_driving_licence_card_states_the_fee(shipped: cat.Catalogue) -> None:
    proc = shipped.get("3.000348")
    assert proc is not None
    text = card_text(proc, shipped)
    assert "💰 Phí, lệ phí: 135.000 đồng/lần; 115.000 đồng/lần cấp" in text
    assert not says_free(text)
    assert text.count("⏱ Thời hạn: 5 ngày làm việc") == 1  # two channels, one line
    assert "📨 Cách nộp: Trực tiếp, trực tuyến" in text
    # The long fee text and the anomaly are one press away, on the fees page.
    page = plain_text(cards.fees("vi", proc)[0])
    assert "Nguyên văn: Miễn phí (Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần." in page
    assert "ghi “Miễn phí” nhưng phần ghi chú nêu số tiền" in page
    assert "Nguyên văn" not in text


def test_merged_channels_when_they_agree(shipped: cat.Catalogue) -> None:
    proc = shipped.get("1.000894")  # three channels, same time, same fee (one with "((")
    assert proc is not None
    text = card_text(proc, shipped)
    assert "💰 Phí, lệ phí: Miễn phí; có khoản phí khác — xem 💰" in text
    assert text.count("Miễn phí") == 1
    assert "((" not in text
    assert "Trực tuyến:" not in text  # no per-channel repeats
    assert "Bưu chính:" not in text


def test_channels_that_differ_keep_their_own_fee(shipped: cat.Catalogue) -> None:
    proc = shipped.get("1.014063")  # Cấp đổi thẻ căn cước: 50.000 đồng, the postal row unclear
    assert proc is not None
    text = card_text(proc, shipped)
    assert "• Trực tiếp, trực tuyến: 50.000 đồng/thẻ căn cước" in text
    assert "• Bưu chính: chưa rõ — nguồn ghi: “Trả phí cho đơn vị cung cấp dịch vụ.”" in text
    assert not says_free(text)


def test_english_card_uses_the_same_rule(shipped: cat.Catalogue) -> None:
    proc = shipped.get("1.013225")  # a building permit: the provincial council sets the fee
    assert proc is not None
    assert "set by a resolution of the provincial council" in card_text(proc, shipped, "en")
    assert "theo Nghị quyết của HĐND tỉnh — hỏi Trung tâm" in card_text(proc, shipped)


# --- documents ---------------------------------------------------------------------------------


def test_document_headings_are_headings(shipped: cat.Catalogue) -> None:
    proc = shipped.get("1.000894")
    assert proc is not None
    headings = [proc.documents[i] for i in proc.document_headings]
    assert headings[0] == "Giấy tờ phải xuất trình:"
    page = plain_text(cards.documents("vi", proc)[0])
    lines = page.splitlines()
    assert "Giấy tờ phải xuất trình:" in lines  # not "1. Giấy tờ phải xuất trình:"
    numbered = [line for line in lines if re.match(r"\d+\. ", line)]
    assert len(numbered) == len(proc.documents) - len(proc.document_headings)
    assert any(line.startswith("1. Tờ khai đăng ký kết hôn") for line in lines)
    # Sections keep their own numbers: 1.013076 has "1. Hồ sơ thu hồi", "2. Hồ sơ đăng ký".
    transfer = shipped.get("1.013076")
    assert transfer is not None
    assert [transfer.documents[i] for i in transfer.document_headings] == [
        "1. Hồ sơ thu hồi",
        "2. Hồ sơ đăng ký",
    ]
    html = cards.documents("vi", transfer)[0]
    assert "<b>2. Hồ sơ đăng ký</b>\n1. Chứng từ chuyển quyền sở hữu xe" in html


def test_headings_survive_the_round_trip(shipped: cat.Catalogue) -> None:
    proc = shipped.get("1.000894")
    assert proc is not None
    again = cat.procedure_from_json(cat.procedure_to_json(proc))
    assert again.document_headings == proc.document_headings
    assert again.channels == proc.channels
