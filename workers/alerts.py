"""Job alerts: when a posting is published, one SMS to each villager it fits, in batches.

`enqueue_batches` and `write_once` are the fan-out every notice to chosen villagers uses
(job alerts here, training notices and reminders in `workers.trainings`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from smsgateway.config import local_today
from smsgateway.jobcontext import jobline
from smsgateway.messaging import jobpaths
from smsgateway.messaging.outbox import add_message, enqueue_after_commit
from smsgateway.models import Message, Posting, PostingStatus, Villager
from smsgateway.postings.core import Seeker, alert_audience, alert_text, open_to


def enqueue_batches(db: Session, path: str, owner_id: int, villager_ids: Sequence[int],
                    size: int, prefix: str) -> None:
    """After commit, enqueue `path(owner_id, batch)` for each batch of `size` villagers, with
    job ids `<prefix>-<owner_id>-<n>` (a repeated fan-out replaces, never doubles, a batch)."""
    for start in range(0, len(villager_ids), size):
        enqueue_after_commit(db, path, owner_id, list(villager_ids[start:start + size]),
                             queue="default", job_id=f"{prefix}-{owner_id}-{start // size}")


def write_once(db: Session, kind: str, villagers: Sequence[Villager],
               text_for: Callable[[str], str], default_language: str, channel: str) -> int:
    """Write `text_for(language)` to each villager who has no message of this `kind` yet (a
    rerun batch writes nothing twice), sent by one batch job after commit (a job per message
    would fork a work-horse per villager); returns how many were written."""
    done = set(db.scalars(select(Message.contact_id).where(
        Message.kind == kind, Message.contact_id.in_([v.contact_id for v in villagers]))))
    written: list[int] = []
    for villager in villagers:
        if villager.contact_id in done:
            continue
        language = villager.contact.language or default_language
        message = add_message(db, villager.contact, text_for(language), kind=kind,
                              channel=channel, enqueue=False)
        if message is not None:
            written.append(message.id)
    if written:
        enqueue_after_commit(db, jobpaths.SEND_BATCH, written)
    return len(written)


def send_job_alerts(posting_id: int) -> int:
    """Find who the posting fits (`core.alert_audience`) and enqueue batches."""
    svc = jobline()
    today = local_today(svc.settings)
    with svc.sessions.begin() as db:
        posting = db.get(Posting, posting_id)
        if posting is None or posting.status != PostingStatus.PUBLISHED:
            return 0
        chosen = alert_audience(db, posting, today)
        enqueue_batches(db, jobpaths.SEND_JOB_ALERT_BATCH, posting_id, chosen,
                        svc.settings["ALERT_BATCH_SIZE"], "job-alerts")
    return len(chosen)


def send_job_alert_batch(posting_id: int, villager_ids: list[int]) -> int:
    """Write one alert per villager of the batch (none twice, even when the batch reruns)."""
    svc = jobline()
    today = local_today(svc.settings)
    with svc.sessions.begin() as db:
        posting = db.get_one(Posting, posting_id)
        villagers = [v for v in db.scalars(select(Villager).where(Villager.id.in_(villager_ids))
                                           .options(selectinload(Villager.contact)))
                     if open_to(posting, Seeker.of(v), today)]  # closed or filled meanwhile?
        return write_once(db, f"alert:{posting_id}", villagers,
                          lambda language: alert_text(posting, language),
                          svc.settings["DEFAULT_LANGUAGE"], svc.settings["SMS_PROVIDER"])
