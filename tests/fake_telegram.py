"""The fake Bot API for end-to-end tests: the local stand-in plus a user's side and faults."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

from bot.localapi import JSON, LocalBotApi


class FakeClock:
    """A controllable clock: ``clock()`` returns the set time."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class FakeTelegram(LocalBotApi):
    """Records every call; lets a test play the user and inject Telegram's faults."""

    def __init__(self) -> None:
        super().__init__(token="123456:TEST-TOKEN-DO-NOT-LOG")
        self._consumed: dict[str, int] = {}
        self._consumed_msgs: dict[int | None, int] = {}
        self._faults: list[tuple[str, int, str, int | None]] = []
        self.fault_rates: dict[str, float] = {}
        self.rng = random.Random(1234)
        # fault_rates mode: {"timeout": p, "502": p, "429": p}, drawn from the seeded rng.
        self.fault_retry_after = 1  # seconds, in 429 answers
        self.fault_timeout_delay = 6.0  # longer than the bot's 5 s read timeout
        self.faults_injected: dict[str, int] = {}
        self.flood_until: dict[int, float] = {}  # chat_id -> end of its retry_after window
        self.flood_violations: list[tuple[str, int, float]] = []  # (method, chat, early by s)
        self._inline_ids = 0

    # ---- faults ----------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = 400,
        description: str = "Bad Request: injected",
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Make the next ``count`` calls to ``method`` fail like Telegram would."""
        for _ in range(count):
            self._faults.append((method, status, description, retry_after))

    async def before_call(self, method: str, params: JSON) -> web.Response | None:
        for i, (name, status, description, retry_after) in enumerate(self._faults):
            if name == method:
                del self._faults[i]
                payload: JSON = {"ok": False, "error_code": status, "description": description}
                if retry_after is not None:
                    payload["parameters"] = {"retry_after": retry_after}
                return web.json_response(payload, status=status)
        if self.fault_rates and method != "getUpdates":
            return await self._random_fault(method, params)
        return None

    async def _random_fault(self, method: str, params: JSON) -> web.Response | None:
        """fault_rates mode: timeouts, 502s and 429s (per chat, with retry_after windows)."""
        chat = params.get("chat_id")
        chat_id = (
            int(chat) if isinstance(chat, int | str) and str(chat).lstrip("-").isdigit() else None
        )
        now = time.monotonic()
        if chat_id is not None and now < self.flood_until.get(chat_id, 0.0):
            self.flood_violations.append((method, chat_id, self.flood_until[chat_id] - now))
        roll = self.rng.random()
        timeout = self.fault_rates.get("timeout", 0.0)
        bad_gateway = timeout + self.fault_rates.get("502", 0.0)
        flood = bad_gateway + self.fault_rates.get("429", 0.0)
        kind = None
        if roll < timeout:
            kind = "timeout"
        elif roll < bad_gateway:
            kind = "502"
        elif roll < flood and chat_id is not None:
            kind = "429"
        if kind is None:
            return None
        self.faults_injected[kind] = self.faults_injected.get(kind, 0) + 1
        if kind == "timeout":  # the bot gives up waiting; the call is never carried out
            await asyncio.sleep(self.fault_timeout_delay)
            return web.json_response(
                {"ok": False, "error_code": 504, "description": "Gateway Timeout"}, status=504
            )
        if kind == "502":
            return web.json_response(
                {"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502
            )
        assert chat_id is not None
        self.flood_until[chat_id] = now + self.fault_retry_after
        return web.json_response(
            {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {self.fault_retry_after}",
                "parameters": {"retry_after": self.fault_retry_after},
            },
            status=429,
        )

    # ---- the user's side ---------------------------------------------------------------
    def user_inline(self, query: str, *, user: int = 1001, lang: str = "vi") -> JSON:
        """The user types ``@bot query`` in any chat."""
        self._inline_ids += 1
        return self.push_update(
            {
                "inline_query": {
                    "id": str(self._inline_ids),
                    "from": self.user(user, lang),
                    "query": query,
                    "offset": "",
                }
            }
        )

    def _media(self, user: int, extra: JSON, caption: str | None = None) -> JSON:
        sender = self.user(user)
        msg: JSON = {
            "message_id": self.new_message_id(user),
            "date": int(time.time()),
            "chat": self.chat(user, sender),
            "from": sender,
            **extra,
        }
        if caption:
            msg["caption"] = caption
        return self.push_update({"message": msg})

    def user_sends_photo(
        self, *, user: int = 1001, file_size: int = 50_000, caption: str | None = None
    ) -> JSON:
        """The user sends a photo."""
        fid = f"photo{self.next_update_id()}"
        sizes = [{"file_id": fid, "file_unique_id": fid, "width": 800, "height": 600,
                  "file_size": file_size}]  # fmt: skip
        return self._media(user, {"photo": sizes}, caption)

    def user_sends_document(
        self,
        *,
        user: int = 1001,
        file_name: str = "x.pdf",
        mime_type: str = "application/pdf",
        file_size: int = 10_000,
    ) -> JSON:
        """The user sends a file."""
        fid = f"doc{self.next_update_id()}"
        doc = {"file_id": fid, "file_unique_id": fid, "file_name": file_name,
               "mime_type": mime_type, "file_size": file_size}  # fmt: skip
        return self._media(user, {"document": doc})

    def user_sends_location(self, lat: float, lon: float, *, user: int = 1001) -> JSON:
        """The user shares a location."""
        return self._media(user, {"location": {"latitude": lat, "longitude": lon}})

    def deliver(self, update: JSON) -> JSON:
        """Deliver a raw update again (redelivery) or a hand-made one."""
        return self.push_update(dict(update))

    # ---- assertions ------------------------------------------------------------------------
    async def _wait_for(self, pick: Callable[[], Any], timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            found = pick()
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for the bot")
            self._activity.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._activity.wait(), 0.05)

    async def next_call(self, method: str, timeout: float = 5.0) -> JSON:
        """Params of the bot's next unconsumed call to ``method``."""

        def pick() -> JSON | None:
            seen = 0
            start = self._consumed.get(method, 0)
            for call in self.calls:
                if call.method == method:
                    if seen == start:
                        self._consumed[method] = start + 1
                        return call.params
                    seen += 1
            return None

        result: JSON = await self._wait_for(pick, timeout)
        return result

    async def next_message(self, chat: int | None = None, timeout: float = 5.0) -> JSON:
        """The next unconsumed message the bot sent or edited (to ``chat`` if given)."""

        def pick() -> JSON | None:
            start = self._consumed_msgs.get(chat, 0)
            matching = [m for m in self.outgoing if chat is None or m["chat_id"] == chat]
            if len(matching) > start:
                self._consumed_msgs[chat] = start + 1
                return matching[start]
            return None

        result: JSON = await self._wait_for(pick, timeout)
        return result

    async def idle(self, timeout: float = 5.0, quiet: float = 0.3) -> None:
        """Wait until every update was fetched and the bot has been quiet for ``quiet`` s."""
        deadline = time.monotonic() + timeout
        while self._updates:
            if time.monotonic() > deadline:
                raise AssertionError("the bot did not fetch its updates")
            await asyncio.sleep(0.02)
        while True:
            before = len(self.calls)
            await asyncio.sleep(quiet)
            if len([c for c in self.calls[before:] if c.method != "getUpdates"]) == 0:
                return
            if time.monotonic() > deadline:
                return

    def messages(self, chat: int | None = None) -> list[JSON]:
        """Every message the bot sent or edited so far (to ``chat`` if given)."""
        return [m for m in self.outgoing if chat is None or m["chat_id"] == chat]
