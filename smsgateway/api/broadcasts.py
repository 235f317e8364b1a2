"""Broadcasts: preview, send now or at `send_at`, follow progress, cancel."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..access import STAFF
from ..broadcasts import audience as broadcasts
from ..broadcasts import lifecycle, wording
from ..config import local_today
from ..db import utcnow
from ..messaging import jobpaths
from ..messaging.outbox import enqueue_after_commit
from ..models import Broadcast, PostingStatus, User
from ..services import services
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import BroadcastIn, BroadcastOut, BroadcastPreview


def _draft(db: Session, user: User, body: BroadcastIn) -> Broadcast:
    """The broadcast the body describes (not yet added to the session)."""
    posting = access.posting(db, user, body.posting_id) if body.posting_id else None
    if posting is not None and posting.status != PostingStatus.PUBLISHED:
        raise ApiError(422, "no such published posting", "posting_id")
    audience = body.audience.model_dump(mode="json", exclude_defaults=True)
    # An officer speaks to their own area, or to areas within it.
    areas = access.audience_areas(db, user, audience.get("areas") or [])
    if areas:
        audience["areas"] = areas
    broadcast = Broadcast(text_zh=body.text_zh, text_en=body.text_en, posting=posting,
                          audience=audience, send_at=body.send_at, created_by_id=user.id)
    if body.template is not None:  # its texts, as built (values cut to the limit)
        broadcast.template = wording.checked(body.template.model_dump(exclude_none=True))
        built = wording.built(broadcast.template)
        broadcast.text_zh, broadcast.text_en = built["zh"].text, built["en"].text
    elif posting is None and wording.templated_provider(services().settings):
        raise ApiError(422, f"{services().settings['SMS_PROVIDER']} sends approved templates "
                       "only: choose a broadcast template (" + ", ".join(
                           wording.BROADCAST_TEMPLATES) + ") and fill its variables", "template")
    return broadcast


def _preview(db: Session, broadcast: Broadcast) -> BroadcastPreview:
    settings = services().settings
    return BroadcastPreview.model_validate(broadcasts.preview(
        db, broadcast, local_today(settings), settings["DEFAULT_LANGUAGE"],
        settings["SMS_SEGMENT_PRICE"]))


def broadcast_out(db: Session, broadcast: Broadcast) -> BroadcastOut:
    """The API's view of a broadcast: its phase, its messages counted by status, and what
    it came to (failed by reason, excluded)."""
    settings, now = services().settings, utcnow()
    counts = broadcasts.progress(db, broadcast)
    phase = lifecycle.phase(broadcast, counts, now, settings)
    return BroadcastOut(id=broadcast.id, status=phase.status,
                        text_zh=broadcast.text_zh, text_en=broadcast.text_en,
                        posting_id=broadcast.posting_id, audience=broadcast.audience,
                        send_at=broadcast.send_at, recipients=broadcast.recipients,
                        created_at=broadcast.created_at, messages=counts,
                        template=broadcast.template,
                        expected_finish=broadcasts.expected_finish(db, broadcast, now, settings),
                        starts_at=phase.starts_at, finished_at=broadcast.finished_at,
                        cancellable=phase.cancellable,
                        failed_by_reason=lifecycle.failed_by_reason(db, broadcast),
                        excluded=broadcast.excluded or {})


@route("/broadcasts/preview", "POST", "Preview a broadcast: recipients and segments",
       roles=STAFF, body=BroadcastIn, response=BroadcastPreview)
def preview_broadcast(db: Session, user: User, body: BroadcastIn) -> BroadcastPreview:
    """Who would receive it and what it would cost, sending nothing."""
    return _preview(db, _draft(db, user, body))


@route("/broadcasts", "POST", "Send a broadcast now or at `send_at`", roles=STAFF,
       body=BroadcastIn, response=BroadcastOut, status=201)
def create_broadcast(db: Session, user: User, body: BroadcastIn) -> BroadcastOut:
    """Workers fan it out on the `broadcasts` queue; nothing is sent inside this request."""
    broadcast = _draft(db, user, body)
    broadcast.recipients = _preview(db, broadcast).recipients
    above = services().settings["BROADCAST_CONFIRM_ABOVE"]
    if broadcast.recipients > above and not body.confirm:  # the promise is the server's
        raise ApiError(409, f"this broadcast reaches {broadcast.recipients:,} people (more "
                       f"than {above:,}): send it again with confirm: true", "confirm")
    db.add(broadcast)
    db.flush()
    later = broadcast.send_at if broadcast.send_at and broadcast.send_at > utcnow() else None
    enqueue_after_commit(db, jobpaths.FAN_OUT, broadcast.id, queue="broadcasts",
                         job_id=f"fan-out-{broadcast.id}", at=later)
    return broadcast_out(db, broadcast)


@route("/broadcasts", "GET", "List broadcasts, newest first", roles=STAFF,
       response=BroadcastOut, paginated=True)
def list_broadcasts(db: Session, user: User,
                    paging: Paging = FIRST_PAGE) -> tuple[list[BroadcastOut], int, int, int]:
    """The broadcasts the caller may see (`access.broadcasts_seen`), with their progress."""
    page, per_page = paging
    query = select(Broadcast).where(access.broadcasts_seen(db, user))
    rows, total = page_of(db, query.order_by(Broadcast.id.desc()), paging)
    return [broadcast_out(db, b) for b in rows], total, page, per_page


@route("/broadcasts/<int:broadcast_id>", "GET", "One broadcast and its progress", roles=STAFF,
       response=BroadcastOut)
def get_broadcast(db: Session, user: User, broadcast_id: int) -> BroadcastOut:
    """Recipients, and its messages by status (queued, sent, delivered, failed…)."""
    return broadcast_out(db, access.broadcast(db, user, broadcast_id))


@route("/broadcasts/<int:broadcast_id>/cancel", "POST", "Cancel a broadcast", roles=STAFF,
       response=BroadcastOut)
def cancel_broadcast(db: Session, user: User, broadcast_id: int) -> BroadcastOut:
    """Messages not yet taken by a worker are not sent (failed as `cancelled`)."""
    broadcast = access.broadcast(db, user, broadcast_id, lock=True)
    broadcasts.cancel(db, broadcast)
    return broadcast_out(db, broadcast)
