"""Procedures: find them, read their cards, browse the lists.

Parts:

- ``search``  free text is a search (card, list, clarify, refer or "not found"); inline mode;
- ``answers`` the aspect asked first, the clarifying question, the list, the referral;
- ``browse``  a card's pages (documents, legal basis, fees, due date), ``/trongngay``,
              ``/catgiam``, ``/buuchinh``, ``/linhvuc``, ``/hanxuly``;
- ``cards``   rendering: the card and its pages, paged lists (pure: text and keyboards).

Free-text search is registered by ``handlers.fallback``, last, after every conversation.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, InlineQueryHandler

from handlers.callbacks import Prefix, pattern
from handlers.procedures import answers, browse, search
from handlers.procedures.search import not_text, search_text

__all__ = ["not_text", "register", "search_text"]

CODE = r"[0-9.]{1,40}"
ASPECT = "|".join(answers.ASPECTS)
PAGE = r"\d{1,4}"


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the procedure commands and buttons (free-text search is registered last)."""
    app.add_handler(CommandHandler("hanxuly", browse.due_command))
    app.add_handler(CommandHandler(["trongngay", "catgiam", "buuchinh"], browse.list_command))
    app.add_handler(CommandHandler("linhvuc", browse.fields_command))
    app.add_handler(CallbackQueryHandler(browse.card_button, pattern=pattern(Prefix.CARD, CODE)))
    app.add_handler(
        CallbackQueryHandler(
            browse.answer_button, pattern=pattern(Prefix.ANSWER, rf"{CODE}:(?:{ASPECT})")
        )
    )
    details = (Prefix.DOCUMENTS, Prefix.LEGAL, Prefix.FEES, Prefix.DUE)
    app.add_handler(CallbackQueryHandler(browse.detail_button, pattern=pattern(details, CODE)))
    app.add_handler(
        CallbackQueryHandler(
            browse.list_button, pattern=pattern(Prefix.LIST, rf"(sd|ct|pc):{PAGE}|back")
        )
    )
    fields = (
        pattern(Prefix.FIELDS, rf"{PAGE}|c")
        + "|"
        + pattern(Prefix.FIELD, PAGE)
        + "|"
        + pattern(Prefix.LEVEL, rf"{PAGE}:(\d{{1,2}}|-):{PAGE}")
    )
    app.add_handler(CallbackQueryHandler(browse.fields_button, pattern=fields))
    app.add_handler(CallbackQueryHandler(search.call_centre, pattern=pattern(Prefix.MENU, "call")))
    app.add_handler(InlineQueryHandler(search.inline_query))
