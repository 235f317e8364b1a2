"""Departures: a posting's confirmed applicants leave together; reminders before, answers
(YES / NO) from the roster, and marking them departed.

Reminders are RQ scheduled jobs (`workers.departures.send_reminder`) with deterministic ids
that name the departure, the offset and the time they remind of:
`departure-<id>-reminder-<offset>-<leaves_at as UTC>`. Moving or cancelling a departure
removes its other scheduled reminders from RQ after the commit, and every reminder also
checks, when it runs, that the departure still leaves at the time it was scheduled for: a
removal that failed can never remind anyone of an old time.

Quiet hours: a reminder that would land in them (the 3-hours-before reminder of an
early-morning departure) is sent earlier instead, an hour before the quiet hours begin
(20:00 with QUIET_HOURS=21-8): the villager still hears of it before setting off, and
nobody is woken at night. Offsets already past when the departure is set are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from menus.capped import capped
from menus.departures import when_text

from ..kernel.errors import Refused
from ..kernel.names import pinyin_name
from ..kernel.provinces import city_names
from ..kernel.quiet import before_quiet_hours
from ..messaging import jobpaths
from ..messaging.outbox import add_message, call_after_commit, enqueue_after_commit
from ..models import (
    Application,
    ApplicationStatus,
    Departure,
    DepartureAnswer,
    DepartureStatus,
    Posting,
    Villager,
)
from ..postings.core import title_in
from ..services import SCHEDULES, Services
from ..villagers import family

REMINDER_QUEUE = SCHEDULES  # served before the bulk queues
_OFFSET = re.compile(r"^(\d+)([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def offsets(spec: str) -> list[tuple[str, timedelta]]:
    """`"3d,1d,3h"` → [("3d", 3 days), ("1d", 1 day), ("3h", 3 hours)]."""
    found = []
    for part in (p.strip().lower() for p in spec.split(",") if p.strip()):
        match = _OFFSET.match(part)
        if not match:
            raise ValueError(f"DEPARTURE_REMINDERS: {part!r} is not like 3d, 1d or 3h")
        found.append((part, timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})))
    return found


def reminder_prefix(departure_id: int) -> str:
    return f"departure-{departure_id}-reminder-"


def reminder_job_id(departure_id: int, offset: str, leaves_at: datetime) -> str:
    """The one id of a reminder: the same departure, offset and time give the same id."""
    return f"{reminder_prefix(departure_id)}{offset}-{leaves_at:%Y%m%dT%H%MZ}"


def reminder_times(leaves_at: datetime, now: datetime,
                   settings: Mapping[str, Any]) -> dict[str, datetime]:
    """offset → the UTC instant its reminder goes, for the offsets still ahead of `now`."""
    chosen: dict[str, datetime] = {}
    for label, offset in offsets(settings["DEPARTURE_REMINDERS"]):
        at = before_quiet_hours(leaves_at - offset, settings["QUIET_HOURS"],
                                settings["TIMEZONE"])
        if at > now and at not in chosen.values():
            chosen[label] = at
    return chosen


def _schedule(session: Session, departure: Departure, now: datetime,
              settings: Mapping[str, Any]) -> None:
    """Schedule the departure's reminders; after commit, remove any others it had."""
    keep: set[str] = set()
    if departure.status == DepartureStatus.SCHEDULED:
        for label, at in reminder_times(departure.leaves_at, now, settings).items():
            job_id = reminder_job_id(departure.id, label, departure.leaves_at)
            keep.add(job_id)
            enqueue_after_commit(session, jobpaths.DEPARTURE_REMINDER, departure.id,
                                 departure.leaves_at.isoformat(), label,
                                 queue=REMINDER_QUEUE, at=at, job_id=job_id)
    departure_id = departure.id
    call_after_commit(session, lambda svc: unschedule(svc, departure_id, keep))


def unschedule(svc: Services, departure_id: int,
               keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Remove the departure's scheduled reminders from RQ, but those in `keep`."""
    registry = ScheduledJobRegistry(REMINDER_QUEUE, connection=svc.redis)  # type: ignore[no-untyped-call]
    removed = [job_id for job_id in registry.get_job_ids()
               if job_id.startswith(reminder_prefix(departure_id)) and job_id not in keep]
    for job_id in removed:
        registry.remove(job_id)
        try:
            Job.fetch(job_id, connection=svc.redis).delete()
        except NoSuchJobError:
            pass
    return removed


def create(session: Session, posting: Posting, leaves_at: datetime, place: str,
           escort_name: str, escort_phone: str, user_id: int | None, now: datetime,
           settings: Mapping[str, Any]) -> Departure:
    """A new departure of the posting, its reminders scheduled."""
    if leaves_at <= now:
        raise Refused("leaves_at must be in the future", field="leaves_at", status=422)
    departure = Departure(posting=posting, leaves_at=leaves_at.astimezone(UTC), place=place,
                          escort_name=escort_name, escort_phone=escort_phone,
                          created_by_id=user_id)
    session.add(departure)
    session.flush()
    _schedule(session, departure, now, settings)
    return departure


def _scheduled(departure: Departure) -> None:
    if departure.status != DepartureStatus.SCHEDULED:
        raise Refused(f"the departure is {departure.status.value}")


def move(session: Session, departure: Departure, leaves_at: datetime | None, place: str | None,
         now: datetime, settings: Mapping[str, Any], channel: str) -> Departure:
    """A new time and/or place: the reminders are replaced and the roster told."""
    _scheduled(departure)
    if leaves_at is not None and leaves_at <= now:
        raise Refused("leaves_at must be in the future", field="leaves_at", status=422)
    changed = (leaves_at not in (None, departure.leaves_at)
               or place not in (None, departure.place))
    departure.leaves_at = leaves_at.astimezone(UTC) if leaves_at else departure.leaves_at
    departure.place = place or departure.place
    session.flush()
    _schedule(session, departure, now, settings)
    if changed:
        _tell_roster(session, departure, "sms_departure_moved", channel, settings)
    return departure


def cancel(session: Session, departure: Departure, now: datetime, settings: Mapping[str, Any],
           channel: str) -> Departure:
    """Cancel: no reminder goes any more, and the roster is told."""
    _scheduled(departure)
    departure.status, departure.cancelled_at = DepartureStatus.CANCELLED, now
    session.flush()
    _schedule(session, departure, now, settings)
    _tell_roster(session, departure, "sms_departure_cancelled", channel, settings)
    return departure


def roster(session: Session, departure: Departure) -> list[tuple[Application, bool | None]]:
    """The applications on the roster with each villager's answer (None: no answer).

    The posting's confirmed applicants, read now; once departed, those who went too.
    """
    statuses = [ApplicationStatus.CONFIRMED]
    if departure.status == DepartureStatus.DEPARTED:
        statuses.append(ApplicationStatus.DEPARTED)
    applications = session.scalars(
        select(Application).where(Application.posting_id == departure.posting_id,
                                  Application.status.in_(statuses))
        .options(joinedload(Application.villager).joinedload(Villager.contact))
        .order_by(Application.id)).all()
    answers = dict(session.execute(select(DepartureAnswer.villager_id, DepartureAnswer.going)
                                   .where(DepartureAnswer.departure_id == departure.id)).all())
    return [(a, answers.get(a.villager_id)) for a in applications]


def answer_word(going: bool | None) -> Literal["confirmed", "declined", "no_answer"]:
    """How the API names an answer."""
    return "no_answer" if going is None else "confirmed" if going else "declined"


def notice_text(departure: Departure, key: str, lang: str, zone: ZoneInfo) -> str:
    """A departure's notice (`key`: reminder, moved, cancelled) in `lang`, within the cap of
    an automated SMS. The place and the escort's name are typed by an officer, in Chinese:
    English readers get them in pinyin, so their SMS stays GSM-7 (issue 17)."""
    def shown(text: str) -> str:
        return text if lang == "zh" else pinyin_name(text)

    return capped(lang, key, title=title_in(departure.posting, lang),
                  place=shown(departure.place),
                  when=when_text(departure.leaves_at.astimezone(zone), lang),
                  escort=shown(departure.escort_name), phone=departure.escort_phone)


def _tell_roster(session: Session, departure: Departure, key: str, channel: str,
                 settings: Mapping[str, Any]) -> int:
    """One SMS to each villager on the roster; returns how many were written."""
    zone = ZoneInfo(settings["TIMEZONE"])
    written = 0
    for application, _answer in roster(session, departure):
        if application.status != ApplicationStatus.CONFIRMED:
            continue
        contact = application.villager.contact
        lang = contact.language or settings["DEFAULT_LANGUAGE"]
        text = notice_text(departure, key, lang, zone)
        written += add_message(session, contact, text, kind=key.removeprefix("sms_"),
                               channel=channel) is not None
    return written


def send_reminder(session: Session, departure: Departure, leaves_at: datetime,
                  settings: Mapping[str, Any]) -> int:
    """The reminder to the roster, if the departure still leaves at `leaves_at`."""
    if departure.status != DepartureStatus.SCHEDULED or departure.leaves_at != leaves_at:
        return 0
    return _tell_roster(session, departure, "sms_departure_reminder",
                        settings["SMS_PROVIDER"], settings)


def left_at(departure: Departure) -> datetime | None:
    """The moment the workers actually left: the departure's `leaves_at`, or when it was
    marked departed if that came first (`departed_at` is only when the officer marked it).
    It is every placement's `Application.departed_at`, from which the check-ins (the
    arrival one included) and the stability figures count, and the cohort's `departed_at`."""
    if departure.departed_at is None:
        return None
    return min(departure.leaves_at, departure.departed_at)


def mark_departed(session: Session, departure: Departure, now: datetime,
                  settings: Mapping[str, Any], channel: str) -> list[Application]:
    """The roster left: confirmed applications (but of those who said NO) become departed,
    with the departure's time on the placement; their family contacts are told. Check-ins
    start from that time (`checkins.run`)."""
    _scheduled(departure)
    departure.status, departure.departed_at = DepartureStatus.DEPARTED, now
    left = left_at(departure)
    went = [a for a, going in roster(session, departure)
            if a.status == ApplicationStatus.CONFIRMED and going is not False]
    for application in went:
        application.status, application.departed_at = ApplicationStatus.DEPARTED, left
        family.tell(session, application.villager, "sms_family_departed", channel,
                    settings["DEFAULT_LANGUAGE"],
                    city=city_names(application.posting.destination_city,
                                    application.posting.destination_province))
    session.flush()
    _schedule(session, departure, now, settings)
    return went


def pending_for(session: Session, villager_id: int,
                now: datetime) -> list[tuple[Departure, bool | None]]:
    """The villager's upcoming departures (soonest first) with their answers."""
    rows = session.execute(
        select(Departure, DepartureAnswer.going)
        .join(Application, (Application.posting_id == Departure.posting_id)
              & (Application.villager_id == villager_id))
        .outerjoin(DepartureAnswer, (DepartureAnswer.departure_id == Departure.id)
                   & (DepartureAnswer.villager_id == villager_id))
        .where(Departure.status == DepartureStatus.SCHEDULED, Departure.leaves_at > now,
               Application.status == ApplicationStatus.CONFIRMED)
        .options(joinedload(Departure.posting))
        .order_by(Departure.leaves_at, Departure.id)).all()
    return [(departure, going) for departure, going in rows]


def record_answer(session: Session, villager: Villager, departure_id: int, going: bool,
                  via: str, now: datetime) -> DepartureAnswer | None:
    """The villager's answer (the latest wins); None when they are not on its roster now."""
    if not any(d.id == departure_id for d, _ in pending_for(session, villager.id, now)):
        return None
    query = select(DepartureAnswer).where(DepartureAnswer.departure_id == departure_id,
                                          DepartureAnswer.villager_id == villager.id)
    answer = session.scalars(query.with_for_update()).first()
    if answer is None:
        try:
            with session.begin_nested():  # two answers racing: the unique key keeps one row
                answer = DepartureAnswer(departure_id=departure_id, villager_id=villager.id,
                                         going=going, via=via, answered_at=now)
                session.add(answer)
            return answer
        except IntegrityError:
            answer = session.scalars(query.with_for_update()).one()
    answer.going, answer.via, answer.answered_at = going, via, now
    session.flush()
    return answer
