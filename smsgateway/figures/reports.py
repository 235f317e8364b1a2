"""The programme's monthly figures, computed from the records: per area and its children,
with zero-report marks and completion of the annual targets.

Every figure is counted in SQL per township (`GROUP BY`), then added up the area tree (a
city of about a hundred areas) in Python. A month is the programme's local month
(`TIMEZONE`). Figures, for the month unless said otherwise:

- registered: villagers registered; trained_men, trained_women: enrolments completed;
- placed: placements that departed, by destination category and by destination province;
- confirmed_waiting: placements confirmed and not yet departed (as of now: a snapshot);
- checkins_answered, returned: check-ins answered, workers who came home;
- cases_opened, cases_resolved: problem reports opened, and resolved;
- income: the placements' estimated income, each its monthly wage (the middle of the
  posting's range) times the months its contract runs, as the programme's report estimates;
- pay checks about the month's pay (period = the month, asked after the next pay day):
  pay_checks_asked, pay_checks_answered, pay_checks_unanswered (reminded once, then left),
  paid_in_full, and pay_missing_amount (yuan the workers reported missing), per township
  of the placement.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from ..kernel import csvsafe
from ..kernel.areas import area_ids_under
from ..models import (
    Application,
    ApplicationStatus,
    Area,
    Case,
    CaseEvent,
    CaseStatus,
    CheckIn,
    Destination,
    Enrolment,
    EnrolmentStatus,
    PayCheckTotal,
    Posting,
    Sex,
    Target,
    Villager,
)
from . import rates

COUNTS: tuple[str, ...]  # the figures of an area's line (pay checks appended below)
COUNTS = ("registered", "trained_men", "trained_women", "placed", "placed_within_city",
          "placed_in_province", "placed_outside_province", "confirmed_waiting",
          "checkins_answered", "returned", "cases_opened", "cases_resolved", "income")
# Pay checks (followup/paychecks.py), counted by `add_pay_check_figures`
PAY_CHECK_COUNTS = ("pay_checks_asked", "pay_checks_answered", "pay_checks_unanswered",
                    "paid_in_full", "pay_missing_amount")
COUNTS = (*COUNTS, *PAY_CHECK_COUNTS)
DESTINATIONS = {Destination.WITHIN_CITY: "placed_within_city",
                Destination.IN_PROVINCE: "placed_in_province",
                Destination.OUTSIDE_PROVINCE: "placed_outside_province"}


@dataclass
class Figures:
    """One area's figures for the month."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    provinces: dict[str, int] = field(default_factory=dict)  # placed, by destination province

    def add(self, other: Figures) -> None:
        for key, value in other.counts.items():
            self.counts[key] += value
        for province, value in other.provinces.items():
            self.provinces[province] = self.provinces.get(province, 0) + value

    @property
    def zero(self) -> bool:
        """Nothing to report: the area files a zero report."""
        return not any(self.counts.values())


def month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants a local month (`YYYY-MM`) starts and ends; ValueError if malformed."""
    first = datetime.strptime(month, "%Y-%m").date()
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    zone = ZoneInfo(timezone)
    start, end = (datetime.combine(d, datetime.min.time(), zone).astimezone(UTC)
                  for d in (first, after))
    return start, end


def township_figures(session: Session, start: datetime, end: datetime,
                     all_figures: bool = True) -> dict[int, Figures]:
    """The figures of [start, end) per township id (townships with nothing are absent);
    only the trained (not by sex) and the placed unless `all_figures` (what year-to-date
    needs). Each query reads one index of the migrations (see the models' indexes)."""
    found: dict[int, Figures] = {}

    def count(query: Select[int, int], key: str) -> None:
        for township, n in session.execute(query):
            found.setdefault(township, Figures()).counts[key] += n

    def in_range(column: Any) -> Any:
        return and_(column >= start, column < end)

    completed = and_(Enrolment.status == EnrolmentStatus.COMPLETED,
                     in_range(Enrolment.completed_at))
    if all_figures:  # men and women: each of the month's completions looks up its sex
        # A scalar subquery per completion (a primary-key lookup each, a few thousand a
        # month), not a join: PostgreSQL's planner hash-joined the whole villagers table to
        # them, 2-3x slower at 1,000,000 villagers (bench/report.py).
        sex_of = (select(Villager.sex).where(Villager.id == Enrolment.villager_id)
                  .correlate(Enrolment).scalar_subquery())
        for township, sex, n in session.execute(
                select(Enrolment.township_id, sex_of, func.count()).where(completed)
                .group_by(Enrolment.township_id, sex_of)):
            key = "trained_men" if sex == Sex.MALE else "trained_women"
            found.setdefault(township, Figures()).counts[key] += n
    else:
        count(select(Enrolment.township_id, func.count()).where(completed)
              .group_by(Enrolment.township_id), "trained_men")  # both sexes, summed below
    if not all_figures:  # the year to date: placements alone, from one index
        count(select(Application.township_id, func.count())
              .where(in_range(Application.departed_at)).group_by(Application.township_id),
              "placed")
        return found
    wage = (Posting.wage_min + Posting.wage_max) * Posting.contract_months
    for township, destination, province, n, income in session.execute(
            select(Application.township_id, Posting.destination, Posting.destination_province,
                   func.count(), func.coalesce(func.sum(wage), 0))
            .join(Posting, Posting.id == Application.posting_id)
            .where(in_range(Application.departed_at))
            .group_by(Application.township_id, Posting.destination,
                      Posting.destination_province)):
        figures = found.setdefault(township, Figures())
        figures.counts["placed"] += n
        figures.counts[DESTINATIONS[destination]] += n
        figures.counts["income"] += int(income) // 2  # the middle of the wage range
        figures.provinces[province] = figures.provinces.get(province, 0) + n
    count(select(Villager.township_id, func.count()).where(in_range(Villager.created_at))
          .group_by(Villager.township_id), "registered")
    count(select(Application.township_id, func.count())
          .where(Application.status == ApplicationStatus.CONFIRMED)
          .group_by(Application.township_id), "confirmed_waiting")
    count(select(CheckIn.township_id, func.count()).where(in_range(CheckIn.answered_at))
          .group_by(CheckIn.township_id), "checkins_answered")
    count(select(Application.township_id, func.count()).where(in_range(Application.returned_at))
          .group_by(Application.township_id), "returned")
    count(select(Case.area_id, func.count()).where(in_range(Case.created_at))
          .group_by(Case.area_id), "cases_opened")
    count(select(Case.area_id, func.count(func.distinct(Case.id)))
          .join(CaseEvent, CaseEvent.case_id == Case.id)
          .where(CaseEvent.status == CaseStatus.RESOLVED, in_range(CaseEvent.at))
          .group_by(Case.area_id), "cases_resolved")
    return found


def add_pay_check_figures(session: Session, found: dict[int, Figures], month: str) -> None:
    """The pay checks about `month`'s pay, per township of the placement, added to `found`:
    the month's rows of pay_check_totals, kept as pay checks are asked and answered."""
    for total in session.scalars(select(PayCheckTotal).where(PayCheckTotal.period == month)):
        counts = found.setdefault(total.township_id, Figures()).counts
        counts["pay_checks_asked"] += total.asked
        counts["pay_checks_answered"] += total.answered
        counts["pay_checks_unanswered"] += total.asked - total.answered
        counts["paid_in_full"] += total.paid_in_full
        counts["pay_missing_amount"] += total.missing_amount


@dataclass
class AreaReport:
    """An area's line of the report."""

    area: Area
    figures: Figures
    target_trained: int | None = None
    target_placed: int | None = None
    trained_this_year: int = 0
    placed_this_year: int = 0

    def as_dict(self) -> dict[str, Any]:
        def percent(done: int, target: int | None) -> float | None:
            return round(100 * done / target, 1) if target else None

        return {
            "area": self.area.code, "level": self.area.level.value,
            "name_zh": self.area.name_zh, "name_en": self.area.name_en,
            **self.figures.counts, "placed_by_province": dict(sorted(
                self.figures.provinces.items())),
            "zero_report": self.figures.zero,
            "target_trained": self.target_trained, "target_placed": self.target_placed,
            "trained_this_year": self.trained_this_year,
            "placed_this_year": self.placed_this_year,
            "trained_percent": percent(self.trained_this_year, self.target_trained),
            "placed_percent": percent(self.placed_this_year, self.target_placed),
        }


def _sum_up(areas: list[Area], per_township: dict[int, Figures]) -> dict[int, Figures]:
    """Figures for every area: a township's own, a county's and the city's summed below."""
    totals = {a.id: Figures() for a in areas}
    parent = {a.id: a.parent_id for a in areas}
    for township_id, figures in per_township.items():
        node: int | None = township_id
        while node is not None and node in totals:
            totals[node].add(figures)
            node = parent[node]
    return totals


def monthly(session: Session, area_code: str, month: str, timezone: str) -> dict[str, Any]:
    """The report of `month` for an area and its children (a township has none)."""
    areas = list(session.scalars(select(Area).order_by(Area.position, Area.id)))
    by_code = {a.code: a for a in areas}
    area = by_code[area_code]
    start, end = month_bounds(month, timezone)
    per_township = township_figures(session, start, end)
    add_pay_check_figures(session, per_township, month)
    totals = _sum_up(areas, per_township)
    year_start, _ = month_bounds(f"{start.astimezone(ZoneInfo(timezone)).year}-01", timezone)
    year = _sum_up(areas, township_figures(session, year_start, end, all_figures=False))
    children = [a for a in areas if a.parent_id == area.id]
    targets = {t.area_id: t for t in session.scalars(select(Target).where(
        Target.year == int(month[:4]), Target.area_id.in_([area.id] + [c.id for c in children])))}

    def line(a: Area) -> AreaReport:
        target = targets.get(a.id)
        done = year[a.id].counts  # trained of both sexes under "trained_men" (see above)
        return AreaReport(a, totals[a.id], target.trained if target else None,
                          target.placed if target else None,
                          done["trained_men"] + done["trained_women"], done["placed"])

    rows = [line(area)] + [line(c) for c in children]
    report = {"month": month, "area": area.code, "level": area.level.value,
              "rows": [r.as_dict() for r in rows],
              "zero_report_areas": [r.area.code for r in rows[1:] if r.figures.zero]}
    _add_rates(session, report, areas, area, children, month, timezone)
    return report


# --- The success and stability rates (figures/rates.py): beside each area's figures, and
# each agency's over the area; they do not count towards a zero report.


def _add_rates(session: Session, report: dict[str, Any], areas: list[Area], area: Area,
               children: list[Area], month: str, timezone: str) -> None:
    start, end = month_bounds(month, timezone)
    cohorts = {n: month_bounds(months_ending(month, n + 1)[0], timezone)
               for n in rates.COHORTS}
    found = rates.by_township_and_agency(session, start, end, cohorts)
    per_township: dict[int, rates.Rates] = {}
    for (township, _agency), counted in found.items():
        per_township.setdefault(township, rates.Rates()).add(counted)
    totals = {a.id: rates.Rates() for a in areas}
    parent = {a.id: a.parent_id for a in areas}
    for township_id, counted in per_township.items():
        node: int | None = township_id
        while node is not None and node in totals:
            totals[node].add(counted)
            node = parent[node]
    for row, shown in zip(report["rows"], [area, *children], strict=True):
        row.update(totals[shown.id].as_dict())
    report["agencies"] = rates.agencies_under(session, found,
                                              area_ids_under(session, area.id))


def months_ending(month: str, count: int) -> list[str]:
    """The `count` months (`YYYY-MM`) ending with `month`, oldest first."""
    last = int(month[:4]) * 12 + int(month[5:7]) - 1
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(last - count + 1, last + 1)]


def trained_and_placed_by_month(session: Session, area_code: str, months: list[str],
                                timezone: str) -> list[tuple[str, int, int]]:
    """(month, trained, placed) of an area for consecutive local `months`, oldest first: the
    report's trained and placed figures (what `monthly` counts), in one query per figure
    however many months, each row put in its month by a CASE over the months' starts."""
    area_id = session.scalar(select(Area.id).where(Area.code == area_code))
    townships = area_ids_under(session, area_id if area_id is not None else -1)
    starts = [month_bounds(m, timezone)[0] for m in months]
    end = month_bounds(months[-1], timezone)[1]
    found = {m: [0, 0] for m in months}

    def count(column: Any, township: Any, *conditions: Any) -> list[tuple[int, int]]:
        which = (case(*((column < start, n) for n, start in enumerate(starts[1:])),
                      else_=len(starts) - 1) if len(starts) > 1 else literal(0)).label("month")
        rows = select(which).where(column >= starts[0], column < end,
                                   township.in_(townships), *conditions).subquery()
        return [(n, k) for n, k in session.execute(
            select(rows.c.month, func.count()).group_by(rows.c.month))]

    for n, k in count(Enrolment.completed_at, Enrolment.township_id,
                      Enrolment.status == EnrolmentStatus.COMPLETED):
        found[months[n]][0] += k
    for n, k in count(Application.departed_at, Application.township_id):
        found[months[n]][1] += k
    return [(m, trained, placed) for m, (trained, placed) in found.items()]


CSV_COLUMNS = ("area", "level", "name_zh", "name_en", *COUNTS, "zero_report",
               "target_trained", "trained_this_year", "trained_percent", "target_placed",
               "placed_this_year", "placed_percent", "placed_by_province")
RATE_COLUMNS = (*rates.COUNTS, *rates.RATES)  # after CSV_COLUMNS; agencies' lines have only these


def as_csv(report: dict[str, Any]) -> str:
    """The report as CSV: one line per area, the same figures as the JSON."""
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow((*CSV_COLUMNS, *RATE_COLUMNS))
    for row in report["rows"]:
        provinces = ";".join(f"{p}={n}" for p, n in row["placed_by_province"].items())
        writer.writerow([provinces if c == "placed_by_province" else
                         "" if row[c] is None else row[c] for c in CSV_COLUMNS]
                        + [rates.cell(row[c]) for c in RATE_COLUMNS])
    for agency in report.get("agencies", []):  # one line per agency: level "agency"
        writer.writerow([agency["licence_number"], "agency", agency["name"], agency["name"],
                         *([""] * (len(CSV_COLUMNS) - 4)),
                         *(rates.cell(agency[c]) for c in RATE_COLUMNS)])
    return out.getvalue()

