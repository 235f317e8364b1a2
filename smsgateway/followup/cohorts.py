"""Cohorts: a departure's workers, who left together, with their leaders (a squad leader,
a vice squad leader, team leaders over some members), each told by SMS what the role
means; team reports on the schedule an officer sets, chased once, then listed.

Schedule: round k (k ≥ 1) of a cohort's reports is due `report_every_months` × (k − 1)
months after `first_report_at`. The periodic job (`run`) asks each team leader for the
latest due round once (not every round it missed), chases an unanswered one after
TEAM_REPORT_CHASE_DAYS, and after as many days again marks it missed: listed for the
officer (the cohort page's `not_answered`). A late report still answers it. Nothing is
asked or chased in the quiet hours; marking goes on.

A worker who came home (a check-in answered 3: `returned_at`) no longer counts in a team's
size; a team whose leader came home gets no rounds and no chase (a round already asked is
listed, unchased, when its chase falls due) until the officer names a new leader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from menus.departures import when_text

from ..kernel.errors import Refused
from ..kernel.quiet import in_quiet_hours
from ..messaging.outbox import add_message
from ..models import (
    Application,
    ApplicationStatus,
    Cohort,
    CohortLeader,
    CohortMember,
    Departure,
    DepartureStatus,
    LeaderRole,
    TeamReport,
    Villager,
)
from ..postings.core import city_in
from ..templates import Templated, templated
from . import arrival, departures
from .cases import open_case
from .checkins import add_months

REPORT_HOUR = 10  # local hour at which a round of team reports is due
TEAM_MAX = 99  # team numbers run from 1 to this
ROLE_KEYS = {LeaderRole.SQUAD: "sms_leader_squad", LeaderRole.VICE_SQUAD: "sms_leader_vice_squad",
             LeaderRole.TEAM: "sms_leader_team"}


def of(session: Session, departure: Departure, make: bool = False) -> Cohort | None:
    """The departure's cohort (made when `make` and it has none yet)."""
    found = session.scalars(select(Cohort).where(Cohort.departure_id == departure.id)).first()
    if found is None and make:
        if departure.status == DepartureStatus.CANCELLED:
            raise Refused("the departure is cancelled", "departure_id")
        found = Cohort(departure=departure)
        session.add(found)
        session.flush()
    return found


def members(session: Session, departure: Departure) -> list[Application]:
    """The cohort's members: the roster's applications but those who said they cannot go
    (once departed, those who went)."""
    if departure.status == DepartureStatus.DEPARTED:
        return [a for a, _ in departures.roster(session, departure)
                if a.status == ApplicationStatus.DEPARTED]
    return [a for a, going in departures.roster(session, departure) if going is not False]


def _member(session: Session, departure: Departure, villager_id: int, field: str) -> Application:
    found = next((a for a in members(session, departure) if a.villager_id == villager_id), None)
    if found is None:
        raise Refused(f"villager {villager_id} is not a member of this cohort", field, 422)
    return found


def name_leader(session: Session, departure: Departure, role: LeaderRole, villager_id: int,
                team: int | None, member_ids: Sequence[int], now: datetime,
                settings: Mapping[str, Any]) -> CohortLeader:
    """Name a leader (replacing the one in that role, or that team's), put a team leader's
    members (and the leader) in the team, and text the leader what the role means."""
    if role == LeaderRole.TEAM and (team is None or not 1 <= team <= TEAM_MAX):
        raise Refused(f"a team leader needs a team number from 1 to {TEAM_MAX}", "team", 422)
    if role != LeaderRole.TEAM and (team is not None or member_ids):
        raise Refused("only a team leader has a team and members", "team", 422)
    application = _member(session, departure, villager_id, "villager_id")
    if application.returned_at is not None:
        raise Refused(f"villager {villager_id} came home: name a member still at work",
                      "villager_id", 422)
    team_members = [application] + [_member(session, departure, v, "members")
                                    for v in member_ids if v != villager_id]
    cohort = of(session, departure, make=True)
    assert cohort is not None
    session.execute(delete(CohortLeader).where(
        CohortLeader.cohort_id == cohort.id, CohortLeader.role == role,
        CohortLeader.team_number == team if team is not None
        else CohortLeader.team_number.is_(None)))
    leader = CohortLeader(cohort_id=cohort.id, application=application, role=role,
                          team_number=team, named_at=now)
    session.add(leader)
    if team is not None:
        ids = [a.id for a in team_members]
        session.execute(delete(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                   CohortMember.application_id.in_(ids)))
        session.add_all(CohortMember(cohort_id=cohort.id, application_id=a.id, team_number=team)
                        for a in team_members)
    session.flush()
    _tell_leader(session, departure, leader, settings)
    return leader


def team_size(session: Session, cohort_id: int, team: int) -> int:
    """The team's members still at work (a member who came home no longer counts)."""
    return session.scalar(select(func.count()).select_from(CohortMember)
                          .join(Application, Application.id == CohortMember.application_id)
                          .where(CohortMember.cohort_id == cohort_id,
                                 CohortMember.team_number == team,
                                 Application.returned_at.is_(None))) or 0


def leader_text(departure: Departure, role: LeaderRole, team: int | None, size: int,
                lang: str, zone: ZoneInfo) -> Templated:
    """What a leader is told of the role: the day the group left, the city (English: the
    gazetteer's GSM-7 name), a team leader's team and its size; within the cap."""
    when = when_text(departure.leaves_at.astimezone(zone), lang).rsplit(" ", 1)[0]  # the day
    values: dict[str, object] = {"when": when, "city": city_in(departure.posting, lang)}
    if team is not None:
        values |= {"team": team, "size": size}
    return templated(lang, ROLE_KEYS[role], **values)


def _tell_leader(session: Session, departure: Departure, leader: CohortLeader,
                 settings: Mapping[str, Any]) -> None:
    contact = leader.application.villager.contact
    lang = contact.language or settings["DEFAULT_LANGUAGE"]
    size = 0 if leader.team_number is None else team_size(session, leader.cohort_id,
                                                          leader.team_number)
    text = leader_text(departure, leader.role, leader.team_number, size, lang,
                       ZoneInfo(settings["TIMEZONE"]))
    add_message(session, contact, text, kind="cohort", channel=settings["SMS_PROVIDER"])


def set_schedule(session: Session, departure: Departure, every_months: int, first: date,
                 settings: Mapping[str, Any]) -> Cohort:
    """Team reports every `every_months` months from `first` (at REPORT_HOUR, local)."""
    cohort = of(session, departure, make=True)
    assert cohort is not None
    cohort.report_every_months = every_months
    cohort.first_report_at = datetime.combine(first, time(REPORT_HOUR),
                                              ZoneInfo(settings["TIMEZONE"]))
    session.flush()
    return cohort


def due_at(cohort: Cohort, round_number: int) -> datetime:
    """When round `round_number` (from 1) is due."""
    assert cohort.first_report_at is not None and cohort.report_every_months
    return add_months(cohort.first_report_at, cohort.report_every_months * (round_number - 1))


def latest_round(cohort: Cohort, now: datetime) -> int:
    """The latest round due at `now` (0: none yet)."""
    if cohort.first_report_at is None or not cohort.report_every_months:
        return 0
    number = 0
    while due_at(cohort, number + 1) <= now:
        number += 1
    return number


# --- What the conversation reads, and a leader's report ---------------------------------------


@dataclass(frozen=True)
class Lead:
    """A team the villager leads, with what a report needs to know."""

    cohort_id: int
    team: int
    size: int
    asked_at: datetime | None
    last: tuple[bool, int, str] | None


def _open_round(session: Session, cohort_id: int, team: int) -> TeamReport | None:
    return session.scalars(select(TeamReport).where(
        TeamReport.cohort_id == cohort_id, TeamReport.team_number == team,
        TeamReport.round.is_not(None), TeamReport.answered_at.is_(None))
        .order_by(TeamReport.round.desc())).first()


def _last_answered(session: Session, cohort_id: int, team: int) -> TeamReport | None:
    return session.scalars(select(TeamReport).where(
        TeamReport.cohort_id == cohort_id, TeamReport.team_number == team,
        TeamReport.answered_at.is_not(None))
        .order_by(TeamReport.answered_at.desc(), TeamReport.id.desc())).first()


def _leading(session: Session, villager_id: int) -> list[CohortLeader]:
    """The villager's team leaderships in cohorts away now (departed, not come home)."""
    return list(session.scalars(
        select(CohortLeader).join(Application, Application.id == CohortLeader.application_id)
        .join(Cohort, Cohort.id == CohortLeader.cohort_id)
        .join(Departure, Departure.id == Cohort.departure_id)
        .where(Application.villager_id == villager_id, CohortLeader.role == LeaderRole.TEAM,
               Application.status == ApplicationStatus.DEPARTED,
               Application.returned_at.is_(None), Departure.status == DepartureStatus.DEPARTED)
        .order_by(Cohort.id.desc())))


def teams_led(session: Session, villager_id: int) -> list[Lead]:
    """The teams the villager leads, newest cohort first."""
    leads = []
    for leader in _leading(session, villager_id):
        assert leader.team_number is not None
        waiting = _open_round(session, leader.cohort_id, leader.team_number)
        last = _last_answered(session, leader.cohort_id, leader.team_number)
        leads.append(Lead(leader.cohort_id, leader.team_number,
                          team_size(session, leader.cohort_id, leader.team_number),
                          waiting.asked_at if waiting else None,
                          (bool(last.all_well), last.problem_count or 0, last.text or "")
                          if last else None))
    return leads


def record_report(session: Session, villager: Villager, cohort_id: int, team: int,
                  all_well: bool, count: int, text: str, channel: str,
                  now: datetime) -> TeamReport | None:
    """A leader's report: it answers the team's open round, or is kept as an extra one. A
    problem opens a case (linked to the report, so to the cohort); all well answers for
    the team's members whose arrival check-in is open (`arrival.heard_by_team`)."""
    leader = next((lead for lead in _leading(session, villager.id)
                   if lead.cohort_id == cohort_id and lead.team_number == team), None)
    if leader is None:
        return None
    report = _open_round(session, cohort_id, team)
    if report is None:
        report = TeamReport(cohort_id=cohort_id, team_number=team)
        session.add(report)
    report.answered_at, report.leader_application_id = now, leader.application_id
    report.all_well, report.problem_count, report.text = all_well, count, text or None
    session.flush()
    if not all_well:
        cohort = session.get(Cohort, cohort_id)
        assert cohort is not None
        description = (f"Team {team} report (cohort of departure {cohort.departure_id}): "
                       f"{count} member(s) with a problem: {text}").strip()
        report.case_id = open_case(session, villager, "other", description, anonymous=False,
                                   via="team", channel=channel,
                                   application=leader.application).id
    else:
        team_apps = session.scalars(select(CohortMember.application_id).where(
            CohortMember.cohort_id == cohort_id, CohortMember.team_number == team)).all()
        arrival.heard_by_team(session, [*team_apps, leader.application_id], report.id, now)
    session.flush()
    return report


# --- The periodic job ------------------------------------------------------------------------


def _leader_of(session: Session, cohort_id: int, team: int) -> CohortLeader | None:
    return session.scalars(select(CohortLeader).where(
        CohortLeader.cohort_id == cohort_id, CohortLeader.role == LeaderRole.TEAM,
        CohortLeader.team_number == team)
        .options(joinedload(CohortLeader.application).joinedload(Application.villager)
                 .joinedload(Villager.contact))).first()


def _ask(session: Session, report: TeamReport, key: str,
         settings: Mapping[str, Any]) -> bool:
    leader = _leader_of(session, report.cohort_id, report.team_number)
    if leader is None or leader.application.returned_at is not None:
        return False
    contact = leader.application.villager.contact
    lang = contact.language or settings["DEFAULT_LANGUAGE"]
    return add_message(session, contact, templated(lang, key, team=report.team_number),
                       kind="team-report", channel=settings["SMS_PROVIDER"]) is not None


def _ask_due(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Ask each team leader for the latest due round not asked yet. A round whose ask
    cannot be sent (the leader opted out) is listed for the officer at once (`missed_at`),
    as an unsendable chase is: nobody waits days for an answer to an SMS never sent."""
    asked = 0
    cohorts = session.scalars(select(Cohort).join(Departure, Departure.id == Cohort.departure_id)
                              .where(Departure.status == DepartureStatus.DEPARTED,
                                     Cohort.first_report_at.is_not(None))).all()
    for cohort in cohorts:
        number = latest_round(cohort, now)
        if number == 0:
            continue
        teams = session.scalars(  # a team whose leader came home gets no round
            select(CohortLeader.team_number)
            .join(Application, Application.id == CohortLeader.application_id)
            .where(CohortLeader.cohort_id == cohort.id, CohortLeader.role == LeaderRole.TEAM,
                   Application.returned_at.is_(None))).all()
        for team in teams:
            assert team is not None
            if session.scalar(select(TeamReport.id).where(
                    TeamReport.cohort_id == cohort.id, TeamReport.team_number == team,
                    TeamReport.round == number)) is not None:
                continue
            report = TeamReport(cohort_id=cohort.id, team_number=team, round=number,
                                due_at=due_at(cohort, number), asked_at=now)
            session.add(report)
            session.flush()
            if _ask(session, report, "sms_team_report_due", settings):
                asked += 1
            else:
                report.missed_at = now
    return asked


def _chase(session: Session, now: datetime, settings: Mapping[str, Any]) -> tuple[int, int]:
    """Chase, once, each round unanswered TEAM_REPORT_CHASE_DAYS after it was asked. A chase
    that cannot be sent (the leader came home, or opted out) is never recorded: the round is
    listed for the officer at once instead (`missed_at`, no `chased_at`)."""
    before = now - timedelta(days=settings["TEAM_REPORT_CHASE_DAYS"])
    waiting = session.scalars(select(TeamReport).where(
        TeamReport.answered_at.is_(None), TeamReport.chased_at.is_(None),
        TeamReport.missed_at.is_(None), TeamReport.asked_at <= before)).all()
    chased = listed = 0
    for report in waiting:
        if _ask(session, report, "sms_team_report_chase", settings):
            report.chased_at = now
            chased += 1
        else:
            report.missed_at = now
            listed += 1
    return chased, listed


def teams_without_leader(session: Session, cohort_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(cohort id, team) of each team whose leader came home: it has no leader at work, gets
    no rounds, and waits for the officer to name a new one (`name_leader`, as usual)."""
    if not cohort_ids:
        return set()
    return {(c, t) for c, t in session.execute(
        select(CohortLeader.cohort_id, CohortLeader.team_number)
        .join(Application, Application.id == CohortLeader.application_id)
        .where(CohortLeader.cohort_id.in_(cohort_ids), CohortLeader.role == LeaderRole.TEAM,
               Application.returned_at.is_not(None))) if t is not None}


def _miss(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """List for the officer each round still unanswered as long again after its chase."""
    before = now - timedelta(days=settings["TEAM_REPORT_CHASE_DAYS"])
    missed = session.scalars(select(TeamReport).where(
        TeamReport.answered_at.is_(None), TeamReport.missed_at.is_(None),
        TeamReport.chased_at <= before)).all()
    for report in missed:
        report.missed_at = now
    return len(missed)


def run(session: Session, now: datetime, settings: Mapping[str, Any]) -> dict[str, int]:
    """Everything due at `now`: rounds asked, chased and missed, arrivals noticed and the
    families asked (asking and chasing outside the quiet hours only)."""
    quiet = in_quiet_hours(now, settings["QUIET_HOURS"], settings["TIMEZONE"])
    missed = _miss(session, now, settings)
    chased, listed = (0, 0) if quiet else _chase(session, now, settings)
    missed += listed
    asked = 0 if quiet else _ask_due(session, now, settings)
    session.flush()
    return {"asked": asked, "chased": chased, "missed": missed,
            **arrival.run(session, now, settings, quiet)}
