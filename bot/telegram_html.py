"""A strict checker for Telegram's HTML parse mode, shared by the local Bot API and tests."""

from __future__ import annotations

import html
import re

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote", "tg-emoji",
}  # fmt: skip
_TOKEN = re.compile(r"<[^<>]*>|&[^;\s<>&]{1,10};|&|<|>|[^<>&]+")
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)(\s[^<>]*)?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


class HtmlError(ValueError):
    """Text that Telegram would refuse with "can't parse entities"."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def plain_text(text: str) -> str:
    """Parse Telegram HTML and return the visible text; raise HtmlError when it does not parse."""
    out: list[str] = []
    stack: list[str] = []
    for tok in _TOKEN.findall(text):
        if tok.startswith("<") and len(tok) > 1:
            m = _TAG.fullmatch(tok)
            if not m:
                raise HtmlError(f"Bad Request: can't parse entities: unsupported tag {tok[:20]!r}")
            closing, name = m.group(1), m.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise HtmlError(f"Bad Request: can't parse entities: unsupported tag {name!r}")
            if closing:
                if not stack or stack[-1] != name:
                    raise HtmlError(f"Bad Request: can't parse entities: unexpected </{name}>")
                stack.pop()
            else:
                stack.append(name)
        elif tok in ("<", ">"):
            raise HtmlError("Bad Request: can't parse entities: unescaped '<' or '>'")
        elif tok.startswith("&"):
            if not _ENTITY.fullmatch(tok):
                raise HtmlError("Bad Request: can't parse entities: bad character entity")
            out.append(html.unescape(tok))
        else:
            out.append(tok)
    if stack:
        raise HtmlError(f"Bad Request: can't parse entities: unclosed <{stack[-1]}>")
    return "".join(out)
