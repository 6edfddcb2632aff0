"""Benchmark fast start-up: ``python -m bot run`` and ``python -m bot search`` against baselines.

What is measured, in one run, with each baseline interleaved with the measured command
(A, B, A, B, ... in every round) so that a change in machine load hits both alike:

1. Start-up to first ``getUpdates``: wall time from spawning ``python -m bot run --config
   <tmp config.toml>`` (polling mode, cwd = repo root, fresh SQLite file per run) to the first
   ``getUpdates`` request arriving at a fake Bot API served by this process on 127.0.0.1.
   Baseline: a plain python-telegram-bot echo bot (``ApplicationBuilder().token(...)
   .base_url(...).build()``, one echoing MessageHandler, ``run_polling()``) written to a
   temporary file and spawned the same way. Goal: median ratio bot/echo <= 2.
2. Resident memory after start-up: VmRSS (and the VmHWM peak) from ``/proc/<pid>/status``,
   read ``--settle`` seconds (default 0.5) after that first ``getUpdates``. Goal: median ratio
   bot/echo <= 2.
3. ``python -m bot search "khai sinh"`` wall time (exit code 0, non-empty output required).
   Baseline: ``python -c pass`` (interpreter start-up), for context. Goal: median < 0.6 s.
4. Only with ``--check N``: ``scripts/check`` (format, lint, types, tests on every core) N
   times, interleaved with the same checks running the tests on one core (``-n 0``, as the
   check ran before pytest-xdist) as the baseline. Goal: median exit 0 in < 240 s. Off by
   default because it takes minutes a run.

The fake Bot API answers ``POST /bot<token>/<method>`` for every method: ``getMe`` with a bot
user, ``getUpdates`` with an empty list after holding the long poll for up to 1 s, anything
else with ``true``. Every process gets its own token (``1000<n>:TEST``), which is how requests
are told apart. After each measurement the process gets SIGTERM (SIGKILL after 35 s) and is
gone before the next one starts. Proxy variables are removed from the children's environment
and ``TELEGRAM_BOT_TOKEN`` is set to the run's token (it overrides the config's token).

Run: ``.venv/bin/python benchmarks/bench_startup.py [--rounds N] [--check N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
HOLD_SECONDS = 1.0  # how long the fake API holds a getUpdates long poll
STOP_DEADLINE = 35.0  # SIGTERM, then SIGKILL after this long
START_TIMEOUT = 120.0  # give up on a process that has not polled by then
STARTUP_GOAL = 2.0
MEMORY_GOAL = 2.0
SEARCH_GOAL = 0.6
CHECK_GOAL = 240.0
SEARCH_QUERY = "khai sinh"
PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "ftp_proxy", "no_proxy"}

GET_ME = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Bench",
    "username": "bench_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}

ECHO_BOT = '''\
"""A plain python-telegram-bot echo bot: the start-up baseline."""

import os
import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def main() -> None:
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    app = ApplicationBuilder().token(token).base_url(sys.argv[1]).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling()


if __name__ == "__main__":
    main()
'''


# ---- the fake Bot API -------------------------------------------------------------------------
@dataclass
class Client:
    """What the fake API saw from one token (one process)."""

    first_poll: float | None = None
    calls: list[str] = field(default_factory=list)
    polled: threading.Event = field(default_factory=threading.Event)


class FakeBotApi:
    """An aiohttp Bot API stand-in on 127.0.0.1, running in its own thread and event loop."""

    def __init__(self) -> None:
        self.clients: dict[str, Client] = {}
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self.port = 0

    def client(self, token: str) -> Client:
        with self._lock:
            return self.clients.setdefault(token, Client())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)

    def stop(self) -> None:
        if self._runner is not None:
            future = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            with contextlib.suppress(Exception):
                future.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def _handle(self, request: web.Request) -> web.Response:
        arrived = time.perf_counter()
        parts = request.path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        token, method = parts[0][3:], parts[1]
        client = self.client(token)
        client.calls.append(method)
        name = method.lower()
        if name == "getupdates":
            if client.first_poll is None:
                client.first_poll = arrived
                client.polled.set()
            params = await _params(request)
            try:
                hold = min(HOLD_SECONDS, float(params.get("timeout", HOLD_SECONDS)))
            except (TypeError, ValueError):
                hold = HOLD_SECONDS
            await asyncio.sleep(max(hold, 0.0))
            return web.json_response({"ok": True, "result": []})
        await request.read()
        if name == "getme":
            return web.json_response({"ok": True, "result": GET_ME})
        return web.json_response({"ok": True, "result": True})


async def _params(request: web.Request) -> dict[str, Any]:
    """Form-encoded, multipart or JSON parameters; empty when there are none or they are odd."""
    with contextlib.suppress(Exception):
        if request.content_type == "application/json":
            data = await request.json()
            return dict(data) if isinstance(data, dict) else {}
        return dict(await request.post())
    return {}


# ---- processes ----------------------------------------------------------------------------
@dataclass
class PollRun:
    """One process started until its first getUpdates, then stopped."""

    startup: float
    rss_mib: float
    hwm_mib: float
    stop_seconds: float
    exit_code: int
    calls_before_poll: list[str]


def child_env(token: str | None) -> dict[str, str]:
    """The environment without proxies; TELEGRAM_BOT_TOKEN is the run's token (or unset)."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARS}
    env.pop("TELEGRAM_WEBHOOK_SECRET", None)
    env.pop("TELEGRAM_BOT_TOKEN", None)
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def read_memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid`` in MiB."""
    values: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                values[key] = int(rest.split()[0]) / 1024  # kB → MiB
    return values["VmRSS"], values["VmHWM"]


def stop_process(proc: subprocess.Popen[bytes]) -> tuple[float, int]:
    """SIGTERM, wait up to STOP_DEADLINE, then SIGKILL; returns (seconds, exit code)."""
    started = time.perf_counter()
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return time.perf_counter() - started, int(proc.returncode)


def tail(path: Path, lines: int = 25) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def poll_run(
    api: FakeBotApi, token: str, argv: Callable[[Path], list[str]], settle: float
) -> PollRun:
    """Spawn ``argv(workdir)``, time it to its first getUpdates, read its memory, stop it."""
    client = api.client(token)
    with tempfile.TemporaryDirectory(prefix="bench_startup_") as tmp:
        workdir = Path(tmp)
        log_path = workdir / "output.log"
        command = argv(workdir)
        with log_path.open("wb") as log:
            started = time.perf_counter()
            proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=child_env(token),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                deadline = started + START_TIMEOUT
                while not client.polled.wait(0.05):
                    if proc.poll() is not None or time.perf_counter() > deadline:
                        why = (
                            f"exited with code {proc.returncode}"
                            if proc.returncode is not None
                            else f"did not poll within {START_TIMEOUT:.0f} s"
                        )
                        raise RuntimeError(
                            f"{' '.join(command)}: {why}; its output ends:\n{tail(log_path)}"
                        )
                assert client.first_poll is not None
                startup = client.first_poll - started
                calls = list(client.calls)
                time.sleep(settle)
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{' '.join(command)}: exited with code {proc.returncode} right after "
                        f"its first getUpdates; its output ends:\n{tail(log_path)}"
                    )
                rss, hwm = read_memory(proc.pid)
            finally:
                stop_seconds, code = stop_process(proc)
    poll_at = next((i for i, m in enumerate(calls) if m.lower() == "getupdates"), len(calls))
    return PollRun(startup, rss, hwm, stop_seconds, code, calls[:poll_at])


def timed_command(argv: Sequence[str], *, need_output: bool) -> float:
    """Wall time of one command run to completion (exit code 0 required)."""
    started = time.perf_counter()
    done = subprocess.run(
        list(argv), cwd=ROOT, env=child_env(None), capture_output=True, stdin=subprocess.DEVNULL
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or (need_output and not done.stdout.strip()):
        stderr = done.stderr.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(
            f"{' '.join(argv)}: exit code {done.returncode}, {len(done.stdout)} bytes of output"
            f"\n{stderr}"
        )
    return elapsed


# ---- the benchmark ------------------------------------------------------------------------
@dataclass
class Samples:
    bot: list[PollRun] = field(default_factory=list)
    echo: list[PollRun] = field(default_factory=list)
    search: list[float] = field(default_factory=list)
    python: list[float] = field(default_factory=list)


def bot_command(api: FakeBotApi, token: str) -> Callable[[Path], list[str]]:
    def argv(workdir: Path) -> list[str]:
        config = workdir / "config.toml"
        config.write_text(
            "[telegram]\n"
            f"token = {json.dumps(token)}\n"
            f"api_base_url = {json.dumps(api.base_url)}\n"
            'mode = "polling"\n'
            "\n[storage]\n"
            f"path = {json.dumps(str(workdir / 'bot.db'))}\n",
            encoding="utf-8",
        )
        return [sys.executable, "-m", "bot", "run", "--config", str(config)]

    return argv


def echo_command(api: FakeBotApi, script: Path) -> Callable[[Path], list[str]]:
    def argv(workdir: Path) -> list[str]:
        return [sys.executable, str(script), api.base_url]

    return argv


def describe(label: str, run: PollRun) -> str:
    return (
        f"{label} {run.startup:5.2f} s  RSS {run.rss_mib:6.1f} MiB  HWM {run.hwm_mib:6.1f} MiB"
        f"  (stop {run.stop_seconds:.2f} s, exit {run.exit_code})"
    )


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (at least 3)")
    parser.add_argument("--warmup", type=int, default=1, help="discarded rounds first")
    parser.add_argument(
        "--settle", type=float, default=0.5, help="seconds after the first getUpdates for RSS"
    )
    parser.add_argument(
        "--check",
        type=int,
        default=0,
        metavar="N",
        help="also time scripts/check N times, against the tests on one core (-n 0)",
    )
    args = parser.parse_args(argv)
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")

    load = os.getloadavg()
    print("bench_startup: start-up time and memory of python -m bot (medians)")
    print(
        f"python {platform.python_version()} ({sys.executable}), "
        f"python-telegram-bot {version('python-telegram-bot')}, "
        f"aiohttp {version('aiohttp')}, httpx {version('httpx')}"
    )
    print(
        f"cpus {os.cpu_count()} (usable {len(os.sched_getaffinity(0))}), "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
        f"rounds {args.rounds} (+{args.warmup} warm-up), settle {args.settle:.1f} s"
    )

    api = FakeBotApi()
    api.start()
    samples = Samples()
    counter = 0

    def token() -> str:
        nonlocal counter
        counter += 1
        return f"1000{counter}:TEST"

    with tempfile.TemporaryDirectory(prefix="bench_startup_echo_") as tmp:
        script = Path(tmp) / "echo_bot.py"
        script.write_text(ECHO_BOT, encoding="utf-8")
        try:
            for n in range(args.warmup + args.rounds):
                warm = n < args.warmup
                name = f"warm-up {n + 1}" if warm else f"round {n - args.warmup + 1}"
                t = token()
                bot = poll_run(api, t, bot_command(api, t), args.settle)
                t = token()
                echo = poll_run(api, t, echo_command(api, script), args.settle)
                search = timed_command(
                    [sys.executable, "-m", "bot", "search", SEARCH_QUERY], need_output=True
                )
                python = timed_command([sys.executable, "-c", "pass"], need_output=False)
                suffix = " (discarded)" if warm else ""
                print(f"\n{name}{suffix}")
                print("  " + describe("bot run ", bot))
                print("  " + describe("echo bot", echo))
                print(f"  bot search {search:5.2f} s   python -c pass {python:5.2f} s")
                if not warm:
                    samples.bot.append(bot)
                    samples.echo.append(echo)
                    samples.search.append(search)
                    samples.python.append(python)
        except RuntimeError as exc:
            print(f"\nFAILED: {exc}", file=sys.stderr)
            return 1
        finally:
            api.stop()

    med = statistics.median
    bot_start = med(r.startup for r in samples.bot)
    echo_start = med(r.startup for r in samples.echo)
    bot_rss = med(r.rss_mib for r in samples.bot)
    echo_rss = med(r.rss_mib for r in samples.echo)
    bot_hwm = med(r.hwm_mib for r in samples.bot)
    echo_hwm = med(r.hwm_mib for r in samples.echo)
    search = med(samples.search)
    python = med(samples.python)

    print(f"\nmedians over {args.rounds} rounds")
    print(f"  {'':28} {'python -m bot':>14} {'baseline':>12} {'ratio':>7}")
    print(
        f"  {'start-up to first getUpdates':28} {bot_start:12.2f} s {echo_start:10.2f} s"
        f" {bot_start / echo_start:6.2f}×"
    )
    print(
        f"  {'VmRSS after start-up':28} {bot_rss:10.1f} MiB {echo_rss:8.1f} MiB"
        f" {bot_rss / echo_rss:6.2f}×"
    )
    print(
        f"  {'VmHWM (peak)':28} {bot_hwm:10.1f} MiB {echo_hwm:8.1f} MiB {bot_hwm / echo_hwm:6.2f}×"
    )
    print(
        f"  {'search / python -c pass':28} {search:12.2f} s {python:10.2f} s"
        f" {search / python:6.2f}×"
    )
    first = samples.bot[0].calls_before_poll, samples.echo[0].calls_before_poll
    print(f"  calls before first getUpdates: bot {', '.join(first[0]) or '-'}")
    print(f"  {'':31}echo {', '.join(first[1]) or '-'}")

    check: tuple[float, int] | None = None
    if args.check:
        timed: dict[str, list[float]] = {"every core": [], "one core (-n 0)": []}
        codes: list[int] = []
        for n in range(args.check):
            for label, extra in (("every core", []), ("one core (-n 0)", ["-n", "0"])):
                started = time.perf_counter()
                done = subprocess.run(
                    [str(ROOT / "scripts" / "check"), *extra],
                    cwd=ROOT,
                    env=child_env(None),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                timed[label].append(time.perf_counter() - started)
                codes.append(done.returncode)
                print(
                    f"scripts/check, {label}, run {n + 1}: "
                    f"{timed[label][-1]:.1f} s, exit {done.returncode}",
                    flush=True,
                )
        check = statistics.median(timed["every core"]), max(codes)
        base = statistics.median(timed["one core (-n 0)"])
        print(
            f"\nscripts/check, median of {args.check}: {check[0]:.1f} s on every core, "
            f"{base:.1f} s with the tests on one core ({check[0] / base:.2f}×)"
        )

    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    ratio = bot_start / echo_start
    print(
        f"start-up to first getUpdates: bot {bot_start:.2f} s, echo {echo_start:.2f} s, "
        f"ratio {ratio:.2f}× (goal ≤ {STARTUP_GOAL:g}×) {verdict(ratio <= STARTUP_GOAL)}"
    )
    ratio = bot_rss / echo_rss
    print(
        f"memory after start-up (VmRSS): bot {bot_rss:.1f} MiB, echo {echo_rss:.1f} MiB, "
        f"ratio {ratio:.2f}× (goal ≤ {MEMORY_GOAL:g}×; peak VmHWM bot {bot_hwm:.1f} MiB, "
        f"echo {echo_hwm:.1f} MiB) {verdict(ratio <= MEMORY_GOAL)}"
    )
    print(
        f'python -m bot search "{SEARCH_QUERY}": {search:.2f} s (python -c pass {python:.2f} s)'
        f" (goal < {SEARCH_GOAL:g} s) {verdict(search < SEARCH_GOAL)}"
    )
    if check is not None:
        ok = check[1] == 0 and check[0] < CHECK_GOAL
        print(
            f"scripts/check: {check[0]:.1f} s, exit code {check[1]} "
            f"(goal: exit 0 in < {CHECK_GOAL:g} s) {verdict(ok)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
