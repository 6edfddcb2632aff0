"""End to end: officials ask where the reform tasks stand, through the real Application."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from bot.telegram_html import plain_text
from handlers.locales import vi
from knowledge import tasks
from knowledge.clock import TZ
from knowledge.settings import Official, TasksConfig
from knowledge.tasks import importer as tasks_import
from tests.conftest import OFFICIALS
from tests.fake_telegram import FakeClock, FakeTelegram
from tests.test_knowledge_tasks import SAMPLE_XLSX, independent_count

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)  # Friday; the sample's data is as of this day
TODAY = NOW.date()
TU_PHAP, NOI_VU, ADMIN, CITIZEN = 9001, 9002, 9009, 1001
DIGEST_CHAT = -100700


def vn_percent(part: int, whole: int) -> str:
    """Vietnamese percentage, computed here independently of knowledge.formats."""
    text = f"{round(100 * part / whole, 2):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


@pytest.fixture
async def tbot(start_bot):
    """The bot with the sample tasks imported and the clock on the sample's day."""
    running = await start_bot(clock=FakeClock(NOW))
    await running.services.store.run(lambda db: tasks_import.import_file(db, SAMPLE_XLSX, NOW))
    return running


async def open_task_of(bot, agency: str) -> tasks.Task:
    every = await bot.services.store.run(tasks.all_tasks)
    return next(t for t in every if t.agency == agency and t.completed_on is None)


# --- /nhiemvu -------------------------------------------------------------------------------


async def test_summary_matches_an_independent_count(telegram: FakeTelegram, tbot):
    want = independent_count(TODAY)
    s = want["statuses"]
    telegram.user_sends("/nhiemvu", user=TU_PHAP)
    msg = await telegram.next_message(TU_PHAP)
    text = plain_text(msg["text"])
    completed = s["on_time"] + s["late"]
    total = sum(s.values())
    assert (
        f"Nhận được {want['documents']} văn bản chỉ đạo với {total} nhiệm vụ; "
        f"hoàn thành đúng hạn {s['on_time']} nhiệm vụ (đạt {vn_percent(s['on_time'], completed)}); "
        f"hoàn thành nhưng trễ hạn {s['late']} nhiệm vụ ({vn_percent(s['late'], completed)}); "
        f"đang thực hiện {s['in_progress'] + s['overdue']} nhiệm vụ "
        f"(trong đó {s['overdue']} nhiệm vụ quá hạn)."
    ) in text
    assert "," in vn_percent(s["on_time"], completed)  # really the Vietnamese decimal comma
    # The per-agency table: one line per agency with total, on time, late, open, overdue.
    c = want["per_agency"]["Sở Tư pháp"]
    numbers = [sum(c.values()), c["on_time"], c["late"], c["in_progress"], c["overdue"]]
    assert re.search(r"Tư pháp\s+" + r"\s+".join(str(n) for n in numbers) + r"\n", text + "\n")
    assert len(re.findall(r"^\S.*\s\d+\s+\d+\s+\d+\s+\d+\s+\d+$", text, re.M)) == len(
        want["per_agency"]
    )
    data = [d for _, d in telegram.buttons(msg)]
    assert {"tk:ag", "tk:ar", "tk:q:0:0", "tk:s:0:0"} <= set(data)


async def test_drill_down_by_agency_and_by_area(telegram: FakeTelegram, tbot):
    want = independent_count(TODAY)
    telegram.user_sends("/nhiemvu", user=NOI_VU)
    await telegram.next_message(NOI_VU)
    telegram.user_clicks("tk:ag", user=NOI_VU)
    labels: dict[str, str] = {}
    pages = 0
    while True:  # the agencies come a page at a time; "Trang sau »" leads to the next
        pick = await telegram.next_message(NOI_VU)
        assert pick["method"] == "editMessageText"
        pages += 1
        page_labels = dict(telegram.buttons(pick))
        assert all(len(d.encode()) <= 64 for d in page_labels.values())
        labels |= {k: d for k, d in page_labels.items() if d.startswith("tk:a:")}
        if "Trang sau »" not in page_labels:
            break
        telegram.user_clicks(page_labels["Trang sau »"], user=NOI_VU, message=pick)
        await telegram.next_call("answerCallbackQuery")
    assert pages > 1
    assert len(labels) == len(want["per_agency"])
    await telegram.next_call("answerCallbackQuery")
    telegram.user_clicks(labels["Sở Nội vụ"], user=NOI_VU)
    view = plain_text((await telegram.next_message(NOI_VU))["text"])
    c = want["per_agency"]["Sở Nội vụ"]
    assert "Sở Nội vụ" in view
    assert f"với {sum(c.values())} nhiệm vụ" in view
    assert f"hoàn thành đúng hạn {c['on_time']} nhiệm vụ" in view
    await telegram.next_call("answerCallbackQuery")

    telegram.user_clicks("tk:ar", user=NOI_VU)
    areas = await telegram.next_message(NOI_VU)
    area_buttons = [d for _, d in telegram.buttons(areas) if d.startswith("tk:r:")]
    assert len(area_buttons) == 7
    telegram.user_clicks("tk:r:2", user=NOI_VU)
    area = plain_text((await telegram.next_message(NOI_VU))["text"])
    assert "Cải cách thủ tục hành chính" in area
    assert "Nhận được" in area


async def test_agency_by_fuzzy_name(telegram: FakeTelegram, tbot):
    telegram.user_sends("/nhiemvu tu phap", user=TU_PHAP)
    telegram.user_sends("/nhiemvu SỞ", user=NOI_VU)
    view = plain_text((await telegram.next_message(TU_PHAP))["text"])
    assert view.startswith("🏢 Sở Tư pháp")
    choose = await telegram.next_message(NOI_VU)
    assert "cơ quan khớp với «SỞ»" in choose["text"]
    assert len(telegram.buttons(choose)) > 3


WRONG_ARGUMENTS = [
    ("/nhiemvu xyzzy qwerty", "không tìm thấy cơ quan"),
    ("/nhiemvu ...", "tên cơ quan"),
    ("/nhiemvu " + "tư pháp " * 1250, "dài quá"),  # 10,000 characters
    ("/quahan " + "x" * 10_000, "dài quá"),
    ("/nhiemvu_sapden 0", "Số ngày chưa đúng"),
    ("/nhiemvu_sapden -5", "Số ngày chưa đúng"),
    ("/nhiemvu_sapden abc", "Số ngày chưa đúng"),
    ("/nhiemvu_sapden 99999", "Số ngày chưa đúng"),
    ("/nhiemvu_sapden " + "9" * 10_000, "Số ngày chưa đúng"),
    ("/task KHONG-CO-MA", "không tìm thấy nhiệm vụ"),
    ("/task", "Cách dùng"),
    ("/task " + "x" * 10_000, "dài quá"),
    ("/capnhat", "Cách dùng"),
    ("/capnhat KHONG-CO-MA", "không tìm thấy nhiệm vụ"),
]


async def test_wrong_arguments_get_a_polite_vietnamese_reply(
    telegram: FakeTelegram, start_bot, make_config
):
    # Many officials at once (replies to one chat are paced like Telegram's flood limits).
    crowd = tuple(
        Official(9100 + i, f"Cán bộ {i}", "Sở Tư pháp") for i in range(len(WRONG_ARGUMENTS))
    )
    bot = await start_bot(make_config(officials=OFFICIALS + crowd), clock=FakeClock(NOW))
    await bot.services.store.run(lambda db: tasks_import.import_file(db, SAMPLE_XLSX, NOW))
    for person, (command, _) in zip(crowd, WRONG_ARGUMENTS, strict=True):
        telegram.user_sends(command, user=person.telegram_id)
    for person, (command, expected) in zip(crowd, WRONG_ARGUMENTS, strict=True):
        msg = await telegram.next_message(person.telegram_id)
        assert expected in msg["text"], command[:40]
        assert len(msg["text"]) < 400


async def test_due_soon_lists_open_tasks_within_n_days(telegram: FakeTelegram, tbot):
    every = await tbot.services.store.run(tasks.all_tasks)
    expected = [
        t
        for t in every
        if t.completed_on is None and t.deadline and TODAY <= t.deadline <= TODAY + timedelta(30)
    ]
    telegram.user_sends("/nhiemvu_sapden 30", user=TU_PHAP)
    text = plain_text((await telegram.next_message(TU_PHAP))["text"])
    assert f"{len(expected)} nhiệm vụ đến hạn trong 30 ngày tới" in text
    soonest = min(expected, key=lambda t: (t.deadline, t.code))
    assert soonest.code in text.splitlines()[1]


# --- /quahan, /task ----------------------------------------------------------------------


async def test_overdue_worst_first_with_days_late_and_pages(telegram: FakeTelegram, start_bot):
    bot = await start_bot(clock=FakeClock(NOW))
    await bot.services.store.run(lambda db: tasks_import.import_file(db, SAMPLE_XLSX, NOW))
    # Move the clock a year on: many tasks are overdue, over more than one page.
    later = NOW + timedelta(days=365)
    bot.services.clock.set(later)  # type: ignore[attr-defined]
    overdue = [
        t
        for t in await bot.services.store.run(tasks.all_tasks)
        if t.status(later.date()) == tasks.Status.OVERDUE
    ]
    assert len(overdue) > tasks.PAGE
    telegram.user_sends("/quahan", user=NOI_VU)
    first = await telegram.next_message(NOI_VU)
    text = plain_text(first["text"])
    assert f"Nhiệm vụ quá hạn: {len(overdue)}" in text
    late = [int(n) for n in re.findall(r"trễ (\d+) ngày", text)]
    assert len(late) == tasks.PAGE
    assert late == sorted(late, reverse=True)
    worst = max(t.days_late(later.date()) for t in overdue)
    assert late[0] == worst
    telegram.user_clicks("tk:q:0:1", user=NOI_VU)
    second = plain_text((await telegram.next_message(NOI_VU))["text"])
    assert "trang 2/" in second
    assert max(int(n) for n in re.findall(r"trễ (\d+) ngày", second)) <= late[-1]


async def test_task_detail_and_history(telegram: FakeTelegram, tbot):
    telegram.user_sends("/task nv26-001", user=NOI_VU)
    detail = plain_text((await telegram.next_message(NOI_VU))["text"])
    assert "Nhiệm vụ NV26-001" in detail
    assert "Lịch sử" in detail
    assert "Nhập từ tệp" in detail


# --- /capnhat and scoping ---------------------------------------------------------------------


async def test_update_own_agency_survives_a_restart(telegram: FakeTelegram, tbot):
    task = await open_task_of(tbot, "Sở Tư pháp")
    telegram.user_sends(f"/capnhat {task.code}", user=TU_PHAP)
    start = await telegram.next_message(TU_PHAP)
    assert f"tk:u:{task.id}:done" in [d for _, d in telegram.buttons(start)]
    telegram.user_clicks(f"tk:u:{task.id}:done", user=TU_PHAP)
    ask = await telegram.next_message(TU_PHAP)
    assert "ghi chú kết quả" in ask["text"]
    await tbot.restart()  # the pending update lives in SQLite, not in memory
    telegram.user_sends("18/11/2026 Đã ban hành kế hoạch", user=TU_PHAP)
    done = await telegram.next_message(TU_PHAP)
    assert f"Đã cập nhật nhiệm vụ <code>{task.code}</code>" in done["text"]
    detail = plain_text((await telegram.next_message(TU_PHAP))["text"])
    assert "Cán bộ Tư pháp (Sở Tư pháp)" in detail
    assert "Đã ban hành kế hoạch" in detail
    after = await tbot.services.store.run(lambda db: tasks.get_task(db, task.code))
    assert after.completed_on == date(2026, 11, 18)
    assert after.progress == "Đã ban hành kế hoạch"
    events = await tbot.services.store.run(lambda db: tasks.history(db, task.id))
    assert events[-1].actor_name == "Cán bộ Tư pháp"
    assert events[-1].at.startswith("2026-11-20T09:00")


async def test_update_by_another_agency_is_refused_admin_may(telegram: FakeTelegram, tbot):
    task = await open_task_of(tbot, "Sở Tư pháp")
    telegram.user_sends(f"/capnhat {task.code}", user=NOI_VU)
    refused = await telegram.next_message(NOI_VU)
    assert "do <b>Sở Tư pháp</b> chủ trì" in refused["text"]
    assert telegram.buttons(refused) == []
    telegram.user_clicks(f"tk:u:{task.id}:done", user=NOI_VU)  # a forged button
    answer = await telegram.next_call("answerCallbackQuery")
    assert answer["text"] == vi.MESSAGES["stale_button"]
    telegram.user_sends("Đã xong", user=NOI_VU)  # not taken as a note: it is a search
    await telegram.idle()
    unchanged = await tbot.services.store.run(lambda db: tasks.get_task(db, task.code))
    assert unchanged.completed_on is None
    assert unchanged.progress is None

    telegram.user_sends(f"/capnhat {task.code}", user=ADMIN)
    await telegram.next_message(ADMIN)
    telegram.user_clicks(f"tk:u:{task.id}:note", user=ADMIN)
    await telegram.next_message(ADMIN)
    telegram.user_sends("Đôn đốc lần 2", user=ADMIN)
    assert "Đã cập nhật" in (await telegram.next_message(ADMIN))["text"]
    noted = await tbot.services.store.run(lambda db: tasks.get_task(db, task.code))
    assert noted.progress == "Đôn đốc lần 2"
    assert noted.completed_on is None


async def test_cancel_with_huy_and_bad_notes(telegram: FakeTelegram, tbot):
    task = await open_task_of(tbot, "Sở Tư pháp")
    telegram.user_sends(f"/capnhat {task.code}", user=TU_PHAP)
    await telegram.next_message(TU_PHAP)
    telegram.user_sends("chưa bấm nút", user=TU_PHAP)
    assert "chọn tình trạng bằng nút" in (await telegram.next_message(TU_PHAP))["text"]
    telegram.user_clicks(f"tk:u:{task.id}:done", user=TU_PHAP)
    await telegram.next_message(TU_PHAP)
    telegram.user_sends("30/11/2026 làm trước", user=TU_PHAP)
    assert "không thể sau hôm nay" in (await telegram.next_message(TU_PHAP))["text"]
    telegram.user_sends("x" * 1001, user=TU_PHAP)
    assert "tối đa 1.000 ký tự" in (await telegram.next_message(TU_PHAP))["text"]
    telegram.user_sends("/huy", user=TU_PHAP)
    assert "Đã hủy cập nhật" in (await telegram.next_message(TU_PHAP))["text"]
    pending = await tbot.services.store.run(lambda db: tasks.pending_update(db, TU_PHAP))
    assert pending is None
    untouched = await tbot.services.store.run(lambda db: tasks.get_task(db, task.code))
    assert untouched.completed_on is None


@pytest.mark.parametrize(
    "command", ["/nhiemvu", "/nhiemvu tu phap", "/quahan", "/nhiemvu_sapden 7", "/task NV26-001",
                "/capnhat NV26-001", "/baocao"],
)  # fmt: skip
async def test_a_citizen_gets_the_unknown_command_reply(telegram: FakeTelegram, tbot, command):
    telegram.user_sends(command, user=CITIZEN)
    msg = await telegram.next_message(CITIZEN)
    assert msg["text"] == vi.MESSAGES["unknown_command"]
    await telegram.idle()
    assert len(telegram.messages(CITIZEN)) == 1


async def test_a_citizen_pressing_a_tasks_button_gets_the_stale_answer(telegram, tbot):
    telegram.user_clicks("tk:h", user=CITIZEN)
    answer = await telegram.next_call("answerCallbackQuery")
    assert answer["text"] == vi.MESSAGES["stale_button"]
    await telegram.idle()
    assert telegram.messages(CITIZEN) == []


# --- /baocao ----------------------------------------------------------------------------------


async def test_report_sends_a_png_chart_and_an_xlsx_with_the_right_numbers(telegram, tbot):
    want = independent_count(TODAY)
    telegram.user_sends("/baocao", user=ADMIN)
    photo = await telegram.next_message(ADMIN)
    assert photo["method"] == "sendPhoto"
    png = photo["file_bytes"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= 800
    assert height >= 600
    assert "Nhận được" in photo["text"]
    document = await telegram.next_message(ADMIN)
    assert document["method"] == "sendDocument"
    assert document["file_name"].endswith(".xlsx")
    book = load_workbook(io.BytesIO(document["file_bytes"]))
    rows = {r[0]: r for r in book["Theo cơ quan"].iter_rows(min_row=2, values_only=True)}
    for name, c in want["per_agency"].items():
        assert rows[name][1:6] == (
            sum(c.values()),
            c["on_time"],
            c["late"],
            c["in_progress"],
            c["overdue"],
        )
    assert book["Nhiệm vụ"].max_row == sum(want["statuses"].values()) + 1


# --- the daily digest -------------------------------------------------------------------------


async def test_the_digest_fires_at_its_time(telegram: FakeTelegram, start_bot, make_config):
    # The job queue runs on real time: schedule two seconds ahead; the content follows the
    # controllable clock (a Monday, so the window since last Friday's digest is covered).
    monday = datetime(2026, 11, 23, 7, 30, tzinfo=TZ)
    at = (datetime.now(TZ) + timedelta(seconds=2)).time().replace(microsecond=0)
    config = make_config(tasks=TasksConfig(digest_time=at, digest_chats=(DIGEST_CHAT,)))
    bot = await start_bot(config, clock=FakeClock(monday))
    base = tasks.TaskRecord
    records = [
        base("D-NEW", "Mới quá hạn", "Sở Tư pháp", date(2026, 11, 21)),  # Saturday
        base("D-OLD", "Quá hạn từ trước", "Sở Tư pháp", date(2026, 11, 10)),
        base("D-WEEK", "Đến hạn thứ Năm", "Sở Nội vụ", date(2026, 11, 26)),
        base("D-LATER", "Đến hạn tuần sau", "Sở Nội vụ", date(2026, 12, 2)),
        base(
            "D-DONE", "Xong hôm qua", "Sở Y tế", date(2026, 12, 1), completed_on=date(2026, 11, 22)
        ),
    ]

    def load(db):
        for record in records:
            tasks.upsert(db, record, NOW)
        tasks.record_digest(db, date(2026, 11, 20), NOW, 1)  # Friday's went out

    await bot.services.store.run(load)
    digest = await telegram.next_message(DIGEST_CHAT, timeout=8)
    text = plain_text(digest["text"])
    new, week, done = (
        text.split(h)[1] for h in ("Mới quá hạn", "Đến hạn trong tuần", "Hoàn thành")
    )
    assert "D-NEW" in new.split("Đến hạn")[0]
    assert "D-OLD" not in text
    assert "D-WEEK" in week.split("Hoàn thành")[0]
    assert "D-LATER" not in text
    assert "D-DONE" in done
    assert "từ ngày 20/11/2026" in text
    assert "Nhận được" in text
    ran = await bot.services.store.run(tasks.last_digest_day)
    assert ran == monday.date()
