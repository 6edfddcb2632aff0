"""The morning digest of reform tasks: sending it, and scheduling it at start-up."""

from __future__ import annotations

import logging
from datetime import time
from typing import Any

from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from handlers.common import services, split_html
from handlers.tasks.views import digest_text
from knowledge import tasks, workdays
from knowledge.clock import TZ
from knowledge.tasks import Summary

log = logging.getLogger(__name__)


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
