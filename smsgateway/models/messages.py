"""The outbox and the inbound messages."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from .villagers import Contact


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
    # The template the body was built from ({"key", "lang", "values"}; smsgateway.templates)
    template: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    channel: Mapped[str] = mapped_column(String(16))  # console | twilio | africastalking | twiml
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus),
                                                  default=MessageStatus.QUEUED)
    provider_message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error_code: Mapped[str | None] = mapped_column(String(64))  # Tencent's codes are long
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
