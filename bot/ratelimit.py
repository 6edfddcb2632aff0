"""Outgoing Bot API calls: Telegram's flood limits, RetryAfter, retries, blocked users.

Every call of the Application's bot passes through :class:`TelegramRateLimiter`:

- messages (``send*``, ``edit*``, ``copy*``, ``forward*``) are paced by sliding windows:
  about 30 a second overall, 1 a second per private chat, 20 a minute per group;
- a chat's calls go one at a time, in order, so a ``RetryAfter`` for that chat is seen
  before its next call: nothing is sent to it inside the ``retry_after`` window (a
  ``RetryAfter`` on a call without a chat pauses every call);
- timeouts, network errors and 5xx answers are retried a bounded number of times with
  exponential backoff and jitter; a 400 is the bot's own mistake and is not retried;
- "bot was blocked by the user" (403) is recorded as a fact through ``on_blocked`` and
  raised at once, never retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, JSONResult]]
Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

BLOCKED_MARKERS = ("bot was blocked by the user", "user is deactivated")
CHATLESS = None  # key of calls without a chat_id


@dataclass(frozen=True, slots=True)
class Limits:
    """Pacing and retry policy; windows are (messages, seconds), None for no limit."""

    overall: tuple[int, float] | None = (30, 1.0)
    private_chat: tuple[int, float] | None = (1, 1.0)
    group: tuple[int, float] | None = (20, 60.0)
    margin: float = 0.05  # seconds added to every window and retry_after, against jitter
    max_transient_retries: int = 6
    max_flood_retries: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 10.0
    max_wait: float = 60.0  # a retry_after longer than this is raised to the caller

    @classmethod
    def unlimited(cls) -> Limits:
        """No pacing at all (the retry policy stays)."""
        return cls(overall=None, private_chat=None, group=None)


def is_message_method(endpoint: str) -> bool:
    """True for the methods that put a message in a chat (those Telegram paces)."""
    if endpoint == "sendChatAction":
        return False
    return endpoint.startswith(("send", "edit", "copy", "forward"))


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait a RetryAfter asks for, in seconds (without PTB's deprecation warning)."""
    value = getattr(exc, "_retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = exc.retry_after
    return raw.total_seconds() if isinstance(raw, timedelta) else float(raw)


def is_transient(exc: BaseException) -> bool:
    """Timeouts, connection errors and 5xx answers (PTB's NetworkError except 400)."""
    return isinstance(exc, TimedOut | NetworkError) and not isinstance(exc, BadRequest)


def is_blocked(exc: BaseException) -> bool:
    """A 403 saying the user blocked the bot (or deleted their account)."""
    text = str(exc).lower()
    return isinstance(exc, Forbidden) and any(m in text for m in BLOCKED_MARKERS)


class Window:
    """At most ``limit`` events in any ``period`` seconds (a sliding log)."""

    __slots__ = ("events", "limit", "period")

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.events: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        while self.events and self.events[0] <= now - self.period:
            self.events.popleft()
        if len(self.events) < self.limit:
            return 0.0
        return self.events[-self.limit] + self.period - now

    def record(self, now: float) -> None:
        """Count an event at ``now``."""
        self.events.append(now)

    def idle(self, now: float) -> bool:
        """True when no event is inside the window any more."""
        return not self.events or self.events[-1] <= now - self.period


class _Lane:
    """One chat's (or the chatless calls') queue: a FIFO lock, a window and a pause."""

    __slots__ = ("halted_until", "lock", "window")

    def __init__(self, window: Window | None) -> None:
        self.lock = asyncio.Lock()
        self.window = window
        self.halted_until = 0.0


class TelegramHealth:
    """Whether Bot API calls keep failing (read by ``/healthz`` and the metrics)."""

    def __init__(self, threshold: int = 5, after: float = 15.0, clock: Monotonic = time.monotonic):
        self.threshold = threshold
        self.after = after
        self.clock = clock
        self.failures_in_a_row = 0
        self.failing_since: float | None = None
        self.last_success: float | None = None
        self.last_error = ""

    def success(self) -> None:
        """A call got an answer (even a 4xx one: Telegram is reachable)."""
        self.failures_in_a_row = 0
        self.failing_since = None
        self.last_success = self.clock()

    def failure(self, kind: str) -> None:
        """A call timed out, could not connect, or got a 5xx / 429."""
        self.failures_in_a_row += 1
        self.last_error = kind
        if self.failing_since is None:
            self.failing_since = self.clock()

    @property
    def degraded(self) -> bool:
        """Several calls in a row failed over a while."""
        return (
            self.failures_in_a_row >= self.threshold
            and self.failing_since is not None
            and self.clock() - self.failing_since >= self.after
        )


class TelegramRateLimiter(BaseRateLimiter[int]):
    """The bot's rate limiter and retry policy (see the module docstring)."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        on_blocked: Callable[[int], Awaitable[None]] | None = None,
        observe: Callable[[str, float], None] | None = None,
        health: TelegramHealth | None = None,
        clock: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.on_blocked = on_blocked
        self.observe = observe
        self.health = health or TelegramHealth()
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._overall = Window(*self.limits.overall) if self.limits.overall else None
        self._overall_lock = asyncio.Lock()
        self._lanes: dict[int | str | None, _Lane] = {}
        self._global_halt = 0.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    # ---- lanes ---------------------------------------------------------------------------
    def _lane(self, key: int | str | None) -> _Lane:
        lane = self._lanes.get(key)
        if lane is None:
            if len(self._lanes) > 4096:
                self._forget_idle()
            spec = None
            if key is not None:
                is_group = isinstance(key, str) or key < 0
                spec = self.limits.group if is_group else self.limits.private_chat
            window = Window(spec[0], spec[1] + self.limits.margin) if spec else None
            lane = self._lanes[key] = _Lane(window)
        return lane

    def _forget_idle(self) -> None:
        now = self.clock()
        for key, lane in list(self._lanes.items()):
            if lane.lock.locked() or lane.halted_until > now:
                continue
            if lane.window is None or lane.window.idle(now):
                del self._lanes[key]

    # ---- the request -----------------------------------------------------------------------
    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Pace, send, and retry one Bot API call."""
        key = _chat_key(data.get("chat_id"))
        lane = self._lane(key)
        if key is CHATLESS:  # answerCallbackQuery, getMe ...: no order to keep, no pacing
            return await self._send(lane, key, endpoint, callback, args, kwargs)
        async with lane.lock:
            return await self._send(lane, key, endpoint, callback, args, kwargs)

    async def _send(
        self,
        lane: _Lane,
        key: int | str | None,
        endpoint: str,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
    ) -> JSONResult:
        paced = is_message_method(endpoint)
        transient = flood = 0
        while True:
            await self._wait_turn(lane, paced)
            started = self.clock()
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as exc:
                self._note("retry_after", started)
                self.health.failure("retry_after")
                wait = retry_after_seconds(exc) + self.limits.margin
                until = self.clock() + wait
                if key is CHATLESS:
                    self._global_halt = max(self._global_halt, until)
                lane.halted_until = max(lane.halted_until, until)
                flood += 1
                if flood > self.limits.max_flood_retries or wait > self.limits.max_wait:
                    raise
                log.info("flood control on %s: waiting %.1f s", endpoint, wait)
            except Forbidden as exc:
                self._note("forbidden", started)
                self.health.success()
                if is_blocked(exc) and isinstance(key, int) and key > 0:
                    await self._record_blocked(key)
                raise
            except Exception as exc:
                if not is_transient(exc):
                    self._note("rejected", started)
                    if isinstance(exc, BadRequest):
                        self.health.success()
                    raise
                kind = "timeout" if isinstance(exc, TimedOut) else "network"
                self._note(kind, started)
                self.health.failure(kind)
                transient += 1
                if transient > self.limits.max_transient_retries:
                    log.warning("%s failed %d times (%s); giving up", endpoint, transient, kind)
                    raise
                await self.sleep(self._backoff(transient))
            else:
                self._note("ok", started)
                self.health.success()
                return result

    async def _wait_turn(self, lane: _Lane, paced: bool) -> None:
        """Sleep until no pause is active and, for messages, the windows have room."""
        while True:
            now = self.clock()
            wait = max(lane.halted_until, self._global_halt) - now
            if wait > self.limits.max_wait:
                raise _retry_after(wait)
            if wait <= 0 and paced and lane.window is not None:
                wait = lane.window.wait(now)
            if wait > 0:
                await self.sleep(wait)
                continue
            if not paced:
                return
            async with self._overall_lock:
                ok = await self._overall_turn(lane)
            if ok:
                return

    async def _overall_turn(self, lane: _Lane) -> bool:
        """Take a slot of the overall window; False if a pause began meanwhile."""
        while True:
            now = self.clock()
            if max(lane.halted_until, self._global_halt) > now:
                return False
            wait = self._overall.wait(now) if self._overall is not None else 0.0
            if wait <= 0:
                if self._overall is not None:
                    self._overall.record(now)
                if lane.window is not None:
                    lane.window.record(now)
                return True
            await self.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: half fixed, half random."""
        ceiling = min(self.limits.backoff_cap, self.limits.backoff_base * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def _note(self, outcome: str, started: float) -> None:
        if self.observe is not None:
            self.observe(outcome, self.clock() - started)

    async def _record_blocked(self, user_id: int) -> None:
        log.info("a user blocked the bot; recorded, not retried")
        if self.on_blocked is None:
            return
        try:
            await self.on_blocked(user_id)
        except Exception:
            log.exception("could not record a blocked user")


def _retry_after(seconds: float) -> RetryAfter:
    """A RetryAfter for a pause still running (built without PTB's deprecation warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return RetryAfter(timedelta(seconds=max(1, int(seconds))))


def _chat_key(chat_id: object) -> int | str | None:
    """``chat_id`` as an int where possible (``@channel`` names stay strings)."""
    if chat_id is None:
        return CHATLESS
    if isinstance(chat_id, int):
        return chat_id
    with contextlib.suppress(TypeError, ValueError):
        return int(str(chat_id))
    return str(chat_id)
