"""Prometheus metrics: one registry per running bot, served at ``/metrics`` in webhook mode."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlite_utils import Database

from knowledge import inbox

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_SLOW = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """Counters, gauges and latency histograms of one bot process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.webhook_requests = Counter(
            "tthc_webhook_requests", "Webhook requests by HTTP status.", ["status"], registry=r
        )
        self.webhook_ack_seconds = Histogram(
            "tthc_webhook_ack_seconds",
            "From request to answer for accepted webhook requests.",
            buckets=_FAST,
            registry=r,
        )
        self.updates = Counter("tthc_updates", "Updates received, by kind.", ["kind"], registry=r)
        self.updates_duplicate = Counter(
            "tthc_updates_duplicate", "Redelivered updates acknowledged, not reprocessed.",
            registry=r,
        )  # fmt: skip
        self.updates_processed = Counter(
            "tthc_updates_processed", "Updates handled, by outcome.", ["outcome"], registry=r
        )
        self.update_seconds = Histogram(
            "tthc_update_processing_seconds",
            "Time to handle one update (handlers and their Telegram calls).",
            buckets=_SLOW,
            registry=r,
        )
        self.errors = Counter(
            "tthc_errors", "Errors that reached the error handler, by type.", ["type"], registry=r
        )
        self.telegram_calls = Counter(
            "tthc_telegram_calls",
            "Bot API call attempts, by outcome.",
            ["outcome"],
            registry=r,
        )
        self.telegram_seconds = Histogram(
            "tthc_telegram_call_seconds",
            "Bot API call attempt latency.",
            buckets=_FAST,
            registry=r,
        )
        self.telegram_degraded = Gauge(
            "tthc_telegram_degraded", "1 while Bot API calls keep failing.", registry=r
        )
        self.searches = Counter("tthc_searches", "Catalogue searches.", registry=r)
        self.search_seconds = Histogram(
            "tthc_search_seconds", "Catalogue search latency.", buckets=_FAST, registry=r
        )
        self.submissions = Gauge(
            "tthc_feedback_submissions", "Feedback records stored.", registry=r
        )
        self.inbox_pending = Gauge(
            "tthc_inbox_pending", "Accepted updates waiting to be processed.", registry=r
        )
        self.in_flight = Gauge(
            "tthc_updates_in_flight", "Updates being processed now.", registry=r
        )

    def observe_call(self, outcome: str, seconds: float) -> None:
        """One Bot API call attempt (called by the rate limiter)."""
        self.telegram_calls.labels(outcome).inc()
        self.telegram_seconds.observe(seconds)

    async def count_error(self, update: object, context: Any) -> None:
        """PTB error handler: count the error by type (the logging one is handlers.errors)."""
        self.errors.labels(type(getattr(context, "error", None)).__name__).inc()

    def refresh_from_db(self, db: Database) -> None:
        """Gauges read from the store (run on the writer thread before a scrape)."""
        self.inbox_pending.set(inbox.pending_count(db))
        row = db.execute("SELECT count(*) FROM feedback").fetchone()
        self.submissions.set(int(row[0]))

    def render(self) -> bytes:
        """The text exposition format."""
        return bytes(generate_latest(self.registry))


def update_kind(data: dict[str, Any]) -> str:
    """The kind of a raw update (``message``, ``callback_query`` ...), for labels."""
    for key in data:
        if key != "update_id":
            return key if len(key) <= 32 and key.isidentifier() else "other"
    return "empty"


def instrument_search(engine: object, metrics: Metrics) -> None:
    """Count and time ``engine.search`` calls into ``metrics`` (the latest one wins)."""
    state: dict[str, Any] | None = getattr(engine, "__dict__", None)
    if state is None:  # a slotted engine cannot be wrapped; searches stay uncounted
        return
    state["_metrics_sink"] = metrics
    if "_unwrapped_search" in state:
        return
    original: Callable[..., Any] = engine.search  # type: ignore[attr-defined]
    state["_unwrapped_search"] = original

    @functools.wraps(original)
    def search(*args: Any, **kwargs: Any) -> Any:
        sink: Metrics = state["_metrics_sink"]  # type: ignore[index]
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            sink.searches.inc()
            sink.search_seconds.observe(time.perf_counter() - started)

    state["search"] = search
