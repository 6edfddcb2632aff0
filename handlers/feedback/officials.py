"""Officials' side of feedback: the queue in the officials' chat, actions, lists, reminders.

Every command and button here goes through :func:`handlers.access.officials_only`. A button
that needs text (reply, agency, reason, duplicate code) leaves a pending action in SQLite;
the official's next message in that chat (or in their private chat) provides the text.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from telegram import ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.access import officials_only
from handlers.common import Html, Services, cb, esc, keyboard, lang, reply, services, t
from knowledge import feedback as fb
from knowledge import formats, users
from knowledge.clock import TZ
from knowledge.errors import NotFound
from knowledge.feedback import export as feedback_export
from knowledge.settings import Official

log = logging.getLogger(__name__)

# Short button codes -> domain actions (callback data stays well under 64 bytes).
BUTTON_ACTIONS = {
    "claim": "claim",
    "fwd": "forward",
    "reply": "reply",
    "nc": "not_competent",
    "dup": "duplicate",
    "rej": "reject",
}
PREVIEW_CHARS = 600
LIST_LIMIT = 30


# --- the in-memory indexes, shared with handlers/feedback.py ------------------------------


@dataclass
class FeedbackState:
    """Who is mid-conversation, so that only their messages are taken from the search."""

    drafts: dict[int, str] = field(default_factory=dict)  # citizen user_id -> draft step
    pending: dict[int, int] = field(default_factory=dict)  # official_id -> chat_id
    draining: bool = False  # the queue poster is running
    more: bool = False  # new records arrived while it ran


def state(app: Application) -> FeedbackState:  # type: ignore[type-arg]
    """This Application's indexes (created on first use)."""
    found = app.bot_data.get("feedback_state")
    if not isinstance(found, FeedbackState):
        found = FeedbackState()
        app.bot_data["feedback_state"] = found
    return found


class PendingText(filters.MessageFilter):
    """Text from an official whose button is waiting for text (that chat or private)."""

    def __init__(self, indexes: FeedbackState) -> None:
        super().__init__(name="feedback_pending_text")
        self.indexes = indexes

    def filter(self, message: Message) -> bool:
        """True for a message that answers a pending action."""
        user = message.from_user
        if user is None:
            return False
        chat = self.indexes.pending.get(user.id)
        return chat is not None and (
            message.chat.id == chat or message.chat.type == ChatType.PRIVATE
        )


# --- rendering ----------------------------------------------------------------------------


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _when(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%d/%m/%Y %H:%M")


def _due_line(language: str, record: fb.Feedback, today: date) -> str:
    due = formats.day(record.due_date)
    if record.overdue(today):
        return t(language, "fbo.due_overdue", due=due, days=record.days_late(today))
    return t(language, "fbo.due", due=due)


def attachments_text(language: str, photos: int, documents: int, location: bool) -> str:
    """'2 ảnh, 1 tệp, vị trí' or 'không có'."""
    parts = []
    if photos:
        parts.append(t(language, "fb.n_photos", n=photos))
    if documents:
        parts.append(t(language, "fb.n_documents", n=documents))
    if location:
        parts.append(t(language, "fb.with_location"))
    return ", ".join(parts) if parts else t(language, "fb.none")


def event_line(language: str, event: fb.Event, *, for_citizen: bool) -> str:
    """One history line: when, who (agency only for citizens), what, and the note."""
    what = t(language, f"fb.action.{event.action}")
    if event.action == "rated" and event.note:
        what += f": {t(language, 'fb.rating.' + event.note)}"
        note = ""
    else:
        note = event.note or ""
    if event.actor_kind == "official":
        who = (
            esc(event.agency or "") if for_citizen else esc(f"{event.actor_name} ({event.agency})")
        )
    elif event.actor_kind == "citizen":
        who = t(language, "fb.actor.citizen")
    else:
        who = t(language, "fb.actor.system")
    line = f"• {_when(event.at)} — {who}: {what}"
    if note and not (for_citizen and event.action == "duplicate"):
        line += f"\n  <i>{esc(_short(note, 1500))}</i>"
    return line


def record_text(
    language: str,
    record: fb.Feedback,
    today: date,
    *,
    header: str = "",
    full: bool = True,
    history: list[fb.Event] | None = None,
) -> str:
    """The record as officials see it."""
    lines = []
    if header:
        lines += [header, ""]
    status = t(language, f"fb.status.{record.status}")
    lines.append(f"<b>{esc(record.code)}</b> · {status}")
    if record.hidden:
        lines.append(t(language, "fbo.hidden"))
    lines.append(f"{t(language, 'fb.label.kind')}: {t(language, 'fb.kind.' + record.kind)}")
    if record.procedure_code:
        lines.append(
            f"{t(language, 'fb.label.procedure')}: {esc(record.procedure_name or '')}"
            f" (<code>{esc(record.procedure_code)}</code>)"
        )
    lines.append(f"{t(language, 'fbo.received')}: {_when(record.created_at)}")
    lines.append(_due_line(language, record, today))
    if record.agency:
        who = esc(record.agency)
        if record.assignee_name:
            who += f" — {esc(record.assignee_name)}"
        lines.append(f"{t(language, 'fbo.handler')}: {who}")
    photos = sum(1 for a in record.attachments if a.kind == "photo")
    docs = len(record.attachments) - photos
    lines.append(
        f"{t(language, 'fb.label.attachments')}: "
        f"{attachments_text(language, photos, docs, record.has_location)}"
    )
    if record.anonymous:
        lines.append(f"{t(language, 'fb.label.contact')}: {t(language, 'fb.anonymous')}")
    else:
        lines.append(
            f"{t(language, 'fb.label.contact')}: {esc(record.contact_name or '')}"
            f" · {esc(record.contact_phone or '')}"
        )
    content = record.content if full else _short(record.content, PREVIEW_CHARS)
    lines += ["", f"{t(language, 'fb.label.content')}:", esc(content)]
    if history:
        lines += ["", f"<b>{t(language, 'fb.history')}</b>"]
        lines += [event_line(language, e, for_citizen=False) for e in history]
    return "\n".join(lines)


def action_rows(language: str, record: fb.Feedback) -> list[list[tuple[str, str]]]:
    """The queue buttons for a record (none when it is closed)."""
    code = record.code
    rows: list[list[tuple[str, str]]] = []
    if record.is_open:
        first = [(t(language, "fbo.btn.fwd"), cb("fo", "fwd", code))]
        if record.status != fb.IN_PROGRESS:
            first.insert(0, (t(language, "fbo.btn.claim"), cb("fo", "claim", code)))
        rows.append(first)
        rows.append(
            [
                (t(language, "fbo.btn.reply"), cb("fo", "reply", code)),
                (t(language, "fbo.btn.nc"), cb("fo", "nc", code)),
            ]
        )
        rows.append(
            [
                (t(language, "fbo.btn.dup"), cb("fo", "dup", code)),
                (t(language, "fbo.btn.rej"), cb("fo", "rej", code)),
            ]
        )
    extra = [(t(language, "fbo.btn.show"), cb("fo", "show", code))]
    if record.attachments or record.has_location:
        extra.append((t(language, "fbo.btn.files"), cb("fo", "files", code)))
    rows.append(extra)
    return rows


# --- the queue ----------------------------------------------------------------------------


async def post_to_queue(bot: Any, svc: Services, record: fb.Feedback) -> bool:
    """Post a record to the officials' chat with its buttons; False when it could not."""
    chat_id = svc.config.feedback.officials_chat_id
    if not chat_id or record.hidden:
        return False
    reopened = record.status == fb.REOPENED
    header = t("vi", "fbo.reopened_header" if reopened else "fbo.new_header")
    text = record_text("vi", record, svc.clock().date(), header=header, full=False)
    try:
        sent = await bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(action_rows("vi", record)),
            disable_web_page_preview=True,
        )
    except TelegramError as exc:
        log.warning("could not post feedback %s to the officials' chat: %s", record.code, exc)
        return False
    await svc.store.run(lambda db: fb.set_queue_message(db, record.id, chat_id, sent.message_id))
    return True


async def drain_queue(app: Application) -> None:  # type: ignore[type-arg]
    """Post every record the officials' chat has not seen yet, one at a time.

    The outbox is the ``feedback`` table itself (``queue_message_id IS NULL``), so a crash
    or a Telegram outage only delays a post. Citizens' handlers never wait for the group's
    flood limit (20 messages a minute): they wake this drainer and return.
    """
    indexes = state(app)
    if indexes.draining:
        indexes.more = True
        return
    svc: Services = app.bot_data["services"]
    if not svc.config.feedback.officials_chat_id:
        return
    indexes.draining = True
    try:
        while True:
            indexes.more = False
            records = await svc.store.run(fb.unposted)
            for record in records:
                if not await post_to_queue(app.bot, svc, record):
                    return  # Telegram refused: the maintenance job tries again later
            if not records and not indexes.more:
                return
    finally:
        indexes.draining = False


def wake_queue(app: Application) -> None:  # type: ignore[type-arg]
    """Start the queue poster in the background (or tell the running one to look again)."""
    indexes = state(app)
    if indexes.draining:
        indexes.more = True
        return
    app.create_task(drain_queue(app), name="feedback-queue")


async def refresh_queue_message(bot: Any, svc: Services, record: fb.Feedback) -> None:
    """Show the record's new status on its queue message (best effort)."""
    if record.queue_chat_id is None or record.queue_message_id is None:
        return
    text = record_text("vi", record, svc.clock().date(), full=False)
    try:
        await bot.edit_message_text(
            text,
            chat_id=record.queue_chat_id,
            message_id=record.queue_message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(action_rows("vi", record)),
            disable_web_page_preview=True,
        )
    except TelegramError as exc:
        log.info("queue message of %s not refreshed: %s", record.code, exc)


async def citizen_language(svc: Services, user_id: int) -> str:
    """The citizen's chosen language, else Vietnamese."""
    chosen = await svc.store.run(lambda db: users.get_language(db, user_id))
    return chosen or "vi"


def rating_rows(record: fb.Feedback, event_id: int, language: str) -> list[list[tuple[str, str]]]:
    """The one-tap rating buttons for an answer."""
    return [
        [
            (t(language, "fb.rating.hai_long"), cb("fb", "rate", record.code, event_id, "hl")),
            (t(language, "fb.rating.binh_thuong"), cb("fb", "rate", record.code, event_id, "bt")),
        ],
        [(t(language, "fb.rating.khong_hai_long"), cb("fb", "rate", record.code, event_id, "kh"))],
    ]


async def notify_citizen(bot: Any, svc: Services, record: fb.Feedback, event: fb.Event) -> None:
    """Tell the citizen about a status change or an answer; a 403 is recorded, not raised."""
    if record.user_id is None or record.chat_id is None:
        return
    user_id = record.user_id
    language = await citizen_language(svc, user_id)
    values: dict[str, Any] = {
        "code": record.code,
        "agency": event.agency or "",
        "note": event.note or "",
    }
    text = t(language, f"fb.notify.{event.action}", **values)
    markup: InlineKeyboardMarkup | None = None
    if event.action == "reply":
        markup = keyboard(rating_rows(record, event.id, language))
    try:
        await bot.send_message(
            record.chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            disable_web_page_preview=True,
        )
    except Forbidden:
        log.info("citizen of %s has blocked the bot; recorded", record.code)
        await svc.store.run(lambda db: users.mark_bot_blocked(db, user_id))
    except TelegramError as exc:
        log.warning("could not notify the citizen of %s: %s", record.code, exc)


# --- commands -----------------------------------------------------------------------------


def _list_text(language: str, title: str, records: list[fb.Feedback], today: date) -> str:
    lines = [title, ""]
    for r in records:
        flag = " ⚠️" if r.overdue(today) else ""
        late = t(language, "fbo.days_late", days=r.days_late(today)) if r.overdue(today) else ""
        lines.append(
            f"• <code>{esc(r.code)}</code> {t(language, 'fb.kind.' + r.kind)} · "
            f"{t(language, 'fb.status.' + r.status)} · {formats.day(r.due_date)}{flag}{late}"
        )
    return "\n".join(lines)


def _list_buttons(records: list[fb.Feedback]) -> InlineKeyboardMarkup | None:
    rows = [[(r.code, cb("fo", "show", r.code))] for r in records[:10]]
    return keyboard(rows) if rows else None


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
    await reply(update, _list_text(language, title, records, today), _list_buttons(records))


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
    await reply(update, _list_text(language, title, records, today), _list_buttons(records))


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


# --- buttons and the text they wait for -----------------------------------------------------


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
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, person: Official) -> None:
    """fo:<action>:<code> buttons on queue messages and records."""
    query = update.callback_query
    language = await lang(update, context)
    parts = (query.data or "").split(":")
    if len(parts) != 3:
        await query.answer(t(language, "stale_button"))
        return
    _, short, code = parts
    svc = services(context)
    if short == "show":
        await query.answer()
        await _show_record(update, context, language, code)
        return
    if short == "files":
        await query.answer()
        await _send_files(update, context, language, code)
        return
    action = BUTTON_ACTIONS.get(short)
    if action is None:
        await query.answer(t(language, "stale_button"))
        return
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


# --- jobs ---------------------------------------------------------------------------------


async def reminder_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily: the overdue records, to the officials' chat (nothing when none)."""
    svc = services(context)
    chat_id = svc.config.feedback.officials_chat_id
    if not chat_id:
        return
    today = svc.clock().date()
    records = await svc.store.run(lambda db: fb.list_overdue(db, today, LIST_LIMIT))
    if not records:
        return
    total = await svc.store.run(lambda db: fb.count_overdue(db, today))
    title = t("vi", "fbo.reminder", count=total)
    try:
        await context.bot.send_message(
            chat_id,
            _list_text("vi", title, records, today),
            parse_mode=ParseMode.HTML,
            reply_markup=_list_buttons(records),
        )
    except TelegramError as exc:
        log.warning("daily feedback reminder not sent: %s", exc)


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


def _gated(fn: Any) -> Any:
    """A gated callback as PTB's handler classes expect it (access.py types it loosely)."""
    return fn


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the officials' commands, buttons and pending-text handler."""
    indexes = state(app)
    app.add_handler(
        MessageHandler(
            filters.TEXT & ~filters.COMMAND & PendingText(indexes), _gated(on_pending_text)
        )
    )
    app.add_handler(CommandHandler("phananh_moi", _gated(cmd_new)))
    app.add_handler(CommandHandler("phananh_quahan", _gated(cmd_overdue)))
    app.add_handler(CommandHandler("chan", _gated(cmd_block)))
    app.add_handler(CommandHandler("bochan", _gated(cmd_unblock)))
    app.add_handler(CommandHandler("xuatphananh", _gated(cmd_export)))
    app.add_handler(CallbackQueryHandler(_gated(on_button), pattern=r"^fo:"))
