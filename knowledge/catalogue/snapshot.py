"""The catalogue's records ready to use: a derived copy of the JSON file, read at start-up.

``catalogue.json.gz`` is the source of truth (versioned, reproducible, reviewed). Parsing its
13 MB of JSON into records takes about 0.2 s at every start; unpickling the same records
takes a third of that. The snapshot sits beside the file (``catalogue.records.pickle``) and
starts with a key: the digest of the JSON file and of the code that defines the records. A
file whose key does not match is never unpickled; :func:`knowledge.catalogue.load` parses
the JSON instead. ``python -m bot catalogue index`` writes it (``scripts/install`` runs it);
it is not committed, and only files this code wrote are read.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import logging
import pickle
from pathlib import Path
from typing import Any

from knowledge.catalogue import models

log = logging.getLogger(__name__)

MAGIC = b"tthc-catalogue-records 1\n"
SUFFIX = ".records.pickle"
RECORDS = (models.Procedure, models.Channel, models.Duration, models.LegalDoc, models.LocalInfo)
_CODE = (Path(models.__file__), Path(__file__).with_name("catalogue.py"), Path(__file__))


def snapshot_path(catalogue_path: str | Path) -> Path:
    """Where the records of the catalogue at ``catalogue_path`` are kept."""
    path = Path(catalogue_path)
    return path.with_name(path.name.split(".", 1)[0] + SUFFIX)


def key(catalogue_digest: str) -> bytes:
    """What the snapshot was made from: the catalogue file and the record classes."""
    digest = hashlib.sha256(catalogue_digest.encode())
    for path in _CODE:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest().encode()


def _by_fields(record: Any) -> tuple[type, tuple[Any, ...]]:
    # Records are frozen dataclasses: rebuilt through their constructor, positionally.
    return type(record), tuple(getattr(record, f.name) for f in dataclasses.fields(record))


def write(path: str | Path, catalogue_digest: str, state: dict[str, Any]) -> Path:
    """Write ``state`` (the catalogue's fields) to ``path`` atomically."""
    target = Path(path)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    for cls in RECORDS:
        pickler.dispatch_table[cls] = _by_fields
    pickler.dump(state)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(MAGIC + key(catalogue_digest) + b"\n" + buffer.getvalue())
    tmp.replace(target)
    return target


def read(path: str | Path, catalogue_digest: str) -> dict[str, Any] | None:
    """The catalogue's fields saved at ``path`` if made from this file; None otherwise."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    header = MAGIC + key(catalogue_digest) + b"\n"
    if not data.startswith(header):
        log.info("catalogue records %s do not match the catalogue; reading its JSON", path)
        return None
    try:
        state = pickle.loads(memoryview(data)[len(header) :])
    except Exception as exc:  # a truncated or damaged file: read the JSON instead
        log.warning("catalogue records %s unreadable (%s)", path, type(exc).__name__)
        return None
    return state if isinstance(state, dict) else None
