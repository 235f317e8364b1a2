"""Training sessions: who may join one, enrolling within capacity, the officers' moves, who
hears of a new session, and when its reminder goes.

Who may join: an open session from its first day on (a villager may enrol until the day it
starts), held in the villager's county, or training for a posting the villager applied to
(an application not withdrawn, rejected or a no-show), whatever their skills: training is
how a skill is learnt. Who is told of a new session: registered villagers who consent to
SMS and have not opted out, living in its county with its trade among their skills, and
the active applicants of its posting; each once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, exists, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from menus.trainingtext import notice, reminder, span
from menus.types import Option, Training

from ..db import utcnow
from ..kernel.areas import skills
from ..kernel.errors import Refused
from ..kernel.lifecycle import Lifecycle, rows_changed
from ..kernel.quiet import landing_time
from ..messaging import jobpaths
from ..messaging.outbox import enqueue_after_commit
from ..models import (
    Application,
    ApplicationStatus,
    Area,
    Contact,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
    TrainingStatus,
    Villager,
    VillagerSkill,
)
from ..services import SCHEDULES
from ..templates import Templated, templated

S = EnrolmentStatus
HOLDING = (S.ENROLLED, S.ATTENDED, S.COMPLETED, S.ABSENT)  # every status that holds a place
# The statuses an officer may move an enrolment to, from which statuses.
LIFECYCLE = Lifecycle.of({
    S.ATTENDED: (S.ENROLLED, S.ABSENT),  # from absent: a correction
    S.ABSENT: (S.ENROLLED,),
    S.COMPLETED: (S.ATTENDED,),
    S.WITHDRAWN: (S.ENROLLED,),
})
ACTIVE_APPLICATIONS = (ApplicationStatus.INTERESTED, ApplicationStatus.SHORTLISTED,
                       ApplicationStatus.CONFIRMED)


def reminder_job_id(training_id: int) -> str:
    """The one id of a session's reminder job."""
    return f"training-reminder-{training_id}"


def notices_job_id(training_id: int) -> str:
    """The one id of the job that finds who hears of a new session."""
    return f"training-notices-{training_id}"


# What a villager sees.


def _area_option(area: Area) -> Option:
    return Option(area.code, area.name_zh, area.name_en)


def trade_option(code: str) -> Option:
    """A trade of the skills catalogue as an option (its code when the catalogue lost it)."""
    return next((s for s in skills() if s.key == code), Option(code, code, code))


def training_of(training: TrainingSession, enrolled: bool = False) -> Training:
    """A session as a villager sees it."""
    township = training.township
    assert township.parent is not None
    return Training(training.id, trade_option(training.trade), _area_option(township.parent),
                    _area_option(township), training.start_date, training.end_date,
                    max(training.capacity - training.taken, 0), enrolled)


def notice_text(training: TrainingSession, language: str, today: date) -> str:
    """The SMS that announces a new session."""
    return notice(training_of(training), language, today)


def reminder_text(training: TrainingSession, language: str, today: date) -> str:
    """The SMS that reminds an enrolled villager the day before."""
    return reminder(training_of(training), language, today)


def cancelled_text(training: TrainingSession, language: str, today: date) -> Templated:
    """The SMS telling a villager who held a place that the session is cancelled."""
    shown = training_of(training)
    return templated(language, "sms_training_cancelled", id=training.id,
                     trade=shown.trade.name(language), dates=span(shown, today, language))


# Who may join.


def upcoming(training: TrainingSession | None, today: date) -> bool:
    """Open, and its first day is today or later."""
    return (training is not None and training.status == TrainingStatus.OPEN
            and training.start_date >= today)


def _applied_to(villager_id: int) -> Any:
    """The postings the villager has an active application to (a subquery)."""
    return select(Application.posting_id).where(Application.villager_id == villager_id,
                                                Application.status.in_(ACTIVE_APPLICATIONS))


def _county_of(villager: Villager) -> int | None:
    return villager.township.parent_id


def open_to_query(villager: Villager, today: date) -> Any:
    """Upcoming sessions in the villager's county or for a posting they applied to."""
    county_townships = select(Area.id).where(Area.parent_id == _county_of(villager))
    return (select(TrainingSession)
            .where(TrainingSession.status == TrainingStatus.OPEN,
                   TrainingSession.start_date >= today,
                   or_(TrainingSession.township_id.in_(county_townships),
                       TrainingSession.posting_id.in_(_applied_to(villager.id))))
            .order_by(TrainingSession.start_date, TrainingSession.id))


def may_join(session: Session, villager: Villager, training: TrainingSession) -> bool:
    """The session is in the villager's county, or trains for a posting they applied to."""
    if training.township.parent_id == _county_of(villager):
        return True
    return training.posting_id is not None and training.posting_id in set(
        session.scalars(_applied_to(villager.id)))


def find(session: Session, villager: Villager, training_id: int) -> Enrolment | None:
    """The villager's enrolment in a session, if any (locked until the transaction ends)."""
    return session.scalars(select(Enrolment).where(
        Enrolment.villager_id == villager.id, Enrolment.session_id == training_id)
        .with_for_update()).first()


def holding(session: Session, villager: Villager) -> set[int]:
    """The sessions the villager holds a place in."""
    return set(session.scalars(select(Enrolment.session_id).where(
        Enrolment.villager_id == villager.id, Enrolment.status.in_(HOLDING))))


def refusal(session: Session, villager: Villager | None, training: TrainingSession | None,
            today: date) -> str | None:
    """Why the villager cannot enrol (one of menus.types.ENROL_REFUSALS), or None."""
    if villager is None:
        return "not_registered"
    if training is None or not upcoming(training, today):
        return "closed"
    existing = find(session, villager, training.id)
    if existing is not None and existing.status in HOLDING:
        return "already_enrolled"
    if not may_join(session, villager, training):
        return "not_eligible"
    if training.taken >= training.capacity:
        return "full"
    return None


def _take_place(session: Session, training_id: int) -> bool:
    """Count one place taken, never above the capacity (a guarded counter update)."""
    return bool(rows_changed(session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == training_id, TrainingSession.status == TrainingStatus.OPEN,
               TrainingSession.taken < TrainingSession.capacity)
        .values(taken=TrainingSession.taken + 1)
        .execution_options(synchronize_session=False))))


def _release_place(session: Session, training_id: int) -> None:
    session.execute(update(TrainingSession)
                    .where(TrainingSession.id == training_id, TrainingSession.taken > 0)
                    .values(taken=TrainingSession.taken - 1)
                    .execution_options(synchronize_session=False))


def enrol(session: Session, villager: Villager, training: TrainingSession, via: str,
          today: date) -> Enrolment:
    """Take a place (re-opening a withdrawn enrolment), or Refused with the reason (a code of
    ENROL_REFUSALS): the last place may have gone to a request that raced this one."""
    reason = refusal(session, villager, training, today)
    if reason is not None:
        raise Refused(reason)
    enrolment = find(session, villager, training.id)
    try:
        with session.begin_nested():  # a refusal below undoes the place taken
            if not _take_place(session, training.id):
                raise Refused("full")
            if enrolment is None:
                enrolment = Enrolment(session_id=training.id, villager_id=villager.id,
                                      township_id=villager.township_id, via=via)
                session.add(enrolment)
            enrolment.status, enrolment.completed_at = S.ENROLLED, None
            enrolment.via, enrolment.township_id = via, villager.township_id
            session.flush()
    except IntegrityError as exc:  # the same villager's other request enrolled first
        raise Refused("already_enrolled") from exc
    session.refresh(training)
    return enrolment


def move(session: Session, enrolment: Enrolment, target: EnrolmentStatus,
         today: date) -> Enrolment:
    """An officer marks attendance, absence, completion or a withdrawal (a guarded move)."""
    sources = LIFECYCLE.sources(target)
    training = enrolment.session
    if training.status == TrainingStatus.CANCELLED:
        raise Refused("the session is cancelled")
    if target != S.WITHDRAWN and training.start_date > today:
        raise Refused(f"the session starts on {training.start_date}: attendance and "
                      "completion are marked from its first day")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if target == S.COMPLETED:
        values["completed_at"] = utcnow()
    if not LIFECYCLE.move(session, Enrolment, enrolment.id, target, **values):
        raise Refused(f"an enrolment that is {enrolment.status.value} cannot be marked "
                      f"{target.value} (allowed from: {', '.join(s.value for s in sources)})",
                      field="status")
    if target == S.WITHDRAWN:
        _release_place(session, training.id)
    session.refresh(enrolment)
    session.refresh(training)
    return enrolment


def counts(session: Session, training: TrainingSession) -> dict[str, int]:
    """Enrolments by status."""
    rows = session.execute(select(Enrolment.status, func.count())
                           .where(Enrolment.session_id == training.id)
                           .group_by(Enrolment.status)).all()
    found = {status.value: 0 for status in EnrolmentStatus}
    found.update({status.value: n for status, n in rows})
    return found


def cancel(training: TrainingSession) -> None:
    """Cancel a session: its pending notices and its reminder send nothing."""
    if training.status == TrainingStatus.CANCELLED:
        raise Refused("the session is already cancelled")
    training.status, training.cancelled_at = TrainingStatus.CANCELLED, utcnow()


# Who hears of it, and when the reminder goes.


def notice_recipients(session: Session, training: TrainingSession) -> list[int]:
    """Villager ids to tell of a new session: of its county with its trade, and the
    active applicants of its posting; reachable by SMS; each once, in id order."""
    county_townships = select(Area.id).where(Area.parent_id == training.township.parent_id)
    in_county: ColumnElement[bool] = (
        Villager.township_id.in_(county_townships)
        & exists().where(VillagerSkill.villager_id == Villager.id,
                         VillagerSkill.skill_code == training.trade))
    applied: ColumnElement[bool] = false()
    if training.posting_id is not None:
        applied = exists().where(Application.villager_id == Villager.id,
                                 Application.posting_id == training.posting_id,
                                 Application.status.in_(ACTIVE_APPLICATIONS))
    query = (select(Villager.id).join(Contact, Villager.contact_id == Contact.id)
             .where(Contact.opted_out.is_(False), Villager.sms_consent.is_(True),
                    or_(in_county, applied))
             .order_by(Villager.id))
    return list(session.scalars(query))


def reminder_at(training: TrainingSession, settings: Mapping[str, Any]) -> datetime:
    """The UTC instant of the reminder: `TRAINING_REMINDER_HOUR` local time the day before the
    first day, moved out of the quiet hours."""
    local = datetime.combine(training.start_date - timedelta(days=1),
                             time(int(settings["TRAINING_REMINDER_HOUR"])),
                             ZoneInfo(settings["TIMEZONE"]))
    return landing_time(local.astimezone(UTC), settings["QUIET_HOURS"], settings["TIMEZONE"])


def announce(session: Session, training: TrainingSession, settings: Mapping[str, Any],
             now: datetime) -> datetime | None:
    """After commit: find who to tell, and schedule the reminder unless its time has passed
    (then the notice is the reminder). Returns the reminder's instant, if scheduled."""
    enqueue_after_commit(session, jobpaths.SEND_TRAINING_NOTICES, training.id, queue="default",
                         job_id=notices_job_id(training.id))
    at = reminder_at(training, settings)
    if at <= now:
        return None
    enqueue_after_commit(session, jobpaths.SEND_TRAINING_REMINDER, training.id,
                         queue=SCHEDULES, at=at, job_id=reminder_job_id(training.id))
    return at
