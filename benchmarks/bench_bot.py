"""Benchmark the real Application long-polling the local Bot API stand-in on loopback.

Reports start-up time to the first ``getUpdates`` with the shipped catalogue (in fresh
processes), text updates handled per second for a realistic mix of citizen messages from many
users, reply latency (update pushed → the bot's sendMessage/editMessageText arriving at the
stand-in) in bursts and at a paced rate, and two baselines measured the same way: the same
queries through ``SearchEngine.search`` alone, and an echo Application (``build_application``
with every handler replaced by one that answers "ok") for PTB + HTTP overhead. The stand-in
and the simulated citizens run in a second process by default, so the bot's CPU time per
update is its own: on a shared machine that figure is steadier than wall-clock throughput.
Run: ``.venv/bin/python benchmarks/bench_bot.py [--updates N] [--profile]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import logging
import math
import multiprocessing
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.app import App, build_application, build_services
from bot.localapi import JSON, LocalBotApi
from bot.server.lifecycle import Running, start_polling
from handlers.common import Services
from handlers.procedures import cards
from knowledge import catalogue as catalogue_mod
from knowledge.catalogue import Catalogue
from knowledge.search import SearchEngine
from knowledge.settings import Config, StorageConfig, TelegramConfig

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "sources" / "citizen_questions.txt"
LABELLED = ROOT / "tests" / "search_labelled.tsv"
TOKEN = "123456:BENCH-TOKEN"
USER_BASE = 100_000  # measured users: USER_BASE + 0 .. users-1
CALIBRATION_BASE = 500_000  # one chat per distinct payload during calibration
MAX_QUERY = 500  # handlers.procedures searches the first 500 characters
KINDS = ("short_vi", "short_ascii", "long", "chat", "start", "button")
MIX = {"short_vi": 25, "short_ascii": 15, "long": 20, "chat": 10, "start": 10, "button": 20}
KIND_LABELS = {
    "short_vi": "short, diacritics",
    "short_ascii": "short, no diacritics",
    "long": "long question",
    "chat": "chit-chat",
    "start": "/start",
    "button": "button p:<code>",
}
FALLBACK = {
    "short_vi": ["đăng ký khai sinh", "cấp hộ chiếu", "lý lịch tư pháp", "đăng ký kết hôn"],
    "short_ascii": ["dang ky khai sinh", "ho chieu", "ly lich tu phap", "dang ky ket hon"],
    "long": ["cho em hỏi làm giấy khai sinh cho con thì cần mang theo giấy tờ gì ạ"],
    "chat": ["xin chào", "cảm ơn bạn", "ok", "bạn là ai vậy"],
}


# ---- workload ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Item:
    """One citizen action: a text (kind != button) or a button's callback data."""

    kind: str
    payload: str


def _has_diacritics(text: str) -> bool:
    """True when the text has any non-ASCII letter (Vietnamese typed with its accents)."""
    return any(ord(ch) > 127 and ch.isalpha() for ch in text)


def load_pools(catalogue: Catalogue, rng: random.Random) -> tuple[dict[str, list[str]], str]:
    """Real queries per kind, from tests/search_labelled.tsv and citizen_questions.txt."""
    pools: dict[str, list[str]] = {k: [] for k in KINDS}
    codes: list[str] = []
    sources = []
    if LABELLED.exists():
        sources.append(LABELLED.name)
        for line in LABELLED.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("#") or len(parts) < 2 or not parts[1].strip():
                continue
            kind, query = parts[0], parts[1].strip()
            if kind == "short":
                pools["short_vi" if _has_diacritics(query) else "short_ascii"].append(query)
            elif kind == "natural":
                pools["long"].append(query)
            elif kind == "chat":
                pools["chat"].append(query)
            if len(parts) > 2:
                codes += [c for c in parts[2].split() if c != "-"]
    if QUESTIONS.exists():
        sources.append(QUESTIONS.name)
        pools["long"] += [
            q.strip() for q in QUESTIONS.read_text("utf-8").splitlines() if q.strip()
        ]
    for kind, fallback in FALLBACK.items():
        if not pools[kind]:
            pools[kind] = list(fallback)
            sources.append(f"built-in {kind}")
    everything = [p.code for p in catalogue.procedures]
    codes += rng.sample(everything, min(100, len(everything)))
    pools["start"] = ["/start"]
    pools["button"] = sorted({f"p:{c}" for c in codes if catalogue.get(c) is not None})
    return pools, " + ".join(sources)


def make_workload(
    n: int, users: int, pools: dict[str, list[str]], rng: random.Random
) -> list[tuple[int, Item]]:
    """``n`` (user, item) pairs drawn with the MIX weights from ``users`` distinct users."""
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    out = []
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        out.append((USER_BASE + rng.randrange(users), Item(kind, rng.choice(pools[kind]))))
    return out


# ---- the stand-in, instrumented --------------------------------------------------------------
class BenchApi(LocalBotApi):
    """The stand-in, noting the first poll and counting calls per method."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.first_poll: float | None = None
        self.polled = asyncio.Event()
        self.methods: Counter[str] = Counter()

    async def before_call(self, method: str, params: JSON) -> None:
        """Count the call; note the first getUpdates."""
        self.methods[method] += 1
        if method == "getUpdates" and self.first_poll is None:
            self.first_poll = time.monotonic()
            self.polled.set()

    def reset(self) -> None:
        """Forget recorded calls and messages (between runs)."""
        self.calls.clear()
        self.outgoing.clear()
        self.methods.clear()

    def send(self, user: int, item: Item) -> None:
        """The user sends the item's text or presses its button."""
        if item.kind == "button":
            message = {"message_id": 1, "chat_id": user, "text": "…"}
            self.user_clicks(item.payload, user=user, message=message)
        else:
            self.user_sends(item.payload, user=user)


@dataclass
class Pending:
    """An update waiting for its replies."""

    kind: str
    pushed: float
    expected: int
    first: float | None = None
    seen: int = 0


@dataclass
class Tracker:
    """Matches the bot's messages to pushed updates by chat and order."""

    target: int
    pending: defaultdict[int, deque[Pending]] = field(default_factory=lambda: defaultdict(deque))
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    done: int = 0
    unmatched: int = 0
    last: float = 0.0
    finished: asyncio.Event = field(default_factory=asyncio.Event)

    def expect(self, chat: int, kind: str, expected: int) -> None:
        """Note an update about to be pushed to ``chat``."""
        self.pending[chat].append(Pending(kind, time.monotonic(), expected))

    def on_message(self, msg: JSON) -> None:
        """A message the bot sent or edited arrived at the stand-in."""
        now = time.monotonic()
        queue = self.pending.get(int(msg["chat_id"]))
        if not queue:
            self.unmatched += 1
            return
        head = queue[0]
        if head.first is None:
            head.first = now
            self.latency[head.kind].append(now - head.pushed)
        head.seen += 1
        if head.seen >= head.expected:
            queue.popleft()
            self.done += 1
            self.last = now
            if self.done >= self.target:
                self.finished.set()


@dataclass
class RunResult:
    """One measured run."""

    updates: int
    elapsed: float
    latency: dict[str, list[float]]
    unmatched: int
    methods: Counter[str]
    bot_cpu: float  # CPU seconds of the bot's process (all threads) during the run
    standin_cpu: float  # CPU seconds of the stand-in's process (the same one when inline)
    load1: float  # the machine's 1-minute load average when the run began

    @property
    def rate(self) -> float:
        """Updates handled per second (wall clock)."""
        return self.updates / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def cpu_ms(self) -> float:
        """The bot's CPU milliseconds per update (robust to other load on the machine)."""
        return self.bot_cpu / max(1, self.updates) * 1000

    @property
    def capacity(self) -> float:
        """Updates per second the bot would handle with a whole core to itself."""
        return 1000 / self.cpu_ms if self.cpu_ms > 0 else 0.0

    def all(self) -> list[float]:
        """Every first-reply latency."""
        return [x for values in self.latency.values() for x in values]


def pct(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (NaN when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    """Seconds as milliseconds, for the report."""
    return f"{seconds * 1000:8.1f} ms"


# ---- running the load (in whichever process hosts the stand-in) -----------------------------
Expected = dict[Item, int] | None  # messages each item produces; None: one each


async def run_load(
    api: BenchApi,
    workload: Sequence[tuple[int, Item]],
    expected: Expected,
    rate: float | None = None,
    timeout: float = 120.0,
) -> RunResult:
    """Push the workload (all at once, or at ``rate`` per second) and wait for every reply."""
    api.reset()
    tracker = Tracker(len(workload))
    api.on_outgoing = tracker.on_message
    load1 = os.getloadavg()[0]
    cpu = time.process_time()
    start = time.monotonic()
    i = 0
    while i < len(workload):
        due = len(workload) if rate is None else int((time.monotonic() - start) * rate) + 1
        for user, item in workload[i:due]:
            tracker.expect(user, item.kind, 1 if expected is None else expected[item])
            api.send(user, item)
        i = max(i, min(due, len(workload)))
        if i < len(workload):
            await asyncio.sleep(0.002)
    try:
        await asyncio.wait_for(tracker.finished.wait(), timeout)
    except TimeoutError:
        print(f"  ! timed out: {tracker.done}/{len(workload)} updates answered", file=sys.stderr)
    api.on_outgoing = None
    cpu = time.process_time() - cpu
    return RunResult(
        updates=tracker.done,
        elapsed=tracker.last - start,
        latency=dict(tracker.latency),
        unmatched=tracker.unmatched,
        methods=Counter(api.methods),
        bot_cpu=cpu,
        standin_cpu=cpu,
        load1=load1,
    )


async def calibrate(api: BenchApi, items: Sequence[Item], quiet: float = 0.5) -> list[int]:
    """How many messages each distinct item produces (one fresh chat each); also warms up."""
    per_chat: Counter[int] = Counter()

    def count(msg: JSON) -> None:
        per_chat[int(msg["chat_id"])] += 1

    api.reset()
    api.on_outgoing = count
    for i, item in enumerate(items):
        api.send(CALIBRATION_BASE + i, item)
    deadline = time.monotonic() + 120
    seen, changed = -1, time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        total = sum(per_chat.values())
        if total != seen:
            seen, changed = total, time.monotonic()
            continue
        still = time.monotonic() - changed
        if still > 5 * quiet or (still > quiet and len(per_chat) >= len(items)):
            break
    api.on_outgoing = None
    return [per_chat[CALIBRATION_BASE + i] for i in range(len(items))]


class Driver:
    """The stand-in and the simulated citizens, seen from the bot's process."""

    base_url = ""

    async def release(self) -> None:
        """Answer pending long polls at once (before stopping an Application)."""

    async def reopen(self) -> None:
        """Accept long polls again."""

    async def calibrate(self, items: Sequence[Item]) -> list[int]:
        """Messages per distinct item (see :func:`calibrate`)."""
        raise NotImplementedError

    async def load(
        self, workload: Sequence[tuple[int, Item]], expected: Expected, rate: float | None = None
    ) -> RunResult:
        """One measured run (see :func:`run_load`); ``bot_cpu`` is this process's CPU."""
        raise NotImplementedError

    async def close(self) -> None:
        """Stop the stand-in."""


class InlineDriver(Driver):
    """The stand-in in the bot's own process and event loop (its CPU counts as the bot's)."""

    def __init__(self, api: BenchApi) -> None:
        self.api = api
        self.base_url = api.base_url

    async def release(self) -> None:
        """See :meth:`Driver.release`."""
        self.api.release_long_polls()

    async def reopen(self) -> None:
        """See :meth:`Driver.reopen`."""
        self.api.reopen()

    async def calibrate(self, items: Sequence[Item]) -> list[int]:
        """See :meth:`Driver.calibrate`."""
        return await calibrate(self.api, items)

    async def load(
        self, workload: Sequence[tuple[int, Item]], expected: Expected, rate: float | None = None
    ) -> RunResult:
        """See :meth:`Driver.load`."""
        return await run_load(self.api, workload, expected, rate)

    async def close(self) -> None:
        """See :meth:`Driver.close`."""
        await self.api.stop()


def _standin_process(conn: Connection) -> None:
    """Entry point of the stand-in process: serve commands from the bot's process."""
    asyncio.run(_standin_serve(conn))


async def _standin_serve(conn: Connection) -> None:
    """Run the stand-in and the simulated citizens; answer each command on ``conn``."""
    api = BenchApi()
    await api.start()
    conn.send(api.base_url)
    loop = asyncio.get_running_loop()
    while True:
        command, payload = await loop.run_in_executor(None, conn.recv)
        if command == "close":
            break
        result: object = None
        if command == "release":
            api.release_long_polls()
        elif command == "reopen":
            api.reopen()
        elif command == "calibrate":
            result = await calibrate(api, payload)
        elif command == "load":
            result = await run_load(api, *payload)
        conn.send(result)
    await api.stop()
    conn.send(None)


class ProcessDriver(Driver):
    """The stand-in and the citizens in a second process: this process's CPU is the bot's."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_standin_process, args=(child,), daemon=True)
        self.process.start()
        self.base_url = str(self.conn.recv())

    def _roundtrip(self, command: str, payload: object) -> Any:
        self.conn.send((command, payload))
        return self.conn.recv()

    async def _call(self, command: str, payload: object = None) -> Any:
        return await asyncio.to_thread(self._roundtrip, command, payload)

    async def release(self) -> None:
        """See :meth:`Driver.release`."""
        await self._call("release")

    async def reopen(self) -> None:
        """See :meth:`Driver.reopen`."""
        await self._call("reopen")

    async def calibrate(self, items: Sequence[Item]) -> list[int]:
        """See :meth:`Driver.calibrate`."""
        counts: list[int] = await self._call("calibrate", list(items))
        return counts

    async def load(
        self, workload: Sequence[tuple[int, Item]], expected: Expected, rate: float | None = None
    ) -> RunResult:
        """See :meth:`Driver.load`."""
        cpu = time.process_time()
        result: RunResult = await self._call("load", (list(workload), expected, rate))
        result.bot_cpu = time.process_time() - cpu
        return result

    async def close(self) -> None:
        """See :meth:`Driver.close`."""
        await self._call("close")
        self.process.join(5)


# ---- the bot ---------------------------------------------------------------------------------
def bench_config(db: Path, base_url: str) -> Config:
    """A config pointing at the stand-in, with its own SQLite file."""
    return Config(
        telegram=TelegramConfig(token=TOKEN, api_base_url=base_url),
        storage=StorageConfig(path=str(db)),
    )


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The echo baseline: the same Bot API calls as ours, but "ok" and no work."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        await query.edit_message_text("ok")
    elif update.effective_message is not None:
        await update.effective_message.reply_text("ok")


def build_echo(config: Config, services: Services, base_url: str) -> App:
    """build_application with every handler replaced by :func:`echo`."""
    app = build_application(config, services, base_url=base_url)
    for group, registered in list(app.handlers.items()):
        for handler in list(registered):
            app.remove_handler(handler, group)
    app.add_handler(TypeHandler(Update, echo))
    return app


async def stop(driver: Driver, running: Running) -> None:
    """Stop an Application quickly (release its long poll first)."""
    await driver.release()
    await running.stop()
    await driver.reopen()


# ---- profile ---------------------------------------------------------------------------------
AREAS: tuple[tuple[str, str], ...] = (
    ("site-packages/telegram/", "PTB (telegram, telegram.ext)"),
    ("site-packages/httpx/", "httpx/httpcore (getUpdates)"),
    ("site-packages/httpcore/", "httpx/httpcore (getUpdates)"),
    ("site-packages/h11/", "httpx/httpcore (getUpdates)"),
    ("site-packages/anyio/", "httpx/httpcore (getUpdates)"),
    ("site-packages/sniffio/", "httpx/httpcore (getUpdates)"),
    ("site-packages/aiohttp/", "aiohttp (bot's client; inline: + stand-in)"),
    ("site-packages/multidict/", "aiohttp (bot's client; inline: + stand-in)"),
    ("site-packages/yarl/", "aiohttp (bot's client; inline: + stand-in)"),
    ("site-packages/propcache/", "aiohttp (bot's client; inline: + stand-in)"),
    ("bot/transport.py", "aiohttp (bot's client; inline: + stand-in)"),
    ("bot/localapi.py", "stand-in (LocalBotApi, HTML checks)"),
    ("bot/telegram_html.py", "stand-in (LocalBotApi, HTML checks)"),
    ("benchmarks/", "benchmark driver"),
    ("knowledge/search/", "search (knowledge.search, textnorm)"),
    ("knowledge/textnorm.py", "search (knowledge.search, textnorm)"),
    ("site-packages/rapidfuzz/", "search (knowledge.search, textnorm)"),
    ("site-packages/numpy/", "search (knowledge.search, textnorm)"),
    ("handlers/", "our handlers (cards, i18n, split_html)"),
    ("bot/ratelimit.py", "bot: rate limiter, metrics"),
    ("bot/server/metrics.py", "bot: rate limiter, metrics"),
    ("site-packages/prometheus_client/", "bot: rate limiter, metrics"),
    ("knowledge/", "knowledge (other)"),
    ("bot/", "bot (other)"),
    ("/asyncio/", "asyncio event loop"),
    ("selectors.py", "asyncio event loop"),
    ("/json/", "json"),
    ("/logging/", "logging"),
)
IDLE = "idle (event loop waiting in epoll)"


def area_of(func: tuple[str, int, str]) -> str | None:
    """The area a profiled function belongs to (None: a C builtin, charged to its callers)."""
    filename, _, name = func
    if filename == "~":
        return IDLE if "poll' of 'select.epoll" in name else None
    for needle, area in AREAS:
        if needle in filename:
            return area
    return "other Python (stdlib)"


def attribute(stats: pstats.Stats) -> Counter[str]:
    """Self time per area; C builtins are charged to the Python code that called them."""
    totals: Counter[str] = Counter()
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for func, (_, _, tt, _, callers) in raw.items():
        area = area_of(func)
        if area is not None:
            totals[area] += tt
            continue
        charged = 0.0
        for caller, values in callers.items():
            caller_area = area_of(caller) or "C builtins called from C"
            totals[caller_area] += values[2]
            charged += values[2]
        if tt > charged:
            totals["C builtins called from C"] += tt - charged
    return totals


def print_profile(profile: cProfile.Profile, updates: int, top: int = 18) -> None:
    """Where the time went, per area and per function."""
    stats = pstats.Stats(profile)
    totals = attribute(stats)
    busy = sum(v for k, v in totals.items() if k != IDLE)
    print(f"\nProfile of one extra burst of ours ({updates} updates): cProfile, CPU time of the")
    print(
        "  bot's main thread; it inflates pure-Python code (PTB, httpx) more than C (rapidfuzz)."
    )
    print(f"  {'area':44} {'self s':>8} {'share':>7} {'µs/update':>10}")
    for area, value in totals.most_common():
        share = "" if area == IDLE else f"{value / busy:6.1%}"
        print(f"  {area:44} {value:8.2f} {share:>7} {value / updates * 1e6:10.0f}")
    print(f"  {'busy total':44} {busy:8.2f} {'':7} {busy / updates * 1e6:10.0f}")
    print(f"\n  top {top} functions by self time:")
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)
    shown = 0
    for func, (_, nc, tt, _, _) in rows:
        if area_of(func) == IDLE:
            continue
        filename, line, name = func
        where = "/".join(Path(filename).parts[-2:]) if filename != "~" else ""
        print(f"  {tt:7.2f}s {nc:8d}  {name[:48]:48} {where}:{line}")
        shown += 1
        if shown >= top:
            break


# ---- start-up (measured in a fresh process) -------------------------------------------------
async def startup_child() -> JSON:
    """In a fresh process: time every step from build_services to the first getUpdates."""
    marks: JSON = {"main": time.monotonic()}
    with tempfile.TemporaryDirectory() as tmp:
        api = BenchApi()
        await api.start()
        marks["api"] = time.monotonic()
        config = bench_config(Path(tmp) / "bot.db", api.base_url)
        catalogue = catalogue_mod.load()
        marks["catalogue"] = time.monotonic()
        engine = SearchEngine(catalogue)
        marks["index"] = time.monotonic()
        services = build_services(config, catalogue=catalogue, search=engine)
        marks["store"] = time.monotonic()
        app = build_application(config, services, base_url=api.base_url)
        marks["build"] = time.monotonic()
        running = await start_polling(app, poll_timeout=1)
        marks["started"] = time.monotonic()
        await asyncio.wait_for(api.polled.wait(), 30)
        marks["poll"] = api.first_poll
        for call in api.calls:
            marks.setdefault(f"call:{call.method}", call.at)
        marks["procedures"] = len(catalogue.procedures)
        await stop(InlineDriver(api), running)
        services.store.close()
        await api.stop()
    return marks


def measure_startup(runs: int) -> list[JSON]:
    """Spawn ``runs`` fresh processes; each reports monotonic marks relative to its spawn."""
    bare = []
    for _ in range(runs):
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.monotonic() - t0)
    results = []
    for _ in range(runs):
        t0 = time.monotonic()
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--startup-child"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        marks = json.loads(out.strip().splitlines()[-1])
        marks = {k: v - t0 if isinstance(v, float) else v for k, v in marks.items()}
        marks["bare"] = statistics.median(bare)
        results.append(marks)
    return results


def print_startup(results: list[JSON]) -> None:
    """The start-up table (median of the runs)."""

    def med(fn: Callable[[JSON], float]) -> float:
        return statistics.median(fn(r) for r in results)

    procedures = results[0]["procedures"]
    print(
        f"Start-up to the first getUpdates ({len(results)} fresh processes, median; "
        f"{procedures:,} procedures, fresh SQLite)"
    )
    rows: list[tuple[str, Callable[[JSON], float]]] = [
        ("interpreter start (python -c pass)", lambda r: r["bare"]),
        ("imports (telegram, aiohttp, bot, knowledge...)", lambda r: r["main"] - r["bare"]),
        ("stand-in start (not the bot's)", lambda r: r["api"] - r["main"]),
        ("catalogue load (catalogue.json.gz)", lambda r: r["catalogue"] - r["api"]),
        ("search-index build (SearchEngine)", lambda r: r["index"] - r["catalogue"]),
        ("store open + migrations (build_services)", lambda r: r["store"] - r["index"]),
        ("build_application", lambda r: r["build"] - r["store"]),
        ("Application initialise → first getUpdates", lambda r: r["poll"] - r["build"]),
        ("  of which initialize (getMe)", lambda r: r["call:getMe"] - r["build"]),
        (
            "  of which post_init (setMyCommands ×2, startup hooks)",
            lambda r: r["call:deleteWebhook"] - r["call:getMe"],
        ),
        (
            "  of which start polling (deleteWebhook → getUpdates)",
            lambda r: r["poll"] - r["call:deleteWebhook"],
        ),
    ]
    for label, fn in rows:
        print(f"  {label:56} {ms(med(fn))}")
    print(
        f"  {'from build_services to the first poll':56} {ms(med(lambda r: r['poll'] - r['api']))}"
    )
    print(f"  {'from process start to the first poll':56} {ms(med(lambda r: r['poll']))}")
    print(
        f"  {'  minus the stand-in start':56} "
        f"{ms(med(lambda r: r['poll'] - (r['api'] - r['main'])))}"
    )


# ---- baselines -------------------------------------------------------------------------------
def search_baseline(
    services: Services, workload: Sequence[tuple[int, Item]]
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Time the workload through search() alone, and search + card rendering (no Telegram)."""
    search: dict[str, list[float]] = defaultdict(list)
    domain: dict[str, list[float]] = defaultdict(list)
    for _, item in workload:
        if item.kind == "start":
            continue
        t0 = time.perf_counter()
        if item.kind == "button":
            proc = services.catalogue.get(item.payload.split(":", 1)[1])
            t1 = time.perf_counter()
            if proc is not None:
                cards.card("vi", proc, services.catalogue)
        else:
            result = services.search.search(item.payload[:MAX_QUERY], limit=5)
            t1 = time.perf_counter()
            if result.decision == "card" and result.hits:
                cards.card("vi", result.hits[0].procedure, services.catalogue)
        t2 = time.perf_counter()
        search[item.kind].append(t1 - t0)
        domain[item.kind].append(t2 - t0)
    return search, domain


# ---- report ----------------------------------------------------------------------------------
class ErrorCount(logging.Handler):
    """Counts warnings and errors logged by PTB, httpx and our handlers."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Count the record; keep the first few."""
        self.count += 1
        if len(self.first) < 3:
            self.first.append(f"{record.name}: {record.getMessage()[:160]}")


def print_runs(label: str, runs: list[RunResult]) -> None:
    """One line per run."""
    for i, run in enumerate(runs, 1):
        lat = run.all()
        print(
            f"  {label} #{i}: {run.updates} in {run.elapsed:5.2f} s = {run.rate:5.0f}/s | "
            f"bot CPU {run.cpu_ms:4.2f} ms/update ({run.bot_cpu / run.elapsed:4.0%} of a core) | "
            f"latency p50 {pct(lat, 50) * 1e3:5.0f} p99 {pct(lat, 99) * 1e3:5.0f} ms | "
            f"load {run.load1:.1f}"
        )


def median_of(runs: list[RunResult], fn: Callable[[RunResult], float]) -> float:
    """Median of a figure over runs."""
    return statistics.median(fn(r) for r in runs)


def print_latency_by_kind(label: str, run: RunResult) -> None:
    """p50/p90/p99 per kind of update."""
    polls = run.methods["getUpdates"] / max(1, run.updates)
    print(
        f"  {label}: {run.updates} updates; bot CPU {run.cpu_ms:.2f} ms/update "
        f"({run.bot_cpu / run.elapsed:.0%} of a core), {polls:.2f} getUpdates/update"
    )
    for kind in (*KINDS, "all"):
        values = run.all() if kind == "all" else run.latency.get(kind, [])
        if values:
            print(
                f"    {KIND_LABELS.get(kind, kind):22} n={len(values):4d}  "
                f"p50 {pct(values, 50) * 1e3:6.1f}  p90 {pct(values, 90) * 1e3:6.1f}  "
                f"p99 {pct(values, 99) * 1e3:6.1f} ms"
            )


def print_baseline(services: Services, workload: Sequence[tuple[int, Item]]) -> float:
    """The search-only baseline; returns search() seconds per update over the whole mix."""
    search, domain = search_baseline(services, workload)
    print("\nBaseline without Telegram: the same workload through search() alone, + card render")
    for kind in KINDS:
        if kind in search:
            s, d = search[kind], domain[kind]
            print(
                f"  {KIND_LABELS[kind]:22} n={len(s):5d}  search p50 {pct(s, 50) * 1e3:5.2f} "
                f"p99 {pct(s, 99) * 1e3:5.2f} ms   search+render p50 {pct(d, 50) * 1e3:5.2f} ms"
            )
    n = len(workload)
    total_search = sum(sum(v) for v in search.values())
    total_domain = sum(sum(v) for v in domain.values())
    print(
        f"  search(): {total_search / n * 1e3:.2f} ms per update over the mix "
        f"(→ {n / total_search:.0f} updates/s on one core); search + render "
        f"{total_domain / n * 1e3:.2f} ms (→ {n / total_domain:.0f}/s)"
    )
    return total_search / n


def print_summary(
    ours: list[RunResult],
    echo_runs: list[RunResult],
    paced: tuple[RunResult, RunResult | None],
    search_per_update: float,
    inline: bool,
) -> None:
    """Medians of ours and echo side by side, the split of the bot's CPU, and the goal."""
    ours_paced, echo_paced = paced
    figures: list[tuple[str, Callable[[RunResult], float], bool]] = [
        ("burst throughput, wall (updates/s)", lambda r: r.rate, True),
        ("bot CPU per update (ms)", lambda r: r.cpu_ms, True),
        ("capacity on a free core (updates/s)", lambda r: r.capacity, True),
        ("burst latency p50 (ms)", lambda r: pct(r.all(), 50) * 1e3, True),
        ("burst latency p99 (ms)", lambda r: pct(r.all(), 99) * 1e3, True),
        ("paced latency p50 (ms)", lambda r: pct(r.all(), 50) * 1e3, False),
        ("paced latency p99 (ms)", lambda r: pct(r.all(), 99) * 1e3, False),
    ]
    print(f"\nSummary (medians over {len(ours)} bursts)")
    print(f"  {'':38} {'ours':>9} {'echo':>9} {'ours/echo':>10}")
    for label, fn, burst in figures:
        a = median_of(ours, fn) if burst else fn(ours_paced)
        b: float | None = None
        if echo_runs:
            b = median_of(echo_runs, fn) if burst else (fn(echo_paced) if echo_paced else None)
        right = f"{b:9.1f} {a / b:10.2f}" if b else ""
        print(f"  {label:38} {a:9.1f} {right}")
    ours_ms = median_of(ours, lambda r: r.cpu_ms)
    where = "bot + stand-in + citizens (inline)" if inline else "bot process only"
    if echo_runs:
        echo_ms = median_of(echo_runs, lambda r: r.cpu_ms)
        print(
            f"  CPU per update ({where}): {ours_ms:.2f} ms = PTB + HTTP client "
            f"{echo_ms:.2f} ms (echo) + our handlers {ours_ms - echo_ms:.2f} ms "
            f"(of which search() {search_per_update * 1e3:.2f} ms)"
        )
    if not inline:
        standin = median_of(ours, lambda r: r.standin_cpu / max(1, r.updates) * 1e3)
        print(f"  stand-in + simulated citizens (other process): {standin:.2f} ms CPU per update")
    calls = ours[-1].methods
    per_update = ", ".join(
        f"{m} {c / max(1, ours[-1].updates):.2f}" for m, c in calls.most_common()
    )
    print(f"  Bot API calls per update (ours): {per_update}")
    rate = median_of(ours, lambda r: r.rate)
    capacity = median_of(ours, lambda r: r.capacity)
    verdict = "MET" if rate >= 500 else "MISSED"
    print(
        f"  goal ≥ 500 updates/s on this {os.cpu_count()}-core machine: {verdict} "
        f"(measured {rate:.0f}/s; {capacity:.0f}/s if the bot had a core to itself)"
    )


# ---- main ------------------------------------------------------------------------------------
async def bench(args: argparse.Namespace) -> None:
    """Everything after start-up: ours, echo, the search baseline, optionally a profile."""
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.WARNING)
    rng = random.Random(args.seed)
    catalogue = catalogue_mod.load()
    engine = SearchEngine(catalogue)
    pools, sources = load_pools(catalogue, rng)
    workload = make_workload(args.updates, args.users, pools, rng)
    mix = Counter(item.kind for _, item in workload)
    print(
        f"\nWorkload: {args.updates} updates from {args.users} users (seed {args.seed}), "
        f"queries from {sources}"
    )
    print("  " + ", ".join(f"{KIND_LABELS[k]} {mix[k]}" for k in KINDS))
    inline = args.standin == "inline"
    if inline:
        api = BenchApi()
        await api.start()
        driver: Driver = InlineDriver(api)
    else:
        driver = await asyncio.to_thread(ProcessDriver)
    print(
        "  stand-in + simulated citizens: "
        + ("in the bot's process and event loop" if inline else "in a separate process")
    )
    with tempfile.TemporaryDirectory() as tmp:
        config = bench_config(Path(tmp) / "bot.db", driver.base_url)
        services = build_services(config, catalogue=catalogue, search=engine)
        try:
            await _bench_apps(args, driver, config, services, workload, inline)
        finally:
            services.store.close()
            await driver.close()
    print(f"  warnings/errors logged by the bot: {errors.count}")
    for line in errors.first:
        print(f"    {line}")


async def _bench_apps(
    args: argparse.Namespace,
    driver: Driver,
    config: Config,
    services: Services,
    workload: list[tuple[int, Item]],
    inline: bool,
) -> None:
    """Ours (calibrate, bursts, paced, profile), then echo, then the search baseline."""
    running = await start_polling(
        build_application(config, services, base_url=driver.base_url), poll_timeout=10
    )
    distinct = sorted({item for _, item in workload}, key=lambda i: (i.kind, i.payload))
    t0 = time.monotonic()
    counts = dict(zip(distinct, await driver.calibrate(distinct), strict=True))
    print(
        f"\nCalibration + warm-up: {len(distinct)} distinct updates, one fresh chat each, "
        f"{time.monotonic() - t0:.1f} s; replies per update: {dict(Counter(counts.values()))}"
    )
    silent = [item for item in distinct if counts[item] == 0]
    if silent:
        print(f"  ! {len(silent)} items got no reply and are left out, e.g. {silent[:3]}")
        workload = [(u, i) for u, i in workload if counts[i] > 0]

    print("\nBursts: all updates pushed at once; wall throughput = updates / (last reply − push)")
    ours = [await driver.load(workload, counts) for _ in range(args.rounds)]
    print_runs("ours", ours)
    rate = args.rate or max(20.0, round(median_of(ours, lambda r: r.rate) * 0.4, -1))
    paced_workload = workload[: max(50, int(rate * args.paced_seconds))]
    ours_paced = await driver.load(paced_workload, counts, rate)
    profile: cProfile.Profile | None = None
    if args.profile:
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        profiled = await driver.load(workload, counts)
        profile.disable()
        print(f"  ours under cProfile: {profiled.rate:.0f}/s, {profiled.cpu_ms:.2f} ms/update")
    await stop(driver, running)

    echo_runs: list[RunResult] = []
    echo_paced: RunResult | None = None
    if not args.no_echo:
        running = await start_polling(
            build_echo(config, services, driver.base_url), poll_timeout=10
        )
        await driver.load(workload[:500], None)  # warm-up
        echo_runs = [await driver.load(workload, None) for _ in range(args.rounds)]
        print_runs("echo", echo_runs)
        echo_paced = await driver.load(paced_workload, None, rate)
        await stop(driver, running)

    print(
        f"\nPaced: {rate:.0f} updates/s offered for {len(paced_workload) / rate:.0f} s "
        "(reply latency without a queue in front)"
    )
    print_latency_by_kind("ours", ours_paced)
    if echo_paced is not None:
        print_latency_by_kind("echo", echo_paced)
    search_per_update = print_baseline(services, workload)
    print_summary(ours, echo_runs, (ours_paced, echo_paced), search_per_update, inline)
    if profile is not None:
        print_profile(profile, len(workload))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description="Benchmark the bot end to end on loopback.")
    p.add_argument("--updates", type=int, default=3000, help="updates per burst (3000)")
    p.add_argument("--users", type=int, default=200, help="distinct users (200)")
    p.add_argument("--rounds", type=int, default=3, help="bursts per application (3)")
    p.add_argument("--rate", type=float, default=0.0, help="paced rate (default: 0.4 × ours)")
    p.add_argument("--paced-seconds", type=float, default=4.0, help="length of the paced run")
    p.add_argument("--startup-runs", type=int, default=3, help="fresh processes for start-up")
    p.add_argument("--seed", type=int, default=20260101, help="workload seed")
    p.add_argument(
        "--standin",
        choices=("process", "inline"),
        default="process",
        help="stand-in + citizens in a separate process (default) or in the bot's event loop",
    )
    p.add_argument("--profile", action="store_true", help="cProfile one extra burst of ours")
    p.add_argument("--no-echo", action="store_true", help="skip the echo baseline")
    p.add_argument("--startup-child", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Start-up in fresh processes, then the load runs with the bot in this one."""
    args = parse_args(argv)
    if args.startup_child:
        print(json.dumps(asyncio.run(startup_child())))
        return 0
    began = time.monotonic()
    print(
        f"bench_bot: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}; PTB {_version('python-telegram-bot')}, "
        f"httpx {_version('httpx')}, aiohttp {_version('aiohttp')}"
    )
    if args.startup_runs:
        print_startup(measure_startup(args.startup_runs))
    asyncio.run(bench(args))
    print(f"(benchmark took {time.monotonic() - began:.0f} s)")
    return 0


def _version(dist: str) -> str:
    """An installed distribution's version."""
    with contextlib.suppress(Exception):
        return version(dist)
    return "?"


if __name__ == "__main__":
    sys.exit(main())
