"""A local stand-in for the Telegram Bot API, served by aiohttp on 127.0.0.1.

It speaks the same HTTP protocol as api.telegram.org for the methods the bot uses, so the
real python-telegram-bot Application runs against it unchanged: ``python -m bot chat``
drives it from the terminal, and the end-to-end tests drive it from pytest. It is as strict
as Telegram where the bot could go wrong: HTML that does not parse, messages over 4,096
characters and callback data over 64 bytes are refused with Telegram's own 400 errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.telegram_html import HtmlError, plain_text, utf16_len

JSON = dict[str, Any]
BOT_USER: JSON = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Trợ lý TTHC",
    "username": "tthc_local_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument", "sendLocation"}
EDIT_METHODS = {"editMessageText", "editMessageReplyMarkup", "editMessageCaption"}


class ApiError(Exception):
    """A Bot API error reply: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: JSON
    at: float = field(default_factory=time.monotonic)


def _maybe_json(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _check_markup(markup: Any) -> None:
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _check_text(text: str, parse_mode: str | None, *, limit: int = 4096) -> None:
    visible = text
    if parse_mode and parse_mode.upper() == "HTML":
        try:
            visible = plain_text(text)
        except HtmlError as exc:
            raise ApiError(400, str(exc)) from exc
    if not visible.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(visible) > limit:
        raise ApiError(400, "Bad Request: message is too long")


class LocalBotApi:
    """The stand-in server; subclass it (tests) or listen to :attr:`on_outgoing` (chat)."""

    def __init__(self, token: str = "123456:LOCAL-TEST-TOKEN", host: str = "127.0.0.1") -> None:
        self.token = token
        self.host = host
        self.port = 0
        self.calls: list[Call] = []
        self.outgoing: list[JSON] = []  # every message the bot sent or edited
        self.files: dict[str, bytes] = {}
        self.on_outgoing: Callable[[JSON], Awaitable[None] | None] | None = None
        self._updates: list[JSON] = []
        self._callback_ids = 0
        self._first_id = 1
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._arrived = asyncio.Event()
        self._activity = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.last_confirmed_offset = 0
        self.webhook_url = ""

    # ---- lifecycle -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """What ``ApplicationBuilder().base_url`` takes (the token is appended by PTB)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What ``ApplicationBuilder().base_file_url`` takes."""
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None)
        assert sockets
        self.port = int(sockets[0].getsockname()[1])

    def release_long_polls(self) -> None:
        """Answer pending getUpdates at once (so the Updater stops quickly)."""
        self._closing = True
        self._arrived.set()

    def reopen(self) -> None:
        """Accept long polls again after :meth:`release_long_polls`."""
        self._closing = False

    async def stop(self) -> None:
        """Stop serving."""
        self.release_long_polls()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---- the user's side ----------------------------------------------------------------
    def number_from(self, first: int) -> None:
        """Hand out update ids, and message ids in every chat, from ``first`` on.

        The local chat keeps the bot's store across runs; it starts above every id the store
        holds, so no new update looks like one already handled.
        """
        self._first_id = first
        self._update_ids = itertools.count(first)
        self._message_ids.clear()

    def next_update_id(self) -> int:
        """A fresh update id."""
        return next(self._update_ids)

    def push_update(self, update: JSON) -> JSON:
        """Queue an update for the bot's next getUpdates."""
        if "update_id" not in update:
            update = {"update_id": self.next_update_id(), **update}
        self._updates.append(update)
        self._arrived.set()
        return update

    def new_message_id(self, chat_id: int) -> int:
        """The next message id in a chat."""
        counter = self._message_ids.setdefault(chat_id, itertools.count(self._first_id))
        return next(counter)

    @staticmethod
    def user(user_id: int, lang: str = "vi", first_name: str = "Lan") -> JSON:
        """A Telegram User object."""
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": lang}

    @staticmethod
    def chat(chat_id: int, user: JSON | None = None) -> JSON:
        """A Chat object: private for positive ids, a group for negative ones."""
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": "Nhóm cán bộ"}
        return {"id": chat_id, "type": "private", "first_name": (user or {}).get("first_name", "")}

    def text_message(self, text: str, user: JSON, chat_id: int) -> JSON:
        """A Message object the user sent, with bot_command entities for /commands."""
        msg: JSON = {
            "message_id": self.new_message_id(chat_id),
            "date": int(time.time()),
            "chat": self.chat(chat_id, user),
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0]) if text.split() else 1
            msg["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(text[:length])}
            ]
        return msg

    def user_sends(
        self,
        text: str,
        *,
        user: int = 1001,
        chat: int | None = None,
        lang: str = "vi",
        first_name: str = "Lan",
    ) -> JSON:
        """The user types ``text`` (in their private chat unless ``chat`` is given)."""
        sender = self.user(user, lang, first_name)
        return self.push_update({"message": self.text_message(text, sender, chat or user)})

    def group_sends(self, text: str, *, chat: int, user: int) -> JSON:
        """A member of group ``chat`` types ``text``."""
        return self.user_sends(text, user=user, chat=chat)

    def _last_with_data(self, chat: int, data: str) -> JSON | None:
        for msg in reversed(self.outgoing):
            if msg["chat_id"] != chat:
                continue
            for _label, value in self.buttons(msg):
                if value == data:
                    return msg
        return None

    def user_clicks(
        self, data: str, *, user: int = 1001, message: JSON | None = None, lang: str = "vi"
    ) -> JSON:
        """The user presses an inline button carrying ``data``."""
        chat = message["chat_id"] if message else user
        msg = message or self._last_with_data(chat, data)
        if msg is None:  # a button from a message we never saw (stale, forged)
            msg = {"message_id": 999999, "chat_id": chat, "text": "cũ"}
        self._callback_ids += 1
        wire_msg = {
            "message_id": msg["message_id"],
            "date": int(time.time()),
            "chat": self.chat(msg["chat_id"]),
            "from": {"id": 7000000001, "is_bot": True, "first_name": "Trợ lý TTHC"},
            "text": msg.get("text") or "…",
        }
        return self.push_update(
            {
                "callback_query": {
                    "id": str(self._callback_ids),
                    "from": self.user(user, lang),
                    "chat_instance": str(msg["chat_id"]),
                    "message": wire_msg,
                    "data": data,
                }
            }
        )

    @staticmethod
    def buttons(msg: JSON) -> list[tuple[str, str]]:
        """The inline buttons of a message as (label, callback_data or url)."""
        markup = msg.get("reply_markup") or {}
        out = []
        for row in markup.get("inline_keyboard", []):
            for b in row:
                out.append((b["text"], b.get("callback_data") or b.get("url") or ""))
        return out

    # ---- HTTP --------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> JSON:
        params: JSON = dict(request.query)
        if request.method != "POST":
            return params
        ctype = request.content_type
        if ctype == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _maybe_json(value)
            elif isinstance(value, bytes | bytearray):
                params[key] = bytes(value)
            else:  # an uploaded file
                data = value.file.read()
                file_id = f"up{len(self.files) + 1}"
                self.files[file_id] = data
                params[key] = {"file_name": value.filename, "bytes": data, "file_id": file_id}
        return params

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await self._params(request)
        self.calls.append(Call(method, params))
        if method != "getUpdates":
            self._activity.set()
        try:
            early = await self.before_call(method, params)
            if early is not None:
                return early
            handler = getattr(self, f"api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params)
        except ApiError as exc:
            payload: JSON = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.retry_after is not None:
                payload["parameters"] = {"retry_after": exc.retry_after}
            return web.json_response(payload, status=exc.status)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        return web.Response(body=self.files.get(path, b"local file " + path.encode()))

    async def before_call(self, method: str, params: JSON) -> web.Response | None:
        """Hook for tests: return a response to short-circuit a call (faults)."""
        return None

    async def _record(self, message: JSON, method: str) -> None:
        message = {**message, "method": method}
        self.outgoing.append(message)
        if self.on_outgoing is not None:
            maybe = self.on_outgoing(message)
            if maybe is not None:
                await maybe

    # ---- Bot API methods -----------------------------------------------------------------
    async def api_getMe(self, params: JSON) -> JSON:
        return BOT_USER

    async def api_deleteWebhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        return True

    async def api_setWebhook(self, params: JSON) -> bool:
        self.webhook_url = str(params.get("url", ""))
        return True

    async def api_getWebhookInfo(self, params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    async def api_setMyCommands(self, params: JSON) -> bool:
        return True

    async def api_getMyCommands(self, params: JSON) -> list[JSON]:
        return []

    async def api_sendChatAction(self, params: JSON) -> bool:
        return True

    async def api_getUpdates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        if offset:
            self.last_confirmed_offset = offset
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout and not self._closing:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        limit = int(params.get("limit") or 100)
        return self._updates[:limit]

    def _base_message(self, params: JSON) -> JSON:
        chat_id = int(params["chat_id"])
        return {
            "message_id": self.new_message_id(chat_id),
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": BOT_USER,
            "chat_id": chat_id,
        }

    async def api_sendMessage(self, params: JSON) -> JSON:
        text = str(params.get("text", ""))
        _check_text(text, params.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        msg = {**self._base_message(params), "text": text}
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        await self._record(msg, "sendMessage")
        # Telegram echoes only inline keyboards in the Message (not force_reply & co).
        markup = msg.get("reply_markup")
        inline = isinstance(markup, dict) and "inline_keyboard" in markup
        return {k: v for k, v in msg.items() if k != "chat_id" and (k != "reply_markup" or inline)}

    async def _send_file(self, params: JSON, kind: str, method: str) -> JSON:
        caption = str(params.get("caption", "") or "")
        if caption:
            _check_text(caption, params.get("parse_mode"), limit=1024)
        _check_markup(params.get("reply_markup"))
        upload = params.get(kind)
        msg = {**self._base_message(params), "text": caption}
        if isinstance(upload, dict):
            msg["file_bytes"] = upload["bytes"]
            msg["file_name"] = upload.get("file_name")
            file_id = upload["file_id"]
        else:
            file_id = str(upload)
        if kind == "photo":
            msg["photo"] = [
                {"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}
            ]
        else:
            msg["document"] = {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": msg.get("file_name"),
            }
        if params.get("caption"):
            msg["caption"] = caption
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        await self._record(msg, method)
        return {k: v for k, v in msg.items() if k not in {"chat_id", "file_bytes", "file_name"}}

    async def api_sendPhoto(self, params: JSON) -> JSON:
        return await self._send_file(params, "photo", "sendPhoto")

    async def api_sendDocument(self, params: JSON) -> JSON:
        return await self._send_file(params, "document", "sendDocument")

    async def api_sendLocation(self, params: JSON) -> JSON:
        msg = {**self._base_message(params), "text": "", "location": params}
        await self._record(msg, "sendLocation")
        return {k: v for k, v in msg.items() if k != "chat_id"}

    async def _edit(self, params: JSON, method: str) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        text = str(params.get("text", params.get("caption", "")) or "")
        if method == "editMessageText":
            _check_text(text, params.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        chat_id = int(params["chat_id"])
        msg: JSON = {
            "message_id": int(params["message_id"]),
            "date": int(time.time()),
            "chat": self.chat(chat_id),
            "from": BOT_USER,
            "chat_id": chat_id,
            "text": text,
        }
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        await self._record(msg, method)
        return {k: v for k, v in msg.items() if k != "chat_id"}

    async def api_editMessageText(self, params: JSON) -> JSON | bool:
        return await self._edit(params, "editMessageText")

    async def api_editMessageReplyMarkup(self, params: JSON) -> JSON | bool:
        return await self._edit(params, "editMessageReplyMarkup")

    async def api_editMessageCaption(self, params: JSON) -> JSON | bool:
        return await self._edit(params, "editMessageCaption")

    async def api_deleteMessage(self, params: JSON) -> bool:
        return True

    async def api_answerCallbackQuery(self, params: JSON) -> bool:
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def api_answerInlineQuery(self, params: JSON) -> bool:
        results = params.get("results") or []
        if not isinstance(results, list) or len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        for result in results:
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                _check_text(content["message_text"], content.get("parse_mode"))
            _check_markup(result.get("reply_markup"))
        return True

    async def api_getFile(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id"))
        return {"file_id": file_id, "file_unique_id": file_id, "file_path": file_id}

    async def api_getChat(self, params: JSON) -> JSON:
        return self.chat(int(params["chat_id"]))

    async def api_close(self, params: JSON) -> bool:
        return True
