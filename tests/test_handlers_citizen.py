"""End to end: a citizen finds procedures through the real Application and the fake Bot API."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime

import pytest

from bot.telegram_html import plain_text
from knowledge import workdays
from knowledge.catalogue import Catalogue
from knowledge.clock import TZ
from tests.fake_telegram import FakeClock, FakeTelegram

USER = 1001


def codes_in(buttons: list[tuple[str, str]]) -> list[str]:
    return [data[2:] for _, data in buttons if data.startswith("p:")]


async def test_wire_start_up_registers_commands_in_both_languages(telegram: FakeTelegram, bot):
    methods = [c.method for c in telegram.calls]
    assert methods[:1] == ["getMe"]
    vi_cmds = await telegram.next_call("setMyCommands")
    en_cmds = await telegram.next_call("setMyCommands")
    assert "language_code" not in vi_cmds
    assert en_cmds["language_code"] == "en"
    names = [c["command"] for c in vi_cmds["commands"]]
    assert {"start", "help", "trongngay", "catgiam", "buuchinh", "linhvuc", "lang"} <= set(names)
    assert all(c["description"] for c in en_cmds["commands"])
    assert vi_cmds["commands"] != en_cmds["commands"]


async def test_start_greets_with_main_menu(telegram: FakeTelegram, bot):
    telegram.user_sends("/start", first_name="Hoa")
    msg = await telegram.next_message(USER)
    assert "Xin chào Hoa" in msg["text"]
    data = [d for _, d in telegram.buttons(msg)]
    assert {"ls:sd:0", "ls:ct:0", "ls:pc:0", "lf:0", "fb:start", "lang:en"} <= set(data)


async def test_help_lists_every_command_the_menu_registers(telegram: FakeTelegram, bot):
    telegram.user_sends("/help")
    msg = await telegram.next_message(USER)
    menu = await telegram.next_call("setMyCommands")
    for command in menu["commands"]:
        assert f"/{command['command']}" in msg["text"]


async def test_officials_see_their_commands_in_help_citizens_do_not(telegram: FakeTelegram, bot):
    telegram.user_sends("/help", user=9001)
    official_help = (await telegram.next_message(9001))["text"]
    assert "/nhiemvu" in official_help
    assert "/phananh_moi" in official_help
    telegram.user_sends("/help")
    citizen_help = (await telegram.next_message(USER))["text"]
    assert "/nhiemvu" not in citizen_help
    assert "/phananh_moi" not in citizen_help


async def test_english_telegram_users_get_english(telegram: FakeTelegram, bot):
    telegram.user_sends("/start", user=2002, lang="en")
    msg = await telegram.next_message(2002)
    assert msg["text"].startswith("Hello")


async def test_language_choice_is_remembered_across_restart(telegram: FakeTelegram, bot):
    telegram.user_sends("/lang")
    chooser = await telegram.next_message(USER)
    assert ("English", "lang:en") in telegram.buttons(chooser)
    telegram.user_clicks("lang:en")
    assert (await telegram.next_call("answerCallbackQuery"))["callback_query_id"]
    assert "Switched to English" in (await telegram.next_message(USER))["text"]
    await bot.restart()
    telegram.user_sends("/start")
    assert (await telegram.next_message(USER))["text"].startswith("Hello")
    telegram.user_sends("/lang vi")
    assert "tiếng Việt" in (await telegram.next_message(USER))["text"]
    telegram.user_sends("/lang klingon")
    assert "/lang vi" in (await telegram.next_message(USER))["text"]


async def test_free_text_finds_the_card_with_source_and_buttons(
    telegram: FakeTelegram, bot, catalogue: Catalogue
):
    telegram.user_sends("đăng ký khai sinh")
    msg = await telegram.next_message(USER)
    buttons = telegram.buttons(msg)
    codes = [d.split(":")[-1] for _, d in buttons if d.startswith(("pd:", "p:"))]
    assert "1.001193" in codes
    if any(d == "pd:1.001193" for _, d in buttons):  # shown as a card
        text = msg["text"]
        assert "1.001193" in text
        assert "Nguồn:" in text
        assert catalogue.built_at[:4] in text
        data = [d for _, d in buttons]
        assert {"pd:1.001193", "pl:1.001193", "pf:1.001193", "pt:1.001193"} <= set(data)
        assert "fb:new:1.001193" in data


async def test_card_pages_documents_legal_fees(telegram: FakeTelegram, bot, catalogue: Catalogue):
    proc = next(
        p
        for p in catalogue
        if p.legal_basis and 2 < len(p.documents) < 8 and sum(map(len, p.documents)) < 2000
    )
    telegram.user_sends(f"/start tthc_{proc.code.replace('.', '_')}")
    card = await telegram.next_message(USER)
    assert proc.code in card["text"]
    telegram.user_clicks(f"pd:{proc.code}")
    docs = await telegram.next_message(USER)
    assert docs["method"] in {"editMessageText", "sendMessage"}  # long pages come as new messages
    assert plain_text(docs["text"]).count("\n") >= len(proc.documents)
    telegram.user_clicks(f"pl:{proc.code}")
    legal = await telegram.next_message(USER)
    assert proc.legal_basis[0].title[:30] in plain_text(legal["text"])
    telegram.user_clicks(f"pf:{proc.code}")
    fees = await telegram.next_message(USER)
    assert "lệ phí" in plain_text(fees["text"]).lower()
    telegram.user_clicks(f"p:{proc.code}")
    back = await telegram.next_message(USER)
    assert proc.code in back["text"]


async def test_missing_data_reads_as_missing(telegram: FakeTelegram, bot, catalogue: Catalogue):
    proc = next(p for p in catalogue if not p.documents)
    telegram.user_sends(f"/start tthc_{proc.code}")
    await telegram.next_message(USER)
    telegram.user_clicks(f"pd:{proc.code}")
    page = await telegram.next_message(USER)
    assert "chưa có danh sách hồ sơ" in page["text"]


async def test_every_card_fits_telegram_limits(telegram: FakeTelegram, bot, catalogue: Catalogue):
    longest = max(catalogue, key=lambda p: sum(len(d) for d in p.documents))
    widest = max(catalogue, key=lambda p: len(p.legal_basis))
    for proc in (longest, widest):
        telegram.user_sends(f"/start tthc_{proc.code}")
        await telegram.next_message(USER)
        for kind in ("pd", "pl", "pf", "pt"):
            telegram.user_clicks(f"{kind}:{proc.code}")
            await telegram.next_message(USER)
    await telegram.idle()
    sent = telegram.messages(USER)
    assert all(len(plain_text(m["text"])) <= 4096 for m in sent)
    assert not any("sự cố" in m["text"] for m in sent)  # no apology: nothing failed


async def test_unknown_deep_link_code(telegram: FakeTelegram, bot):
    telegram.user_sends("/start tthc_9_999999")
    assert "9.999999" in (await telegram.next_message(USER))["text"]


async def test_chit_chat_gets_a_kind_nothing_found(telegram: FakeTelegram, bot):
    telegram.user_sends("hôm nay trời đẹp quá nhỉ")
    msg = await telegram.next_message(USER)
    assert "chưa tìm thấy" in msg["text"]
    data = [d for _, d in telegram.buttons(msg)]
    assert {"lf:0", "fb:start", "m:call"} <= set(data)
    telegram.user_clicks("m:call")
    assert "Trung tâm" in (await telegram.next_message(USER))["text"]


@pytest.mark.parametrize(
    ("command", "attr"),
    [("/trongngay", "same_day"), ("/catgiam", "time_cut"), ("/buuchinh", "postal")],
)
async def test_lists_page_through_everything(
    telegram: FakeTelegram, bot, catalogue: Catalogue, command: str, attr: str
):
    lister = getattr(catalogue, attr)
    expected = {p.code for p in (lister(national=False) if attr == "postal" else lister())}
    assert expected, "the shipped sample overlay fills every list"
    telegram.user_sends(command)
    msg = await telegram.next_message(USER)
    seen: list[str] = []
    for _ in range(400):
        buttons = telegram.buttons(msg)
        seen += codes_in(buttons)
        nxt = [d for label, d in buttons if label.startswith("Sau")]
        if not nxt:
            break
        telegram.user_clicks(nxt[0], message=msg)
        msg = await telegram.next_message(USER)
        assert msg["method"] == "editMessageText"
    assert set(seen) == expected
    assert len(seen) == len(expected)  # no page repeats an item


async def test_time_cut_list_shows_old_and_new(telegram: FakeTelegram, bot, catalogue: Catalogue):
    cut = catalogue.time_cut()
    if not cut:
        pytest.skip("the shipped overlay cuts no procedure")
    telegram.user_sends("/catgiam")
    msg = await telegram.next_message(USER)
    assert "→" in msg["text"]


async def test_linhvuc_starts_with_the_common_fields(
    telegram: FakeTelegram, bot, catalogue: Catalogue
):
    fields = catalogue.fields()
    telegram.user_sends("/linhvuc")
    msg = await telegram.next_message(USER)
    labels = [label for label, _ in telegram.buttons(msg)]
    assert labels[0] == "Hộ tịch"
    assert {"Đất đai", "Đăng ký, quản lý cư trú", "Cấp, quản lý căn cước"} <= set(labels)
    assert telegram.buttons(msg)[-1] == (f"📚 Tất cả lĩnh vực ({len(fields)})", "lf:0")
    # the first button opens Hộ tịch itself
    assert telegram.buttons(msg)[0][1] == f"lfl:{fields.index('Hộ tịch')}"
    telegram.user_clicks("lf:0", message=msg)
    msg = await telegram.next_message(USER)
    assert ("⭐ Lĩnh vực thường dùng", "lf:c") in telegram.buttons(msg)
    telegram.user_clicks("lf:c", message=msg)
    msg = await telegram.next_message(USER)
    assert telegram.buttons(msg)[0][0] == "Hộ tịch"


async def test_browse_by_field_then_level(telegram: FakeTelegram, bot, catalogue: Catalogue):
    fields = catalogue.fields()
    telegram.user_sends("/linhvuc")
    msg = await telegram.next_message(USER)
    telegram.user_clicks("lf:0", message=msg)
    msg = await telegram.next_message(USER)
    assert str(len(fields)) in msg["text"]
    first = telegram.buttons(msg)[0]
    assert first[1] == "lfl:0"
    telegram.user_clicks("lfl:0")
    msg = await telegram.next_message(USER)
    procs = catalogue.filter(field=fields[0])
    codes = codes_in(telegram.buttons(msg))
    if not codes:  # a level chooser came first
        level_button = telegram.buttons(msg)[0][1]
        telegram.user_clicks(level_button)
        msg = await telegram.next_message(USER)
        codes = codes_in(telegram.buttons(msg))
    assert codes
    assert set(codes) <= {p.code for p in procs}


async def test_due_date_skips_tet(telegram: FakeTelegram, start_bot, catalogue: Catalogue):
    proc = next(
        p
        for p in catalogue
        if p.local is None
        and p.channels
        and p.channels[0].time is not None
        and p.channels[0].time.unit == "ngay_lam_viec"
        and p.channels[0].time.value == 5
    )
    clock = FakeClock(datetime(2026, 2, 12, 9, 0, tzinfo=TZ))
    await start_bot(clock=clock)
    telegram.user_sends(f"/hanxuly {proc.code}")
    msg = await telegram.next_message(USER)
    expected = workdays.add_working_days(date(2026, 2, 12), 5)
    assert expected == date(2026, 2, 26)
    assert "26/02/2026" in msg["text"]
    assert "Tết" in msg["text"]
    telegram.user_sends(f"/hanxuly {proc.code} 02/03/2026")
    assert "09/03/2026" in (await telegram.next_message(USER))["text"]


async def test_due_date_button_and_unknown_time(telegram: FakeTelegram, bot, catalogue: Catalogue):
    proc = catalogue.get("1.001193")
    assert proc is not None
    telegram.user_sends("/start tthc_1_001193")
    await telegram.next_message(USER)
    telegram.user_clicks("pt:1.001193")
    msg = await telegram.next_message(USER)
    time = proc.channels[0].time if proc.channels else None
    if proc.local is None and (time is None or not time.known):
        assert "chưa tính được" in msg["text"]
    else:
        assert re.search(r"\d\d/\d\d/\d{4}", msg["text"])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ("", "Cách dùng"),
        ("abc", "Không có thủ tục"),
        ("1.001193 32/13/2026", "Không có ngày"),
        ("1.001193 31/02/2026", "Không có ngày"),
        ("1.001193 2026-11-25", "chưa đúng dạng"),
        ("1.001193 25/11/2026 thừa", "Cách dùng"),
    ],
)
async def test_due_date_bad_arguments(telegram: FakeTelegram, bot, args: str, needle: str):
    telegram.user_sends(f"/hanxuly {args}".strip())
    assert needle in (await telegram.next_message(USER))["text"]


async def test_inline_mode_shares_cards(telegram: FakeTelegram, bot):
    telegram.user_inline("khai sinh")
    answer = await telegram.next_call("answerInlineQuery")
    results = answer["results"]
    assert 1 <= len(results) <= 10
    assert all(plain_text(r["input_message_content"]["message_text"]) for r in results)
    telegram.user_inline("xin chào bạn")
    answer = await telegram.next_call("answerInlineQuery")
    assert [r["id"] for r in answer["results"]] in ([], ["none"])


@pytest.mark.parametrize(
    "text",
    [
        " ",
        "x" * 10_000,
        "🙂🙂🙂🎉",
        "<b>đăng ký</b> & <script>alert(1)</script>",
        "*_[khai sinh](http://x)_*`",
        "'; DROP TABLE chat_user; --",
        "\u202eđăng ký kết hôn\u0000",
        "?!...,,,",
    ],
)
async def test_bad_input_gets_a_polite_reply(telegram: FakeTelegram, bot, text: str, caplog):
    caplog.set_level(logging.ERROR)
    telegram.user_sends(text)
    msg = await telegram.next_message(USER)
    assert msg["text"]
    assert "sự cố" not in msg["text"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_unknown_command_and_stale_buttons(telegram: FakeTelegram, bot):
    telegram.user_sends("/khongcolenhnay")
    assert "/help" in (await telegram.next_message(USER))["text"]
    for data in ("p:9.999999", "ls:zz:1", "zzz", "lv:999:-:0"):
        telegram.user_clicks(data)
        answer = await telegram.next_call("answerCallbackQuery")
        assert "cũ" in answer.get("text", "") or data == "lv:999:-:0"


async def test_a_sticker_is_answered(telegram: FakeTelegram, bot):
    telegram.user_sends_document(file_name="a.exe", mime_type="application/x-msdownload")
    assert "tin nhắn chữ" in (await telegram.next_message(USER))["text"]


async def test_failure_reaches_the_one_error_handler(telegram: FakeTelegram, bot, caplog):
    caplog.set_level(logging.ERROR)
    telegram.fail_next("sendMessage", status=400, description="Bad Request: injected")
    telegram.user_sends("/help")
    apology = await telegram.next_message(USER)
    assert "Xin lỗi" in apology["text"]
    logged = [r for r in caplog.records if r.name == "handlers.errors"]
    assert logged
    assert logged[0].exc_info is not None
    assert telegram.token not in caplog.text


async def test_a_card_opened_from_a_list_leads_back_to_it(telegram: FakeTelegram, bot):
    telegram.user_sends("giấy phép")  # a list of several procedures
    msg = await telegram.next_message(USER)
    buttons = telegram.buttons(msg)
    assert len(buttons) >= 2
    telegram.user_clicks(buttons[1][1], message=msg)
    card = await telegram.next_message(USER)
    assert "Mã thủ tục" in card["text"]
    assert ("↩️ Quay lại danh sách", "ls:back") in telegram.buttons(card)
    telegram.user_clicks("ls:back", message=card)
    again = await telegram.next_message(USER)
    assert again["text"] == msg["text"]
    assert telegram.buttons(again) == buttons


async def test_a_card_opened_from_a_field_list_leads_back_too(
    telegram: FakeTelegram, bot, catalogue: Catalogue
):
    index = catalogue.fields().index("Lý lịch tư pháp")
    telegram.user_sends("/linhvuc")
    msg = await telegram.next_message(USER)
    telegram.user_clicks(f"lfl:{index}", message=msg)
    msg = await telegram.next_message(USER)
    if not codes_in(telegram.buttons(msg)):  # a level chooser first
        telegram.user_clicks(telegram.buttons(msg)[-1][1], message=msg)
        msg = await telegram.next_message(USER)
    code = codes_in(telegram.buttons(msg))[0]
    telegram.user_clicks(f"p:{code}", message=msg)
    card = await telegram.next_message(USER)
    assert ("↩️ Quay lại danh sách", "ls:back") in telegram.buttons(card)


async def test_a_same_day_procedure_is_not_due_in_zero_days(
    telegram: FakeTelegram, bot, catalogue: Catalogue
):
    proc = next(p for p in catalogue if p.local is not None and p.local.same_day)
    telegram.user_sends(f"/hanxuly {proc.code}")
    text = (await telegram.next_message(USER))["text"]
    assert "0 ngày" not in text
    assert "trả kết quả trong ngày" in text
