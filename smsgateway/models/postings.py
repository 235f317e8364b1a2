"""Agencies, employers, vetted postings and the applications to them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .areas import Area
    from .villagers import Villager


class Agency(Base):
    """A recruitment agency: only a licensed, unsuspended one's postings can be published."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # How English texts name it (GSM-7); None: the pinyin of `name` (kernel/names.py)
    name_en: Mapped[str | None] = mapped_column(String(120))
    licence_number: Mapped[str] = mapped_column(String(64), unique=True)
    licence_expires: Mapped[date]
    suspended: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def licensed_on(self, day: date) -> bool:
        """True when the licence is valid on `day` and the agency is not suspended."""
        return not self.suspended and self.licence_expires >= day


class Employer(Base):
    """A company that hires through the programme."""

    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # How English texts name it (GSM-7); None: the pinyin of `name` (kernel/names.py)
    name_en: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str] = mapped_column(String(64))
    province: Mapped[str] = mapped_column(String(64))
    contact: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(200))  # for a wage-arrears complaint
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostingStatus(enum.StrEnum):
    DRAFT = "draft"
    PENDING_VETTING = "pending_vetting"
    PUBLISHED = "published"
    CLOSED = "closed"
    FILLED = "filled"
    REJECTED = "rejected"


class Destination(enum.StrEnum):
    WITHIN_CITY = "within_city"
    IN_PROVINCE = "in_province"  # elsewhere in the province
    OUTSIDE_PROVINCE = "outside_province"


class Posting(Base):
    """A job offer.

    Lifecycle: draft → pending_vetting → published (an officer vetted it; it gets a
    verification code) → closed | filled (confirmations reached the positions);
    pending_vetting → rejected (reasons kept). Only published postings reach villagers.
    """

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(80))
    title_en: Mapped[str] = mapped_column(String(120))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # who recruits
    trade: Mapped[str] = mapped_column(String(32))
    destination_city: Mapped[str] = mapped_column(String(64))
    destination_province: Mapped[str] = mapped_column(String(64))
    destination: Mapped[Destination] = mapped_column(enum_column(Destination))
    wage_min: Mapped[int]
    wage_max: Mapped[int]
    hours_per_day: Mapped[int]
    days_per_week: Mapped[int]
    contract_months: Mapped[int]
    pay_day: Mapped[int | None]  # day of the month the employer pays (1-31); None: not stated
    positions: Mapped[int]
    confirmed: Mapped[int] = mapped_column(default=0)  # guarded counter: never above positions
    sex: Mapped[str | None] = mapped_column(String(1))  # m | f | None: anyone
    age_min: Mapped[int] = mapped_column(default=16)
    age_max: Mapped[int] = mapped_column(default=60)
    skills_required: Mapped[list[str]] = mapped_column(JSON, default=list)
    training_required: Mapped[bool] = mapped_column(default=False)
    food: Mapped[bool] = mapped_column(default=False)
    housing: Mapped[bool] = mapped_column(default=False)
    worker_fee: Mapped[int] = mapped_column(default=0)  # yuan; must be 0 to publish
    travel_advance: Mapped[bool] = mapped_column(default=False)
    departure_date: Mapped[date | None]
    deadline: Mapped[date]
    status: Mapped[PostingStatus] = mapped_column(enum_column(PostingStatus),
                                                  default=PostingStatus.PENDING_VETTING)
    verification_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    checklist: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rejection_reasons: Mapped[list[str] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    vetted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    vetted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    employer: Mapped[Employer] = relationship()
    agency: Mapped[Agency] = relationship()
    area: Mapped[Area] = relationship()


class ApplicationStatus(enum.StrEnum):
    INTERESTED = "interested"
    SHORTLISTED = "shortlisted"
    CONFIRMED = "confirmed"
    DEPARTED = "departed"
    WITHDRAWN = "withdrawn"
    REJECTED = "rejected"
    NO_SHOW = "no_show"


class Application(Base):
    """A villager's interest in a posting.

    Lifecycle: interested → shortlisted → confirmed → departed; → withdrawn (by the
    villager) | rejected (by the agency, with a reason) | no_show. Confirmations never
    exceed the posting's positions (a guarded counter on the posting).
    """

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), index=True)
    # The villager's township when they applied: the area a placement counts for in the
    # programme's figures (a later move does not rewrite history), without a join.
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus),
                                                      default=ApplicationStatus.INTERESTED)
    reason: Mapped[str | None] = mapped_column(Text)
    via: Mapped[str] = mapped_column(String(16))  # ussd | sms
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # A placement's journey: when the worker left, and came home (returns are
    # counted per area and month, hence the index).
    departed_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None] = mapped_column(index=True)

    posting: Mapped[Posting] = relationship()
    villager: Mapped[Villager] = relationship()

    __table_args__ = (
        UniqueConstraint("posting_id", "villager_id"),
        # The monthly figures (smsgateway/reports.py): placements by departure month, and
        # those confirmed and waiting, counted per township from the index alone.
        Index("ix_applications_departed", "departed_at", "township_id", "posting_id"),
        # The monthly success rates: applications by the month they were made, with their
        # township, posting (its agency) and status, from the index alone.
        Index("ix_applications_created", "created_at", "township_id", "posting_id", "status"),
        Index("ix_applications_confirmed", "township_id",
              postgresql_where=text("status = 'confirmed'"),
              sqlite_where=text("status = 'confirmed'")),
    )
