"""Officials' side of feedback: their commands, the queue's action buttons, pending text.

Every command and button here goes through :func:`handlers.access.officials_only`. A button
that needs text (reply, reason, duplicate code) leaves a pending action in SQLite; the
official's next message in that chat (or in their private chat) provides the text.
"Chuyển cơ quan" shows the agencies of the configured officials as buttons, paged
(``fo:fwp:CODE:PAGE``, ``fo:fwa:CODE:INDEX:CHECK``); a reply with an agency's name works
too. The receiving agency's officials get the record privately, it shows in their
``/phananh_moi``, and only they (and admins) act on it from then on
(:mod:`knowledge.feedback.officials`).
Two citizen commands have an officials' variant registered here, ahead of the citizen's:
``/phananh CODE`` from an official shows the record, and ``/huy`` with a pending action
drops that action.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import time
from typing import Any

from telegram import ForceReply, InlineKeyboardMarkup, Update
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
from handlers.common import (
    Html,
    Services,
    cb,
    esc,
    keyboard,
    lang,
    reply,
    services,
    short,
    show,
    t,
)
from handlers.feedback.queue import (
    LIST_LIMIT,
    notify_agency,
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
from knowledge import formats, textnorm
from knowledge.clock import TZ
from knowledge.errors import NotFound, UnknownUser
from knowledge.feedback import export as feedback_export
from knowledge.feedback import officials as scope
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
FORWARD_PAGE = 8  # agencies per page of the "Chuyển cơ quan" picker


def _known(svc: Services) -> tuple[str, ...]:
    """The agencies a record can be forwarded to: those of the configured officials."""
    return scope.agencies(svc.config.officials)


# --- commands -----------------------------------------------------------------------------


@officials_only
async def cmd_new(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """/phananh_moi: records nobody has taken yet (new and reopened)."""
    language = await lang(update, context)
    svc = services(context)
    known = _known(svc)
    records = await svc.store.run(lambda db: scope.list_new_for(db, person, known, LIST_LIMIT))
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
    known = _known(svc)
    records = await svc.store.run(
        lambda db: scope.list_overdue_for(db, person, today, known, LIST_LIMIT)
    )
    if not records:
        await reply(update, t(language, "fbo.none_overdue"))
        return
    title = t(language, "fbo.list_overdue", count=len(records))
    await reply(update, list_text(language, title, records, today), list_buttons(records))


async def _show_record(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    code: str,
) -> None:
    """The whole record; its action buttons only for those who may act on it."""
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
    rows = action_rows(language, record)
    if not scope.may_act(record.agency, person, _known(svc)):
        text += "\n\n" + t(language, "fbo.held_by", agency=record.agency or "")
        rows = rows[-1:]  # Chi tiết and Tệp đính kèm only
    await reply(update, text, keyboard(rows))


@officials_only
async def cmd_record(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """/phananh CODE (officials): the whole record, its history and the action buttons."""
    language = await lang(update, context)
    await _show_record(update, context, person, language, " ".join(context.args or []))


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
    except UnknownUser:
        await reply(update, t(language, "fbo.unknown_user", user=target))
        return
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
    known = _known(svc)
    try:
        result = await svc.store.run(
            lambda db: fb.once(
                db,
                update_id,
                now,
                lambda: fb.act(db, code, person, action, now, cfg, note, known=known),
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
    if action == fb.Action.FORWARD:
        told = await notify_agency(context.bot, svc, record, person.telegram_id)
        log.info("feedback %s forwarded; %s official(s) of the agency told", record.code, told)
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


def _refusal(language: str, exc: fb.FeedbackInputError) -> str:
    """Why an action was refused, as plain text for a toast."""
    values = dict(exc.values)
    if exc.reason == "closed":
        values["status"] = Html(t(language, f"fb.status.{values.get('status', '')}"))
    return _plain(t(language, f"fbo.err.{exc.reason}", **values))


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
    await _show_record(update, context, person, language, code)


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
        known = _known(svc)
        try:
            await svc.store.run(
                lambda db: fb.set_pending(
                    db,
                    person.telegram_id,
                    chat_id,
                    code,
                    action,
                    now,
                    official=person,
                    known=known,
                )
            )
        except NotFound:
            await query.answer(t(language, "stale_button"))
            return
        except fb.FeedbackInputError as exc:
            await query.answer(_refusal(language, exc)[:190])
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


# --- forwarding: the agency picker -------------------------------------------------------


def _check(agency: str) -> str:
    """Four hex digits naming ``agency`` in a button: a changed configuration makes it stale."""
    return hashlib.sha1(textnorm.key(agency).encode()).hexdigest()[:4]


def _targets(record: fb.Feedback, known: tuple[str, ...]) -> list[tuple[int, str]]:
    """(index in ``known``, name) of every agency the record can go to: all but its own."""
    held = textnorm.key(record.agency or "")
    return [(i, name) for i, name in enumerate(known) if textnorm.key(name) != held]


def _picker(
    language: str,
    person: Official,
    record: fb.Feedback,
    known: tuple[str, ...],
    page: int,
) -> tuple[str, InlineKeyboardMarkup] | None:
    """One page of the agencies to forward to (None: no page ``page``)."""
    targets = _targets(record, known)
    pages = max(1, -(-len(targets) // FORWARD_PAGE))
    if not targets or not 0 <= page < pages:
        return None
    code = record.code
    chunk = targets[page * FORWARD_PAGE : (page + 1) * FORWARD_PAGE]
    rows = [
        [(short(name, 60), cb(Prefix.QUEUE, "fwa", code, i, _check(name)))] for i, name in chunk
    ]
    nav = []
    if page > 0:
        nav.append((t(language, "fbo.btn.prev"), cb(Prefix.QUEUE, "fwp", code, page - 1)))
    if page + 1 < pages:
        nav.append((t(language, "fbo.btn.next"), cb(Prefix.QUEUE, "fwp", code, page + 1)))
    if nav:
        rows.append(nav)
    mention = Html(f'<a href="tg://user?id={person.telegram_id}">{esc(person.name)}</a>')
    text = t(
        language,
        "fbo.ask.forward_pick",
        name=mention,
        code=code,
        count=len(targets),
        page=page + 1,
        pages=pages,
    )
    return text, keyboard(rows)


async def _open_record(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official, language: str, code: str
) -> fb.Feedback | None:
    """The record a forward button is about, if it is open and theirs to act on (else said)."""
    query = update.callback_query
    svc = services(context)
    try:
        record = await svc.store.run(lambda db: fb.by_code(db, code))
    except NotFound:
        await query.answer(t(language, "stale_button"))
        return None
    if not record.is_open:
        refusal = fb.FeedbackInputError("closed", status=record.status)
    elif not scope.may_act(record.agency, person, _known(svc)):
        refusal = fb.FeedbackInputError("other_agency", agency=record.agency or "")
    else:
        return record
    await query.answer(_refusal(language, refusal)[:190])
    return None


async def _btn_forward(
    update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official, language: str, code: str
) -> None:
    """``fo:fwd:CODE``: the agencies to forward to, as buttons (a typed name works too)."""
    query = update.callback_query
    svc = services(context)
    record = await _open_record(update, context, person, language, code)
    if record is None:
        return
    known = _known(svc)
    picker = _picker(language, person, record, known, 0)
    if picker is None:
        await query.answer(_plain(t(language, "fbo.err.no_agency"))[:190])
        return
    chat_id = update.effective_chat.id
    now = svc.clock()
    try:
        await svc.store.run(
            lambda db: fb.set_pending(
                db, person.telegram_id, chat_id, code, "forward", now, official=person, known=known
            )
        )
    except (NotFound, fb.FeedbackInputError):
        await query.answer(t(language, "stale_button"))
        return
    state(context.application).pending[person.telegram_id] = chat_id
    await query.answer()
    await update.effective_chat.send_message(
        picker[0], parse_mode=ParseMode.HTML, reply_markup=picker[1]
    )


async def _btn_forward_page(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    code: str,
    page: str,
) -> None:
    """``fo:fwp:CODE:PAGE``: another page of the agency picker (the same message)."""
    record = await _open_record(update, context, person, language, code)
    if record is None:
        return
    picker = _picker(language, person, record, _known(services(context)), int(page))
    if picker is None:
        await update.callback_query.answer(t(language, "stale_button"))
        return
    await update.callback_query.answer()
    await show(update, *picker)


async def _btn_forward_to(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    person: Official,
    language: str,
    code: str,
    index: str,
    check: str,
) -> None:
    """``fo:fwa:CODE:INDEX:CHECK``: forward the record to that agency."""
    known = _known(services(context))
    number = int(index)
    if number >= len(known) or _check(known[number]) != check:
        await update.callback_query.answer(t(language, "stale_button"))
        return
    agency = known[number]
    if await apply_action(update, context, person, language, code, "forward", agency):
        with contextlib.suppress(BadRequest):
            await update.callback_query.edit_message_text(
                t(language, "fbo.forwarded", code=code, agency=agency),
                parse_mode=ParseMode.HTML,
            )


# ``fo:ACTION:CODE[:ARG...]`` buttons on queue messages, records and lists -> their handler.
CODE = f":{tracking.PATTERN}"
BUTTONS: dict[str, Button] = {
    **{
        key: Button(CODE, _action_button(action))
        for key, action in BUTTON_ACTIONS.items()
        if action != fb.Action.FORWARD
    },
    "fwd": Button(CODE, _btn_forward),
    "fwp": Button(CODE + r":\d{1,3}", _btn_forward_page),
    "fwa": Button(CODE + r":\d{1,3}:[0-9a-f]{4}", _btn_forward_to),
    "show": Button(CODE, _btn_show),
    "files": Button(CODE, _btn_files),
}


@officials_only
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """fo:<action>:<code>[:<arg>...] buttons on queue messages, records and the picker."""
    query = update.callback_query
    language = await lang(update, context)
    parts = (query.data or "").split(":")
    button = BUTTONS.get(parts[1]) if len(parts) >= 3 else None
    if button is None:
        await query.answer(t(language, "stale_button"))
        return
    await button.handler(update, context, person, language, parts[2], *parts[3:])


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
