"""Browsing procedures: a card's pages, the same-day, cut-time and postal lists, fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ContextTypes

from handlers.callbacks import Prefix
from handlers.common import cb, command_name, keyboard, lang, reply, services, short, show, t
from handlers.procedures import answers, cards
from handlers.procedures.cards import BUTTON_LABEL
from knowledge.catalogue import Catalogue, Procedure, due_date

LISTS = {"sd": "same_day", "ct": "time_cut", "pc": "postal"}
DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
FIELD_PAGE = 10


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


LIST_MEMORY = "list"  # user_data key: the last list shown, to come back to from its cards


def remember_list(
    context: ContextTypes.DEFAULT_TYPE,
    message: Message | None,
    text: str,
    markup: InlineKeyboardMarkup,
) -> None:
    """Remember the list ``message`` shows, so a card opened from it can lead back."""
    if message is not None and context.user_data is not None:
        context.user_data[LIST_MEMORY] = (message.chat_id, message.message_id, text, markup)


def _with_back(
    update: Update, context: ContextTypes.DEFAULT_TYPE, language: str, markup: InlineKeyboardMarkup
) -> InlineKeyboardMarkup:
    """``markup`` plus "back to the list" when the card replaces a remembered list."""
    shown = context.user_data.get(LIST_MEMORY) if context.user_data is not None else None
    message = update.callback_query.message if update.callback_query else None
    if shown is None or message is None or (message.chat.id, message.message_id) != shown[:2]:
        return markup
    back = InlineKeyboardButton(
        t(language, "btn.back_list"), callback_data=cb(Prefix.LIST, "back")
    )
    return InlineKeyboardMarkup([*markup.inline_keyboard, [back]])


async def card_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open a procedure's card from a list or a detail page."""
    proc = await _procedure_from_button(update, context)
    if proc is not None:
        language = await lang(update, context)
        text, markup = cards.card(language, proc, services(context).catalogue)
        await show(update, text, _with_back(update, context, language, markup))


async def answer_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open a procedure's card led by the answer to the aspect asked (``pa:CODE:ASPECT``)."""
    query = update.callback_query
    _, code, asks = query.data.split(":", 2)
    proc = services(context).catalogue.get(code)
    language = await lang(update, context)
    if proc is None:
        await query.answer(t(language, "stale_button"), show_alert=False)
        return
    await query.answer()
    text, markup = answers.answered_card(language, proc, services(context).catalogue, asks)
    await show(update, text, _with_back(update, context, language, markup))


async def detail_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Documents (pd), legal basis (pl), fees (pf) and due date (pt) of a procedure."""
    proc = await _procedure_from_button(update, context)
    if proc is None:
        return
    language = await lang(update, context)
    page = DETAIL_PAGES[Prefix(update.callback_query.data.split(":", 1)[0])]
    text, markup = page(language, proc, services(context).clock().date())
    await show(update, text, markup)


Page = Callable[[str, Procedure, date], tuple[str, InlineKeyboardMarkup]]
DETAIL_PAGES: dict[Prefix, Page] = {
    Prefix.DOCUMENTS: lambda language, proc, _today: cards.documents(language, proc),
    Prefix.LEGAL: lambda language, proc, _today: cards.legal_basis(language, proc),
    Prefix.FEES: lambda language, proc, _today: cards.fees(language, proc),
    Prefix.DUE: lambda language, proc, today: cards.due(language, proc, due_date(proc, today)),
}


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
            key = "due.no_such_date" if DATE.match(args[1].strip()) else "due.bad_date"
            await reply(update, t(language, key, value=args[1][:30]))
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
        cb(Prefix.LIST, kind),
        extra=extra,
        detail="cut" if kind == "ct" else "",
    )


async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/trongngay, /catgiam, /buuchinh: the first page of each list."""
    language = await lang(update, context)
    command = command_name(update.effective_message.text)
    kind = {"trongngay": "sd", "catgiam": "ct", "buuchinh": "pc"}[command]
    text, markup = _list_page(language, services(context).catalogue, kind, 0)
    remember_list(context, await reply(update, text, markup), text, markup)


async def list_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Paging of the lists: ``ls:<kind>:<page>``; ``ls:back`` shows the last list again."""
    query = update.callback_query
    language = await lang(update, context)
    if query.data == cb(Prefix.LIST, "back"):
        shown = context.user_data.get(LIST_MEMORY) if context.user_data is not None else None
        if shown is None:
            await query.answer(t(language, "stale_button"))
            return
        await query.answer()
        await show(update, shown[2], shown[3])
        return
    await query.answer()
    _, kind, page = query.data.split(":")
    text, markup = _list_page(language, services(context).catalogue, kind, int(page))
    await show(update, text, markup)
    remember_list(
        context, query.message if isinstance(query.message, Message) else None, text, markup
    )


# The fields citizens ask about most, first on /linhvuc (the rest: "Tất cả lĩnh vực").
COMMON_FIELDS = (
    "Hộ tịch",
    "Đăng ký, quản lý cư trú",
    "Cấp, quản lý căn cước",
    "Đất đai",
    "Chứng thực",
    "Thực hiện chính sách BHXH",
    "Thực hiện chính sách BHYT",
    "Sát hạch, cấp giấy phép lái xe",
    "Đăng ký, quản lý phương tiện giao thông cơ giới, xe máy chuyên dùng",
    "Hoạt động xây dựng",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
    "Quản lý xuất nhập cảnh",
    "Lý lịch tư pháp",
    "Nuôi con nuôi",
    "Quốc tịch",
    "Trợ giúp pháp lý",
    "Người có công",
    "Thuế",
)


def _common_fields(language: str, fields: list[str]) -> tuple[str, InlineKeyboardMarkup]:
    """The first screen of /linhvuc: the common fields, then every field."""
    position = {name: i for i, name in enumerate(fields)}
    rows = [
        [(short(name, BUTTON_LABEL), cb(Prefix.FIELD, position[name]))]
        for name in COMMON_FIELDS
        if name in position
    ]
    rows.append([(t(language, "fields.all", count=len(fields)), cb(Prefix.FIELDS, 0))])
    return t(language, "fields.common"), keyboard(rows)


def _fields_page(language: str, fields: list[str], page: int) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, -(-len(fields) // FIELD_PAGE))
    page = min(max(page, 0), pages - 1)
    start = page * FIELD_PAGE
    rows = [
        [(short(name, BUTTON_LABEL), cb(Prefix.FIELD, i))]
        for i, name in enumerate(fields[start : start + FIELD_PAGE], start)
    ]
    rows += cards.nav_row(language, page, pages, Prefix.FIELDS)
    rows.append([(t(language, "fields.back_common"), cb(Prefix.FIELDS, "c"))])
    text = t(language, "fields.title", count=len(fields))
    if pages > 1:
        text += "\n" + t(language, "list.page", page=page + 1, pages=pages)
    return text, keyboard(rows)


async def fields_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/linhvuc: browse by field, then by level."""
    language = await lang(update, context)
    text, markup = _common_fields(language, services(context).catalogue.fields())
    await reply(update, text, markup)


async def fields_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The common fields (``lf:c``), paging of all fields (``lf:<page>``), a field's levels
    (``lfl:<i>``), a list (``lv:..``)."""
    query = update.callback_query
    language = await lang(update, context)
    catalogue = services(context).catalogue
    fields = catalogue.fields()
    parts = query.data.split(":")
    if parts[0] == Prefix.FIELDS:
        await query.answer()
        if parts[1] == "c":
            await show(update, *_common_fields(language, fields))
        else:
            await show(update, *_fields_page(language, fields, int(parts[1])))
        return
    index = int(parts[1])
    if index >= len(fields):
        await query.answer(t(language, "stale_button"))
        return
    await query.answer()
    field = fields[index]
    in_field = catalogue.filter(field=field)
    if parts[0] == Prefix.FIELD:
        levels = [lv for lv in catalogue.levels() if any(lv in p.levels for p in in_field)]
        if len(levels) <= 1:
            parts = [Prefix.LEVEL, str(index), "-", "0"]
        else:
            all_levels = catalogue.levels()
            rows = [[(lv, cb(Prefix.LEVEL, index, all_levels.index(lv), 0))] for lv in levels]
            rows.append([(t(language, "fields.all_levels"), cb(Prefix.LEVEL, index, "-", 0))])
            await show(update, t(language, "fields.levels", field=field), keyboard(rows))
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
    text, markup = cards.paged_list(
        language, title, procs, page, cb(Prefix.LEVEL, index, level_part)
    )
    await show(update, text, markup)
    remember_list(
        context, query.message if isinstance(query.message, Message) else None, text, markup
    )
