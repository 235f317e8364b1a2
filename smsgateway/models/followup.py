"""After a placement: departures and the answers to them, check-ins, cases."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow
from .aftercare import township_of_application

if TYPE_CHECKING:
    from .postings import Agency, Application, Employer, Posting
    from .users import User
    from .villagers import Villager


class DepartureStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    DEPARTED = "departed"


class Departure(Base):
    """An organised departure of a posting's confirmed applicants (its roster).

    Lifecycle: scheduled (moved as often as needed) → departed | cancelled. Reminders
    are RQ scheduled jobs that carry the `leaves_at` they were scheduled for.
    """

    __tablename__ = "departures"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    leaves_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(120))
    escort_name: Mapped[str] = mapped_column(String(40))
    escort_phone: Mapped[str] = mapped_column(String(20))  # E.164
    status: Mapped[DepartureStatus] = mapped_column(enum_column(DepartureStatus),
                                                    default=DepartureStatus.SCHEDULED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]
    departed_at: Mapped[datetime | None]

    posting: Mapped[Posting] = relationship()


class DepartureAnswer(Base):
    """A villager's answer to a departure: going or not (the latest answer wins)."""

    __tablename__ = "departure_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    departure_id: Mapped[int] = mapped_column(ForeignKey("departures.id"))
    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), index=True)
    going: Mapped[bool]
    via: Mapped[str] = mapped_column(String(16))  # sms | ussd
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("departure_id", "villager_id"),)


class CheckIn(Base):
    """One check-in SMS to a departed worker: number 0 a few days after departure (the
    arrival), then 1, 2, … months after it while the contract runs.

    Open (`closed_at` None) until the worker answers (1 well, 2 a problem, 3 home) on this
    or a later check-in; reminded twice, then flagged for an officer's follow-up.
    """

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    number: Mapped[int]
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime]
    last_sent_at: Mapped[datetime]  # the check-in or its latest reminder
    reminders: Mapped[int] = mapped_column(default=0)
    answer: Mapped[int | None]
    answered_at: Mapped[datetime | None]
    flagged_at: Mapped[datetime | None]  # put on the officers' follow-up list
    closed_at: Mapped[datetime | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    # The placement's township, copied when sent (0026), as pay checks copy it: the report
    # counts a month's answered check-ins per township from one index, with no join to
    # applications (bench/report.py). Left out of an insert, it is looked up.
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"),
                                             default=township_of_application)

    application: Mapped[Application] = relationship()

    __table_args__ = (UniqueConstraint("application_id", "number"),
                      Index("ix_checkins_closed_flagged", "closed_at", "flagged_at"),
                      Index("ix_checkins_answered", "answered_at", "township_id"))


class CaseCategory(enum.StrEnum):
    WAGES_UNPAID = "wages_unpaid"
    CONTRACT = "contract"  # the contract is not as promised
    FEES = "fees"  # fees demanded
    SAFETY = "safety"
    ILL_TREATMENT = "ill_treatment"
    OTHER = "other"


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Case(Base):
    """A problem a villager reported, linked to their placement where known.

    Lifecycle: open → in_progress → resolved → closed (an officer may close from any
    state, and reopen a resolved case). `anonymous`: the employer's and the agency's view
    of the case never shows who reported it.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)  # the number the villager is given
    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # their township
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employers.id"))
    category: Mapped[CaseCategory] = mapped_column(enum_column(CaseCategory))
    description: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(default=False)
    via: Mapped[str] = mapped_column(String(16))  # ussd | sms | checkin | officer
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.OPEN)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When an officer last acted on it (None: nobody has): what "untouched" is measured by.
    touched_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    villager: Mapped[Villager] = relationship()
    application: Mapped[Application | None] = relationship()
    posting: Mapped[Posting | None] = relationship()
    agency: Mapped[Agency | None] = relationship()
    employer: Mapped[Employer | None] = relationship()
    assigned_to: Mapped[User | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case",
                                                   order_by="CaseEvent.id")

    __table_args__ = (Index("ix_cases_status_created", "status", "created_at"),
                      Index("ix_cases_created_area", "created_at", "area_id"))


class CaseEvent(Base):
    """One step in a case's history: opened, assigned, a status change, a note."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the villager
    action: Mapped[str] = mapped_column(String(16))  # opened | assigned | status | note
    status: Mapped[CaseStatus | None] = mapped_column(enum_column(CaseStatus))
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()
