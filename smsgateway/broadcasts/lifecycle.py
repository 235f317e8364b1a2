"""A broadcast after it is sent: when it is done, what it waits for, what it came to.

Done is reached in one place, `finish_settled`: a guarded UPDATE that moves a `sending`
broadcast to `done` when none of its messages is queued or sending any more. Whoever settles
a broadcast's message (a send job, a batch, the sweep) calls it afterwards in a transaction
of its own, after the commit that settled the message: each check then sees every settle
committed before it, so of several workers settling its last messages at once the last one
to check finds nothing left, and the guard (`status = 'sending'`) lets exactly one move it.
The fan-out calls it too once it marked the broadcast `sending` (its batches may all have
gone before that).

Waiting for the morning is not stored: the quiet hours (`kernel.quiet`, the one rule) say
when a broadcast that is due will start; `phase` derives it for the API and the console.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, exists, func, select, update
from sqlalchemy.orm import Session

from ..db import utcnow
from ..kernel.quiet import morning_after
from ..models import Broadcast, BroadcastStatus, Message, MessageStatus

BROADCASTS = cast(Table, Broadcast.__table__)
MESSAGES = cast(Table, Message.__table__)
UNSETTLED = (MessageStatus.QUEUED, MessageStatus.SENDING)
UNDER_WAY = (BroadcastStatus.SCHEDULED, BroadcastStatus.FANNING_OUT, BroadcastStatus.SENDING)


def finish_settled(db: Session, broadcast_ids: Iterable[int] | None = None) -> list[int]:
    """Move to `done` the `sending` broadcasts (of these, or all) whose every message has
    settled; returns the ids moved. Run it after the settling transaction committed."""
    unsettled = exists().where(MESSAGES.c.broadcast_id == BROADCASTS.c.id,
                               MESSAGES.c.status.in_(UNSETTLED))
    query = (update(BROADCASTS)
             .where(BROADCASTS.c.status == BroadcastStatus.SENDING, ~unsettled)
             .values(status=BroadcastStatus.DONE, finished_at=utcnow()))
    if broadcast_ids is not None:
        ids = sorted(set(broadcast_ids))
        if not ids:
            return []
        query = query.where(BROADCASTS.c.id.in_(ids))
    return [int(i) for i in db.scalars(query.returning(BROADCASTS.c.id))]


@dataclass(frozen=True)
class Phase:
    """Where a broadcast stands, as officers read it.

    `status`: scheduled (its `send_at` is ahead), waiting_for_morning (due, but the quiet
    hours hold it), fanning_out, sending, done or cancelled; `starts_at`: when it starts
    (scheduled or waiting for the morning); `cancellable`: something can still be stopped.
    """

    status: str
    starts_at: datetime | None
    cancellable: bool


def phase(broadcast: Broadcast, counts: Mapping[str, int], now: datetime,
          settings: Mapping[str, Any]) -> Phase:
    """The broadcast's phase at `now`, from its stored status, its messages by status
    (`progress`) and the quiet hours."""
    stored = broadcast.status
    if stored not in UNDER_WAY:
        return Phase(stored.value, None, False)
    queued = counts.get(MessageStatus.QUEUED.value, 0)
    cancellable = stored != BroadcastStatus.SENDING or queued > 0
    if stored == BroadcastStatus.SCHEDULED and broadcast.send_at and broadcast.send_at > now:
        return Phase("scheduled", morning_after(broadcast.send_at, settings), True)
    morning = morning_after(now, settings)
    if morning > now and cancellable:  # something is still to go, and it waits
        return Phase("waiting_for_morning", morning, True)
    shown = BroadcastStatus.SENDING if stored == BroadcastStatus.SCHEDULED else stored
    return Phase(shown.value, None, cancellable)


def failed_by_reason(db: Session, broadcast: Broadcast) -> dict[str, int]:
    """Its messages that failed or were not delivered, by the reason's code."""
    code = func.coalesce(Message.error_code, "unknown")
    rows = db.execute(select(code, func.count())
                      .where(Message.broadcast_id == broadcast.id,
                             Message.status.in_((MessageStatus.FAILED,
                                                 MessageStatus.UNDELIVERED)))
                      .group_by(code)).all()
    return {str(reason): int(n) for reason, n in rows}
