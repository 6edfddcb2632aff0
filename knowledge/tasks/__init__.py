"""Administrative-reform tasks (nhiệm vụ cải cách hành chính).

Parts, in import order (each module imports only the ones above it):

- ``records``: the seven reform areas, ``Status`` and its labels, text keys, status
  derivation, the records (``Task``, ``TaskRecord``, ``Agency``, ``Event``), agencies and
  their fuzzy lookup, reading and paging queries (overdue, due soon, open), a task's history.
- ``counting``: counting by status: ``Counts`` and the per-agency and per-area ``Summary``.
- ``update``: who may update a task (``can_update``) and the guided /capnhat update
  (``PendingUpdate``, begin, choose, apply, finish, cancel; ``split_note``).
- ``daily``: the daily digest (``Digest``) and the record of the days it went out.
- ``importer``: reading XLSX/CSV task files, and ``upsert`` (one record into the store).
- ``report``: the /baocao chart (PNG) and XLSX export (not imported here: load it by name).
- ``schema``: the numbered migrations of the tasks tables (not imported here).

Public names: the constants ``AREAS``, ``AREA_SHORT``, ``CHOICES``, ``MAX_DAYS``,
``MAX_NOTE``, ``MAX_QUERY``, ``PAGE``, ``STATUS_LABELS``; the types ``Agency``,
``AgencyRow``, ``AreaRow``, ``Counts``, ``Digest``, ``Event``, ``Page``, ``PendingUpdate``,
``Status``, ``Summary``, ``Task``, ``TaskRecord``; and the functions listed in ``__all__``.
"""

from __future__ import annotations

from knowledge.tasks.counting import AgencyRow, AreaRow, Counts, Summary, summary
from knowledge.tasks.daily import Digest, digest, last_digest_day, record_digest
from knowledge.tasks.importer import upsert
from knowledge.tasks.records import (
    AREA_SHORT,
    AREAS,
    CHOICES,
    MAX_DAYS,
    MAX_NOTE,
    MAX_QUERY,
    PAGE,
    STATUS_LABELS,
    Agency,
    Event,
    Page,
    Status,
    Task,
    TaskRecord,
    agencies,
    agency,
    agency_for,
    all_tasks,
    clean_query,
    code_key,
    days_late,
    derive_status,
    due_soon,
    find_agency,
    fold,
    get_task,
    get_task_by_id,
    history,
    open_tasks,
    overdue,
    parse_days,
)
from knowledge.tasks.update import (
    PendingUpdate,
    apply_update,
    begin_update,
    can_update,
    cancel_update,
    check_can_update,
    choose_status,
    finish_update,
    pending_update,
    split_note,
)

__all__ = [
    "AREAS",
    "AREA_SHORT",
    "CHOICES",
    "MAX_DAYS",
    "MAX_NOTE",
    "MAX_QUERY",
    "PAGE",
    "STATUS_LABELS",
    "Agency",
    "AgencyRow",
    "AreaRow",
    "Counts",
    "Digest",
    "Event",
    "Page",
    "PendingUpdate",
    "Status",
    "Summary",
    "Task",
    "TaskRecord",
    "agencies",
    "agency",
    "agency_for",
    "all_tasks",
    "apply_update",
    "begin_update",
    "can_update",
    "cancel_update",
    "check_can_update",
    "choose_status",
    "clean_query",
    "code_key",
    "days_late",
    "derive_status",
    "digest",
    "due_soon",
    "find_agency",
    "finish_update",
    "fold",
    "get_task",
    "get_task_by_id",
    "history",
    "last_digest_day",
    "open_tasks",
    "overdue",
    "parse_days",
    "pending_update",
    "record_digest",
    "split_note",
    "summary",
    "upsert",
]
