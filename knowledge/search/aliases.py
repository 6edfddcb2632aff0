"""The alias file: colloquial names, abbreviations and old names of procedures.

``knowledge/data/aliases.csv`` (documented in ``docs/aliases.md``): a row with an expansion
rewrites a query into an extra variant (``sổ đỏ`` → ``giấy chứng nhận quyền sử dụng đất``); a
row with codes is an extra name of those procedures; an abbreviation is also spelled out inside
catalogue names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from knowledge import DATA_DIR, textnorm

DEFAULT_ALIASES = DATA_DIR / "aliases.csv"


@dataclass(frozen=True, slots=True)
class Alias:
    """One row of the alias file."""

    alias: str
    expansion: str = ""
    codes: tuple[str, ...] = ()
    kind: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class AliasProblem:
    """A row of the alias file that was skipped, and why."""

    line: int
    reason: str


def load_aliases(path: str | Path | None = None) -> tuple[list[Alias], list[AliasProblem]]:
    """Read the alias CSV (``alias,expansion,codes,kind,note``); bad rows come back as problems."""
    source = Path(path) if path is not None else DEFAULT_ALIASES
    aliases: list[Alias] = []
    problems: list[AliasProblem] = []
    if not source.exists():
        return aliases, [AliasProblem(0, f"no alias file at {source.name}")]
    with source.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"alias", "expansion"} - set(reader.fieldnames or ())
        if missing:
            return aliases, [AliasProblem(1, f"missing columns: {', '.join(sorted(missing))}")]
        for row in reader:
            line = reader.line_num
            alias = (row.get("alias") or "").strip()
            expansion = (row.get("expansion") or "").strip()
            codes = tuple(c for c in re.split(r"[\s;,|]+", row.get("codes") or "") if c)
            if not alias or alias.startswith("#"):
                continue
            if not textnorm.key(alias):
                problems.append(AliasProblem(line, "alias has no letters or digits"))
                continue
            if not expansion and not codes:
                problems.append(AliasProblem(line, "neither an expansion nor codes"))
                continue
            bad = [c for c in codes if not re.fullmatch(r"\d\.\d{6}", c)]
            if bad:
                problems.append(AliasProblem(line, f"not a national code: {', '.join(bad)}"))
                continue
            kind = (row.get("kind") or "").strip()
            aliases.append(Alias(alias, expansion, codes, kind, (row.get("note") or "").strip()))
    return aliases, problems
