"""A departure's cohort: its leaders (a squad leader, a vice squad leader, team leaders over
some members), the leaders' team reports, and the notice taken of an unanswered arrival."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .followup import CheckIn, Departure
    from .postings import Application


class LeaderRole(enum.StrEnum):
    SQUAD = "squad"  # the squad leader (班长)
    VICE_SQUAD = "vice_squad"  # the vice squad leader (副班长)
    TEAM = "team"  # a team leader (组长), over the members of one team


class Cohort(Base):
    """The workers of one departure, who left together (one cohort per departure).

    Made when an officer first names a leader or sets the report schedule. Team reports are
    due every `report_every_months` months from `first_report_at` (None: no schedule).
    """

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    departure_id: Mapped[int] = mapped_column(ForeignKey("departures.id"), unique=True)
    report_every_months: Mapped[int | None]
    first_report_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    departure: Mapped[Departure] = relationship()


class CohortLeader(Base):
    """A member named to a role; a team leader leads team `team_number` of the cohort."""

    __tablename__ = "cohort_leaders"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    role: Mapped[LeaderRole] = mapped_column(enum_column(LeaderRole))
    team_number: Mapped[int | None]
    named_at: Mapped[datetime] = mapped_column(default=utcnow)

    application: Mapped[Application] = relationship()


class CohortMember(Base):
    """A member's team in the cohort (a member is in one team at most)."""

    __tablename__ = "cohort_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    team_number: Mapped[int]

    application: Mapped[Application] = relationship()

    __table_args__ = (UniqueConstraint("cohort_id", "application_id"),)


class TeamReport(Base):
    """A team leader's report: asked for round `round` of the schedule (then chased once,
    then `missed_at`: listed for the officer), or sent unasked (`round` None).

    Answered when `answered_at` is set: all well, or `problem_count` members with a problem
    and a short text, which opens a case (`case_id`) linked here to the cohort.
    """

    __tablename__ = "team_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    team_number: Mapped[int]
    round: Mapped[int | None]
    due_at: Mapped[datetime | None]
    asked_at: Mapped[datetime | None]
    chased_at: Mapped[datetime | None]
    missed_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    leader_application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    all_well: Mapped[bool | None]
    problem_count: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(String(160))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    __table_args__ = (UniqueConstraint("cohort_id", "team_number", "round"),)


class ArrivalNotice(Base):
    """Notice taken of an arrival check-in (number 0) unanswered a day after it was sent:
    the worker goes to the top of the follow-up list and the family contact is asked.

    `heard_at`: someone answered for the worker (`heard_via` "family", or "team" when their
    team leader reported all well); the worker then leaves the top of the list.
    """

    __tablename__ = "arrival_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id"), unique=True)
    noticed_at: Mapped[datetime | None]
    family_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    family_asked_at: Mapped[datetime | None]
    family_answer: Mapped[int | None]  # 1 heard from them, 2 not
    family_answered_at: Mapped[datetime | None]
    heard_at: Mapped[datetime | None]
    heard_via: Mapped[str | None] = mapped_column(String(8))  # family | team
    team_report_id: Mapped[int | None] = mapped_column(ForeignKey("team_reports.id"))

    checkin: Mapped[CheckIn] = relationship()
