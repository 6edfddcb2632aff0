"""The saved search index: current for the shipped catalogue, never trusted when it is not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from knowledge import CATALOGUE_PATH
from knowledge.catalogue import Catalogue, load
from knowledge.search import DEFAULT_ALIASES, SearchEngine, snapshot

QUERIES = ["khai sinh", "cap lai can cuoc", "xin lý lịch tư pháp", "gia han tam tru", "alo"]


def results(engine: SearchEngine) -> list[tuple[str, tuple[tuple[str, float], ...]]]:
    return [
        (r.decision, tuple((h.code, h.score) for h in r.hits))
        for r in (engine.search(q, limit=10) for q in QUERIES)
    ]


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The shipped catalogue and its index, copied where the test may spoil them."""
    target = tmp_path / CATALOGUE_PATH.name
    shutil.copy(CATALOGUE_PATH, target)
    shutil.copy(snapshot.snapshot_path(CATALOGUE_PATH), snapshot.snapshot_path(target))
    return target


def test_the_shipped_index_is_current(catalogue: Catalogue) -> None:
    """Fails after a change to the catalogue, aliases.csv or the search code until the index
    is written again: ``python -m bot catalogue index``."""
    engine = SearchEngine(load())
    assert engine.index_source == "snapshot", "run: python -m bot catalogue index"


def test_a_loaded_index_answers_exactly_like_a_built_one(
    catalogue: Catalogue, search_engine: SearchEngine
) -> None:
    loaded = SearchEngine(load())
    built = SearchEngine(list(catalogue.procedures))  # a plain list: always built
    assert (loaded.index_source, built.index_source) == ("snapshot", "built")
    assert results(loaded) == results(built)
    assert loaded.n_entries == built.n_entries
    assert results(search_engine) == results(built)


def test_a_stale_index_is_not_read(copied: Path, tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_bytes(DEFAULT_ALIASES.read_bytes() + b"\n")  # same rows, other bytes
    engine = SearchEngine(load(copied), aliases_path=aliases)
    assert engine.index_source == "built"
    assert results(engine) == results(SearchEngine(load(copied)))


def test_a_damaged_or_foreign_index_is_not_read(copied: Path) -> None:
    path = snapshot.snapshot_path(copied)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated after a valid header
    assert SearchEngine(load(copied)).index_source == "built"
    path.write_bytes(b"cos\nsystem\n(S'echo pwned'\ntR.")  # a pickle that is not ours
    engine = SearchEngine(load(copied))
    assert engine.index_source == "built"
    assert results(engine)[0][1], "still finds khai sinh"


def test_catalogue_index_writes_it_beside_the_catalogue(copied: Path, capsys) -> None:
    path = snapshot.snapshot_path(copied)
    path.unlink()
    assert SearchEngine(load(copied)).index_source == "built"
    assert main(["catalogue", "index", "--path", str(copied)]) == 0
    assert str(path) in capsys.readouterr().out
    assert SearchEngine(load(copied)).index_source == "snapshot"
