"""Phones, villagers and what they told us about themselves and their family."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .areas import Area


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
    sex: Mapped[Sex] = mapped_column(enum_column(Sex))
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


class FamilyContact(Base):
    """The one family member a villager named (by SMS, their consent) to hear of their
    departure and arrival; the family phone is a contact like any other (STOP works)."""

    __tablename__ = "family_contacts"

    villager_id: Mapped[int] = mapped_column(ForeignKey("villagers.id"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contact: Mapped[Contact] = relationship()
