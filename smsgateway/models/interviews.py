"""Recruitment days ("going out, please come in"): an employer interviews in a township.

An officer schedules a day for a posting at a township: a place, a date and up to eight
slots (a time and how many people it takes). The villagers the posting fits are invited by
SMS; each invitation is an `Interview` row, which carries the villager's booking and, after
the day, the agency's outcome.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .areas import Area
    from .postings import Application, Posting
    from .villagers import Villager

SLOTS_MAX = 8  # a slot is one digit, and eight fit one Chinese USSD screen


class RecruitmentDayStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RecruitmentDay(Base):
    """A day of interviews for a posting, held at a place in a township."""

    __tablename__ = "recruitment_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    place: Mapped[str] = mapped_column(String(40))
    day: Mapped[date]
    status: Mapped[RecruitmentDayStatus] = mapped_column(
        enum_column(RecruitmentDayStatus), default=RecruitmentDayStatus.SCHEDULED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)  # the officer's, for officers

    posting: Mapped[Posting] = relationship()
    township: Mapped[Area] = relationship()
    slots: Mapped[list[InterviewSlot]] = relationship(order_by="InterviewSlot.number",
                                                      back_populates="recruitment_day")


class InterviewSlot(Base):
    """One time of a recruitment day (`number` 1-8, in time order) and its places.

    `taken` counts the bookings held; a guarded update keeps it at or below `places`, also
    when bookings race.
    """

    __tablename__ = "interview_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("recruitment_days.id"))
    number: Mapped[int]
    starts: Mapped[str] = mapped_column(String(5))  # local "HH:MM"
    places: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)  # guarded counter: never above places

    recruitment_day: Mapped[RecruitmentDay] = relationship(back_populates="slots")

    __table_args__ = (UniqueConstraint("day_id", "number"),)


class InterviewStatus(enum.StrEnum):
    INVITED = "invited"  # the invitation went; "1" asks for the free slots
    CHOOSING = "choosing"  # the free slots went; a slot number books
    BOOKED = "booked"
    SHORTLISTED = "shortlisted"  # the agency's outcome: the application is shortlisted
    REJECTED = "rejected"  # the agency's outcome: the application is rejected
    NO_SHOW = "no_show"  # booked, did not come (the application is left as it was)
    CANCELLED = "cancelled"  # the day was cancelled


class Interview(Base):
    """A villager's invitation to a recruitment day, their booking and its outcome.

    Lifecycle: invited → choosing → booked → shortlisted | rejected | no_show; invited |
    choosing | booked → cancelled (the day was). `asked_at` is when the villager was last
    asked something they answer with a digit (the invitation, or the list of free slots);
    `remind_at` is when the reminder is due (the day before; the periodic job sends it,
    outside the quiet hours, and sets `reminded_at`).
    """

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("recruitment_days.id"))
    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), index=True)
    status: Mapped[InterviewStatus] = mapped_column(enum_column(InterviewStatus),
                                                    default=InterviewStatus.INVITED)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("interview_slots.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    booked_at: Mapped[datetime | None]
    remind_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    outcome_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)

    recruitment_day: Mapped[RecruitmentDay] = relationship()
    villager: Mapped[Villager] = relationship()
    slot: Mapped[InterviewSlot | None] = relationship()
    application: Mapped[Application | None] = relationship()

    __table_args__ = (
        UniqueConstraint("day_id", "villager_id"),  # one invitation a day; lookups by day
        # The reminder job reads the due reminders from this index alone.
        Index("ix_interviews_remind_at", "remind_at"),
    )
