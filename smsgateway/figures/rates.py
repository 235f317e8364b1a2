"""The monthly report's rates, per area and per agency.

- Success: of the applications made in the month, the share confirmed (confirmed, departed
  or a no-show after confirming: `confirmed` ÷ `applied`), and of those confirmed, the share
  that departed (`departed` ÷ `confirmed`). Counted as of now: a month's applications still
  move after it ends, so its rates may rise while they are decided.
- Stability: of the workers who departed in the month 3 (and 6) months before the report's,
  the share still working at 3 (6) months as of the report month's end (`figures.stability`).

A rate whose denominator is zero is None (JSON null, "—" in the CSV and on the console's
page), never 0% nor an error. Counts are made per township and agency in SQL (one query per
figure: a month's applications, and each cohort), then added up the area tree in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..models import Agency, Application, ApplicationStatus, Posting
from . import stability

COHORTS = (3, 6)  # months after departure that stability is measured at
COUNTS = ("applied", "applied_confirmed", "applied_departed",
          *(f"{what}_{n}m" for n in COHORTS for what in ("departed", "working")))
RATES = ("success_rate", "departure_rate", *(f"stability_{n}m" for n in COHORTS))
NO_RATE = "—"  # a rate with nothing to divide by, as the CSV and the console show it
_CONFIRMED = (ApplicationStatus.CONFIRMED, ApplicationStatus.DEPARTED, ApplicationStatus.NO_SHOW)


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent to one decimal; None when `whole` is zero."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Rates:
    """The counts behind the rates, of one area or agency."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    def add(self, other: Rates) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value

    def as_dict(self) -> dict[str, Any]:
        c = self.counts
        return {**c, "success_rate": percent(c["applied_confirmed"], c["applied"]),
                "departure_rate": percent(c["applied_departed"], c["applied_confirmed"]),
                **{f"stability_{n}m": percent(c[f"working_{n}m"], c[f"departed_{n}m"])
                   for n in COHORTS}}


Key = tuple[int, int]  # (township id, agency id)


def by_township_and_agency(session: Session, month_start: datetime, month_end: datetime,
                           cohort_bounds: dict[int, tuple[datetime, datetime]]
                           ) -> dict[Key, Rates]:
    """The counts per (township, agency): the applications made in [month_start, month_end),
    and for each cohort (months → the bounds of its departure month) its departed and still
    working as of `month_end`."""
    found: dict[Key, Rates] = {}
    departed = Application.departed_at.is_not(None)
    confirmed = or_(departed, Application.status.in_(_CONFIRMED))
    for township, agency, applied, n_confirmed, n_departed in session.execute(
            select(Application.township_id, Posting.agency_id, func.count(),
                   func.sum(case((confirmed, 1), else_=0)),
                   func.sum(case((departed, 1), else_=0)))
            .join(Posting, Posting.id == Application.posting_id)
            .where(Application.created_at >= month_start, Application.created_at < month_end)
            .group_by(Application.township_id, Posting.agency_id)):
        counts = found.setdefault((township, agency), Rates()).counts
        counts["applied"] += applied
        counts["applied_confirmed"] += int(n_confirmed or 0)
        counts["applied_departed"] += int(n_departed or 0)
    # Every cohort in one pass: which cohort a departure belongs to, and whether it is
    # still working at that cohort's months (figures/stability.py).
    windows = {n: and_(Application.departed_at >= start, Application.departed_at < end)
               for n, (start, end) in cohort_bounds.items()}
    if windows:
        cohort = case(*((window, n) for n, window in windows.items())).label("cohort")
        working = case(*((and_(window, stability.still_working(n, month_end)), 1)
                         for n, window in windows.items()), else_=0)
        rows = select(Application.township_id, Posting.agency_id, cohort,
                      working.label("working")).join(
            Posting, Posting.id == Application.posting_id).where(or_(*windows.values())
                                                                 ).subquery()
        for township, agency, months, n_departed, n_working in session.execute(
                select(rows.c.township_id, rows.c.agency_id, rows.c.cohort, func.count(),
                       func.sum(rows.c.working))
                .group_by(rows.c.township_id, rows.c.agency_id, rows.c.cohort)):
            counts = found.setdefault((township, agency), Rates()).counts
            counts[f"departed_{months}m"] += n_departed
            counts[f"working_{months}m"] += int(n_working or 0)
    return found


def agencies_under(session: Session, found: dict[Key, Rates],
                   townships: set[int]) -> list[dict[str, Any]]:
    """Each agency's rates over the townships given (an area and those below it), by name;
    agencies with nothing there are left out."""
    per_agency: dict[int, Rates] = {}
    for (township, agency), rates in found.items():
        if township in townships:
            per_agency.setdefault(agency, Rates()).add(rates)
    names = {a.id: a for a in session.scalars(select(Agency).where(
        Agency.id.in_(list(per_agency))))} if per_agency else {}
    rows = [{"agency_id": agency_id, "licence_number": names[agency_id].licence_number,
             "name": names[agency_id].name, **rates.as_dict()}
            for agency_id, rates in per_agency.items()]
    return sorted(rows, key=lambda r: (r["name"], r["agency_id"]))


def cell(value: Any) -> Any:
    """A rate as the CSV writes it: the number, or "—" when there is nothing to divide by."""
    return NO_RATE if value is None else value
