"""The architecture, pinned: layers point one way, domains keep to themselves.

Reads every module of bot/, handlers/ and knowledge/ with ``ast`` (imports inside functions
and ``TYPE_CHECKING`` blocks included) and checks the rules ``../shared/DESIGN.md`` states:

- layer ranks: ``knowledge`` < ``handlers`` < ``bot``; a module imports its own layer or lower;
- ``knowledge`` never imports telegram or aiohttp; ``handlers`` never imports sqlite3 or
  sqlite_utils (SQL stays in the domain);
- the kernel (flat modules of ``knowledge``) never imports a domain package;
- a feature package never imports another feature package: handlers' features not at all,
  knowledge's domains only through the other package's face (``knowledge.catalogue``, never
  ``knowledge.catalogue.models``) and only along the edges listed in ``DOMAIN_EDGES``;
- no module imports another package's private (underscored) name;
- the citizen's side of feedback does not import the officials' module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"knowledge": 0, "handlers": 1, "bot": 2}
KNOWLEDGE_DOMAINS = {"catalogue", "search", "feedback", "tasks"}
HANDLER_FEATURES = {"procedures", "feedback", "tasks"}
# Which knowledge domain may use which other one (through its package face).
DOMAIN_EDGES = {("search", "catalogue")}
FORBIDDEN = {
    "knowledge": ("telegram", "aiohttp", "httpx"),
    "handlers": ("sqlite3", "sqlite_utils"),
}


@dataclass(frozen=True)
class Import:
    """One import: the module that has it, the module imported, the names taken."""

    source: str  # dotted name of the importing module
    target: str  # dotted name of the imported module
    names: tuple[str, ...]
    line: int

    def __str__(self) -> str:
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.source}:{self.line} imports {self.target}{names}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for top in LAYERS:
        for path in sorted((ROOT / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = project_modules()


def imports_of(name: str, path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = tuple(alias.name for alias in node.names)
            # "from knowledge import tasks" imports the module knowledge.tasks
            submodules = [n for n in names if f"{base}.{n}" in MODULES]
            for sub in submodules:
                found.append(Import(name, f"{base}.{sub}", (), node.lineno))
            rest = tuple(n for n in names if n not in submodules)
            if rest or not submodules:
                found.append(Import(name, base, rest, node.lineno))
    return found


ALL_IMPORTS = [imp for name, path in MODULES.items() for imp in imports_of(name, path)]


def top(module: str) -> str:
    return module.split(".")[0]


def domain_of(module: str) -> str | None:
    """``search`` for knowledge.search.*, ``feedback`` for handlers.feedback.*; else None."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "knowledge" and parts[1] in KNOWLEDGE_DOMAINS:
        return parts[1]
    if len(parts) >= 2 and parts[0] == "handlers" and parts[1] in HANDLER_FEATURES:
        return parts[1]
    return None


def test_the_walk_sees_the_whole_tree() -> None:
    """The checks below are only as good as the parse: it must see every layer and domain."""
    assert {top(m) for m in MODULES} == set(LAYERS)
    assert {domain_of(m) for m in MODULES if m.startswith("knowledge.")} >= KNOWLEDGE_DOMAINS
    assert {domain_of(m) for m in MODULES if m.startswith("handlers.")} >= HANDLER_FEATURES
    targets = {imp.target for imp in ALL_IMPORTS}
    assert "telegram" in targets or any(t.startswith("telegram.") for t in targets)
    assert "knowledge.search" in targets
    assert len(ALL_IMPORTS) > 300


def test_layers_point_one_way() -> None:
    wrong = [
        str(imp)
        for imp in ALL_IMPORTS
        if top(imp.target) in LAYERS and LAYERS[top(imp.target)] > LAYERS[top(imp.source)]
    ]
    assert wrong == [], "a lower layer imports a higher one"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_forbidden_libraries_stay_out(layer: str) -> None:
    banned = FORBIDDEN[layer]
    wrong = [
        str(imp) for imp in ALL_IMPORTS if top(imp.source) == layer and top(imp.target) in banned
    ]
    assert wrong == [], f"{layer}/ must not import {', '.join(banned)}"


def test_the_kernel_never_imports_a_domain() -> None:
    wrong = [
        str(imp)
        for imp in ALL_IMPORTS
        if top(imp.source) == "knowledge"
        and domain_of(imp.source) is None
        and domain_of(imp.target) is not None
        and top(imp.target) == "knowledge"
    ]
    assert wrong == [], "the kernel gets features handed in by the composition root"


def test_handler_features_do_not_import_each_other() -> None:
    wrong = [
        str(imp)
        for imp in ALL_IMPORTS
        if top(imp.source) == "handlers"
        and top(imp.target) == "handlers"
        and domain_of(imp.source) is not None
        and domain_of(imp.target) not in (None, domain_of(imp.source))
    ]
    assert wrong == []


def test_domains_meet_only_at_their_faces_and_listed_edges() -> None:
    wrong = []
    for imp in ALL_IMPORTS:
        if top(imp.source) != "knowledge" or top(imp.target) != "knowledge":
            continue
        here, there = domain_of(imp.source), domain_of(imp.target)
        if here is None or there is None or here == there:
            continue
        if (here, there) not in DOMAIN_EDGES:
            wrong.append(f"{imp}: {here} may not use {there}")
        elif imp.target != f"knowledge.{there}":
            wrong.append(f"{imp}: through knowledge.{there}, not its internals")
    assert wrong == []


def test_no_private_name_crosses_a_package() -> None:
    def package(module: str) -> str:
        return (
            module
            if module in MODULES and MODULES[module].name == "__init__.py"
            else (module.rpartition(".")[0])
        )

    wrong = [
        str(imp)
        for imp in ALL_IMPORTS
        if top(imp.target) in LAYERS
        and any(n.startswith("_") and not n.startswith("__") for n in imp.names)
        and package(imp.source) != package(imp.target)
    ]
    assert wrong == []


def test_the_citizen_side_of_feedback_does_not_import_the_officials() -> None:
    citizen = {"handlers.feedback.conversation", "handlers.feedback.citizen"}
    assert citizen <= set(MODULES)
    wrong = [
        str(imp)
        for imp in ALL_IMPORTS
        if imp.source in citizen and imp.target == "handlers.feedback.officials"
    ]
    assert wrong == []


def test_a_violation_would_be_seen(tmp_path: Path) -> None:
    """The walk finds imports in functions and TYPE_CHECKING blocks, relative ones too."""
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import telegram\n"
        "def f():\n    from sqlite_utils import Database\n"
        "from . import search\n"
        "from knowledge import tasks\n",
        encoding="utf-8",
    )
    found = {(i.target, i.names) for i in imports_of("knowledge.catalogue.mod", source)}
    assert ("telegram", ()) in found
    assert ("sqlite_utils", ("Database",)) in found
    assert ("knowledge.tasks", ()) in found
    assert any(target.startswith("knowledge.catalogue") for target, _ in found)
