"""The built index on disk: written when the catalogue is imported, loaded at start-up.

Building the index takes about a quarter of a second and leaves the heap fragmented; loading
it takes a few milliseconds. The file sits beside the catalogue it indexes
(``catalogue.json.gz`` → ``catalogue.index.pickle``) and starts with a key: the digest of the
catalogue file, of the alias file, and of the search code itself (every module of this
package and :mod:`knowledge.textnorm`, whose word handling the index bakes in). A file whose
key does not match is never unpickled: the engine builds the index instead, so a stale
snapshot costs time, never a wrong answer. ``python -m bot catalogue import`` and
``python -m bot catalogue index`` write it; only files this code wrote are read.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Sequence
from pathlib import Path

from knowledge import textnorm
from knowledge.catalogue import Procedure
from knowledge.search.index import SearchIndex

log = logging.getLogger(__name__)

MAGIC = b"tthc-search-index 1\n"
SUFFIX = ".index.pickle"
_CODE = (*sorted(Path(__file__).resolve().parent.glob("*.py")), Path(textnorm.__file__))


def snapshot_path(catalogue_path: str | Path) -> Path:
    """Where the index of the catalogue at ``catalogue_path`` is kept."""
    path = Path(catalogue_path)
    return path.with_name(path.name.split(".", 1)[0] + SUFFIX)


def key(catalogue_digest: str, aliases_path: str | Path) -> bytes:
    """What the index was built from: catalogue, aliases and the search code."""
    digest = hashlib.sha256(catalogue_digest.encode())
    for path in (Path(aliases_path), *_CODE):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest().encode()


def save(index: SearchIndex, path: str | Path, index_key: bytes) -> Path:
    """Write ``index`` (without its procedures) to ``path`` atomically."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    state = {name: value for name, value in vars(index).items() if name != "procedures"}
    with open(tmp, "wb") as out:
        out.write(MAGIC + index_key + b"\n")
        pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(target)
    return target


def load(
    path: str | Path, index_key: bytes, procedures: Sequence[Procedure]
) -> SearchIndex | None:
    """The index at ``path`` if it was built from exactly this input; None otherwise."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    header = MAGIC + index_key + b"\n"
    if not data.startswith(header):
        log.info("search index %s does not match this catalogue and code; building it", path)
        return None
    try:
        state = pickle.loads(memoryview(data)[len(header) :])
    except Exception as exc:  # a truncated or damaged file: build instead
        log.warning("search index %s unreadable (%s); building it", path, type(exc).__name__)
        return None
    index = SearchIndex.__new__(SearchIndex)
    vars(index).update(state)
    index.procedures = tuple(procedures)
    if index.n_entries and int(index.entry_proc.max()) >= len(index.procedures):
        return None  # cannot happen with a matching key; never index past the procedures
    return index
