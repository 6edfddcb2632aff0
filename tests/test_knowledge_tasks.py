"""Reform tasks, the domain: derived status, import, summary, scoping, history, digest, report."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlite_utils import Database

from knowledge import tasks
from knowledge.clock import TZ
from knowledge.errors import ImportProblem, InvalidInput, NotFound, PermissionDenied
from knowledge.settings import Official
from knowledge.tasks import Counts, Status, Summary, TaskRecord, derive_status
from knowledge.tasks import importer as tasks_import
from knowledge.tasks import report as tasks_report
from knowledge.tasks import schema as tasks_schema

SAMPLE_XLSX = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "tasks_sample.xlsx"
SAMPLE_CSV = SAMPLE_XLSX.with_suffix(".csv")
TODAY = date(2026, 11, 20)  # a Friday
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
TU_PHAP = Official(9001, "Cán bộ Tư pháp", "Sở Tư pháp", "official")
NOI_VU = Official(9002, "Cán bộ Nội vụ", "Sở Nội vụ", "official")
ADMIN = Official(9009, "Quản trị", "Văn phòng UBND tỉnh", "admin")
D = timedelta(days=1)


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(memory=True)
    tasks_schema.migrations.apply(database)
    yield database
    database.close()


def record(code: str, agency: str = "Sở Tư pháp", **fields: Any) -> TaskRecord:
    base: dict[str, Any] = {
        "title": f"Nhiệm vụ {code}",
        "deadline": TODAY + 10 * D,
        "doc_number": "01/KH-UBND",
        "issuer": "UBND tỉnh",
        "doc_date": date(2026, 1, 5),
        "area": 2,
    }
    base.update(fields)
    return TaskRecord(code=code, agency=agency, **base)


def write_csv(path: Path, rows: list[list[Any]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


# --- status -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deadline", "completed", "expected"),
    [
        (TODAY, TODAY, Status.ON_TIME),  # done on the deadline day: on time
        (TODAY - D, TODAY, Status.LATE),  # done the day after: late
        (TODAY - 30 * D, TODAY - 31 * D, Status.ON_TIME),
        (TODAY - D, None, Status.OVERDUE),  # not done, deadline passed
        (TODAY, None, Status.IN_PROGRESS),  # deadline today: still in time
        (TODAY + D, None, Status.IN_PROGRESS),
        (None, None, Status.IN_PROGRESS),  # recurring ("Thường xuyên")
        (None, TODAY - D, Status.ON_TIME),
    ],
)
def test_status_is_derived_at_the_boundaries(deadline, completed, expected):
    assert derive_status(deadline, completed, TODAY) == expected


def test_days_late():
    assert tasks.days_late(TODAY - 5 * D, None, TODAY) == 5
    assert tasks.days_late(TODAY - 5 * D, TODAY - 2 * D, TODAY) == 3
    assert tasks.days_late(TODAY + D, None, TODAY) == 0
    assert tasks.days_late(None, None, TODAY) == 0


def test_overdue_follows_today_not_a_stored_status(db):
    tasks.upsert(db, record("A", deadline=TODAY), NOW)
    assert tasks.summary(db, TODAY).counts == Counts(in_progress=1)
    assert tasks.summary(db, TODAY + D).counts == Counts(overdue=1)
    assert tasks.get_task(db, "a").days_late(TODAY + 3 * D) == 3


# --- import -------------------------------------------------------------------------------

HEADER_SHUFFLED = [
    "  THỜI HẠN (dd/mm/yyyy) ",
    "Cơ quan chủ trì",
    "noi dung nhiem vu",
    "Mã   nhiệm vụ",
    "Ngày hoàn thành",
    "lĩnh vực",
    "Văn bản giao",
    "Ngày giao",
    "Cơ quan giao",
    "Cơ quan phối hợp",
    "Ghi chú",
    "Cột lạ",
]


def test_csv_import_any_column_order_tolerant_headers_and_bad_rows(db, tmp_path):
    rows = [
        ["DỮ LIỆU MẪU - danh sách thử"],  # a title row above the header
        HEADER_SHUFFLED,
        ["31/12/2026", "Sở Tư pháp", "Rà soát văn bản", "TP-01", "", "Cải cách thể chế",
         "01/KH-UBND", "05/01/2026", "UBND tỉnh", "Sở Nội vụ", "", "x"],
        ["1/3/2026", "Sở Nội vụ", "Kiện toàn bộ máy", "NV-01", "28/02/2026", "tổ chức bộ máy",
         "02/NQ-CP", "10/01/2026", "Chính phủ", "", "", ""],
        ["31/02/2026", "Sở Y tế", "Ngày sai", "YT-01", "", "", "", "", "", "", "", ""],
        ["31/12/2026", "Sở Y tế", "Thiếu mã", "", "", "", "", "", "", "", "", ""],
        ["31/12/2026", "Sở Y tế", "Lĩnh vực lạ", "YT-02", "", "thể thao", "", "", "", "", "", ""],
        ["31/12/2026", "Sở Y tế", "Trùng mã", "tp-01", "", "", "", "", "", "", "", ""],
        ["31/12/2026", "Sở Y tế", "Hoàn thành tương lai", "YT-03", "01/12/2026", "", "", "",
         "", "", "", ""],
        ["01/01/2026", "Sở Y tế", "Hạn trước ngày giao", "YT-04", "", "", "", "05/01/2026",
         "", "", "", ""],
        ["", "", "", "", "", "", "", "", "", "", "", ""],  # blank rows are skipped silently
        ["Thường xuyên", "Sở Y tế", "Việc thường xuyên", "YT-05", "", "", "", "", "", "", "",
         ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "ds.csv", rows, delimiter=";")
    report = tasks_import.import_file(db, path, NOW)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.ignored_columns == ["Cột lạ"]
    bad = {b.row: b.message for b in report.bad}
    assert sorted(bad) == [5, 6, 7, 8, 9, 10]
    assert "Thời hạn" in bad[5]
    assert "'31/02/2026'" in bad[5]
    assert "Mã nhiệm vụ" in bad[6]
    assert "Lĩnh vực" in bad[7]
    assert "trùng với dòng 3" in bad[8]
    assert "sau ngày hôm nay" in bad[9]
    assert "trước Ngày giao" in bad[10]
    tp = tasks.get_task(db, "TP-01")
    assert (tp.deadline, tp.area, tp.supporting) == (date(2026, 12, 31), 1, "Sở Nội vụ")
    assert (tp.doc_date, tp.issuer, tp.doc_number) == (date(2026, 1, 5), "UBND tỉnh", "01/KH-UBND")
    nv = tasks.get_task(db, "nv-01")
    assert nv.status(TODAY) == Status.ON_TIME
    assert nv.area == 3
    assert tasks.get_task(db, "YT-05").deadline is None


def test_xlsx_import_accepts_date_cells_and_text_dates(db, tmp_path):
    header = ["Ngày hoàn thành", "Mã nhiệm vụ", "Thời hạn", "Cơ quan chủ trì",
              "Nội dung nhiệm vụ", "Lĩnh vực"]  # fmt: skip
    rows = [
        header,
        [
            datetime(2026, 3, 2),
            "X-1",
            datetime(2026, 3, 1),
            "Sở Tài chính",
            "Tự chủ",
            "tài chính công",
        ],
        [None, "X-2", "15/04/2026", "Sở Tài chính", "Giải ngân", "Cải cách tài chính công"],
        [None, "X-3", 12345, "Sở Tài chính", "Số thay ngày", None],
    ]
    report = tasks_import.import_file(db, write_xlsx(tmp_path / "ds.xlsx", rows), NOW)
    assert report.created == 2
    assert [b.row for b in report.bad] == [4]
    assert tasks.get_task(db, "X-1").status(TODAY) == Status.LATE
    assert tasks.get_task(db, "X-2").status(TODAY) == Status.OVERDUE
    assert tasks.get_task(db, "X-2").area == 5


def test_missing_columns_and_unknown_formats_are_refused(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [["Mã nhiệm vụ", "Nội dung"], ["A", "B"]])
    with pytest.raises(ImportProblem, match="Cơ quan chủ trì, Thời hạn"):
        tasks_import.import_file(db, path, NOW)
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(ImportProblem, match=r"\.xlsx"):
        tasks_import.import_file(db, other, NOW)
    with pytest.raises(ImportProblem):
        tasks_import.import_file(db, tmp_path / "missing.csv", NOW)


def test_reimport_updates_instead_of_duplicating_and_records_what_changed(db, tmp_path):
    header = ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn",
              "Ngày hoàn thành", "Ghi chú"]  # fmt: skip
    first = [header, ["A-1", "Việc một", "Sở Tư pháp", "30/11/2026", "", ""],
             ["A-2", "Việc hai", "Sở Tư pháp", "30/11/2026", "10/11/2026", ""]]  # fmt: skip
    tasks_import.import_file(db, write_csv(tmp_path / "a.csv", first), NOW)
    second = [header, ["A-1", "Việc một", "Sở Tư pháp", "15/12/2026", "", "Gia hạn"],
              ["a-2", "Việc hai", "SỞ TƯ PHÁP", "30/11/2026", "", ""]]  # fmt: skip
    report = tasks_import.import_file(db, write_csv(tmp_path / "b.csv", second), NOW + D)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert db.execute("SELECT COUNT(*) FROM task").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM task_agency").fetchone()[0] == 1
    a1 = tasks.get_task(db, "A-1")
    assert a1.deadline == date(2026, 12, 15)
    events = tasks.history(db, a1.id)
    assert [e.action for e in events] == ["created", "imported"]
    assert events[-1].changes == {
        "deadline": ["2026-11-30", "2026-12-15"],
        "note": [None, "Gia hạn"],
    }
    # A blank completion date in an old file never undoes a recorded completion.
    assert tasks.get_task(db, "A-2").completed_on == date(2026, 11, 10)


# --- the summary against an independent count -----------------------------------------


def independent_count(today: date) -> dict[str, Any]:
    """Count the sample XLSX with openpyxl only (not through knowledge.tasks)."""
    book = load_workbook(SAMPLE_XLSX, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = list(rows[1])
    col = {name: header.index(name) for name in header if name}
    statuses: Counter[str] = Counter()
    per_agency: dict[str, Counter[str]] = {}
    documents = set()
    for row in rows[2:]:
        deadline = row[col["Thời hạn"]]
        done = row[col["Ngày hoàn thành"]]
        deadline = deadline.date() if isinstance(deadline, datetime) else None
        done = done.date() if isinstance(done, datetime) else None
        if done is not None:
            status = "on_time" if deadline is None or done <= deadline else "late"
        else:
            status = "overdue" if deadline is not None and deadline < today else "in_progress"
        statuses[status] += 1
        per_agency.setdefault(row[col["Cơ quan chủ trì"]], Counter())[status] += 1
        documents.add((row[col["Cơ quan giao"]], row[col["Văn bản giao"]]))
    return {"statuses": statuses, "per_agency": per_agency, "documents": len(documents)}


def test_summary_equals_an_independent_count_of_the_sample(db):
    tasks_import.import_file(db, SAMPLE_XLSX, NOW)
    expected = independent_count(TODAY)
    got = tasks.summary(db, TODAY)
    want = expected["statuses"]
    assert got.counts == Counts(
        want["on_time"], want["late"], want["in_progress"], want["overdue"]
    )
    assert got.documents == expected["documents"]
    assert {r.agency.name: r.counts.total for r in got.by_agency} == {
        name: sum(c.values()) for name, c in expected["per_agency"].items()
    }
    assert {r.agency.name: r.counts.overdue for r in got.by_agency} == {
        name: c["overdue"] for name, c in expected["per_agency"].items()
    }
    assert sum(r.counts.total for r in got.by_area) == got.counts.total
    # A realistic size: about two hundred tasks across twenty-odd agencies.
    assert 150 <= got.counts.total <= 250
    assert 20 <= len(got.by_agency) <= 25
    assert len({r.index for r in got.by_area}) == 7


def test_the_csv_sample_is_the_same_data_as_the_xlsx_sample(db):
    tasks_import.import_file(db, SAMPLE_XLSX, NOW)
    report = tasks_import.import_file(db, SAMPLE_CSV, NOW)
    assert report.bad == []
    assert report.unchanged == 200
    with SAMPLE_CSV.open(encoding="utf-8-sig") as fh:
        assert "DỮ LIỆU MẪU" in fh.readline()


def test_report_sentence_uses_vietnamese_percentages():
    summary = Summary(TODAY, 53, Counts(on_time=138, late=14, in_progress=25, overdue=7))
    assert tasks_report.report_sentence(summary) == (
        "nhận được 53 văn bản chỉ đạo với 184 nhiệm vụ; hoàn thành đúng hạn 138 nhiệm vụ "
        "(đạt 90,79%); hoàn thành nhưng trễ hạn 14 nhiệm vụ (9,21%); đang thực hiện 32 "
        "nhiệm vụ (trong đó 7 nhiệm vụ quá hạn)"
    )
    big = Summary(TODAY, 1672, Counts(on_time=1500, late=0, in_progress=0, overdue=0))
    assert "1.672 văn bản" in tasks_report.report_sentence(big)
    assert "(đạt 100%)" in tasks_report.report_sentence(big)


# --- agencies, lists ------------------------------------------------------------------------


def test_find_agency_is_fuzzy_and_diacritic_blind(db):
    tasks_import.import_file(db, SAMPLE_XLSX, NOW)
    names = lambda q: [a.name for a in tasks.find_agency(db, q)]  # noqa: E731
    assert names("tu phap") == ["Sở Tư pháp"]
    assert names("  TƯ   PHÁP ") == ["Sở Tư pháp"]
    assert names("tuphap") == ["Sở Tư pháp"]
    assert names("giao duc") == ["Sở Giáo dục và Đào tạo"]
    assert names("cong an") == ["Công an tỉnh"]
    assert len(names("sở")) > 5  # ambiguous: the caller offers a choice
    with pytest.raises(NotFound):
        tasks.find_agency(db, "xyzzy qwerty")
    for bad in ("", "  ", "...", "x" * 10_000):
        with pytest.raises(InvalidInput):
            tasks.find_agency(db, bad)


def test_overdue_is_worst_first_and_paged(db):
    for i in range(13):
        tasks.upsert(db, record(f"Q-{i:02d}", deadline=TODAY - (i + 1) * D), NOW)
    tasks.upsert(db, record("DONE", deadline=TODAY - 50 * D, completed_on=TODAY - 60 * D), NOW)
    first = tasks.overdue(db, TODAY)
    assert first.total == 13
    assert [t.code for t in first.items[:3]] == ["Q-12", "Q-11", "Q-10"]
    assert [t.days_late(TODAY) for t in first.items[:2]] == [13, 12]
    assert first.has_next
    assert not first.has_prev
    second = tasks.overdue(db, TODAY, page=1)
    assert [t.code for t in second.items] == ["Q-02", "Q-01", "Q-00"]
    assert not second.has_next


def test_due_soon_window_and_days_argument(db):
    for code, days in (("S-0", 0), ("S-7", 7), ("S-8", 8), ("S-LATE", -1)):
        tasks.upsert(db, record(code, deadline=TODAY + days * D), NOW)
    assert [t.code for t in tasks.due_soon(db, TODAY, 7).items] == ["S-0", "S-7"]
    assert tasks.parse_days(None, 7) == 7
    assert tasks.parse_days(" 30 ", 7) == 30
    for bad in ("0", "-3", "abc", "9999999", "2.5", "x" * 10_000):
        with pytest.raises(InvalidInput):
            tasks.parse_days(bad, 7)


def test_unknown_task_code(db):
    with pytest.raises(NotFound):
        tasks.get_task(db, "KHONG-CO")
    with pytest.raises(InvalidInput):
        tasks.get_task(db, "x" * 10_000)


# --- scoping and the guided update ----------------------------------------------------------


def test_officials_update_only_their_own_agency_admins_any(db):
    tasks.upsert(db, record("TP-1", agency="Sở Tư pháp"), NOW)
    task = tasks.get_task(db, "TP-1")
    with pytest.raises(PermissionDenied):
        tasks.apply_update(db, NOI_VU, task.id, "done", "Đã xong", NOW)
    with pytest.raises(PermissionDenied):
        tasks.begin_update(db, NOI_VU, 9002, "TP-1", NOW)
    assert tasks.pending_update(db, NOI_VU.telegram_id) is None
    assert tasks.get_task(db, "TP-1").completed_on is None
    same_agency = Official(9003, "Cán bộ khác", "sở tư PHÁP", "official")
    assert tasks.can_update(same_agency, task)
    tasks.apply_update(db, ADMIN, task.id, "note", "Quản trị ghi chú", NOW)
    assert tasks.get_task(db, "TP-1").progress == "Quản trị ghi chú"


def test_guided_update_records_who_and_when(db):
    tasks.upsert(db, record("TP-2", deadline=TODAY - 3 * D), NOW)
    task = tasks.begin_update(db, TU_PHAP, 9001, "tp-2", NOW)
    assert tasks.pending_update(db, 9001).step == "status"
    tasks.choose_status(db, TU_PHAP, task.id, "done")
    assert tasks.pending_update(db, 9001).choice == "done"
    later = NOW + timedelta(hours=2)
    updated = tasks.finish_update(db, TU_PHAP, "Đã ban hành Quyết định", later)
    assert updated.completed_on == TODAY
    assert updated.status(TODAY) == Status.LATE
    assert updated.progress == "Đã ban hành Quyết định"
    assert tasks.pending_update(db, 9001) is None
    event = tasks.history(db, task.id)[-1]
    assert (event.actor_name, event.agency, event.action) == (
        "Cán bộ Tư pháp",
        "Sở Tư pháp",
        "updated",
    )
    assert event.at == "2026-11-20T11:00:00+07:00"
    assert event.changes["status"] == ["qua_han", "tre_han"]
    assert event.note == "Đã ban hành Quyết định"


def test_completion_date_may_lead_the_note_and_reopening_clears_it(db):
    tasks.upsert(db, record("TP-3", deadline=TODAY - 3 * D), NOW)
    task = tasks.get_task(db, "TP-3")
    done = tasks.apply_update(db, TU_PHAP, task.id, "done", "16/11/2026 Đã trình", NOW)
    assert (done.completed_on, done.progress) == (date(2026, 11, 16), "Đã trình")
    assert done.status(TODAY) == Status.ON_TIME
    with pytest.raises(InvalidInput, match="future_date"):
        tasks.apply_update(db, TU_PHAP, task.id, "done", "25/11/2026", NOW)
    with pytest.raises(InvalidInput, match="note_too_long"):
        tasks.apply_update(db, TU_PHAP, task.id, "note", "x" * 1001, NOW)
    with pytest.raises(InvalidInput, match="empty_note"):
        tasks.apply_update(db, TU_PHAP, task.id, "note", None, NOW)
    reopened = tasks.apply_update(db, TU_PHAP, task.id, "open", None, NOW)
    assert reopened.completed_on is None
    assert reopened.status(TODAY) == Status.OVERDUE


def test_choose_status_needs_the_matching_pending_update(db):
    tasks.upsert(db, record("TP-4"), NOW)
    task = tasks.get_task(db, "TP-4")
    with pytest.raises(NotFound):
        tasks.choose_status(db, TU_PHAP, task.id, "done")
    tasks.begin_update(db, TU_PHAP, 9001, "TP-4", NOW)
    with pytest.raises(InvalidInput):
        tasks.choose_status(db, TU_PHAP, task.id, "qua_han")  # overdue is never chosen
    assert tasks.cancel_update(db, 9001)
    assert not tasks.cancel_update(db, 9001)


# --- digest -------------------------------------------------------------------------------


def test_digest_new_overdue_due_this_week_and_yesterdays_completions(db):
    tasks.upsert(db, record("OLD", deadline=TODAY - 5 * D), NOW)  # overdue before: not new
    tasks.upsert(db, record("NEW", deadline=TODAY - D), NOW)  # overdue since today
    tasks.upsert(db, record("WEEK", deadline=TODAY + 2 * D), NOW)  # Sunday
    tasks.upsert(db, record("NEXT", deadline=TODAY + 3 * D), NOW)  # next Monday
    tasks.upsert(db, record("DONE", completed_on=TODAY - D), NOW)
    tasks.upsert(db, record("DONE2", completed_on=TODAY - 2 * D), NOW)
    got = tasks.digest(db, TODAY)
    assert [t.code for t in got.new_overdue] == ["NEW"]
    assert [t.code for t in got.due_this_week] == ["WEEK"]
    assert [t.code for t in got.completed] == ["DONE"]
    # After a weekend, Monday's digest covers everything since Friday's.
    monday = TODAY + 3 * D
    assert tasks.record_digest(db, TODAY, NOW, 1)
    assert not tasks.record_digest(db, TODAY, NOW, 1)
    since = tasks.last_digest_day(db)
    assert since == TODAY
    weekend = tasks.digest(db, monday, since)
    assert [t.code for t in weekend.new_overdue] == ["WEEK"]


# --- report files -----------------------------------------------------------------------------


def test_chart_and_xlsx_hold_the_numbers(db, tmp_path):
    tasks_import.import_file(db, SAMPLE_XLSX, NOW)
    summary = tasks.summary(db, TODAY)
    png = tasks_report.chart_png(summary)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000
    data = tasks_report.export_xlsx(summary, tasks.all_tasks(db), TODAY)
    book = load_workbook(io.BytesIO(data))
    per_agency = {
        r[0]: r[1:6] for r in book["Theo cơ quan"].iter_rows(min_row=2, values_only=True)
    }
    for row in summary.by_agency:
        c = row.counts
        assert per_agency[row.agency.name] == (
            c.total,
            c.on_time,
            c.late,
            c.in_progress,
            c.overdue,
        )
    assert per_agency["Tổng cộng"][0] == summary.counts.total
    assert book["Nhiệm vụ"].max_row == summary.counts.total + 1
    # The export's task sheet can be imported again: nothing changes.
    exported = tmp_path / "baocao.xlsx"
    exported.write_bytes(data)
    again = tasks_import.import_file(db, exported, NOW)
    assert (again.unchanged, again.bad) == (summary.counts.total, [])
