"""What start-up loads: a subcommand imports its own dependencies only, and the bot starts
without the libraries it needs only for exports and charts.

Speed and memory are measured by ``benchmarks/bench_startup.py``; these tests pin the
imports that the figures depend on, so a stray top-level import fails here first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("telegram", "aiohttp", "httpx", "openpyxl", "matplotlib", "PIL", "sqlite_utils")


def modules_after(code: str) -> set[str]:
    """Top-level packages imported by running ``code`` in a fresh interpreter."""
    probe = (
        code
        + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_search_from_the_command_line_loads_no_bot_machinery() -> None:
    loaded = modules_after("from bot.cli import main\nmain(['search', 'khai sinh', '--json'])")
    assert {"knowledge", "numpy", "rapidfuzz"} <= loaded  # it did search
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert "holidays" not in loaded


def test_building_the_parser_imports_no_subcommand_dependencies() -> None:
    loaded = modules_after("from bot.cli import build_parser\nbuild_parser()")
    assert loaded.isdisjoint({*HEAVY, "numpy", "rapidfuzz", "holidays", "asyncio"})


def test_the_bot_starts_without_export_and_chart_libraries() -> None:
    loaded = modules_after("import bot.server.lifecycle, bot.app, handlers")
    assert {"telegram", "sqlite_utils", "knowledge", "handlers"} <= loaded
    assert loaded.isdisjoint({"openpyxl", "matplotlib", "PIL"})
