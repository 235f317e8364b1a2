"""A villager's personal data, erased on their request (China's PIPL: deletion on request) and
purged after RETENTION_DAYS.

Rows are kept and their identifying values replaced, so every count of the monthly report
stays what it was: the villager row keeps sex, birth year, township and skills (the figures'
dimensions, not who the person is); applications, enrolments, check-ins and cases keep their
dates and states. What goes: the name, the phone (replaced by `erased:<id>`, which routes
nowhere and is unique), the family contact, the WeChat link, the bodies of every message to
and from the phone (and their templates' values), and the free text of their cases (the
description and the notes: no worker agreed to keep them, so none is kept).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from menus.texts import DEFAULT_LANGUAGE, t

from ..kernel.errors import Refused
from ..kernel.lifecycle import rows_changed
from ..messaging.outbox import add_message
from ..models import (
    Case,
    CaseEvent,
    Contact,
    FamilyContact,
    InboundMessage,
    Message,
    MessageStatus,
    User,
    Villager,
    WechatLink,
)

log = logging.getLogger(__name__)

ERASED = "erased:"  # the placeholder phone's prefix
ERASED_NAME = "-"  # the name an erased villager keeps (the column is required)
ERASED_REASON = "erased"  # Contact.opted_out_reason: nothing is ever sent again
FAREWELL_KIND = "erased"  # the one message sent after the erasure: the sender lets it go
SETTLED = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.UNDELIVERED,
           MessageStatus.FAILED)


def placeholder(villager_id: int) -> str:
    """The phone an erased villager keeps: unique, and no provider can route it."""
    return f"{ERASED}{villager_id}"


def is_erased(villager: Villager) -> bool:
    """True once `erase` ran for this villager."""
    return villager.contact.phone.startswith(ERASED)


def erase(session: Session, villager: Villager, by: User | None, now: datetime,
          channel: str) -> None:
    """Erase the villager's personal data (`by` is the officer, None the villager's own
    request) and text them once that it is done.

    The farewell is written first, to the phone as it is (the outbox row keeps its phone:
    `Message.phone`), and is the only row whose phone stays until it is sent; the retention
    job replaces it then (`purge`). The contact is opted out with the reason "erased", so
    nothing else is sent, even from a job already queued.
    """
    if is_erased(villager):
        raise Refused("already_erased")
    contact = villager.contact
    phone, gone = contact.phone, placeholder(villager.id)
    farewell = add_message(session, contact, t(contact.language or DEFAULT_LANGUAGE,
                                                "sms_erased"),
                           kind=FAREWELL_KIND, channel=channel, always=True,
                           answer=by is None)  # their YES is answered even in quiet hours
    assert farewell is not None  # `always`
    session.execute(update(Message).where(Message.contact_id == contact.id,
                                          Message.id != farewell.id)
                    .values(body="", template=None, phone=gone),
                    execution_options={"synchronize_session": False})
    session.execute(update(InboundMessage).where(InboundMessage.phone == phone)
                    .values(body="", reply=None, phone=gone),
                    execution_options={"synchronize_session": False})
    case_ids = select(Case.id).where(Case.villager_id == villager.id).scalar_subquery()
    session.execute(update(Case).where(Case.villager_id == villager.id).values(description=""),
                    execution_options={"synchronize_session": False})
    session.execute(update(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).values(note=None),
                    execution_options={"synchronize_session": False})
    _forget_family(session, villager)
    session.execute(delete(WechatLink).where(WechatLink.contact_id == contact.id),
                    execution_options={"synchronize_session": False})
    villager.name = ERASED_NAME
    villager.updated_at = now
    contact.phone = gone
    contact.opted_out, contact.opted_out_at, contact.opted_out_reason = True, now, ERASED_REASON
    session.flush()
    session.expire_all()  # the bulk updates above are what the rows say now
    log.info("villager %s erased (%s)", villager.id, f"officer {by.id}" if by else "by SMS")


def _forget_family(session: Session, villager: Villager) -> None:
    """Remove the family contact, and blank the texts it got about this villager (they carry
    the villager's name: "family" messages, built from templates whose values hold it)."""
    family = session.get(FamilyContact, villager.id)
    if family is None:
        return
    for message in session.scalars(select(Message).where(
            Message.contact_id == family.contact_id, Message.kind == "family")):
        values = (message.template or {}).get("values", [])
        if villager.name in values or villager.name in message.body:
            message.body, message.template = "", None
    session.delete(family)


def purge(session: Session, now: datetime, retention_days: int) -> dict[str, int]:
    """Blank the bodies of inbound messages older than `retention_days`, and replace the
    phone on each erased villager's farewell once it was sent (or failed)."""
    before = now - timedelta(days=retention_days)
    inbound = rows_changed(session.execute(
        update(InboundMessage)
        .where(InboundMessage.received_at < before,
               (InboundMessage.body != "") | InboundMessage.reply.is_not(None))
        .values(body="", reply=None), execution_options={"synchronize_session": False}))
    farewells = session.execute(
        select(Message.id, Contact.phone).join(Contact, Contact.id == Message.contact_id)
        .where(Message.kind == FAREWELL_KIND, Message.status.in_(SETTLED),
               Contact.phone.startswith(ERASED), Message.phone != Contact.phone)).all()
    for message_id, gone in farewells:
        session.execute(update(Message).where(Message.id == message_id).values(phone=gone),
                        execution_options={"synchronize_session": False})
    return {"inbound": inbound, "farewells": len(farewells)}
