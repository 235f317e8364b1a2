"""The outbox: a message is a row written with its cause, then a job that sends it."""

from __future__ import annotations

import logging
from datetime import datetime
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

# Transient provider errors are retried by RQ with growing delays.
SEND_RETRY = Retry(max=3, interval=[10, 60, 300])


def send_job_id(message_id: int) -> str:
    """The one id a message's send job has (a second enqueue replaces, never doubles, it)."""
    return f"send-message-{message_id}"


def add_message(session: Session, contact: Contact, body: str | Templated, kind: str,
                channel: str, *, always: bool = False) -> Message | None:
    """Write a queued message to `contact`; None when they opted out (unless `always`).

    The message keeps the template it was built from (a `Templated` body's, or the one
    `recognise` finds for a plain text): what a templated provider sends.
    It is enqueued only once the surrounding transaction commits (see `enqueue_on_commit`).
    """
    if contact.opted_out and not always:
        return None
    found = body if isinstance(body, Templated) else recognise(body)
    template = found.to_json() if found else None
    text = normalise(body.text if isinstance(body, Templated) else body)
    message = Message(contact=contact, phone=contact.phone, body=text,
                      segments=sms_segments(text), kind=kind, channel=channel,
                      template=template)
    session.add(message)
    session.flush()
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
