"""Check-ins after departure: the first CHECKIN_FIRST_DAYS days after it (the arrival), then
one a month while the contract runs; reminders and the officers' follow-up list.

They are driven by one periodic job (`workers.checkins.run(now)`), not by RQ scheduled
jobs: a contract runs for months and the database says what is due, so a job that looks
at the rows survives a lost Redis, a changed setting or a worker that was down (it sends
the latest due check-in once, not every one it missed), and takes an injected `now`.

Each open check-in is reminded after CHECKIN_REMINDER_DAYS without an answer, twice; after
as many days again it is flagged for follow-up. An answer (1, 2 or 3) closes every open
check-in of the placement: the worker has been heard from. Check-ins and reminders are
not sent in the quiet hours (they wait for the next run after them); flagging goes on.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from menus import types as m

from ..kernel.provinces import city_names
from ..kernel.quiet import in_quiet_hours
from ..messaging.outbox import add_message
from ..models import Application, ApplicationStatus, CheckIn, Contact, Villager
from ..postings.core import title_in
from ..templates import templated
from ..villagers import family
from . import departures, promises
from .cases import open_case

REMINDERS = 2
ANSWERS = {1: "well", 2: "problem", 3: "home"}


def add_months(when: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    month0 = when.month - 1 + months
    year, month = when.year + month0 // 12, month0 % 12 + 1
    return when.replace(year=year, month=month,
                        day=min(when.day, calendar.monthrange(year, month)[1]))


def due_at(departed_at: datetime, number: int, first_days: int) -> datetime:
    """When check-in `number` is due: 0 the arrival, k ≥ 1 k months after departure."""
    return departed_at + timedelta(days=first_days) if number == 0 else \
        add_months(departed_at, number)


def last_number(contract_months: int) -> int:
    """The last monthly check-in falls before the contract ends."""
    return max(contract_months - 1, 0)


def _send(session: Session, application: Application, key: str, channel: str,
          default_language: str) -> None:
    contact = application.villager.contact
    lang = contact.language or default_language
    add_message(session, contact,
                templated(lang, key, title=title_in(application.posting, lang)),
                kind="checkin", channel=channel)


def _due_checkins(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Send each placement's latest due check-in that was not sent yet."""
    latest = (select(CheckIn.application_id, func.max(CheckIn.number).label("number"))
              .group_by(CheckIn.application_id).subquery())
    rows = session.execute(
        select(Application, latest.c.number)
        .outerjoin(latest, latest.c.application_id == Application.id)
        .where(Application.status == ApplicationStatus.DEPARTED,
               Application.departed_at.is_not(None), Application.returned_at.is_(None))
        .options(joinedload(Application.posting),
                 joinedload(Application.villager).joinedload(Villager.contact))
        .order_by(Application.id)).all()
    sent = 0
    for application, sent_number in rows:
        assert application.departed_at is not None
        first, last = (-1 if sent_number is None else sent_number) + 1, \
            last_number(application.posting.contract_months)
        due = [n for n in range(first, last + 1)
               if due_at(application.departed_at, n, settings["CHECKIN_FIRST_DAYS"]) <= now]
        if not due:
            continue
        number = due[-1]
        session.add(CheckIn(application=application, number=number, sent_at=now,
                            last_sent_at=now,
                            due_at=due_at(application.departed_at, number,
                                          settings["CHECKIN_FIRST_DAYS"])))
        _send(session, application, "sms_checkin", settings["SMS_PROVIDER"],
              settings["DEFAULT_LANGUAGE"])
        sent += 1
    return sent


def _open_waiting(before: datetime) -> Any:
    return (select(CheckIn).where(CheckIn.closed_at.is_(None), CheckIn.flagged_at.is_(None),
                                  CheckIn.last_sent_at <= before)
            .options(joinedload(CheckIn.application).joinedload(Application.posting),
                     joinedload(CheckIn.application).joinedload(Application.villager)
                     .joinedload(Villager.contact)))


def _reminders(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Remind open check-ins unanswered for CHECKIN_REMINDER_DAYS (twice at most)."""
    before = now - timedelta(days=settings["CHECKIN_REMINDER_DAYS"])
    reminded = 0
    for checkin in session.scalars(_open_waiting(before)
                                   .where(CheckIn.reminders < REMINDERS)).all():
        checkin.reminders += 1
        checkin.last_sent_at = now
        _send(session, checkin.application, "sms_checkin_reminder", settings["SMS_PROVIDER"],
              settings["DEFAULT_LANGUAGE"])
        reminded += 1
    return reminded


def _flag(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Put on the follow-up list the check-ins still unanswered after both reminders."""
    before = now - timedelta(days=settings["CHECKIN_REMINDER_DAYS"])
    result: Any = session.execute(
        update(CheckIn).where(CheckIn.closed_at.is_(None), CheckIn.flagged_at.is_(None),
                              CheckIn.reminders >= REMINDERS, CheckIn.last_sent_at <= before)
        .values(flagged_at=now).execution_options(synchronize_session=False))
    return int(result.rowcount)


def run(session: Session, now: datetime, settings: Mapping[str, Any]) -> dict[str, int]:
    """Everything due at `now`: check-ins, reminders (outside quiet hours), and flags."""
    quiet = in_quiet_hours(now, settings["QUIET_HOURS"], settings["TIMEZONE"])
    flagged = _flag(session, now, settings)
    reminded = 0 if quiet else _reminders(session, now, settings)
    sent = 0 if quiet else _due_checkins(session, now, settings)
    session.flush()
    return {"sent": sent, "reminded": reminded, "flagged": flagged}


def open_for(session: Session, villager_id: int) -> CheckIn | None:
    """The villager's latest unanswered check-in of a placement they have not returned from."""
    return session.scalars(
        select(CheckIn).join(Application, Application.id == CheckIn.application_id)
        .where(Application.villager_id == villager_id, Application.returned_at.is_(None),
               CheckIn.closed_at.is_(None))
        .order_by(CheckIn.sent_at.desc(), CheckIn.id.desc())).first()


def answer(session: Session, villager: Villager, checkin_id: int, number: int, channel: str,
           now: datetime, default_language: str) -> CheckIn | None:
    """Record 1 (well: the family hears of the arrival), 2 (a case is opened) or 3 (home:
    the return is recorded and check-ins stop); closes the placement's open check-ins."""
    checkin = session.get(CheckIn, checkin_id, with_for_update=True)
    if checkin is None or checkin.closed_at is not None or number not in ANSWERS:
        return None
    application = checkin.application
    if application.villager_id != villager.id:
        return None
    checkin.answer, checkin.answered_at = number, now
    session.execute(update(CheckIn).where(CheckIn.application_id == application.id,
                                          CheckIn.closed_at.is_(None))
                    .values(closed_at=now).execution_options(synchronize_session=False))
    checkin.closed_at = now
    if number == 1 and checkin.number == 0:
        family.tell(session, villager, "sms_family_arrived", channel, default_language,
                    city=city_names(application.posting.destination_city,
                                    application.posting.destination_province))
    elif number == 2:
        case = open_case(session, villager, "other",
                         f"Check-in {checkin.number} answered 2: I have a problem.",
                         anonymous=False, via="checkin", channel=channel,
                         application=application)
        checkin.case_id = case.id
    elif number == 3:
        application.returned_at = now
    session.flush()
    return checkin


def carry_out(session: Session, contact: Contact, effect: m.Effect, via: str, channel: str,
              now: datetime, default_language: str = "zh") -> None:
    """A villager's answer to a departure or a check-in, or their family contact."""
    villager = contact.villager
    if villager is None:
        return
    if isinstance(effect, m.AnswerDeparture):
        departures.record_answer(session, villager, effect.departure_id, effect.going, via, now)
    elif isinstance(effect, m.AnswerCheckIn):
        checkin = answer(session, villager, effect.checkin_id, effect.answer, channel, now,
                         default_language)
        if checkin is not None:
            promises.ask(session, checkin, now)  # the arrival's promise questions
    elif isinstance(effect, m.SetFamily):
        family.name(session, villager, effect.phone, channel, default_language)

