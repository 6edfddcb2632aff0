"""Every ``tk:`` button: drill-downs, pages, a task's detail, and the guided update's steps.

Callback data is ``tk:ACTION[:ARG[:ARG[:ARG]]]`` (:data:`PAYLOAD`, anchored by
:func:`handlers.callbacks.pattern`). :func:`on_button` looks the action up in :data:`ACTIONS`,
one small handler per action, each taking one :class:`Press`; an unknown action, or a
task, agency or page that is gone, gets the stale-button answer.

| action | data | what it does |
| --- | --- | --- |
| ``h`` | ``tk:h`` | the province's summary |
| ``ag`` | ``tk:ag[:PAGE]`` | pick an agency, a page of every one |
| ``am`` | ``tk:am:PAGE:QUERY`` | a page of the agencies matching QUERY (folded, ``-``: space) |
| ``a`` | ``tk:a:AGENCY`` | one agency: its open tasks, overdue first |
| ``o`` | ``tk:o:AGENCY:PAGE`` | a page of one agency's open tasks |
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
from dataclasses import dataclass
from datetime import date

from telegram import Update
from telegram.ext import ContextTypes

from handlers.access import officials_only
from handlers.callbacks import Prefix, pattern
from handlers.common import cb, keyboard, lang, services, show, t
from handlers.tasks.commands import _db, _send_agency, _send_detail, _today
from handlers.tasks.update import CHOICE_KEYS, _begin, _finish
from handlers.tasks.views import (
    _back,
    _error,
    agency_choice_view,
    agency_pages,
    agency_pick_view,
    area_view,
    due_soon_view,
    overdue_view,
    summary_view,
)
from knowledge import formats, tasks
from knowledge.errors import InvalidInput, NotFound, PermissionDenied
from knowledge.settings import Official
from knowledge.tasks import AREA_SHORT, AREAS

# An action of one or two letters, then up to three arguments of digits and small letters;
# or ``am``, a page number and a folded agency query (small letters, digits, ``-``).
PAYLOAD = r"([a-z]{1,2})((?::[0-9a-z]{1,8}){0,3})|(am)(:[0-9]{1,3}:[0-9a-z-]{1,48})"
PATTERN = pattern(Prefix.TASKS, PAYLOAD)
BUTTON = re.compile(PATTERN)


@dataclass(frozen=True, slots=True)
class Press:
    """One button press, parsed: who pressed it, in which language, with which arguments."""

    update: Update
    context: ContextTypes.DEFAULT_TYPE
    person: Official
    language: str
    args: list[str]
    numbers: list[int]  # the arguments as numbers (-1: not a number)
    today: date


Action = Callable[[Press], Awaitable[None]]


@officials_only
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """Every tasks button: drill-downs, pages, detail, and the guided update."""
    query = update.callback_query
    language = await lang(update, context)
    match = BUTTON.match(query.data or "")
    name, rest = (match.group(1), match.group(2)) if match is not None else (None, None)
    if match is not None and name is None:
        name, rest = match.group(3), match.group(4)
    action = ACTIONS.get(name or "")
    if match is None or action is None or rest is None:
        await query.answer(t(language, "stale_button"))
        return
    args = [a for a in rest.split(":") if a]
    numbers = [int(a) if a.isdigit() else -1 for a in args]
    try:
        await action(Press(update, context, person, language, args, numbers, _today(context)))
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


async def _home(press: Press) -> None:
    """``h``: the province's summary."""
    summary = await _db(press.context, lambda db: tasks.summary(db, press.today))
    await show(press.update, *summary_view(press.language, summary))


def _page_of(press: Press, index: int, count: int) -> int:
    """The page number in argument ``index`` (0 when absent); NotFound past the last page."""
    number = press.numbers[index] if len(press.numbers) > index else 0
    if not 0 <= number < agency_pages(count):
        raise NotFound(f"page {number}")
    return number


async def _agencies(press: Press) -> None:
    """``ag[:PAGE]``: a page of every agency, two buttons a row."""
    every = await _db(press.context, tasks.agencies)
    page = _page_of(press, 0, len(every))
    await show(press.update, *agency_pick_view(press.language, every, page))


async def _agency_matches(press: Press) -> None:
    """``am:PAGE:QUERY``: a page of the agencies matching the (folded) query."""
    query = press.args[1].replace("-", " ")
    found = await _db(press.context, lambda db: tasks.find_agency(db, query))
    page = _page_of(press, 0, len(found))
    await show(press.update, *agency_choice_view(press.language, query, found, page))


async def _agency(press: Press) -> None:
    """``a:AGENCY``: one agency's view, the first page of its open tasks."""
    agency_id = press.numbers[0]
    found = await _db(press.context, lambda db: tasks.agency(db, agency_id))
    await _send_agency(press.update, press.context, press.language, found)


async def _agency_open(press: Press) -> None:
    """``o:AGENCY:PAGE``: one agency's view at another page of its open tasks."""
    agency_id, number = press.numbers[0], press.numbers[1]
    if number < 0:
        raise NotFound(press.args[1])
    found = await _db(press.context, lambda db: tasks.agency(db, agency_id))
    await _send_agency(press.update, press.context, press.language, found, number)


async def _areas(press: Press) -> None:
    """``ar``: the reform areas with their task counts."""
    summary = await _db(press.context, lambda db: tasks.summary(db, press.today))
    counts = {r.index: r.counts.total for r in summary.by_area}
    rows = [
        [(f"{AREA_SHORT[i]} ({counts.get(i, 0)})", cb(Prefix.TASKS, "r", i))]
        for i in range(len(AREAS))
    ]
    if -1 in counts:
        rows.append(
            [
                (
                    f"{t(press.language, 'tasks.area.none')} ({counts[-1]})",
                    cb(Prefix.TASKS, "r", "n"),
                )
            ]
        )
    rows.append(_back(press.language))
    await show(press.update, t(press.language, "tasks.area.pick"), keyboard(rows))


async def _area(press: Press) -> None:
    """``r:AREA``: one reform area (``n``: tasks without one)."""
    index = -1 if press.args[0] == "n" else press.numbers[0]
    if not -1 <= index < len(AREAS):
        raise NotFound(press.args[0])
    summary = await _db(press.context, lambda db: tasks.summary(db, press.today, area=index))
    await show(press.update, *area_view(press.language, index, summary))


async def _overdue(press: Press) -> None:
    """``q:AGENCY:PAGE``: a page of overdue tasks (agency 0: the whole province)."""
    agency_id, number = press.numbers[0], press.numbers[1]
    agency = (
        await _db(press.context, lambda db: tasks.agency(db, agency_id)) if agency_id > 0 else None
    )
    page = await _db(
        press.context,
        lambda db: tasks.overdue(db, press.today, agency_id=agency_id or None, page=number),
    )
    await show(press.update, *overdue_view(press.language, page, press.today, agency))


async def _due_soon(press: Press) -> None:
    """``s:DAYS:PAGE[:AGENCY]``: a page of tasks due soon (days 0: the configured default)."""
    days = press.numbers[0] or services(press.context).config.tasks.due_soon_days
    number = press.numbers[1]
    agency_id = press.numbers[2] if len(press.numbers) > 2 else 0
    if not 1 <= days <= tasks.MAX_DAYS:
        raise NotFound(press.args[0])
    agency = (
        await _db(press.context, lambda db: tasks.agency(db, agency_id)) if agency_id > 0 else None
    )
    page = await _db(
        press.context,
        lambda db: tasks.due_soon(db, press.today, days, agency_id=agency_id or None, page=number),
    )
    await show(press.update, *due_soon_view(press.language, page, press.today, days, agency))


async def _detail(press: Press) -> None:
    """``t:TASK``: a task's detail and history."""
    task_id = press.numbers[0]
    task = await _db(press.context, lambda db: tasks.get_task_by_id(db, task_id))
    await _send_detail(press.update, press.context, press.person, press.language, task)


# --- the guided update ----------------------------------------------------------------------


async def _change(press: Press) -> None:
    """``c:TASK``: start a guided update of the task (as /capnhat does)."""
    task_id = press.numbers[0]
    task = await _db(press.context, lambda db: tasks.get_task_by_id(db, task_id))
    await _begin(press.update, press.context, press.person, press.language, task.code)


async def _choose(press: Press) -> None:
    """``u:TASK:CHOICE``: the status chosen; ask for the progress note."""
    task_id, choice = press.numbers[0], press.args[1]
    task = await _db(
        press.context, lambda db: tasks.choose_status(db, press.person, task_id, choice)
    )
    key = "tasks.update.ask_note_done" if choice == "done" else "tasks.update.ask_note"
    rows = []
    if choice != "note":
        rows.append([(t(press.language, "tasks.btn.no_note"), cb(Prefix.TASKS, "k", task_id))])
    rows.append([(t(press.language, "tasks.btn.cancel"), cb(Prefix.TASKS, "x"))])
    text = t(
        press.language,
        key,
        code=task.code,
        choice=t(press.language, CHOICE_KEYS[choice]),
        limit=formats.number(tasks.MAX_NOTE),
    )
    await show(press.update, text, keyboard(rows))


async def _no_note(press: Press) -> None:
    """``k:TASK``: finish the pending update without a note."""
    pending = await _db(
        press.context, lambda db: tasks.pending_update(db, press.person.telegram_id)
    )
    if pending is None or pending.task_id != press.numbers[0] or pending.step != "note":
        raise NotFound("no pending update")
    await _finish(press.update, press.context, press.person, press.language, None)


async def _cancel(press: Press) -> None:
    """``x``: drop the pending update, if any."""
    dropped = await _db(
        press.context, lambda db: tasks.cancel_update(db, press.person.telegram_id)
    )
    await show(
        press.update,
        t(press.language, "tasks.update.cancelled" if dropped else "tasks.update.nothing"),
        None,
    )


ACTIONS: dict[str, Action] = {
    "h": _home,
    "ag": _agencies,
    "am": _agency_matches,
    "a": _agency,
    "o": _agency_open,
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
