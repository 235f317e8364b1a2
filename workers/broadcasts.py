"""Broadcast fan-out: the audience's outbox rows, written in batches, and their send batches."""

from __future__ import annotations

import logging
from itertools import islice
from typing import Any

from sqlalchemy import insert, select

from menus.budget import sms_segments
from smsgateway.broadcasts.audience import audience_query, excluded, templates, texts
from smsgateway.broadcasts.lifecycle import finish_settled
from smsgateway.config import local_today
from smsgateway.db import utcnow
from smsgateway.jobcontext import jobline
from smsgateway.kernel.quiet import morning_after
from smsgateway.messaging import jobpaths
from smsgateway.models import Broadcast, BroadcastStatus, Message, MessageStatus
from smsgateway.services import Services

log = logging.getLogger(__name__)


def fan_out(broadcast_id: int) -> int:
    """Write one queued message per recipient and enqueue them in batches; returns how many.

    Safe to run again (a lost or repeated job): villagers who already have this
    broadcast's message are skipped, and a cancelled broadcast stops between batches.
    """
    svc = jobline()
    settings = svc.settings
    with svc.sessions.begin() as db:
        broadcast = db.get_one(Broadcast, broadcast_id)
        if broadcast.status == BroadcastStatus.CANCELLED:
            return 0
        broadcast.status = BroadcastStatus.FANNING_OUT
        if broadcast.excluded is None:  # who it could not reach, as it was when it went
            broadcast.excluded = excluded(db, broadcast.audience, local_today(settings),
                                          settings["DEFAULT_LANGUAGE"])
        bodies = texts(broadcast)
        kept = templates(broadcast, bodies)  # what a templated provider sends
        segments = {lang: sms_segments(body) for lang, body in bodies.items()}
        recipients = db.execute(audience_query(db, broadcast.audience, local_today(settings),
                                               settings["DEFAULT_LANGUAGE"])).all()
        done = set(db.scalars(select(Message.contact_id)
                              .where(Message.broadcast_id == broadcast_id)))
    written, rows = 0, iter([r for r in recipients if r.id not in done])
    while batch := list(islice(rows, settings["BROADCAST_BATCH_SIZE"])):
        with svc.sessions.begin() as db:
            if db.get_one(Broadcast, broadcast_id).status == BroadcastStatus.CANCELLED:
                log.info("broadcast %s cancelled during its fan-out", broadcast_id)
                return written
            now = utcnow()
            morning = morning_after(now, settings)  # held, at the send step, until then
            values: list[dict[str, Any]] = [
                {"contact_id": r.id, "phone": r.phone, "body": bodies[r.language],
                 "segments": segments[r.language], "kind": "broadcast",
                 "template": kept[r.language],
                 "channel": settings["SMS_PROVIDER"], "status": MessageStatus.QUEUED,
                 "attempts": 0, "created_at": now, "updated_at": now,
                 "broadcast_id": broadcast_id,
                 "not_before": morning if morning > now else None} for r in batch]
            ids = list(db.scalars(insert(Message).returning(Message.id), values))
        _enqueue_batch(svc, ids)
        written += len(ids)
    with svc.sessions.begin() as db:
        broadcast = db.get_one(Broadcast, broadcast_id)
        if broadcast.status != BroadcastStatus.CANCELLED:
            broadcast.status = BroadcastStatus.SENDING
            broadcast.recipients = len(done) + written
    with svc.sessions.begin() as db:  # its batches may all have gone already (or none had to)
        finish_settled(db, [broadcast_id])
    return written


def _enqueue_batch(svc: Services, ids: list[int]) -> None:
    """Send now, or when the quiet hours end."""
    queue = svc.queue("messages")
    now = utcnow()
    at = morning_after(now, svc.settings)
    if at > now:
        queue.enqueue_at(at, jobpaths.SEND_BATCH, ids)
    else:
        queue.enqueue(jobpaths.SEND_BATCH, ids)
