"""`python -m bot feedback export --from D --to D --format xlsx|csv --output PATH`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from knowledge import clock, formats


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "feedback", help="phản ánh, kiến nghị: xuất ra XLSX hoặc CSV theo khoảng ngày"
    )
    actions = parser.add_subparsers(dest="action", required=True)
    exp = actions.add_parser(
        "export", help="xuất các phản ánh tiếp nhận trong khoảng ngày (không kèm họ tên, SĐT)"
    )
    exp.add_argument("--from", dest="start", required=True, help="từ ngày, dd/mm/yyyy")
    exp.add_argument("--to", dest="end", required=True, help="đến ngày (tính cả ngày này)")
    exp.add_argument("--format", dest="fmt", choices=("xlsx", "csv"), default="xlsx")
    exp.add_argument("--output", type=Path, required=True, help="tệp sẽ ghi")
    exp.add_argument("--config", help="tệp cấu hình (mặc định config.toml)")
    exp.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Write the records received in the range; print how many."""
    from bot.storage import open_configured_store
    from knowledge.feedback import FeedbackInputError
    from knowledge.feedback import export as feedback_export

    try:
        start = feedback_export.parse_day(args.start)
        end = feedback_export.parse_day(args.end)
    except FeedbackInputError as exc:
        print(f"Ngày không hợp lệ: {exc.values.get('value')!r} (cần dd/mm/yyyy)", file=sys.stderr)
        return 2
    if end < start:
        print("Khoảng ngày không hợp lệ: --to trước --from.", file=sys.stderr)
        return 2
    store = open_configured_store(args)
    if store is None:
        return 2
    today = clock.now().date()
    try:
        data, _name, count = store.run_sync(
            lambda db: feedback_export.export(db, start, end, today, args.fmt)
        )
    finally:
        store.close()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(
        f"Đã ghi {formats.number(count)} phản ánh tiếp nhận từ {formats.day(start)} "
        f"đến {formats.day(end)} vào {args.output}."
    )
    return 0
