"""Phones, villagers, and the effects a conversation asks for, in the caller's transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from menus import trainingtext as tt
from menus import types as m
from menus.texts import DEFAULT_LANGUAGE, t

from . import applications, trainings
from .areas import skills
from .cases import open_case
from .db import utcnow
from .models import (
    Area,
    AreaLevel,
    Contact,
    Posting,
    Sex,
    TrainingSession,
    Villager,
    VillagerSkill,
)
from .outbox import add_message
from .postings import Refused, title_in

log = logging.getLogger(__name__)


class UnknownArea(ValueError):
    """A profile names a township that is not in the programme's areas."""


def find_contact(session: Session, phone: str) -> Contact | None:
    """The contact of this phone, with its villager and their township, if any."""
    query = (
        select(Contact)
        .where(Contact.phone == phone)
        .options(joinedload(Contact.villager).options(
            joinedload(Villager.township).joinedload(Area.parent),
            selectinload(Villager.skills)))
    )
    return session.scalars(query).first()


def contact_for(session: Session, phone: str) -> Contact:
    """The contact of this phone, created on first contact (safe when two requests race)."""
    contact = find_contact(session, phone)
    if contact is not None:
        return contact
    try:
        with session.begin_nested():
            contact = Contact(phone=phone)
            session.add(contact)
    except IntegrityError:
        contact = find_contact(session, phone)
        assert contact is not None
    return contact


def profile_of(villager: Villager, language: str) -> m.Profile:
    """A villager's record as the conversation sees it."""
    township = villager.township
    assert township.parent is not None
    return m.Profile(
        name=villager.name, sex=villager.sex.value, birth_year=villager.birth_year,
        county=township.parent.code, township=township.code,
        skills=tuple(s.skill_code for s in villager.skills),
        outside_province=villager.outside_province, sms_consent=villager.sms_consent,
        language=language,
    )


def conversation_contact(contact: Contact | None, default_language: str) -> m.Contact:
    """What the conversation knows of a phone."""
    if contact is None:
        return m.Contact()
    language = contact.language or default_language
    profile = profile_of(contact.villager, language) if contact.villager else None
    return m.Contact(language=contact.language, opted_out=contact.opted_out, profile=profile)


_COUNTY = aliased(Area)
_CONVERSATION = (  # built once: a USSD dial runs it for every new session
    select(Contact.language, Contact.opted_out, Villager.id, Villager.name, Villager.sex,
           Villager.birth_year, Villager.outside_province, Villager.sms_consent,
           Area.code.label("township"), _COUNTY.code.label("county"))
    .outerjoin(Villager, Villager.contact_id == Contact.id)
    .outerjoin(Area, Area.id == Villager.township_id)
    .outerjoin(_COUNTY, _COUNTY.id == Area.parent_id)
    .where(Contact.phone == bindparam("phone"))
)
_SKILLS = (select(VillagerSkill.skill_code)
           .where(VillagerSkill.villager_id == bindparam("villager"))
           .order_by(VillagerSkill.skill_code))


def conversation_of(session: Session, phone: str, default_language: str) -> m.Contact:
    """What the conversation knows of a phone, read without ORM entities (a USSD dial does
    this on every new session): `conversation_contact(find_contact(…))` in two Core queries."""
    row = session.execute(_CONVERSATION, {"phone": phone}).first()
    if row is None:
        return m.Contact()
    profile = None
    if row.id is not None:
        skills = session.scalars(_SKILLS, {"villager": row.id})
        profile = m.Profile(
            name=row.name, sex=row.sex.value, birth_year=row.birth_year, county=row.county,
            township=row.township, skills=tuple(skills), outside_province=row.outside_province,
            sms_consent=row.sms_consent, language=row.language or default_language)
    return m.Contact(language=row.language, opted_out=row.opted_out, profile=profile)


def _township(session: Session, profile: m.Profile) -> Area:
    area = session.scalars(select(Area).where(Area.code == profile.township,
                                               Area.level == AreaLevel.TOWNSHIP)).first()
    if area is None or area.parent is None or area.parent.code != profile.county:
        raise UnknownArea(profile.township)
    return area


def _fill(session: Session, villager: Villager, profile: m.Profile) -> None:
    known = {s.key for s in skills()}
    villager.name = profile.name
    villager.sex = Sex(profile.sex)
    villager.birth_year = profile.birth_year
    villager.township = _township(session, profile)
    villager.outside_province = profile.outside_province
    villager.sms_consent = profile.sms_consent
    villager.skills = [VillagerSkill(skill_code=c) for c in dict.fromkeys(profile.skills)
                       if c in known]


def register(session: Session, contact: Contact, profile: m.Profile, via: str,
             channel: str, notify: bool = True) -> Villager:
    """Register (or, when already registered, update) the villager and confirm by SMS."""
    villager = contact.villager or Villager(registered_via=via)
    with session.no_autoflush:  # the township lookup must not flush a half-filled villager
        _fill(session, villager, profile)
    villager.contact = contact
    session.add(villager)
    contact.language = profile.language
    session.flush()
    if notify and villager.sms_consent:
        add_message(session, contact, t(profile.language, "sms_registered", name=villager.name),
                    kind="registration", channel=channel)
    return villager


@dataclass
class Applied:
    """What carrying out a step's effects made that the step could not know in advance."""

    cases: list[int] = field(default_factory=list)  # the numbers of the cases opened


def apply_effects(session: Session, contact: Contact, effects: Iterable[m.Effect], via: str,
                  channel: str, today: date, notify: bool = True) -> Applied:
    """Carry out what a conversation step asked for, in the caller's transaction.

    `notify=False` when the caller's own reply already confirms a registration.
    """
    applied = Applied()
    for effect in effects:
        if isinstance(effect, m.ReportProblem):  # problem reports (issue 5, section 4)
            _report_problem(session, contact, effect, via, channel, applied)
        if isinstance(effect, m.Apply | m.Withdraw):
            _apply_or_withdraw(session, contact, effect, via, channel, today)
        if isinstance(effect, m.Enrol):
            _enrol(session, contact, effect, via, channel, today)
        if isinstance(effect, m.Register):
            register(session, contact, effect.profile, via, channel, notify)
        elif isinstance(effect, m.UpdateProfile):
            if contact.villager is None:
                raise ValueError("profile update for a phone that is not registered")
            _fill(session, contact.villager, effect.profile)
            contact.language = effect.profile.language
        elif isinstance(effect, m.SetLanguage):
            contact.language = effect.language
        elif isinstance(effect, m.OptOut):
            contact.opted_out, contact.opted_out_at = True, utcnow()
            contact.opted_out_reason = "keyword"  # they texted STOP (or its Chinese)
        elif isinstance(effect, m.OptIn):
            contact.opted_out, contact.opted_out_at = False, None
            contact.opted_out_reason = None
        elif isinstance(effect, m.AnswerDeparture | m.AnswerCheckIn | m.SetFamily):
            from . import checkins  # issue 5; imported here: it builds on this module

            checkins.carry_out(session, contact, effect, via, channel, utcnow())
    session.flush()
    return applied


def _report_problem(session: Session, contact: Contact, effect: m.ReportProblem, via: str,
                    channel: str, applied: Applied) -> None:
    """Open the case (open_case texts its number); a phone not registered opens none."""
    if contact.villager is None:
        log.warning("problem report from %s, who is not registered", contact.phone)
        return
    case = open_case(session, contact.villager, effect.category, effect.description,
                     effect.anonymous, via=via, channel=channel)
    applied.cases.append(case.id)


def _apply_or_withdraw(session: Session, contact: Contact, effect: m.Apply | m.Withdraw,
                       via: str, channel: str, today: date) -> None:
    """The conversation checked `can_apply` first and told the villager it is done; when the
    job closed or filled in between (a race), an SMS says the application did not go through.
    A withdrawal with nothing left to withdraw changes nothing and is only logged."""
    villager = contact.villager
    if villager is None:
        log.warning("%s from %s, who is not registered", type(effect).__name__, contact.phone)
        return
    posting = session.get(Posting, effect.job_id)
    try:
        if isinstance(effect, m.Withdraw):
            applications.withdraw(session, villager, effect.job_id)
        elif posting is None:
            raise Refused("closed")
        else:
            applications.apply(session, villager, posting, via, today)
    except Refused as refused:
        log.warning("%s of job %s by villager %s refused: %s", type(effect).__name__,
                    effect.job_id, villager.id, refused.message)
        if isinstance(effect, m.Apply) and refused.message != "already_applied":
            language = contact.language or DEFAULT_LANGUAGE
            reason = refused.message if refused.message in m.APPLY_REFUSALS else "closed"
            title = title_in(posting, language) if posting else str(effect.job_id)
            add_message(session, contact, t(language, "sms_apply_lost", id=effect.job_id,
                                            title=title, reason=t(language, f"refuse_{reason}")),
                        kind=f"apply-lost:{effect.job_id}", channel=channel)


def _enrol(session: Session, contact: Contact, effect: m.Enrol, via: str, channel: str,
           today: date) -> None:
    """The conversation checked `can_enrol` first and told the villager they are enrolled; when
    a request that raced this one took the last place meanwhile, an SMS says so."""
    villager = contact.villager
    training = session.get(TrainingSession, effect.training_id)
    if villager is None or training is None:
        log.warning("enrolment of %s in training %s: no such villager or training",
                    contact.phone, effect.training_id)
        return
    try:
        trainings.enrol(session, villager, training, via, today)
    except Refused as refused:
        log.info("enrolment of villager %s in training %s refused: %s", villager.id,
                 training.id, refused.message)
        if refused.message != "already_enrolled":
            language = contact.language or DEFAULT_LANGUAGE
            text = tt.lost(trainings.training_of(training), language, today)
            add_message(session, contact, text, kind=f"training-lost:{training.id}",
                        channel=channel)
