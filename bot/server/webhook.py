"""The webhook: Telegram's POSTs checked, committed to the inbox, acknowledged; ``/healthz``.

The aiohttp application runs on a thread and event loop of its own (:class:`IngestThread`),
so acknowledging an update never waits for the main loop, however busy processing keeps it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram import Update

from bot.ratelimit import TelegramHealth
from bot.server.inbox import InboxWriter
from bot.server.metrics import CONTENT_TYPE, Metrics
from bot.server.pipeline import Pipeline

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_SECRET = 256  # Telegram: 1-256 characters A-Z a-z 0-9 _ -
MAX_BODY = 1 << 20  # an update is a few kilobytes; 1 MiB leaves room for long captions


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


def _bound_port(site: web.TCPSite) -> int:
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    return int(sockets[0].getsockname()[1]) if sockets else 0
