"""`python -m bot run` (Telegram, long polling or webhook) and `python -m bot chat` (terminal)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import html
import logging
import re
import sys
from typing import Any

from bot import config as config_mod
from bot.app import build_application, build_services, start_polling
from bot.localapi import JSON, LocalBotApi
from bot.logs import redact_token, setup_logging
from knowledge.settings import StorageConfig

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
    setup_logging()
    try:
        config = config_mod.load(args.config)
    except config_mod.ConfigError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    if not config.telegram.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    redact_token(config.telegram.token)
    from bot.server import (
        webhook as server,
    )  # webhook, or long polling through the same inbox and shutdown

    if config.telegram.mode == "webhook":
        return server.run(config)
    log.info("starting long polling")
    return server.run_polling(config)


# ---- the local chat ----------------------------------------------------------------------
_TAGS = re.compile(r"<[^>]+>")


def to_terminal(text: str, tty: bool) -> str:
    """Telegram HTML → terminal text (bold kept as ANSI bold on a terminal)."""
    if tty:
        text = re.sub(r"<b>(.*?)</b>", "\x1b[1m\\1\x1b[0m", text, flags=re.S)
    return html.unescape(_TAGS.sub("", text))


class TerminalChat:
    """Prints what the bot sends; numbered buttons can be pressed by typing their number."""

    def __init__(self, api: LocalBotApi, user: int, out: Any = None) -> None:
        self.api = api
        self.user = user
        self.out = out or sys.stdout
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        self.buttons: list[tuple[str, str, JSON]] = []
        self.replied = asyncio.Event()

    def show(self, message: JSON) -> None:
        """Print one outgoing message with its numbered buttons."""
        if message.get("chat_id") != self.user:
            return
        prefix = "(đã sửa) " if message["method"].startswith("edit") else ""
        text = to_terminal(message.get("text") or "", self.tty)
        if message.get("file_name"):
            text += f"\n[tệp đính kèm: {message['file_name']}]"
        print(f"\n🤖 {prefix}{text}", file=self.out)
        labels = self.api.buttons(message)
        if labels:
            self.buttons = [(label, data, message) for label, data in labels]
            for i, (label, data, _) in enumerate(self.buttons, 1):
                suffix = f"  → {data[4:]}" if data.startswith("url:") else ""
                print(f"   [{i}] {label}{suffix}", file=self.out)
        self.out.flush()
        self.replied.set()

    def handle_line(self, line: str) -> bool:
        """Turn one typed line into an update; False to quit."""
        line = line.rstrip("\n")
        if line.strip() in {"/quit", "/exit", "/thoat"}:
            return False
        if line.strip().isdigit() and 1 <= int(line.strip()) <= len(self.buttons):
            _label, data, message = self.buttons[int(line.strip()) - 1]
            if data.startswith(("http://", "https://")):
                print(f"(mở liên kết: {data})", file=self.out)
                return True
            self.api.user_clicks(data, user=self.user, message=message)
        elif line.strip():
            self.api.user_sends(line, user=self.user)
        return True


async def _chat(config: config_mod.Config, user: int) -> int:
    api = LocalBotApi()
    await api.start()
    config = dataclasses.replace(
        config, telegram=dataclasses.replace(config.telegram, token=api.token)
    )
    terminal = TerminalChat(api, user)
    api.on_outgoing = terminal.show
    services = build_services(config)
    app = build_application(config, services, base_url=api.base_url)
    running = await start_polling(app, poll_timeout=1)
    print(
        "Trò chuyện thử với trợ lý (máy chủ Telegram giả lập trên máy này, không cần mạng).\n"
        "Gõ câu hỏi, hoặc số của nút để bấm; /quit để thoát.",
        flush=True,
    )
    api.user_sends("/start", user=user)
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            terminal.replied.clear()
            if not terminal.handle_line(line):
                break
            # Give the bot a moment so its reply prints before the next prompt.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(terminal.replied.wait(), 5)
    finally:
        api.release_long_polls()
        await running.stop()
        await api.stop()
        services.store.close()
    return 0


def chat_command(args: argparse.Namespace) -> int:
    """Run the same bot in the terminal through the local Bot API stand-in."""
    setup_logging(logging.WARNING)
    try:
        config = config_mod.load(args.config)
    except config_mod.ConfigError as exc:
        print(f"Lỗi cấu hình: {exc}", file=sys.stderr)
        return 2
    if args.config is None:  # keep the trial chat's data apart from a real deployment's
        config = dataclasses.replace(config, storage=StorageConfig("data/chat.db"))
    return asyncio.run(_chat(config, args.user))
