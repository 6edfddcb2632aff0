"""R1 redelivery: 2,000 distinct updates, each delivered 3 times, out of order, 40 connections.

Figures: exactly 2,000 updates handled (one reply each, every inbox row processed once),
0 doubled confirmations; 50 of the updates are feedback "Gửi" taps → exactly 50 records.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from collections.abc import Callable

import pytest

from bot.telegram_html import plain_text
from knowledge.catalogue import Catalogue
from knowledge.search import SearchEngine
from knowledge.settings import Config, FeedbackConfig
from tests.conftest import OFFICIALS_CHAT
from tests.fake_telegram import FakeTelegram
from tests.server_support import (
    Hook,
    Outbox,
    button,
    click_update,
    has_button,
    start_webhook_bot,
    text_update,
    webhook_config,
)

DISTINCT = 2000
FEEDBACK = 50
USERS = 400


async def to_summary(hook: Hook, telegram: FakeTelegram, outbox: Outbox, user: int) -> dict:
    """Walk one citizen to the summary of a feedback draft (not submitted yet)."""
    await hook.deliver(text_update(telegram, "/phananh", user))
    msg = await outbox.until(user, has_button("fb:kind:"))
    await hook.deliver(click_update(telegram, str(button(msg, "fb:kind:")), user, msg))
    msg = await outbox.until(user, has_button("fb:proc:"))
    await hook.deliver(click_update(telegram, str(button(msg, "fb:proc:")), user, msg))
    await outbox.until(user, lambda m: "Bước 3" in (m.get("text") or ""))
    await hook.deliver(text_update(telegram, f"Hồ sơ của tôi số {user} bị trễ hẹn.", user))
    msg = await outbox.until(user, has_button("fb:att:"))
    await hook.deliver(click_update(telegram, str(button(msg, "fb:att:")), user, msg))
    msg = await outbox.until(user, has_button("fb:ct:"))
    no = next(d for _, d in telegram.buttons(msg) if d.startswith("fb:ct:") and d.endswith(":no"))
    await hook.deliver(click_update(telegram, no, user, msg))
    return await outbox.until(user, has_button("fb:ok:"))


async def test_redelivered_updates_are_handled_exactly_once(
    telegram: FakeTelegram,
    make_config: Callable[..., Config],
    catalogue: Catalogue,
    search_engine: SearchEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    config = make_config(
        webhook=webhook_config(),
        feedback=FeedbackConfig(officials_chat_id=OFFICIALS_CHAT, rate_limit_count=1000),
    )
    running = await start_webhook_bot(config, telegram, catalogue, search_engine)
    outbox = Outbox(telegram)
    assert running.server is not None
    url = f"http://127.0.0.1:{running.port}{running.server.path}"
    try:
        async with Hook(url, connections=40) as hook:
            filers = [50_000 + i for i in range(FEEDBACK)]
            summaries = await asyncio.gather(
                *(to_summary(hook, telegram, outbox, u) for u in filers)
            )
            await running.pipeline.wait_idle(30)
            before = {chat: len(msgs) for chat, msgs in outbox.by_chat.items()}
            updates = [
                click_update(telegram, str(button(s, "fb:ok:")), u, s)
                for u, s in zip(filers, summaries, strict=True)
            ]
            texts = ["/start", "/help", "khai sinh", "/linhvuc", "cấp lại căn cước"]
            for i in range(DISTINCT - FEEDBACK):
                user = 60_000 + i % USERS
                updates.append(text_update(telegram, texts[i % len(texts)], user))
            deliveries = [u for u in updates for _ in range(3)]
            random.Random(6).shuffle(deliveries)
            hook.latencies.clear()
            sem = asyncio.Semaphore(40)

            async def post(update: dict) -> int:
                async with sem:
                    return await hook.post(update)

            statuses = await asyncio.gather(*(post(u) for u in deliveries))
            assert set(statuses) == {200}  # every delivery, first or repeated, acknowledged
            assert await running.pipeline.wait_idle(120)
            await asyncio.sleep(0.5)
    finally:
        await running.stop(5.0)
        running.services.store.close()

    db = sqlite3.connect(config.storage.path)
    ids = [u["update_id"] for u in updates]
    processed = db.execute(
        f"SELECT count(*) FROM inbox WHERE processed_at IS NOT NULL AND update_id IN"
        f" ({','.join('?' * len(ids))})",
        ids,
    ).fetchone()[0]
    records = db.execute("SELECT count(*) FROM feedback").fetchone()[0]
    db.close()
    replies = {
        chat: len(msgs) - before.get(chat, 0)
        for chat, msgs in outbox.by_chat.items()
        if chat != OFFICIALS_CHAT
    }
    confirmations = [
        m for u in filers for m in outbox.by_chat[u] if "Đã ghi nhận" in plain_text(m["text"])
    ]
    handled = sum(n for chat, n in replies.items() if chat >= 60_000)
    queue_posts = len(outbox.by_chat[OFFICIALS_CHAT]) - before.get(OFFICIALS_CHAT, 0)
    print(
        f"\nredelivery: {len(deliveries)} deliveries of {len(updates)} distinct updates;"
        f" handled {processed}, replies {handled}, feedback records {records},"
        f" confirmations {len(confirmations)}, queue posts {queue_posts};"
        f" ack p99 {sorted(hook.latencies)[int(len(hook.latencies) * 0.99)] * 1000:.0f} ms"
    )
    assert processed == DISTINCT
    assert records == FEEDBACK
    assert len(confirmations) == FEEDBACK  # 0 doubled confirmations
    assert queue_posts == FEEDBACK
    for secret in (telegram.token, "bị trễ hẹn", "cấp lại căn cước"):
        assert secret not in caplog.text  # no token, no message body in the logs
    assert handled == DISTINCT - FEEDBACK  # one reply per distinct update, none for a repeat
