"""Officials' reform-task slash commands: /nhiemvu, /quahan, /nhiemvu_sapden, /task, /baocao.

Every command goes through :func:`handlers.access.officials_only`. The guided /capnhat is in
``update``, the buttons in ``buttons``; the helpers here (loading from the store, sending an
agency's view or a task's detail) are shared with both.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from telegram import InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from handlers.access import officials_only
from handlers.common import lang, reply, services, short, show, t
from handlers.tasks.views import (
    _error,
    agency_choice_view,
    agency_view,
    detail_view,
    due_soon_view,
    overdue_view,
    sentence,
    summary_view,
)
from knowledge import formats, tasks
from knowledge.errors import InvalidInput, NotFound
from knowledge.settings import Official
from knowledge.tasks import Task
from knowledge.tasks import report as tasks_report

log = logging.getLogger(__name__)
T = TypeVar("T")


# --- small helpers --------------------------------------------------------------------------


def _today(context: ContextTypes.DEFAULT_TYPE) -> date:
    return services(context).clock().date()


async def _db(context: ContextTypes.DEFAULT_TYPE, fn: Callable[[Any], T]) -> T:
    return await services(context).store.run(fn)


def _arg(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or [])


# --- commands -------------------------------------------------------------------------------


async def _agency_or_choices(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, query: str
) -> tasks.Agency | None:
    """Resolve a fuzzy agency name; reply with a choice (paged) or an apology when not unique."""
    try:
        found = await _db(context, lambda db: tasks.find_agency(db, query))
    except InvalidInput as exc:
        await reply(update, _error(language, exc))
        return None
    except NotFound:
        await reply(update, t(language, "tasks.agency.not_found", query=short(query, 60)))
        return None
    if len(found) == 1:
        return found[0]
    await reply(update, *agency_choice_view(language, " ".join(query.split()), found, 0))
    return None


async def _send_agency(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    language: str,
    agency: tasks.Agency,
    page: int = 0,
) -> None:
    """The agency's view: its sentence and a page of its open tasks (NotFound: no such page)."""
    today = _today(context)
    summary, open_page = await _db(
        context,
        lambda db: (
            tasks.summary(db, today, agency_id=agency.id),
            tasks.open_tasks(db, agency_id=agency.id, page=page),
        ),
    )
    if page and not open_page.items:
        raise NotFound(f"page {page}")
    await show(update, *agency_view(language, agency.name, agency.id, summary, open_page))


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
        await show(update, *view)
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
        await reply(update, t(language, "tasks.task.not_found", code=short(code, 40)))
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
