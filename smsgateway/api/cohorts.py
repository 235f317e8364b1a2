"""Cohorts: a departure's workers with their leaders, team reports and arrivals. Officers of
the departure's posting's area name leaders and set the report schedule; the posting's
agency may read; anyone else gets 404 (`access.cohort`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..access import STAFF
from ..db import utcnow
from ..followup import arrival, cohorts, departures
from ..models import (
    CheckIn,
    Cohort,
    CohortLeader,
    CohortMember,
    Departure,
    LeaderRole,
    TeamReport,
    User,
)
from ..services import services
from . import FIRST_PAGE, Paging, page_of, route
from .schemas import Id, Model

RoleName = Literal["squad_leader", "vice_squad_leader", "team_leader"]
ROLES: dict[RoleName, LeaderRole] = {"squad_leader": LeaderRole.SQUAD,
                                     "vice_squad_leader": LeaderRole.VICE_SQUAD,
                                     "team_leader": LeaderRole.TEAM}
ROLE_NAMES: dict[LeaderRole, RoleName] = {role: name for name, role in ROLES.items()}
Arrival = Literal["not_due", "waiting", "answered", "noticed", "heard_family", "heard_team"]


class LeaderIn(Model):
    role: RoleName
    villager_id: Id = Field(description="a member of the cohort")
    team: Annotated[int, Field(ge=1, le=cohorts.TEAM_MAX)] | None = Field(
        default=None, description="team leaders only: the team's number, what TEAM reports name")
    members: list[Id] = Field(default_factory=list, max_length=500,
                              description="team leaders only: the team's members (villager ids)")


class ScheduleIn(Model):
    every_months: Annotated[int, Field(ge=1, le=12)]
    first_report_on: date = Field(description="the day of the first round (asked at 10:00)")


class MemberOut(Model):
    application_id: int
    villager_id: int
    villager_name: str
    villager_phone: str
    status: str = Field(description="the application's status, or home: came home (a "
                                    "check-in answered 3)")
    team: int | None
    roles: list[RoleName]
    arrival: Arrival = Field(description="the arrival check-in: not_due (not sent yet), waiting, "
                                         "answered, noticed (unanswered a day: top of the "
                                         "follow-up list), heard_family or heard_team")
    family_answer: int | None = Field(description="1: the family heard from them, 2: not")


class LeaderOut(Model):
    role: RoleName
    team: int | None
    application_id: int
    villager_id: int
    villager_name: str
    villager_phone: str
    named_at: datetime


class ReportOut(Model):
    id: int
    departure_id: int
    team: int
    round: int | None = Field(description="the schedule's round; null: sent unasked")
    due_at: datetime | None
    asked_at: datetime | None
    chased_at: datetime | None
    missed_at: datetime | None = Field(description="listed for the officer: no answer after "
                                                   "the chase")
    answered_at: datetime | None
    all_well: bool | None
    problem_count: int | None
    text: str | None
    case_id: int | None = Field(description="the case a problem opened")
    leader_at_work: bool = Field(description="false: the team's leader came "
                                 "home (no chase is sent); name a new team leader")


class CohortOut(Model):
    departure_id: int
    posting_id: int
    departure_status: str
    departed_at: datetime | None = Field(description="when the workers left: the departure's "
                                         "leaves_at, or when it was marked departed if "
                                         "earlier (what check-ins and stability count from)")
    report_every_months: int | None
    first_report_at: datetime | None
    members: list[MemberOut]
    leaders: list[LeaderOut]
    reports: list[ReportOut]
    not_answered: list[ReportOut] = Field(description="rounds asked and not answered yet "
                                                      "(chased, or missed)")
    teams_without_leader: list[int] = Field(
        description="teams whose leader came home: no rounds are asked "
                                          "until the officer names a new team leader")


def _report(report: TeamReport, departure_id: int,
            leaderless: set[tuple[int, int]]) -> ReportOut:
    return ReportOut(id=report.id, departure_id=departure_id, team=report.team_number,
                     round=report.round, due_at=report.due_at, asked_at=report.asked_at,
                     chased_at=report.chased_at, missed_at=report.missed_at,
                     answered_at=report.answered_at, all_well=report.all_well,
                     problem_count=report.problem_count, text=report.text,
                     case_id=report.case_id,
                     leader_at_work=(report.cohort_id, report.team_number) not in leaderless)


def _arrivals(db: Session, application_ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """application id → (arrival word, family answer)."""
    checkins = {c.application_id: c for c in db.scalars(select(CheckIn).where(
        CheckIn.application_id.in_(application_ids), CheckIn.number == 0))} \
        if application_ids else {}
    notices = arrival.notices_of(db, [c.id for c in checkins.values()])
    found: dict[int, tuple[str, int | None]] = {}
    for application_id in application_ids:
        checkin = checkins.get(application_id)
        notice = notices.get(checkin.id) if checkin else None
        family = notice.family_answer if notice else None
        if checkin is None:
            word = "not_due"
        elif checkin.answered_at is not None:
            word = "answered"
        elif notice is not None and notice.heard_at is not None:
            word = f"heard_{notice.heard_via}"
        elif notice is not None and notice.noticed_at is not None:
            word = "noticed"
        else:
            word = "waiting" if checkin.closed_at is None else "answered"
        found[application_id] = (word, family)
    return found


def _detail(db: Session, departure: Departure) -> CohortOut:
    cohort = cohorts.of(db, departure)
    people = cohorts.members(db, departure)
    leaders = list(db.scalars(select(CohortLeader).where(CohortLeader.cohort_id == cohort.id)
                              .order_by(CohortLeader.role, CohortLeader.team_number)))\
        if cohort else []
    teams = dict(db.execute(select(CohortMember.application_id, CohortMember.team_number)
                            .where(CohortMember.cohort_id == cohort.id)).all()) \
        if cohort else {}
    reports = list(db.scalars(select(TeamReport).where(TeamReport.cohort_id == cohort.id)
                              .order_by(TeamReport.id))) if cohort else []
    arrivals = _arrivals(db, [a.id for a in people])
    roles: dict[int, list[RoleName]] = {}
    for leader in leaders:
        roles.setdefault(leader.application_id, []).append(ROLE_NAMES[leader.role])
    members = [MemberOut(application_id=a.id, villager_id=a.villager_id,
                         villager_name=a.villager.name, villager_phone=a.villager.contact.phone,
                         status="home" if a.returned_at else a.status.value,
                         team=teams.get(a.id), roles=roles.get(a.id, []),
                         arrival=arrivals[a.id][0],  # type: ignore[arg-type]
                         family_answer=arrivals[a.id][1]) for a in people]
    leaderless = cohorts.teams_without_leader(db, [cohort.id] if cohort else [])
    shown = [_report(r, departure.id, leaderless) for r in reports]
    return CohortOut(
        departure_id=departure.id, posting_id=departure.posting_id,
        departure_status=departure.status.value,
        departed_at=departures.left_at(departure),
        report_every_months=cohort.report_every_months if cohort else None,
        first_report_at=cohort.first_report_at if cohort else None, members=members,
        leaders=[LeaderOut(role=ROLE_NAMES[x.role], team=x.team_number,
                           application_id=x.application_id,
                           villager_id=x.application.villager_id,
                           villager_name=x.application.villager.name,
                           villager_phone=x.application.villager.contact.phone,
                           named_at=x.named_at) for x in leaders],
        reports=shown,
        not_answered=[r for r in shown if r.answered_at is None and r.asked_at is not None],
        teams_without_leader=sorted(team for _, team in leaderless))


@route("/departures/<int:departure_id>/cohort", "GET",
       "A departure's cohort: members, leaders, team reports, who has not answered",
       response=CohortOut)
def get_cohort(db: Session, user: User, departure_id: int) -> CohortOut:
    """Officers of the posting's area, its agency (read only), admins."""
    return _detail(db, access.cohort(db, user, departure_id))


@route("/departures/<int:departure_id>/cohort/leaders", "POST",
       "Name a squad leader, a vice squad leader or a team leader (with the team's members); "
       "the leader is told by SMS what the role means", roles=STAFF, body=LeaderIn,
       response=CohortOut)
def name_leader(db: Session, user: User, body: LeaderIn, departure_id: int) -> CohortOut:
    """Naming a role again replaces the one before (a team by its number)."""
    departure = access.cohort(db, user, departure_id)
    cohorts.name_leader(db, departure, ROLES[body.role], body.villager_id, body.team,
                        body.members, utcnow(), services().settings)
    return _detail(db, departure)


@route("/departures/<int:departure_id>/cohort/schedule", "PUT",
       "Set when team leaders report: every N months from a first day", roles=STAFF,
       body=ScheduleIn, response=CohortOut)
def set_schedule(db: Session, user: User, body: ScheduleIn, departure_id: int) -> CohortOut:
    """Rounds are asked from the first day on, chased once, then listed as missed."""
    departure = access.cohort(db, user, departure_id)
    cohorts.set_schedule(db, departure, body.every_months, body.first_report_on,
                         services().settings)
    return _detail(db, departure)


@route("/cohorts/missed-reports", "GET",
       "Team reports not answered after their chase, in the cohorts the caller may see",
       roles=STAFF, response=ReportOut, paginated=True)
def missed_reports(db: Session, user: User,
                   paging: Paging = FIRST_PAGE) -> tuple[list[ReportOut], int, int, int]:
    """Oldest first."""
    page, per_page = paging
    query = (select(TeamReport).join(Cohort, Cohort.id == TeamReport.cohort_id)
             .where(access.cohorts_seen(db, user), TeamReport.missed_at.is_not(None),
                    TeamReport.answered_at.is_(None))
             .order_by(TeamReport.missed_at, TeamReport.id))
    rows, total = page_of(db, query, paging)
    departure_of = dict(db.execute(select(Cohort.id, Cohort.departure_id).where(
        Cohort.id.in_({r.cohort_id for r in rows}))).all()) if rows else {}
    leaderless = cohorts.teams_without_leader(db, list(departure_of))
    return ([_report(r, departure_of[r.cohort_id], leaderless) for r in rows], total, page,
            per_page)
