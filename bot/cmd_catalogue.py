"""`python -m bot catalogue ...`."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser("catalogue", help="(chưa có)")
    parser.set_defaults(func=lambda args: 1)
