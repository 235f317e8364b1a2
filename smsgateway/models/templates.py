"""Approved template ids set through the API or the console (issue 14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, utcnow


class TemplateApproval(Base):
    """The id a templated provider (Tencent) approved for one template in one language
    (`sms_registered` in `zh`); it wins over the TENCENT_TEMPLATES file's."""

    __tablename__ = "template_approvals"
    __table_args__ = (UniqueConstraint("template", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(String(64))  # a key of `templates.TEMPLATES`
    language: Mapped[str] = mapped_column(String(8))
    approved_id: Mapped[str] = mapped_column(String(32))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
