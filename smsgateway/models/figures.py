"""The programme's yearly targets per area."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, utcnow

if TYPE_CHECKING:
    from .areas import Area


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
