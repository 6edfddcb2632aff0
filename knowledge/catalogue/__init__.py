"""The procedure catalogue: records, the on-disk file, the provincial overlay, due dates."""

from __future__ import annotations

from knowledge.catalogue.catalogue import (
    DEFAULT_PATH,
    FORMAT_VERSION,
    Catalogue,
    dumps,
    from_json,
    load,
    make,
    normalize_code,
    procedure_from_json,
    procedure_to_json,
    save,
    vn_sort_key,
)

__all__ = [
    "DEFAULT_PATH",
    "FORMAT_VERSION",
    "Catalogue",
    "dumps",
    "from_json",
    "load",
    "make",
    "normalize_code",
    "procedure_from_json",
    "procedure_to_json",
    "save",
    "vn_sort_key",
]
