"""Webhook mode in this process: registration, inbox, redelivery, backlog, health, metrics."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.ratelimit import Limits
from bot.server.lifecycle import ALLOWED_UPDATES, Running
from bot.server.webhook import webhook_path
from bot.storage import open_store
from knowledge import feedback as fb
from knowledge import inbox
from knowledge.catalogue import Catalogue
from knowledge.clock import TZ
from knowledge.search import SearchEngine
from knowledge.settings import Config
from tests.fake_telegram import FakeTelegram
from tests.server_support import (
    SECRET,
    Hook,
    Outbox,
    start_webhook_bot,
    text_update,
    webhook_config,
)

StartHook = Callable[..., Awaitable[Running]]


@pytest.fixture
async def start_hook(
    telegram: FakeTelegram,
    make_config: Callable[..., Config],
    catalogue: Catalogue,
    search_engine: SearchEngine,
) -> AsyncIterator[StartHook]:
    """Start the bot in webhook mode; everything stops at teardown."""
    started: list[Running] = []

    async def start(config: Config | None = None, **kw: Any) -> Running:
        conf = config or make_config(webhook=webhook_config())
        running = await start_webhook_bot(conf, telegram, catalogue, search_engine, **kw)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.health.state != "stopping":
            await running.stop(1.0)
        running.services.store.close()


def url(running: Running, path: str | None = None) -> str:
    assert running.server is not None
    return f"http://127.0.0.1:{running.port}{path or running.server.path}"


def rows(db_path: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT update_id, body IS NULL, processed_at IS NOT NULL, outcome FROM inbox"
            " ORDER BY update_id"
        ).fetchall()


async def test_registers_the_webhook_with_secret_and_limits(
    start_hook: StartHook, telegram: FakeTelegram
) -> None:
    running = await start_hook()
    params = await telegram.next_call("setWebhook")
    assert params["url"].endswith(webhook_path(SECRET))
    assert SECRET not in params["url"]  # the path is derived, not the secret itself
    assert params["secret_token"] == SECRET
    assert int(params["max_connections"]) == 40
    assert list(params["allowed_updates"]) == list(ALLOWED_UPDATES)
    assert params.get("drop_pending_updates") in (None, False, "false")
    assert running.health.webhook_set


async def test_update_is_committed_then_processed_once(
    start_hook: StartHook, telegram: FakeTelegram
) -> None:
    running = await start_hook()
    outbox = Outbox(telegram)
    update = text_update(telegram, "/start", 1001)
    async with Hook(url(running)) as hook:
        assert await hook.post(update) == 200
        reply = await outbox.next(1001)
        assert "Xin chào" in reply["text"]
        for _ in range(3):  # Telegram redelivers: acknowledged, not processed again
            assert await hook.post(update) == 200
    await running.pipeline.wait_idle(5)
    await asyncio.sleep(0.2)
    assert len(outbox.by_chat[1001]) == 1
    assert rows(running.services.store.path) == [(update["update_id"], 1, 1, "done")]


async def test_unprocessed_inbox_rows_are_processed_first_at_start(
    start_hook: StartHook, telegram: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    config = make_config(webhook=webhook_config())
    store = open_store(config.storage.path)
    left = [text_update(telegram, "/start", 2000 + i) for i in range(5)]
    for update in left:
        store.run_sync(lambda db, u=update: inbox.accept(db, u["update_id"], json.dumps(u)))
    store.run_sync(lambda db: inbox.accept(db, 99, "not json"))
    store.close()
    outbox = Outbox(telegram)
    running = await start_hook(config)
    for i in range(5):
        assert "Xin chào" in (await outbox.next(2000 + i))["text"]
    await running.pipeline.wait_idle(5)
    states = rows(config.storage.path)
    assert all(done for _, _, done, _ in states)
    assert dict((u, o) for u, _, _, o in states)[99] == "invalid"


async def test_a_step_committed_before_a_crash_is_shown_again_after_restart(
    start_hook: StartHook, telegram: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    """The crash came between the step's commit and its reply: the replay shows the step."""
    config = make_config(webhook=webhook_config())
    store = open_store(config.storage.path)
    cfg, now, user = config.feedback, datetime.now(TZ), 1001
    draft, _ = store.run_sync(lambda db: fb.start_draft(db, user, user, now, cfg))
    store.run_sync(lambda db: fb.set_kind(db, user, draft.id, "khac", now, cfg))
    store.run_sync(lambda db: fb.set_procedure(db, user, draft.id, None, now, cfg))
    content = text_update(telegram, "Hồ sơ của tôi nộp từ tháng trước mà chưa có kết quả.", user)
    uid = content["update_id"]
    text = content["message"]["text"]
    store.run_sync(lambda db: inbox.accept(db, uid, json.dumps(content)))
    store.run_sync(
        lambda db: fb.once(db, uid, now, lambda: fb.set_content(db, user, text, now, cfg))
    )
    store.close()  # ... and the bot died before it could answer
    outbox = Outbox(telegram)
    running = await start_hook(config)
    assert "Bước 4" in (await outbox.next(user))["text"]
    await running.pipeline.wait_idle(5)
    await asyncio.sleep(0.2)
    assert len(outbox.by_chat[user]) == 1
    saved = running.services.store.run_sync(lambda db: fb.get_open_draft(db, user, now, cfg))
    assert saved is not None
    assert saved.step == fb.STEP_ATTACHMENTS
    assert saved.content == text


async def test_an_update_that_keeps_crashing_the_bot_is_given_up(
    start_hook: StartHook, telegram: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    config = make_config(webhook=webhook_config())
    store = open_store(config.storage.path)
    update = text_update(telegram, "/start", 2100)
    store.run_sync(lambda db: inbox.accept(db, update["update_id"], json.dumps(update)))
    store.run_sync(lambda db: db.execute("UPDATE inbox SET attempts = 2"))
    store.close()
    running = await start_hook(config)  # third start-up that finds it unprocessed
    await running.pipeline.wait_idle(5)
    assert rows(config.storage.path) == [(update["update_id"], 1, 1, "gave_up")]
    assert not [m for m in telegram.outgoing if m["chat_id"] == 2100]


async def test_healthz_and_metrics(start_hook: StartHook, telegram: FakeTelegram) -> None:
    running = await start_hook()
    outbox = Outbox(telegram)
    async with aiohttp.ClientSession() as session:
        async with session.get(url(running, "/healthz")) as resp:
            assert resp.status == 200
            assert (await resp.json())["status"] == "ok"
        async with Hook(url(running)) as hook:
            await hook.post(text_update(telegram, "dang ky khai sinh", 1001))
            await outbox.next(1001)
            await running.pipeline.wait_idle(5)
        async with session.get(url(running, "/metrics")) as resp:
            assert resp.status == 200
            text = await resp.text()
    for name in (
        "tthc_webhook_requests_total",
        "tthc_webhook_ack_seconds_bucket",
        "tthc_updates_total",
        "tthc_updates_processed_total",
        "tthc_update_processing_seconds_bucket",
        "tthc_telegram_calls_total",
        "tthc_telegram_call_seconds_bucket",
        "tthc_searches_total",
        "tthc_search_seconds_bucket",
        "tthc_feedback_submissions",
        "tthc_inbox_pending",
        "tthc_errors",
    ):
        assert name in text, name
    assert 'tthc_updates_total{kind="message"} 1.0' in text
    assert "tthc_searches_total 1.0" in text


async def test_healthz_reports_degraded_when_telegram_keeps_failing(
    start_hook: StartHook, telegram: FakeTelegram
) -> None:
    quick = dataclasses.replace(Limits.unlimited(), backoff_base=0.05, backoff_cap=0.2)
    running = await start_hook(limits=quick)
    running.health.telegram.after = 0.0  # the default waits 15 s of failures
    telegram.fail_next("sendMessage", status=502, description="Bad Gateway", count=100)
    async with Hook(url(running)) as hook:
        await hook.post(text_update(telegram, "/start", 1001))
        for _ in range(100):
            if running.health.telegram.degraded:
                break
            await asyncio.sleep(0.1)
        async with hook.session.get(url(running, "/healthz")) as resp:  # type: ignore[union-attr]
            assert resp.status == 503
            body = await resp.json()
    assert body["status"] == "degraded"
    assert body["telegram"] == "failing"
    telegram._faults.clear()
    for _ in range(200):  # the retries reach Telegram again: healthy
        if not running.health.telegram.degraded:
            break
        await asyncio.sleep(0.1)
    assert running.health.status()[0] == 200


async def test_stop_keeps_unfinished_updates_in_the_inbox(
    start_hook: StartHook, telegram: FakeTelegram, make_config: Callable[..., Config]
) -> None:
    config = make_config(webhook=webhook_config())
    running = await start_hook(config)
    release = asyncio.Event()
    original = telegram.before_call

    async def slow(method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage":
            await release.wait()
        return await original(method, params)

    telegram.before_call = slow  # type: ignore[method-assign]
    update = text_update(telegram, "/start", 1001)
    async with Hook(url(running)) as hook:
        assert await hook.post(update) == 200
        await asyncio.sleep(0.3)
        stopping = asyncio.create_task(running.stop(grace=0.5))
        await asyncio.sleep(0.1)
        assert await hook.post(text_update(telegram, "/help", 1002)) == 503  # stopped taking
        kept = await stopping
    assert kept == 1
    assert rows(config.storage.path) == [(update["update_id"], 0, 0, None)]
    running.services.store.close()
    release.set()
    telegram.before_call = original  # type: ignore[method-assign]
    outbox = Outbox(telegram)
    again = await start_hook(config)
    assert "Xin chào" in (await outbox.next(1001))["text"]
    await again.pipeline.wait_idle(5)
    assert rows(config.storage.path) == [(update["update_id"], 1, 1, "done")]


async def test_polling_mode_goes_through_the_inbox_too(
    telegram: FakeTelegram,
    make_config: Callable[..., Config],
    catalogue: Catalogue,
    search_engine: SearchEngine,
    tmp_path: Path,
) -> None:
    from bot.app import build_services
    from bot.ratelimit import Limits
    from bot.server.lifecycle import start_polling_durable

    config = make_config()
    services = build_services(config, catalogue=catalogue, search=search_engine)
    running = await start_polling_durable(
        config,
        services=services,
        limits=Limits.unlimited(),
        base_url=telegram.base_url,
        poll_timeout=1,
    )
    try:
        sent = telegram.user_sends("/start")
        assert "Xin chào" in (await telegram.next_message(1001))["text"]
        await telegram.idle()
        await running.pipeline.wait_idle(5)
    finally:
        telegram.release_long_polls()
        await running.stop(2.0)
        services.store.close()
    assert len(telegram.messages(1001)) == 1
    assert rows(config.storage.path) == [(sent["update_id"], 1, 1, "done")]


async def test_a_chats_updates_are_answered_in_order(
    start_hook: StartHook, telegram: FakeTelegram
) -> None:
    running = await start_hook()
    outbox = Outbox(telegram)
    original = telegram.before_call
    delays = iter([0.15, 0.0, 0.1, 0.0, 0.05] * 4)

    async def jittery(method: str, params: dict[str, Any]) -> Any:
        if method == "sendMessage":
            await asyncio.sleep(next(delays, 0.0))
        return await original(method, params)

    telegram.before_call = jittery  # type: ignore[method-assign]
    texts = ["/start", "/help"] * 5
    async with Hook(url(running)) as hook:
        for text in texts:  # each acknowledged before the next is sent: a defined order
            assert await hook.post(text_update(telegram, text, 1001)) == 200
        replies = [await outbox.next(1001) for _ in texts]
    telegram.before_call = original  # type: ignore[method-assign]
    kinds = ["start" if "Xin chào" in r["text"] else "help" for r in replies]
    assert kinds == [t[1:] for t in texts]
