"""Feedback and complaints in Telegram: the citizen's guided chat and the officials' queue.

Parts, in import order (each imports only those above it):

- ``state``         ``FeedbackState`` (who is mid-draft, whose button waits for text), the
                    message filters both sides use, and the button dispatch (``Button``)
- ``render``        pure texts and keyboards: records, history lines, lists, the summary
- ``queue``         posting to the officials' chat (an outbox), notifying the citizen,
                    the daily reminder and the maintenance job
- ``conversation``  the citizen's guided draft: steps, text, media, the draft's buttons
- ``citizen``       after submission: /tracuu, rating, /dulieucuatoi, /xoadulieu; the
                    citizen side's ``fb:`` dispatcher, ``register`` and ``startup``
- ``officials``     officials' commands and ``fo:`` action buttons, pending text

The citizen side (``conversation``, ``citizen``) never imports ``officials``.

Public names: :func:`register` and :func:`startup`, called by ``handlers/__init__.py``.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from handlers.feedback import citizen, officials

__all__ = ["register", "startup"]


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the officials' handlers, then the citizen's (officials' pending text first)."""
    officials.register(app)
    citizen.register(app)


async def startup(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Load both sides' indexes from the store and schedule their jobs, in the same order."""
    await officials.startup(app)
    await citizen.startup(app)
