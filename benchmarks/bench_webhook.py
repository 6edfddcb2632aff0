"""Benchmark the webhook: acknowledgement latency and throughput of the real bot process.

``python -m bot run`` runs in webhook mode as its own process (Telegram's pacing off: the
fake Bot API in this process is not Telegram) with the shipped catalogue and a SQLite file
with ``synchronous=FULL``. This process plays Telegram: it posts over 40 connections (the
default ``max_connections``) and answers the bot's Bot API calls.

1. ``/start`` burst: N distinct updates as fast as 40 connections go; acknowledgement
   p50/p99/max, acknowledgements per second, and updates processed per second.
2. Feedback load (R2): M complete reports (``/phananh`` → kind → procedure → text →
   attachments → anonymous → send, about 7 updates each) from M/4 citizens.
3. Baselines measured the same way: an aiohttp server in its own process that answers 200
   without doing anything (the HTTP floor), and the same server committing one row per
   request with ``synchronous=FULL`` (what acknowledging costs without group commit).

Run: ``.venv/bin/python benchmarks/bench_webhook.py [--updates 5000] [--submissions 2000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.server.webhook import webhook_path  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402
from tests.server_support import (  # noqa: E402
    SECRET,
    BotProcess,
    Hook,
    Outbox,
    bot_env,
    free_port,
    percentile,
    text_update,
    write_config,
)
from tests.test_reliability_load import run_load  # noqa: E402

BASELINE_SERVER = textwrap.dedent(
    """
    import sqlite3, sys
    from aiohttp import web
    port, db = int(sys.argv[1]), sys.argv[2]
    conn = None
    if db != "-":
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS inbox (update_id INTEGER PRIMARY KEY, body)")
    async def hook(request):
        body = await request.read()
        if conn is not None:
            conn.execute("INSERT OR IGNORE INTO inbox VALUES (?, ?)", (len(body), body))
        return web.Response()
    async def health(request):
        return web.Response()
    app = web.Application()
    app.router.add_post("/hook", hook)
    app.router.add_get("/healthz", health)
    web.run_app(app, host="127.0.0.1", port=port, print=None)
    """
)


async def burst(url: str, telegram: FakeTelegram, n: int, first_user: int) -> dict[str, float]:
    """Post n distinct /start updates over 40 connections; ack figures."""
    updates = [text_update(telegram, "/start", first_user + i % 1000) for i in range(n)]
    sem = asyncio.Semaphore(40)
    async with Hook(url, connections=40) as hook:

        async def post(update: dict[str, object]) -> None:
            async with sem:
                await hook.post(update)

        started = time.perf_counter()
        await asyncio.gather(*(post(u) for u in updates))
        elapsed = time.perf_counter() - started
    lat = hook.latencies
    return {
        "p50": percentile(lat, 50) * 1000,
        "p99": percentile(lat, 99) * 1000,
        "max": max(lat) * 1000,
        "per_s": n / elapsed,
        "ok": hook.statuses.get(200, 0),
    }


async def baseline(telegram: FakeTelegram, tmp: Path, n: int, commit: bool) -> dict[str, float]:
    """The do-nothing (or commit-per-request) aiohttp server in its own process."""
    port = free_port()
    db = str(tmp / f"baseline-{int(commit)}.db") if commit else "-"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BASELINE_SERVER, str(port), db, env=bot_env()
    )
    try:
        import aiohttp

        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        if resp.status == 200:
                            break
                await asyncio.sleep(0.05)
        return await burst(f"http://127.0.0.1:{port}/hook", telegram, n, 900_000)
    finally:
        proc.terminate()
        await proc.wait()


async def bot_burst(telegram: FakeTelegram, tmp: Path, n: int) -> dict[str, float]:
    """The real bot: acknowledgements, then time until every update was processed."""
    port = free_port()
    db = tmp / "burst.db"
    config = write_config(tmp / "burst.toml", telegram, db, port)
    proc = BotProcess(config, port, tmp / "burst.log", unpaced=True)
    Outbox(telegram)
    ready = await proc.start()
    try:
        started = time.perf_counter()
        figures = await burst(f"http://127.0.0.1:{port}{webhook_path(SECRET)}", telegram, n, 1)
        while True:
            with contextlib.closing(sqlite3.connect(db)) as conn:
                left = conn.execute(
                    "SELECT count(*) FROM inbox WHERE processed_at IS NULL"
                ).fetchone()[0]
            if left == 0:
                break
            await asyncio.sleep(0.1)
        figures["processed_per_s"] = n / (time.perf_counter() - started)
        figures["ready_s"] = ready
        await proc.terminate()
    finally:
        await proc.ensure_dead()
    return figures


def row(name: str, f: dict[str, float]) -> str:
    return f"{name:<34} {f['p50']:>8.1f} {f['p99']:>8.1f} {f['max']:>8.1f} {f['per_s']:>10.0f}"


async def main(updates: int, submissions: int) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    load_avg = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        floor = await baseline(telegram, base, updates, commit=False)
        per_commit = await baseline(telegram, base, updates, commit=True)
        bot = await bot_burst(telegram, base, updates)
        load_dir = base / "load"
        load_dir.mkdir()
        load = await run_load(telegram, load_dir, submissions, max(1, submissions // 4))
    await telegram.stop()
    print(f"machine: {os.cpu_count()} CPUs, load average {load_avg:.2f} at the start")
    print(f"\n1. /start burst, {updates} distinct updates over 40 connections")
    print(f"{'':<34} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'acks/s':>10}")
    print(row("aiohttp, answers 200 (floor)", floor))
    print(row("aiohttp + 1 commit/request (FULL)", per_commit))
    print(row("bot: inbox commit, then 200", bot))
    print(
        f"bot: all {updates} processed at {bot['processed_per_s']:.0f} updates/s"
        f" (handlers and their Bot API calls included); ready {bot['ready_s']:.1f} s after start;"
        f" ack p99 {bot['p99'] / floor['p99']:.1f}x the floor's"
    )
    print(f"\n2. feedback load, {submissions} complete reports from {submissions // 4} citizens")
    print(
        f"{load['submissions']:.0f} confirmed, {load['stored']:.0f} stored, lost"
        f" {load['lost']:.0f}, doubled {load['doubled']:.0f}, 'database is locked'"
        f" {load['locked']:.0f}; {load['updates']:.0f} webhook updates; ack p50"
        f" {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, max {load['max_ms']:.1f} ms"
        f" (server side p99 <= {load['server_p99_ms']:.0f} ms);"
        f" {load['per_second']:.1f} reports/s, {load['updates'] / load['seconds']:.0f} updates/s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--submissions", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.submissions))
