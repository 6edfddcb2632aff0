"""`python -m bot run` (Telegram, long polling or webhook) and `python -m bot chat` (terminal).

What starts the bot is imported when the command runs, not when the parser is built.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from bot.logs import redact_token, setup_logging

log = logging.getLogger(__name__)

NO_TOKEN = """\
Chưa có token của bot Telegram.
  1. Mở Telegram, nhắn @BotFather lệnh /newbot và làm theo hướng dẫn để nhận token.
  2. Chép config.example.toml thành config.toml và điền [telegram] token = "...",
     hoặc đặt biến môi trường TELEGRAM_BOT_TOKEN.
Muốn thử bot ngay trên máy này, không cần token: python -m bot chat

No Telegram bot token is configured. Get one from @BotFather (/newbot), put it in
config.toml ([telegram] token) or TELEGRAM_BOT_TOKEN, or try the bot locally: python -m bot chat
"""


def add_parser(sub: Any) -> None:
    """Register the ``run`` and ``chat`` subcommands."""
    run: argparse.ArgumentParser = sub.add_parser("run", help="chạy bot trên Telegram")
    run.add_argument("--config", default=None, help="đường dẫn config.toml")
    run.set_defaults(func=run_command)
    chat: argparse.ArgumentParser = sub.add_parser(
        "chat", help="trò chuyện thử với bot ngay trong terminal (không cần token)"
    )
    chat.add_argument("--config", default=None, help="đường dẫn config.toml")
    chat.add_argument("--user", type=int, default=1001, help="Telegram id giả lập của bạn")
    chat.set_defaults(func=chat_command)


def run_command(args: argparse.Namespace) -> int:
    """Start the bot against Telegram (or ``telegram.api_base_url``)."""
    from bot.config import load_for_command

    setup_logging()
    config = load_for_command(args.config)
    if config is None:
        return 2
    if not config.telegram.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    redact_token(config.telegram.token)
    # webhook, or long polling through the same inbox and shutdown
    from bot.server import lifecycle as server

    if config.telegram.mode == "webhook":
        return server.run(config)
    log.info("starting long polling")
    return server.run_polling(config)


def chat_command(args: argparse.Namespace) -> int:
    """Run the same bot in the terminal through the local Bot API stand-in."""
    import asyncio
    import dataclasses

    from bot.chat import chat
    from bot.config import load_for_command
    from knowledge.settings import StorageConfig

    setup_logging(logging.WARNING)
    config = load_for_command(args.config)
    if config is None:
        return 2
    if args.config is None:  # keep the trial chat's data apart from a real deployment's
        config = dataclasses.replace(config, storage=StorageConfig("data/chat.db"))
    return asyncio.run(chat(config, args.user))
