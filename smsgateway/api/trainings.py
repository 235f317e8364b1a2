"""Training sessions for officers and admins: create, list, look at, cancel; the enrolments
and the marks of attendance and completion.

An officer works within their area: sessions held in a township of it; anyone else's
session answers 404, as postings do.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import access
from ..access import STAFF
from ..config import local_today
from ..db import utcnow
from ..messaging.outbox import add_message
from ..models import (
    Area,
    AreaLevel,
    Enrolment,
    EnrolmentStatus,
    PostingStatus,
    TrainingSession,
    TrainingStatus,
    User,
    Villager,
)
from ..services import services
from ..training import sessions as trainings
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import EnrolmentMoveIn, EnrolmentOut, TrainingIn, TrainingOut

# Postings a session may train for: vetted and published once (closed or filled ones may
# still have confirmed workers to train).
TRAINABLE = (PostingStatus.PUBLISHED, PostingStatus.CLOSED, PostingStatus.FILLED)


def training_out(db: Session, training: TrainingSession) -> TrainingOut:
    """The API's view of a session, with its enrolments counted."""
    counts = trainings.counts(db, training)
    township = training.township
    assert township.parent is not None
    at = trainings.reminder_at(training, services().settings)
    return TrainingOut(
        id=training.id, status=training.status.value, trade=training.trade,
        township=township.code, county=township.parent.code,
        start_date=training.start_date, end_date=training.end_date,
        capacity=training.capacity, posting_id=training.posting_id,
        enrolled=sum(counts[s.value] for s in trainings.HOLDING),
        attended=counts["attended"] + counts["completed"], completed=counts["completed"],
        absent=counts["absent"], withdrawn=counts["withdrawn"],
        places_left=max(training.capacity - training.taken, 0),
        reminder_at=at if at > training.created_at else None,
        created_by_id=training.created_by_id, created_at=training.created_at)


@route("/trainings", "POST", "Create a training session (villagers are told by SMS)",
       roles=STAFF, body=TrainingIn, response=TrainingOut, status=201)
def create_training(db: Session, user: User, body: TrainingIn) -> TrainingOut:
    """An officer (in their area) or an admin; the notice and the reminder go by workers."""
    settings = services().settings
    township = access.area(db, user, body.township, "township", AreaLevel.TOWNSHIP)
    if body.start_date < local_today(settings):
        raise ApiError(422, "start_date is in the past", "start_date")
    if body.posting_id is not None:
        posting = access.posting(db, user, body.posting_id)
        if posting.status not in TRAINABLE:
            raise ApiError(422, f"the posting is {posting.status.value}, not published",
                           "posting_id")
    training = TrainingSession(trade=body.trade, township=township, start_date=body.start_date,
                               end_date=body.end_date, capacity=body.capacity,
                               posting_id=body.posting_id, created_by_id=user.id)
    db.add(training)
    db.flush()
    trainings.announce(db, training, settings, utcnow())
    return training_out(db, training)


@route("/trainings", "GET", "List training sessions, soonest first (`?status=`)", roles=STAFF,
       response=TrainingOut, paginated=True, query=("status",))
def list_trainings(db: Session, user: User, paging: Paging = FIRST_PAGE,
                   status: str | None = None) -> tuple[list[TrainingOut], int, int, int]:
    """Admins see all; officers the sessions held in their area."""
    page, per_page = paging
    query = select(TrainingSession).where(access.trainings_seen(db, user))
    if status:
        if status not in set(TrainingStatus):
            raise ApiError(400, f"unknown status {status!r}", "status")
        query = query.where(TrainingSession.status == status)
    rows, total = page_of(db, query.options(joinedload(TrainingSession.township)
                                            .joinedload(Area.parent))
                          .order_by(TrainingSession.start_date, TrainingSession.id), paging)
    return [training_out(db, t) for t in rows], total, page, per_page


@route("/trainings/<int:training_id>", "GET", "One training session with its counts",
       roles=STAFF, response=TrainingOut)
def get_training(db: Session, user: User, training_id: int) -> TrainingOut:
    """Enrolled, attended, completed, places left; 404 outside the officer's area."""
    return training_out(db, access.training(db, user, training_id))


@route("/trainings/<int:training_id>/cancel", "POST", "Cancel a training session",
       roles=STAFF, response=TrainingOut)
def cancel_training(db: Session, user: User, training_id: int) -> TrainingOut:
    """No notice or reminder goes any more; everyone holding a place is told by SMS."""
    training = access.training(db, user, training_id, lock=True)
    trainings.cancel(training)
    settings = services().settings
    today = local_today(settings)
    holders = db.scalars(select(Enrolment).where(
        Enrolment.session_id == training.id, Enrolment.status.in_(trainings.HOLDING))
        .options(joinedload(Enrolment.villager).joinedload(Villager.contact))).all()
    for enrolment in holders:
        contact = enrolment.villager.contact
        add_message(db, contact, trainings.cancelled_text(
            training, contact.language or settings["DEFAULT_LANGUAGE"], today),
            kind=f"training-cancelled:{training.id}", channel=settings["SMS_PROVIDER"])
    return training_out(db, training)


def enrolment_out(enrolment: Enrolment) -> EnrolmentOut:
    """The API's view of an enrolment, with the villager's name and phone."""
    villager = enrolment.villager
    return EnrolmentOut(id=enrolment.id, training_id=enrolment.session_id,
                        villager_id=villager.id, villager_name=villager.name,
                        villager_phone=villager.contact.phone, status=enrolment.status.value,
                        via=enrolment.via, created_at=enrolment.created_at,
                        completed_at=enrolment.completed_at)


@route("/trainings/<int:training_id>/enrolments", "GET", "The enrolments of a session",
       roles=STAFF, response=EnrolmentOut, paginated=True, query=("status",))
def list_enrolments(db: Session, user: User, training_id: int, paging: Paging = FIRST_PAGE,
                    status: str | None = None) -> tuple[list[EnrolmentOut], int, int, int]:
    """Oldest first (`?status=` filters); 404 for a session outside the officer's area."""
    access.training(db, user, training_id)
    page, per_page = paging
    query = select(Enrolment).where(Enrolment.session_id == training_id)
    if status:
        if status not in set(EnrolmentStatus):
            raise ApiError(400, f"unknown status {status!r}", "status")
        query = query.where(Enrolment.status == status)
    rows, total = page_of(db, query.options(joinedload(Enrolment.villager)
                                            .joinedload(Villager.contact))
                          .order_by(Enrolment.id), paging)
    return [enrolment_out(e) for e in rows], total, page, per_page


@route("/enrolments/<int:enrolment_id>/status", "POST",
       "Mark an enrolment attended, absent, completed or withdrawn", roles=STAFF,
       body=EnrolmentMoveIn, response=EnrolmentOut)
def move_enrolment(db: Session, user: User, body: EnrolmentMoveIn,
                   enrolment_id: int) -> EnrolmentOut:
    """Guarded moves: enrolled → attended | absent | withdrawn, absent → attended,
    attended → completed; anything else is a 409 that changes nothing."""
    enrolment = access.enrolment(db, user, enrolment_id, lock=True)
    trainings.move(db, enrolment, EnrolmentStatus(body.status),
                   local_today(services().settings))
    return enrolment_out(enrolment)
