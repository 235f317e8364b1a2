"""The outbox: a message is a row written with its cause, then a job that sends it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from rq import Retry
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from menus.budget import normalise, sms_segments

from ..db import utcnow
from ..models import Contact, Message, MessageStatus
from ..services import Services
from ..templates import Templated, recognise
from . import jobpaths

log = logging.getLogger(__name__)

# Transient provider errors are retried with growing delays: after 10 s, 60 s and 300 s.
RETRY_DELAYS = (10, 60, 300)
SEND_RETRY = Retry(max=len(RETRY_DELAYS), interval=list(RETRY_DELAYS))


# --- Templates for every message (issue 14) ---
# Every kind of message the outbox writes (a row's kind is `<kind>` or `<kind>:<id>`).
# `add_message` refuses any other: a new kind is declared here, and tests/test_templates.py
# fails until it has its templates (`templates.TEMPLATES`), as a templated provider needs.
KINDS = frozenset({
    "alert", "application", "apply-lost", "broadcast", "case", "checkin", "cohort",
    "departure_cancelled", "departure_moved", "departure_reminder", "erased", "family",
    "interview-cancelled", "interview-invite", "interview-lost", "interview-reminder",
    "opt_out", "paycheck", "registration", "reply", "team-report", "training",
    "training-cancelled", "training-lost", "training-reminder", "ussd_dropped", "wechat_code",
})


def kind_of(kind: str) -> str:
    """A row's kind without its `:<id>`."""
    return kind.split(":", 1)[0]
# --- end Templates for every message ---


def send_job_id(message_id: int) -> str:
    """The one id a message's send job has (a second enqueue replaces, never doubles, it)."""
    return f"send-message-{message_id}"


def add_message(session: Session, contact: Contact, body: str | Templated, kind: str,
                channel: str, *, always: bool = False, answer: bool = False,
                enqueue: bool = True) -> Message | None:
    """Write a queued message to `contact`; None when they opted out (unless `always`).

    `answer`: it answers what the villager just sent, so the quiet hours never hold it
    (every other message waits for their end at the send step: `kernel.quiet`).
    The message keeps the template it was built from (a `Templated` body's, or the one
    `recognise` finds for a plain text): what a templated provider sends.

    It is enqueued only once the surrounding transaction commits (see `enqueue_on_commit`);
    `enqueue=False` leaves that to the caller (a fan-out sends its rows as one batch job).
    """
    if kind_of(kind) not in KINDS:
        raise ValueError(f"unknown kind of message {kind!r}: declare it in outbox.KINDS")
    if contact.opted_out and not always:
        return None
    found = body if isinstance(body, Templated) else recognise(body)
    template = found.to_json() if found else None
    text = normalise(body.text if isinstance(body, Templated) else body)
    message = Message(contact=contact, phone=contact.phone, body=text,
                      segments=sms_segments(text), kind=kind, channel=channel, answer=answer,
                      template=template)
    session.add(message)
    session.flush()
    if enqueue:
        enqueue_after_commit(session, jobpaths.SEND_MESSAGE, message.id,
                             job_id=send_job_id(message.id), retry=SEND_RETRY)
    return message


def add_sent_reply(session: Session, contact: Contact, body: str, kind: str,
                   channel: str = "twiml") -> Message:
    """Record a reply the provider sends for us (TwiML, WeChat's passive reply), already
    `sent`."""
    text = normalise(body)
    message = Message(contact=contact, phone=contact.phone, body=text,
                      segments=sms_segments(text), kind=kind, channel=channel,
                      status=MessageStatus.SENT, sent_at=utcnow())
    session.add(message)
    return message


def enqueue(services: Services, message_id: int) -> None:
    """Put one message's send job on the messages queue."""
    services.queue("messages").enqueue(
        jobpaths.SEND_MESSAGE, message_id, job_id=send_job_id(message_id), retry=SEND_RETRY
    )


def retry_later(services: Services, message_id: int, attempts: int) -> None:
    """Schedule the next attempt of a message that failed `attempts` times outside its own
    send job (in a broadcast's batch): after the delay that attempt has in RETRY_DELAYS, as
    its own send job carrying the delays still left, so every row keeps one schedule."""
    delays = RETRY_DELAYS[attempts - 1:]
    rest = list(delays[1:])
    services.queue("messages").enqueue_in(
        timedelta(seconds=delays[0]), jobpaths.SEND_MESSAGE, message_id,
        job_id=send_job_id(message_id), retry=Retry(max=len(rest), interval=rest) if rest else None)


def held_job_id(message_id: int, until: datetime) -> str:
    """The id of a message's send job held until `until` (the end of the quiet hours): not
    its send job's id, which the job that held it still runs under."""
    return f"{send_job_id(message_id)}-at-{until:%Y%m%dT%H%M%SZ}"


def enqueue_after_commit(session: Session, path: str, *args: Any, queue: str = "messages",
                         at: datetime | None = None, **options: Any) -> None:
    """Enqueue the job `path(*args)` once the session's transaction commits (never before:
    a worker must find the rows the job is about); `at` schedules it for later."""
    session.info.setdefault("jobs", []).append((queue, path, args, at, options))


def call_after_commit(session: Session, action: Any) -> None:
    """Call `action(services)` once the session's transaction commits, after its jobs are
    enqueued (e.g. to remove scheduled jobs the transaction made obsolete)."""
    session.info.setdefault("after_commit", []).append(action)


def enqueue_on_commit(factory: sessionmaker[Any], services: Services) -> None:
    """After a commit, enqueue the jobs the transaction asked for; forget them on rollback."""

    @event.listens_for(factory, "after_commit")
    def _enqueue(session: Session) -> None:
        for queue, path, args, at, options in session.info.pop("jobs", []):
            try:
                if at is not None:
                    services.queue(queue).enqueue_at(at, path, *args, **options)
                else:
                    services.queue(queue).enqueue(path, *args, **options)
            except Exception:  # the rows stay queued; the sweep will find them
                log.exception("could not enqueue %s%r", path, args)
        for action in session.info.pop("after_commit", []):
            try:
                action(services)
            except Exception:
                log.exception("after-commit action %r failed", action)

    @event.listens_for(factory, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop("jobs", None)
        session.info.pop("after_commit", None)
