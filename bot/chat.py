"""The local chat: the real bot, a built-in stand-in for the Bot API, this terminal.

``python -m bot chat`` types what you type as a user's message, prints what the bot sends,
and presses a button when you type its number. No token, no network.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import html
import re
import sys
from typing import Any

from bot.app import build_application, build_services
from bot.localapi import JSON, LocalBotApi
from bot.server.lifecycle import start_polling
from knowledge.settings import Config

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


async def chat(config: Config, user: int) -> int:
    """Talk to the bot in this terminal until end of input or /quit."""
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
