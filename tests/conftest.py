"""Fixtures: a fake Bot API on loopback, test configs, and the real bot started against it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_application, build_services
from bot.server.lifecycle import Running, start_polling
from bot.storage import open_store
from handlers.common import Services
from knowledge.catalogue import Catalogue
from knowledge.catalogue import load as load_catalogue
from knowledge.clock import Clock
from knowledge.search import SearchEngine
from knowledge.settings import (
    Config,
    FeedbackConfig,
    Official,
    StorageConfig,
    TelegramConfig,
)
from tests.fake_telegram import FakeTelegram

OFFICIALS = (
    Official(9001, "Cán bộ Tư pháp", "Sở Tư pháp", "official"),
    Official(9002, "Cán bộ Nội vụ", "Sở Nội vụ", "official"),
    Official(9009, "Quản trị", "Văn phòng UBND tỉnh", "admin"),
)
OFFICIALS_CHAT = -100500


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded once."""
    return load_catalogue()


@pytest.fixture(scope="session")
def search_engine(catalogue: Catalogue) -> SearchEngine:
    """The search index over the shipped catalogue, built once."""
    return SearchEngine(catalogue)


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Config]:
    """Build a test Config; pass section dataclasses to override (e.g. tasks=TasksConfig())."""

    def make(**sections: Any) -> Config:
        base = Config(
            telegram=TelegramConfig(token="123456:TEST-TOKEN-DO-NOT-LOG"),
            storage=StorageConfig(path=str(tmp_path / "bot.db")),
            feedback=FeedbackConfig(officials_chat_id=OFFICIALS_CHAT),
            officials=OFFICIALS,
        )
        return dataclasses.replace(base, **sections)

    return make


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """A fake Bot API listening on 127.0.0.1."""
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@dataclass
class RunningBot:
    """The real Application long-polling the fake Bot API."""

    app: App
    services: Services
    config: Config
    telegram: FakeTelegram
    _running: Running | None = field(default=None, repr=False)

    async def stop(self) -> None:
        """Stop the Application (the store stays open for a restart)."""
        if self._running is not None:
            self.telegram.release_long_polls()
            await self._running.stop()
            self._running = None
            self.telegram.reopen()

    async def restart(self) -> None:
        """Stop, then start a fresh Application on the same SQLite file (memory is lost)."""
        await self.stop()
        self.services.store.close()
        store = open_store(self.config.storage.path)
        self.services = dataclasses.replace(self.services, store=store)
        self.app = build_application(self.config, self.services, base_url=self.telegram.base_url)
        self._running = await start_polling(self.app, poll_timeout=5)


@pytest.fixture
async def start_bot(
    telegram: FakeTelegram,
    make_config: Callable[..., Config],
    catalogue: Catalogue,
    search_engine: SearchEngine,
) -> AsyncIterator[Callable[..., Awaitable[RunningBot]]]:
    """Start the real bot against the fake Bot API; everything stops at teardown."""
    started: list[RunningBot] = []

    async def start(config: Config | None = None, *, clock: Clock | None = None) -> RunningBot:
        conf = config or make_config()
        services = build_services(conf, clock=clock, catalogue=catalogue, search=search_engine)
        app = build_application(conf, services, base_url=telegram.base_url)
        running = await start_polling(app, poll_timeout=5)
        bot = RunningBot(app, services, conf, telegram, running)
        started.append(bot)
        return bot

    yield start
    for bot in started:
        await bot.stop()
        bot.services.store.close()


@pytest.fixture
async def bot(start_bot: Callable[..., Awaitable[RunningBot]]) -> RunningBot:
    """The bot with the default test configuration."""
    return await start_bot()
