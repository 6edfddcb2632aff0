"""Rendering reform tasks for Telegram: pure functions from domain values to HTML and keyboards.

No I/O here: each view takes what the command or button loaded and returns the text (Telegram
HTML, every value escaped) and its inline keyboard. Summary, agency (its open tasks, paged),
area, overdue and due-soon pages, the paged agency pick lists, a task's detail and history, the
morning digest, the narrow per-agency table, status icons and the error texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup

from handlers.callbacks import Prefix
from handlers.common import Html, cb, esc, keyboard, short, t
from knowledge import formats, tasks
from knowledge.clock import TZ
from knowledge.errors import InvalidInput
from knowledge.tasks import AREA_SHORT, AREAS, Counts, Page, Status, Summary, Task

TITLE_CHARS = 90  # a task's title in lists
AGENCY_PAGE = 10  # agencies per page of a pick list
QUERY_ARG = re.compile(r"[0-9a-z-]{1,48}")  # a folded agency query carried in callback data
DIGEST_ITEMS = 15
NAME_WIDTH = 16  # agency column of the <pre> table
# Customary abbreviations of Vietnamese administration, for the narrow table only.
ABBREVIATIONS = (
    ("Văn hóa, Thể thao và Du lịch", "VHTT&DL"),
    ("Nông nghiệp và Môi trường", "NN&MT"),
    ("Khoa học và Công nghệ", "KH&CN"),
    ("Giáo dục và Đào tạo", "GD&ĐT"),
    ("Dân tộc và Tôn giáo", "DT&TG"),
    ("Trung tâm Phục vụ hành chính công", "TT PVHCC"),
    ("Ban Quản lý các khu công nghiệp", "BQL KCN"),
    ("Đài Phát thanh và Truyền hình", "Đài PT-TH"),
    ("Bộ Chỉ huy Quân sự", "BCH Quân sự"),
    ("Kho bạc Nhà nước", "KBNN"),
    ("Bảo hiểm xã hội", "BHXH"),
    ("Ủy ban nhân dân", "UBND"),
    ("Văn phòng", "VP"),
)
STATUS_ICONS = {
    Status.ON_TIME: "✅",
    Status.LATE: "🟡",
    Status.IN_PROGRESS: "🔵",
    Status.OVERDUE: "🔴",
}
ERRORS = {
    "too_long",
    "empty",
    "bad_days",
    "bad_date",
    "future_date",
    "before_assigned",
    "note_too_long",
    "empty_note",
    "bad_choice",
}


# --- small helpers --------------------------------------------------------------------------


def _day(value: date | None, language: str) -> str:
    return formats.day(value) if value is not None else t(language, "tasks.recurring")


def _status(language: str, status: Status) -> str:
    """The status with its icon, in the user's language."""
    return f"{STATUS_ICONS[status]} {t(language, f'tasks.status.{status}')}"


def _error(language: str, exc: InvalidInput) -> str:
    code = str(exc)
    return t(language, f"tasks.err.{code}" if code in ERRORS else "tasks.err.generic")


# --- rendering ------------------------------------------------------------------------------


def sentence(language: str, summary: Summary) -> str:
    """The report's sentence with Vietnamese numbers and percentages."""
    c = summary.counts
    n = formats.number
    text = t(
        language,
        "tasks.summary.sentence",
        documents=n(summary.documents),
        total=n(c.total),
        on_time=n(c.on_time),
        on_time_pct=formats.percent(c.on_time, c.completed),
        late=n(c.late),
        late_pct=formats.percent(c.late, c.completed),
        open=n(c.open),
    )
    part = "tasks.summary.overdue_part" if c.overdue else "tasks.summary.no_overdue"
    return text + t(language, part, overdue=n(c.overdue)) + "."


def table_name(name: str) -> str:
    """An agency's name shortened the way provincial reports do (Sở dropped, NN&MT, VP UBND)."""
    for long, abbreviation in ABBREVIATIONS:
        name = name.replace(long, abbreviation)
    return name[3:] if name.startswith("Sở ") else name


def _table(language: str, rows: Sequence[tuple[str, Counts]]) -> str:
    """A monospace table: agency (short), total, on time, late, in progress, overdue."""
    head = t(language, "tasks.table.cols").split("|")
    lines = [f"{head[0]:<{NAME_WIDTH}}" + "".join(f"{h:>5}" for h in head[1:])]
    for name, c in rows:
        cell = short(table_name(name), NAME_WIDTH - 1)
        numbers = (c.total, c.on_time, c.late, c.in_progress, c.overdue)
        lines.append(f"{cell:<{NAME_WIDTH}}" + "".join(f"{v:>5}" for v in numbers))
    return "<pre>" + esc("\n".join(lines)) + "</pre>\n" + t(language, "tasks.table.legend")


def _task_line(language: str, task: Task, today: date, *, agency: bool = True) -> str:
    status = task.status(today)
    key = "tasks.line.overdue" if status == Status.OVERDUE else "tasks.line.open"
    if status in (Status.ON_TIME, Status.LATE):
        key = "tasks.line.done"
    return t(
        language,
        key,
        code=task.code,
        title=short(task.title, TITLE_CHARS),
        deadline=_day(task.deadline, language),
        days=formats.number(task.days_late(today)),
        done=_day(task.completed_on, language),
        agency=task.agency if agency else "",
        icon=STATUS_ICONS[status],
    ).replace(" ()", "")


def summary_view(language: str, summary: Summary) -> tuple[str, InlineKeyboardMarkup | None]:
    """The province's picture: sentence, per-agency table, drill-down buttons."""
    date_text = formats.day(summary.today)
    if not summary.counts.total:
        return t(language, "tasks.empty"), None
    parts = [
        t(language, "tasks.summary.title", date=date_text),
        sentence(language, summary),
        "",
        t(language, "tasks.table.title"),
        _table(language, [(r.agency.name, r.counts) for r in summary.by_agency]),
    ]
    buttons = [
        [
            (t(language, "tasks.btn.by_agency"), cb(Prefix.TASKS, "ag")),
            (t(language, "tasks.btn.by_area"), cb(Prefix.TASKS, "ar")),
        ],
        [
            (t(language, "tasks.btn.overdue"), cb(Prefix.TASKS, "q", 0, 0)),
            (t(language, "tasks.btn.due_soon"), cb(Prefix.TASKS, "s", 0, 0)),
        ],
    ]
    return "\n".join(parts), keyboard(buttons)


def _back(language: str) -> list[tuple[str, str]]:
    return [(t(language, "tasks.btn.back"), cb(Prefix.TASKS, "h"))]


def _open_line(language: str, task: Task, today: date) -> str:
    """An open task with its deadline and its status (days late when overdue)."""
    status = task.status(today)
    label = t(language, f"tasks.status.{status}")
    if task.days_late(today):
        label += t(language, "tasks.detail.late_by", days=formats.number(task.days_late(today)))
    return t(
        language,
        "tasks.line.agency",
        icon=STATUS_ICONS[status],
        code=task.code,
        title=short(task.title, TITLE_CHARS),
        deadline=_day(task.deadline, language),
        status=Html(label),
    )


def agency_view(
    language: str, name: str, agency_id: int, summary: Summary, open_page: Page
) -> tuple[str, InlineKeyboardMarkup]:
    """One agency: its sentence, then a page of its open tasks, overdue first, with deadlines."""
    today = summary.today
    parts = [
        t(language, "tasks.agency.title", agency=name, date=formats.day(today)),
        sentence(language, summary),
        "",
    ]
    if open_page.total:
        current, pages = _pages(open_page)
        count = formats.number(open_page.total)
        parts.append(t(language, "tasks.agency.open", count=count, page=current, pages=pages))
        parts += [
            f"{open_page.offset + i}. " + _open_line(language, task, today)
            for i, task in enumerate(open_page.items, start=1)
        ]
    else:
        parts.append(t(language, "tasks.agency.none_open"))
    rows = [_nav(language, open_page, lambda n: cb(Prefix.TASKS, "o", agency_id, n))]
    rows.append(
        [
            (t(language, "tasks.btn.due_soon"), cb(Prefix.TASKS, "s", 0, 0, agency_id)),
            *_back(language),
        ]
    )
    return "\n".join(parts), keyboard([row for row in rows if row])


def agency_pages(count: int) -> int:
    """How many pages a pick list of ``count`` agencies takes."""
    return max(1, -(-count // AGENCY_PAGE))


def _agency_nav(
    language: str, page: int, pages: int, make: Callable[[int], str]
) -> list[tuple[str, str]]:
    nav = []
    if page > 0:
        nav.append((t(language, "tasks.btn.prev"), make(page - 1)))
    if page + 1 < pages:
        nav.append((t(language, "tasks.btn.next"), make(page + 1)))
    return nav


def agency_pick_view(
    language: str, every: Sequence[tasks.Agency], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of every agency, two buttons a row, with previous and next page buttons."""
    pages = agency_pages(len(every))
    chunk = every[page * AGENCY_PAGE : (page + 1) * AGENCY_PAGE]
    rows = [
        [(short(a.name, 30), cb(Prefix.TASKS, "a", a.id)) for a in chunk[i : i + 2]]
        for i in range(0, len(chunk), 2)
    ]
    rows.append(_agency_nav(language, page, pages, lambda n: cb(Prefix.TASKS, "ag", n)))
    rows.append(_back(language))
    if pages > 1:
        text = t(language, "tasks.agency.pick_page", page=page + 1, pages=pages)
    else:
        text = t(language, "tasks.agency.pick")
    return text, keyboard([row for row in rows if row])


def query_arg(query: str) -> str | None:
    """``query`` folded for callback data (``sở tư pháp`` → ``so-tu-phap``); None if it can't."""
    folded = tasks.fold(query).replace(" ", "-")
    return folded if QUERY_ARG.fullmatch(folded) else None


def agency_choice_view(
    language: str, query: str, found: Sequence[tasks.Agency], page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the agencies matching ``query``, one a row; the pages carry the folded query."""
    pages = agency_pages(len(found))
    chunk = found[page * AGENCY_PAGE : (page + 1) * AGENCY_PAGE]
    rows = [[(a.name, cb(Prefix.TASKS, "a", a.id))] for a in chunk]
    arg = query_arg(query)
    if arg is not None:
        rows.append(_agency_nav(language, page, pages, lambda n: cb(Prefix.TASKS, "am", n, arg)))
    if pages > 1:
        text = t(
            language,
            "tasks.agency.choose_page",
            query=query,
            count=formats.number(len(found)),
            page=page + 1,
            pages=pages,
        )
    else:
        text = t(language, "tasks.agency.choose", query=query)
    return text, keyboard([row for row in rows if row])


def area_view(language: str, index: int, summary: Summary) -> tuple[str, InlineKeyboardMarkup]:
    """One reform area: its sentence and the agencies working on it."""
    name = AREAS[index] if index >= 0 else t(language, "tasks.area.none")
    parts = [
        t(language, "tasks.area.title", area=name, date=formats.day(summary.today)),
        sentence(language, summary),
        "",
        _table(language, [(r.agency.name, r.counts) for r in summary.by_agency]),
    ]
    return "\n".join(parts), keyboard([[(t(language, "tasks.btn.areas"), cb(Prefix.TASKS, "ar"))]])


def _nav(language: str, page: Page, make: Callable[[int], str]) -> list[tuple[str, str]]:
    """The previous and next page buttons of ``page`` (none when there is one page)."""
    number = page.offset // page.limit
    nav = []
    if page.has_prev:
        nav.append((t(language, "tasks.btn.prev"), make(number - 1)))
    if page.has_next:
        nav.append((t(language, "tasks.btn.next"), make(number + 1)))
    return nav


def _pager(
    language: str, page: Page, make: Callable[[int], str], extra: list[tuple[str, str]]
) -> InlineKeyboardMarkup:
    return keyboard([row for row in (_nav(language, page, make), extra) if row])


def _pages(page: Page) -> tuple[int, int]:
    return page.offset // page.limit + 1, max(1, -(-page.total // page.limit))


def overdue_view(
    language: str, page: Page, today: date, agency: tasks.Agency | None
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of overdue tasks, most days late first."""
    if not page.total:
        text = t(language, "tasks.overdue.none")
        return text, keyboard([_back(language)])
    current, pages = _pages(page)
    title_key = "tasks.overdue.title_agency" if agency else "tasks.overdue.title"
    parts = [
        t(
            language,
            title_key,
            count=formats.number(page.total),
            agency=agency.name if agency else "",
            page=current,
            pages=pages,
        )
    ]
    parts += [
        f"{page.offset + i}. " + _task_line(language, task, today, agency=agency is None)
        for i, task in enumerate(page.items, start=1)
    ]
    agency_id = agency.id if agency else 0
    markup = _pager(language, page, lambda n: cb(Prefix.TASKS, "q", agency_id, n), _back(language))
    return "\n".join(parts), markup


def due_soon_view(
    language: str, page: Page, today: date, days: int, agency: tasks.Agency | None
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of tasks due within ``days`` days."""
    until = formats.day(today + timedelta(days=days))
    if not page.total:
        return t(language, "tasks.soon.none", days=days, until=until), keyboard([_back(language)])
    current, pages = _pages(page)
    parts = [
        t(
            language,
            "tasks.soon.title",
            count=formats.number(page.total),
            days=days,
            until=until,
            page=current,
            pages=pages,
        )
    ]
    if agency is not None:
        parts.append(t(language, "tasks.soon.agency", agency=agency.name))
    parts += [
        f"{page.offset + i}. " + _task_line(language, task, today, agency=agency is None)
        for i, task in enumerate(page.items, start=1)
    ]
    agency_id = agency.id if agency else 0
    markup = _pager(
        language, page, lambda n: cb(Prefix.TASKS, "s", days, n, agency_id), _back(language)
    )
    return "\n".join(parts), markup


def _change_text(language: str, field: str, values: list[Any]) -> str:
    def show(value: Any) -> str:
        if value is None or value == "":
            return "—"
        if field == "status":
            return t(language, f"tasks.status.{Status(value)}")
        if field == "area":
            return AREA_SHORT[int(value)]
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return formats.day(date.fromisoformat(value))
        return short(str(value), 60)

    label = t(language, f"tasks.field.{field}")
    return f"{esc(label)}: {esc(show(values[0]))} → {esc(show(values[1]))}"


def detail_view(
    language: str, task: Task, events: Sequence[tasks.Event], today: date, editable: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """A task's detail and history."""
    status = task.status(today)
    status_text = _status(language, status)
    if task.days_late(today):
        status_text += t(language, "tasks.detail.late_by", days=task.days_late(today))
    lines = [
        t(language, "tasks.detail.title", code=task.code),
        esc(task.title),
        "",
    ]
    if task.doc_number:
        lines.append(
            t(
                language,
                "tasks.detail.document",
                number=task.doc_number,
                date=formats.day(task.doc_date) if task.doc_date else "—",
                issuer=task.issuer or "—",
            )
        )
    fields = [
        ("tasks.field.area", task.area_name),
        ("tasks.field.agency", task.agency),
        ("tasks.field.supporting", task.supporting),
        ("tasks.field.deadline", _day(task.deadline, language)),
        (
            "tasks.field.completed_on",
            formats.day(task.completed_on) if task.completed_on else None,
        ),
        ("tasks.field.progress", task.progress),
        ("tasks.field.note", task.note),
    ]
    lines += [f"{esc(t(language, key))}: <b>{esc(value)}</b>" for key, value in fields if value]
    lines.append(t(language, "tasks.detail.status", status=Html(esc(status_text))))
    if events:
        lines += ["", t(language, "tasks.detail.history")]
    for event in events:
        when = datetime.fromisoformat(event.at).astimezone(TZ).strftime("%d/%m/%Y %H:%M")
        if event.actor_name:
            who = t(language, "tasks.history.by", name=event.actor_name, agency=event.agency or "")
        else:
            who = esc(event.note) if event.note else t(language, "tasks.history.import")
        what = [_change_text(language, f, v) for f, v in event.changes.items()]
        if event.action == "created":
            what.insert(0, esc(t(language, "tasks.history.created")))
        if event.note and event.actor_name:
            what.append(t(language, "tasks.history.note", note=short(event.note, 300)))
        lines.append(f"• {esc(when)} — {who}: " + "; ".join(what or ["—"]))
    rows = (
        [[(t(language, "tasks.btn.update"), cb(Prefix.TASKS, "c", task.id))]] if editable else []
    )
    return "\n".join(lines), keyboard(rows)


def digest_text(summary: Summary, digest: tasks.Digest) -> str:
    """The morning message (Vietnamese: it goes to groups)."""
    language = "vi"
    today = digest.today
    parts = [t(language, "tasks.digest.title", date=formats.day_with_weekday(today)), ""]

    def section(key: str, items: Sequence[Task], **values: str) -> None:
        parts.append(t(language, key, count=formats.number(len(items)), **values))
        if not items:
            parts.append(t(language, "tasks.digest.nothing"))
        for task in items[:DIGEST_ITEMS]:
            parts.append(_task_line(language, task, today))
        if len(items) > DIGEST_ITEMS:
            more = formats.number(len(items) - DIGEST_ITEMS)
            parts.append(t(language, "tasks.digest.more", count=more))
        parts.append("")

    section("tasks.digest.new_overdue", digest.new_overdue)
    section("tasks.digest.this_week", digest.due_this_week)
    if digest.since < today - timedelta(days=1):
        section("tasks.digest.completed_since", digest.completed, since=formats.day(digest.since))
    else:
        section("tasks.digest.completed", digest.completed)
    parts.append(sentence(language, summary))
    parts.append(t(language, "tasks.digest.footer"))
    return "\n".join(parts)
