"""Delivery reports: move an outbox row forward, never backwards."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import utcnow
from .models import Contact, Message, MessageStatus

# How far along a message is; a report may only move it further.
RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
}


def record_status(db: Session, provider_message_id: str, status: str, code: str | None = None,
                  reason: str | None = None, opted_out: bool = False) -> Message | None:
    """Apply a provider's report to the message it names; None when we never sent that id."""
    message = db.scalars(select(Message).where(
        Message.provider_message_id == provider_message_id).with_for_update()).first()
    if message is None:
        return None
    new = MessageStatus(status)
    if RANK[new] > RANK[message.status]:
        message.status = new
        if new in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
            message.error_code, message.error_reason = code, reason
    if opted_out:
        contact = db.get(Contact, message.contact_id)
        if contact is not None and not contact.opted_out:
            contact.opted_out, contact.opted_out_at = True, utcnow()
    return message
