"""`python -m bot catalogue import|info|show ...`: build and inspect the shipped catalogue."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from knowledge import CATALOGUE_PATH, formats
from knowledge.errors import KnowledgeError

if TYPE_CHECKING:
    from knowledge import catalogue as cat

T = TypeVar("T")


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "catalogue", help="xây dựng và xem danh mục thủ tục (build and inspect the catalogue)"
    )
    inner = parser.add_subparsers(dest="catalogue_command", required=True)

    imp = inner.add_parser(
        "import", help="dựng lại danh mục từ dữ liệu cổng quốc gia (rebuild from portal records)"
    )
    imp.add_argument("sources", nargs="+", metavar="SOURCE", help=".jsonl or .jsonl.gz records")
    imp.add_argument("--overlay", metavar="FILE", help="provincial overlay, CSV or XLSX")
    imp.add_argument(
        "--output",
        metavar="PATH",
        default=str(CATALOGUE_PATH),
        help="where to write the catalogue (default: the shipped file)",
    )
    imp.add_argument("--no-progress", action="store_true", help="no progress bar")
    imp.add_argument(
        "--strict", action="store_true", help="exit 1 (and write nothing) if an overlay row is bad"
    )
    imp.set_defaults(func=run_import)

    index = inner.add_parser(
        "index",
        help="ghi bản dựng sẵn của danh mục và chỉ mục tìm kiếm để khởi động nhanh (save the "
        "records and the search index start-up reads; scripts/install runs it)",
    )
    index.add_argument("--path", metavar="PATH", help="catalogue file (default: the shipped one)")
    index.set_defaults(func=run_index)

    fit = inner.add_parser(
        "fit-search",
        help="khớp lại mô hình xếp hạng tìm kiếm trên phần tune của bộ câu hỏi có nhãn "
        "(refit the search's ranking and referral models on the tuning part)",
    )
    fit.add_argument(
        "sets",
        nargs="*",
        metavar="TSV",
        help="labelled sets (default: tests/search_real_questions.tsv, "
        "tests/search_labelled.tsv, tests/search_second_set.tsv)",
    )
    fit.add_argument(
        "--output", metavar="PATH", help="where to write the model (default: shipped)"
    )
    fit.set_defaults(func=run_fit_search)

    check = inner.add_parser(
        "check-overlay", help="kiểm tra file overlay với danh mục (validate an overlay file)"
    )
    check.add_argument("overlay", metavar="FILE", help="CSV or XLSX")
    check.add_argument("--path", metavar="PATH", help="catalogue file (default: the shipped one)")
    check.set_defaults(func=run_check_overlay)

    info = inner.add_parser("info", help="tóm tắt danh mục (summary)")
    info.add_argument("--path", metavar="PATH", help="catalogue file (default: the shipped one)")
    info.set_defaults(func=run_info)

    show = inner.add_parser("show", help="một thủ tục theo mã (one procedure by code)")
    show.add_argument("code")
    show.add_argument("--path", metavar="PATH", help="catalogue file (default: the shipped one)")
    show.set_defaults(func=run_show)


def _progress(records: Iterable[T], name: str) -> Iterable[T]:
    """Wrap ``records`` in a tqdm bar on stderr."""
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(records, desc=name, unit=" thủ tục", file=sys.stderr, leave=False)
    return bar


def run_import(args: argparse.Namespace) -> int:
    """Import the sources (and overlay), write the catalogue, print the counts."""
    from knowledge import catalogue as cat
    from knowledge.catalogue import importer

    try:
        catalogue, report = importer.import_sources(
            args.sources,
            overlay=args.overlay,
            progress=None if args.no_progress else _progress,
        )
        for line in report.lines():
            print(line)
        if args.strict and report.overlay_skipped:
            print("Không ghi danh mục: overlay có dòng lỗi (--strict).", file=sys.stderr)
            return 1
        out = cat.save(catalogue, args.output)
    except KnowledgeError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    print(f"đã ghi {len(catalogue)} thủ tục vào {out} (built_at {catalogue.built_at})")
    if catalogue.overlay_label:
        print(f"overlay: {catalogue.overlay_label}")
    return _write_index(out)


def run_index(args: argparse.Namespace) -> int:
    """Save beside a catalogue file its records and its search index (what start-up reads)."""
    return _write_index(Path(args.path) if args.path else CATALOGUE_PATH)


def _write_index(path: Path) -> int:
    """Save what start-up reads instead of rebuilding: the records and the search index."""
    from knowledge import catalogue as cat
    from knowledge.search import SearchEngine

    catalogue = _load(str(path))
    if catalogue is None:
        return 2
    print(f"đã ghi bản dựng sẵn của danh mục vào {cat.save_records(catalogue)}")
    print(f"đã ghi chỉ mục tìm kiếm vào {SearchEngine(catalogue).save_index()}")
    return 0


def run_fit_search(args: argparse.Namespace) -> int:
    """Fit the search's models on the tuning part of the labelled sets and save them."""
    from knowledge.catalogue import load
    from knowledge.search import SearchEngine, fitting, model

    paths = [Path(p) for p in args.sets] or list(fitting.DEFAULT_SETS)
    try:
        examples = fitting.read_sets(paths)
    except (OSError, ValueError) as exc:
        print(f"Không đọc được bộ câu hỏi có nhãn: {exc}", file=sys.stderr)
        return 2
    tune = [e for e in examples if e.split == "tune"]
    engine = SearchEngine(load())
    fitted = fitting.fit(engine, tune, sets=paths)
    out = Path(args.output) if args.output else model.MODEL_PATH
    model.save(fitted, out)
    counts = ", ".join(f"{k} {formats.number(v)}" for k, v in fitted.meta["examples"].items())
    print(
        f"đã khớp trên {formats.number(len(tune))} câu của phần tune ({counts}) "
        f"và ghi mô hình vào {out}; ngưỡng chuyển hướng {fitted.t_refer}, "
        f"ngưỡng tối thiểu {fitted.t_low}"
    )
    return 0


def run_check_overlay(args: argparse.Namespace) -> int:
    """Validate an overlay file against the catalogue; exit 1 when a row would be skipped."""
    from knowledge.catalogue import overlay as ov

    catalogue = _load(args.path)
    if catalogue is None:
        return 2
    try:
        layer = ov.load_overlay(args.overlay, catalogue.codes())
    except KnowledgeError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    problems = [*layer.problems, *ov.national_mismatches(layer, catalogue.procedures)]
    for problem in problems:
        print(problem)
    skipped = sum(1 for p in layer.problems if p.skipped)
    sample = " (DỮ LIỆU MẪU)" if layer.sample else ""
    print(f"{layer.name}: {len(layer.entries)} dòng hợp lệ{sample}, {skipped} dòng bị bỏ qua")
    return 1 if skipped else 0


def _load(path: str | None) -> cat.Catalogue | None:
    from knowledge import catalogue as cat

    try:
        return cat.load(Path(path) if path else None)
    except KnowledgeError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return None


def run_info(args: argparse.Namespace) -> int:
    """Print the catalogue's size, build date, sources and overlay."""
    catalogue = _load(args.path)
    if catalogue is None:
        return 2
    print(f"thủ tục: {len(catalogue)}")
    print(f"ngày dựng (built_at): {catalogue.built_at}")
    for source in catalogue.sources:
        print(f"nguồn: {source}")
    print(f"overlay: {catalogue.overlay_label or '(không có)'}")
    print(f"lĩnh vực: {len(catalogue.fields())}; cấp: {', '.join(catalogue.levels())}")
    print(
        f"trong ngày: {len(catalogue.same_day())}; cắt giảm thời gian: "
        f"{len(catalogue.time_cut())}; bưu chính: {len(catalogue.postal())}"
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one procedure as JSON."""
    import json

    from knowledge import catalogue as cat

    catalogue = _load(args.path)
    if catalogue is None:
        return 2
    proc = catalogue.get(args.code)
    if proc is None:
        print(f"Không có thủ tục mã {args.code!r}", file=sys.stderr)
        return 1
    print(json.dumps(cat.procedure_to_json(proc), ensure_ascii=False, indent=2))
    return 0
