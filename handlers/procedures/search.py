"""Free text is a search: a card (led by the aspect asked), a list, a clarifying question, a
polite referral when no procedure answers the message, or "not found"; inline mode."""

from __future__ import annotations

from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import ContextTypes

from handlers.callbacks import Prefix
from handlers.common import cb, keyboard, lang, reply, services, short, t
from handlers.procedures import answers, browse, cards
from knowledge.search import smalltalk

MAX_QUERY = 1000  # longer messages are searched on their first 1,000 characters
INLINE_RESULTS = 10


async def search_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text: small talk gets a short reply; anything else is a search (see answers)."""
    language = await lang(update, context)
    raw = update.effective_message.text or ""
    query = raw[:MAX_QUERY]
    if not query.strip():
        await reply(update, t(language, "search.empty"))
        return
    svc = services(context)
    kind = smalltalk.classify(query)
    if kind is not None:
        centre = svc.config.centre
        await reply(update, *answers.small_talk(language, kind, centre))
        return
    result = svc.search.search(query, limit=5)
    note = t(language, "search.too_long", limit=MAX_QUERY) + "\n\n" if len(raw) > MAX_QUERY else ""
    if language == "en" and result.decision in ("none", "refer"):
        note += t(language, "search.vietnamese") + "\n\n"
    if result.decision == "refer":
        centre = svc.config.centre
        text, markup = answers.refer(language, result.refer, centre.name, centre.phone)
    elif result.decision == "card" and result.hits:
        proc = result.hits[0].procedure
        text, markup = answers.answered_card(language, proc, svc.catalogue, result.asks)
    elif result.decision == "clarify" and result.options:
        text, markup = answers.clarify(language, result)
    elif result.hits:
        text, markup = answers.listing(language, query, result.hits, result.asks)
    else:
        text, markup = t(language, "search.none"), _nothing_found_menu(language)
    sent = await reply(update, note + text, markup)
    if result.decision in ("list", "clarify"):
        browse.remember_list(context, sent, note + text, markup)


def _nothing_found_menu(language: str) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [(t(language, "menu.fields"), cb(Prefix.FIELDS, 0))],
            [(t(language, "menu.feedback"), cb(Prefix.FEEDBACK, "start"))],
            [(t(language, "btn.call"), cb(Prefix.MENU, "call"))],
        ]
    )


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, voice, files outside a conversation: ask for text, kindly."""
    language = await lang(update, context)
    await reply(update, t(language, "search.not_text"))


async def call_centre(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the centre's phone number."""
    await update.callback_query.answer()
    language = await lang(update, context)
    centre = services(context).config.centre
    if centre.phone:
        await reply(update, t(language, "call.centre", centre=centre.name, phone=centre.phone))
    else:
        await reply(update, t(language, "call.none"))


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``@bot khai sinh`` in any chat: procedures as shareable cards."""
    query = update.inline_query
    language = "en" if (query.from_user.language_code or "").startswith("en") else "vi"
    svc = services(context)
    text = (query.query or "")[:MAX_QUERY]
    hits = svc.search.search(text, limit=INLINE_RESULTS).hits if text.strip() else ()
    results = []
    for hit in hits:
        card_text, markup = cards.card(language, hit.procedure, svc.catalogue)
        if len(card_text) > 4000:
            card_text = card_text[:3990].rsplit("\n", 1)[0]
        results.append(
            InlineQueryResultArticle(
                id=hit.code,
                title=short(hit.name, 100),
                description=f"{hit.code} · {hit.procedure.field}",
                input_message_content=InputTextMessageContent(
                    card_text, parse_mode="HTML", disable_web_page_preview=True
                ),
                reply_markup=InlineKeyboardMarkup(
                    [row for row in markup.inline_keyboard if any(b.url for b in row)]
                ),
            )
        )
    if not results and text.strip():
        results.append(
            InlineQueryResultArticle(
                id="none",
                title=t(language, "inline.none"),
                input_message_content=InputTextMessageContent(t(language, "inline.none_text")),
            )
        )
    await query.answer(results, cache_time=300, is_personal=False)
