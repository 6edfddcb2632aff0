"""The guided /capnhat: status buttons, then a progress note, or /huy to drop it.

A guided update keeps its state in SQLite (``task_pending_update``), so a restart between the
status button and the note loses nothing; the note is taken by a text handler in group -1
that only acts for an official with a pending update in that chat, and /huy cancels it.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers.access import officials_only
from handlers.callbacks import Prefix
from handlers.common import cb, keyboard, lang, official, reply, services, short, t
from handlers.tasks.commands import _code_arg, _db, _load_task, _send_detail
from handlers.tasks.views import _day, _error, _status
from knowledge import tasks
from knowledge.errors import InvalidInput, NotFound, PermissionDenied
from knowledge.settings import Official

log = logging.getLogger(__name__)

CHOICE_KEYS = {
    "done": "tasks.choice.done",
    "open": "tasks.choice.open",
    "note": "tasks.choice.note",
}


# --- starting: /capnhat ID and the status buttons -------------------------------------------


def _status_buttons(language: str, task_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [
                (t(language, "tasks.choice.done"), cb(Prefix.TASKS, "u", task_id, "done")),
                (t(language, "tasks.choice.open"), cb(Prefix.TASKS, "u", task_id, "open")),
            ],
            [(t(language, "tasks.choice.note"), cb(Prefix.TASKS, "u", task_id, "note"))],
            [(t(language, "tasks.btn.cancel"), cb(Prefix.TASKS, "x"))],
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
        title=short(task.title, 200),
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
