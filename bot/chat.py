"""The local chat: the real bot, a built-in stand-in for the Bot API, this terminal.

``python -m bot chat`` types what you type as a user's message, prints what the bot sends,
and presses a button when you type its number. No token, no network.

The bot's store outlives a run (``data/chat.db`` unless a config says otherwise), so the
stand-in numbers updates and messages above every id the store holds: the feedback steps'
once-only guard (table ``feedback_seen_update``) would otherwise take a new run's updates
for ones already handled and answer nothing. Piped input is echoed after the prompt, so a
transcript shows what was typed; end of input, ``/quit`` and Ctrl-C end the chat with a
goodbye and exit code 0.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import dataclasses
import html
import os
import re
import signal
import sys
import threading
from typing import Any

from sqlite_utils import Database

from bot.app import App, build_application, build_services
from bot.localapi import JSON, LocalBotApi
from bot.server.lifecycle import start_polling
from knowledge.settings import Config

_TAGS = re.compile(r"<[^>]+>")

PROMPT = "Bạn: "
GOODBYE = "Tạm biệt!"
QUIT_COMMANDS = frozenset({"/quit", "/exit", "/thoat"})
REPLY_TIMEOUT = 30.0  # seconds the chat waits for the bot to finish with one input
# Telegram's update and message ids are 32-bit: the stand-in's ids start above them, so a
# chat that shares its store with the real bot never takes an id Telegram will send.
FIRST_LOCAL_ID = 2**31


def to_terminal(text: str, tty: bool) -> str:
    """Telegram HTML → terminal text (bold kept as ANSI bold on a terminal)."""
    if tty:
        text = re.sub(r"<b>(.*?)</b>", "\x1b[1m\\1\x1b[0m", text, flags=re.S)
    return html.unescape(_TAGS.sub("", text))


def highest_stored_id(db: Database) -> int:
    """The highest update or message id any table of the store holds (0 for none)."""
    highest = 0
    for table in db.table_names():
        for column in db[table].columns:
            if column.name == "update_id" or column.name.endswith("message_id"):
                row = db.execute(f"SELECT max([{column.name}]) FROM [{table}]").fetchone()
                if row is not None and isinstance(row[0], int):
                    highest = max(highest, row[0])
    return highest


def first_free_id(db: Database) -> int:
    """Where this run's update and message ids start."""
    return max(FIRST_LOCAL_ID, highest_stored_id(db) + 1)


class TerminalChat:
    """Prints what the bot sends; numbered buttons can be pressed by typing their number."""

    def __init__(self, api: LocalBotApi, user: int, out: Any = None) -> None:
        self.api = api
        self.user = user
        self.out = out or sys.stdout
        self.tty = bool(getattr(self.out, "isatty", lambda: False)())
        self.buttons: list[tuple[str, str, JSON]] = []
        self.prompting = False  # the prompt is on screen, waiting for the user

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
        if self.prompting:  # a message that came while the user was typing
            print(f"\n{PROMPT}", end="", file=self.out)
        self.out.flush()

    def prompt(self, echo: str | None = None) -> None:
        """Show the prompt; with ``echo``, the line typed after it (input that is not a TTY)."""
        if echo is None:
            print(f"\n{PROMPT}", end="", file=self.out)
            self.prompting = True
        else:
            print(f"\n{PROMPT}{echo}", file=self.out)
        self.out.flush()

    def say(self, text: str) -> None:
        """A line from the chat itself (not from the bot)."""
        if self.prompting:
            print(file=self.out)
            self.prompting = False
        print(f"\n{text}", file=self.out, flush=True)

    def handle_line(self, line: str) -> int | None:
        """Turn one typed line into an update; its update_id, or None when nothing was sent."""
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            _label, data, message = self.buttons[int(text) - 1]
            if data.startswith(("http://", "https://")):
                self.say(f"(mở liên kết: {data})")
                return None
            return int(self.api.user_clicks(data, user=self.user, message=message)["update_id"])
        if text:
            return int(self.api.user_sends(line, user=self.user)["update_id"])
        return None


class _Lines:
    """Standard input, one line at a time, without blocking the event loop.

    A daemon thread reads the file descriptor directly: nothing waits for it at exit, and it
    holds none of ``sys.stdin``'s locks (which would stall the interpreter's shutdown).
    ``None`` marks the end of input.
    """

    def __init__(self, stream: Any) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):  # no stdin at all
            self.queue.put_nowait(None)
            return
        encoding = getattr(stream, "encoding", None) or "utf-8"
        thread = threading.Thread(
            target=self._read, args=(fd, encoding), name="chat-stdin", daemon=True
        )
        thread.start()

    def _put(self, item: str | None) -> bool:
        try:
            self._loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the chat is over
            return False
        return True

    def _read(self, fd: int, encoding: str) -> None:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except InterruptedError:
                continue
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *lines, pending = pending.split("\n")
            for line in lines:
                if not self._put(line.rstrip("\r")):
                    return
            if not chunk:
                if pending:
                    self._put(pending.rstrip("\r"))
                self._put(None)
                return


async def _first(*aws: Any, timeout: float | None = None) -> None:
    """Wait until the first of ``aws`` is done (or ``timeout``); cancel the others."""
    tasks = [asyncio.ensure_future(aw) for aw in aws]
    try:
        await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


async def _next_line(lines: _Lines, stop: asyncio.Event) -> str | None:
    """The next input line; None at end of input or once Ctrl-C was pressed."""
    if stop.is_set():
        return None
    get = asyncio.ensure_future(lines.queue.get())
    halt = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({get, halt}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        halt.cancel()
        if not get.done():
            get.cancel()
    if stop.is_set():
        return None
    return get.result()


async def chat(config: Config, user: int) -> int:
    """Talk to the bot in this terminal until end of input, /quit or Ctrl-C."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, stop.set)
    api = LocalBotApi()
    config = dataclasses.replace(
        config, telegram=dataclasses.replace(config.telegram, token=api.token)
    )
    services = build_services(config)
    try:
        api.number_from(services.store.run_sync(first_free_id))
        await api.start()
        terminal = TerminalChat(api, user)
        api.on_outgoing = terminal.show
        app = build_application(config, services, base_url=api.base_url)
        running = await start_polling(app, poll_timeout=1)
        try:
            role = (
                "cán bộ (có trong [[officials]] của cấu hình)"
                if any(o.telegram_id == user for o in config.officials)
                else "công dân"
            )
            print(
                "Trò chuyện thử với trợ lý (máy chủ Telegram giả lập trên máy này,"
                " không cần mạng).\n"
                f"Bạn là người dùng Telegram id {user}, {role}; dữ liệu lưu ở"
                f" {config.storage.path}.\n"
                "Gõ câu hỏi, hoặc số của nút để bấm; /quit (hoặc Ctrl-D, Ctrl-C) để thoát.",
                flush=True,
            )
            await _settle(api, app, api.user_sends("/start", user=user)["update_id"], stop)
            await _converse(terminal, api, app, stop)
        finally:
            api.release_long_polls()
            await running.stop()  # lets the bot finish what it was answering
        terminal.say(GOODBYE)
    finally:
        await api.stop()
        services.store.close()
    return 0


async def _converse(
    terminal: TerminalChat, api: LocalBotApi, app: App, stop: asyncio.Event
) -> None:
    """Read, send, wait for the bot to finish answering; until end of input, /quit or Ctrl-C."""
    lines = _Lines(sys.stdin)
    interactive = bool(getattr(sys.stdin, "isatty", lambda: False)())
    while not stop.is_set():
        if interactive:
            terminal.prompt()
        line = await _next_line(lines, stop)
        terminal.prompting = False
        if line is None:
            return
        if not interactive:
            terminal.prompt(echo=line)
        if line.strip() in QUIT_COMMANDS:
            return
        update_id = terminal.handle_line(line)
        if update_id is not None:
            await _settle(api, app, update_id, stop)


async def _settle(api: LocalBotApi, app: App, update_id: int, stop: asyncio.Event) -> None:
    """Wait until the bot has fetched and handled the update, so its replies print first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REPLY_TIMEOUT
    # The Updater confirms an update (the next getUpdates' offset) once it is in the queue.
    while api.last_confirmed_offset <= update_id:
        if stop.is_set() or loop.time() > deadline:
            return
        await asyncio.sleep(0.01)
    await _first(app.update_queue.join(), stop.wait(), timeout=max(0.0, deadline - loop.time()))
