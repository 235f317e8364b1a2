"""Sending outbox messages through their channel's provider: one, or a broadcast's batch."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from smsgateway import metrics
from smsgateway.broadcasts.lifecycle import finish_settled
from smsgateway.db import utcnow
from smsgateway.jobcontext import jobline
from smsgateway.kernel.quiet import morning_after
from smsgateway.messaging import jobpaths, wechat_cs
from smsgateway.messaging.approvals import approved_id
from smsgateway.messaging.delivery import apply_early_reports, has_early_reports
from smsgateway.messaging.gateways import (
    InterruptedSendError,
    PermanentSendError,
    TransientSendError,
)
from smsgateway.messaging.outbox import RETRY_DELAYS, SEND_RETRY, held_job_id, retry_later
from smsgateway.messaging.throttle import SendRate
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.services import Services
from smsgateway.villagers.erasure import FAREWELL_KIND

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)  # the first try and the retries (smsgateway.messaging.outbox)
# Hot statements go to the table itself: SQLAlchemy's ORM bulk path costs a millisecond each.
MESSAGES = cast(Table, Message.__table__)
SENT_OR_GOING = (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED)


@dataclass(frozen=True)
class Claimed:
    """A row this worker moved from queued to sending, with what deciding to send needs."""

    id: int
    phone: str
    body: str
    channel: str
    kind: str
    attempts: int
    opted_out: bool
    repeats: int  # identical texts to this phone within the loop-guard window
    broadcast_id: int | None = None


def send_message(message_id: int) -> str:
    """Claim a queued message, send it, record the outcome; a second run sends nothing.

    The claim is a guarded update (queued → sending), so a duplicated or retried job
    cannot send twice. A transient error puts the row back to queued and re-raises so
    RQ retries it later; a permanent one fails the row with the provider's reason.
    """
    svc = jobline()
    if _hold_for_quiet_hours(svc, [message_id]):
        return "held for the quiet hours"
    claimed = _claim(svc, [message_id])
    if not claimed:
        return "not queued"
    outcome = _deliver(svc, claimed[0], retry_here=True)
    _finish_broadcasts(svc, claimed)
    return outcome


def send_batch(message_ids: list[int]) -> dict[str, int]:
    """Send a broadcast's batch in one job, each message in turn under the send rate.

    Each row is claimed just before its own send, so a worker killed mid-batch leaves
    one row `sending` (the one in flight, settled by the sweep's policy) and the rest
    `queued` for the sweep to enqueue again. In the quiet hours the batch waits for the
    morning. A row with a transient error goes back to queued under its own send job.
    """
    svc = jobline()
    held = set(_hold_for_quiet_hours(svc, message_ids, batch=True))
    outcomes: Counter[str] = Counter({"deferred": len(held)} if held else {})
    # The checks once for the batch; claims one by one.
    rows = _look(svc, [i for i in message_ids if i not in held])
    for row in rows:
        with svc.sessions.begin() as db:
            attempts = db.execute(
                update(MESSAGES)
                .where(MESSAGES.c.id == row.id, MESSAGES.c.status == MessageStatus.QUEUED)
                .values(status=MessageStatus.SENDING, attempts=MESSAGES.c.attempts + 1,
                        updated_at=utcnow())
                .returning(MESSAGES.c.attempts)).scalar()
        if attempts is not None:
            outcomes[_deliver(svc, replace(row, attempts=attempts), retry_here=False)] += 1
    _finish_broadcasts(svc, rows)
    return dict(outcomes)


def _finish_broadcasts(svc: Services, rows: Sequence[Claimed]) -> None:
    """After these rows settled (committed), the broadcasts they belong to may be done."""
    ids = {row.broadcast_id for row in rows if row.broadcast_id is not None}
    if ids:
        with svc.sessions.begin() as db:
            finish_settled(db, ids)


def _hold_for_quiet_hours(svc: Services, message_ids: list[int], batch: bool = False
                          ) -> list[int]:
    """In the quiet hours, hold the queued rows of these that do not answer a villager:
    mark them `not_before` the end of the quiet hours (the sweep leaves them alone until
    then) and schedule their send job (or, for a batch, the batch) for that time. Returns the
    ids held; outside the quiet hours, none. Every send job comes through here, whoever
    enqueued it (fan-out, sweep, retry), so a villager is never woken by a broadcast."""
    now = utcnow()
    morning = morning_after(now, svc.settings)
    if morning <= now:
        return []
    with svc.sessions.begin() as db:
        held = list(db.scalars(
            update(MESSAGES)
            .where(MESSAGES.c.id.in_(message_ids), MESSAGES.c.status == MessageStatus.QUEUED,
                   MESSAGES.c.answer.is_(False))
            .values(not_before=morning, updated_at=now)
            .returning(MESSAGES.c.id)))
    if batch and held:
        svc.queue("messages").enqueue_at(morning, jobpaths.SEND_BATCH, sorted(held))
    for message_id in [] if batch else held:
        svc.queue("messages").enqueue_at(morning, jobpaths.SEND_MESSAGE, message_id,
                                         job_id=held_job_id(message_id, morning),
                                         retry=SEND_RETRY)
    if held:
        log.info("quiet hours: %s messages held until %s", len(held), morning.isoformat())
    return held


def _look(svc: Services, message_ids: list[int]) -> list[Claimed]:
    """The queued ones of these rows, with what deciding to send them needs (not claimed)."""
    window = utcnow() - timedelta(seconds=svc.settings["LOOP_GUARD_WINDOW"])
    with svc.sessions.begin() as db:
        rows = db.execute(select(Message.id, Message.phone, Message.body, Message.channel,
                                 Message.kind, Message.attempts, Message.contact_id,
                                 Message.broadcast_id)
                          .where(Message.id.in_(message_ids),
                                 Message.status == MessageStatus.QUEUED)
                          .order_by(Message.id)).all()
        return _with_checks(db, rows, window)


def _claim(svc: Services, message_ids: list[int]) -> list[Claimed]:
    """Move the queued ones of these rows to sending, in one guarded update."""
    window = utcnow() - timedelta(seconds=svc.settings["LOOP_GUARD_WINDOW"])
    with svc.sessions.begin() as db:
        rows = db.execute(
            update(Message)
            .where(Message.id.in_(message_ids), Message.status == MessageStatus.QUEUED)
            .values(status=MessageStatus.SENDING, attempts=Message.attempts + 1,
                    updated_at=utcnow())
            .returning(Message.id, Message.phone, Message.body, Message.channel, Message.kind,
                       Message.attempts, Message.contact_id, Message.broadcast_id)
        ).all()
        return _with_checks(db, sorted(rows, key=lambda r: r.id), window)


def _with_checks(db: Session, rows: Sequence[Any], since: Any) -> list[Claimed]:
    """Rows with their opt-out and loop-guard facts, looked up once for all of them."""
    if not rows:
        return []
    opted_out = set(db.scalars(select(Contact.id).where(
        Contact.id.in_({r.contact_id for r in rows}), Contact.opted_out.is_(True))))
    repeats = _repeats(db, {r.phone for r in rows}, since, {r.id for r in rows})
    return [Claimed(r.id, r.phone, r.body, r.channel, r.kind, r.attempts,
                    r.contact_id in opted_out, repeats[(r.phone, r.body)], r.broadcast_id)
            for r in rows]


def _repeats(db: Session, phones: set[str], since: Any, exclude: set[int]) -> Counter[Any]:
    """Identical texts per (phone, body) sent or going since `since`."""
    query = (select(Message.phone, Message.body, func.count())
             .where(Message.phone.in_(phones), Message.status.in_(SENT_OR_GOING),
                    Message.created_at >= since, Message.id.not_in(exclude))
             .group_by(Message.phone, Message.body))
    return Counter({(phone, body): n for phone, body, n in db.execute(query)})


def _deliver(svc: Services, row: Claimed, retry_here: bool) -> str:
    """Send one claimed row (or refuse to) and record the outcome."""
    # The opt-out's (or the erasure's) confirmation is all they get.
    if row.opted_out and row.kind not in ("opt_out", FAREWELL_KIND):
        return _settle(row, MessageStatus.FAILED, code="opted_out",
                       reason="the villager opted out before it was sent")
    limit, window = svc.settings["LOOP_GUARD_LIMIT"], svc.settings["LOOP_GUARD_WINDOW"]
    if row.repeats >= limit:
        log.error("loop guard: message %s would repeat a text sent %s times to %s in %s s",
                  row.id, row.repeats, row.phone, window)
        return _settle(row, MessageStatus.FAILED, code="loop_guard",
                       reason=f"{row.repeats} identical texts to this phone within {window} s:"
                              " stopped as a loop")
    if wechat_cs.enabled(svc.settings):
        by_wechat = _by_wechat(svc, row)
        if by_wechat is not None:
            return by_wechat
    sender = svc.sender(row.channel)  # built (on first use) before the turn is taken
    SendRate.from_settings(svc.redis, svc.settings).wait_for_turn(row.channel)
    try:
        with metrics.SEND_SECONDS.labels(row.channel).time():
            provider_id = _send(svc, sender, row)
    except TransientSendError as exc:
        if row.attempts >= MAX_ATTEMPTS:
            return _settle(row, MessageStatus.FAILED, code=exc.code,
                           reason=f"gave up after {row.attempts} attempts: {exc.reason}")
        _settle(row, MessageStatus.QUEUED, code=exc.code, reason=exc.reason)
        if retry_here:
            raise
        retry_later(svc, row.id, row.attempts)  # its own job, on the same schedule
        return "retrying"
    except PermanentSendError as exc:
        return _settle(row, MessageStatus.FAILED, code=exc.code, reason=exc.reason,
                       opted_out=exc.opt_out_reason)
    except InterruptedSendError as exc:  # the provider may have it: at most once
        return _settle(row, MessageStatus.FAILED, code=exc.code, reason=exc.reason)
    settled = _settle(row, MessageStatus.SENT, provider_id=provider_id)
    if has_early_reports(svc.redis, provider_id):  # the provider reported before we recorded
        with svc.sessions.begin() as db:
            apply_early_reports(db, svc.redis, db.get_one(Message, row.id))
    return settled


def _by_wechat(svc: Services, row: Claimed) -> str | None:
    """A notification to a villager who wrote on WeChat within 48 hours goes as WeChat's
    customer-service message (`messaging/wechat_cs.py`); None: by SMS as usual."""
    with svc.readers() as db:
        openid = wechat_cs.openid_for(db, row.id, utcnow())
    if openid is None:
        return None
    try:
        wechat_cs.send(svc.settings, svc.redis, openid, row.body)
    except wechat_cs.NotTaken as exc:
        log.info("message %s goes by SMS: %s", row.id, exc)
        return None
    except InterruptedSendError as exc:  # WeChat may have it: at most once
        return _settle(row, MessageStatus.FAILED, code=exc.code, reason=exc.reason)
    return _settle(row, MessageStatus.SENT, provider_id=f"wechat-cs-{row.id}", channel="wechat")


def _send(svc: Services, sender: Any, row: Claimed) -> str:
    """Hand the row to its channel's sender: its text, or to a templated provider (which
    sends approved templates only) the template it was built from."""
    if getattr(sender, "templated", False):
        with svc.readers() as db:
            template = db.scalar(select(Message.template).where(Message.id == row.id))
            # the id set by API or console, which wins over the TENCENT_TEMPLATES file's
            approved = approved_id(db, template["key"], template["lang"]) if template else None
        return str(sender.send_template(row.phone, template, approved))
    return str(sender.send(row.phone, row.body))


def _settle(row: Claimed, status: MessageStatus, *, code: str | None = None,
            reason: str | None = None, provider_id: str | None = None,
            opted_out: str | None = None, channel: str | None = None) -> str:
    """Move the claimed row on from `sending` with a guarded update (the sweep may have
    settled it meanwhile); mark the villager opted out when told why (`opted_out`: the
    carrier's code); apply reports that came before the provider's id. A row settled sent
    or failed here is counted in `jobline_messages_total`."""
    svc = jobline()
    message_id = row.id
    values: dict[str, Any] = {"status": status, "error_code": code, "error_reason": reason,
                              "updated_at": utcnow()}
    if provider_id:
        values.update(provider_message_id=provider_id, sent_at=utcnow())
    if channel:  # it went another way than the row's channel (WeChat)
        values["channel"] = channel
    with svc.sessions.begin() as db:
        contact_id = db.execute(
            update(MESSAGES).where(MESSAGES.c.id == message_id,
                                   MESSAGES.c.status == MessageStatus.SENDING)
            .values(**values).returning(MESSAGES.c.contact_id)).scalar()
        if contact_id is None:
            log.warning("message %s was settled before its send returned %s", message_id,
                        status.value)
            return "settled already"
        if opted_out:
            db.execute(update(Contact).where(Contact.id == contact_id,
                                             Contact.opted_out.is_(False))
                       .values(opted_out=True, opted_out_at=utcnow(), opted_out_reason=opted_out))
    if status in (MessageStatus.SENT, MessageStatus.FAILED):
        metrics.MESSAGES.labels(row.kind, channel or row.channel, status.value).inc()
    log.info("message %s %s%s", message_id, status.value, f" ({code}: {reason})" if code else "")
    return status.value
