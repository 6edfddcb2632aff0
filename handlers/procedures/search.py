"""Finding procedures: free-text search, the card and its pages, lists, due dates, inline mode."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
)

from handlers.common import cb, command_name, keyboard, lang, reply, services, t
from handlers.procedures import cards
from knowledge.catalogue import Catalogue
from knowledge.catalogue.duedate import due_date
from knowledge.catalogue.models import Procedure

MAX_QUERY = 500  # longer messages are searched on their first 500 characters
INLINE_RESULTS = 10
LISTS = {"sd": "same_day", "ct": "time_cut", "pc": "postal"}
DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


async def _show(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit the message a button belongs to, or send a new one."""
    query = update.callback_query
    if query is not None and query.message is not None and len(text) <= 4000:
        await query.edit_message_text(
            text, parse_mode="HTML", reply_markup=markup, disable_web_page_preview=True
        )
    else:
        await reply(update, text, markup)


async def show_card(update: Update, context: ContextTypes.DEFAULT_TYPE, proc: Procedure) -> None:
    """Send the card of ``proc``."""
    language = await lang(update, context)
    text, markup = cards.card(language, proc, services(context).catalogue)
    await reply(update, text, markup)


async def search_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any free text is a search: one clear match → card; several → buttons; none → help."""
    language = await lang(update, context)
    raw = update.effective_message.text or ""
    query = raw[:MAX_QUERY]
    if not query.strip():
        await reply(update, t(language, "search.empty"))
        return
    svc = services(context)
    result = svc.search.search(query, limit=5)
    note = t(language, "search.too_long", limit=MAX_QUERY) + "\n\n" if len(raw) > MAX_QUERY else ""
    if result.decision == "card" and result.hits:
        text, markup = cards.card(language, result.hits[0].procedure, svc.catalogue)
        await reply(update, note + text, markup)
    elif result.hits:
        rows = [[(cards.short(h.name, 60), cb("p", h.code))] for h in result.hits]
        text = note + t(language, "search.list", query=cards.short(query, 60))
        await reply(update, text, keyboard(rows))
    else:
        await reply(update, note + t(language, "search.none"), _nothing_found_menu(language))


def _nothing_found_menu(language: str) -> InlineKeyboardMarkup:
    return keyboard(
        [
            [(t(language, "menu.fields"), "lf:0")],
            [(t(language, "menu.feedback"), cb("fb", "start"))],
            [(t(language, "btn.call"), cb("m", "call"))],
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


async def _procedure_from_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> Procedure | None:
    """Answer the callback and return the procedure it names (None: stale, already said)."""
    query = update.callback_query
    code = query.data.split(":", 1)[1]
    proc = services(context).catalogue.get(code)
    if proc is None:
        language = await lang(update, context)
        await query.answer(t(language, "stale_button"), show_alert=False)
        return None
    await query.answer()
    return proc


async def card_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open a procedure's card from a list or a detail page."""
    proc = await _procedure_from_button(update, context)
    if proc is not None:
        language = await lang(update, context)
        text, markup = cards.card(language, proc, services(context).catalogue)
        await _show(update, text, markup)


async def detail_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Documents (pd), legal basis (pl), fees (pf) and due date (pt) of a procedure."""
    proc = await _procedure_from_button(update, context)
    if proc is None:
        return
    language = await lang(update, context)
    kind = update.callback_query.data[:2]
    if kind == "pd":
        text, markup = cards.documents(language, proc)
    elif kind == "pl":
        text, markup = cards.legal_basis(language, proc)
    elif kind == "pf":
        text, markup = cards.fees(language, proc)
    else:
        today = services(context).clock().date()
        text, markup = cards.due(language, proc, due_date(proc, today))
    await _show(update, text, markup)


def _parse_date(value: str) -> date | None:
    match = DATE.match(value.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


async def due_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hanxuly CODE [dd/mm/yyyy]: the expected result date."""
    language = await lang(update, context)
    args = context.args or []
    if not args or len(args) > 2:
        await reply(update, t(language, "due.usage"))
        return
    svc = services(context)
    proc = svc.catalogue.get(args[0][:60])
    if proc is None:
        await reply(update, t(language, "not_found_code", code=args[0][:60]))
        return
    submitted = svc.clock().date()
    if len(args) == 2:
        parsed = _parse_date(args[1])
        if parsed is None:
            await reply(update, t(language, "due.bad_date", value=args[1][:30]))
            return
        submitted = parsed
    text, markup = cards.due(language, proc, due_date(proc, submitted))
    await reply(update, text, markup)


def _list(catalogue: Catalogue, kind: str) -> list[Procedure]:
    # Postal: the province's own decisions. Nearly every national record lists a postal
    # channel, which would make the list useless; the card still shows that channel.
    procs: Sequence[Procedure] = (
        catalogue.postal(national=False) if kind == "pc" else getattr(catalogue, LISTS[kind])()
    )
    return sorted(procs, key=lambda p: p.name)


def _list_page(
    language: str, catalogue: Catalogue, kind: str, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    procs = _list(catalogue, kind)
    title = t(language, f"list.{LISTS[kind]}", count=len(procs))
    sample = any(p.local is not None and p.local.sample for p in procs)
    extra = t(language, "list.sample") if sample else ""
    return cards.paged_list(
        language,
        title,
        procs,
        page,
        f"ls:{kind}",
        extra=extra,
        detail="cut" if kind == "ct" else "",
    )


async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/trongngay, /catgiam, /buuchinh: the first page of each list."""
    language = await lang(update, context)
    command = command_name(update.effective_message.text)
    kind = {"trongngay": "sd", "catgiam": "ct", "buuchinh": "pc"}[command]
    text, markup = _list_page(language, services(context).catalogue, kind, 0)
    await reply(update, text, markup)


async def list_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Paging of the lists: ``ls:<kind>:<page>``."""
    query = update.callback_query
    await query.answer()
    language = await lang(update, context)
    _, kind, page = query.data.split(":")
    text, markup = _list_page(language, services(context).catalogue, kind, int(page))
    await _show(update, text, markup)


FIELD_PAGE = 10


def _fields_page(language: str, fields: list[str], page: int) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, -(-len(fields) // FIELD_PAGE))
    page = min(max(page, 0), pages - 1)
    start = page * FIELD_PAGE
    rows = [
        [(cards.short(name, 60), f"lfl:{i}")]
        for i, name in enumerate(fields[start : start + FIELD_PAGE], start)
    ]
    rows += cards.nav_row(language, page, pages, "lf")
    text = t(language, "fields.title", count=len(fields))
    if pages > 1:
        text += "\n" + t(language, "list.page", page=page + 1, pages=pages)
    return text, keyboard(rows)


async def fields_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/linhvuc: browse by field, then by level."""
    language = await lang(update, context)
    text, markup = _fields_page(language, services(context).catalogue.fields(), 0)
    await reply(update, text, markup)


async def fields_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Paging of fields (``lf:<page>``), a field's levels (``lfl:<i>``), a list (``lv:..``)."""
    query = update.callback_query
    language = await lang(update, context)
    catalogue = services(context).catalogue
    fields = catalogue.fields()
    parts = query.data.split(":")
    if parts[0] == "lf":
        await query.answer()
        await _show(update, *_fields_page(language, fields, int(parts[1])))
        return
    index = int(parts[1])
    if index >= len(fields):
        await query.answer(t(language, "stale_button"))
        return
    await query.answer()
    field = fields[index]
    in_field = catalogue.filter(field=field)
    if parts[0] == "lfl":
        levels = [lv for lv in catalogue.levels() if any(lv in p.levels for p in in_field)]
        if len(levels) <= 1:
            parts = ["lv", str(index), "-", "0"]
        else:
            all_levels = catalogue.levels()
            rows = [[(lv, f"lv:{index}:{all_levels.index(lv)}:0")] for lv in levels]
            rows.append([(t(language, "fields.all_levels"), f"lv:{index}:-:0")])
            await _show(update, t(language, "fields.levels", field=field), keyboard(rows))
            return
    level_part, page = parts[2], int(parts[3])
    level = None
    if level_part != "-":
        all_levels = catalogue.levels()
        level = all_levels[int(level_part)] if int(level_part) < len(all_levels) else None
    procs = sorted(catalogue.filter(field=field, level=level), key=lambda p: p.name)
    title = (
        t(language, "list.field_level", field=field, level=level, count=len(procs))
        if level
        else t(language, "list.field", field=field, count=len(procs))
    )
    text, markup = cards.paged_list(language, title, procs, page, f"lv:{index}:{level_part}")
    await _show(update, text, markup)


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
                title=cards.short(hit.name, 100),
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


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the procedure commands and buttons (free-text search is registered last)."""
    app.add_handler(CommandHandler("hanxuly", due_command))
    app.add_handler(CommandHandler(["trongngay", "catgiam", "buuchinh"], list_command))
    app.add_handler(CommandHandler("linhvuc", fields_command))
    app.add_handler(CallbackQueryHandler(card_button, pattern=r"^p:[0-9.]{1,40}$"))
    app.add_handler(CallbackQueryHandler(detail_button, pattern=r"^p[dlft]:[0-9.]{1,40}$"))
    app.add_handler(CallbackQueryHandler(list_button, pattern=r"^ls:(sd|ct|pc):\d{1,4}$"))
    app.add_handler(
        CallbackQueryHandler(
            fields_button, pattern=r"^(lf:\d{1,4}|lfl:\d{1,4}|lv:\d{1,4}:(\d{1,2}|-):\d{1,4})$"
        )
    )
    app.add_handler(CallbackQueryHandler(call_centre, pattern=r"^m:call$"))
    app.add_handler(InlineQueryHandler(inline_query))
