"""Webhook mode: the aiohttp server (built by the production-mode issue)."""

from __future__ import annotations

import sys

from knowledge.settings import Config


def run(config: Config) -> int:
    """Start the webhook server (not built yet: say so instead of pretending)."""
    print('Chế độ webhook chưa sẵn sàng; dùng mode = "polling".', file=sys.stderr)
    return 2
