"""Delivery reports: move an outbox row forward, never backwards.

A report can arrive before the worker that sent the message has stored the provider's
id (the provider answers the send and calls back at nearly the same time): such a report
is kept in Redis for a day and applied when the worker records the id.
"""

from __future__ import annotations

import json

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..models import Contact, Message, MessageStatus

# How far along a message is; a report may only move it further.
RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.FAILED: 3,
}


EARLY_TTL = 86400  # seconds an early report waits for its message


def _early_key(provider_message_id: str) -> str:
    return f"report:early:{provider_message_id}"


def record_status(db: Session, redis: Redis, provider_message_id: str, status: str,
                  code: str | None = None, reason: str | None = None,
                  opted_out: bool = False) -> Message | None:
    """Apply a provider's report to the message it names; keep it for later when no message
    has that id yet (None)."""
    message = db.scalars(select(Message).where(
        Message.provider_message_id == provider_message_id).with_for_update()).first()
    if message is None:
        report = {"status": status, "code": code, "reason": reason, "opted_out": opted_out}
        redis.rpush(_early_key(provider_message_id), json.dumps(report))
        redis.expire(_early_key(provider_message_id), EARLY_TTL)
        return None
    _apply(db, message, status, code, reason, opted_out)
    return message


def has_early_reports(redis: Redis, provider_message_id: str) -> bool:
    """True when reports wait for this provider id."""
    return bool(redis.exists(_early_key(provider_message_id)))


def apply_early_reports(db: Session, redis: Redis, message: Message) -> None:
    """Apply the reports that arrived before `message` had its provider id."""
    if not message.provider_message_id:
        return
    key = _early_key(message.provider_message_id)
    for raw in redis.lrange(key, 0, -1):
        report = json.loads(raw)
        _apply(db, message, report["status"], report["code"], report["reason"],
               report["opted_out"])
    redis.delete(key)


def _apply(db: Session, message: Message, status: str, code: str | None, reason: str | None,
           opted_out: bool) -> None:
    new = MessageStatus(status)
    if RANK[new] > RANK[message.status]:
        message.status = new
        if new in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
            message.error_code, message.error_reason = code, reason
    if opted_out:
        contact = db.get(Contact, message.contact_id)
        if contact is not None and not contact.opted_out:
            contact.opted_out, contact.opted_out_at = True, utcnow()
            contact.opted_out_reason = code  # the carrier's: 21610, UserInBlackList
