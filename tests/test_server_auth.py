"""Webhook authenticity: anything but Telegram with the right secret is refused, 0 writes."""

from __future__ import annotations

import inspect
import io
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from bot.server.lifecycle import Running
from bot.server.webhook import MAX_BODY, SECRET_HEADER, WebhookServer
from knowledge.catalogue import Catalogue
from knowledge.search import SearchEngine
from knowledge.settings import Config
from tests.fake_telegram import FakeTelegram
from tests.server_support import SECRET, start_webhook_bot, text_update, webhook_config

GOOD = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}


@pytest.fixture
async def running(
    telegram: FakeTelegram,
    make_config: Callable[..., Config],
    catalogue: Catalogue,
    search_engine: SearchEngine,
) -> AsyncIterator[Running]:
    """The bot in webhook mode."""
    bot = await start_webhook_bot(
        make_config(webhook=webhook_config()), telegram, catalogue, search_engine
    )
    yield bot
    await bot.stop(1.0)
    bot.services.store.close()


def inbox_rows(bot: Running) -> int:
    with sqlite3.connect(bot.services.store.path) as conn:
        return int(conn.execute("SELECT count(*) FROM inbox").fetchone()[0])


def cases(telegram: FakeTelegram, path: str) -> list[tuple[str, str, dict[str, str], bytes, int]]:
    """(name, path, headers, body, expected status) for every kind of bad request."""
    body = json.dumps(text_update(telegram, "/start", 1001)).encode()
    wrong_path = path[:-4] + "0000"
    return [
        ("missing secret", path, {"Content-Type": "application/json"}, body, 403),
        ("wrong secret", path, {**GOOD, SECRET_HEADER: SECRET[:-1] + "X"}, body, 403),
        ("secret prefix", path, {**GOOD, SECRET_HEADER: SECRET[:5]}, body, 403),
        ("empty secret", path, {**GOOD, SECRET_HEADER: ""}, body, 403),
        ("oversized secret", path, {**GOOD, SECRET_HEADER: SECRET + "a" * 300}, body, 403),
        ("huge secret", path, {**GOOD, SECRET_HEADER: "A" * 7000}, body, 403),
        ("wrong path", wrong_path, GOOD, body, 403),
        ("text/plain", path, {**GOOD, "Content-Type": "text/plain"}, body, 400),
        ("form", path, {**GOOD, "Content-Type": "application/x-www-form-urlencoded"}, body, 400),
        ("no content type", path, {SECRET_HEADER: SECRET}, body, 400),
        ("oversized body", path, GOOD, b'{"update_id": 5, "x": "' + b"a" * MAX_BODY + b'"}', 400),
        ("malformed JSON", path, GOOD, b'{"update_id": 5, "message": ', 400),
        ("not UTF-8", path, GOOD, b'{"update_id": 5, "x": "\xff\xfe"}', 400),
        ("JSON array", path, GOOD, b"[1, 2, 3]", 400),
        ("JSON string", path, GOOD, b'"update"', 400),
        ("no update_id", path, GOOD, b'{"message": {}}', 400),
        ("string update_id", path, GOOD, b'{"update_id": "7"}', 400),
        ("bool update_id", path, GOOD, b'{"update_id": true}', 400),
        ("negative update_id", path, GOOD, b'{"update_id": -1}', 400),
        ("huge update_id", path, GOOD, b'{"update_id": 99999999999999999999999}', 400),
        ("not an update", path, GOOD, b'{"update_id": 8, "message": "hello"}', 400),
        ("empty body", path, GOOD, b"", 400),
    ]


async def test_every_bad_request_is_refused_and_nothing_is_written(
    running: Running, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert running.server is not None
    base = f"http://127.0.0.1:{running.port}"
    results: dict[str, int] = {}
    async with aiohttp.ClientSession() as session:
        for _ in range(45):  # 22 kinds x 45 = 990 requests, about R10's 1,000
            for name, path, headers, body, expected in cases(telegram, running.server.path):
                payload = io.BytesIO(body) if len(body) > 1024 else body
                async with session.post(base + path, data=payload, headers=headers) as resp:
                    results[name] = resp.status
                    assert resp.status == expected, (name, resp.status)
        async with session.get(base + running.server.path, headers=GOOD) as resp:
            assert resp.status == 405
    assert inbox_rows(running) == 0
    assert not telegram.outgoing  # no handler ran
    assert SECRET not in caplog.text
    assert "hello" not in caplog.text  # bodies are never logged
    # and the real thing still works
    async with aiohttp.ClientSession() as session:
        update = text_update(telegram, "/start", 1001)
        async with session.post(
            base + running.server.path, data=json.dumps(update), headers=GOOD
        ) as resp:
            assert resp.status == 200
    assert inbox_rows(running) == 1


def test_secret_and_path_are_compared_in_constant_time() -> None:
    source = inspect.getsource(WebhookServer._check)
    assert "hmac.compare_digest(given, self.secret)" in source
    assert "hmac.compare_digest(key, self._path_key)" in source


async def test_secret_comparison_is_constant_time(running: Running) -> None:
    """A wrong first character costs as long as a wrong last one (no early exit to see)."""
    assert running.server is not None
    url = f"http://127.0.0.1:{running.port}{running.server.path}"

    async def timing(secret: str) -> float:
        best = float("inf")
        async with aiohttp.ClientSession() as session:
            for _ in range(60):
                started = time.perf_counter()
                async with session.post(
                    url, data=b"{}", headers={**GOOD, SECRET_HEADER: secret}
                ) as resp:
                    assert resp.status == 403
                best = min(best, time.perf_counter() - started)
        return best

    early = await timing("X" + SECRET[1:])
    late = await timing(SECRET[:-1] + "X")
    assert abs(early - late) < 0.005  # network noise dominates; no early exit to see
