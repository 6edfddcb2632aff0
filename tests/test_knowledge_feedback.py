"""Feedback domain: codes, drafts, commit-once, limits, status machine, deadlines, data rights."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from bot.storage import open_store
from knowledge import feedback as fb
from knowledge import users
from knowledge.clock import TZ
from knowledge.errors import NotFound, RateLimited
from knowledge.feedback import export as feedback_export
from knowledge.feedback import tracking
from knowledge.settings import FeedbackConfig, Official
from knowledge.store import Store

CFG = FeedbackConfig(officials_chat_id=-100500)
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)  # Monday
OFFICIAL = Official(9001, "Cán bộ Tư pháp", "Sở Tư pháp")
CONTENT = "Hồ sơ của tôi nộp đã ba tuần mà chưa có kết quả."


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "fb.db")
    yield s
    s.close()


def run(store: Store, fn):  # type: ignore[no-untyped-def]
    return store.run_sync(fn)


def fill(
    store: Store,
    user: int = 1001,
    *,
    now: datetime = T0,
    kind: str = "tre_hen",
    consent: bool = False,
) -> fb.Draft:
    """A draft taken to the summary step."""
    draft, created = run(store, lambda db: fb.start_draft(db, user, user, now, CFG))
    assert created
    run(store, lambda db: fb.set_kind(db, user, draft.id, kind, now, CFG))
    run(
        store,
        lambda db: fb.set_procedure(
            db, user, draft.id, ("1.001193", "Đăng ký khai sinh"), now, CFG
        ),
    )
    run(store, lambda db: fb.set_content(db, user, CONTENT, now, CFG))
    run(store, lambda db: fb.finish_attachments(db, user, draft.id, now, CFG))
    out = run(store, lambda db: fb.choose_contact(db, user, draft.id, consent, now, CFG))
    if consent:
        run(store, lambda db: fb.set_contact_name(db, user, "Nguyễn Thị Lan", now, CFG))
        out = run(store, lambda db: fb.set_contact_phone(db, user, "+84 912 345 678", now, CFG))
    assert out.step == fb.STEP_SUMMARY
    return out


def submit(store: Store, user: int = 1001, now: datetime = T0, **kw) -> fb.Feedback:  # type: ignore[no-untyped-def]
    draft = fill(store, user, now=now, **kw)
    result = run(store, lambda db: fb.submit(db, user, draft.id, now, CFG))
    assert result.created
    return result.feedback


# --- codes ------------------------------------------------------------------------------


def test_codes_are_readable_and_unguessable() -> None:
    codes = {tracking.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert code.startswith("PA-")
        assert len(code) == 11
        assert not set(code[3:]) & set("01OIL")
    assert tracking.normalize("pa 7kq3 m9xd") == "PA-7KQ3M9XD"
    assert tracking.normalize("7KQ3M9XD") == "PA-7KQ3M9XD"
    assert tracking.normalize("PA-12345678") is None  # 1 is not in the alphabet
    assert tracking.normalize("PA-7KQ3") is None


def test_code_collision_draws_again(store: Store) -> None:
    first = submit(store, 1)
    draws = iter([first.code, first.code, "PA-22222222"])
    draft = fill(store, 2)
    result = run(
        store, lambda db: fb.submit(db, 2, draft.id, T0, CFG, new_code=lambda: next(draws))
    )
    assert result.feedback.code == "PA-22222222"


# --- drafts -----------------------------------------------------------------------------


def test_draft_walks_every_step_and_survives_a_reopened_store(tmp_path: Path) -> None:
    s = open_store(tmp_path / "a.db")
    draft, _ = s.run_sync(lambda db: fb.start_draft(db, 5, 5, T0, CFG))
    s.run_sync(lambda db: fb.set_kind(db, 5, draft.id, "thai_do", T0, CFG))
    s.close()
    s = open_store(tmp_path / "a.db")  # a restart: nothing in memory
    again = s.run_sync(lambda db: fb.get_open_draft(db, 5, T0, CFG))
    assert again is not None
    assert again.step == fb.STEP_PROCEDURE
    assert again.kind == "thai_do"
    assert s.run_sync(lambda db: fb.active_drafts(db, T0, CFG)) == {5: fb.STEP_PROCEDURE}
    s.close()


def test_card_prefills_procedure_and_skips_that_step(store: Store) -> None:
    draft, _ = run(
        store, lambda db: fb.start_draft(db, 1, 1, T0, CFG, procedure=("1.001193", "Khai sinh"))
    )
    d = run(store, lambda db: fb.set_kind(db, 1, draft.id, "quy_dinh", T0, CFG))
    assert d.step == fb.STEP_CONTENT
    assert d.procedure_code == "1.001193"


def test_one_open_draft_per_user(store: Store) -> None:
    a, created_a = run(store, lambda db: fb.start_draft(db, 1, 1, T0, CFG))
    b, created_b = run(store, lambda db: fb.start_draft(db, 1, 1, T0, CFG))
    assert created_a
    assert not created_b
    assert a.id == b.id


def test_content_limits(store: Store) -> None:
    draft, _ = run(store, lambda db: fb.start_draft(db, 1, 1, T0, CFG))
    run(store, lambda db: fb.set_kind(db, 1, draft.id, "khac", T0, CFG))
    run(store, lambda db: fb.set_procedure(db, 1, draft.id, None, T0, CFG))
    for text, reason in [("   ", "empty"), ("ngắn", "too_short"), ("x" * 2001, "too_long")]:
        with pytest.raises(fb.FeedbackInputError) as err:
            run(store, lambda db, text=text: fb.set_content(db, 1, text, T0, CFG))
        assert err.value.reason == reason
    d = run(store, lambda db: fb.get_open_draft(db, 1, T0, CFG))
    assert d.step == fb.STEP_CONTENT  # nothing stored half-done
    assert d.content is None


def test_wrong_step_and_old_buttons_are_stale(store: Store) -> None:
    draft, _ = run(store, lambda db: fb.start_draft(db, 1, 1, T0, CFG))
    with pytest.raises(fb.Stale):
        run(store, lambda db: fb.set_content(db, 1, CONTENT, T0, CFG))
    with pytest.raises(fb.Stale):
        run(store, lambda db: fb.set_kind(db, 1, draft.id + 99, "khac", T0, CFG))
    run(store, lambda db: fb.set_kind(db, 1, draft.id, "khac", T0, CFG))
    with pytest.raises(fb.Stale):  # a double tap on the kind buttons
        run(store, lambda db: fb.set_kind(db, 1, draft.id, "khac", T0, CFG))


def test_attachments_rules(store: Store) -> None:
    draft, _ = run(store, lambda db: fb.start_draft(db, 1, 1, T0, CFG))
    run(store, lambda db: fb.set_kind(db, 1, draft.id, "khac", T0, CFG))
    run(store, lambda db: fb.set_procedure(db, 1, draft.id, None, T0, CFG))
    run(store, lambda db: fb.set_content(db, 1, CONTENT, T0, CFG))
    with pytest.raises(fb.FeedbackInputError, match="file_too_big"):
        run(
            store,
            lambda db: fb.add_attachment(
                db, 1, T0, CFG, kind="photo", file_id="p", file_size=21 * 2**20
            ),
        )
    with pytest.raises(fb.FeedbackInputError, match="unsupported_file"):
        run(
            store,
            lambda db: fb.add_attachment(
                db,
                1,
                T0,
                CFG,
                kind="document",
                file_id="d",
                file_name="x.exe",
                mime_type="application/x-msdownload",
            ),
        )
    for i in range(fb.MAX_ATTACHMENTS):
        run(
            store,
            lambda db, i=i: fb.add_attachment(
                db, 1, T0, CFG, kind="photo", file_id=f"p{i}", file_unique_id=f"u{i}"
            ),
        )
    with pytest.raises(fb.FeedbackInputError, match="too_many_files"):
        run(
            store,
            lambda db: fb.add_attachment(
                db, 1, T0, CFG, kind="photo", file_id="p9", file_unique_id="u9"
            ),
        )
    d = run(store, lambda db: fb.set_location(db, 1, 21.03, 105.85, T0, CFG))
    assert len(d.attachments) == fb.MAX_ATTACHMENTS
    assert d.has_location
    d = run(store, lambda db: fb.clear_attachments(db, 1, draft.id, T0, CFG))
    assert d.attachments == ()
    assert not d.has_location


def test_edit_from_summary_returns_to_summary(store: Store) -> None:
    draft = fill(store)
    d = run(store, lambda db: fb.start_edit(db, 1001, draft.id, "content", T0, CFG))
    assert d.step == fb.STEP_CONTENT
    assert d.editing
    d = run(store, lambda db: fb.set_content(db, 1001, "Nội dung đã sửa lại cho rõ hơn.", T0, CFG))
    assert d.step == fb.STEP_SUMMARY
    assert d.content == "Nội dung đã sửa lại cho rõ hơn."
    d = run(store, lambda db: fb.start_edit(db, 1001, draft.id, "contact", T0, CFG))
    d = run(store, lambda db: fb.choose_contact(db, 1001, draft.id, True, T0, CFG))
    assert d.step == fb.STEP_NAME
    with pytest.raises(fb.FeedbackInputError, match="bad_name"):
        run(store, lambda db: fb.set_contact_name(db, 1001, "0912345678", T0, CFG))
    run(store, lambda db: fb.set_contact_name(db, 1001, "Trần Văn Bình", T0, CFG))
    with pytest.raises(fb.FeedbackInputError, match="bad_phone"):
        run(store, lambda db: fb.set_contact_phone(db, 1001, "12345", T0, CFG))
    d = run(store, lambda db: fb.set_contact_phone(db, 1001, "0912 345 678", T0, CFG))
    assert d.step == fb.STEP_SUMMARY
    assert (d.contact_name, d.contact_phone, d.anonymous) == ("Trần Văn Bình", "0912345678", False)
    profile = run(store, lambda db: users.profile(db, 1001))
    assert profile["consent_policy"] == CFG.policy_version
    assert profile["consent_at"].startswith("2026-11-23T09:00")


def test_cancel_and_expiry(store: Store) -> None:
    fill(store, 1)
    assert run(store, lambda db: fb.cancel_draft(db, 1, T0))
    assert run(store, lambda db: fb.get_open_draft(db, 1, T0, CFG)) is None
    assert not run(store, lambda db: fb.cancel_draft(db, 1, T0))
    draft, _ = run(store, lambda db: fb.start_draft(db, 2, 2, T0, CFG))
    later = T0 + timedelta(hours=CFG.draft_expiry_hours, minutes=1)
    with pytest.raises(fb.DraftExpired):
        run(store, lambda db: fb.set_kind(db, 2, draft.id, "khac", later, CFG))
    run(store, lambda db: fb.start_draft(db, 3, 3, T0, CFG))
    assert run(store, lambda db: fb.expire_drafts(db, later, CFG)) == [2, 3]


# --- submission -------------------------------------------------------------------------


def test_submit_commits_once(store: Store) -> None:
    draft = fill(store, consent=True)
    first = run(store, lambda db: fb.submit(db, 1001, draft.id, T0, CFG))
    second = run(store, lambda db: fb.submit(db, 1001, draft.id, T0 + timedelta(seconds=1), CFG))
    assert first.created
    assert not second.created
    assert first.feedback.code == second.feedback.code
    count = run(store, lambda db: db.execute("SELECT count(*) FROM feedback").fetchone()[0])
    assert count == 1
    rec = first.feedback
    assert rec.status == fb.Status.NEW
    assert rec.contact_phone == "0912345678"
    assert rec.consent_policy == CFG.policy_version
    assert run(store, lambda db: fb.get_open_draft(db, 1001, T0, CFG)) is None
    # the draft no longer holds a copy of the personal data
    row = run(
        store,
        lambda db: db.execute("SELECT content, contact_phone FROM feedback_draft").fetchone(),
    )
    assert row == (None, None)


def test_redelivered_update_changes_nothing(store: Store) -> None:
    draft, _ = run(store, lambda db: fb.start_draft(db, 1, 1, T0, CFG))
    run(
        store,
        lambda db: fb.once(db, 77, T0, lambda: fb.set_kind(db, 1, draft.id, "khac", T0, CFG)),
    )
    with pytest.raises(fb.AlreadyProcessed):
        run(
            store,
            lambda db: fb.once(db, 77, T0, lambda: fb.set_kind(db, 1, draft.id, "khac", T0, CFG)),
        )
    # a refused input does not burn the update id
    with pytest.raises(fb.FeedbackInputError):
        run(store, lambda db: fb.once(db, 78, T0, lambda: fb.set_content(db, 1, "", T0, CFG)))
    assert run(store, lambda db: fb.prune_seen_updates(db, T0 + timedelta(days=2))) == 1


def test_rate_limit_says_when(store: Store) -> None:
    for i in range(CFG.rate_limit_count):
        submit(store, 1, T0 + timedelta(minutes=i))
    later = T0 + timedelta(minutes=6)
    with pytest.raises(RateLimited) as err:
        run(store, lambda db: fb.start_draft(db, 1, 1, later, CFG))
    assert err.value.retry_after_seconds == 4 * 60
    ok, _ = run(store, lambda db: fb.start_draft(db, 1, 1, T0 + timedelta(minutes=10), CFG))
    assert ok.step == fb.STEP_KIND


def test_blocked_user_files_but_is_hidden(store: Store) -> None:
    run(store, lambda db: users.set_blocked(db, 1, True))
    rec = submit(store, 1)
    assert rec.hidden
    assert run(store, lambda db: fb.list_new(db)) == []
    assert run(store, lambda db: fb.find_own(db, rec.code, 1)).code == rec.code


def test_only_the_filer_finds_the_record(store: Store) -> None:
    rec = submit(store, 1)
    with pytest.raises(NotFound):
        run(store, lambda db: fb.find_own(db, rec.code, 2))
    with pytest.raises(NotFound):
        run(store, lambda db: fb.find_own(db, "PA-ZZZZZZZZ", 1))
    with pytest.raises(fb.FeedbackInputError, match="bad_code"):
        run(store, lambda db: fb.find_own(db, "123", 1))


# --- deadlines and the queue ------------------------------------------------------------


def test_deadline_skips_tet(store: Store) -> None:
    # Friday 13 Feb 2026: 5 working days for "thái độ" -> Tết week skipped -> 27 Feb.
    assert fb.due_date_for(date(2026, 2, 13), "thai_do", CFG) == date(2026, 2, 27)
    rec = submit(store, 1, datetime(2026, 2, 13, 10, 0, tzinfo=TZ), kind="thai_do")
    assert rec.due_date == date(2026, 2, 27)
    assert not rec.overdue(date(2026, 2, 27))
    assert rec.overdue(date(2026, 3, 2))
    assert rec.days_late(date(2026, 3, 3)) == 2
    assert run(store, lambda db: fb.list_overdue(db, date(2026, 3, 2)))[0].code == rec.code
    assert run(store, lambda db: fb.count_overdue(db, date(2026, 2, 20))) == 0


def test_status_machine_and_history(store: Store) -> None:
    rec = submit(store, 1)
    nd = Official(9002, "Cán bộ Nội vụ", "Sở Nội vụ")
    r = run(store, lambda db: fb.act(db, rec.code, OFFICIAL, "claim", T0, CFG))
    assert (r.feedback.status, r.feedback.agency) == (fb.Status.IN_PROGRESS, "Sở Tư pháp")
    with pytest.raises(fb.FeedbackInputError, match="already_claimed"):
        run(store, lambda db: fb.act(db, rec.code, nd, "claim", T0, CFG))
    r = run(store, lambda db: fb.act(db, rec.code, OFFICIAL, "forward", T0, CFG, "Sở Nội vụ"))
    assert (r.feedback.status, r.feedback.agency) == (fb.Status.FORWARDED, "Sở Nội vụ")
    with pytest.raises(fb.FeedbackInputError, match="empty"):
        run(store, lambda db: fb.act(db, rec.code, nd, "reply", T0, CFG, "  "))
    r = run(
        store, lambda db: fb.act(db, rec.code, nd, "reply", T0, CFG, "Đã trả kết quả hôm nay.")
    )
    assert r.feedback.status == fb.Status.ANSWERED
    assert r.feedback.closed_at is not None
    with pytest.raises(fb.FeedbackInputError, match="closed"):
        run(store, lambda db: fb.act(db, rec.code, nd, "reject", T0, CFG, "Không rõ"))
    events = run(store, lambda db: fb.history(db, rec.id, public_only=False))
    assert [e.action for e in events] == ["submitted", "claim", "forward", "reply"]
    assert [e.actor_name for e in events[1:]] == [
        "Cán bộ Tư pháp",
        "Cán bộ Tư pháp",
        "Cán bộ Nội vụ",
    ]


def test_duplicate_needs_an_existing_other_code(store: Store) -> None:
    a = submit(store, 1)
    b = submit(store, 2)
    with pytest.raises(fb.FeedbackInputError, match="self_duplicate"):
        run(store, lambda db: fb.act(db, b.code, OFFICIAL, "duplicate", T0, CFG, b.code))
    with pytest.raises(NotFound):
        run(store, lambda db: fb.act(db, b.code, OFFICIAL, "duplicate", T0, CFG, "PA-ZZZZZZZZ"))
    r = run(store, lambda db: fb.act(db, b.code, OFFICIAL, "duplicate", T0, CFG, a.code.lower()))
    assert (r.feedback.status, r.feedback.duplicate_of) == (fb.Status.DUPLICATE, a.code)


def test_pending_actions(store: Store) -> None:
    rec = submit(store, 1)
    run(store, lambda db: fb.set_pending(db, 9001, -100500, rec.code, "reply", T0))
    assert run(store, lambda db: fb.pending_index(db)) == {9001: -100500}
    p = run(store, lambda db: fb.get_pending(db, 9001, T0))
    assert (p.code, p.action) == (rec.code, "reply")
    assert run(store, lambda db: fb.get_pending(db, 9001, T0 + timedelta(hours=3))) is None
    run(store, lambda db: fb.set_pending(db, 9001, -100500, rec.code, "reject", T0))
    run(store, lambda db: fb.act(db, rec.code, OFFICIAL, "reject", T0, CFG, "Nội dung không rõ"))
    assert run(store, lambda db: fb.pending_index(db)) == {}


def test_block_by_code_hides_existing_records(store: Store) -> None:
    rec = submit(store, 1)
    uid, n = run(store, lambda db: fb.block(db, rec.code, OFFICIAL, T0))
    assert (uid, n) == (1, 1)
    assert run(store, lambda db: fb.list_new(db)) == []
    uid, n = run(store, lambda db: fb.block(db, "1", OFFICIAL, T0, blocked=False))
    assert n == 1
    assert len(run(store, lambda db: fb.list_new(db))) == 1


# --- rating and reopening ---------------------------------------------------------------


def test_unsatisfied_in_time_reopens(store: Store) -> None:
    rec = submit(store, 1)
    r = run(store, lambda db: fb.act(db, rec.code, OFFICIAL, "reply", T0, CFG, "Đã xử lý."))
    later = T0 + timedelta(days=2)
    out = run(store, lambda db: fb.rate(db, 1, rec.code, r.event.id, "khong_hai_long", later, CFG))
    assert out.created
    assert out.reopened
    assert out.feedback.status == fb.Status.REOPENED
    assert out.feedback.reopen_count == 1
    assert out.feedback.due_date > rec.due_date
    again = run(store, lambda db: fb.rate(db, 1, rec.code, r.event.id, "hai_long", later, CFG))
    assert not again.created
    assert again.value == "khong_hai_long"
    assert [f.code for f in run(store, lambda db: fb.list_new(db))] == [rec.code]
    with pytest.raises(NotFound):  # someone else cannot rate it
        run(store, lambda db: fb.rate(db, 2, rec.code, r.event.id, "hai_long", later, CFG))


def test_unsatisfied_too_late_only_records(store: Store) -> None:
    rec = submit(store, 1)
    r = run(store, lambda db: fb.act(db, rec.code, OFFICIAL, "reply", T0, CFG, "Đã xử lý."))
    late = T0 + timedelta(days=CFG.reopen_days, hours=1)
    out = run(store, lambda db: fb.rate(db, 1, rec.code, r.event.id, "khong_hai_long", late, CFG))
    assert out.too_late
    assert not out.reopened
    assert out.feedback.status == fb.Status.ANSWERED


# --- export -----------------------------------------------------------------------------


def test_export_xlsx_and_csv(store: Store) -> None:
    a = submit(store, 1, T0, consent=True)
    submit(store, 2, T0 + timedelta(days=3))
    b = run(store, lambda db: fb.get(db, a.id))
    # formula injection is neutralised
    run(
        store,
        lambda db: db.execute(
            "UPDATE feedback SET content = '=HYPERLINK(1)' WHERE id = ?", [b.id]
        ),
    )
    data, name, count = run(
        store,
        lambda db: feedback_export.export(
            db, date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 30), "xlsx"
        ),
    )
    assert name == "phan-anh_20261123-20261124.xlsx"
    assert count == 1
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Mã phản ánh"
    assert rows[1][0] == a.code
    assert rows[1][1].date() == date(2026, 11, 23)
    assert rows[1][5] == "'=HYPERLINK(1)"
    assert "0912345678" not in repr(rows)  # no phone numbers in exports
    data, _, count = run(
        store,
        lambda db: feedback_export.export(
            db, date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30), "csv"
        ),
    )
    assert count == 2
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[1][1] == "23/11/2026"
    assert table[2][2] == "Hồ sơ trễ hẹn"
    assert feedback_export.parse_day("1/2/2026") == date(2026, 2, 1)
    with pytest.raises(fb.FeedbackInputError):
        feedback_export.parse_day("31/02/2026")


# --- personal data ----------------------------------------------------------------------


def test_export_and_erase_personal_data(store: Store) -> None:
    rec = submit(store, 1, consent=True)
    run(store, lambda db: fb.act(db, rec.code, OFFICIAL, "reply", T0, CFG, "Đã xử lý."))
    other = submit(store, 2)
    doc = run(store, lambda db: fb.export_user_data(db, 1, T0, CFG))
    assert [r["code"] for r in doc["feedback"]] == [rec.code]
    assert doc["feedback"][0]["contact_phone"] == "0912345678"
    assert doc["settings"]["consent_policy"] == CFG.policy_version
    run(store, lambda db: fb.start_draft(db, 1, 1, T0, CFG))
    erased = run(store, lambda db: fb.erase_user_data(db, 1, T0))
    assert (erased.records, erased.drafts) == (1, 2)
    kept = run(store, lambda db: fb.get(db, rec.id))
    assert kept.user_id is None
    assert kept.contact_phone is None
    assert kept.content == fb.ERASED_TEXT
    assert kept.status == fb.Status.ANSWERED  # statistics stay
    assert run(store, lambda db: fb.export_user_data(db, 1, T0, CFG))["feedback"] == []
    assert run(store, lambda db: users.profile(db, 1))["consent_at"] is None
    assert run(store, lambda db: fb.get(db, other.id)).content == CONTENT
    dump = run(store, lambda db: "\n".join(db.iterdump()))
    assert "0912345678" not in dump
    assert "Nguyễn Thị Lan" not in dump


def test_cli_export_writes_the_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot import cli

    db_path = tmp_path / "cli.db"
    s = open_store(db_path)
    rec = submit(s, 1, datetime(2026, 11, 3, 10, 0, tzinfo=TZ))
    submit(s, 2, datetime(2026, 12, 1, 10, 0, tzinfo=TZ))
    s.close()
    config = tmp_path / "c.toml"
    config.write_text(f'[storage]\npath = "{db_path}"\n', encoding="utf-8")
    out = tmp_path / "out" / "pa.xlsx"
    argv = ["feedback", "export", "--from", "01/11/2026", "--to", "30/11/2026"]
    code = cli.main([*argv, "--format", "xlsx", "--output", str(out), "--config", str(config)])
    assert code == 0
    assert "Đã ghi 1 phản ánh" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [rec.code]
    bad = cli.main(
        [
            *argv[:3],
            "31/02/2026",
            "--to",
            "1/3/2026",
            "--output",
            str(out),
            "--config",
            str(config),
        ]
    )
    assert bad == 2
