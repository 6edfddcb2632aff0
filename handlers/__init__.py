"""Thin Telegram adapters: parse an update, call one domain function, render the reply.

The one place that registers handlers (:data:`FEATURES`, in order) and the one error handler.

Features (each a package with ``register(app)`` and an optional ``startup(app)``):

- ``procedures/``  search, cards, lists (``search``, ``browse``, ``cards``);
- ``feedback/``    the citizen's guided complaint chat and the officials' queue;
- ``tasks/``       officials' reform-task commands, buttons and daily digest.

Shared modules: ``start`` (greeting, menu, language, help), ``fallback`` (free-text search and
the catch-alls, last), ``common`` (services, i18n, HTML-safe replies, ``short``/``show``),
``callbacks`` (the one table of callback-data prefixes), ``access`` (officials only),
``errors`` (the error handler), ``locales/`` (every text, Vietnamese and English).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from handlers import errors, fallback, feedback, procedures, start, tasks
from handlers.callbacks import Prefix  # the one table of callback-data prefixes

__all__ = ["FEATURES", "Prefix", "register_all", "startup"]

# Order matters: conversations first (they own the text while a citizen is mid-way),
# commands next, free text (search) and unknown commands last.
FEATURES: tuple[Any, ...] = (
    feedback,  # officials' pending replies first, then the citizen's draft
    tasks,  # officials' reform tasks (its pending-note handler sits in group -1)
    start,
    procedures,
    fallback,  # must stay last: free-text search and the catch-alls
)


async def startup(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Run each feature's optional ``startup(app)`` coroutine (after the store is open)."""
    for feature in FEATURES:
        hook = getattr(feature, "startup", None)
        if hook is not None:
            await hook(app)


def register_all(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register every feature's handlers and the one error handler."""
    for feature in FEATURES:
        feature.register(app)
    app.add_error_handler(errors.on_error)
