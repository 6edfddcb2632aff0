"""The officials' queue and the messages that leave on their own: posts, notices, jobs.

The outbox is the ``feedback`` table itself (``queue_message_id IS NULL``): the poster
(:func:`drain_queue`) posts one record at a time to the officials' chat, woken after each
commit (:func:`wake_queue`) and by the maintenance job, so a citizen's handler never waits
for the group's flood limit. Also here: the citizen's notices of status changes and
answers, the private notice to the officials of the agency a record is forwarded to, the
daily reminder of overdue records, and the 5-minute maintenance pass.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from handlers.common import Services, keyboard, services, t
from handlers.feedback.render import (
    action_rows,
    confirmation_text,
    list_buttons,
    list_text,
    rating_rows,
    record_text,
)
from handlers.feedback.state import state
from knowledge import feedback as fb
from knowledge import textnorm, users

log = logging.getLogger(__name__)

LIST_LIMIT = 30
MAINTENANCE_EVERY = timedelta(minutes=5)


# --- posting to the officials' chat -------------------------------------------------------


async def post_to_queue(bot: Any, svc: Services, record: fb.Feedback) -> bool:
    """Post a record to the officials' chat with its buttons; False when it could not."""
    chat_id = svc.config.feedback.officials_chat_id
    if not chat_id or record.hidden:
        return False
    reopened = record.status == fb.Status.REOPENED
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


# --- telling the citizen -----------------------------------------------------------------


async def citizen_language(svc: Services, user_id: int) -> str:
    """The citizen's chosen language, else Vietnamese."""
    chosen = await svc.store.run(lambda db: users.get_language(db, user_id))
    return chosen or "vi"


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


# --- telling the receiving agency --------------------------------------------------------


async def notify_agency(bot: Any, svc: Services, record: fb.Feedback, actor_id: int) -> int:
    """Tell each official of the record's agency, privately, that it was forwarded to them.

    The message is the record with its action buttons, in the official's language; the one
    who forwarded it is left out. An official who never opened a chat with the bot (403) or
    any other refusal is logged and skipped. Returns how many were told.
    """
    if not record.agency or record.hidden:
        return 0
    key = textnorm.key(record.agency)
    told = 0
    today = svc.clock().date()
    for person in svc.config.officials:
        if person.telegram_id == actor_id or textnorm.key(person.agency) != key:
            continue
        language = await citizen_language(svc, person.telegram_id)
        header = t(language, "fbo.forwarded_header", agency=record.agency)
        try:
            await bot.send_message(
                person.telegram_id,
                record_text(language, record, today, header=header, full=False),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(action_rows(language, record)),
                disable_web_page_preview=True,
            )
        except TelegramError as exc:
            log.info("official %s not told of %s: %s", person.telegram_id, record.code, exc)
            continue
        told += 1
    return told


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
            list_text("vi", title, records, today),
            parse_mode=ParseMode.HTML,
            reply_markup=list_buttons(records),
        )
    except TelegramError as exc:
        log.warning("daily feedback reminder not sent: %s", exc)


def _acknowledge(record_id: int, now: datetime) -> Callable[[Any], None]:
    return lambda db: fb.mark_acknowledged(db, record_id, now)


async def maintenance_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Expire abandoned drafts, retry queue posts and confirmations a crash interrupted."""
    svc = services(context)
    now = svc.clock()
    cfg = svc.config.feedback
    expired = await svc.store.run(lambda db: fb.expire_drafts(db, now, cfg))
    drafts = state(context.application).drafts
    for user_id in expired:
        drafts.pop(user_id, None)
    await drain_queue(context.application)
    for record in await svc.store.run(
        lambda db: fb.unacknowledged(db, now - timedelta(minutes=2))
    ):
        if record.chat_id is None or record.user_id is None:
            continue
        language = await citizen_language(svc, record.user_id)
        try:
            await context.bot.send_message(
                record.chat_id, confirmation_text(language, record, svc), parse_mode=ParseMode.HTML
            )
        except TelegramError as exc:
            log.info("confirmation of %s still not delivered: %s", record.code, exc)
            continue
        await svc.store.run(_acknowledge(record.id, now))
    await svc.store.run(lambda db: fb.prune_seen_updates(db, now - timedelta(days=3)))
