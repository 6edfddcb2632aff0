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

CHAT_USER = 1001  # the chat user's Telegram id unless --user says otherwise
CHAT_EPILOG = f"""\
Bạn là người dùng Telegram có id {CHAT_USER} (đổi bằng --user). Muốn thử các lệnh của cán bộ,
chạy với --config trỏ tới một cấu hình có id đó trong [[officials]]:

  [storage]
  path = "data/chat.db"      # tệp riêng cho chat thử, đừng dùng chung với bot thật
  [[officials]]
  telegram_id = {CHAT_USER}
  name = "Cán bộ thử"
  agency = "Sở Tư pháp"
  role = "official"          # hoặc "admin"

Không có --config, dữ liệu lưu ở data/chat.db trong thư mục hiện tại và lần chạy sau tiếp tục
từ đó. Gõ câu hỏi sau "Bạn: ", gõ số của nút để bấm; /quit, Ctrl-D hoặc Ctrl-C để thoát.

You are Telegram user {CHAT_USER} (--user); to try the officials' commands, pass a --config
whose [[officials]] lists that id.
"""


def add_parser(sub: Any) -> None:
    """Register the ``run`` and ``chat`` subcommands."""
    run: argparse.ArgumentParser = sub.add_parser("run", help="chạy bot trên Telegram")
    run.add_argument("--config", default=None, help="đường dẫn config.toml")
    run.set_defaults(func=run_command)
    chat: argparse.ArgumentParser = sub.add_parser(
        "chat",
        help="trò chuyện thử với bot ngay trong terminal (không cần token)",
        description="Trò chuyện thử với bot thật qua một máy chủ Telegram giả lập trên máy này.",
        epilog=CHAT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    chat.add_argument(
        "--config",
        default=None,
        help="đường dẫn config.toml (dữ liệu ở [storage] path của nó; mặc định data/chat.db)",
    )
    chat.add_argument(
        "--user",
        type=int,
        default=CHAT_USER,
        metavar="ID",
        help=f"Telegram id của bạn trong cuộc trò chuyện (mặc định {CHAT_USER})",
    )
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


def _chat(args: argparse.Namespace) -> int:
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


def chat_command(args: argparse.Namespace) -> int:
    """Run the same bot in the terminal; Ctrl-C at any moment ends it with a goodbye."""
    try:
        return _chat(args)
    except KeyboardInterrupt:  # before the chat's own Ctrl-C handling is in place
        print("\nTạm biệt!", flush=True)
        return 0
