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
        return None

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
