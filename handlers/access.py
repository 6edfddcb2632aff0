"""The one gate for officials' commands and buttons: deny by default, reveal nothing."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import lang, official, reply, t
from knowledge.settings import Official

R = TypeVar("R")
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, Any]]
OfficialHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, Official], Awaitable[R]]


def officials_only(fn: OfficialHandler[R]) -> Handler:
    """Wrap an officials' handler: anyone else gets exactly the unknown-command reply.

    For buttons, a non-official's tap is answered with the same stale-button text a
    citizen sees for any old button, so nothing shows that an officials' feature exists.
    """

    @functools.wraps(fn)
    async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> R | None:
        person = official(update, context)
        if person is None:
            language = await lang(update, context)
            if update.callback_query is not None:
                await update.callback_query.answer(t(language, "stale_button"))
            else:
                await reply(update, t(language, "unknown_command"))
            return None
        return await fn(update, context, person)

    return gate
