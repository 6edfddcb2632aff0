"""Production mode: the webhook server, the durable inbox pipeline, health, metrics, shutdown.

Every update, from the webhook or from long polling, goes through :class:`Pipeline`: it is
committed to the ``inbox`` table keyed by ``update_id`` first (only then does Telegram get
its 200), processed by the PTB Application after that, and marked processed at the end.
A redelivered ``update_id`` is acknowledged and not processed again; rows left unprocessed
by a crash or a shutdown are processed first at the next start. ``SIGTERM`` stops taking
updates, gives in-flight ones a grace period, leaves the rest in the inbox and exits
within 30 seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import hmac
import json
import logging
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Updater

from bot.app import App, build_application, build_services
from bot.ratelimit import Limits, TelegramHealth, TelegramRateLimiter
from bot.server.inbox import InboxWriter, PriorityStore
from bot.server.metrics import CONTENT_TYPE, Metrics, update_kind
from handlers.common import Services, mark_recovered
from knowledge import inbox
from knowledge.settings import Config

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_SECRET = 256  # Telegram: 1-256 characters A-Z a-z 0-9 _ -
MAX_BODY = 1 << 20  # an update is a few kilobytes; 1 MiB leaves room for long captions
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "inline_query")
GRACE_SECONDS = 20.0  # after SIGTERM, in-flight updates get this long to finish
EXIT_DEADLINE = 30.0  # the process is gone by then, whatever happens
PRUNE_EVERY = 3600.0


def webhook_path(secret: str) -> str:
    """The webhook's URL path: derived from the secret, so it is unguessable without it.

    The path is a keyed hash rather than the secret itself, so a reverse proxy's access log
    never holds the value that authenticates the header.
    """
    digest = hmac.new(secret.encode(), b"tthc-webhook-path", hashlib.sha256).hexdigest()
    return f"/telegram/{digest[:40]}"


class Rejected(Exception):
    """A webhook request refused at the edge (the status is what the caller gets)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _ChatLane:
    """One chat's turn-taking: a FIFO lock and how many updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


@dataclass
class Pipeline:
    """Inbox → Application: commit first, process after, mark processed at the end.

    A chat's updates are processed one at a time in order of arrival; a chat waiting for
    its turn does not hold one of the Application's concurrency slots.
    """

    app: App
    services: Services
    metrics: Metrics
    accepting: bool = True
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _chats: dict[int, _ChatLane] = field(default_factory=dict)
    writer: InboxWriter = field(init=False)

    def __post_init__(self) -> None:
        self.writer = InboxWriter(self.services.store)

    async def accept(
        self, update_id: int, body: str, data: dict[str, Any], update: Update | None = None
    ) -> bool:
        """Commit the raw update; process it if new. Returns False for a redelivery.

        While draining, a new update is committed but left for the next start.
        """
        new = await self.writer.accept(update_id, body)
        self.metrics.updates.labels(update_kind(data)).inc()
        if not new:
            self.metrics.updates_duplicate.inc()
            return False
        if self.accepting:
            self._spawn(update_id, data, update)
        return True

    def dispatch(self, update_id: int, data: dict[str, Any], update: Update | None) -> None:
        """Process an update the webhook thread committed (called on the main loop)."""
        self.metrics.updates.labels(update_kind(data)).inc()
        if self.accepting:
            self._spawn(update_id, data, update)

    async def start_backlog(self) -> int:
        """Queue the rows a crash or a shutdown left unprocessed, oldest first."""
        rows, gave_up = await self.services.store.run(inbox.claim_backlog)
        mark_recovered(self.app.bot_data, [row.update_id for row in rows])
        for update_id in gave_up:
            log.warning("update %s kept failing at start-up; given up", update_id)
            self.metrics.updates_processed.labels("gave_up").inc()
        for row in rows:
            try:
                data = json.loads(row.body)
            except ValueError:
                data = None
            if not isinstance(data, dict):
                await self._finish(row.update_id, "invalid")
                continue
            self._spawn(row.update_id, data)
        if rows:
            log.info("processing %d updates left in the inbox", len(rows))
        return len(rows)

    def _spawn(self, update_id: int, data: dict[str, Any], update: Update | None = None) -> None:
        task = asyncio.create_task(
            self._process(update_id, data, update), name=f"update-{update_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, update_id: int, data: dict[str, Any], update: Update | None) -> None:
        started = time.perf_counter()
        self.metrics.in_flight.inc()
        try:
            if update is None:
                try:
                    update = Update.de_json(data, self.app.bot)
                except Exception:
                    log.warning("update %s could not be parsed; skipped", update_id)
                    await self._finish(update_id, "invalid")
                    return
            key = _chat_of(update)
            lane = self._chats.get(key) or self._chats.setdefault(key, _ChatLane())
            lane.users += 1
            try:
                async with lane.lock:
                    coroutine = self.app.process_update(update)
                    try:
                        await self.app.update_processor.process_update(update, coroutine)
                    finally:
                        coroutine.close()  # no-op when it ran; no "never awaited" if cancelled
            finally:
                lane.users -= 1
                if lane.users == 0:
                    del self._chats[key]
            await self._finish(update_id, "done")
            self.metrics.update_seconds.observe(time.perf_counter() - started)
        finally:
            self.metrics.in_flight.dec()

    async def _finish(self, update_id: int, outcome: str) -> None:
        self.writer.processed(update_id, outcome)
        self.metrics.updates_processed.labels(outcome).inc()

    @property
    def in_flight(self) -> int:
        """Updates being processed now."""
        return len(self._tasks)

    async def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is in flight; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._tasks:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            await asyncio.wait(set(self._tasks), timeout=remaining)
        await self.writer.flush()
        return True

    async def drain(self, grace: float) -> int:
        """Stop taking updates; let in-flight ones finish within ``grace``, cancel the rest.

        A cancelled update is not marked processed: it stays in the inbox for the next start.
        Returns how many were cancelled.
        """
        self.accepting = False
        if await self.wait_idle(grace):
            return 0
        left = list(self._tasks)
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await self.writer.flush()
        log.warning("%d updates did not finish in time; kept in the inbox", len(left))
        return len(left)


@dataclass
class Health:
    """What ``/healthz`` reports."""

    telegram: TelegramHealth
    state: str = "starting"  # starting | ready | stopping
    webhook_set: bool = False

    def status(self) -> tuple[int, dict[str, Any]]:
        """HTTP status and JSON body: 200 when ready, 503 when not (or degraded)."""
        degraded = self.telegram.degraded
        if self.state != "ready":
            label = self.state
        elif degraded:
            label = "degraded"
        else:
            label = "ok"
        body: dict[str, Any] = {
            "status": label,
            "telegram": "failing" if degraded else "ok",
            "webhook_set": self.webhook_set,
        }
        if degraded:
            body["last_error"] = self.telegram.last_error
        return (200 if label == "ok" else 503), body


class WebhookServer:
    """The aiohttp application: the webhook route, ``/healthz`` and ``/metrics``.

    It runs on its own thread and event loop (:class:`IngestThread`), so acknowledging an
    update never waits for the main loop, however busy processing keeps it: it commits
    to the inbox through the store's fast lane, answers, and hands the update over.
    """

    def __init__(
        self,
        secret: str,
        pipeline: Pipeline,
        health: Health,
        metrics: Metrics,
        main_loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.secret = secret.encode()
        self.path = webhook_path(secret)
        self._path_key = self.path.rsplit("/", 1)[1].encode()
        self.pipeline = pipeline
        self.health = health
        self.metrics = metrics
        self.main_loop = main_loop
        self._last_logged: dict[str, float] = {}
        self._writer: InboxWriter | None = None  # created on the webhook thread's loop

    def web_app(self) -> web.Application:
        """Routes; the webhook path carries a key, checked in constant time."""
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post("/telegram/{key}", self.webhook)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_view)
        return app

    async def webhook(self, request: web.Request) -> web.Response:
        """Check, parse, commit to the inbox, then answer 200 (processing happens after)."""
        started = time.perf_counter()
        try:
            update_id, body, data, update = await self._check(request)
            if self.health.state == "stopping":
                raise Rejected(503, "stopping")
            if self._writer is None:
                self._writer = InboxWriter(self.pipeline.services.store)
            try:
                new = await self._writer.accept(update_id, body)
            except Exception:
                log.exception("could not store update %s", update_id)
                raise Rejected(500, "store") from None
            if new:
                self.main_loop.call_soon_threadsafe(
                    self.pipeline.dispatch, update_id, data, update
                )
            else:
                self.metrics.updates_duplicate.inc()
        except Rejected as exc:
            self.metrics.webhook_requests.labels(str(exc.status)).inc()
            if exc.status in (400, 403):
                self._log_refusal(exc.reason)
            return web.Response(status=exc.status)
        self.metrics.webhook_requests.labels("200").inc()
        self.metrics.webhook_ack_seconds.observe(time.perf_counter() - started)
        return web.Response(status=200)

    def _log_refusal(self, reason: str) -> None:
        """Log a refusal, at most once every 10 s per reason (the metric counts them all)."""
        now = time.monotonic()
        if now - self._last_logged.get(reason, -1e9) >= 10.0:
            self._last_logged[reason] = now
            log.warning("webhook request refused: %s", reason)

    async def _check(self, request: web.Request) -> tuple[int, str, dict[str, Any], Update]:
        key = request.match_info.get("key", "").encode()
        if not hmac.compare_digest(key, self._path_key):
            raise Rejected(403, "wrong path")
        header = request.headers.get(SECRET_HEADER)
        if header is None:
            raise Rejected(403, "missing secret")
        given = header.encode()
        if len(given) > MAX_SECRET or not hmac.compare_digest(given, self.secret):
            raise Rejected(403, "wrong secret")
        if request.content_type != "application/json":
            raise Rejected(400, "content type")
        if request.content_length is not None and request.content_length > MAX_BODY:
            raise Rejected(400, "body too large")
        raw = await request.content.read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            raise Rejected(400, "body too large")
        try:
            body = raw.decode("utf-8")
            data = json.loads(body)
        except ValueError:
            raise Rejected(400, "malformed JSON") from None
        if not isinstance(data, dict):
            raise Rejected(400, "not an object")
        update_id = data.get("update_id")
        if type(update_id) is not int or not 0 <= update_id < 2**62:
            raise Rejected(400, "bad update_id")
        try:
            update = Update.de_json(data, self.pipeline.app.bot)
        except Exception:
            raise Rejected(400, "not an update") from None
        return update_id, body, data, update

    async def healthz(self, request: web.Request) -> web.Response:
        """Ready (200) or not (503), with a small JSON body."""
        status, body = self.health.status()
        return web.json_response(body, status=status)

    async def metrics_view(self, request: web.Request) -> web.Response:
        """Prometheus text format."""
        with contextlib.suppress(Exception):
            store = self.pipeline.services.store
            run = getattr(store, "run_urgent", store.run)
            await run(self.metrics.refresh_from_db)
        self.metrics.telegram_degraded.set(1 if self.health.telegram.degraded else 0)
        self.metrics.in_flight.set(self.pipeline.in_flight)
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE})


class IngestThread:
    """Serves a :class:`WebhookServer` on a thread of its own, with its own event loop."""

    def __init__(self, server: WebhookServer, host: str, port: int) -> None:
        self.server = server
        self.host = host
        self.port = port
        self.loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._serve, name="webhook", daemon=True)
        self._started: Future[int] = Future()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._listen())
        except BaseException as exc:
            self._started.set_exception(exc)
            self.loop.close()
            return
        self.loop.run_forever()
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()

    async def _listen(self) -> None:
        runner = web.AppRunner(self.server.web_app(), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, backlog=256)
        await site.start()
        self._runner = runner
        self._started.set_result(_bound_port(site))

    async def start(self) -> int:
        """Start listening; returns the bound port."""
        # While the main loop is busy, the webhook thread gets the GIL within 1 ms, not 5.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))
        self._thread.start()
        return await asyncio.wrap_future(self._started)

    async def stop(self) -> None:
        """Close the listener and the open connections, then end the thread."""
        if not self._thread.is_alive():
            return
        if self._runner is not None:
            done = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.wrap_future(done), 5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        await asyncio.to_thread(self._thread.join, 5)


# ---- running ----------------------------------------------------------------------------
@dataclass
class Running:
    """A bot started in webhook or polling mode; :meth:`stop` is the graceful shutdown."""

    app: App
    services: Services
    pipeline: Pipeline
    health: Health
    metrics: Metrics
    server: WebhookServer | None = None
    ingest: IngestThread | None = None
    updater: Updater | None = None
    polled: asyncio.Queue[object] | None = None
    port: int = 0
    _background: list[asyncio.Task[None]] = field(default_factory=list)

    async def stop(self, grace: float = GRACE_SECONDS) -> int:
        """Stop taking updates, drain within ``grace``, shut down; returns updates kept."""
        self.health.state = "stopping"
        if self.updater is not None and self.updater.running:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.updater.stop(), 5)
        self.pipeline.accepting = False  # from now on: commit to the inbox, do not process
        if self.polled is not None:  # fetched updates go to the inbox before anything stops
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.polled.join(), 5)
        for task in self._background:
            task.cancel()
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
    limiter = app.bot.rate_limiter
    telegram_health = (
        limiter.health if isinstance(limiter, TelegramRateLimiter) else TelegramHealth()
    )
    return app, services, Pipeline(app, services, metrics), Health(telegram_health), metrics


async def _start_app(app: App) -> None:
    await app.initialize()
    if app.post_init is not None:  # run_polling/run_webhook would call it
        await app.post_init(app)
    await app.start()


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
    await _start_app(app)
    await pipeline.start_backlog()
    server = WebhookServer(secret, pipeline, health, metrics, asyncio.get_running_loop())
    ingest = IngestThread(server, config.webhook.host, config.webhook.port)
    running = Running(app, services, pipeline, health, metrics, server, ingest)
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
    await _start_app(app)
    await pipeline.start_backlog()
    queue: asyncio.Queue[object] = asyncio.Queue()
    updater = Updater(app.bot, queue)
    await updater.initialize()
    running = Running(app, services, pipeline, health, metrics, updater=updater, polled=queue)

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


def _chat_of(update: Update) -> int:
    """The chat (or, without one, the user) whose updates must stay in order."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return 0


def _bound_port(site: web.TCPSite) -> int:
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    return int(sockets[0].getsockname()[1]) if sockets else 0


# ---- the process -----------------------------------------------------------------------
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
