"""The one error handler: log first, then apologise in the user's language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from handlers.common import lang, t

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the exception, then apologise to the user in plain Vietnamese (or English)."""
    err = context.error
    if isinstance(err, Forbidden):
        # The user blocked the bot: the rate limiter has recorded it; nobody to apologise to.
        log.info("update %s: the user has blocked the bot", getattr(update, "update_id", None))
        return
    log.error(
        "error while handling update %s: %s",
        getattr(update, "update_id", None),
        type(err).__name__,
        exc_info=err,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        language = await lang(update, context)
    except Exception:
        language = "vi"
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await update.effective_chat.send_message(t(language, "error.apology"))
    except Exception:
        log.warning("could not send the apology for update %s", update.update_id)
