"""Officials' reform tasks in Telegram: commands, buttons, the guided update, the morning digest.

Every command and button goes through :func:`handlers.access.officials_only`. Parts, in import
order (each module imports only the ones above it):

- ``views``: pure rendering: summary, agency, area, overdue, due-soon and detail views, the
  digest text, the narrow per-agency table, status icons, error texts.
- ``commands``: /nhiemvu, /quahan, /nhiemvu_sapden, /task, /baocao, and the helpers they share
  with the rest (loading from the store, sending an agency's view or a task's detail).
- ``update``: the guided /capnhat: the status buttons, the note (group -1), /huy.
- ``buttons``: every ``tk:`` button: one handler per action in ``ACTIONS``.
- ``digest``: sending the morning digest, and scheduling it at start-up.

Public names: :func:`register`, :func:`startup`, :func:`send_digest`, :func:`digest_time`,
and the views (``summary_view``, ``agency_view``, ``area_view``, ``overdue_view``,
``due_soon_view``, ``detail_view``, ``digest_text``, ``sentence``, ``table_name``).
"""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers.tasks.buttons import PATTERN, on_button
from handlers.tasks.commands import (
    due_soon_command,
    overdue_command,
    report_command,
    summary_command,
    task_command,
)
from handlers.tasks.digest import digest_time, send_digest, startup
from handlers.tasks.update import cancel_command, note_text, update_command
from handlers.tasks.views import (
    agency_view,
    area_view,
    detail_view,
    digest_text,
    due_soon_view,
    overdue_view,
    sentence,
    summary_view,
    table_name,
)

__all__ = [
    "agency_view",
    "area_view",
    "detail_view",
    "digest_text",
    "digest_time",
    "due_soon_view",
    "overdue_view",
    "register",
    "send_digest",
    "sentence",
    "startup",
    "summary_view",
    "table_name",
]


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Register the officials' task commands, buttons, and the pending-note handlers."""
    app.add_handler(CommandHandler("huy", cancel_command), group=-1)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, note_text), group=-1)
    app.add_handler(CommandHandler("nhiemvu", summary_command))
    app.add_handler(CommandHandler("quahan", overdue_command))
    app.add_handler(CommandHandler("nhiemvu_sapden", due_soon_command))
    app.add_handler(CommandHandler("task", task_command))
    app.add_handler(CommandHandler("capnhat", update_command))
    app.add_handler(CommandHandler("baocao", report_command))
    app.add_handler(CallbackQueryHandler(on_button, pattern=PATTERN))
