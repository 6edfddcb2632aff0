"""Every ``tk:`` button: drill-downs, pages, a task's detail, and the guided update's steps.

Callback data is ``tk:ACTION[:ARG[:ARG[:ARG]]]`` (:data:`PAYLOAD`, anchored by
:func:`handlers.callbacks.pattern`). :func:`on_button` looks the action up in :data:`ACTIONS`,
one small handler per action, all with the :data:`Action` signature; an unknown action, or a
task, agency or page that is gone, gets the stale-button answer.

| action | data | what it does |
| --- | --- | --- |
| ``h`` | ``tk:h`` | the province's summary |
| ``ag`` | ``tk:ag`` | pick an agency |
| ``a`` | ``tk:a:AGENCY`` | one agency |
| ``ar`` | ``tk:ar`` | pick a reform area |
| ``r`` | ``tk:r:AREA`` (``n``: none) | one area |
| ``q`` | ``tk:q:AGENCY:PAGE`` (0: all) | overdue tasks |
| ``s`` | ``tk:s:DAYS:PAGE[:AGENCY]`` (0: default) | tasks due soon |
| ``t`` | ``tk:t:TASK`` | a task's detail |
| ``c`` | ``tk:c:TASK`` | start a guided update |
| ``u`` | ``tk:u:TASK:CHOICE`` | the status chosen; ask for the note |
| ``k`` | ``tk:k:TASK`` | finish without a note |
| ``x`` | ``tk:x`` | cancel the guided update |
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date

from telegram import Update
from telegram.ext import ContextTypes

from handlers.access import officials_only
from handlers.callbacks import Prefix, pattern
from handlers.common import cb, keyboard, lang, services, short, show, t
from handlers.tasks.commands import _db, _send_agency, _send_detail, _today
from handlers.tasks.update import CHOICE_KEYS, _begin, _finish
from handlers.tasks.views import (
    _back,
    _error,
    area_view,
    due_soon_view,
    overdue_view,
    summary_view,
)
from knowledge import formats, tasks
from knowledge.errors import InvalidInput, NotFound, PermissionDenied
from knowledge.settings import Official
from knowledge.tasks import AREA_SHORT, AREAS

# An action of one or two letters, then up to three arguments of digits and small letters.
PAYLOAD = r"([a-z]{1,2})((?::[0-9a-z]{1,8}){0,3})"
PATTERN = pattern(Prefix.TASKS, PAYLOAD)
BUTTON = re.compile(PATTERN)

# (update, context, official, language, args, args as numbers (-1: not a number), today)
Action = Callable[
    [Update, ContextTypes.DEFAULT_TYPE, Official, str, list[str], list[int], date],
    Awaitable[None],
]


@officials_only
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """Every tasks button: drill-downs, pages, detail, and the guided update."""
    query = update.callback_query
    language = await lang(update, context)
    match = BUTTON.match(query.data or "")
    action = ACTIONS.get(match.group(1)) if match is not None else None
    if match is None or action is None:
        await query.answer(t(language, "stale_button"))
        return
    args = [a for a in match.group(2).split(":") if a]
    numbers = [int(a) if a.isdigit() else -1 for a in args]
    try:
        await action(update, context, person, language, args, numbers, _today(context))
    except (NotFound, IndexError):
        await query.answer(t(language, "stale_button"))
        return
    except PermissionDenied:
        await query.answer(t(language, "tasks.update.denied_short"), show_alert=True)
        return
    except InvalidInput as exc:
        await query.answer(_error(language, exc), show_alert=True)
        return
    await query.answer()


# --- browsing -------------------------------------------------------------------------------


async def _home(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``h``: the province's summary."""
    summary = await _db(context, lambda db: tasks.summary(db, today))
    await show(update, *summary_view(language, summary))


async def _agencies(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``ag``: every agency, two buttons a row."""
    every = await _db(context, tasks.agencies)
    rows = [
        [(short(a.name, 30), cb(Prefix.TASKS, "a", a.id)) for a in every[i : i + 2]]
        for i in range(0, len(every), 2)
    ]
    rows.append(_back(language))
    await show(update, t(language, "tasks.agency.pick"), keyboard(rows))


async def _agency(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``a:AGENCY``: one agency's view."""
    agency_id = numbers[0]
    found = await _db(context, lambda db: tasks.agency(db, agency_id))
    await _send_agency(update, context, language, found)


async def _areas(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``ar``: the reform areas with their task counts."""
    summary = await _db(context, lambda db: tasks.summary(db, today))
    counts = {r.index: r.counts.total for r in summary.by_area}
    rows = [
        [(f"{AREA_SHORT[i]} ({counts.get(i, 0)})", cb(Prefix.TASKS, "r", i))]
        for i in range(len(AREAS))
    ]
    if -1 in counts:
        rows.append(
            [(f"{t(language, 'tasks.area.none')} ({counts[-1]})", cb(Prefix.TASKS, "r", "n"))]
        )
    rows.append(_back(language))
    await show(update, t(language, "tasks.area.pick"), keyboard(rows))


async def _area(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``r:AREA``: one reform area (``n``: tasks without one)."""
    index = -1 if args[0] == "n" else numbers[0]
    if not -1 <= index < len(AREAS):
        raise NotFound(args[0])
    summary = await _db(context, lambda db: tasks.summary(db, today, area=index))
    await show(update, *area_view(language, index, summary))


async def _overdue(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``q:AGENCY:PAGE``: a page of overdue tasks (agency 0: the whole province)."""
    agency_id, number = numbers[0], numbers[1]
    agency = await _db(context, lambda db: tasks.agency(db, agency_id)) if agency_id > 0 else None
    page = await _db(
        context,
        lambda db: tasks.overdue(db, today, agency_id=agency_id or None, page=number),
    )
    await show(update, *overdue_view(language, page, today, agency))


async def _due_soon(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``s:DAYS:PAGE[:AGENCY]``: a page of tasks due soon (days 0: the configured default)."""
    days = numbers[0] or services(context).config.tasks.due_soon_days
    number = numbers[1]
    agency_id = numbers[2] if len(numbers) > 2 else 0
    if not 1 <= days <= tasks.MAX_DAYS:
        raise NotFound(args[0])
    agency = await _db(context, lambda db: tasks.agency(db, agency_id)) if agency_id > 0 else None
    page = await _db(
        context,
        lambda db: tasks.due_soon(db, today, days, agency_id=agency_id or None, page=number),
    )
    await show(update, *due_soon_view(language, page, today, days, agency))


async def _detail(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``t:TASK``: a task's detail and history."""
    task_id = numbers[0]
    task = await _db(context, lambda db: tasks.get_task_by_id(db, task_id))
    await _send_detail(update, context, person, language, task)


# --- the guided update ----------------------------------------------------------------------


async def _change(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``c:TASK``: start a guided update of the task (as /capnhat does)."""
    task_id = numbers[0]
    task = await _db(context, lambda db: tasks.get_task_by_id(db, task_id))
    await _begin(update, context, person, language, task.code)


async def _choose(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``u:TASK:CHOICE``: the status chosen; ask for the progress note."""
    task_id, choice = numbers[0], args[1]
    task = await _db(context, lambda db: tasks.choose_status(db, person, task_id, choice))
    key = "tasks.update.ask_note_done" if choice == "done" else "tasks.update.ask_note"
    rows = []
    if choice != "note":
        rows.append([(t(language, "tasks.btn.no_note"), cb(Prefix.TASKS, "k", task_id))])
    rows.append([(t(language, "tasks.btn.cancel"), cb(Prefix.TASKS, "x"))])
    text = t(
        language,
        key,
        code=task.code,
        choice=t(language, CHOICE_KEYS[choice]),
        limit=formats.number(tasks.MAX_NOTE),
    )
    await show(update, text, keyboard(rows))


async def _no_note(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``k:TASK``: finish the pending update without a note."""
    pending = await _db(context, lambda db: tasks.pending_update(db, person.telegram_id))
    if pending is None or pending.task_id != numbers[0] or pending.step != "note":
        raise NotFound("no pending update")
    await _finish(update, context, person, language, None)


async def _cancel(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    args: list[str],
    numbers: list[int],
    today: date,
) -> None:
    """``x``: drop the pending update, if any."""
    dropped = await _db(context, lambda db: tasks.cancel_update(db, person.telegram_id))
    await show(
        update,
        t(language, "tasks.update.cancelled" if dropped else "tasks.update.nothing"),
        None,
    )


ACTIONS: dict[str, Action] = {
    "h": _home,
    "ag": _agencies,
    "a": _agency,
    "ar": _areas,
    "r": _area,
    "q": _overdue,
    "s": _due_soon,
    "t": _detail,
    "c": _change,
    "u": _choose,
    "k": _no_note,
    "x": _cancel,
}
