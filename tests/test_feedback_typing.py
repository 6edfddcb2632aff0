"""End to end (issue 10): citizens type where the complaint form offers buttons.

Typed text at a button step of /phananh used to become a procedure search, and the
complaint text was lost; an unfinished draft took over every command, /start included,
for 48 hours. Here the citizen types before pressing, through the real Application and
the fake Bot API: the complaint typed at step 1 is kept, "có" / "không" / "ok gửi đi"
are understood, anything else shows the step again, a command mid-draft does what it says
and reminds once, and the draft survives all of it and is submitted once.
"""

from __future__ import annotations

from bot.telegram_html import plain_text
from knowledge import feedback as fb
from tests.fake_telegram import FakeTelegram
from tests.test_handlers_feedback import (
    CONTENT,
    GROUP,
    PROCEDURE,
    USER,
    choose_kind,
    click,
    count,
    data_of,
    draft_id,
    is_search_answer,
    text_of,
)

COMPLAINT = (
    "Cán bộ bộ phận một cửa phường có thái độ hách dịch, nhũng nhiễu, "
    "bắt tôi đi lại ba lần mới nhận hồ sơ đăng ký khai sinh cho con."
)
MORE = "Hôm đó là sáng thứ Hai 16/11."
SEARCH_REPLIES = ("Mình tìm thấy mấy thủ tục", "Mình chưa tìm thấy thủ tục nào")


def of_the_draft(msg: dict) -> bool:
    """A message of the complaint conversation: its buttons are all the draft's."""
    data = [d for _, d in FakeTelegram.buttons(msg)]
    return bool(data) and all(d.startswith("fb:") for d in data)


def no_search_answer(telegram: FakeTelegram) -> None:
    """Nothing the citizen typed was answered by the procedure search."""
    for msg in telegram.messages(USER):
        text = plain_text(msg["text"])
        assert not any(s in text for s in SEARCH_REPLIES), text
        assert not is_search_answer(msg), text


def the_draft(bot) -> fb.Draft | None:  # type: ignore[no-untyped-def]
    return bot.services.store.run_sync(
        lambda db: fb.get_open_draft(db, USER, bot.services.clock(), bot.config.feedback)
    )


def records(bot) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return bot.services.store.run_sync(
        lambda db: db.execute("SELECT kind, content FROM feedback").fetchall()
    )


async def says(telegram: FakeTelegram, text: str) -> dict:
    """The citizen types ``text``; the bot's reply."""
    telegram.user_sends(text)
    return await telegram.next_message(USER)


async def open_form(telegram: FakeTelegram) -> dict:
    """/phananh: the intro, then step 1 (returned)."""
    telegram.user_sends("/phananh")
    assert "Gửi phản ánh" in await text_of(telegram, USER)
    step = await telegram.next_message(USER)
    assert "Bước 1" in step["text"]
    return step


async def to_contact(telegram: FakeTelegram) -> dict:
    """Through steps 1-4 with buttons (content typed at step 3); returns step 5."""
    msg = await choose_kind(telegram, "tre_hen")
    msg = await click(telegram, msg, "fb:proc:")
    assert "Bước 3" in msg["text"]
    msg = await says(telegram, CONTENT)
    assert "Bước 4" in msg["text"]
    msg = await click(telegram, msg, "fb:att:")
    assert "Bước 5" in msg["text"]
    return msg


async def test_the_complaint_typed_at_step_one_is_kept_and_sent_by_typing(
    telegram: FakeTelegram, bot
):
    await open_form(telegram)
    # the citizen types the complaint instead of pressing a kind: it is the content
    step = await says(telegram, COMPLAINT)
    assert of_the_draft(step)
    assert "Bước 1" in step["text"]
    assert "hách dịch, nhũng nhiễu" in step["text"]  # shown back: kept
    first_label, first_data = FakeTelegram.buttons(step)[0]
    assert first_label == "👉 Thái độ phục vụ"  # guessed from "thái độ", "nhũng nhiễu"
    assert first_data.endswith(":thai_do")
    assert {d.rsplit(":", 1)[1] for _, d in FakeTelegram.buttons(step)} >= set(fb.KINDS)
    # a second message adds to it
    step = await says(telegram, MORE)
    assert "Bước 1" in step["text"]
    assert the_draft(bot).content == f"{COMPLAINT}\n{MORE}"
    # "có" takes the suggested kind; the procedure step offers what the complaint names
    step = await says(telegram, "có")
    assert "Bước 2" in step["text"]
    assert any(d.endswith(f":{PROCEDURE}") for _, d in FakeTelegram.buttons(step))
    # the content step is skipped: it was typed already
    step = await click(telegram, step, f"fb:proc:{draft_id(step)}:{PROCEDURE}")
    assert "Bước 4" in step["text"]
    step = await says(telegram, "xong")
    assert "Bước 5" in step["text"]
    step = await says(telegram, "có")  # consent, typed
    assert "họ và tên" in step["text"]
    assert "Số điện thoại" in (await says(telegram, "Trần Văn Bình"))["text"]
    summary = await says(telegram, "0987 654 321")
    assert "Kiểm tra lại" in summary["text"]
    assert "Thái độ phục vụ" in summary["text"]
    assert MORE in plain_text(summary["text"])
    assert count(bot) == 0  # nothing is said to be recorded before the commit
    done = plain_text((await says(telegram, "ok gửi đi"))["text"])
    assert "Đã ghi nhận" in done
    code = done.split("Mã tra cứu: ")[1].split()[0]
    assert code in (await telegram.next_message(GROUP))["text"]
    assert records(bot) == [("thai_do", f"{COMPLAINT}\n{MORE}")]
    # typed again after sending: told it was sent, not searched for, nothing doubled
    again = await says(telegram, "ok gửi đi")
    assert f"đã được gửi rồi (mã {code})" in plain_text(again["text"])
    await telegram.idle()
    assert count(bot) == 1
    assert len([m for m in telegram.messages(USER) if "Đã ghi nhận" in m["text"]]) == 1
    no_search_answer(telegram)


async def test_a_kind_typed_by_name_at_step_one_is_chosen(telegram: FakeTelegram, bot):
    await open_form(telegram)
    step = await says(telegram, "trễ hẹn")
    assert "Bước 2" in step["text"]
    assert the_draft(bot).kind == "tre_hen"
    assert the_draft(bot).content is None
    step = await says(telegram, "không")  # no procedure in particular
    assert "Bước 3" in step["text"]
    no_search_answer(telegram)


async def test_yes_and_no_typed_at_the_contact_and_confirm_steps(telegram: FakeTelegram, bot):
    await to_contact(telegram)
    summary = await says(telegram, "không")  # step 5: no contact details
    assert "Kiểm tra lại" in summary["text"]
    assert "ẩn danh" in summary["text"]
    menu = await says(telegram, "không")  # step 6: not right -> what to change
    assert "sửa phần nào" in menu["text"]
    assert any(d.startswith("fb:edf:") for _, d in FakeTelegram.buttons(menu))
    assert any(d.startswith("fb:cancel:") for _, d in FakeTelegram.buttons(menu))
    offer = await says(telegram, "thôi hủy đi")  # offered, never done on a typed word
    assert {d.split(":")[1] for _, d in FakeTelegram.buttons(offer)} == {"cancel", "resume"}
    draft = the_draft(bot)
    assert draft is not None
    assert draft.step == fb.STEP_SUMMARY
    assert draft.content == CONTENT
    shown = await click(telegram, offer, "fb:resume")
    assert "Kiểm tra lại" in shown["text"]
    done = await says(telegram, "gửi")
    assert "Đã ghi nhận" in done["text"]
    await telegram.next_message(GROUP)
    assert records(bot) == [("tre_hen", CONTENT)]
    no_search_answer(telegram)


async def test_gibberish_at_a_button_step_shows_that_step_again(telegram: FakeTelegram, bot):
    await open_form(telegram)
    step = await says(telegram, "asdf")
    assert of_the_draft(step)
    assert "chưa hiểu" in step["text"]
    assert "Bước 1" in step["text"]
    assert any(d.startswith("fb:kind:") for _, d in FakeTelegram.buttons(step))
    assert the_draft(bot).content is None
    msg = await click(telegram, step, f"fb:kind:{draft_id(step)}:khac")
    msg = await click(telegram, msg, "fb:proc:")
    assert "Bước 3" in msg["text"]
    msg = await says(telegram, CONTENT)
    assert "Bước 4" in msg["text"]
    step = await says(telegram, "hmm ???")
    assert "chưa hiểu" in step["text"]
    assert "Bước 4" in step["text"]
    step = await click(telegram, step, "fb:att:")
    assert "Bước 5" in step["text"]
    for typed in ("asdf qwer", "ok gửi đi"):  # "gửi" is no consent to leave one's phone
        step = await says(telegram, typed)
        assert of_the_draft(step)
        assert "chưa hiểu" in step["text"]
        assert "Bước 5" in step["text"]
        assert any(d.startswith("fb:ct:") for _, d in FakeTelegram.buttons(step))
    summary = await click(telegram, step, f"fb:ct:{draft_id(step)}:no")
    step = await says(telegram, "xyz 123")
    assert "chưa hiểu" in step["text"]
    assert "Kiểm tra lại" in step["text"]
    assert any(d.startswith("fb:ok:") for _, d in FakeTelegram.buttons(step))
    draft = the_draft(bot)
    assert (draft.kind, draft.content, draft.step) == ("khac", CONTENT, fb.STEP_SUMMARY)
    assert count(bot) == 0
    assert "Đã ghi nhận" in (await says(telegram, "có"))["text"]
    telegram.user_clicks(data_of(summary, "fb:ok:"), message=summary)  # a late tap
    await telegram.idle()
    assert count(bot) == 1
    no_search_answer(telegram)


async def test_a_command_mid_draft_does_what_it_says_and_reminds_once(telegram: FakeTelegram, bot):
    msg = await choose_kind(telegram, "tre_hen")
    await click(telegram, msg, "fb:proc:")  # at step 3
    # /start shows the menu, then one reminder with a resume button
    telegram.user_sends("/start")
    menu = await telegram.next_message(USER)
    assert "Xin chào" in menu["text"]
    assert any(d == "fb:start" for _, d in FakeTelegram.buttons(menu))
    reminder = await telegram.next_message(USER)
    assert "soạn dở" in reminder["text"]
    assert FakeTelegram.buttons(reminder) == [("▶️ Tiếp tục phản ánh", "fb:resume")]
    # another command: it does what it says; no second reminder
    telegram.user_sends("/trongngay")
    listing = await telegram.next_message(USER)
    assert "trong ngày" in listing["text"]
    # text while away from the draft is a search, not the complaint
    assert is_search_answer(await says(telegram, "khai sinh"))
    await telegram.idle()
    assert len([m for m in telegram.messages(USER) if "soạn dở" in m["text"]]) == 1
    assert the_draft(bot).content is None
    # the button resumes the draft where it was; it takes the text again
    step = await click(telegram, reminder, "fb:resume")
    assert "Bước 3" in step["text"]
    assert "Bước 4" in (await says(telegram, CONTENT))["text"]
    # leaving again reminds again (once per departure); /phananh also resumes
    telegram.user_sends("/help")
    assert "Các lệnh" in await text_of(telegram, USER)
    assert "soạn dở" in await text_of(telegram, USER)
    telegram.user_sends("/phananh")
    assert "tiếp tục" in await text_of(telegram, USER)
    step = await telegram.next_message(USER)
    assert "Bước 4" in step["text"]
    await telegram.idle()
    assert len([m for m in telegram.messages(USER) if "soạn dở" in m["text"]]) == 2
    step = await click(telegram, step, "fb:att:")
    summary = await says(telegram, "không")
    assert "Kiểm tra lại" in summary["text"]
    assert CONTENT in plain_text(summary["text"])
    assert "Đã ghi nhận" in (await says(telegram, "đồng ý"))["text"]
    await telegram.idle()
    assert records(bot) == [("tre_hen", CONTENT)]


async def test_a_typed_send_delivered_twice_is_sent_once(telegram: FakeTelegram, bot):
    await to_contact(telegram)
    assert "Kiểm tra lại" in (await says(telegram, "không"))["text"]
    telegram.deliver(telegram.user_sends("ok gửi đi"))  # Telegram delivers it twice
    assert "Đã ghi nhận" in await text_of(telegram, USER)
    await telegram.next_message(GROUP)
    await telegram.idle(quiet=0.6)
    sent = [plain_text(m["text"]) for m in telegram.messages(USER)]
    assert sent[-1].startswith("✅ Đã ghi nhận")  # nothing answered the second delivery
    assert count(bot) == 1


# --- the reading itself (pure) and the draft's domain step ----------------------------------


def test_short_replies_are_read_per_step() -> None:
    from knowledge.feedback import answers

    cases = {
        # (step, typed): meaning
        (fb.STEP_SUMMARY, "ok gửi đi"): answers.YES,
        (fb.STEP_SUMMARY, "ok gui di"): answers.YES,
        (fb.STEP_SUMMARY, "Đồng ý ạ"): answers.YES,
        (fb.STEP_SUMMARY, "không"): answers.EDIT,
        (fb.STEP_SUMMARY, "sửa lại"): answers.EDIT,
        (fb.STEP_SUMMARY, "hmm"): None,
        (fb.STEP_CONTACT, "có"): answers.YES,
        (fb.STEP_CONTACT, "ừ"): answers.YES,
        (fb.STEP_CONTACT, "ko"): answers.NO,
        (fb.STEP_CONTACT, "không đồng ý"): answers.NO,
        (fb.STEP_CONTACT, "ok gửi đi"): None,  # sending is no consent to leave a phone
        (fb.STEP_ATTACHMENTS, "xong"): answers.SKIP,
        (fb.STEP_ATTACHMENTS, "k co gi"): answers.SKIP,
        (fb.STEP_ATTACHMENTS, "có"): None,
        (fb.STEP_PROCEDURE, "bỏ qua"): answers.SKIP,
        (fb.STEP_PROCEDURE, "khai sinh"): None,  # a search
        (fb.STEP_KIND, "có"): answers.YES,
        (fb.STEP_SUMMARY, "thôi hủy đi"): answers.CANCEL,
        (fb.STEP_CONTACT, "huỷ"): answers.CANCEL,
    }
    got = {case: answers.understand(*case) for case in cases}
    assert got == cases
    assert answers.understand(fb.STEP_SUMMARY, CONTENT) is None  # a sentence is no reply


def test_kinds_named_and_guessed() -> None:
    from knowledge.feedback import answers

    assert answers.kind_named("trễ hẹn") == "tre_hen"
    assert answers.kind_named("Thái độ phục vụ") == "thai_do"
    assert answers.kind_named("kien nghi") == "kien_nghi"
    assert answers.kind_named(COMPLAINT) is None
    assert answers.guess_kind(COMPLAINT) == "thai_do"
    assert answers.guess_kind("can bo nhung nhieu nguoi dan") == "thai_do"
    assert answers.guess_kind(CONTENT) == "tre_hen"  # "chưa có kết quả, quá hẹn"
    assert answers.guess_kind("Thủ tục rườm rà, đòi nhiều giấy tờ") == "quy_dinh"
    assert answers.guess_kind("Tôi kiến nghị mở thêm quầy vào thứ Bảy") == "kien_nghi"
    assert answers.guess_kind("xin chào") is None


def test_content_typed_first_skips_its_step(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.storage import open_store
    from knowledge.settings import FeedbackConfig
    from tests.test_handlers_feedback import T0

    cfg = FeedbackConfig(officials_chat_id=GROUP)
    store = open_store(tmp_path / "fb.db")
    try:
        draft, _ = store.run_sync(lambda db: fb.start_draft(db, USER, USER, T0, cfg))
        store.run_sync(lambda db: fb.add_early_content(db, USER, COMPLAINT, T0, cfg))
        kept = store.run_sync(lambda db: fb.add_early_content(db, USER, MORE, T0, cfg))
        assert (kept.step, kept.content) == (fb.STEP_KIND, f"{COMPLAINT}\n{MORE}")
        after = store.run_sync(lambda db: fb.set_kind(db, USER, draft.id, "thai_do", T0, cfg))
        assert after.step == fb.STEP_PROCEDURE
        after = store.run_sync(lambda db: fb.set_procedure(db, USER, draft.id, None, T0, cfg))
        assert after.step == fb.STEP_ATTACHMENTS  # no content step: it is there
    finally:
        store.close()
