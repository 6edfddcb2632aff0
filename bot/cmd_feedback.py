"""`python -m bot feedback ...`."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser("feedback", help="(chưa có)")
    parser.set_defaults(func=lambda args: 1)
