"""End to end: citizens file and follow feedback, officials work the queue (fake Bot API)."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import date, datetime, timedelta

import openpyxl

from bot.telegram_html import plain_text
from knowledge import feedback as fb
from knowledge import workdays
from knowledge.clock import TZ
from tests.fake_telegram import FakeClock, FakeTelegram

USER = 1001
OTHER = 1002
OFFICIAL = 9001
OFFICIAL_2 = 9002
ADMIN = 9009
GROUP = -100500
CONTENT = "Hồ sơ đăng ký khai sinh nộp từ 02/11 đến nay chưa có kết quả, quá hẹn 5 ngày."
PROCEDURE = "1.001193"  # Đăng ký khai sinh
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # a Monday


def data_of(msg: dict, prefix: str) -> str:
    """The callback data of the first button of ``msg`` starting with ``prefix``."""
    for _, data in FakeTelegram.buttons(msg):
        if data.startswith(prefix):
            return data
    raise AssertionError(f"no {prefix!r} button in {FakeTelegram.buttons(msg)}")


async def text_of(telegram: FakeTelegram, chat: int) -> str:
    return plain_text((await telegram.next_message(chat))["text"])


async def click(telegram: FakeTelegram, msg: dict, prefix: str, user: int = USER) -> dict:
    """Press the ``prefix`` button of ``msg`` and return the bot's next message to ``user``."""
    telegram.user_clicks(data_of(msg, prefix), user=user, message=msg)
    return await telegram.next_message(user)


async def choose_kind(telegram: FakeTelegram, kind: str) -> dict:
    """/phananh, then the ``kind`` button; returns the procedure step's message."""
    telegram.user_sends("/phananh")
    await telegram.next_message(USER)
    msg = await telegram.next_message(USER)
    return await click(telegram, msg, f"fb:kind:{draft_id(msg)}:{kind}")


async def to_summary(
    telegram: FakeTelegram,
    user: int = USER,
    *,
    kind: str = "tre_hen",
    search: str | None = None,
    consent: bool = False,
    content: str = CONTENT,
) -> dict:
    """Walk the conversation to the summary; returns the summary message."""
    telegram.user_sends("/phananh", user=user)
    assert "Gửi phản ánh" in await text_of(telegram, user)
    msg = await telegram.next_message(user)
    assert "Bước 1" in msg["text"]
    msg = await click(telegram, msg, f"fb:kind:{draft_id(msg)}:{kind}", user)
    assert "Bước 2" in msg["text"]
    if search:
        telegram.user_sends(search, user=user)
        hits = await telegram.next_message(user)
        msg = await click(telegram, hits, f"fb:proc:{draft_id(hits)}:{PROCEDURE}", user)
    else:
        msg = await click(telegram, msg, "fb:proc:", user)
    assert "Bước 3" in msg["text"]
    telegram.user_sends(content, user=user)
    msg = await telegram.next_message(user)
    assert "Bước 4" in msg["text"]
    msg = await click(telegram, msg, "fb:att:", user)
    return await contact_to_summary(telegram, msg, user, consent=consent)


async def contact_to_summary(
    telegram: FakeTelegram, msg: dict, user: int, *, consent: bool
) -> dict:
    """From the contact step to the summary (consent with name and phone, or anonymous)."""
    assert "Bước 5" in msg["text"]
    if consent:
        msg = await click(telegram, msg, f"fb:ct:{draft_id(msg)}:yes", user)
        assert "họ và tên" in msg["text"]
        telegram.user_sends("Nguyễn Thị Lan", user=user)
        assert "Số điện thoại" in await text_of(telegram, user)
        telegram.user_sends("0912 345 678", user=user)
        msg = await telegram.next_message(user)
    else:
        msg = await click(telegram, msg, f"fb:ct:{draft_id(msg)}:no", user)
    assert "Kiểm tra lại" in msg["text"]
    return msg


def draft_id(msg: dict) -> str:
    """The draft id carried by a conversation message's buttons."""
    for _, data in FakeTelegram.buttons(msg):
        parts = data.split(":")
        if data.startswith("fb:") and len(parts) > 2 and parts[2].isdigit():
            return parts[2]
    raise AssertionError("no draft button")


async def submit(telegram: FakeTelegram, summary: dict, user: int = USER) -> str:
    """Press "Gửi" and return the tracking code from the confirmation."""
    telegram.user_clicks(data_of(summary, "fb:ok:"), user=user, message=summary)
    msg = await telegram.next_message(user)
    text = plain_text(msg["text"])
    assert "Đã ghi nhận" in text
    return text.split("Mã tra cứu: ")[1].split()[0]


async def file_one(telegram: FakeTelegram, user: int = USER, **kw) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    """File a complete report; returns (code, the queue message in the officials' chat)."""
    code = await submit(telegram, await to_summary(telegram, user, **kw), user)
    queued = await telegram.next_message(GROUP)
    assert code in queued["text"]
    return code, queued


def is_search_answer(msg: dict) -> bool:
    """A reply of the procedure search (a card or a list), not of the feedback conversation."""
    data = [d for _, d in FakeTelegram.buttons(msg)]
    return "1.001193" in " ".join(data) and not any(d.startswith("fb:proc:") for d in data)


async def last_toast(telegram: FakeTelegram) -> str:
    """The text of the bot's latest callback answer (after it went quiet)."""
    await telegram.idle()
    answers = [c.params for c in telegram.calls if c.method == "answerCallbackQuery"]
    return str(answers[-1].get("text") or "")


def count(bot, sql: str = "SELECT count(*) FROM feedback") -> int:
    return bot.services.store.run_sync(lambda db: db.execute(sql).fetchone()[0])


# --- filing ------------------------------------------------------------------------------


async def test_anonymous_filing_without_procedure(telegram: FakeTelegram, bot):
    summary = await to_summary(telegram)
    assert "ẩn danh" in summary["text"]
    assert "5 ngày làm việc" in summary["text"]
    code = await submit(telegram, summary)
    assert code.startswith("PA-")
    queued = await telegram.next_message(GROUP)
    assert code in queued["text"]
    assert "Phản ánh mới" in queued["text"]
    assert {d.split(":")[1] for _, d in telegram.buttons(queued)} >= {
        "claim",
        "fwd",
        "reply",
        "nc",
        "dup",
        "rej",
    }
    assert count(bot) == 1
    assert count(bot, "SELECT count(*) FROM feedback WHERE acknowledged_at IS NOT NULL") == 1


async def test_procedure_search_attachments_location_and_consent(telegram: FakeTelegram, bot):
    msg = await choose_kind(telegram, "thai_do")
    telegram.user_sends("khai sinh")
    hits = await telegram.next_message(USER)
    assert any(PROCEDURE in d for _, d in telegram.buttons(hits))
    msg = await click(telegram, hits, f"fb:proc:{draft_id(hits)}:{PROCEDURE}")
    assert "Bước 3" in msg["text"]
    assert "2.000" in msg["text"]  # the limit is said up front, Vietnamese style
    telegram.user_sends(CONTENT)
    assert "Bước 4" in (await telegram.next_message(USER))["text"]
    telegram.user_sends_photo()
    assert "1 ảnh" in await text_of(telegram, USER)
    telegram.user_sends_document(file_name="don.pdf")
    assert "1 tệp" in await text_of(telegram, USER)
    telegram.user_sends_location(21.0285, 105.8542)
    msg = await telegram.next_message(USER)
    assert "vị trí" in msg["text"]
    msg = await click(telegram, msg, "fb:att:")
    summary = await contact_to_summary(telegram, msg, USER, consent=True)
    text = plain_text(summary["text"])
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Nguyễn Thị Lan · 0912345678" in text
    assert "1 ảnh, 1 tệp, vị trí" in text
    code = await submit(telegram, summary)
    queued = await telegram.next_message(GROUP)
    assert "0912345678" in queued["text"]
    profile = bot.services.store.run_sync(
        lambda db: db.execute(
            "SELECT consent_at, consent_policy FROM chat_user WHERE user_id = ?", [USER]
        ).fetchone()
    )
    assert profile[0] is not None
    assert profile[1] == bot.config.feedback.policy_version
    # /dulieucuatoi says when, in Vietnamese time and format, never a raw ISO timestamp
    telegram.user_sends("/dulieucuatoi")
    mine = plain_text((await telegram.next_message(USER))["text"])
    await telegram.next_message(USER)  # the JSON file
    assert re.search(r"đồng ý lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}", mine), mine
    assert f"(chính sách {bot.config.feedback.policy_version})" in mine
    assert "T" not in mine.split("đồng ý lúc", 1)[1].split("(")[0]
    # officials open the attachments from the queue
    telegram.user_clicks(f"fo:files:{code}", user=OFFICIAL, message=queued)
    methods = [(await telegram.next_message(GROUP))["method"] for _ in range(3)]
    assert methods == ["sendPhoto", "sendDocument", "sendLocation"]


async def test_card_button_prefills_the_procedure(telegram: FakeTelegram, bot):
    telegram.user_clicks(f"fb:new:{PROCEDURE}")
    await telegram.next_message(USER)
    msg = await telegram.next_message(USER)
    assert "Thủ tục đăng ký khai sinh" in msg["text"]
    msg = await click(telegram, msg, f"fb:kind:{draft_id(msg)}:quy_dinh")
    assert "Bước 3" in msg["text"]  # no procedure step: it is already known


async def test_edit_before_confirm_and_cancel_button(telegram: FakeTelegram, bot):
    summary = await to_summary(telegram)
    menu = await click(telegram, summary, "fb:ed:")
    msg = await click(telegram, menu, f"fb:edf:{draft_id(menu)}:content")
    assert "Bước 3" in msg["text"]
    telegram.user_sends("Nội dung mới: cán bộ hẹn trả kết quả nhưng không trả.")
    summary = await telegram.next_message(USER)
    assert "Nội dung mới" in summary["text"]
    assert CONTENT not in summary["text"]
    menu = await click(telegram, summary, "fb:ed:")
    msg = await click(telegram, menu, f"fb:edf:{draft_id(menu)}:kind")
    summary = await click(telegram, msg, f"fb:kind:{draft_id(msg)}:kien_nghi")
    assert "Kiến nghị" in summary["text"]
    done = await click(telegram, summary, "fb:cancel:")
    assert "Đã hủy" in done["text"]
    assert count(bot) == 0
    assert count(bot, "SELECT count(*) FROM feedback_draft WHERE status = 'open'") == 0


async def test_huy_from_a_middle_step_then_text_goes_to_search(telegram: FakeTelegram, bot):
    msg = await choose_kind(telegram, "khac")
    msg = await click(telegram, msg, "fb:proc:")
    telegram.user_sends("/huy")
    assert "Đã hủy" in await text_of(telegram, USER)
    telegram.user_sends("khai sinh")  # no draft any more: this is a search
    assert is_search_answer(await telegram.next_message(USER))
    telegram.user_sends("/huy")
    assert "không có thao tác" in (await text_of(telegram, USER)).lower()


# --- bad input ---------------------------------------------------------------------------


async def test_bad_input_gets_clear_replies_and_nothing_is_lost(telegram: FakeTelegram, bot):
    telegram.user_sends("/phananh")
    await telegram.next_message(USER)
    kind_msg = await telegram.next_message(USER)
    msg = await click(telegram, kind_msg, f"fb:kind:{draft_id(kind_msg)}:khac")
    # a button from an old message
    telegram.user_clicks(f"fb:kind:{draft_id(kind_msg)}:thai_do", message=kind_msg)
    assert "Nút này đã cũ" in await last_toast(telegram)
    msg = await click(telegram, msg, "fb:proc:")
    # a photo before its step, a command in the middle
    telegram.user_sends_photo()
    assert "bước đính kèm" in await text_of(telegram, USER)
    assert "Bước 3" in await text_of(telegram, USER)
    telegram.user_sends("/start")  # does what it says, then reminds (issue 10)
    assert "Xin chào" in await text_of(telegram, USER)
    reminder = await telegram.next_message(USER)
    assert "đang soạn dở" in reminder["text"]
    # a bare slash (a command entity with no name): found by the fuzz test, once an IndexError
    telegram.user_sends("/")
    assert "chưa hiểu lệnh này" in await text_of(telegram, USER)  # reminded once already
    assert "Bước 3" in (await click(telegram, reminder, "fb:resume"))["text"]
    # oversized, too short, blank
    telegram.user_sends("x" * 2001)
    assert "2001 ký tự" in await text_of(telegram, USER)
    telegram.user_sends("ngắn")
    assert "hơi ngắn" in await text_of(telegram, USER)
    telegram.user_sends("   ")
    assert "trống" in await text_of(telegram, USER)
    telegram.user_sends(CONTENT)
    assert "Bước 4" in await text_of(telegram, USER)
    # unsupported file, a photo over Telegram's download limit
    telegram.user_sends_document(file_name="virus.exe", mime_type="application/x-msdownload")
    assert "chưa nhận loại tệp" in await text_of(telegram, USER)
    telegram.user_sends_photo(file_size=25 * 1024 * 1024)
    assert "20 MB" in await text_of(telegram, USER)
    draft = bot.services.store.run_sync(
        lambda db: fb.get_open_draft(db, USER, bot.services.clock(), bot.config.feedback)
    )
    assert draft.step == fb.STEP_ATTACHMENTS
    assert draft.content == CONTENT
    assert draft.attachments == ()
    # a code in the wrong format
    telegram.user_sends("/tracuu 12345")
    assert "PA-XXXXXXXX" in await text_of(telegram, USER)


# --- durability and idempotency ------------------------------------------------------------


async def test_restart_in_the_middle_keeps_the_draft(telegram: FakeTelegram, bot):
    msg = await choose_kind(telegram, "tre_hen")
    await bot.restart()
    telegram.user_sends("khai sinh")  # the procedure step survives: this is not a plain search
    hits = await telegram.next_message(USER)
    msg = await click(telegram, hits, f"fb:proc:{draft_id(hits)}:{PROCEDURE}")
    await bot.restart()
    telegram.user_sends(CONTENT)
    msg = await telegram.next_message(USER)
    assert "Bước 4" in msg["text"]
    msg = await click(telegram, msg, "fb:att:")
    await bot.restart()
    summary = await contact_to_summary(
        telegram, msg, USER, consent=False
    )  # an old button, still valid
    assert "Thủ tục đăng ký khai sinh" in summary["text"]
    await submit(telegram, summary)
    assert count(bot) == 1


async def test_redelivered_update_and_double_tap_make_one_record(telegram: FakeTelegram, bot):
    msg = await choose_kind(telegram, "khac")
    msg = await click(telegram, msg, "fb:proc:")
    telegram.deliver(telegram.user_sends(CONTENT))  # Telegram delivers the update twice
    attach = await telegram.next_message(USER)
    assert "Bước 4" in attach["text"]
    await telegram.idle()
    assert len(telegram.messages(USER)) == 5  # nothing answered the second delivery
    msg = await click(telegram, attach, "fb:att:")
    summary = await contact_to_summary(telegram, msg, USER, consent=False)
    sent_before = len(telegram.messages(USER))
    tap = telegram.user_clicks(data_of(summary, "fb:ok:"), message=summary)
    telegram.user_clicks(data_of(summary, "fb:ok:"), message=summary)  # a double tap
    telegram.deliver(tap)  # and a redelivery
    assert "Đã ghi nhận" in (await telegram.next_message(USER))["text"]
    await telegram.next_message(GROUP)
    await telegram.idle(quiet=0.6)
    assert len(telegram.messages(USER)) == sent_before + 1
    assert count(bot) == 1
    assert len([m for m in telegram.messages(GROUP) if "Phản ánh mới" in m["text"]]) == 1
    assert "đã được gửi rồi" in await last_toast(telegram)


async def test_two_users_do_not_see_each_others_records(telegram: FakeTelegram, bot):
    code_a, _ = await file_one(telegram, USER)
    code_b, _ = await file_one(telegram, OTHER)
    telegram.user_sends(f"/tracuu {code_a}", user=OTHER)
    foreign = await text_of(telegram, OTHER)
    telegram.user_sends("/tracuu PA-ZZZZZZZZ", user=OTHER)
    missing = await text_of(telegram, OTHER)
    assert foreign == missing
    assert "Không tìm thấy" in foreign
    telegram.user_sends(f"/tracuu {code_a.lower()}")
    own = await text_of(telegram, USER)
    assert code_a in own
    assert "Mới tiếp nhận" in own
    telegram.user_sends("/tracuu", user=OTHER)
    mine = await text_of(telegram, OTHER)
    assert code_b in mine
    assert code_a not in mine


async def test_rate_limit_is_explained(telegram: FakeTelegram, start_bot, make_config):
    config = make_config(feedback=fb_config(rate_limit_count=1))
    await start_bot(config, clock=FakeClock(T0))
    await file_one(telegram)
    telegram.user_sends("/phananh")
    text = await text_of(telegram, USER)
    assert "thử lại sau khoảng 10 phút" in text
    assert "09:10" in text


def fb_config(**changes):  # type: ignore[no-untyped-def]
    import dataclasses

    from knowledge.settings import FeedbackConfig

    return dataclasses.replace(FeedbackConfig(officials_chat_id=GROUP), **changes)


async def test_abandoned_draft_expires(telegram: FakeTelegram, start_bot):
    clock = FakeClock(T0)
    await start_bot(clock=clock)
    await choose_kind(telegram, "khac")
    clock.advance(timedelta(hours=49))
    telegram.user_sends("khai sinh")
    assert "hết hạn" in await text_of(telegram, USER)
    telegram.user_sends("khai sinh")  # now an ordinary search
    assert is_search_answer(await telegram.next_message(USER))


# --- officials ---------------------------------------------------------------------------


async def test_official_actions_reach_the_citizen(telegram: FakeTelegram, bot):
    code, queued = await file_one(telegram, consent=True)
    telegram.user_clicks(f"fo:claim:{code}", user=OFFICIAL, message=queued)
    assert "Sở Tư pháp" in await text_of(telegram, USER)
    edited = await telegram.next_message(GROUP)
    assert "Cán bộ Tư pháp đã nhận xử lý" in await last_toast(telegram)
    assert edited["method"] == "editMessageText"
    assert "Đang xử lý" in edited["text"]
    assert not any(d.startswith("fo:claim") for _, d in telegram.buttons(edited))
    # forward: the button lists the configured agencies (not the one holding it) to pick from
    telegram.user_clicks(f"fo:fwd:{code}", user=OFFICIAL, message=edited)
    picker = await telegram.next_message(GROUP)
    assert "tg://user?id=9001" in picker["text"]
    agencies = dict(telegram.buttons(picker))
    assert "Sở Tư pháp" not in agencies
    telegram.user_clicks(agencies["Sở Nội vụ"], user=OFFICIAL, message=picker)
    assert "chuyển cơ quan" in await last_toast(telegram)
    assert "Sở Nội vụ" in await text_of(telegram, USER)
    await telegram.next_message(GROUP)  # the queue message refreshed
    await telegram.next_message(GROUP)  # the picker says where the record went
    assert "chuyển đến Sở Nội vụ" in await text_of(telegram, OFFICIAL_2)  # the agency is told
    # reply from the other official, in a private chat with the bot
    telegram.user_clicks(f"fo:reply:{code}", user=OFFICIAL_2, message=queued)
    await telegram.next_message(GROUP)
    telegram.user_sends("Hồ sơ đã có kết quả, mời ông/bà đến nhận.", user=OFFICIAL_2)
    assert "trả lời" in await text_of(telegram, OFFICIAL_2)
    answer = await telegram.next_message(USER)
    assert "mời ông/bà đến nhận" in answer["text"]
    assert {d.rsplit(":", 1)[1] for _, d in telegram.buttons(answer)} == {"hl", "bt", "kh"}
    # the record's history says who did what
    telegram.user_sends(f"/phananh {code}", user=ADMIN)
    detail = await text_of(telegram, ADMIN)
    for expected in (
        "Cán bộ Tư pháp (Sở Tư pháp)",
        "Cán bộ Nội vụ (Sở Nội vụ)",
        "nhận xử lý",
        "Đã trả lời",
    ):
        assert expected in detail
    # the citizen sees agencies, not officials' names
    telegram.user_sends(f"/tracuu {code}")
    track = await telegram.next_message(USER)
    assert "Cán bộ Tư pháp" not in track["text"]
    assert "mời ông/bà đến nhận" in track["text"]
    assert any(d.startswith("fb:rate:") for _, d in telegram.buttons(track))


async def test_not_competent_duplicate_and_reject(telegram: FakeTelegram, bot):
    first, q1 = await file_one(telegram, USER)
    second, q2 = await file_one(telegram, OTHER)
    third, q3 = await file_one(telegram, 1003)
    telegram.user_clicks(f"fo:dup:{second}", user=OFFICIAL, message=q2)
    await telegram.next_message(GROUP)
    telegram.group_sends(second, chat=GROUP, user=OFFICIAL)
    assert "chính nó" in await text_of(telegram, GROUP)
    telegram.group_sends("PA-ZZZZZZZZ", chat=GROUP, user=OFFICIAL)
    assert "Không có phản ánh PA-ZZZZZZZZ" in await text_of(telegram, GROUP)
    telegram.group_sends(first, chat=GROUP, user=OFFICIAL)
    assert "đánh dấu trùng" in await text_of(telegram, GROUP)
    assert "Trùng phản ánh khác" in await text_of(telegram, GROUP)  # the queue message
    note = await text_of(telegram, OTHER)
    assert "trùng" in note
    assert first not in note  # someone else's code is never shown
    telegram.user_clicks(f"fo:nc:{third}", user=OFFICIAL, message=q3)
    assert "cơ quan có thẩm quyền" in await text_of(telegram, GROUP)
    telegram.group_sends("UBND phường Hòa Bình", chat=GROUP, user=OFFICIAL)
    assert "không thuộc thẩm quyền" in await text_of(telegram, GROUP)
    assert "UBND phường Hòa Bình" in await text_of(telegram, 1003)
    assert "Không thuộc thẩm quyền" in await text_of(telegram, GROUP)
    telegram.user_clicks(f"fo:rej:{first}", user=OFFICIAL, message=q1)
    assert "lý do từ chối" in await text_of(telegram, GROUP)
    telegram.user_sends("/huy", user=OFFICIAL, chat=GROUP)
    assert "Đã hủy thao tác" in await text_of(telegram, GROUP)
    telegram.group_sends("tin nhắn bình thường", chat=GROUP, user=OFFICIAL)
    await telegram.idle()
    status = bot.services.store.run_sync(lambda db: fb.by_code(db, first).status)
    assert status == fb.Status.NEW
    telegram.user_clicks(f"fo:rej:{first}", user=OFFICIAL, message=q1)
    await telegram.next_message(GROUP)
    telegram.group_sends("Nội dung không thuộc phạm vi tiếp nhận.", chat=GROUP, user=OFFICIAL)
    assert "từ chối" in await text_of(telegram, GROUP)
    rejected = await text_of(telegram, USER)
    assert "không được tiếp nhận" in rejected
    assert "Nội dung không thuộc phạm vi tiếp nhận." in rejected


async def test_rating_and_reopening(telegram: FakeTelegram, bot):
    code, queued = await file_one(telegram)
    telegram.user_clicks(f"fo:reply:{code}", user=OFFICIAL, message=queued)
    await telegram.next_message(GROUP)
    telegram.group_sends("Đã liên hệ bộ phận một cửa để trả kết quả.", chat=GROUP, user=OFFICIAL)
    answer = await telegram.next_message(USER)
    unhappy = data_of(answer, "fb:rate:")[:-2] + "kh"
    telegram.user_clicks(unhappy, message=answer)
    assert "mở lại" in await text_of(telegram, USER)
    await telegram.idle()
    reopened = [m for m in telegram.messages(GROUP) if "được mở lại" in m["text"]]
    assert len(reopened) == 1
    telegram.user_clicks(unhappy, message=answer)  # a second tap changes nothing
    assert "đã đánh giá" in await last_toast(telegram)
    assert count(bot, "SELECT count(*) FROM rating") == 1
    telegram.user_sends("/phananh_moi", user=OFFICIAL)
    listing = await text_of(telegram, OFFICIAL)
    assert code in listing
    assert "Đã mở lại" in listing


async def test_unsatisfied_after_the_window_only_records(telegram: FakeTelegram, start_bot):
    clock = FakeClock(T0)
    await start_bot(clock=clock)
    code, queued = await file_one(telegram)
    telegram.user_clicks(f"fo:reply:{code}", user=OFFICIAL, message=queued)
    await telegram.next_message(GROUP)
    telegram.group_sends("Đã giải quyết xong.", chat=GROUP, user=OFFICIAL)
    answer = await telegram.next_message(USER)
    clock.advance(timedelta(days=8))
    telegram.user_clicks(data_of(answer, "fb:rate:")[:-2] + "kh", message=answer)
    assert "quá 7 ngày" in await text_of(telegram, USER)


async def test_citizens_are_refused_officials_commands_and_buttons(telegram: FakeTelegram, bot):
    code, queued = await file_one(telegram)
    for command in ("/phananh_moi", "/phananh_quahan", "/xuatphananh", f"/chan {USER}"):
        telegram.user_sends(command)
        assert "chưa hiểu lệnh này" in await text_of(telegram, USER)
    telegram.user_clicks(f"fo:claim:{code}", user=USER, message=queued)
    assert "Nút này đã cũ" in await last_toast(telegram)
    assert bot.services.store.run_sync(lambda db: fb.by_code(db, code).status) == fb.Status.NEW


async def test_blocked_user_files_silently_hidden(telegram: FakeTelegram, bot):
    code, _ = await file_one(telegram)
    telegram.user_sends(f"/chan {code}", user=OFFICIAL)
    assert "quản trị viên" in await text_of(telegram, OFFICIAL)
    telegram.user_sends(f"/chan {code}", user=ADMIN)
    assert "Đã chặn" in await text_of(telegram, ADMIN)
    summary = await to_summary(telegram)
    second = await submit(telegram, summary)  # the same confirmation as anyone gets
    await telegram.idle()
    assert not any(second in m["text"] for m in telegram.messages(GROUP))
    telegram.user_sends("/phananh_moi", user=OFFICIAL)
    assert "Không có phản ánh mới" in await text_of(telegram, OFFICIAL)
    telegram.user_sends(f"/tracuu {second}")
    assert second in await text_of(telegram, USER)


async def test_citizen_who_blocked_the_bot_is_recorded(telegram: FakeTelegram, bot):
    code, queued = await file_one(telegram)
    telegram.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    telegram.user_clicks(f"fo:claim:{code}", user=OFFICIAL, message=queued)
    edited = await telegram.next_message(GROUP)
    assert "Đang xử lý" in edited["text"]
    flag = count(bot, f"SELECT bot_blocked FROM chat_user WHERE user_id = {USER}")
    assert flag == 1


# --- lists, reminder, export, personal data ------------------------------------------------


async def test_overdue_list_and_daily_reminder(telegram: FakeTelegram, start_bot):
    from handlers.feedback import queue

    clock = FakeClock(T0)
    running = await start_bot(clock=clock)
    code, _ = await file_one(telegram)
    due = workdays.add_working_days(T0.date(), 5)  # 24/11 is Vietnam Culture Day
    assert due == date(2026, 12, 1)
    clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=TZ))
    telegram.user_sends("/phananh_quahan", user=OFFICIAL)
    listing = await text_of(telegram, OFFICIAL)
    assert code in listing
    assert "⚠️" in listing
    assert "quá 3 ngày" in listing
    jobs = {job.name for job in running.app.job_queue.jobs()}
    assert {"feedback-reminder", "feedback-maintenance"} <= jobs
    running.app.job_queue.run_once(queue.reminder_job, 0)
    reminder = await text_of(telegram, GROUP)
    assert "Nhắc việc" in reminder
    assert code in reminder


async def test_export_command_sends_an_xlsx(telegram: FakeTelegram, bot):
    code, _ = await file_one(telegram)
    today = bot.services.clock().strftime("%d/%m/%Y")
    telegram.group_sends(f"/xuatphananh 01/01/2026 {today}", chat=GROUP, user=OFFICIAL)
    doc = await telegram.next_message(GROUP)
    assert doc["method"] == "sendDocument"
    assert doc["file_name"].endswith(".xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(doc["file_bytes"])).active.iter_rows(values_only=True)
    )
    assert rows[1][0] == code
    assert "1 bản ghi" in doc["text"]
    telegram.group_sends("/xuatphananh 31/31/2026", chat=GROUP, user=OFFICIAL)
    assert "dd/mm/yyyy" in await text_of(telegram, GROUP)


async def test_my_data_and_erasure(telegram: FakeTelegram, bot):
    code, queued = await file_one(telegram, consent=True)
    telegram.user_sends("/dulieucuatoi")
    assert "Số phản ánh đã gửi: 1" in await text_of(telegram, USER)
    doc = await telegram.next_message(USER)
    data = json.loads(doc["file_bytes"].decode("utf-8"))
    assert data["feedback"][0]["code"] == code
    assert data["feedback"][0]["contact_phone"] == "0912345678"
    telegram.user_sends("/xoadulieu")
    confirm = await telegram.next_message(USER)
    done = await click(telegram, confirm, "fb:del:")
    assert "Đã xóa dữ liệu" in done["text"]
    blanked = await telegram.next_message(GROUP)
    assert blanked["message_id"] == queued["message_id"]
    assert CONTENT not in blanked["text"]
    telegram.user_sends(f"/tracuu {code}")
    assert "Không tìm thấy" in await text_of(telegram, USER)
    dump = bot.services.store.run_sync(lambda db: "\n".join(db.iterdump()))
    assert "0912345678" not in dump
    assert CONTENT not in dump
    assert count(bot) == 1  # anonymous statistics stay


async def test_logs_hold_no_personal_data(telegram: FakeTelegram, bot, caplog):
    caplog.set_level(logging.INFO)
    code, queued = await file_one(telegram, consent=True)
    telegram.user_clicks(f"fo:reply:{code}", user=OFFICIAL, message=queued)
    await telegram.next_message(GROUP)
    telegram.group_sends("Trả lời có số 0987654321.", chat=GROUP, user=OFFICIAL)
    await telegram.next_message(USER)
    await telegram.idle()
    ours = "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.split(".")[0] in {"handlers", "knowledge", "bot", "telegram"}
    )
    for secret in ("0912345678", "0912 345 678", "Nguyễn Thị Lan", CONTENT[:30], "0987654321"):
        assert secret not in ours
    assert code in ours


async def test_crash_after_commit_the_confirmation_still_arrives(
    telegram: FakeTelegram, start_bot
):
    from handlers.feedback import queue

    clock = FakeClock(T0)
    running = await start_bot(clock=clock)
    summary = await to_summary(telegram)
    draft = int(draft_id(summary))
    cfg = running.config.feedback
    # the commit happened, then the process died before "đã ghi nhận" left
    record = running.services.store.run_sync(
        lambda db: fb.submit(db, USER, draft, T0, cfg)
    ).feedback
    await running.restart()
    clock.advance(timedelta(minutes=3))
    running.app.job_queue.run_once(queue.maintenance_job, 0)
    confirmation = await text_of(telegram, USER)
    assert "Đã ghi nhận" in confirmation
    assert record.code in confirmation
    assert record.code in await text_of(telegram, GROUP)
    await telegram.idle()
    assert count(running, "SELECT count(*) FROM feedback WHERE acknowledged_at IS NULL") == 0
    telegram.user_clicks(data_of(summary, "fb:ok:"), message=summary)  # the tap arrives late
    assert "đã được gửi rồi" in await last_toast(telegram)
    assert len([m for m in telegram.messages(USER) if "Đã ghi nhận" in m["text"]]) == 1


async def test_forged_buttons_get_the_stale_answer(telegram: FakeTelegram, bot):
    for data in (
        "fb:rate:PA-ZZZZZZZZ:1:xx",
        "fb:kind:abc:khac",
        "fb:nope",
        "fb:ok",
        "fb:new:9.999999",
    ):
        telegram.user_clicks(data)
        assert "Nút này đã cũ" in await last_toast(telegram)
    assert not [m for m in telegram.messages(USER) if "sự cố" in m["text"]]


async def test_my_data_without_consent_says_so_plainly(telegram: FakeTelegram, bot):
    telegram.user_sends("/dulieucuatoi")
    mine = plain_text((await telegram.next_message(USER))["text"])
    assert "Đồng ý cung cấp thông tin liên hệ: chưa có" in mine
    assert "—" not in mine


async def test_blocking_an_unknown_id_says_there_is_nobody_to_block(telegram: FakeTelegram, bot):
    telegram.user_sends("/chan 123456789", user=ADMIN)
    text = await text_of(telegram, ADMIN)
    assert "chưa lưu người dùng nào" in text
    assert "Đã chặn" not in text
    blocked = bot.services.store.run_sync(
        lambda db: db.execute(
            "SELECT count(*) FROM chat_user WHERE user_id = 123456789"
        ).fetchone()
    )
    assert blocked[0] == 0  # no row invented for a stranger
    # a citizen who has filed a complaint can be blocked by id
    await file_one(telegram)
    telegram.user_sends(f"/chan {USER}", user=ADMIN)
    assert "Đã chặn" in await text_of(telegram, ADMIN)
