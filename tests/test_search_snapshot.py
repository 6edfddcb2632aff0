"""What start-up reads instead of rebuilding: the catalogue's records and the search index.

Both are derived from ``knowledge/data`` by ``python -m bot catalogue index`` (which
``scripts/install`` runs), current for the shipped catalogue, and never trusted when stale.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from knowledge import CATALOGUE_PATH
from knowledge.catalogue import Catalogue, from_json, load
from knowledge.catalogue import snapshot as records
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
    shutil.copy(records.snapshot_path(CATALOGUE_PATH), records.snapshot_path(target))
    return target


def test_the_installed_snapshots_are_current() -> None:
    """Fails after a change to the catalogue, aliases.csv, the records or the search code
    until they are written again: ``python -m bot catalogue index`` (scripts/install)."""
    digest = hashlib.sha256(CATALOGUE_PATH.read_bytes()).hexdigest()
    state = records.read(records.snapshot_path(CATALOGUE_PATH), digest)
    assert state is not None, "run: python -m bot catalogue index"
    assert SearchEngine(load()).index_source == "snapshot", "run: python -m bot catalogue index"


def test_the_saved_records_are_the_json_records(copied: Path) -> None:
    from_snapshot = load(copied)
    records.snapshot_path(copied).unlink()
    from_json_file = load(copied)
    assert from_snapshot == from_json_file
    assert from_snapshot.procedures == from_json_file.procedures
    assert (from_snapshot.digest, from_snapshot.path) == (from_json_file.digest, copied)
    doc = json.loads(gzip.decompress(copied.read_bytes()))
    assert from_json(doc).procedures == from_snapshot.procedures


def test_records_of_another_catalogue_are_not_read(copied: Path) -> None:
    other = copied.with_name("other.json.gz")
    shutil.copy(copied, other)
    shutil.copy(records.snapshot_path(copied), records.snapshot_path(other))
    assert records.read(records.snapshot_path(other), "0" * 64) is None
    path = records.snapshot_path(copied)
    path.write_bytes(path.read_bytes()[:1000])  # truncated after a valid header
    assert load(copied).procedures == load(other).procedures  # read from the JSON


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


def test_catalogue_index_writes_both_beside_the_catalogue(copied: Path, capsys) -> None:
    path = snapshot.snapshot_path(copied)
    path.unlink()
    records.snapshot_path(copied).unlink()
    assert SearchEngine(load(copied)).index_source == "built"
    assert main(["catalogue", "index", "--path", str(copied)]) == 0
    out = capsys.readouterr().out
    assert str(path) in out
    assert str(records.snapshot_path(copied)) in out
    digest = hashlib.sha256(copied.read_bytes()).hexdigest()
    assert records.read(records.snapshot_path(copied), digest) is not None
    assert SearchEngine(load(copied)).index_source == "snapshot"
