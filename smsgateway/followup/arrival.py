"""An arrival that is noticed: the arrival check-in (number 0) still unanswered
ARRIVAL_NOTICE_HOURS after it was sent puts the worker at the top of the officers'
follow-up list and asks their family contact (if one is named and has not opted out)
"Have you heard from <name>? 1 yes, 2 no".

Someone may answer for the worker (`ArrivalNotice.heard_at`): the family's 1, or their team
leader's `TEAM n OK` (`heard_by_team`): the worker then leaves the top of the list (their
check-in stays open: it is still theirs to answer, reminded and flagged as before). The
family's 2 keeps them on top. Nothing is asked in the quiet hours (the next run asks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session, joinedload

from ..messaging.outbox import add_message
from ..models import (
    Application,
    ArrivalNotice,
    CheckIn,
    Contact,
    FamilyContact,
    Posting,
    Villager,
)
from ..postings.core import city_in
from ..templates import Templated, templated

FAMILY_QUESTION_DAYS = 7  # how long the family's digit is taken as the answer to it


def _notice_for(session: Session, checkin: CheckIn) -> ArrivalNotice:
    found = session.scalars(select(ArrivalNotice)
                            .where(ArrivalNotice.checkin_id == checkin.id)).first()
    if found is None:
        found = ArrivalNotice(checkin=checkin)
        session.add(found)
    return found


def _take_notice(session: Session, now: datetime, hours: int) -> int:
    """Notice the arrival check-ins unanswered `hours` after they were sent."""
    noticed = session.scalars(
        select(CheckIn).outerjoin(ArrivalNotice, ArrivalNotice.checkin_id == CheckIn.id)
        .where(CheckIn.number == 0, CheckIn.closed_at.is_(None),
               CheckIn.sent_at <= now - timedelta(hours=hours),
               ArrivalNotice.id.is_(None))).all()
    for checkin in noticed:
        session.add(ArrivalNotice(checkin=checkin, noticed_at=now))
    return len(noticed)


def _ask_families(session: Session, now: datetime, settings: Mapping[str, Any]) -> int:
    """Ask the family of each noticed worker not yet heard from, once."""
    rows = session.execute(
        select(ArrivalNotice, FamilyContact)
        .join(CheckIn, CheckIn.id == ArrivalNotice.checkin_id)
        .join(Application, Application.id == CheckIn.application_id)
        .join(FamilyContact, FamilyContact.villager_id == Application.villager_id)
        .where(ArrivalNotice.noticed_at.is_not(None), ArrivalNotice.heard_at.is_(None),
               ArrivalNotice.family_asked_at.is_(None), CheckIn.closed_at.is_(None))
        .options(joinedload(ArrivalNotice.checkin).joinedload(CheckIn.application)
                 .joinedload(Application.villager).joinedload(Villager.contact),
                 joinedload(FamilyContact.contact))).all()
    asked = 0
    for notice, family in rows:
        application = notice.checkin.application
        villager, contact = application.villager, family.contact
        lang = contact.language or villager.contact.language or settings["DEFAULT_LANGUAGE"]
        text = family_question_text(villager.name, application.posting, lang)
        notice.family_contact_id, notice.family_asked_at = contact.id, now
        asked += add_message(session, contact, text, kind="family",
                             channel=settings["SMS_PROVIDER"]) is not None
    return asked


def family_question_text(name: str, posting: Posting, lang: str) -> Templated:
    """The family's question about a worker not heard from since going to the posting's
    city (English: the gazetteer's GSM-7 name); the name is never cut."""
    return templated(lang, "sms_family_heard_question", name=name, city=city_in(posting, lang))


def run(session: Session, now: datetime, settings: Mapping[str, Any],
        quiet: bool) -> dict[str, int]:
    """Notice unanswered arrivals; ask their families (not in the quiet hours)."""
    noticed = _take_notice(session, now, settings["ARRIVAL_NOTICE_HOURS"])
    session.flush()
    asked = 0 if quiet else _ask_families(session, now, settings)
    return {"arrivals_noticed": noticed, "families_asked": asked}


def family_question(session: Session, contact_id: int, now: datetime) -> ArrivalNotice | None:
    """The latest question put to this phone as a family contact in FAMILY_QUESTION_DAYS."""
    return session.scalars(
        select(ArrivalNotice).where(ArrivalNotice.family_contact_id == contact_id,
                                    ArrivalNotice.family_asked_at
                                    >= now - timedelta(days=FAMILY_QUESTION_DAYS))
        .options(joinedload(ArrivalNotice.checkin).joinedload(CheckIn.application)
                 .joinedload(Application.villager).joinedload(Villager.contact))
        .order_by(ArrivalNotice.family_asked_at.desc(), ArrivalNotice.id.desc())).first()


def answer_family(session: Session, contact: Contact, notice_id: int, heard: bool,
                  now: datetime) -> ArrivalNotice | None:
    """The family's 1 (heard from the worker) or 2 (not); a second answer changes nothing."""
    notice = session.get(ArrivalNotice, notice_id, with_for_update=True)
    if notice is None or notice.family_contact_id != contact.id \
            or notice.family_answer is not None:
        return None
    notice.family_answer, notice.family_answered_at = (1 if heard else 2), now
    if heard and notice.heard_at is None:
        notice.heard_at, notice.heard_via = now, "family"
    return notice


def heard_by_team(session: Session, application_ids: Iterable[int], report_id: int,
                  now: datetime) -> list[int]:
    """A team leader's all-well report answers for the team's members whose arrival
    check-in is open: returns the applications it answered for."""
    ids = list(application_ids)
    if not ids:
        return []
    open_arrivals = session.scalars(
        select(CheckIn).where(CheckIn.application_id.in_(ids), CheckIn.number == 0,
                              CheckIn.closed_at.is_(None))).all()
    for checkin in open_arrivals:
        notice = _notice_for(session, checkin)
        if notice.heard_at is None:
            notice.heard_at, notice.heard_via, notice.team_report_id = now, "team", report_id
    return [c.application_id for c in open_arrivals]


def urgent() -> Any:
    """The condition of an arrival noticed and nobody heard from: the top of the list."""
    return and_(ArrivalNotice.noticed_at.is_not(None), ArrivalNotice.heard_at.is_(None))


def follow_up() -> Any:
    """The officers' follow-up list: open check-ins flagged after their reminders, and
    arrivals noticed that nobody answered for, these first (then oldest first). Callers
    narrow it to the villagers they may see (`access.villagers_seen`)."""
    return (select(CheckIn).join(Application, Application.id == CheckIn.application_id)
            .join(Villager, Villager.id == Application.villager_id)
            .outerjoin(ArrivalNotice, ArrivalNotice.checkin_id == CheckIn.id)
            .where(CheckIn.closed_at.is_(None),
                   or_(CheckIn.flagged_at.is_not(None), urgent()))
            .options(joinedload(CheckIn.application).joinedload(Application.posting),
                     joinedload(CheckIn.application).joinedload(Application.villager)
                     .joinedload(Villager.contact))
            .order_by(case((urgent(), 0), else_=1), CheckIn.sent_at, CheckIn.id))


def notices_of(session: Session, checkin_ids: Iterable[int]) -> dict[int, ArrivalNotice]:
    """check-in id → its arrival notice, for those that have one."""
    ids = list(checkin_ids)
    if not ids:
        return {}
    return {n.checkin_id: n for n in session.scalars(
        select(ArrivalNotice).where(ArrivalNotice.checkin_id.in_(ids)))}
