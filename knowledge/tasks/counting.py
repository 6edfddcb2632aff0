"""Counting reform tasks by status: the province's, one agency's or one area's picture."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from knowledge.tasks.records import AREAS, Agency, Status, fold

# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """Tasks by status."""

    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        """Every task."""
        return self.on_time + self.late + self.in_progress + self.overdue

    @property
    def completed(self) -> int:
        """Done, on time or late: the base of the report's percentages."""
        return self.on_time + self.late

    @property
    def open(self) -> int:
        """Not done yet ("đang thực hiện" in the report), overdue included."""
        return self.in_progress + self.overdue

    def get(self, status: Status) -> int:
        """The count of one status."""
        return {
            Status.ON_TIME: self.on_time,
            Status.LATE: self.late,
            Status.IN_PROGRESS: self.in_progress,
            Status.OVERDUE: self.overdue,
        }[status]


@dataclass(frozen=True, slots=True)
class AgencyRow:
    """One line of the per-agency table."""

    agency: Agency
    counts: Counts


@dataclass(frozen=True, slots=True)
class AreaRow:
    """One line of the per-area table (index -1: no area given)."""

    index: int
    counts: Counts

    @property
    def name(self) -> str:
        """The area's full name."""
        return AREAS[self.index] if self.index >= 0 else "Chưa phân lĩnh vực"


@dataclass(frozen=True, slots=True)
class Summary:
    """The province's (or one agency's, or one area's) picture on ``today``."""

    today: date
    documents: int
    counts: Counts
    by_agency: tuple[AgencyRow, ...] = ()
    by_area: tuple[AreaRow, ...] = ()


_COUNT_SQL = """
    SUM(t.completed_on IS NOT NULL AND (t.deadline IS NULL OR t.completed_on <= t.deadline)),
    SUM(t.completed_on IS NOT NULL AND t.deadline IS NOT NULL AND t.completed_on > t.deadline),
    SUM(t.completed_on IS NULL AND (t.deadline IS NULL OR t.deadline >= :today)),
    SUM(t.completed_on IS NULL AND t.deadline < :today)
"""


def _counts(row: Sequence[Any]) -> Counts:
    return Counts(*(int(v or 0) for v in row[:4]))


def _filter(agency_id: int | None, area: int | None) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    if agency_id is not None:
        clauses.append("t.agency_id = :agency")
        params["agency"] = agency_id
    if area is not None:
        clauses.append("t.area = :area" if area >= 0 else "t.area IS NULL")
        params["area"] = area
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def summary(
    db: Database, today: date, *, agency_id: int | None = None, area: int | None = None
) -> Summary:
    """Counts by status, documents, and the per-agency and per-area breakdowns."""
    where, params = _filter(agency_id, area)
    params["today"] = today.isoformat()
    total = db.execute(
        f"SELECT {_COUNT_SQL}, COUNT(DISTINCT t.doc_key) FROM task t{where}", params
    ).fetchone()
    agencies = [
        AgencyRow(Agency(row[4], row[5]), _counts(row))
        for row in db.execute(
            f"SELECT {_COUNT_SQL}, a.id, a.name FROM task t"
            f" JOIN task_agency a ON a.id = t.agency_id{where} GROUP BY a.id",
            params,
        )
    ]
    agencies.sort(key=lambda r: (-r.counts.overdue, -r.counts.total, fold(r.agency.name)))
    areas = [
        AreaRow(-1 if row[4] is None else int(row[4]), _counts(row))
        for row in db.execute(
            f"SELECT {_COUNT_SQL}, t.area FROM task t{where} GROUP BY t.area", params
        )
    ]
    areas.sort(key=lambda r: r.index if r.index >= 0 else len(AREAS))
    return Summary(
        today=today,
        documents=int(total[4] or 0),
        counts=_counts(total),
        by_agency=tuple(agencies),
        by_area=tuple(areas),
    )
