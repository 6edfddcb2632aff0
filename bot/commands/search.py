"""`python -m bot search QUERY [--limit N] [--json]`: find procedures the way a citizen asks.

With ``-`` as QUERY, read one query per line from standard input and print one JSON line per
query, in order (JSON is implied). The catalogue and the index are built once per process.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from knowledge import formats
from knowledge.errors import KnowledgeError

if TYPE_CHECKING:
    from knowledge.search import SearchEngine, SearchResult

NOTHING_FOUND = "Không tìm thấy thủ tục phù hợp."


def add_parser(sub: Any) -> None:
    """Register the subcommand."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "search",
        help="tìm thủ tục hành chính theo lời người dân (search the catalogue)",
        description="Tìm thủ tục hành chính. Với QUERY là '-', đọc mỗi dòng một câu từ stdin "
        "và in mỗi câu một dòng JSON.",
    )
    parser.add_argument("query", metavar="QUERY", help="câu tìm kiếm, hoặc '-' để đọc stdin")
    parser.add_argument(
        "--limit", type=_positive, default=5, metavar="N", help="số kết quả tối đa (mặc định 5)"
    )
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"không phải số nguyên: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("--limit phải từ 1 trở lên")
    return value


def to_json(result: SearchResult) -> dict[str, Any]:
    """The JSON document of one search, as DESIGN.md specifies it."""
    return {
        "query": result.query,
        "results": [{"code": h.code, "name": h.name, "score": h.score} for h in result.hits],
        "decision": result.decision,
        "asks": result.asks,
        "refer": result.refer,
    }


REFERRED = {
    "fine": "Câu hỏi về mức phạt, không phải một thủ tục hành chính.",
    "dispute": "Câu hỏi về tranh chấp: cần tư vấn hoặc hòa giải, không phải một thủ tục.",
    "legal_advice": "Câu hỏi cần tư vấn pháp luật, không phải một thủ tục hành chính.",
    "dossier_status": "Câu hỏi về tình trạng hồ sơ đã nộp: tra cứu bằng mã hồ sơ nơi đã nộp.",
    "complaint_person": "Phản ánh về một người, không phải một thủ tục: gửi phản ánh, kiến nghị.",
    "other": "Câu hỏi này không phải về một thủ tục hành chính.",
}


def render_text(result: SearchResult) -> str:
    """A readable Vietnamese list of the hits (or why there are none)."""
    if result.decision == "refer":
        return REFERRED.get(result.refer or "other", REFERRED["other"])
    if not result.hits:
        return NOTHING_FOUND
    lines = [f"Kết quả cho «{result.query.strip()}»:"]
    for i, hit in enumerate(result.hits, 1):
        score = formats.percent(hit.score, 1.0, 0)
        lines.append(f"{i}. {hit.name} (mã {hit.code}, độ phù hợp {score})")
    return "\n".join(lines)


def _engine() -> SearchEngine:
    from knowledge.catalogue import load
    from knowledge.search import SearchEngine

    return SearchEngine(load())


def run(args: argparse.Namespace) -> int:
    """Run the search command; returns the exit code."""
    try:
        engine = _engine()
    except KnowledgeError as exc:
        print(f"Không đọc được danh mục thủ tục: {exc}", file=sys.stderr)
        return 2
    if args.query == "-":
        if hasattr(sys.stdin, "reconfigure"):
            sys.stdin.reconfigure(encoding="utf-8", errors="replace")
        for line in sys.stdin:
            result = engine.search(line.rstrip("\r\n"), limit=args.limit)
            sys.stdout.write(json.dumps(to_json(result), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return 0
    result = engine.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps(to_json(result), ensure_ascii=False))
    else:
        print(render_text(result))
    return 0
