"""Broadcasts to an audience of villagers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .postings import Posting


class BroadcastStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    FANNING_OUT = "fanning_out"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """A message to many villagers, chosen by an audience filter.

    Lifecycle: scheduled (waits for `send_at`) → fanning_out (workers write its outbox
    rows in batches) → sending (its batches are queued; delivery counts come from the
    rows) → done (every row settled: sent, delivered, undelivered or failed; reached once,
    by a guarded update: `broadcasts.lifecycle.finish_settled`); → cancelled at any point
    before done (rows not yet sent fail as `cancelled`).

    Waiting for the morning is not a stored state: the API derives it from the quiet hours
    (`broadcasts.lifecycle.phase`).
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_zh: Mapped[str | None] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    send_at: Mapped[datetime | None]
    status: Mapped[BroadcastStatus] = mapped_column(enum_column(BroadcastStatus),
                                                    default=BroadcastStatus.SCHEDULED)
    recipients: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Villagers the audience picked whom no broadcast may reach, by why, at the fan-out.
    excluded: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)
    # On a templated provider: the broadcast template and its values
    # ({"key": "sms_broadcast_notice", "values": {"text": …}}; broadcasts.templated).
    template: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    posting: Mapped[Posting | None] = relationship()
