"""The records Jobline keeps: areas, phones, villagers, the outbox, inbound messages, users."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base, utcnow


def _enum(kind: type[enum.Enum]) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK, the same on SQLite and PostgreSQL."""
    return Enum(kind, native_enum=False, length=16, values_callable=lambda k: [m.value for m in k],
                validate_strings=True, create_constraint=True, name=kind.__name__.lower())


class AreaLevel(enum.StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


class Area(Base):
    """A level of the programme: the city, a county or district, a township."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[AreaLevel] = mapped_column(_enum(AreaLevel))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Area | None] = relationship(remote_side=[id])


class Contact(Base):
    """A phone that has talked to Jobline: its language and whether it opted out.

    A contact exists before (and without) registration, so that an opt-out or a
    language choice from any phone is kept.
    """

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164
    language: Mapped[str | None] = mapped_column(String(2))
    opted_out: Mapped[bool] = mapped_column(default=False)
    opted_out_at: Mapped[datetime | None]
    # Why: "keyword" (they texted STOP) or the carrier's code ("21610", "UserInBlackList").
    opted_out_reason: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    villager: Mapped[Villager | None] = relationship(back_populates="contact")


class Sex(enum.StrEnum):
    MALE = "m"
    FEMALE = "f"


class Villager(Base):
    """A registered villager: who they are, where they live, what they can do."""

    __tablename__ = "villagers"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    sex: Mapped[Sex] = mapped_column(_enum(Sex))
    birth_year: Mapped[int]
    township_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    outside_province: Mapped[bool | None]
    sms_consent: Mapped[bool] = mapped_column(default=True)
    registered_via: Mapped[str] = mapped_column(String(16))  # ussd | sms | officer
    # An officer who registered the villager on their behalf vouches for their consent.
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    consent_recorded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="villager")
    township: Mapped[Area] = relationship()

    # Registrations per township and month (the monthly figures), from the index alone.
    __table_args__ = (Index("ix_villagers_created_township", "created_at", "township_id"),)
    skills: Mapped[list[VillagerSkill]] = relationship(
        cascade="all, delete-orphan", order_by="VillagerSkill.skill_code"
    )


class VillagerSkill(Base):
    """One skill (a code of the skills catalogue) a villager has."""

    __tablename__ = "villager_skills"

    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), primary_key=True)
    skill_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class MessageStatus(enum.StrEnum):
    """queued → sending → sent → delivered | undelivered; failed (with a reason) from any
    state before delivery."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"


class Message(Base):
    """The outbox: every SMS Jobline sends, written in the transaction that caused it.

    Lifecycle: queued → sending (a worker claimed it) → sent (the provider took it)
    → delivered | undelivered; failed (with a reason) when it cannot be sent.
    A TwiML reply is recorded already `sent` on the `twiml` channel.
    """

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    segments: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))  # reply, registration, ...
    channel: Mapped[str] = mapped_column(String(16))  # console | twilio | africastalking | twiml
    status: Mapped[MessageStatus] = mapped_column(_enum(MessageStatus),
                                                  default=MessageStatus.QUEUED)
    provider_message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error_code: Mapped[str | None] = mapped_column(String(32))
    error_reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"))
    # A direct answer to what the villager just sent: never held for the quiet hours.
    answer: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    # Held until then (the end of the quiet hours): the sweep leaves it alone until then.
    not_before: Mapped[datetime | None]

    contact: Mapped[Contact] = relationship()

    __table_args__ = (
        Index("ix_messages_status_created", "status", "created_at"),
        # One message per villager per broadcast, however often the fan-out runs.
        UniqueConstraint("broadcast_id", "contact_id"),
    )


class InboundMessage(Base):
    """Every SMS a villager sent, kept once per provider id (the de-duplication key)."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway: Mapped[str] = mapped_column(String(16))
    provider_message_id: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text)
    reply: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("gateway", "provider_message_id"),)


class Role(enum.StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    AGENCY = "agency"


class User(Base):
    """An officer (scoped to an area), an agency's staff member or an administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The console's sign-in (issue 7): a werkzeug scrypt hash; None: no console access.
    password_hash: Mapped[str | None] = mapped_column(String(255))

    area: Mapped[Area | None] = relationship()
    agency: Mapped[Agency | None] = relationship()


class ApiToken(Base):
    """A bearer token for the API, kept only as its SHA-256 hash."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Agency(Base):
    """A recruitment agency: only a licensed, unsuspended one's postings can be published."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
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
    city: Mapped[str] = mapped_column(String(64))
    province: Mapped[str] = mapped_column(String(64))
    contact: Mapped[str | None] = mapped_column(String(120))
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
    destination: Mapped[Destination] = mapped_column(_enum(Destination))
    wage_min: Mapped[int]
    wage_max: Mapped[int]
    hours_per_day: Mapped[int]
    days_per_week: Mapped[int]
    contract_months: Mapped[int]
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
    status: Mapped[PostingStatus] = mapped_column(_enum(PostingStatus),
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
    status: Mapped[ApplicationStatus] = mapped_column(_enum(ApplicationStatus),
                                                      default=ApplicationStatus.INTERESTED)
    reason: Mapped[str | None] = mapped_column(Text)
    via: Mapped[str] = mapped_column(String(16))  # ussd | sms
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # A placement's journey (issue 5): when the worker left, and came home (returns are
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
        Index("ix_applications_confirmed", "township_id",
              postgresql_where=text("status = 'confirmed'"),
              sqlite_where=text("status = 'confirmed'")),
    )


class BroadcastStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    FANNING_OUT = "fanning_out"
    SENDING = "sending"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """A message to many villagers, chosen by an audience filter.

    Lifecycle: scheduled (waits for `send_at`) → fanning_out (workers write its outbox
    rows in batches) → sending (its batches are queued; delivery counts come from the
    rows); → cancelled at any point (rows not yet sent fail as `cancelled`).
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_zh: Mapped[str | None] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    send_at: Mapped[datetime | None]
    status: Mapped[BroadcastStatus] = mapped_column(_enum(BroadcastStatus),
                                                    default=BroadcastStatus.SCHEDULED)
    recipients: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]

    posting: Mapped[Posting | None] = relationship()


# --- Problem reports (issue 5, section 4) -------------------------------------------------


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
    category: Mapped[CaseCategory] = mapped_column(_enum(CaseCategory))
    description: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(default=False)
    via: Mapped[str] = mapped_column(String(16))  # ussd | sms | checkin | officer
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus), default=CaseStatus.OPEN)
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
    status: Mapped[CaseStatus | None] = mapped_column(_enum(CaseStatus))
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()


# --- Programme figures (issue 6) -------------------------------------------------------------


class Target(Base):
    """An area's annual plan: how many people to train and to place in a year."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    year: Mapped[int]
    trained: Mapped[int] = mapped_column(default=0)
    placed: Mapped[int] = mapped_column(default=0)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    area: Mapped[Area] = relationship()

    __table_args__ = (UniqueConstraint("area_id", "year"),)


# --- Training sessions and enrolments (issue 5, section 1) ---


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
    status: Mapped[TrainingStatus] = mapped_column(_enum(TrainingStatus),
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
    status: Mapped[EnrolmentStatus] = mapped_column(_enum(EnrolmentStatus),
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


# --- Departures, family contacts and check-ins (issue 5, sections 2 and 3) ----------------


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
    status: Mapped[DepartureStatus] = mapped_column(_enum(DepartureStatus),
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


class FamilyContact(Base):
    """The one family member a villager named (by SMS, their consent) to hear of their
    departure and arrival; the family phone is a contact like any other (STOP works)."""

    __tablename__ = "family_contacts"

    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact: Mapped[Contact] = relationship()


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

    application: Mapped[Application] = relationship()

    __table_args__ = (UniqueConstraint("application_id", "number"),
                      Index("ix_checkins_closed_flagged", "closed_at", "flagged_at"),
                      Index("ix_checkins_answered", "answered_at", "application_id"))
