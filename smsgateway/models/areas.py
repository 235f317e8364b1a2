"""The programme's areas: the city, its counties and districts, their townships."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column


class AreaLevel(enum.StrEnum):
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


class Area(Base):
    """A level of the programme: the city, a county or district, a township."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[AreaLevel] = mapped_column(enum_column(AreaLevel))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped[Area | None] = relationship(remote_side=[id])
