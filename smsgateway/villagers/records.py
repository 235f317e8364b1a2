"""Phones and villagers: finding a phone's record, a villager's profile, registering."""

from __future__ import annotations

import logging

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from menus import types as m

from ..kernel.areas import skills
from ..messaging.outbox import add_message
from ..models import (
    Area,
    AreaLevel,
    Contact,
    Sex,
    Villager,
    VillagerSkill,
)
from ..templates import templated

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


def fill(session: Session, villager: Villager, profile: m.Profile) -> None:
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
        fill(session, villager, profile)
    villager.contact = contact
    session.add(villager)
    contact.language = profile.language
    session.flush()
    if notify and villager.sms_consent:
        add_message(session, contact,
                    templated(profile.language, "sms_registered", name=villager.name),
                    kind="registration", channel=channel)
    return villager
