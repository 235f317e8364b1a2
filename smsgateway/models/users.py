"""Accounts: officers, agencies' staff, administrators, and their API tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .areas import Area
    from .postings import Agency


class Role(enum.StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    AGENCY = "agency"


class User(Base):
    """An officer (scoped to an area), an agency's staff member or an administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The console's sign-in: a werkzeug scrypt hash; None: no console access.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The name the console shows (the header, a case's assignee); None: the user name.
    display_name: Mapped[str | None] = mapped_column(String(80))

    area: Mapped[Area | None] = relationship()
    agency: Mapped[Agency | None] = relationship()

    @property
    def shown_name(self) -> str:
        """The display name, else the user name."""
        return self.display_name or self.name


class ApiToken(Base):
    """A bearer token for the API, kept only as its SHA-256 hash."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
