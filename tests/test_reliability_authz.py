"""R11 authorisation: every officials' command and button x four attackers → 0 disclosures.

The commands and buttons are not listed by hand: the commands are every CommandHandler
behind ``handlers.access.officials_only`` (plus ``/phananh CODE``), the buttons are every
button a real official was shown, matched against the gated CallbackQueryHandlers.
Attackers: a citizen, an official removed from ``config.toml`` (bot restarted), an
official of another agency on a Sở Tư pháp task, and forged callback data. A non-official
may only ever see the unknown-command reply or the stale-button answer; nothing changes in
the database; a forged button never makes the bot apologise for an error.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.app import CITIZEN_COMMANDS
from bot.server.lifecycle import Running
from handlers import access
from handlers.locales import vi
from knowledge import tasks
from knowledge.catalogue import Catalogue
from knowledge.clock import TZ
from knowledge.search import SearchEngine
from knowledge.settings import Config
from knowledge.tasks import importer as tasks_import
from tests.conftest import OFFICIALS, OFFICIALS_CHAT
from tests.fake_telegram import FakeTelegram
from tests.server_support import (
    Hook,
    Outbox,
    click_update,
    file_feedback,
    start_webhook_bot,
    text_update,
    webhook_config,
)
from tests.test_knowledge_tasks import SAMPLE_XLSX

TU_PHAP, NOI_VU, ADMIN, CITIZEN = 9001, 9002, 9009, 1001
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
UNKNOWN = vi.MESSAGES["unknown_command"]
STALE = vi.MESSAGES["stale_button"]
APOLOGY = vi.MESSAGES["error.apology"]
_GATE = access.officials_only(lambda *a: None).__code__  # type: ignore[arg-type, return-value]


def gated(callback: Any) -> bool:
    """True when a handler callback is wrapped by officials_only."""
    return getattr(callback, "__code__", None) is _GATE


def gated_surface(app: Any) -> tuple[set[str], list[re.Pattern[str]], set[str]]:
    """(gated commands, gated button patterns, ungated non-citizen commands)."""
    commands: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    open_commands: set[str] = set()
    for group in app.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                if gated(handler.callback):
                    commands |= set(handler.commands)
                else:
                    open_commands |= set(handler.commands) - set(CITIZEN_COMMANDS)
            if isinstance(handler, CallbackQueryHandler) and gated(handler.callback):
                assert isinstance(handler.pattern, re.Pattern)
                patterns.append(handler.pattern)
    return commands, patterns, open_commands


def snapshot(db_path: str) -> tuple[Any, ...]:
    """What an attacker must not be able to change."""
    with sqlite3.connect(db_path) as conn:
        return (
            conn.execute("SELECT * FROM feedback ORDER BY id").fetchall(),
            conn.execute("SELECT count(*) FROM feedback_event").fetchall(),
            conn.execute("SELECT * FROM task ORDER BY id").fetchall(),
            conn.execute("SELECT user_id, blocked FROM chat_user ORDER BY user_id").fetchall(),
        )


class Attack:
    """Sends updates through the webhook and keeps what the bot did in answer."""

    def __init__(self, running: Running, telegram: FakeTelegram, hook: Hook) -> None:
        self.running = running
        self.telegram = telegram
        self.hook = hook

    async def round(self, updates: list[dict[str, Any]]) -> list[Any]:
        """Deliver the updates; return the Bot API calls they caused."""
        before = len(self.telegram.calls)
        await asyncio.gather(*(self.hook.deliver(u) for u in updates))
        await self.running.pipeline.wait_idle(60)
        await asyncio.sleep(0.2)
        return [c for c in self.telegram.calls[before:] if c.method != "getUpdates"]


def assert_no_disclosure(calls: list[Any], attacker_chats: set[int], what: str) -> None:
    """Only the unknown-command reply to the attacker and the stale answer, nothing else."""
    for call in calls:
        p = call.params
        if call.method == "answerCallbackQuery":
            assert p.get("text") == STALE, (what, p)
        elif call.method == "sendMessage":
            assert int(p["chat_id"]) in attacker_chats, (what, call.method, p.get("chat_id"))
            assert p["text"] == UNKNOWN, (what, p["text"][:200])
        else:
            raise AssertionError(f"{what}: unexpected {call.method} {p.get('chat_id')}")


def assert_citizen_flow_only(calls: list[Any], chat: int, secrets: list[str], what: str) -> None:
    """``/phananh CODE`` from a non-official opens their own feedback: nothing of the record."""
    for call in calls:
        p = call.params
        if call.method == "answerCallbackQuery":
            continue
        assert call.method == "sendMessage", (what, call.method)
        assert int(p["chat_id"]) == chat, (what, p.get("chat_id"))
        shown = str(p.get("text")) + str(p.get("reply_markup"))
        assert not any(s in shown for s in secrets), (what, shown[:300])
        assert "fo:" not in shown, (what, shown[:300])


async def test_no_disclosure_to_anyone_but_the_right_official(
    telegram: FakeTelegram,
    make_config: Callable[..., Config],
    catalogue: Catalogue,
    search_engine: SearchEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    config = make_config(webhook=webhook_config())
    running = await start_webhook_bot(config, telegram, catalogue, search_engine)
    outbox = Outbox(telegram)
    await running.services.store.run(lambda db: tasks_import.import_file(db, SAMPLE_XLSX, NOW))
    every = await running.services.store.run(tasks.all_tasks)
    task = next(t for t in every if t.agency == "Sở Tư pháp" and t.completed_on is None)
    commands, patterns, open_commands = gated_surface(running.app)
    # deny by default: no officials' command may be registered outside the gate
    assert not open_commands, f"commands outside the officials' gate: {open_commands}"

    assert running.server is not None
    url = f"http://127.0.0.1:{running.port}{running.server.path}"
    try:
        async with Hook(url) as hook:
            codes = [
                await file_feedback(hook, telegram, outbox, 4000 + i, f"Phản ánh số {i} trễ hẹn")
                for i in range(2)
            ]
            await running.pipeline.wait_idle(30)
            samples = {
                "nhiemvu": ["", " tu phap"],
                "quahan": [""],
                "nhiemvu_sapden": [" 7"],
                "task": [f" {task.code}"],
                "capnhat": [f" {task.code}"],
                "baocao": [""],
                "phananh_moi": [""],
                "phananh_quahan": [""],
                "xuatphananh": ["", " 01/11/2026 30/11/2026 csv"],
                "chan": [" 4000", f" {codes[0]}"],
                "bochan": [" 4000"],
            }
            assert commands <= set(samples), f"add sample arguments for {commands - set(samples)}"
            texts = [f"/{c}{arg}" for c in sorted(commands) for arg in samples[c]]
            # officials' use of a citizen command: for anyone else it opens their own feedback
            records = [f"/phananh {code}" for code in codes]
            secrets = [*codes, "Phản ánh số 0", "Phản ánh số 1"]

            # the right official (and the admin) really get answers with buttons
            attack = Attack(running, telegram, hook)
            shown = await attack.round(
                [text_update(telegram, t, ADMIN) for t in texts + records if "chan" not in t]
                + [text_update(telegram, t, TU_PHAP) for t in texts + records if "chan" not in t]
            )
            assert any(c.method in ("sendMessage", "sendDocument", "sendPhoto") for c in shown)
            buttons: dict[str, dict[str, Any]] = {}
            for chat in (ADMIN, TU_PHAP, OFFICIALS_CHAT):
                for msg in outbox.by_chat[chat]:
                    for _, data in telegram.buttons(msg):
                        if any(p.match(data) for p in patterns):
                            buttons.setdefault(data, msg)
            assert any(d.startswith("fo:") for d in buttons), buttons
            assert any(d.startswith("tk:") for d in buttons), buttons
            before = snapshot(config.storage.path)

            # 1. a citizen: every command and every button
            calls = await attack.round(
                [text_update(telegram, t, CITIZEN) for t in texts]
                + [click_update(telegram, d, CITIZEN, m) for d, m in buttons.items()]
            )
            assert_no_disclosure(calls, {CITIZEN}, "citizen")
            for record in records:
                calls = await attack.round([text_update(telegram, record, CITIZEN + 1)])
                assert_citizen_flow_only(calls, CITIZEN + 1, secrets, "citizen /phananh CODE")
            citizen_figures = (len(texts) + len(records), len(buttons))

            # 2. another agency: Sở Nội vụ on a Sở Tư pháp task, with Tư pháp's buttons
            task_buttons = {d: m for d, m in buttons.items() if d.startswith(f"tk:u:{task.id}:")}
            calls = await attack.round(
                [click_update(telegram, d, NOI_VU, m) for d, m in task_buttons.items()]
            )
            assert all(c.method == "answerCallbackQuery" for c in calls)
            assert all(c.params.get("text") == STALE for c in calls)
            calls = await attack.round([text_update(telegram, "Đã xong việc", NOI_VU)])
            assert snapshot(config.storage.path) == before

            # 3. forged callback data, by a citizen and by officials
            forged = [
                "fo:",
                "tk:",
                "fo:take:PA-22222222",
                "fo:show:" + codes[0][:-1] + "2",
                f"tk:u:{task.id + 100000}:done",
                "tk:u:1 OR 1=1:done",
                "fo:show:PA-'; DROP TABLE feedback;--",
                "fo:" + "9" * 61,
                "tk:<b>x</b>",
            ]
            calls = await attack.round([click_update(telegram, d, CITIZEN, None) for d in forged])
            assert_no_disclosure(calls, {CITIZEN}, "forged (citizen)")
            calls = await attack.round(
                [click_update(telegram, d, TU_PHAP, None) for d in forged]
                + [click_update(telegram, d, NOI_VU, None) for d in forged]
            )
            for call in calls:
                assert APOLOGY not in str(call.params.get("text", "")), call.params
            assert snapshot(config.storage.path) == before

            # the official leaves two actions waiting for their text, then is removed
            fwd, note = f"fo:fwd:{codes[1]}", f"tk:u:{task.id}:note"
            assert fwd in buttons, sorted(buttons)
            assert note in buttons, sorted(buttons)
            await attack.round(
                [click_update(telegram, d, TU_PHAP, buttons[d]) for d in (fwd, note)]
            )
            before = snapshot(config.storage.path)
            with sqlite3.connect(config.storage.path) as conn:
                for table in ("feedback_pending_action", "task_pending_update"):
                    pending = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                    assert pending >= 1, table
    finally:
        await running.stop(2.0)
        running.services.store.close()

    # 4. an official removed from config.toml, after a restart
    removed = dataclasses.replace(
        config, officials=tuple(o for o in OFFICIALS if o.telegram_id != TU_PHAP)
    )
    running = await start_webhook_bot(removed, telegram, catalogue, search_engine)
    assert running.server is not None
    url = f"http://127.0.0.1:{running.port}{running.server.path}"
    try:
        async with Hook(url) as hook:
            attack = Attack(running, telegram, hook)
            calls = await attack.round(
                [text_update(telegram, t, TU_PHAP) for t in texts]
                + [click_update(telegram, d, TU_PHAP, m) for d, m in buttons.items()]
            )
            assert_no_disclosure(calls, {TU_PHAP}, "removed official")
            for record in records:
                calls = await attack.round([text_update(telegram, record, TU_PHAP)])
                assert_citizen_flow_only(calls, TU_PHAP, secrets, "removed /phananh CODE")
            for text in ("Sở Nội vụ", "Đã xong"):  # not taken as the pending actions' text
                await attack.round([text_update(telegram, text, TU_PHAP)])
    finally:
        await running.stop(2.0)
        running.services.store.close()
    assert snapshot(config.storage.path) == before
    for secret in (telegram.token, "trễ hẹn", "Đã xong"):
        assert secret not in caplog.text  # no token, no message body in the logs
    print(
        f"\nauthorisation: {len(commands) + 1} officials' commands ({citizen_figures[0]} with"
        f" their arguments) and {citizen_figures[1]} real buttons x citizen and removed"
        f" official, {len(task_buttons)} task buttons x another agency, {len(forged)} forged"
        " callbacks x citizen and two officials → 0 disclosures, 0 changes"
    )
