"""Starting and stopping: webhook or long polling, the backlog, ``SIGTERM``, the process.

Both modes start the Application, process what the inbox kept from the last run, then take
new updates; :class:`Running` is the one handle on a started bot, and its :meth:`stop` the
one graceful shutdown: stop taking updates, give in-flight ones a grace period, leave the
rest in the inbox, exit within 30 seconds. :func:`start_polling` is plain long polling
without the inbox (the local chat and the tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import logging
import os
import secrets
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Updater

from bot.app import App, build_application, build_services
from bot.ratelimit import Limits, TelegramHealth, TelegramRateLimiter
from bot.server.inbox import PriorityStore
from bot.server.metrics import Metrics
from bot.server.pipeline import Pipeline
from bot.server.webhook import Health, IngestThread, WebhookServer
from handlers.common import Services
from knowledge import inbox
from knowledge.settings import Config

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "inline_query")
GRACE_SECONDS = 20.0  # after SIGTERM, in-flight updates get this long to finish
EXIT_DEADLINE = 30.0  # the process is gone by then, whatever happens
PRUNE_EVERY = 3600.0


@dataclass
class Running:
    """A started bot, in any mode; :meth:`stop` is the graceful shutdown.

    Webhook and durable polling have a :class:`Pipeline` (the inbox); plain long polling
    (:func:`start_polling`) has none and lets PTB's own updater feed the Application.
    """

    app: App
    services: Services
    health: Health
    metrics: Metrics
    pipeline: Pipeline | None = None
    server: WebhookServer | None = None
    ingest: IngestThread | None = None
    updater: Updater | None = None
    polled: asyncio.Queue[object] | None = None
    port: int = 0
    _background: list[asyncio.Task[None]] = field(default_factory=list)

    async def stop(self, grace: float = GRACE_SECONDS) -> int:
        """Stop taking updates, drain within ``grace``, shut down; returns updates kept."""
        self.health.state = "stopping"
        updater = self.updater or self.app.updater
        if updater is not None and updater.running:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(updater.stop(), 5)
        kept = 0
        if self.pipeline is not None:
            self.pipeline.accepting = False  # from now on: commit to the inbox, do not process
        if self.polled is not None:  # fetched updates go to the inbox before anything stops
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.polled.join(), 5)
        for task in self._background:
            task.cancel()
        if self.pipeline is not None:
            kept = await self.pipeline.drain(grace)
        if self.ingest is not None:
            await self.ingest.stop()
        if self.app.running:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.app.stop(), 3)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.app.shutdown(), 3)
        if self.updater is not None:
            with contextlib.suppress(Exception):
                await self.updater.shutdown()
        return kept


async def start_polling(app: App, *, poll_timeout: int = 10) -> Running:
    """Plain long polling: initialize → start polling → start, as ``run_polling`` does."""
    await _initialize(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0.0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    await app.start()
    services: Services = app.bot_data["services"]
    metrics: Metrics = app.bot_data["metrics"]
    return Running(app, services, Health(_telegram_health(app), state="ready"), metrics)


def _components(
    config: Config,
    services: Services | None,
    limits: Limits | None,
    base_url: str | None,
) -> tuple[App, Services, Pipeline, Health, Metrics]:
    services = services or build_services(config, store=PriorityStore(config.storage.path))
    metrics = Metrics()
    app = build_application(
        config,
        services,
        base_url=base_url,
        updater=False,
        limits=limits if limits is not None else Limits(),  # Telegram's flood limits
        metrics=metrics,
    )
    health = Health(_telegram_health(app))
    return app, services, Pipeline(app, services, metrics), health, metrics


async def _initialize(app: App) -> None:
    await app.initialize()
    if app.post_init is not None:  # run_polling/run_webhook would call it
        await app.post_init(app)


def _telegram_health(app: App) -> TelegramHealth:
    limiter = app.bot.rate_limiter
    return limiter.health if isinstance(limiter, TelegramRateLimiter) else TelegramHealth()


async def _prune_forever(services: Services) -> None:
    while True:
        with contextlib.suppress(Exception):
            gone = await services.store.run(inbox.prune)
            if gone:
                log.info("pruned %d processed inbox rows", gone)
        await asyncio.sleep(PRUNE_EVERY)


async def _set_webhook_until_done(running: Running, url: str, secret: str, max_conn: int) -> None:
    delay = 5.0
    while True:
        try:
            await running.app.bot.set_webhook(
                url,
                secret_token=secret,
                max_connections=max_conn,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            )
        except Exception as exc:
            log.warning("setWebhook failed (%s); retrying in %.0f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 300.0)
            continue
        running.health.webhook_set = True
        log.info("webhook registered with Telegram")
        return


async def start_webhook(
    config: Config,
    *,
    services: Services | None = None,
    limits: Limits | None = None,
    base_url: str | None = None,
    register: bool = True,
) -> Running:
    """Start the Application, process the backlog, listen, and register the webhook."""
    secret = config.webhook.secret_token
    if not secret:
        secret = secrets.token_urlsafe(32)
        log.info("no webhook.secret_token configured; generated one for this run")
    app, services, pipeline, health, metrics = _components(config, services, limits, base_url)
    await _initialize(app)
    await app.start()
    await pipeline.start_backlog()
    server = WebhookServer(secret, pipeline, health, metrics, asyncio.get_running_loop())
    ingest = IngestThread(server, config.webhook.host, config.webhook.port)
    running = Running(app, services, health, metrics, pipeline, server, ingest)
    running.port = await ingest.start()
    running._background.append(asyncio.create_task(_prune_forever(services)))
    if register:
        url = config.webhook.public_url.rstrip("/") + server.path
        try:
            await asyncio.wait_for(
                _set_webhook_until_done(running, url, secret, config.webhook.max_connections),
                30,
            )
        except TimeoutError:
            running._background.append(
                asyncio.create_task(
                    _set_webhook_until_done(running, url, secret, config.webhook.max_connections)
                )
            )
    health.state = "ready"
    log.info("webhook server listening on %s:%d", config.webhook.host, running.port)
    return running


async def start_polling_durable(
    config: Config,
    *,
    services: Services | None = None,
    limits: Limits | None = None,
    base_url: str | None = None,
    poll_timeout: int = 10,
) -> Running:
    """Long polling through the same inbox pipeline (and the same graceful shutdown)."""
    app, services, pipeline, health, metrics = _components(config, services, limits, base_url)
    await _initialize(app)
    await app.start()
    await pipeline.start_backlog()
    queue: asyncio.Queue[object] = asyncio.Queue()
    updater = Updater(app.bot, queue)
    await updater.initialize()
    running = Running(app, services, health, metrics, pipeline, updater=updater, polled=queue)

    async def feed() -> None:
        while True:
            update = await queue.get()
            try:
                if isinstance(update, Update):
                    data = update.to_dict()
                    await pipeline.accept(update.update_id, json.dumps(data), data, update)
            except Exception:
                log.exception("could not store update %s", getattr(update, "update_id", None))
            finally:
                queue.task_done()

    running._background.append(asyncio.create_task(feed()))
    running._background.append(asyncio.create_task(_prune_forever(services)))
    await updater.start_polling(
        poll_interval=0.0, timeout=poll_timeout, allowed_updates=list(ALLOWED_UPDATES)
    )
    health.state = "ready"
    return running


async def serve(
    config: Config,
    start: Callable[[Config], Awaitable[Running]],
    stop: asyncio.Event | None = None,
) -> int:
    """Start, wait for SIGTERM/SIGINT (or ``stop``), then shut down gracefully."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    running = await start(config)
    # The catalogue and search index are ~10^5 long-lived objects: keep them out of the
    # collector's full passes, which would otherwise pause every thread (the webhook too).
    gc.collect()
    gc.freeze()
    _return_freed_memory()
    await stop.wait()
    log.info("stopping: no new updates; finishing what is in flight")
    watchdog = threading.Timer(EXIT_DEADLINE - 1, _hard_exit)
    watchdog.daemon = True
    watchdog.start()
    try:
        kept = await running.stop(GRACE_SECONDS)
    finally:
        running.services.store.close()
        watchdog.cancel()
    log.info("stopped; %d unfinished updates stay in the inbox for the next start", kept)
    return 0


def _return_freed_memory() -> None:
    """Give the heap that start-up parsed through back to the system (glibc only).

    Reading the catalogue leaves many megabytes free but held by the allocator; without
    this they count against the process for its whole life.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _hard_exit() -> None:
    """Last resort when shutdown overruns: SQLite in WAL mode survives this like a crash."""
    log.error("shutdown took too long; exiting now (unfinished updates stay in the inbox)")
    logging.shutdown()
    os._exit(1)


def run(config: Config) -> int:
    """``python -m bot run`` in webhook mode."""
    if not config.webhook.public_url:
        print(
            "Chế độ webhook cần [webhook] public_url (địa chỉ https mà Telegram gọi tới).\n"
            "Webhook mode needs [webhook] public_url (the https address Telegram calls).",
            file=sys.stderr,
        )
        return 2
    return _run(serve(config, start_webhook))


def run_polling(config: Config) -> int:
    """``python -m bot run`` in polling mode, with the inbox and the graceful shutdown."""
    return _run(serve(config, start_polling_durable))


def _run(main: Coroutine[Any, Any, int]) -> int:
    try:
        return asyncio.run(main)
    except Exception as exc:
        log.error(
            "the bot could not start or stopped on an error: %s: %s", type(exc).__name__, exc
        )
        log.debug("details", exc_info=exc)
        return 1
