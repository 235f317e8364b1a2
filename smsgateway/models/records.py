"""The vetting threshold of a county: an agency whose record falls below it needs a second
look when one of the county's postings is vetted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


class RecordThreshold(Base):
    """A county's threshold, in whole percent: a posting of an agency whose share of workers
    paid in full, or of promises kept, is below it needs the vetting officer's explicit
    second look. Per county (not programme-wide): the county's officers set it, as each
    county vets its own postings; a county without one asks no second look."""

    __tablename__ = "record_thresholds"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), unique=True)  # a county
    percent: Mapped[int]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
