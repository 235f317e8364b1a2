"""A villager's family contact: named by SMS (FAMILY <phone>, their consent), told of the
departure and of the arrival, and nothing else. The family phone is a contact like any
other: STOP from it opts it out, and an opted-out phone gets nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..messaging.outbox import add_message
from ..models import FamilyContact, Villager
from ..templates import templated
from .records import contact_for


def name(session: Session, villager: Villager, phone: str | None, channel: str,
         default_language: str) -> None:
    """Name (or, with None, remove) the family contact; a newly named phone gets one SMS
    saying who named it and how to refuse."""
    current = session.get(FamilyContact, villager.id)
    if phone is None:
        if current is not None:
            session.delete(current)
        return
    contact = contact_for(session, phone)
    if current is not None and current.contact_id == contact.id:
        return  # named again: already told
    if current is None:
        current = FamilyContact(villager_id=villager.id, contact=contact)
        session.add(current)
    current.contact = contact
    session.flush()
    lang = contact.language or villager.contact.language or default_language
    add_message(session, contact, templated(lang, "sms_family_named", name=villager.name),
                kind="family", channel=channel)


def tell(session: Session, villager: Villager, key: str, channel: str, default_language: str,
         **values: object) -> bool:
    """One SMS to the villager's family contact, if they have one who has not opted out."""
    family = session.get(FamilyContact, villager.id)
    if family is None:
        return False
    contact = family.contact
    lang = contact.language or villager.contact.language or default_language
    # A value given in both languages, (zh, en) (a city), is read in the contact's.
    shown = {name: (value[0] if lang == "zh" else value[1]) if isinstance(value, tuple)
             else value for name, value in values.items()}
    text = templated(lang, key, name=villager.name, **shown)
    return add_message(session, contact, text, kind="family", channel=channel) is not None
