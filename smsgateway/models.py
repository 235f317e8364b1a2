"""The records Jobline keeps: areas, phones, villagers, the outbox, inbound messages, users."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="villager")
    township: Mapped[Area] = relationship()
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

    contact: Mapped[Contact] = relationship()

    __table_args__ = (Index("ix_messages_status_created", "status", "created_at"),)


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
    """An officer, an agency's staff member or an administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area | None] = relationship()


class ApiToken(Base):
    """A bearer token for the API, kept only as its SHA-256 hash."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
