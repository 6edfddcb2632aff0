"""`python -m bot run` and `python -m bot chat`."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the subcommands."""
    run: argparse.ArgumentParser = sub.add_parser("run", help="chạy bot")
    run.add_argument("--config", default=None)
    run.set_defaults(func=lambda args: 1)
    chat: argparse.ArgumentParser = sub.add_parser("chat", help="trò chuyện thử trong terminal")
    chat.add_argument("--config", default=None)
    chat.set_defaults(func=lambda args: 1)
