"""Training sessions tied to employers' orders, and enrolments in them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .areas import Area
    from .postings import Posting
    from .villagers import Villager


class TrainingStatus(enum.StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"


class TrainingSession(Base):
    """A training course in a township: a trade, dates, a capacity, optionally for a posting.

    `taken` counts the places held (every enrolment not withdrawn); a guarded update keeps
    it at or below `capacity`, also when enrolments race.
    """

    __tablename__ = "training_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    trade: Mapped[str] = mapped_column(String(32))  # a code of the skills catalogue
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)  # guarded counter: never above capacity
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"), index=True)
    status: Mapped[TrainingStatus] = mapped_column(enum_column(TrainingStatus),
                                                   default=TrainingStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]

    township: Mapped[Area] = relationship()
    posting: Mapped[Posting | None] = relationship()


class EnrolmentStatus(enum.StrEnum):
    ENROLLED = "enrolled"
    ATTENDED = "attended"
    COMPLETED = "completed"
    ABSENT = "absent"
    WITHDRAWN = "withdrawn"


class Enrolment(Base):
    """A villager's place in a training session.

    Lifecycle: enrolled → attended → completed; enrolled → absent (→ attended, a
    correction) | withdrawn (the place is released). A completed villager counts as
    trained: `completed_at` and `township_id` (where the villager lived on enrolling)
    are what the monthly figures count by.
    """

    __tablename__ = "training_enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"))
    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), index=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    status: Mapped[EnrolmentStatus] = mapped_column(enum_column(EnrolmentStatus),
                                                    default=EnrolmentStatus.ENROLLED)
    via: Mapped[str] = mapped_column(String(16))  # ussd | sms | officer
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None]

    session: Mapped[TrainingSession] = relationship()
    villager: Mapped[Villager] = relationship()

    __table_args__ = (
        UniqueConstraint("session_id", "villager_id"),  # also serves lookups by session
        # Trained villagers per area and month: completed_at is set only on completion.
        Index("ix_training_enrolments_township_completed", "township_id", "completed_at"),
        # The monthly figures count completions by month from this index alone.
        Index("ix_training_enrolments_completed", "completed_at", "township_id",
              "villager_id", postgresql_where=text("status = 'completed'"),
              sqlite_where=text("status = 'completed'")),
    )
