"""The procedure catalogue: what the national portal publishes, plus what the province decides.

Parts:

- ``models``     the records: :class:`Procedure`, :class:`Channel` (a submission channel with
                 its time and fee), :class:`Duration`, :class:`LegalDoc`, :class:`LocalInfo`
                 (the provincial overlay's facts), the channel kinds;
- ``catalogue``  :class:`Catalogue` (lookups, fields, levels, the same-day / cut-time /
                 postal lists) and its on-disk file: :func:`load`, :func:`save`, :func:`make`;
- ``overlay``    the provincial overlay (CSV or XLSX that officials edit), read and checked;
- ``duedate``    the expected result date in Vietnamese working days: :func:`due_date`;
- ``fees``       what a fee cell says, one rule for cards and import (:func:`read_fee`: free,
                 an amount, the province, a law, unclear) and the card's merged rows
                 (:func:`fee_rows`);
- ``times``      processing times read once: the case of each row, a lost unit found in the
                 procedure's own text, the card's merged rows (:func:`time_rows`);
- ``snapshot``   the records ready to use, beside the JSON file: :func:`load` reads them when
                 they were made from exactly that file (:func:`save_records` writes them);
- ``importer``   national-portal records → a clean catalogue (``python -m bot catalogue
                 import``); imported by the command only, never at start-up.

Public names are re-exported here; other domains use this face, never a part directly.
"""

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
    save_records,
    vn_sort_key,
)
from knowledge.catalogue.duedate import DueDate, best_duration, due_date, due_from_duration
from knowledge.catalogue.fees import (
    AMOUNT,
    FEE_KINDS,
    FREE,
    LAW,
    MISSING,
    PROVINCIAL,
    UNCLEAR,
    FeeReading,
    FeeRow,
    Money,
    fee_rows,
    read_fee,
)
from knowledge.catalogue.models import (
    CHANNEL_KINDS,
    IN_PERSON,
    ONLINE,
    POSTAL,
    UNITS,
    Channel,
    Duration,
    LegalDoc,
    LocalInfo,
    Procedure,
)
from knowledge.catalogue.times import TimeRow, time_rows

__all__ = [
    "AMOUNT",
    "CHANNEL_KINDS",
    "DEFAULT_PATH",
    "FEE_KINDS",
    "FORMAT_VERSION",
    "FREE",
    "IN_PERSON",
    "LAW",
    "MISSING",
    "ONLINE",
    "POSTAL",
    "PROVINCIAL",
    "UNCLEAR",
    "UNITS",
    "Catalogue",
    "Channel",
    "DueDate",
    "Duration",
    "FeeReading",
    "FeeRow",
    "LegalDoc",
    "LocalInfo",
    "Money",
    "Procedure",
    "TimeRow",
    "best_duration",
    "due_date",
    "due_from_duration",
    "dumps",
    "fee_rows",
    "from_json",
    "load",
    "make",
    "normalize_code",
    "procedure_from_json",
    "procedure_to_json",
    "read_fee",
    "save",
    "save_records",
    "time_rows",
    "vn_sort_key",
]
