"""Officials' side of feedback: their commands, the queue's action buttons, pending text.

Every command and button here goes through :func:`handlers.access.officials_only`. A button
that needs text (reply, agency, reason, duplicate code) leaves a pending action in SQLite;
the official's next message in that chat (or in their private chat) provides the text.
Two citizen commands have an officials' variant registered here, ahead of the citizen's:
``/phananh CODE`` from an official shows the record, and ``/huy`` with a pending action
drops that action.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import time
from typing import Any

from telegram import ForceReply, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.access import officials_only
from handlers.callbacks import Prefix
from handlers.common import Html, Services, esc, keyboard, lang, reply, services, t
from handlers.feedback.queue import (
    LIST_LIMIT,
    notify_citizen,
    refresh_queue_message,
    reminder_job,
)
from handlers.feedback.render import action_rows, list_buttons, list_text, record_text
from handlers.feedback.state import (
    Button,
    FromOfficial,
    HasPending,
    PendingText,
    buttons_pattern,
    state,
)
from knowledge import feedback as fb
from knowledge import formats
from knowledge.clock import TZ
from knowledge.errors import NotFound
from knowledge.feedback import export as feedback_export
from knowledge.feedback import tracking
from knowledge.settings import Official

log = logging.getLogger(__name__)

# Short button codes -> domain actions (callback data stays well under 64 bytes).
BUTTON_ACTIONS: dict[str, fb.Action] = {
    "claim": fb.Action.CLAIM,
    "fwd": fb.Action.FORWARD,
    "reply": fb.Action.REPLY,
    "nc": fb.Action.NOT_COMPETENT,
    "dup": fb.Action.DUPLICATE,
    "rej": fb.Action.REJECT,
}


# --- commands -----------------------------------------------------------------------------


@officials_only
async def cmd_new(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """/phananh_moi: records nobody has taken yet (new and reopened)."""
    language = await lang(update, context)
    svc = services(context)
    records = await svc.store.run(lambda db: fb.list_new(db, LIST_LIMIT))
    if not records:
        await reply(update, t(language, "fbo.none_new"))
        return
    today = svc.clock().date()
    title = t(language, "fbo.list_new", count=len(records))
    await reply(update, list_text(language, title, records, today), list_buttons(records))


@officials_only
async def cmd_overdue(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/phananh_quahan: open records past their due date, the most overdue first."""
    language = await lang(update, context)
    svc = services(context)
    today = svc.clock().date()
    records = await svc.store.run(lambda db: fb.list_overdue(db, today, LIST_LIMIT))
    if not records:
        await reply(update, t(language, "fbo.none_overdue"))
        return
    title = t(language, "fbo.list_overdue", count=len(records))
    await reply(update, list_text(language, title, records, today), list_buttons(records))


async def _show_record(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, code: str
) -> None:
    svc = services(context)

    def load(db: Any) -> tuple[fb.Feedback, list[fb.Event]]:
        record = fb.by_code(db, code)
        return record, fb.history(db, record.id, public_only=False)

    try:
        record, events = await svc.store.run(load)
    except NotFound:
        await reply(update, t(language, "fbo.not_found", code=code))
        return
    text = record_text(language, record, svc.clock().date(), history=events)
    await reply(update, text, keyboard(action_rows(language, record)))


@officials_only
async def cmd_record(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """/phananh CODE (officials): the whole record, its history and the action buttons."""
    language = await lang(update, context)
    await _show_record(update, context, language, " ".join(context.args or []))


@officials_only
async def cmd_block(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """/chan <user_id or code> (admin): block an abusive user; their records stay, hidden."""
    await _block(update, context, person, blocked=True)


@officials_only
async def cmd_unblock(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """/bochan <user_id or code> (admin): lift a block."""
    await _block(update, context, person, blocked=False)


async def _block(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official, *, blocked: bool
) -> None:
    language = await lang(update, context)
    if not person.is_admin:
        await reply(update, t(language, "fbo.admin_only"))
        return
    if not context.args:
        await reply(update, t(language, "fbo.block_usage"))
        return
    target = context.args[0]
    svc = services(context)
    now = svc.clock()
    try:
        user_id, count = await svc.store.run(
            lambda db: fb.block(db, target, person, now, blocked=blocked)
        )
    except NotFound:
        await reply(update, t(language, "fbo.not_found", code=target))
        return
    log.info(
        "official %s set blocked=%s on a user (%s records)", person.telegram_id, blocked, count
    )
    key = "fbo.blocked" if blocked else "fbo.unblocked"
    await reply(update, t(language, key, user=user_id, count=count))


@officials_only
async def cmd_export(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """/xuatphananh [from] [to] [csv]: the records received in a date range as XLSX (or CSV)."""
    language = await lang(update, context)
    svc = services(context)
    today = svc.clock().date()
    args = [a for a in (context.args or []) if a.lower() not in {"csv", "xlsx"}]
    fmt = "csv" if any(a.lower() == "csv" for a in context.args or []) else "xlsx"
    try:
        start = feedback_export.parse_day(args[0]) if args else today.replace(day=1)
        end = feedback_export.parse_day(args[1]) if len(args) > 1 else today
        data, name, count = await svc.store.run(
            lambda db: feedback_export.export(db, start, end, today, fmt)
        )
    except fb.FeedbackInputError:
        await reply(update, t(language, "fbo.export_usage"))
        return
    caption = t(
        language,
        "fbo.export_caption",
        count=count,
        start=formats.day(start),
        end=formats.day(end),
    )
    await update.effective_chat.send_document(
        document=data, filename=name, caption=caption, parse_mode=ParseMode.HTML
    )


async def record_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/phananh CODE from an official: the whole record (for anyone else, the citizen's /phananh).

    Registered with a filter that admits only officials, ahead of the citizen's handler; the
    gate inside :func:`cmd_record` checks again. /phananh itself stays a citizen command.
    """
    await cmd_record(update, context)


# --- actions and the text they wait for -----------------------------------------------------


async def apply_action(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    code: str,
    action: str,
    note: str | None,
) -> bool:
    """Run an action, tell everyone concerned; False when refused (already said why)."""
    svc = services(context)
    now = svc.clock()
    update_id = update.update_id
    cfg = svc.config.feedback
    try:
        result = await svc.store.run(
            lambda db: fb.once(
                db, update_id, now, lambda: fb.act(db, code, person, action, now, cfg, note)
            )
        )
    except fb.AlreadyProcessed:
        return True
    except NotFound:
        if action == "duplicate":
            await _say(update, t(language, "fbo.err.dup_not_found", code=note or ""))
        else:
            await _say(update, t(language, "fbo.not_found", code=code))
        return False
    except fb.FeedbackInputError as exc:
        values = dict(exc.values)
        if exc.reason == "closed":
            values["status"] = Html(t(language, f"fb.status.{values.get('status', '')}"))
        await _say(update, t(language, f"fbo.err.{exc.reason}", **values))
        return False
    state(context.application).pending.pop(person.telegram_id, None)
    log.info("official %s: %s on %s", person.telegram_id, action, code)
    record = result.feedback
    await _say(
        update,
        t(
            language,
            "fbo.done",
            name=person.name,
            action=Html(t(language, f"fb.action.{action}")),
            code=record.code,
        ),
    )
    await notify_citizen(context.bot, svc, record, result.event)
    await refresh_queue_message(context.bot, svc, record)
    return True


async def _say(update: Update, text: str) -> None:
    """Answer a button (toast) or a message (reply)."""
    query = update.callback_query
    if query is not None:
        with contextlib.suppress(BadRequest):
            await query.answer(_plain(text)[:190])
        return
    await reply(update, text)


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


@officials_only
async def on_pending_text(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official
) -> None:
    """The text a pending action waits for (reply, agency, reason, duplicate code)."""
    language = await lang(update, context)
    svc = services(context)
    now = svc.clock()
    pending = await svc.store.run(lambda db: fb.get_pending(db, person.telegram_id, now))
    if pending is None:
        state(context.application).pending.pop(person.telegram_id, None)
        await reply(update, t(language, "fbo.pending_expired"))
        return
    text = update.effective_message.text or ""
    await apply_action(update, context, person, language, pending.code, pending.action, text)


async def cancel_pending(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """/huy from an official with a pending action: drop it; False when there was none."""
    user = update.effective_user
    indexes = state(context.application)
    if user is None or user.id not in indexes.pending:
        return False
    svc = services(context)
    await svc.store.run(lambda db: fb.clear_pending(db, user.id))
    indexes.pending.pop(user.id, None)
    return True


async def _send_files(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, code: str
) -> None:
    svc = services(context)
    try:
        record = await svc.store.run(lambda db: fb.by_code(db, code))
    except NotFound:
        await reply(update, t(language, "fbo.not_found", code=code))
        return
    chat = update.effective_chat
    if not record.attachments and not record.has_location:
        await reply(update, t(language, "fbo.no_files", code=code))
        return
    for item in record.attachments:
        if item.kind == "photo":
            await chat.send_photo(item.file_id, caption=record.code)
        else:
            await chat.send_document(item.file_id, caption=record.code)
    if record.latitude is not None and record.longitude is not None:
        await chat.send_location(latitude=record.latitude, longitude=record.longitude)


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/huy from an official whose button waits for text (registered with a filter)."""
    if await cancel_pending(update, context):
        await reply(update, t(await lang(update, context), "fbo.pending_cancelled"))


# --- the queue's buttons ------------------------------------------------------------------


async def _btn_show(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official, language: str, code: str
) -> None:
    await update.callback_query.answer()
    await _show_record(update, context, language, code)


async def _btn_files(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official, language: str, code: str
) -> None:
    await update.callback_query.answer()
    await _send_files(update, context, language, code)


def _action_button(action: str) -> Callable[..., Awaitable[None]]:
    """A ``fo:<short>:<code>`` button for one action: done now, or waiting for its text."""

    async def handler(
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        person: Official,
        language: str,
        code: str,
    ) -> None:
        query = update.callback_query
        svc = services(context)
        if action not in fb.TEXT_ACTIONS:
            await apply_action(update, context, person, language, code, action, None)
            return
        chat_id = update.effective_chat.id
        now = svc.clock()
        try:
            await svc.store.run(
                lambda db: fb.set_pending(db, person.telegram_id, chat_id, code, action, now)
            )
        except NotFound:
            await query.answer(t(language, "stale_button"))
            return
        except fb.FeedbackInputError as exc:
            status = Html(t(language, f"fb.status.{exc.values.get('status', '')}"))
            await query.answer(_plain(t(language, "fbo.err.closed", status=status))[:190])
            return
        state(context.application).pending[person.telegram_id] = chat_id
        await query.answer()
        mention = Html(f'<a href="tg://user?id={person.telegram_id}">{esc(person.name)}</a>')
        prompt = t(language, f"fbo.ask.{action}", name=mention, code=code)
        await update.effective_chat.send_message(
            prompt,
            parse_mode=ParseMode.HTML,
            reply_markup=ForceReply(selective=True),
        )

    return handler


# ``fo:ACTION:CODE`` buttons on queue messages, records and lists -> their handler.
CODE = f":{tracking.PATTERN}"
BUTTONS: dict[str, Button] = {
    **{short: Button(CODE, _action_button(action)) for short, action in BUTTON_ACTIONS.items()},
    "show": Button(CODE, _btn_show),
    "files": Button(CODE, _btn_files),
}


@officials_only
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """fo:<action>:<code> buttons on queue messages and records."""
    query = update.callback_query
    language = await lang(update, context)
    parts = (query.data or "").split(":")
    button = BUTTONS.get(parts[1]) if len(parts) == 3 else None
    if button is None:
        await query.answer(t(language, "stale_button"))
        return
    await button.handler(update, context, person, language, parts[2])


# --- registration -------------------------------------------------------------------------


async def startup(app: Application) -> None:  # type: ignore[type-arg]
    """Load pending actions into memory and schedule the daily reminder."""
    svc: Services = app.bot_data["services"]
    indexes = state(app)
    indexes.pending.clear()
    indexes.pending.update(await svc.store.run(fb.pending_index))
    if app.job_queue is not None:
        at = svc.config.feedback.reminder_time
        app.job_queue.run_daily(
            reminder_job,
            time=time(at.hour, at.minute, tzinfo=TZ),
            name="feedback-reminder",
        )


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the officials' commands, buttons and pending text; before the citizen's."""
    indexes = state(app)
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & PendingText(indexes), on_pending_text)
    )
    app.add_handler(CommandHandler("phananh_moi", cmd_new))
    app.add_handler(CommandHandler("phananh_quahan", cmd_overdue))
    app.add_handler(CommandHandler("chan", cmd_block))
    app.add_handler(CommandHandler("bochan", cmd_unblock))
    app.add_handler(CommandHandler("xuatphananh", cmd_export))
    app.add_handler(
        CallbackQueryHandler(on_button, pattern=buttons_pattern(Prefix.QUEUE, BUTTONS))
    )
    # The officials' variants of two citizen commands, ahead of the citizen's handlers.
    app.add_handler(
        CommandHandler(
            "phananh",
            record_command,
            filters=filters.UpdateType.MESSAGES & FromOfficial(app),
            has_args=True,
        )
    )
    app.add_handler(
        CommandHandler(
            "huy", cancel_command, filters=filters.UpdateType.MESSAGES & HasPending(indexes)
        )
    )
