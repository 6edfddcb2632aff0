"""Wiring: build the services and the python-telegram-bot Application from a Config."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import HTTPXRequest

import handlers
from bot.ratelimit import Limits, TelegramRateLimiter
from bot.server.metrics import Metrics, instrument_search
from bot.server.pipeline import PerChatUpdateProcessor
from bot.storage import open_store
from bot.transport import AiohttpRequest
from handlers.common import Services
from handlers.locales import en, vi
from knowledge import catalogue as catalogue_mod
from knowledge import users
from knowledge.clock import Clock
from knowledge.clock import now as default_clock
from knowledge.search import SearchEngine
from knowledge.settings import Config
from knowledge.store import Store

log = logging.getLogger(__name__)

App = Application[
    Any, ContextTypes.DEFAULT_TYPE, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]

# (command, key of its description in the locale files); /help and the README list them all.
CITIZEN_COMMANDS: tuple[str, ...] = (
    "start",
    "help",
    "trongngay",
    "catgiam",
    "buuchinh",
    "linhvuc",
    "hanxuly",
    "phananh",
    "tracuu",
    "dulieucuatoi",
    "xoadulieu",
    "huy",
    "lang",
)


def build_services(
    config: Config,
    *,
    clock: Clock | None = None,
    catalogue: catalogue_mod.Catalogue | None = None,
    search: SearchEngine | None = None,
    store: Store | None = None,
) -> Services:
    """Load the catalogue, build the search index and open the store."""
    cat = catalogue if catalogue is not None else catalogue_mod.load()
    engine = search if search is not None else SearchEngine(cat)
    return Services(
        config=config,
        catalogue=cat,
        search=engine,
        store=store if store is not None else open_store(config.storage.path),
        clock=clock or default_clock,
    )


def bot_commands(lang: str) -> list[BotCommand]:
    """The command menu in one language (descriptions live in the locale files)."""
    messages = vi.MESSAGES if lang == "vi" else en.MESSAGES
    return [
        BotCommand(name, messages.get(f"cmd.{name}", vi.MESSAGES.get(f"cmd.{name}", name)))
        for name in CITIZEN_COMMANDS
    ]


async def _post_init(app: App) -> None:
    await app.bot.set_my_commands(bot_commands("vi"))
    await app.bot.set_my_commands(bot_commands("en"), language_code="en")
    await handlers.startup(app)


def build_application(
    config: Config,
    services: Services,
    *,
    base_url: str | None = None,
    updater: bool = True,
    limits: Limits | None = None,
    metrics: Metrics | None = None,
) -> App:
    """The real Application, talking to ``base_url`` (default: config.telegram.api_base_url).

    Every Bot API call goes through the rate limiter (bot/ratelimit.py): retries, RetryAfter,
    blocked users. Pacing follows ``limits``; without them nothing is paced (the local
    stand-in and the tests), and ``python -m bot run`` (bot/server/lifecycle.py) passes Telegram's.
    ``metrics`` collects counters for ``/metrics``.
    """
    metrics = metrics or Metrics()
    limits = limits or Limits.unlimited()

    async def on_blocked(user_id: int) -> None:
        await services.store.run(lambda db: users.mark_bot_blocked(db, user_id))

    limiter = TelegramRateLimiter(limits, on_blocked=on_blocked, observe=metrics.observe_call)
    url = base_url or config.telegram.api_base_url
    file_url = url.rsplit("/bot", 1)[0] + "/file/bot" if url.endswith("/bot") else url
    local = url.startswith("http://127.") or url.startswith("http://localhost")
    # trust_env=False: never route a loopback Bot API through an environment proxy.
    httpx_kwargs: dict[str, Any] = {"trust_env": False} if local else {}
    builder = (
        ApplicationBuilder()
        .token(config.telegram.token)
        .base_url(url)
        .base_file_url(file_url)
        # aiohttp for the calls (replies), httpx for the long poll: bot/transport.py says why.
        .request(AiohttpRequest(connection_pool_size=64, trust_env=not local))
        .get_updates_request(HTTPXRequest(httpx_kwargs=httpx_kwargs))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .rate_limiter(limiter)
    )
    if not updater:
        builder = builder.updater(None)
    app: App = builder.build()
    app.bot_data["services"] = services
    app.bot_data["metrics"] = metrics
    handlers.register_all(app)
    app.add_error_handler(metrics.count_error)
    instrument_search(services.search, metrics)
    return app
