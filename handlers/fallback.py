"""Registered last: free text is a search; unknown commands and stale buttons get a kind reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from handlers.common import lang, reply, t
from handlers.procedures import not_text, search_text


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command nobody handles (or an officials' command from a citizen: the same reply)."""
    language = await lang(update, context)
    await reply(update, t(language, "unknown_command"))


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button whose data no handler knows (old message, restart, forged): answer politely."""
    language = await lang(update, context)
    await update.callback_query.answer(t(language, "stale_button"))


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the catch-alls; must be the last feature."""
    private_or_mention = filters.ChatType.PRIVATE
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & private_or_mention, search_text)
    )
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(
        MessageHandler(
            private_or_mention
            & (filters.Sticker.ALL | filters.VOICE | filters.AUDIO | filters.VIDEO
               | filters.PHOTO | filters.Document.ALL | filters.LOCATION | filters.CONTACT),
            not_text,
        )
    )  # fmt: skip
    app.add_handler(CallbackQueryHandler(stale_button))
