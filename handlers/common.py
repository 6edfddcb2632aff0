"""Shared adapter helpers: services accessor, language, i18n, HTML-safe sending, callback data."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.locales import en, vi
from knowledge import users
from knowledge.catalogue import Catalogue
from knowledge.search import SearchEngine
from knowledge.settings import Config, Official
from knowledge.store import Store

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096
EDITABLE_CHARS = 4000  # a longer text is sent as new messages (split), never edited in
MAX_CALLBACK_BYTES = 64
LANGS = {"vi": vi.MESSAGES, "en": en.MESSAGES}


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a handler may use; built once in bot/app.py and kept in bot_data."""

    config: Config
    catalogue: Catalogue
    search: SearchEngine
    store: Store
    clock: Callable[[], datetime]  # timezone-aware "now" (Asia/Ho_Chi_Minh); tests control it

    def __repr__(self) -> str:
        return f"Services({self.catalogue!r}, store={self.store.path!r})"


RECOVERED = "recovered_updates"  # bot_data key: update ids replayed from the inbox at start-up


def mark_recovered(bot_data: dict[Any, Any], update_ids: Sequence[int]) -> None:
    """Note updates the inbox replays after a crash: their replies may never have been sent."""
    bot_data.setdefault(RECOVERED, set()).update(update_ids)


def recovered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True for an update replayed from the inbox after a crash (see :func:`mark_recovered`)."""
    return update.update_id in context.bot_data.get(RECOVERED, ())


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The Services object of this application."""
    svc = context.application.bot_data["services"]
    assert isinstance(svc, Services)
    return svc


class Html(str):
    """A string that is already safe Telegram HTML (not escaped again by :func:`t`)."""

    __slots__ = ()


def esc(value: object) -> str:
    """Escape any value for Telegram HTML."""
    return html.escape(str(value), quote=False)


def t(lang: str, key: str, **values: Any) -> str:
    """The text ``key`` in ``lang`` (falling back to Vietnamese), values HTML-escaped."""
    template = LANGS.get(lang, vi.MESSAGES).get(key) or vi.MESSAGES[key]
    safe = {k: v if isinstance(v, Html) else esc(v) for k, v in values.items()}
    return template.format(**safe) if safe else template


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The user's language: their /lang choice, else English for English Telegram, else vi."""
    cached = context.user_data.get("lang") if context.user_data is not None else None
    if cached:
        return str(cached)
    user = update.effective_user
    chosen = None
    if user is not None:
        chosen = await services(context).store.run(lambda db: users.get_language(db, user.id))
    if chosen is None:
        code = (user.language_code or "") if user else ""
        chosen = "en" if code.lower().startswith("en") else "vi"
    if context.user_data is not None:
        context.user_data["lang"] = chosen
    return chosen


def official(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Official | None:
    """The configured official behind this update, or None (deny by default)."""
    user = update.effective_user
    return services(context).config.official(user.id if user else None)


def cb(prefix: str, *parts: object) -> str:
    """Build ``prefix:part:part`` callback data, refusing anything over 64 bytes."""
    data = ":".join([prefix, *(str(p) for p in parts)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback_data too long: {len(data.encode())} bytes")
    return data


def keyboard(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Inline keyboard from rows of (label, callback_data); URLs start with 'url:'."""
    out = []
    for row in rows:
        buttons = []
        for label, data in row:
            if data.startswith("url:"):
                buttons.append(InlineKeyboardButton(label, url=data[4:]))
            else:
                buttons.append(InlineKeyboardButton(label, callback_data=data))
        out.append(buttons)
    return InlineKeyboardMarkup(out)


_TOKEN = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;|[^<&]+|[<&]", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # Telegram counts UTF-16 code units


def command_name(text: str | None) -> str:
    """The command a message starts with, lower case, without '/' or '@botname' ('' if none)."""
    words = (text or "").split(maxsplit=1)
    if not words or not words[0].startswith("/"):
        return ""
    return words[0][1:].split("@", 1)[0].lower()


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split Telegram HTML into chunks of at most ``limit`` characters.

    Cuts at a paragraph break when one is in the second half of the chunk, else at a line
    break, else between words; a tag open at a cut is closed at the end of the chunk and
    reopened at the start of the next, so every chunk parses on its own.
    """
    if _units(text) <= limit:
        return [text]
    pieces: list[str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok.startswith(("<", "&")):
            pieces.append(tok)
        else:
            pieces.extend(re.findall(r"\n\n|\n| |[^\n ]{1,256}", tok))
    budget = limit - 200  # room for the closing and reopening tags
    chunks: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, opening tag) at the end of ``current``
    current: list[str] = []
    size = 0
    breaks: dict[str, tuple[int, int, list[tuple[str, str]]]] = {}

    def cut(at: int, tags: list[tuple[str, str]]) -> None:
        nonlocal current, size
        head, tail = current[:at], current[at:]
        body = "".join(head).strip("\n ")
        if body:
            chunks.append(body + "".join(f"</{name}>" for name, _ in reversed(tags)))
        current = [opening for _, opening in tags] + tail
        size = sum(_units(p) for p in current)
        breaks.clear()

    for piece in pieces:
        units = _units(piece)
        if size + units > budget and current:
            para, line, word = breaks.get("\n\n"), breaks.get("\n"), breaks.get(" ")
            if para and para[1] >= budget // 2:
                cut(para[0], para[2])
            elif line:
                cut(line[0], line[2])
            elif para:
                cut(para[0], para[2])
            elif word:
                cut(word[0], word[2])
            else:
                cut(len(current), list(open_tags))
        tag = _TAG.fullmatch(piece)
        if tag:
            name = tag.group(2).lower()
            if tag.group(1):
                for i in range(len(open_tags) - 1, -1, -1):
                    if open_tags[i][0] == name:
                        del open_tags[i]
                        break
            else:
                open_tags.append((name, piece))
        current.append(piece)
        size += units
        if piece in ("\n\n", "\n", " "):
            breaks[piece] = (len(current), size, list(open_tags))
    cut(len(current), [])
    return [c for c in chunks if c.strip()]


async def reply(
    update: Update,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    preview: bool = False,
) -> Message | None:
    """Send ``text`` (Telegram HTML) to the update's chat, split if long; keyboard on the last."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_html(text)
    sent: Message | None = None
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        kwargs: dict[str, Any] = {
            "parse_mode": "HTML",
            "disable_web_page_preview": not preview,
            "reply_markup": markup if last else None,
        }
        if message is not None and i == 0 and update.callback_query is None:
            sent = await message.reply_text(part, do_quote=False, **kwargs)
        else:
            sent = await chat.send_message(part, **kwargs)
    return sent


async def show(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message a button belongs to, or send a new one.

    An edit that would not change anything ("message is not modified", a double tap) is
    fine as it is; any other refused edit falls back to a new message.
    """
    query = update.callback_query
    if query is not None and query.message is not None and len(text) <= EDITABLE_CHARS:
        try:
            await query.edit_message_text(
                text, parse_mode="HTML", reply_markup=markup, disable_web_page_preview=True
            )
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.info("could not edit, sending instead: %s", type(exc).__name__)
    await reply(update, text, markup)


def short(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
