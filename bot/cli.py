"""Command line: ``python -m bot run|chat|search|catalogue|tasks|feedback|backup``.

The subcommands live in ``bot/commands/``, one module each (``run`` also adds ``chat``), each
exposing ``add_parser(sub)``; this module only collects them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.commands import backup as cmd_backup
from bot.commands import catalogue as cmd_catalogue
from bot.commands import feedback as cmd_feedback
from bot.commands import run as cmd_run
from bot.commands import search as cmd_search
from bot.commands import tasks as cmd_tasks
from bot.logs import setup_logging

__all__ = ["build_parser", "main", "setup_logging"]

COMMANDS = (cmd_run, cmd_search, cmd_catalogue, cmd_tasks, cmd_feedback, cmd_backup)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Trợ lý thủ tục hành chính trên Telegram"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen subcommand; returns the exit code."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
