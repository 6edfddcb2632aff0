"""The composition root's half of storage: every migration set, in the order they apply.

The kernel's :class:`knowledge.store.Store` knows no feature; it is handed these.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlite_utils import Migrations

from bot.config import load_for_command
from knowledge import core_schema
from knowledge.feedback import schema as feedback_schema
from knowledge.store import Store
from knowledge.tasks import schema as tasks_schema

MIGRATIONS: tuple[Migrations, ...] = (
    core_schema.migrations,  # users, inbox, conversation state
    feedback_schema.migrations,
    tasks_schema.migrations,
)


def open_store(path: str | Path) -> Store:
    """The one SQLite file with every feature's tables."""
    return Store(path, MIGRATIONS)


def open_configured_store(args: argparse.Namespace) -> Store | None:
    """The store of ``--config`` for a command; None (the problem printed) when it is bad."""
    config = load_for_command(args.config)
    return open_store(config.storage.path) if config is not None else None
