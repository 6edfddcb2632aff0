"""Thin Telegram adapters, one module per feature; the one place that registers handlers."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from handlers import errors, fallback, start
from handlers.feedback import citizen as feedback
from handlers.feedback import officials as feedback_officials
from handlers.procedures import search as procedures
from handlers.tasks import commands as tasks

# Order matters: conversations first (they own the text while a citizen is mid-way),
# commands next, free text (search) and unknown commands last.
FEATURES: tuple[Any, ...] = (
    feedback_officials,  # officials' pending replies first, then the citizen's draft
    feedback,
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
