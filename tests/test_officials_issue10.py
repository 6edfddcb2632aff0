"""Issue 10, officials: forwarding to a configured agency, paged agency lists, open tasks.

End to end through the real Application and the fake Bot API:

- "↪️ Chuyển cơ quan" offers the agencies of the configured officials as buttons (paged);
  the record lands in the receiving agency's /phananh_moi, each of its officials is told
  privately, the move goes through the lifecycle table, and the agency that forwarded it
  can no longer act on it;
- ``/nhiemvu sở`` with 18 agencies called "Sở ..." pages through every one of them;
- ``/nhiemvu AGENCY`` lists the agency's open tasks, overdue first, with deadlines and
  statuses, paged.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import date, datetime

from bot.telegram_html import plain_text
from handlers.feedback import queue
from knowledge import feedback as fb
from knowledge import tasks
from knowledge.clock import TZ
from knowledge.feedback import officials as scope
from knowledge.settings import Official
from tests.conftest import OFFICIALS
from tests.fake_telegram import FakeClock, FakeTelegram

TU_PHAP, NOI_VU, ADMIN = 9001, 9002, 9009
NOI_VU_2 = 9003
GROUP = -100500
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # a Monday
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)  # a Friday
CONTENT = "Hồ sơ đăng ký khai sinh nộp từ 02/11 đến nay chưa có kết quả, quá hẹn 5 ngày."


# --- helpers ------------------------------------------------------------------------------


async def file_record(bot, user: int = 1001) -> fb.Feedback:  # type: ignore[no-untyped-def]
    """A citizen's record, filed through the domain (the conversation is tested elsewhere)."""
    cfg = bot.config.feedback
    now = bot.services.clock()

    def fill(db):  # type: ignore[no-untyped-def]
        draft, _ = fb.start_draft(db, user, user, now, cfg)
        fb.set_kind(db, user, draft.id, "tre_hen", now, cfg)
        fb.set_procedure(db, user, draft.id, ("1.001193", "Đăng ký khai sinh"), now, cfg)
        fb.set_content(db, user, CONTENT, now, cfg)
        fb.finish_attachments(db, user, draft.id, now, cfg)
        fb.choose_contact(db, user, draft.id, False, now, cfg)
        return fb.submit(db, user, draft.id, now, cfg).feedback

    return await bot.services.store.run(fill)


async def post_to_group(telegram: FakeTelegram, bot, code: str) -> dict:  # type: ignore[no-untyped-def]
    """Run the queue poster; the record's message in the officials' group."""
    await queue.drain_queue(bot.app)
    posted = await telegram.next_message(GROUP)
    assert code in posted["text"]
    return posted


async def press(telegram: FakeTelegram, data: str, user: int, message: dict) -> str:
    """Press a button; the text of the bot's answer to that press (a toast, or "")."""
    before = sum(1 for c in telegram.calls if c.method == "answerCallbackQuery")
    telegram.user_clicks(data, user=user, message=message)
    deadline = time.monotonic() + 10
    while True:
        answers = [c.params for c in telegram.calls if c.method == "answerCallbackQuery"]
        if len(answers) > before:
            return str(answers[before].get("text") or "")
        assert time.monotonic() < deadline, f"no answer to {data}"
        await asyncio.sleep(0.02)


def record_of(bot, code: str) -> fb.Feedback:  # type: ignore[no-untyped-def]
    return bot.services.store.run_sync(lambda db: fb.by_code(db, code))


def data(msg: dict) -> list[str]:
    return [d for _, d in FakeTelegram.buttons(msg)]


# --- the domain's rules -----------------------------------------------------------------------


def test_forward_targets_are_the_configured_agencies_once() -> None:
    people = (
        *OFFICIALS,
        Official(9100, "A", "sở  nội vụ"),  # the same agency, spelled differently
        Official(9101, "B", "UBND phường Hòa Bình"),
    )
    known = scope.agencies(people)
    assert known == ("Sở Nội vụ", "Sở Tư pháp", "UBND phường Hòa Bình", "Văn phòng UBND tỉnh")
    assert scope.agency_named("so noi vu", known) == "Sở Nội vụ"
    assert scope.agency_named("Sở Nội", known) is None


def test_who_may_act_on_a_record_held_by_an_agency() -> None:
    tu_phap, noi_vu, admin = OFFICIALS
    known = scope.agencies(OFFICIALS)
    assert scope.may_act(None, tu_phap, known)  # the centre's: everyone
    assert scope.may_act("Sở Tư pháp", tu_phap, known)
    assert not scope.may_act("Sở Tư pháp", noi_vu, known)
    assert scope.may_act("Sở Tư pháp", admin, known)
    assert scope.may_act("UBND phường Hòa Bình", noi_vu, known)  # not configured: the centre's
    assert not scope.may_act("UBND phường Hòa Bình", noi_vu)  # without the list: held


# --- forwarding -----------------------------------------------------------------------------


async def test_forward_lands_in_the_receiving_agencys_queue(
    telegram: FakeTelegram, start_bot, make_config
):
    second = Official(NOI_VU_2, "Cán bộ Nội vụ 2", "Sở Nội vụ")
    bot = await start_bot(make_config(officials=(*OFFICIALS, second)), clock=FakeClock(T0))
    record = await file_record(bot)
    code = record.code
    queued = await post_to_group(telegram, bot, code)

    # Sở Tư pháp forwards it from the group's queue message: the agencies are buttons
    telegram.user_clicks(f"fo:fwd:{code}", user=TU_PHAP, message=queued)
    picker = await telegram.next_message(GROUP)
    choices = dict(FakeTelegram.buttons(picker))
    assert set(choices) == {"Sở Nội vụ", "Sở Tư pháp", "Văn phòng UBND tỉnh"}
    assert all(d.startswith(f"fo:fwa:{code}:") for d in choices.values())
    assert "chuyển cơ quan" in await press(telegram, choices["Sở Nội vụ"], TU_PHAP, picker)

    # the lifecycle table moved it; the record now belongs to Sở Nội vụ
    moved = record_of(bot, code)
    assert (moved.status, moved.agency) == (fb.Status.FORWARDED, "Sở Nội vụ")
    assert fb.TRANSITIONS[(fb.Status.NEW, fb.Action.FORWARD)] == moved.status
    events = bot.services.store.run_sync(lambda db: fb.history(db, moved.id, public_only=False))
    assert (events[-1].action, events[-1].from_status, events[-1].to_status) == (
        "forward",
        "moi",
        "da_chuyen",
    )
    assert events[-1].note == "Sở Nội vụ"

    # each official of Sở Nội vụ is told privately, with the action buttons; nobody else
    for official in (NOI_VU, NOI_VU_2):
        notice = await telegram.next_message(official)
        assert "chuyển đến Sở Nội vụ" in plain_text(notice["text"])
        assert code in notice["text"]
        assert f"fo:claim:{code}" in data(notice)
    assert telegram.messages(TU_PHAP) == []
    assert telegram.messages(ADMIN) == []

    # it is in Sở Nội vụ's /phananh_moi, no longer in Sở Tư pháp's
    telegram.user_sends("/phananh_moi", user=NOI_VU)
    assert code in plain_text((await telegram.next_message(NOI_VU))["text"])
    telegram.user_sends("/phananh_moi", user=TU_PHAP)
    assert code not in plain_text((await telegram.next_message(TU_PHAP))["text"])

    # Sở Tư pháp can no longer act on it: buttons refused, no pending text, no buttons shown
    for action in ("claim", "reply", "fwd", "rej"):
        toast = await press(telegram, f"fo:{action}:{code}", TU_PHAP, queued)
        assert "đang do Sở Nội vụ xử lý" in toast
    assert record_of(bot, code).status == fb.Status.FORWARDED
    pending = bot.services.store.run_sync(
        lambda db: db.execute("SELECT count(*) FROM feedback_pending_action").fetchone()[0]
    )
    assert pending == 0
    telegram.user_sends(f"/phananh {code}", user=TU_PHAP)
    shown = await telegram.next_message(TU_PHAP)
    assert "đang do Sở Nội vụ xử lý" in plain_text(shown["text"])
    assert data(shown) == [f"fo:show:{code}"]

    # Sở Nội vụ acts on it from the private notice: claims it, then answers
    notice = telegram.messages(NOI_VU)[0]
    assert "nhận xử lý" in await press(telegram, f"fo:claim:{code}", NOI_VU, notice)
    claimed = record_of(bot, code)
    assert (claimed.status, claimed.agency, claimed.assignee_id) == (
        fb.Status.IN_PROGRESS,
        "Sở Nội vụ",
        NOI_VU,
    )
    await press(telegram, f"fo:reply:{code}", NOI_VU, notice)
    assert "nhập nội dung trả lời" in (await telegram.next_message(NOI_VU))["text"]
    telegram.user_sends("Hồ sơ đã có kết quả, mời ông/bà đến nhận.", user=NOI_VU)
    assert "đã trả lời" in (await telegram.next_message(NOI_VU))["text"]
    assert record_of(bot, code).status == fb.Status.ANSWERED


async def test_forward_picker_pages_through_many_agencies(
    telegram: FakeTelegram, start_bot, make_config
):
    names = [f"UBND phường {n}" for n in ("An Bình", "Bình Minh", "Cửa Nam", "Đông Hải",
             "Gia Lâm", "Hòa Bình", "Kim Liên", "Long Biên", "Mỹ Đình", "Ngọc Hà",
             "Phú Thượng", "Quang Trung")]  # fmt: skip
    extra = tuple(Official(9100 + i, f"Cán bộ {i}", name) for i, name in enumerate(names))
    bot = await start_bot(make_config(officials=OFFICIALS + extra), clock=FakeClock(T0))
    code = (await file_record(bot)).code
    queued = await post_to_group(telegram, bot, code)
    telegram.user_clicks(f"fo:fwd:{code}", user=ADMIN, message=queued)
    page = await telegram.next_message(GROUP)
    seen: list[str] = []
    while True:
        buttons = FakeTelegram.buttons(page)
        seen += [label for label, d in buttons if d.startswith("fo:fwa:")]
        forward = [d for label, d in buttons if label == "Trang sau »"]
        if not forward:
            break
        telegram.user_clicks(forward[0], user=ADMIN, message=page)
        page = await telegram.next_message(GROUP)
        assert page["method"] == "editMessageText"
        assert "« Trang trước" in dict(FakeTelegram.buttons(page))
    every = sorted({o.agency for o in OFFICIALS + extra})
    assert sorted(seen) == every  # every configured agency, once, over more than one page
    assert len(seen) > 8
    last = dict(FakeTelegram.buttons(page))["UBND phường Quang Trung"]
    telegram.user_clicks(last, user=ADMIN, message=page)
    assert "UBND phường Quang Trung" in plain_text((await telegram.next_message(9111))["text"])
    assert record_of(bot, code).agency == "UBND phường Quang Trung"


async def test_a_typed_agency_name_must_be_a_configured_one(telegram: FakeTelegram, start_bot):
    bot = await start_bot(clock=FakeClock(T0))
    code = (await file_record(bot)).code
    queued = await post_to_group(telegram, bot, code)
    telegram.user_clicks(f"fo:fwd:{code}", user=TU_PHAP, message=queued)
    await telegram.next_message(GROUP)  # the picker
    telegram.group_sends("UBND phường Hòa Bình", chat=GROUP, user=TU_PHAP)
    refused = plain_text((await telegram.next_message(GROUP))["text"])
    assert "Không có cơ quan «UBND phường Hòa Bình»" in refused
    assert record_of(bot, code).status == fb.Status.NEW
    telegram.group_sends("so noi vu", chat=GROUP, user=TU_PHAP)  # no diacritics: still found
    assert "chuyển cơ quan" in plain_text((await telegram.next_message(GROUP))["text"])
    moved = record_of(bot, code)
    assert (moved.status, moved.agency) == (fb.Status.FORWARDED, "Sở Nội vụ")
    assert "chuyển đến Sở Nội vụ" in plain_text((await telegram.next_message(NOI_VU))["text"])


# --- /nhiemvu: agency lists and an agency's open tasks ---------------------------------------

SO = [
    "Sở Công Thương", "Sở Dân tộc và Tôn giáo", "Sở Du lịch", "Sở Giáo dục và Đào tạo",
    "Sở Giao thông vận tải", "Sở Kế hoạch và Đầu tư", "Sở Khoa học và Công nghệ",
    "Sở Lao động - Thương binh và Xã hội", "Sở Ngoại vụ", "Sở Nội vụ",
    "Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Xây dựng", "Sở Y tế",
]  # fmt: skip
OTHERS = ["Văn phòng UBND tỉnh", "Thanh tra tỉnh", "Ban Quản lý các khu công nghiệp"]


async def tasks_bot(start_bot, records: list[tasks.TaskRecord]):  # type: ignore[no-untyped-def]
    bot = await start_bot(clock=FakeClock(NOW))

    def load(db):  # type: ignore[no-untyped-def]
        for record in records:
            tasks.upsert(db, record, NOW)

    await bot.services.store.run(load)
    return bot


async def page_through(telegram: FakeTelegram, user: int, first: dict) -> list[dict]:
    """Press "Trang sau »" until the last page; every page's message."""
    pages = [first]
    while "Trang sau »" in dict(FakeTelegram.buttons(pages[-1])):
        telegram.user_clicks(
            dict(FakeTelegram.buttons(pages[-1]))["Trang sau »"], user=user, message=pages[-1]
        )
        pages.append(await telegram.next_message(user))
        assert pages[-1]["method"] == "editMessageText"
    return pages


async def test_agency_choice_pages_to_the_last_agency(telegram: FakeTelegram, start_bot):
    records = [
        tasks.TaskRecord(f"T-{i:02d}", f"Nhiệm vụ {i}", name, date(2026, 12, 31))
        for i, name in enumerate(SO + OTHERS)
    ]
    await tasks_bot(start_bot, records)
    telegram.user_sends("/nhiemvu sở", user=NOI_VU)
    pages = await page_through(telegram, NOI_VU, await telegram.next_message(NOI_VU))
    assert len(pages) > 1
    labels = [label for p in pages for label, d in FakeTelegram.buttons(p) if "tk:a:" in d]
    assert sorted(labels) == sorted(SO)  # all 18, each once, none of the others
    assert "18 cơ quan khớp với «sở»" in plain_text(pages[0]["text"])
    assert f"trang {len(pages)}/{len(pages)}" in plain_text(pages[-1]["text"])
    assert "« Trang trước" in dict(FakeTelegram.buttons(pages[-1]))
    last = dict(FakeTelegram.buttons(pages[-1]))
    assert "Sở Y tế" in last  # the last one by name
    telegram.user_clicks(last["Sở Y tế"], user=NOI_VU, message=pages[-1])
    view = plain_text((await telegram.next_message(NOI_VU))["text"])
    assert view.startswith("🏢 Sở Y tế")

    # the "Theo cơ quan" list pages through every agency the same way
    telegram.user_clicks("tk:ag", user=NOI_VU)
    pages = await page_through(telegram, NOI_VU, await telegram.next_message(NOI_VU))
    labels = [label for p in pages for label, d in FakeTelegram.buttons(p) if "tk:a:" in d]
    assert len(pages) > 1
    assert len(labels) == len(SO + OTHERS)


async def test_agency_view_lists_open_tasks_overdue_first_with_deadlines(
    telegram: FakeTelegram, start_bot
):
    today = NOW.date()
    mine = "Sở Tư pháp"
    deadlines = {  # code -> deadline (None: recurring)
        "TP-A": date(2026, 12, 15),
        "TP-B": date(2026, 10, 1),  # overdue, the most days late
        "TP-C": None,
        "TP-D": date(2026, 11, 19),  # overdue by one day
        "TP-E": date(2026, 11, 20),  # due today: still in time
        "TP-F": date(2026, 11, 2),
        **{f"TP-G{i}": date(2027, 1, i) for i in range(1, 8)},
    }
    base = tasks.TaskRecord
    records = [base(code, f"Việc {code}", mine, due) for code, due in deadlines.items()]
    records += [
        base("TP-X", "Đã xong", mine, date(2026, 10, 1), completed_on=date(2026, 9, 30)),
        base("TP-Y", "Xong trễ", mine, date(2026, 10, 1), completed_on=date(2026, 11, 3)),
        base("NV-Z", "Của cơ quan khác", "Sở Nội vụ", date(2026, 9, 1)),
    ]
    await tasks_bot(start_bot, records)
    telegram.user_sends("/nhiemvu tư pháp", user=TU_PHAP)
    pages = await page_through(telegram, TU_PHAP, await telegram.next_message(TU_PHAP))
    assert len(pages) == 2  # 13 open tasks, ten a page
    text = "\n".join(plain_text(p["text"]) for p in pages)
    assert "Nhiệm vụ chưa hoàn thành: 13" in text
    listed = re.findall(r"^\d+\. \S+ (TP-\w+) .* — hạn (.+?) · (.+)$", text, re.M)
    expected = sorted(deadlines, key=lambda c: (deadlines[c] is None, deadlines[c], c))
    assert [code for code, _, _ in listed] == expected  # overdue first, recurring last
    for code, deadline, status in listed:
        due = deadlines[code]
        assert deadline == (due.strftime("%d/%m/%Y") if due else "thường xuyên")
        if due is not None and due < today:
            assert status == f"Quá hạn chưa hoàn thành (trễ {(today - due).days} ngày)"
        else:
            assert status == "Đang thực hiện (trong hạn)"
    assert listed[0][:2] == ("TP-B", "01/10/2026")
    for other in ("TP-X", "TP-Y", "NV-Z"):  # completed, or another agency's
        assert other not in text
    assert "« Trang trước" in dict(FakeTelegram.buttons(pages[-1]))
