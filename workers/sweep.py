"""The periodic sweep: messages stranded by a lost Redis or a killed worker.

Policy for a row left `sending` longer than SENDING_TIMEOUT (its worker died between
claiming it and recording the provider's answer): we cannot know whether the provider
took it, and resending could reach the villager twice, so it is `failed` with the code
`interrupted` for officers to see and resend by hand. Messages go at most once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import or_, select, update

from smsgateway.broadcasts.lifecycle import finish_settled
from smsgateway.db import utcnow
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths
from smsgateway.messaging.outbox import send_job_id
from smsgateway.models import Message, MessageStatus

from .periodic import run_then_reschedule

log = logging.getLogger(__name__)


def _job_alive(redis: object, message_id: int) -> bool:
    try:
        job = Job.fetch(send_job_id(message_id), connection=redis)  # type: ignore[arg-type]
    except NoSuchJobError:
        return False
    return job.get_status(refresh=False) not in ("finished", "failed", "canceled", "stopped")


def sweep() -> dict[str, int]:
    """Re-enqueue queued rows whose job is gone; settle rows stuck `sending`.

    A row held for the quiet hours (`not_before`) is not stale before then: its send job is
    scheduled for that time, and only if that job is lost does the sweep enqueue it.
    """
    svc = jobline()
    now = utcnow()
    requeued = 0
    grace = now - timedelta(seconds=svc.settings["QUEUED_GRACE"])
    with svc.sessions.begin() as db:
        stale = db.scalars(select(Message.id).where(
            Message.status == MessageStatus.QUEUED, Message.updated_at < grace,
            or_(Message.not_before.is_(None), Message.not_before < grace))).all()
        stuck_before = now - timedelta(seconds=svc.settings["SENDING_TIMEOUT"])
        settled_broadcasts = list(db.scalars(
            update(Message).where(Message.status == MessageStatus.SENDING,
                                  Message.updated_at < stuck_before)
            .values(status=MessageStatus.FAILED, error_code="interrupted",
                    error_reason="the worker stopped mid-send; not resent, to never send twice",
                    updated_at=now)
            .returning(Message.broadcast_id)))
        settled = len(settled_broadcasts)
    if any(b is not None for b in settled_broadcasts):  # their broadcasts may be done now
        with svc.sessions.begin() as db:
            finish_settled(db, [b for b in settled_broadcasts if b is not None])
    orphans = [message_id for message_id in stale if not _job_alive(svc.redis, message_id)]
    if orphans:
        # One batch job per BROADCAST_BATCH_SIZE rows, not a job (and a forked work-horse)
        # each: a broadcast that takes longer than the grace to drain leaves thousands of
        # rows waiting in batches still queued. Claims are guarded, so a row both jobs hold
        # is sent once; the rows' clock restarts, so the next sweep leaves them a grace.
        size = int(svc.settings["BROADCAST_BATCH_SIZE"])
        for start in range(0, len(orphans), size):
            batch = orphans[start:start + size]
            with svc.sessions.begin() as db:
                db.execute(update(Message).where(Message.id.in_(batch),
                                                 Message.status == MessageStatus.QUEUED)
                           .values(updated_at=now))
            svc.queue("messages").enqueue(jobpaths.SEND_BATCH, batch)
        requeued = len(orphans)
    if requeued or settled:
        log.warning("sweep: %s queued messages re-enqueued, %s stuck ones settled",
                    requeued, settled)
    return {"requeued": requeued, "settled": settled}


def sweep_and_reschedule() -> dict[str, int]:
    """Sweep, then schedule the next sweep."""
    return run_then_reschedule(sweep, jobpaths.SWEEP_JOB_ID)
