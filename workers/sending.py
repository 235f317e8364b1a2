"""Sending one outbox message through its channel's provider."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from smsgateway.db import utcnow
from smsgateway.gateways import PermanentSendError, TransientSendError
from smsgateway.jobcontext import jobline
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.statuses import apply_early_reports
from smsgateway.throttle import SendRate

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4  # the first try and RQ's three retries (smsgateway.outbox.SEND_RETRY)


def send_message(message_id: int) -> str:
    """Claim a queued message, send it, record the outcome; a second run sends nothing.

    The claim is a guarded update (queued → sending), so a duplicated or retried job
    cannot send twice. A transient error puts the row back to queued and re-raises so
    RQ retries it later; a permanent one fails the row with the provider's reason.
    """
    svc = jobline()
    with svc.sessions.begin() as db:
        claimed = db.execute(
            update(Message)
            .where(Message.id == message_id, Message.status == MessageStatus.QUEUED)
            .values(status=MessageStatus.SENDING, attempts=Message.attempts + 1,
                    updated_at=utcnow())
        ).rowcount
        if not claimed:
            return "not queued"
        message = db.get_one(Message, message_id)
        opted_out = db.get_one(Contact, message.contact_id).opted_out
        phone, body, channel, kind = message.phone, message.body, message.channel, message.kind
        attempts = message.attempts
        looping = _repeats(db, message, svc.settings["LOOP_GUARD_WINDOW"])
    if opted_out and kind != "opt_out":  # the confirmation of the opt-out is all they get
        return _settle(message_id, MessageStatus.FAILED, code="opted_out",
                       reason="the villager opted out before it was sent")
    if looping >= svc.settings["LOOP_GUARD_LIMIT"]:
        log.error("loop guard: message %s would repeat a text sent %s times to %s in %s s",
                  message_id, looping, phone, svc.settings["LOOP_GUARD_WINDOW"])
        return _settle(message_id, MessageStatus.FAILED, code="loop_guard",
                       reason=f"{looping} identical texts to this phone within "
                              f"{svc.settings['LOOP_GUARD_WINDOW']} s: stopped as a loop")
    SendRate(svc.redis, svc.settings["SEND_RATE"]).wait_for_turn()
    try:
        provider_id = svc.sender(channel).send(phone, body)
    except TransientSendError as exc:
        if attempts >= MAX_ATTEMPTS:
            return _settle(message_id, MessageStatus.FAILED, code=exc.code,
                           reason=f"gave up after {attempts} attempts: {exc.reason}")
        _settle(message_id, MessageStatus.QUEUED, code=exc.code, reason=exc.reason)
        raise
    except PermanentSendError as exc:
        return _settle(message_id, MessageStatus.FAILED, code=exc.code, reason=exc.reason,
                       opted_out=exc.opted_out)
    settled = _settle(message_id, MessageStatus.SENT, provider_id=provider_id)
    with svc.sessions.begin() as db:  # a report that came while we committed
        apply_early_reports(db, svc.redis, db.get_one(Message, message_id))
    return settled


def _repeats(db: Session, message: Message, window: int) -> int:
    """How many identical texts went (or are going) to this phone within the window."""
    return db.scalar(select(func.count()).select_from(Message).where(
        Message.phone == message.phone, Message.body == message.body, Message.id != message.id,
        Message.status.in_([MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED]),
        Message.created_at >= utcnow() - timedelta(seconds=window))) or 0


def _settle(message_id: int, status: MessageStatus, *, code: str | None = None,
            reason: str | None = None, provider_id: str | None = None,
            opted_out: bool = False) -> str:
    """Move the claimed row on from `sending` (unless the sweep settled it meanwhile);
    mark the villager opted out when told to; apply reports that came before the id."""
    svc = jobline()
    with svc.sessions.begin() as db:
        message = db.get_one(Message, message_id, with_for_update=True)
        if message.status != MessageStatus.SENDING:
            log.warning("message %s was settled as %s before its send returned %s",
                        message_id, message.status.value, status.value)
            return str(message.status.value)
        message.status = status
        message.error_code, message.error_reason = code, reason
        if provider_id:
            message.provider_message_id, message.sent_at = provider_id, utcnow()
            apply_early_reports(db, svc.redis, message)
        if opted_out:
            contact = db.get_one(Contact, message.contact_id)
            contact.opted_out, contact.opted_out_at = True, utcnow()
    log.info("message %s %s%s", message_id, status.value, f" ({code}: {reason})" if code else "")
    return status.value
