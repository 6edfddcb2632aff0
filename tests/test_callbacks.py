"""Buttons: one table of callback-data prefixes, anchored patterns, one handler per button."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup
from telegram.ext import CallbackQueryHandler

from bot.app import build_application, build_services
from handlers.callbacks import Prefix, pattern


def callback_handlers(make_config, catalogue, search_engine) -> list[CallbackQueryHandler]:
    """Every button handler but the catch-all for stale buttons (checked to come last)."""
    config = make_config()
    services = build_services(config, catalogue=catalogue, search=search_engine)
    app = build_application(config, services, base_url="http://127.0.0.1:9/bot")
    services.store.close()
    ordered = [
        h
        for _, group in sorted(app.handlers.items())
        for h in group
        if isinstance(h, CallbackQueryHandler)
    ]
    assert ordered[-1].pattern is None, "the stale-button catch-all must be registered last"
    assert all(h.pattern is not None for h in ordered[:-1])
    return ordered[:-1]


def test_every_button_pattern_is_anchored_and_uses_the_table(
    make_config, catalogue, search_engine
) -> None:
    handlers = callback_handlers(make_config, catalogue, search_engine)
    assert len(handlers) >= 8
    used: set[Prefix] = set()
    for handler in handlers:
        source = handler.pattern.pattern
        for alternative in source.split("|^"):
            alternative = alternative if alternative.startswith("^") else "^" + alternative
            assert alternative.endswith("\\Z"), source
            head = re.match(r"^\^\(\?:([a-z|]+)\):", alternative)
            assert head is not None, f"not built by handlers.callbacks.pattern: {source}"
            for prefix in head.group(1).split("|"):
                used.add(Prefix(prefix))  # ValueError: a prefix outside the table
    assert used == set(Prefix), f"prefixes no handler answers: {set(Prefix) - used}"


def test_one_handler_per_button(make_config, catalogue, search_engine) -> None:
    """Sample data of each family is matched by exactly one handler; forged data by none."""
    handlers = callback_handlers(make_config, catalogue, search_engine)
    code = catalogue.procedures[0].code
    samples = [
        f"p:{code}",
        f"pd:{code}",
        f"pt:{code}",
        "ls:sd:0",
        "lf:0",
        "lf:c",
        "lfl:3",
        "lv:3:-:0",
        "m:call",
        "m:hint",
        f"pa:{code}:fee",
        "lang:en",
        "fb:start",
        "fo:show:PA-23456789",
        "tk:h",
    ]
    for data in samples:
        matching = [h for h in handlers if h.check_update(_update(data))]
        assert len(matching) == 1, (data, matching)
    for forged in ["p:1.000001;drop", "lang:fr", "m:call:x", "xx:1", "ls:zz:0", "tk"]:
        assert not [h for h in handlers if h.check_update(_update(forged))], forged


def test_pattern_builds_anchored_alternatives() -> None:
    built = pattern((Prefix.FIELDS, Prefix.FIELD), r"\d{1,4}")
    assert re.match(built, "lf:12")
    assert re.match(built, "lfl:3")
    assert not re.match(built, "lf:12x")
    assert not re.match(built, "xlf:1")
    assert not re.match(built, "lf:1\n")
    assert not re.match(pattern(Prefix.CARD, "[0-9.]+"), "pd:1.0")


def test_callback_data_fits_telegram() -> None:
    """Every prefix leaves room for a payload in Telegram's 64 bytes."""
    assert max(len(p.value) for p in Prefix) <= 4
    assert len({p.value for p in Prefix}) == len(Prefix)
    assert InlineKeyboardMarkup  # the keyboards themselves are checked in test_render.py


def _update(data: str):  # a minimal Update with a callback query carrying ``data``
    from telegram import CallbackQuery, Update, User

    user = User(1001, "Minh", False)
    return Update(1, callback_query=CallbackQuery("1", user, "chat", data=data))
