"""Records that warn the next villager: for an agency or an employer, what became of the
workers it placed.

- placed: its postings' applications that departed (`departed_at` set);
- working at 3 and 6 months: of those who departed at least N months before the as-of
  instant, how many had not come home by N months after leaving (`returned_at` null or
  later) — the programme's shared definition of "still working at N months";
- pay checks: asked, answered, answered "paid in full" (all months), and the same for the
  month before the as-of month ("last month", what villagers are told);
- promises: arrival promise checks answered (both questions answered, or either answered
  no), and kept (both yes);
- cases: opened against it (any category), of them "contract not as promised", and
  resolved (resolved or closed).

A villager hears one line of it, the employer's pay last month, only when at least
`MIN_ANSWERS` workers answered, so that no answer can be traced back to one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..models import (
    Application,
    Area,
    AreaLevel,
    Case,
    CaseCategory,
    CaseStatus,
    PayAnswer,
    PayCheck,
    Posting,
    PromiseCheck,
    RecordThreshold,
    User,
)
from . import stability

MIN_ANSWERS = 5  # answers a share needs before a villager (or an agency) may read it
STABILITY_MONTHS = (3, 6)
OWNERS = ("agency", "employer")


@dataclass(frozen=True)
class Share:
    """`count` of `of` (a share: `percent` is None when `of` is 0)."""

    count: int
    of: int

    @property
    def percent(self) -> int | None:
        """The share in whole percent, rounded down (so 99.6% is never "100")."""
        return self.count * 100 // self.of if self.of else None


@dataclass(frozen=True)
class Record:
    """An agency's or an employer's record as of an instant."""

    owner: str  # agency | employer
    owner_id: int
    name: str
    placed: int
    working_3_months: Share  # of those who left at least 3 months before
    working_6_months: Share
    pay_checks_asked: int
    paid_in_full: Share  # of the pay checks answered
    paid_in_full_last_month: Share
    last_month: str  # "YYYY-MM"
    promises_kept: Share  # of the promise checks answered
    cases_opened: int
    contract_cases: int
    cases_resolved: int


def _posting_of(owner: str, owner_id: int) -> ColumnElement[bool]:
    column = Posting.agency_id if owner == "agency" else Posting.employer_id
    return column == owner_id


def month_before(at: datetime, timezone: str) -> str:
    """The local month before the one `at` falls in, as "YYYY-MM"."""
    local = at.astimezone(ZoneInfo(timezone))
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def _stability(session: Session, owner: str, owner_id: int,
               at: datetime) -> tuple[int, dict[int, Share]]:
    """Placed, and working at each of STABILITY_MONTHS, as `figures.stability` counts them
    for the monthly report (one definition, in SQL: the months are added by the database,
    so the records and the report agree whatever calendar it adds them in)."""
    where, joins = _posting_of(owner, owner_id), ((Posting, Posting.id == Application.posting_id),)
    placed = session.scalar(select(func.count()).select_from(Application).join(*joins[0])
                            .where(where, Application.departed_at.is_not(None)))
    shares = {}
    for months in STABILITY_MONTHS:
        due, working = stability.stability(session, (), months, at, where,
                                           joins=joins).get((), (0, 0))
        shares[months] = Share(working, due)
    return int(placed or 0), shares


def _pay(session: Session, owner: str, owner_id: int,
         period: str | None = None) -> tuple[int, Share]:
    """Pay checks asked, and paid in full of those answered (one period, or all)."""
    query = (select(func.count(),
                    func.count(PayCheck.answer),
                    func.coalesce(func.sum(case((PayCheck.answer == PayAnswer.FULL, 1),
                                                else_=0)), 0))
             .select_from(PayCheck)
             .join(Application, Application.id == PayCheck.application_id)
             .join(Posting, Posting.id == Application.posting_id)
             .where(_posting_of(owner, owner_id)))
    if period is not None:
        query = query.where(PayCheck.period == period)
    asked, answered, full = session.execute(query).one()
    return int(asked), Share(int(full), int(answered))


def _promises(session: Session, owner: str, owner_id: int) -> Share:
    """Promise checks kept (both yes) of those answered (both answered, or a no)."""
    kept = and_(PromiseCheck.job_as_promised.is_(True), PromiseCheck.pay_as_promised.is_(True))
    answered = or_(kept, PromiseCheck.job_as_promised.is_(False),
                   PromiseCheck.pay_as_promised.is_(False))
    counts = session.execute(
        select(func.coalesce(func.sum(case((kept, 1), else_=0)), 0),
               func.coalesce(func.sum(case((answered, 1), else_=0)), 0))
        .select_from(PromiseCheck)
        .join(Application, Application.id == PromiseCheck.application_id)
        .join(Posting, Posting.id == Application.posting_id)
        .where(_posting_of(owner, owner_id))).one()
    return Share(int(counts[0]), int(counts[1]))


def _cases(session: Session, owner: str, owner_id: int) -> tuple[int, int, int]:
    column = Case.agency_id if owner == "agency" else Case.employer_id
    settled = (CaseStatus.RESOLVED, CaseStatus.CLOSED)
    opened, contract, resolved = session.execute(
        select(func.count(),
               func.coalesce(func.sum(case((Case.category == CaseCategory.CONTRACT, 1),
                                           else_=0)), 0),
               func.coalesce(func.sum(case((Case.status.in_(settled), 1), else_=0)), 0))
        .where(column == owner_id)).one()
    return int(opened), int(contract), int(resolved)


def record(session: Session, owner: str, owner_id: int, name: str, at: datetime,
           timezone: str) -> Record:
    """The record of agency or employer `owner_id` as of the instant `at`."""
    placed, stability = _stability(session, owner, owner_id, at)
    asked, paid = _pay(session, owner, owner_id)
    last_month = month_before(at, timezone)
    opened, contract, resolved = _cases(session, owner, owner_id)
    return Record(owner=owner, owner_id=owner_id, name=name, placed=placed,
                  working_3_months=stability[3], working_6_months=stability[6],
                  pay_checks_asked=asked, paid_in_full=paid,
                  paid_in_full_last_month=_pay(session, owner, owner_id, last_month)[1],
                  last_month=last_month, promises_kept=_promises(session, owner, owner_id),
                  cases_opened=opened, contract_cases=contract, cases_resolved=resolved)


def paid_last_month(session: Session, employer_id: int, at: datetime,
                    timezone: str) -> Share | None:
    """The villager's line: the employer's workers paid in full last month, of those who
    answered; None when fewer than MIN_ANSWERS answered (no answer may point at a person)."""
    share = _pay(session, "employer", employer_id, month_before(at, timezone))[1]
    return share if share.of >= MIN_ANSWERS else None


def as_json(found: Record, hide_small: bool = False) -> dict[str, Any]:
    """The record as the API answers it: each share as {count, of, percent}. `hide_small`:
    answered shares below MIN_ANSWERS answers show only `of` (for an agency's own view)."""

    def share(value: Share, answers: bool = True) -> dict[str, Any]:
        if hide_small and answers and value.of < MIN_ANSWERS:
            return {"count": None, "of": value.of, "percent": None}
        return {"count": value.count, "of": value.of, "percent": value.percent}

    return {
        "owner": found.owner, "id": found.owner_id, "name": found.name,
        "placed": found.placed,
        "working_3_months": share(found.working_3_months, answers=False),
        "working_6_months": share(found.working_6_months, answers=False),
        "pay_checks_asked": found.pay_checks_asked,
        "paid_in_full": share(found.paid_in_full),
        "paid_in_full_last_month": {**share(found.paid_in_full_last_month),
                                    "month": found.last_month},
        "promises_kept": share(found.promises_kept),
        "cases_opened": found.cases_opened, "contract_cases": found.contract_cases,
        "cases_resolved": found.cases_resolved,
    }


def below(found: Record, percent: int) -> list[str]:
    """The shares of the record under `percent` (paid in full, promises kept); a share
    nobody answered yet is not judged."""
    shares = {"paid_in_full": found.paid_in_full, "promises_kept": found.promises_kept}
    return [name for name, value in shares.items()
            if value.percent is not None and value.percent < percent]


def local_end_of(day: date, timezone: str) -> datetime:
    """The instant a record "as of" a local day is taken at: the end of that day."""
    zone = ZoneInfo(timezone)
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=zone)


# --- Vetting: the agency's record against the county's threshold ---

SECOND_LOOK = "agency_record_second_look"  # the checklist item an officer must tick


def county_of(session: Session, area_id: int) -> Area | None:
    """The county an area lies in (itself for a county; None for the city)."""
    area = session.get(Area, area_id)
    while area is not None and area.level == AreaLevel.TOWNSHIP:
        area = area.parent
    return area if area is not None and area.level == AreaLevel.COUNTY else None


def threshold_of(session: Session, county_id: int) -> RecordThreshold | None:
    """The county's threshold, if its officers set one."""
    return session.scalars(select(RecordThreshold)
                           .where(RecordThreshold.area_id == county_id)).first()


def set_threshold(session: Session, county: Area, percent: int, by: User,
                  now: datetime) -> RecordThreshold:
    """Set (or change) the county's threshold."""
    found = threshold_of(session, county.id)
    if found is None:
        found = RecordThreshold(area_id=county.id, percent=percent)
        session.add(found)
    found.percent, found.set_by_id, found.set_at = percent, by.id, now
    session.flush()
    return found


@dataclass(frozen=True)
class Vetting:
    """What the vetting officer sees of the posting's agency: its record, the county's
    threshold, and the shares that fall below it (any: a second look must be ticked)."""

    record: Record
    threshold: int | None
    below: list[str]


def vetting(session: Session, posting: Posting, at: datetime, timezone: str) -> Vetting:
    """The agency's record as the vetting checklist shows it."""
    found = record(session, "agency", posting.agency_id, posting.agency.name, at, timezone)
    county = county_of(session, posting.area_id)
    threshold = threshold_of(session, county.id) if county is not None else None
    percent = threshold.percent if threshold is not None else None
    return Vetting(found, percent, below(found, percent) if percent is not None else [])


def vetting_checks(session: Session, posting: Posting, at: datetime, timezone: str,
                   second_look: bool) -> dict[str, bool]:
    """The checklist's extra item: present only when the agency's record falls below the
    county's threshold, and passed only when the officer ticked the second look."""
    return {SECOND_LOOK: second_look} if vetting(session, posting, at, timezone).below else {}
