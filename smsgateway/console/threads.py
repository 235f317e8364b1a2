"""What a villager's profile shows beside the record: the thread of what they sent and what
Jobline sent them, and the trainings an officer may enrol them in (through `access`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..config import local_today
from ..models import InboundMessage, Message, TrainingSession, User, Villager
from ..services import services
from ..training import sessions as trainings

THREAD_LENGTH = 30  # the latest messages each way
SMS_MAX = 300  # characters an officer's one SMS may have (five UCS-2 segments at most)


@dataclass(frozen=True)
class Line:
    """One message of the thread: the villager's (`inbound`) or one Jobline sent."""

    at: datetime
    inbound: bool
    body: str
    message: Message | None = None


def thread(db: Session, villager: Villager) -> list[Line]:
    """What the villager sent and what Jobline sent them, newest first, interleaved."""
    contact = villager.contact
    sent = db.scalars(select(Message).where(Message.contact_id == contact.id)
                      .order_by(Message.id.desc()).limit(THREAD_LENGTH)).all()
    got = db.scalars(select(InboundMessage).where(InboundMessage.phone == contact.phone)
                     .order_by(InboundMessage.id.desc()).limit(THREAD_LENGTH)).all()
    lines = [Line(_aware(m.created_at), False, m.body, m) for m in sent]
    lines += [Line(_aware(i.received_at), True, i.body) for i in got]
    lines.sort(key=lambda line: line.at, reverse=True)
    return lines[:THREAD_LENGTH]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive times (UTC): comparable with PostgreSQL's aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def trainings_open_to(db: Session, user: User, villager: Villager) -> list[TrainingSession]:
    """Upcoming sessions the villager may join, among those held in the user's area."""
    today = local_today(services().settings)
    return list(db.scalars(trainings.open_to_query(villager, today)
                           .where(access.trainings_seen(db, user))))
