"""/start (with deep links), /help and /lang."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from handlers.callbacks import Prefix, pattern
from handlers.common import cb, keyboard, lang, official, reply, services, t
from handlers.locales import vi
from handlers.procedures import cards
from knowledge import users

DEEP_LINK = re.compile(r"^tthc_([0-9][0-9._]{3,40})$")
HELP_COMMANDS = tuple(k[4:] for k in vi.MESSAGES if k.startswith("cmd."))
OFFICIAL_COMMANDS = tuple(k[5:] for k in vi.MESSAGES if k.startswith("cmdo."))


def main_menu(language: str) -> list[list[tuple[str, str]]]:
    """The main menu's buttons."""
    return [
        [(t(language, "menu.search_hint"), cb(Prefix.MENU, "hint"))],
        [
            (t(language, "menu.same_day"), cb(Prefix.LIST, "sd", 0)),
            (t(language, "menu.time_cut"), cb(Prefix.LIST, "ct", 0)),
        ],
        [
            (t(language, "menu.postal"), cb(Prefix.LIST, "pc", 0)),
            (t(language, "menu.fields"), cb(Prefix.FIELDS, 0)),
        ],
        [(t(language, "menu.feedback"), cb(Prefix.FEEDBACK, "start"))],
        [(t(language, "menu.language"), cb(Prefix.LANGUAGE, "en" if language == "vi" else "vi"))],
    ]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and offer the main menu; ``/start tthc_<code>`` opens that procedure's card."""
    language = await lang(update, context)
    svc = services(context)
    if context.args:
        match = DEEP_LINK.match(context.args[0])
        if match:
            code = match.group(1).replace("_", ".")
            proc = svc.catalogue.get(code)
            if proc is None:
                await reply(update, t(language, "not_found_code", code=code))
                return
            text, markup = cards.card(language, proc, svc.catalogue)
            await reply(update, text, markup)
            return
    user = update.effective_user
    name = user.first_name if user and user.first_name else ""
    text = t(language, "start.greeting", name=name, centre=svc.config.centre.name)
    await reply(update, text, keyboard(main_menu(language)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List every command."""
    language = await lang(update, context)
    lines = [t(language, "help.title"), ""]
    lines += [f"/{name} — {t(language, 'cmd.' + name)}" for name in HELP_COMMANDS]
    if official(update, context) is not None:
        lines += ["", t(language, "help.officials"), ""]
        lines += [f"/{name} — {t(language, 'cmdo.' + name)}" for name in OFFICIAL_COMMANDS]
    lines += ["", t(language, "help.footer", bot=context.bot.username or "bot")]
    await reply(update, "\n".join(lines))


async def _set_language(update: Update, context: ContextTypes.DEFAULT_TYPE, language: str) -> None:
    user = update.effective_user
    if user is None:
        return
    await services(context).store.run(lambda db: users.set_language(db, user.id, language))
    context.user_data["lang"] = language
    await reply(update, t(language, "lang.set"), keyboard(main_menu(language)))


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Choose the language: ``/lang en``, ``/lang vi``, or buttons."""
    language = await lang(update, context)
    if context.args:
        choice = context.args[0].lower()[:5]
        if choice in {"vi", "en"}:
            await _set_language(update, context, choice)
        else:
            await reply(update, t(language, "lang.bad"))
        return
    buttons = [[("Tiếng Việt", cb(Prefix.LANGUAGE, "vi")), ("English", cb(Prefix.LANGUAGE, "en"))]]
    await reply(update, t(language, "lang.choose"), keyboard(buttons))


async def lang_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply the language chosen with a button."""
    query = update.callback_query
    await query.answer()
    await _set_language(update, context, query.data.split(":", 1)[1])


async def menu_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Menu buttons that only explain something."""
    query = update.callback_query
    await query.answer()
    language = await lang(update, context)
    await reply(update, t(language, "search.hint"))


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register /start, /help, /lang and their buttons."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("lang", lang_command))
    app.add_handler(CallbackQueryHandler(lang_button, pattern=pattern(Prefix.LANGUAGE, "(vi|en)")))
    app.add_handler(CallbackQueryHandler(menu_button, pattern=pattern(Prefix.MENU, "hint")))
