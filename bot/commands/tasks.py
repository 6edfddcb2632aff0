"""`python -m bot tasks import FILE` and `python -m bot tasks export FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from knowledge import clock, formats
from knowledge.errors import ImportProblem


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "tasks", help="nhiệm vụ cải cách hành chính: nhập từ XLSX/CSV, xuất báo cáo XLSX"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    imp = actions.add_parser("import", help="nhập (hoặc cập nhật) nhiệm vụ từ tệp XLSX hoặc CSV")
    imp.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv (cột: xem docs/tasks.md)")
    imp.add_argument("--config", help="tệp cấu hình (mặc định config.toml)")
    imp.set_defaults(func=run_import)
    exp = actions.add_parser("export", help="xuất tình hình nhiệm vụ ra tệp XLSX")
    exp.add_argument("file", type=Path, help="tệp .xlsx sẽ ghi")
    exp.add_argument("--config", help="tệp cấu hình (mặc định config.toml)")
    exp.set_defaults(func=run_export)


def run_import(args: argparse.Namespace) -> int:
    """Import the file; print the counts and every bad row with its row number."""
    from bot.storage import open_configured_store
    from knowledge import tasks
    from knowledge.tasks import importer as tasks_import
    from knowledge.tasks import report as tasks_report

    store = open_configured_store(args)
    if store is None:
        return 2
    now = clock.now()
    try:
        report = store.run_sync(lambda db: tasks_import.import_file(db, args.file, now))
        summary = store.run_sync(lambda db: tasks.summary(db, now.date()))
    except ImportProblem as exc:
        print(f"Không nhập được: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    n = formats.number
    print(
        f"{report.source}: đọc {n(report.rows)} dòng nhiệm vụ; thêm mới {n(report.created)}, "
        f"cập nhật {n(report.updated)}, không đổi {n(report.unchanged)}, "
        f"bỏ qua {n(len(report.bad))} dòng lỗi."
    )
    if report.ignored_columns:
        print(f"Cột không dùng: {', '.join(report.ignored_columns)}")
    for bad in report.bad:
        print(f"  dòng {bad.row}: {bad.message}")
    print(f"Hiện có: {tasks_report.report_sentence(summary)}.")
    return 1 if report.bad else 0


def run_export(args: argparse.Namespace) -> int:
    """Write the XLSX report of the current state."""
    from bot.storage import open_configured_store
    from knowledge import tasks
    from knowledge.tasks import report as tasks_report

    store = open_configured_store(args)
    if store is None:
        return 2
    today = clock.now().date()
    try:
        summary = store.run_sync(lambda db: tasks.summary(db, today))
        every = store.run_sync(tasks.all_tasks)
    finally:
        store.close()
    Path(args.file).write_bytes(tasks_report.export_xlsx(summary, every, today))
    print(f"{args.file}: {formats.number(summary.counts.total)} nhiệm vụ.")
    return 0
