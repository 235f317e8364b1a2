"""Recruitment days: officers schedule a day of interviews for a posting at a township (the
villagers it fits are invited by SMS); officers and the posting's agency see the days and
the bookings; the agency records each interview's outcome.

Scope (`access.recruitment_days_seen`): a day is seen by whoever sees its posting; staff
schedule one only for a posting they see, at a township of their area.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import access
from ..access import AGENCY, EVERYONE, STAFF
from ..config import local_today
from ..db import utcnow
from ..messaging import jobpaths
from ..messaging.outbox import enqueue_after_commit
from ..models import AreaLevel, Interview, InterviewStatus, RecruitmentDay, User, Villager
from ..models.interviews import SLOTS_MAX
from ..postings import recruitment_days
from ..services import services
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import Id, Model

HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class SlotIn(Model):
    time: str = Field(description="local time the slot starts, HH:MM")
    places: Annotated[int, Field(ge=1, le=500)]

    @field_validator("time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not HHMM.match(value):
            raise ValueError("a time is HH:MM, e.g. 09:30")
        return value


class RecruitmentDayIn(Model):
    """A day of interviews; creating it invites the villagers the posting fits."""

    posting_id: Id
    township: str = Field(description="code of the township where it is held")
    place: Annotated[str, Field(min_length=1, max_length=30)] = Field(
        description="where, as villagers will read it (e.g. 'Township hall')")
    day: date
    slots: Annotated[list[SlotIn], Field(min_length=1, max_length=SLOTS_MAX)] = Field(
        description="at most 8, each answered by one digit; numbered in time order")

    @field_validator("place")
    @classmethod
    def _something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the place is blank")
        return value.strip()

    @field_validator("slots")
    @classmethod
    def _distinct(cls, value: list[SlotIn]) -> list[SlotIn]:
        if len({s.time for s in value}) != len(value):
            raise ValueError("two slots start at the same time")
        return value


class SlotOut(Model):
    number: int
    time: str
    places: int
    booked: int


class RecruitmentDayOut(Model):
    id: int
    posting_id: int
    township: str
    place: str
    day: date
    status: Literal["scheduled", "cancelled"]
    slots: list[SlotOut]
    invited: int
    booked: int
    created_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str | None = Field(description="the officer's reason, for staff and agency")


class CancelIn(Model):
    """Why the day is cancelled (kept for officers and the agency; villagers who answered
    the invitation are told it is cancelled, not why)."""

    reason: Annotated[str, Field(min_length=1, max_length=200)]

    @field_validator("reason")
    @classmethod
    def _something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the reason is blank")
        return value.strip()


class InterviewOut(Model):
    id: int
    day_id: int
    villager_id: int
    villager_name: str
    villager_phone: str
    status: Literal["invited", "choosing", "booked", "shortlisted", "rejected", "no_show",
                    "cancelled"]
    slot: int | None
    time: str | None
    application_id: int | None
    booked_at: datetime | None
    reminded_at: datetime | None
    reason: str | None


class OutcomeIn(Model):
    """An interview's outcome: shortlisted or rejected (with a reason) move the application
    as the agency's decisions do; no_show records that the villager did not come."""

    outcome: Literal["shortlisted", "rejected", "no_show"]
    reason: Annotated[str, Field(max_length=200)] | None = None


def day_out(db: Session, found: RecruitmentDay) -> RecruitmentDayOut:
    """The API's view of a day, with its slots and how many were invited and booked."""
    statuses = list(db.scalars(select(Interview.status).where(Interview.day_id == found.id)))
    return RecruitmentDayOut(
        id=found.id, posting_id=found.posting_id, township=found.township.code,
        place=found.place, day=found.day, status=found.status.value,
        slots=[SlotOut(number=s.number, time=s.starts, places=s.places, booked=s.taken)
               for s in found.slots],
        invited=len(statuses),
        booked=sum(s not in (InterviewStatus.INVITED, InterviewStatus.CHOOSING,
                             InterviewStatus.CANCELLED) for s in statuses),
        created_at=found.created_at, cancelled_at=found.cancelled_at,
        cancel_reason=found.cancel_reason)


@route("/recruitment-days", "POST",
       "Schedule a recruitment day for a posting (the villagers it fits are invited by SMS)",
       roles=STAFF, body=RecruitmentDayIn, response=RecruitmentDayOut, status=201)
def create_recruitment_day(db: Session, user: User,
                           body: RecruitmentDayIn) -> RecruitmentDayOut:
    """An officer (a posting of their area, a township of their area) or an admin."""
    posting = access.posting(db, user, body.posting_id)
    township = access.area(db, user, body.township, "township", AreaLevel.TOWNSHIP)
    found = recruitment_days.schedule(
        db, posting, township, body.place, body.day,
        [(s.time, s.places) for s in body.slots], user.id, local_today(services().settings))
    enqueue_after_commit(db, jobpaths.SEND_INTERVIEW_INVITATIONS, found.id, queue="default",
                         job_id=recruitment_days.invitations_job_id(found.id))
    return day_out(db, found)


@route("/recruitment-days", "GET", "List recruitment days, soonest first", roles=EVERYONE,
       response=RecruitmentDayOut, paginated=True)
def list_recruitment_days(db: Session, user: User, paging: Paging = FIRST_PAGE
                          ) -> tuple[list[RecruitmentDayOut], int, int, int]:
    """Admins see all; officers their area's postings' days; agencies their own postings'."""
    page, per_page = paging
    query = (select(RecruitmentDay).where(access.recruitment_days_seen(db, user))
             .options(joinedload(RecruitmentDay.township))
             .order_by(RecruitmentDay.day, RecruitmentDay.id))
    rows, total = page_of(db, query, paging)
    return [day_out(db, d) for d in rows], total, page, per_page


@route("/recruitment-days/<int:day_id>", "GET", "One recruitment day with its slots",
       roles=EVERYONE, response=RecruitmentDayOut)
def get_recruitment_day(db: Session, user: User, day_id: int) -> RecruitmentDayOut:
    """404 when the caller may not see its posting."""
    return day_out(db, access.recruitment_day(db, user, day_id))


@route("/recruitment-days/<int:day_id>/cancel", "POST",
       "Cancel a recruitment day (those who answered its invitation are told by SMS)",
       roles=STAFF, body=CancelIn, response=RecruitmentDayOut)
def cancel_recruitment_day(db: Session, user: User, body: CancelIn,
                           day_id: int) -> RecruitmentDayOut:
    """Staff who see its posting; 409 (changing nothing) when it is already cancelled or
    its day has passed. Open invitations close; no reminder or outcome follows."""
    found = access.recruitment_day(db, user, day_id)
    settings = services().settings
    recruitment_days.cancel(db, found, body.reason, utcnow(), local_today(settings),
                            settings["DEFAULT_LANGUAGE"], settings["SMS_PROVIDER"])
    return day_out(db, found)


def interview_out(found: Interview) -> InterviewOut:
    """The API's view of an interview, with the villager's name and phone."""
    villager = found.villager
    return InterviewOut(
        id=found.id, day_id=found.day_id, villager_id=villager.id, villager_name=villager.name,
        villager_phone=villager.contact.phone, status=found.status.value,
        slot=found.slot.number if found.slot else None,
        time=found.slot.starts if found.slot else None, application_id=found.application_id,
        booked_at=found.booked_at, reminded_at=found.reminded_at, reason=found.reason)


@route("/recruitment-days/<int:day_id>/interviews", "GET",
       "The bookings of a recruitment day (`?status=`; default: every invitation)",
       roles=EVERYONE, response=InterviewOut, paginated=True, query=("status",))
def list_interviews(db: Session, user: User, day_id: int, paging: Paging = FIRST_PAGE,
                    status: str | None = None) -> tuple[list[InterviewOut], int, int, int]:
    """By slot, then booking; 404 when the caller may not see the day."""
    access.recruitment_day(db, user, day_id)
    page, per_page = paging
    query = select(Interview).where(Interview.day_id == day_id)
    if status:
        if status not in set(InterviewStatus):
            raise ApiError(400, f"unknown status {status!r}", "status")
        query = query.where(Interview.status == status)
    rows, total = page_of(db, query.options(
        joinedload(Interview.villager).joinedload(Villager.contact),
        joinedload(Interview.slot)).order_by(Interview.slot_id, Interview.booked_at,
                                             Interview.id), paging)
    return [interview_out(i) for i in rows], total, page, per_page


@route("/interviews/<int:interview_id>/outcome", "POST",
       "Record an interview's outcome (shortlisted, rejected with a reason, no_show)",
       roles=AGENCY, body=OutcomeIn, response=InterviewOut)
def record_outcome(db: Session, user: User, body: OutcomeIn,
                   interview_id: int) -> InterviewOut:
    """The posting's agency (or an admin); only a booked interview, from its day on (409
    otherwise, changing nothing); the application moves and the villager is told by SMS."""
    found = access.interview(db, user, interview_id, lock=True)
    settings = services().settings
    recruitment_days.record_outcome(db, found, body.outcome, body.reason,
                                    settings["SMS_PROVIDER"], local_today(settings),
                                    settings["DEFAULT_LANGUAGE"])
    return interview_out(found)
