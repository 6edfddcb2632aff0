"""Officials' reform tasks: /nhiemvu, /quahan, /nhiemvu_sapden, /task, /capnhat, /baocao, digest.

Every command and button goes through :func:`handlers.access.officials_only`. A guided update
(/capnhat) keeps its state in SQLite (``task_pending_update``), so a restart between the
status button and the note loses nothing; the note is taken by a text handler in group -1
that only acts for an official with a pending update in that chat, and /huy cancels it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.access import officials_only
from handlers.common import (
    Html,
    cb,
    esc,
    keyboard,
    lang,
    official,
    reply,
    services,
    split_html,
    t,
)
from knowledge import formats, tasks, workdays
from knowledge.clock import TZ
from knowledge.errors import InvalidInput, NotFound, PermissionDenied
from knowledge.settings import Official
from knowledge.tasks import AREA_SHORT, AREAS, Counts, Page, Status, Summary, Task
from knowledge.tasks import report as tasks_report

log = logging.getLogger(__name__)
T = TypeVar("T")

PREFIX = "tk"
TITLE_CHARS = 90  # a task's title in lists
LIST_IN_VIEW = 10  # overdue tasks shown inside an agency's view
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
CHOICE_KEYS = {
    "done": "tasks.choice.done",
    "open": "tasks.choice.open",
    "note": "tasks.choice.note",
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


def _today(context: ContextTypes.DEFAULT_TYPE) -> date:
    return services(context).clock().date()


async def _db(context: ContextTypes.DEFAULT_TYPE, fn: Callable[[Any], T]) -> T:
    return await services(context).store.run(fn)


def _arg(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or [])


def _short(text: str, limit: int = TITLE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _day(value: date | None, language: str) -> str:
    return formats.day(value) if value is not None else t(language, "tasks.recurring")


def _status(language: str, status: Status) -> str:
    """The status with its icon, in the user's language."""
    return f"{STATUS_ICONS[status]} {t(language, f'tasks.status.{status}')}"


def _error(language: str, exc: InvalidInput) -> str:
    code = str(exc)
    return t(language, f"tasks.err.{code}" if code in ERRORS else "tasks.err.generic")


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message a button belongs to, or send a new one."""
    query = update.callback_query
    if query is not None and query.message is not None and len(text) <= 4000:
        try:
            await query.edit_message_text(
                text, parse_mode="HTML", reply_markup=markup, disable_web_page_preview=True
            )
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.info("could not edit, sending instead: %s", type(exc).__name__)
    await reply(update, text, markup)


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
    for long, short in ABBREVIATIONS:
        name = name.replace(long, short)
    return name[3:] if name.startswith("Sở ") else name


def _table(language: str, rows: Sequence[tuple[str, Counts]]) -> str:
    """A monospace table: agency (short), total, on time, late, in progress, overdue."""
    head = t(language, "tasks.table.cols").split("|")
    lines = [f"{head[0]:<{NAME_WIDTH}}" + "".join(f"{h:>5}" for h in head[1:])]
    for name, c in rows:
        short = _short(table_name(name), NAME_WIDTH - 1)
        numbers = (c.total, c.on_time, c.late, c.in_progress, c.overdue)
        lines.append(f"{short:<{NAME_WIDTH}}" + "".join(f"{v:>5}" for v in numbers))
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
        title=_short(task.title),
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
            (t(language, "tasks.btn.by_agency"), cb(PREFIX, "ag")),
            (t(language, "tasks.btn.by_area"), cb(PREFIX, "ar")),
        ],
        [
            (t(language, "tasks.btn.overdue"), cb(PREFIX, "q", 0, 0)),
            (t(language, "tasks.btn.due_soon"), cb(PREFIX, "s", 0, 0)),
        ],
    ]
    return "\n".join(parts), keyboard(buttons)


def _back(language: str) -> list[tuple[str, str]]:
    return [(t(language, "tasks.btn.back"), cb(PREFIX, "h"))]


def agency_view(
    language: str, name: str, agency_id: int, summary: Summary, overdue: Page
) -> tuple[str, InlineKeyboardMarkup]:
    """One agency: its sentence, areas, and its overdue tasks."""
    parts = [
        t(language, "tasks.agency.title", agency=name, date=formats.day(summary.today)),
        sentence(language, summary),
    ]
    if overdue.total:
        parts += ["", t(language, "tasks.agency.overdue", count=formats.number(overdue.total))]
        parts += [
            _task_line(language, task, summary.today, agency=False)
            for task in overdue.items[:LIST_IN_VIEW]
        ]
    rows: list[list[tuple[str, str]]] = []
    if overdue.total > LIST_IN_VIEW:
        rows.append([(t(language, "tasks.btn.all_overdue"), cb(PREFIX, "q", agency_id, 0))])
    rows.append(
        [(t(language, "tasks.btn.due_soon"), cb(PREFIX, "s", 0, 0, agency_id)), *_back(language)]
    )
    return "\n".join(parts), keyboard(rows)


def area_view(language: str, index: int, summary: Summary) -> tuple[str, InlineKeyboardMarkup]:
    """One reform area: its sentence and the agencies working on it."""
    name = AREAS[index] if index >= 0 else t(language, "tasks.area.none")
    parts = [
        t(language, "tasks.area.title", area=name, date=formats.day(summary.today)),
        sentence(language, summary),
        "",
        _table(language, [(r.agency.name, r.counts) for r in summary.by_agency]),
    ]
    return "\n".join(parts), keyboard([[(t(language, "tasks.btn.areas"), cb(PREFIX, "ar"))]])


def _pager(
    language: str, page: Page, make: Callable[[int], str], extra: list[tuple[str, str]]
) -> InlineKeyboardMarkup:
    number = page.offset // page.limit
    nav = []
    if page.has_prev:
        nav.append((t(language, "tasks.btn.prev"), make(number - 1)))
    if page.has_next:
        nav.append((t(language, "tasks.btn.next"), make(number + 1)))
    return keyboard([row for row in (nav, extra) if row])


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
    markup = _pager(language, page, lambda n: cb(PREFIX, "q", agency_id, n), _back(language))
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
    markup = _pager(language, page, lambda n: cb(PREFIX, "s", days, n, agency_id), _back(language))
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
        return _short(str(value), 60)

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
            what.append(t(language, "tasks.history.note", note=_short(event.note, 300)))
        lines.append(f"• {esc(when)} — {who}: " + "; ".join(what or ["—"]))
    rows = [[(t(language, "tasks.btn.update"), cb(PREFIX, "c", task.id))]] if editable else []
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


# --- commands -------------------------------------------------------------------------------


async def _agency_or_choices(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, query: str
) -> tasks.Agency | None:
    """Resolve a fuzzy agency name; reply with a choice or an apology when not unique."""
    try:
        found = await _db(context, lambda db: tasks.find_agency(db, query))
    except InvalidInput as exc:
        await reply(update, _error(language, exc))
        return None
    except NotFound:
        await reply(update, t(language, "tasks.agency.not_found", query=_short(query, 60)))
        return None
    if len(found) == 1:
        return found[0]
    rows = [[(a.name, cb(PREFIX, "a", a.id))] for a in found[:8]]
    await reply(update, t(language, "tasks.agency.choose", query=query), keyboard(rows))
    return None


async def _send_agency(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, agency: tasks.Agency
) -> None:
    today = _today(context)
    summary, page = await _db(
        context,
        lambda db: (
            tasks.summary(db, today, agency_id=agency.id),
            tasks.overdue(db, today, agency_id=agency.id),
        ),
    )
    await _show(update, *agency_view(language, agency.name, agency.id, summary, page))


@officials_only
async def summary_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/nhiemvu: the province's summary; /nhiemvu AGENCY: one agency (fuzzy name)."""
    language = await lang(update, context)
    raw = (update.effective_message.text or "").split(maxsplit=1)
    if len(raw) > 1:
        agency = await _agency_or_choices(update, context, language, raw[1])
        if agency is not None:
            await _send_agency(update, context, language, agency)
        return
    today = _today(context)
    summary = await _db(context, lambda db: tasks.summary(db, today))
    await reply(update, *summary_view(language, summary))


@officials_only
async def overdue_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/quahan [AGENCY]: overdue tasks, most days late first, paged."""
    language = await lang(update, context)
    agency = None
    raw = update.effective_message.text.split(maxsplit=1)
    if len(raw) > 1:
        agency = await _agency_or_choices(update, context, language, raw[1])
        if agency is None:
            return
    today = _today(context)
    agency_id = agency.id if agency else None
    page = await _db(context, lambda db: tasks.overdue(db, today, agency_id=agency_id))
    await reply(update, *overdue_view(language, page, today, agency))


@officials_only
async def due_soon_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/nhiemvu_sapden [N]: open tasks due within N days (default from the config)."""
    language = await lang(update, context)
    default = services(context).config.tasks.due_soon_days
    try:
        days = tasks.parse_days(_arg(context), default)
    except InvalidInput as exc:
        await reply(update, _error(language, exc))
        return
    today = _today(context)
    page = await _db(context, lambda db: tasks.due_soon(db, today, days))
    await reply(update, *due_soon_view(language, page, today, days, None))


async def _send_detail(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    task: Task,
    *,
    edit: bool = False,
) -> None:
    events = await _db(context, lambda db: tasks.history(db, task.id))
    view = detail_view(language, task, events, _today(context), tasks.can_update(person, task))
    if edit:
        await _show(update, *view)
    else:
        await reply(update, *view)


async def _code_arg(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, usage: str
) -> str | None:
    """The command's task code; None (the usage said) when there is none."""
    code = _arg(context)
    if not code:
        await reply(update, t(language, usage))
        return None
    return code


async def _load_task(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    code: str,
    load: Callable[[Any], Task],
) -> Task | None:
    """``load`` the task ``code``; None (the reason said) when it is malformed or unknown."""
    try:
        return await _db(context, load)
    except InvalidInput as exc:
        await reply(update, _error(language, exc))
    except NotFound:
        await reply(update, t(language, "tasks.task.not_found", code=_short(code, 40)))
    return None


@officials_only
async def task_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/task ID: a task's detail and history."""
    language = await lang(update, context)
    code = await _code_arg(update, context, language, "tasks.task.usage")
    if code is None:
        return
    task = await _load_task(update, context, language, code, lambda db: tasks.get_task(db, code))
    if task is None:
        return
    await _send_detail(update, context, person, language, task)


def _status_buttons(language: str, task_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                (t(language, "tasks.choice.done"), cb(PREFIX, "u", task_id, "done")),
                (t(language, "tasks.choice.open"), cb(PREFIX, "u", task_id, "open")),
            ],
            [(t(language, "tasks.choice.note"), cb(PREFIX, "u", task_id, "note"))],
            [(t(language, "tasks.btn.cancel"), cb(PREFIX, "x"))],
        ]
    )


async def _begin(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    code: str,
) -> None:
    chat_id = update.effective_chat.id
    now = services(context).clock()
    try:
        task = await _load_task(
            update,
            context,
            language,
            code,
            lambda db: tasks.begin_update(db, person, chat_id, code, now),
        )
    except PermissionDenied:
        other = await _db(context, lambda db: tasks.get_task(db, code))
        text = t(language, "tasks.update.denied", code=other.code, agency=other.agency)
        await reply(update, text + " " + t(language, "tasks.update.own", own=person.agency))
        return
    if task is None:
        return
    status = task.status(now.date())
    text = t(
        language,
        "tasks.update.start",
        code=task.code,
        title=_short(task.title, 200),
        status=_status(language, status),
        deadline=_day(task.deadline, language),
    )
    await reply(update, text, _status_buttons(language, task.id))


@officials_only
async def update_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/capnhat ID: guided update of status and progress note (own agency; admins any)."""
    language = await lang(update, context)
    code = await _code_arg(update, context, language, "tasks.update.usage")
    if code is None:
        return
    await _begin(update, context, person, language, code)


@officials_only
async def report_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/baocao: the chart (PNG) and the XLSX of the current state."""
    language = await lang(update, context)
    today = _today(context)
    summary, every = await _db(context, lambda db: (tasks.summary(db, today), tasks.all_tasks(db)))
    if not summary.counts.total:
        await reply(update, t(language, "tasks.empty"))
        return
    chat = update.effective_chat
    await chat.send_action(ChatAction.UPLOAD_PHOTO)
    png, xlsx = await asyncio.gather(
        asyncio.to_thread(tasks_report.chart_png, summary),
        asyncio.to_thread(tasks_report.export_xlsx, summary, every, today),
    )
    caption = t(language, "tasks.report.caption", date=formats.day(today))
    stamp = today.strftime("%Y%m%d")
    await chat.send_photo(
        InputFile(png, filename=f"nhiem-vu-{stamp}.png"),
        caption=caption + "\n" + sentence(language, summary),
        parse_mode="HTML",
    )
    await chat.send_document(
        InputFile(xlsx, filename=f"bao-cao-nhiem-vu-{stamp}.xlsx"),
        caption=t(language, "tasks.report.xlsx", count=formats.number(summary.counts.total)),
        parse_mode="HTML",
    )


# --- the pending note and /huy (group -1: only for an official with a pending update) ----


async def _pending_here(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[Official, tasks.PendingUpdate] | None:
    person = official(update, context)
    if person is None or update.effective_chat is None:
        return None
    pending = await _db(context, lambda db: tasks.pending_update(db, person.telegram_id))
    if pending is None or pending.chat_id != update.effective_chat.id:
        return None
    return person, pending


async def note_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The progress note of a pending /capnhat; anything else passes on to later handlers."""
    found = await _pending_here(update, context)
    if found is None:
        return
    person, pending = found
    language = await lang(update, context)
    if pending.step != "note":
        await reply(update, t(language, "tasks.update.press_button"))
        raise ApplicationHandlerStop
    text = update.effective_message.text or ""
    await _finish(update, context, person, language, text)
    raise ApplicationHandlerStop


async def _finish(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    note: str | None,
) -> None:
    now = services(context).clock()
    try:
        task = await _db(context, lambda db: tasks.finish_update(db, person, note, now))
    except InvalidInput as exc:
        await reply(update, _error(language, exc) + " " + t(language, "tasks.update.retry"))
        return
    except (NotFound, PermissionDenied):
        await reply(update, t(language, "tasks.update.gone"))
        return
    log.info("task %s updated by official %s", task.id, person.telegram_id)
    status = task.status(now.date())
    await reply(
        update,
        t(
            language,
            "tasks.update.done",
            code=task.code,
            status=_status(language, status),
        ),
    )
    await _send_detail(update, context, person, language, task)


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huy with a pending /capnhat: drop it; otherwise let the other features handle /huy."""
    found = await _pending_here(update, context)
    if found is None:
        return
    person, _pending = found
    await _db(context, lambda db: tasks.cancel_update(db, person.telegram_id))
    await reply(update, t(await lang(update, context), "tasks.update.cancelled"))
    raise ApplicationHandlerStop


# --- buttons --------------------------------------------------------------------------------

BUTTON = re.compile(r"^tk:([a-z]{1,2})((?::[0-9a-z]{1,8}){0,3})$")


@officials_only
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """Every tasks button: drill-downs, pages, detail, and the guided update."""
    query = update.callback_query
    language = await lang(update, context)
    match = BUTTON.match(query.data or "")
    if match is None:
        await query.answer(t(language, "stale_button"))
        return
    args = [a for a in match.group(2).split(":") if a]
    numbers = [int(a) if a.isdigit() else -1 for a in args]
    try:
        toast = await _dispatch(
            update, context, person, language, match.group(1), args, numbers, _today(context)
        )
    except (NotFound, IndexError):
        await query.answer(t(language, "stale_button"))
        return
    except PermissionDenied:
        await query.answer(t(language, "tasks.update.denied_short"), show_alert=True)
        return
    except InvalidInput as exc:
        await query.answer(_error(language, exc), show_alert=True)
        return
    await query.answer(toast)


async def _dispatch(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    action: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> str | None:
    """Carry out one button; returns the text of the answer toast, if any."""
    if action == "h":
        summary = await _db(context, lambda db: tasks.summary(db, today))
        await _show(update, *summary_view(language, summary))
    elif action == "ag":
        every = await _db(context, tasks.agencies)
        rows = [
            [(_short(a.name, 30), cb(PREFIX, "a", a.id)) for a in every[i : i + 2]]
            for i in range(0, len(every), 2)
        ]
        rows.append(_back(language))
        await _show(update, t(language, "tasks.agency.pick"), keyboard(rows))
    elif action == "a":
        agency_id = numbers[0]
        found = await _db(context, lambda db: tasks.agency(db, agency_id))
        await _send_agency(update, context, language, found)
    elif action == "ar":
        summary = await _db(context, lambda db: tasks.summary(db, today))
        counts = {r.index: r.counts.total for r in summary.by_area}
        rows = [
            [(f"{AREA_SHORT[i]} ({counts.get(i, 0)})", cb(PREFIX, "r", i))]
            for i in range(len(AREAS))
        ]
        if -1 in counts:
            rows.append(
                [(f"{t(language, 'tasks.area.none')} ({counts[-1]})", cb(PREFIX, "r", "n"))]
            )
        rows.append(_back(language))
        await _show(update, t(language, "tasks.area.pick"), keyboard(rows))
    elif action == "r":
        index = -1 if args[0] == "n" else numbers[0]
        if not -1 <= index < len(AREAS):
            raise NotFound(args[0])
        summary = await _db(context, lambda db: tasks.summary(db, today, area=index))
        await _show(update, *area_view(language, index, summary))
    elif action == "q":
        agency_id, number = numbers[0], numbers[1]
        agency = (
            await _db(context, lambda db: tasks.agency(db, agency_id)) if agency_id > 0 else None
        )
        page = await _db(
            context,
            lambda db: tasks.overdue(db, today, agency_id=agency_id or None, page=number),
        )
        await _show(update, *overdue_view(language, page, today, agency))
    elif action == "s":
        days = numbers[0] or services(context).config.tasks.due_soon_days
        number = numbers[1]
        agency_id = numbers[2] if len(numbers) > 2 else 0
        if not 1 <= days <= tasks.MAX_DAYS:
            raise NotFound(args[0])
        agency = (
            await _db(context, lambda db: tasks.agency(db, agency_id)) if agency_id > 0 else None
        )
        page = await _db(
            context,
            lambda db: tasks.due_soon(db, today, days, agency_id=agency_id or None, page=number),
        )
        await _show(update, *due_soon_view(language, page, today, days, agency))
    elif action == "t":
        task_id = numbers[0]
        task = await _db(context, lambda db: tasks.get_task_by_id(db, task_id))
        await _send_detail(update, context, person, language, task)
    elif action == "c":
        task_id = numbers[0]
        task = await _db(context, lambda db: tasks.get_task_by_id(db, task_id))
        await _begin(update, context, person, language, task.code)
    elif action == "u":
        task_id, choice = numbers[0], args[1]
        task = await _db(context, lambda db: tasks.choose_status(db, person, task_id, choice))
        key = "tasks.update.ask_note_done" if choice == "done" else "tasks.update.ask_note"
        rows = []
        if choice != "note":
            rows.append([(t(language, "tasks.btn.no_note"), cb(PREFIX, "k", task_id))])
        rows.append([(t(language, "tasks.btn.cancel"), cb(PREFIX, "x"))])
        text = t(
            language,
            key,
            code=task.code,
            choice=t(language, CHOICE_KEYS[choice]),
            limit=formats.number(tasks.MAX_NOTE),
        )
        await _show(update, text, keyboard(rows))
    elif action == "k":
        pending = await _db(context, lambda db: tasks.pending_update(db, person.telegram_id))
        if pending is None or pending.task_id != numbers[0] or pending.step != "note":
            raise NotFound("no pending update")
        await _finish(update, context, person, language, None)
    elif action == "x":
        dropped = await _db(context, lambda db: tasks.cancel_update(db, person.telegram_id))
        await _show(
            update,
            t(language, "tasks.update.cancelled" if dropped else "tasks.update.nothing"),
            None,
        )
    else:
        raise NotFound(action)
    return None


# --- the daily digest -----------------------------------------------------------------------


async def send_digest(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the morning digest to the configured chats (working days only, once a day)."""
    svc = services(context)
    now = svc.clock()
    today = now.date()
    chats = svc.config.tasks.digest_chats
    if not chats or not workdays.is_working_day(today):
        return

    def build(db: Any) -> tuple[Summary, tasks.Digest] | None:
        since = tasks.last_digest_day(db)
        if not tasks.record_digest(db, today, now, len(chats)):
            return None  # already sent today (a second instance, or a restart)
        return tasks.summary(db, today), tasks.digest(db, today, since)

    built = await svc.store.run(build)
    if built is None:
        return
    text = digest_text(*built)
    for chat_id in chats:
        try:
            for part in split_html(text):
                await context.bot.send_message(chat_id, part, parse_mode="HTML")
        except TelegramError as exc:
            log.warning("tasks digest not delivered to chat %s: %s", chat_id, type(exc).__name__)


def digest_time(at: time) -> time:
    """The configured time in Vietnam's time zone."""
    return at.replace(tzinfo=TZ)


async def startup(app: Application) -> None:  # type: ignore[type-arg]
    """Schedule the daily digest at ``[tasks] digest_time`` (Asia/Ho_Chi_Minh)."""
    config = app.bot_data["services"].config.tasks
    if not config.digest_chats:
        return
    if app.job_queue is None:
        log.warning("tasks digest not scheduled: python-telegram-bot[job-queue] is missing")
        return
    app.job_queue.run_daily(send_digest, time=digest_time(config.digest_time), name="tasks-digest")
    log.info(
        "tasks digest scheduled at %s for %s chats", config.digest_time, len(config.digest_chats)
    )


def _gated(fn: Any) -> Any:
    """A gated callback as PTB's handler classes expect it (access.py types it loosely)."""
    return fn


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the officials' task commands, buttons, and the pending-note handlers."""
    app.add_handler(CommandHandler("huy", cancel_command), group=-1)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, note_text), group=-1)
    app.add_handler(CommandHandler("nhiemvu", _gated(summary_command)))
    app.add_handler(CommandHandler("quahan", _gated(overdue_command)))
    app.add_handler(CommandHandler("nhiemvu_sapden", _gated(due_soon_command)))
    app.add_handler(CommandHandler("task", _gated(task_command)))
    app.add_handler(CommandHandler("capnhat", _gated(update_command)))
    app.add_handler(CommandHandler("baocao", _gated(report_command)))
    app.add_handler(CallbackQueryHandler(_gated(on_button), pattern=rf"^{PREFIX}:"))
