"""The rate limiter on its own: pacing windows, RetryAfter, retries, blocked users."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.ratelimit import Limits, TelegramHealth, TelegramRateLimiter, Window, is_message_method
from bot.telegram_html import plain_text
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class Api:
    """A callback standing in for the HTTP call: fails as scripted, records send times."""

    def __init__(self, script: list[BaseException | None] | None = None) -> None:
        self.script = list(script or [])
        self.times: list[tuple[str, object, float]] = []

    async def __call__(self, endpoint: str, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        self.times.append((endpoint, data.get("chat_id"), time.monotonic()))
        if self.script:
            failure = self.script.pop(0)
            if failure is not None:
                raise failure
        return {"ok": True}


async def call(
    limiter: TelegramRateLimiter, api: Api, chat_id: object = None, endpoint: str = "sendMessage"
) -> Any:
    data = {} if chat_id is None else {"chat_id": chat_id}
    return await limiter.process_request(api, (endpoint, data), {}, endpoint, data, None)


def fast(**kw: Any) -> Limits:
    """Short backoff; no pacing unless a window is given."""
    windows = {"overall": None, "private_chat": None, "group": None}
    return Limits(**{**windows, "backoff_base": 0.01, "backoff_cap": 0.05, "margin": 0.01, **kw})


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def test_window_counts_events_in_any_period() -> None:
    window = Window(3, 1.0)
    for t in (0.0, 0.1, 0.2):
        assert window.wait(t) == 0
        window.record(t)
    assert window.wait(0.5) == pytest.approx(0.5)
    assert window.wait(1.0) == 0  # the event at 0.0 left the window


def test_only_messages_are_paced() -> None:
    assert is_message_method("sendMessage")
    assert is_message_method("editMessageText")
    assert is_message_method("copyMessage")
    assert not is_message_method("sendChatAction")
    assert not is_message_method("answerCallbackQuery")
    assert not is_message_method("getMe")


async def test_one_message_a_second_per_private_chat_with_the_default_limits() -> None:
    limiter = TelegramRateLimiter(Limits())
    api = Api()
    await asyncio.gather(*(call(limiter, api, 1001) for _ in range(4)))
    times = [t for _, _, t in api.times]
    assert min(gaps(times)) >= 1.0
    assert max(times) - min(times) < 3.4  # and no slower than needed


async def test_other_chats_are_not_held_up_by_a_busy_one() -> None:
    limiter = TelegramRateLimiter(Limits())
    api = Api()
    started = time.monotonic()
    await asyncio.gather(*(call(limiter, api, 1001) for _ in range(3)), call(limiter, api, 1002))
    first_other = next(t for _, chat, t in api.times if chat == 1002)
    assert first_other - started < 0.5


async def test_overall_and_group_windows() -> None:
    limiter = TelegramRateLimiter(fast(overall=(10, 0.5), group=(3, 0.6)))
    api = Api()
    await asyncio.gather(*(call(limiter, api, 5000 + i) for i in range(25)))
    times = sorted(t for _, _, t in api.times)
    for i in range(len(times) - 10):  # at most 10 in any 0.5 s
        assert times[i + 10] - times[i] >= 0.5
    group = Api()
    await asyncio.gather(*(call(limiter, group, -100500) for _ in range(7)))
    gtimes = [t for _, _, t in group.times]
    assert gtimes[3] - gtimes[0] >= 0.6
    assert gtimes[6] - gtimes[3] >= 0.6


async def test_retry_after_pauses_the_chat_and_nothing_is_sent_inside_the_window() -> None:
    limiter = TelegramRateLimiter(fast())
    api = Api([RetryAfter(1)])
    other = Api()
    first = asyncio.create_task(call(limiter, api, 1001))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(call(limiter, api, 1001))
    await call(limiter, other, 1002)  # another chat goes on meanwhile
    await asyncio.gather(first, second)
    (_, _, t0), (_, _, t1), (_, _, t2) = api.times
    assert t1 - t0 >= 1.0  # the retry waited out retry_after
    assert t2 >= t1
    assert other.times[0][2] - t0 < 0.5


async def test_retry_after_on_a_call_without_chat_pauses_everything() -> None:
    limiter = TelegramRateLimiter(fast())
    api = Api([RetryAfter(1)])
    first = asyncio.create_task(call(limiter, api, None, "answerCallbackQuery"))
    await asyncio.sleep(0.05)
    await call(limiter, api, 1002)
    await first
    t0 = api.times[0][2]
    assert all(t - t0 >= 1.0 for _, _, t in api.times[1:])


async def test_a_long_retry_after_is_raised_not_waited() -> None:
    limiter = TelegramRateLimiter(fast())
    api = Api([RetryAfter(3600)])
    with pytest.raises(RetryAfter):
        await call(limiter, api, 1001)
    with pytest.raises(RetryAfter):  # and the chat stays paused: nothing is sent
        await call(limiter, api, 1001)
    assert len(api.times) == 1


async def test_transient_errors_are_retried_with_growing_backoff() -> None:
    limiter = TelegramRateLimiter(fast(backoff_base=0.05, backoff_cap=1.0), rng=random.Random(1))
    api = Api([TimedOut(), NetworkError("Bad Gateway"), TimedOut()])
    assert await call(limiter, api, 1001) == {"ok": True}
    times = [t for _, _, t in api.times]
    assert len(times) == 4
    waits = gaps(times)
    assert waits[0] >= 0.025
    assert waits[2] >= 0.1  # third retry waits at least half of 0.05 * 2**2


async def test_retries_are_bounded() -> None:
    limiter = TelegramRateLimiter(fast(max_transient_retries=3))
    api = Api([TimedOut()] * 10)
    with pytest.raises(TimedOut):
        await call(limiter, api, 1001)
    assert len(api.times) == 4


async def test_bad_requests_are_not_retried() -> None:
    limiter = TelegramRateLimiter(fast())
    api = Api([BadRequest("Bad Request: can't parse entities")])
    with pytest.raises(BadRequest):
        await call(limiter, api, 1001)
    assert len(api.times) == 1


async def test_a_blocked_bot_is_recorded_once_and_not_retried() -> None:
    blocked: list[int] = []

    async def record(user_id: int) -> None:
        blocked.append(user_id)

    limiter = TelegramRateLimiter(fast(), on_blocked=record)
    api = Api([Forbidden("Forbidden: bot was blocked by the user")])
    with pytest.raises(Forbidden):
        await call(limiter, api, 1001)
    assert blocked == [1001]
    assert len(api.times) == 1
    group = Api([Forbidden("Forbidden: bot was kicked from the supergroup chat")])
    with pytest.raises(Forbidden):
        await call(limiter, group, -100500)
    assert blocked == [1001]  # only a user blocking the bot is recorded


def test_health_turns_degraded_after_a_run_of_failures() -> None:
    now = [0.0]
    health = TelegramHealth(threshold=3, after=10.0, clock=lambda: now[0])
    for _ in range(5):
        health.failure("timeout")
    assert not health.degraded  # not for long enough yet
    now[0] = 11.0
    assert health.degraded
    health.success()
    assert not health.degraded


async def test_blocked_user_is_recorded_in_the_store_end_to_end(
    bot: Any, telegram: FakeTelegram
) -> None:
    from knowledge import users

    telegram.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    telegram.user_sends("/start", user=1005)
    await telegram.idle()
    assert await bot.services.store.run(lambda db: users.profile(db, 1005)) is not None
    profile = await bot.services.store.run(lambda db: users.profile(db, 1005))
    assert profile["bot_blocked"] == 1
    sends = [c for c in telegram.calls if c.method == "sendMessage"]
    assert len(sends) == 1  # not retried


async def test_every_message_to_a_chat_is_paced_end_to_end(
    telegram: FakeTelegram, make_config: Any, catalogue: Any, search_engine: Any
) -> None:
    from bot.app import build_application, build_services
    from bot.server.lifecycle import start_polling

    config = make_config()
    services = build_services(config, catalogue=catalogue, search=search_engine)
    app = build_application(config, services, base_url=telegram.base_url, limits=Limits())
    running = await start_polling(app, poll_timeout=1)
    try:
        for text in ("/start", "/help", "/linhvuc"):
            telegram.user_sends(text, user=1001)
            telegram.user_sends(text, user=1002)
        for chat in (1001, 1002):
            for _ in range(3):
                assert plain_text((await telegram.next_message(chat, timeout=10))["text"])
    finally:
        telegram.release_long_polls()
        await running.stop()
        services.store.close()
    for chat in (1001, 1002):
        times = [
            c.at
            for c in telegram.calls
            if str(c.params.get("chat_id")) == str(chat) and is_message_method(c.method)
        ]
        assert len(times) >= 3
        assert min(gaps(times)) >= 0.99
