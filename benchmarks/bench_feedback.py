"""Benchmark: citizens file feedback concurrently through the real pipeline.

The real PTB Application (this process) long-polls the local Bot API stand-in
(bot/localapi.py) on loopback; the stand-in and the simulated citizens run in a child
process, as Telegram would run elsewhere, so the bot's process pays only for the bot.
SQLite is a file in WAL mode with ``synchronous=FULL``. Every simulated citizen
first walks the guided conversation to the summary (/phananh, kind, skip procedure,
content, no attachments, anonymous), then, in the measured phase, taps "Gửi phản ánh".
A submission is acknowledged when the stand-in receives the bot's "Đã ghi nhận" message;
latency runs from pushing the tap to that moment (long poll, PTB, the commit, the send).

Reported per concurrency level (taps in flight): submissions/s, acknowledgement latency
p50/p90/p99/max, lost (no confirmation, or no record), doubled (two confirmations, or two
records for one draft; a tenth of the citizens double-tap). The baseline is the domain
commit alone in the same process (``feedback.submit`` through the Store's writer thread,
same concurrency). Run: ``.venv/bin/python benchmarks/bench_feedback.py [--users N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application, build_services
from bot.localapi import JSON, LocalBotApi
from bot.server.lifecycle import start_polling
from bot.storage import open_store
from knowledge import catalogue as catalogue_mod
from knowledge import feedback as fb
from knowledge.clock import now as clock_now
from knowledge.search import SearchEngine
from knowledge.settings import (
    Config,
    FeedbackConfig,
    StorageConfig,
    TelegramConfig,
)
from knowledge.store import Store

TOKEN = "123456:BENCH-TOKEN"
GROUP = -100500
CONTENT = "Hồ sơ đăng ký khai sinh nộp từ đầu tháng đến nay chưa có kết quả, đã quá hẹn."
ACK = "Đã ghi nhận"


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) in milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index] * 1000


class Chats:
    """Every message the bot sends, per chat, as the stand-in receives it."""

    def __init__(self) -> None:
        self.queues: dict[int, asyncio.Queue[JSON]] = defaultdict(asyncio.Queue)
        self.acks: dict[int, list[float]] = defaultdict(list)
        self.group_posts = 0
        self.group_changed = asyncio.Event()

    def on_message(self, message: JSON) -> None:
        """Called by the stand-in for every message it records."""
        chat = int(message["chat_id"])
        if chat == GROUP:
            self.group_posts += 1
            self.group_changed.set()
            return
        if ACK in str(message.get("text") or ""):
            self.acks[chat].append(time.monotonic())
        self.queues[chat].put_nowait(message)

    async def next(self, chat: int, timeout: float = 30.0) -> JSON:
        """The next message to ``chat``."""
        return await asyncio.wait_for(self.queues[chat].get(), timeout)


class StandIn(LocalBotApi):
    """The local Bot API, telling when the bot first polls."""

    def __init__(self, token: str) -> None:
        super().__init__(token=token)
        self.polled = asyncio.Event()

    async def before_call(self, method: str, params: JSON) -> Any:
        """Note the first getUpdates."""
        if method == "getUpdates":
            self.polled.set()
        return None


def button(message: JSON, prefix: str) -> str:
    """The callback data of the first button starting with ``prefix``."""
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for b in row:
            data = str(b.get("callback_data") or "")
            if data.startswith(prefix):
                return data
    raise RuntimeError(f"no {prefix} button in {message.get('text', '')[:60]!r}")


async def walk_to_summary(api: LocalBotApi, chats: Chats, user: int) -> JSON:
    """One citizen's conversation up to the summary message (not measured)."""
    api.user_sends("/phananh", user=user)
    await chats.next(user)  # intro
    msg = await chats.next(user)
    draft = button(msg, "fb:kind:").split(":")[2]
    api.user_clicks(f"fb:kind:{draft}:khac", user=user, message=msg)
    msg = await chats.next(user)
    api.user_clicks(button(msg, "fb:proc:"), user=user, message=msg)
    await chats.next(user)
    api.user_sends(CONTENT, user=user)
    msg = await chats.next(user)
    api.user_clicks(button(msg, "fb:att:"), user=user, message=msg)
    msg = await chats.next(user)
    api.user_clicks(f"fb:ct:{draft}:no", user=user, message=msg)
    return await chats.next(user)


async def prepare(api: LocalBotApi, chats: Chats, users: Sequence[int]) -> dict[int, JSON]:
    """Walk every citizen to the summary, 200 conversations at a time."""
    gate = asyncio.Semaphore(200)

    async def one(user: int) -> tuple[int, JSON]:
        async with gate:
            return user, await walk_to_summary(api, chats, user)

    return dict(await asyncio.gather(*(one(u) for u in users)))


async def measure_bot(
    api: LocalBotApi,
    chats: Chats,
    summaries: dict[int, JSON],
    concurrency: int,
    double_tap_every: int = 10,
) -> dict[str, Any]:
    """Tap "Gửi" for every prepared citizen, ``concurrency`` taps in flight."""
    users = list(summaries)
    latencies: list[float] = []
    pending = iter(users)

    async def worker() -> None:
        for user in pending:
            summary = summaries[user]
            data = button(summary, "fb:ok:")
            start = time.monotonic()
            api.user_clicks(data, user=user, message=summary)
            if user % double_tap_every == 0:
                api.user_clicks(data, user=user, message=summary)  # a double tap
            while True:
                msg = await chats.next(user)
                if ACK in str(msg.get("text") or ""):
                    break
            latencies.append(chats.acks[user][0] - start)

    began = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.monotonic() - began
    return {"n": len(users), "elapsed": elapsed, "latencies": latencies}


async def measure_domain(
    store: Store, cfg: FeedbackConfig, n: int, concurrency: int, base: int
) -> dict[str, Any]:
    """Baseline: the same commit (feedback.submit) through the Store, no Telegram at all."""
    now = clock_now()

    def make_draft(db: Any, user: int) -> int:
        draft, _ = fb.start_draft(db, user, user, now, cfg)
        fb.set_kind(db, user, draft.id, "khac", now, cfg)
        fb.set_procedure(db, user, draft.id, None, now, cfg)
        fb.set_content(db, user, CONTENT, now, cfg)
        fb.finish_attachments(db, user, draft.id, now, cfg)
        fb.choose_contact(db, user, draft.id, False, now, cfg)
        return draft.id

    drafts = [
        (u, store.run_sync(lambda db, u=u: make_draft(db, u))) for u in range(base, base + n)
    ]
    latencies: list[float] = []
    pending = iter(drafts)

    async def worker() -> None:
        for user, draft_id in pending:
            start = time.monotonic()
            await store.run(lambda db, u=user, d=draft_id: fb.submit(db, u, d, clock_now(), cfg))
            latencies.append(time.monotonic() - start)

    began = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"n": n, "elapsed": time.monotonic() - began, "latencies": latencies}


def line(label: str, result: dict[str, Any]) -> str:
    """One row of the report."""
    lat = result["latencies"]
    rate = result["n"] / result["elapsed"]
    return (
        f"  {label:<34} {result['n']:>6} {rate:>8.0f}/s  p50 {pct(lat, 50):7.1f} ms"
        f"  p90 {pct(lat, 90):7.1f} ms  p99 {pct(lat, 99):7.1f} ms  max {max(lat) * 1000:7.1f} ms"
    )


async def driver(args: argparse.Namespace) -> int:
    """Child process: the stand-in and the citizens; prints one JSON line of results."""
    api = StandIn(token=TOKEN)
    await api.start()
    chats = Chats()
    api.on_outgoing = chats.on_message
    print(f"URL {api.base_url}", flush=True)
    await api.polled.wait()
    levels = [int(c) for c in args.concurrency.split(",")]
    total = args.users * len(levels)
    began = time.monotonic()
    everyone = list(range(1_000_000, 1_000_000 + total))
    summaries = await prepare(api, chats, everyone)
    prepared = time.monotonic() - began
    results = []
    for i, level in enumerate(levels):
        batch = {u: summaries[u] for u in everyone[i * args.users : (i + 1) * args.users]}
        result = await measure_bot(api, chats, batch, level)
        results.append({"level": level, **result})
    # the queue poster drains in the background; wait for it before counting
    deadline = time.monotonic() + 120
    while chats.group_posts < total and time.monotonic() < deadline:
        chats.group_changed.clear()
        try:
            await asyncio.wait_for(chats.group_changed.wait(), 5)
        except TimeoutError:
            break
    await asyncio.sleep(1.0)  # let any late duplicate show itself
    report = {
        "prepared": prepared,
        "updates": sum(1 for c in api.calls if c.method != "getUpdates"),
        "results": results,
        "lost": sum(1 for u in everyone if not chats.acks.get(u)),
        "doubled": sum(1 for u in everyone if len(chats.acks.get(u, [])) > 1),
        "group_posts": chats.group_posts,
        "total": total,
    }
    print("RESULT " + json.dumps(report), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    await api.stop()
    return 0


async def bench(args: argparse.Namespace) -> int:
    """Parent process: the bot; then the checks on the database and the baseline."""
    tmp = Path(tempfile.mkdtemp(prefix="bench_feedback_"))
    config = Config(
        telegram=TelegramConfig(token=TOKEN),
        storage=StorageConfig(path=str(tmp / "bot.db")),
        feedback=FeedbackConfig(officials_chat_id=GROUP),
    )
    catalogue = catalogue_mod.load()
    services = build_services(config, catalogue=catalogue, search=SearchEngine(catalogue))
    store = services.store
    mode = store.run_sync(lambda db: db.execute("PRAGMA journal_mode").fetchone()[0])
    sync = store.run_sync(lambda db: db.execute("PRAGMA synchronous").fetchone()[0])
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--driver",
        "--users",
        str(args.users),
        "--concurrency",
        args.concurrency,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stdin is not None
    url = (await child.stdout.readline()).decode().split()[1]
    app = build_application(config, services, base_url=url)
    running = await start_polling(app, poll_timeout=10)
    levels = [int(c) for c in args.concurrency.split(",")]
    print(
        f"bench_feedback: {args.users} submissions per level, levels {levels}; "
        f"SQLite journal_mode={mode}, synchronous={sync} (2 = FULL); {os.cpu_count()} CPUs",
        flush=True,
    )
    line_out = b""
    while not line_out.startswith(b"RESULT "):
        line_out = await child.stdout.readline()
        if not line_out:
            print("the driver died", file=sys.stderr)
            return 1
    report = json.loads(line_out[len("RESULT ") :])
    await running.stop()
    child.stdin.write(b"stop\n")
    await child.stdin.drain()
    await child.wait()
    total = report["total"]
    records = store.run_sync(lambda db: db.execute("SELECT count(*) FROM feedback").fetchone()[0])
    acked = store.run_sync(
        lambda db: db.execute(
            "SELECT count(*) FROM feedback WHERE acknowledged_at IS NOT NULL"
        ).fetchone()[0]
    )
    drafts = store.run_sync(
        lambda db: db.execute("SELECT count(DISTINCT draft_id) FROM feedback").fetchone()[0]
    )
    baseline = []
    domain_store = open_store(tmp / "domain.db")
    for i, level in enumerate(levels):
        result = await measure_domain(
            domain_store, config.feedback, args.users, level, 2_000_000 + i * args.users
        )
        baseline.append(line(f"domain commit, {level} in flight", result))
    domain_store.close()
    store.close()
    print(
        f"prepared {total} drafts to their summary in {report['prepared']:.1f} s "
        f"({report['updates']} Bot API calls in all)"
    )
    print(f"\n  {'submissions (a tenth double-tap)':<34} {'n':>6} {'rate':>10}")
    for result in report["results"]:
        print(line(f"bot, {result['level']} in flight", result))
    print("baseline, same process, no Telegram:")
    for row in baseline:
        print(row)
    ok = (
        records == total == acked == drafts
        and not report["lost"]
        and not report["doubled"]
        and report["group_posts"] == total
    )
    print(
        f"\nchecks: {records} records for {total} drafts ({drafts} distinct), {acked} "
        f"acknowledged in the DB; citizens without a confirmation {report['lost']}, "
        f"with two {report['doubled']}; posts to the officials' chat {report['group_posts']}"
        f" -> {'OK' if ok else 'FAILED'}"
    )
    print("goal: >= 200 submissions/s and p99 < 100 ms")
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=1000, help="submissions per level")
    parser.add_argument("--concurrency", default="1,10,50", help="taps in flight per level")
    parser.add_argument("--driver", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return asyncio.run(driver(args) if args.driver else bench(args))


if __name__ == "__main__":
    sys.exit(main())
