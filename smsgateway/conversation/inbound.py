"""An inbound SMS, from any gateway: kept once, answered by the conversation, effects applied."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from menus import sms
from menus.texts import t
from menus.types import Effect, Erase, OptOut, Register, State

from ..messaging.gateways import InboundSms
from ..messaging.gateways.registry import GATEWAYS, TEMPLATED_PROVIDERS
from ..messaging.outbox import add_message, add_sent_reply
from ..models import Contact, InboundMessage
from ..services import Services
from ..templates import Templated, composed, recognise, templated
from ..villagers.records import contact_for, conversation_contact
from .catalog import DbCatalog
from .effects import apply_effects
from .ussd_sessions import UssdSessions

log = logging.getLogger(__name__)

MAX_BODY = 1600  # Twilio's own limit for one (concatenated) message


def reply_channel(settings: dict[str, object], gateway: str) -> str:
    """Answer on the gateway the villager used when we can send there, else SMS_PROVIDER."""
    found = GATEWAYS.get(gateway)
    credential = found.credential if found else None
    if credential and settings.get(credential) and settings["SMS_PROVIDER"] != "console":
        return gateway
    return str(settings["SMS_PROVIDER"])


@dataclass(frozen=True)
class Outcome:
    """What the gateway should answer: the reply (None: send nothing) and whether it repeated."""

    reply: str | None
    duplicate: bool = False


def _conversation_key(phone: str) -> str:
    return f"sms:conversation:{phone}"


def receive(svc: Services, gateway: str, message: InboundSms, phone: str,
            reply_inline: bool) -> Outcome:
    """Keep one inbound SMS in its own transaction, then answer it.

    A failure in answering leaves the message on record (for an officer, and for a retry)
    and the apology says it was kept; only when even keeping it failed does the apology
    ask the villager to send it again.
    """
    body = message.body[:MAX_BODY]
    kept: int | None = None
    try:
        # One message at a time per phone: a question-and-answer step reads, then writes
        # the conversation state.
        with svc.redis.lock(f"sms:lock:{phone}", timeout=30, blocking_timeout=20):
            with svc.sessions.begin() as db:
                inbound_id, earlier = _keep(db, gateway, message, phone, body)
            kept = inbound_id  # committed: on record whatever happens next
            if inbound_id is None:
                return Outcome(earlier, True)
            return _receive(svc, gateway, inbound_id, body, phone, reply_inline)
    except Exception:
        log.exception("inbound %s message %s failed", gateway, message.provider_message_id)
        return _apologise(svc, gateway, message, phone, body, kept)


def _keep(db: Session, gateway: str, message: InboundSms, phone: str, body: str
          ) -> tuple[int | None, str | None]:
    """(the new row's id, None), or (None, the earlier reply) for a provider id seen before."""
    inbound = InboundMessage(gateway=gateway, provider_message_id=message.provider_message_id,
                             phone=phone, body=body)
    try:
        with db.begin_nested():  # the unique key makes the de-duplication atomic
            db.add(inbound)
    except IntegrityError:
        return None, _earlier_reply(db, gateway, message.provider_message_id)
    return inbound.id, None


def _apologise(svc: Services, gateway: str, message: InboundSms, phone: str, body: str,
               kept: int | None) -> Outcome:
    """Say sorry, and say "kept" only when the message is on record (keeping it now if we can)."""
    language = svc.settings["DEFAULT_LANGUAGE"]
    apology = t(language, "sms_apology")
    try:
        with svc.sessions.begin() as db:
            if kept is None:
                db.add(InboundMessage(gateway=gateway, phone=phone, body=body,
                                      provider_message_id=message.provider_message_id,
                                      reply=apology))
            else:  # what a repeat of this webhook answers
                db.execute(update(InboundMessage).where(InboundMessage.id == kept)
                           .values(reply=apology))
    except Exception:
        log.exception("could not keep inbound message %s", message.provider_message_id)
        if kept is None:
            return Outcome(t(language, "sms_apology_unrecorded"))
    return Outcome(apology)


def _receive(svc: Services, gateway: str, inbound_id: int, body: str, phone: str,
             reply_inline: bool) -> Outcome:
    """Answer one kept inbound SMS.

    With `reply_inline` (TwiML) the reply is recorded as sent; otherwise it goes to the outbox.
    An opted-out phone gets no reply but the confirmation of its opt-out.
    """
    with svc.sessions.begin() as db:
        inbound = db.get_one(InboundMessage, inbound_id)
        contact = contact_for(db, phone)
        raw_state = svc.redis.get(_conversation_key(phone))
        state: State | None = json.loads(raw_state) if raw_state else None
        catalog = DbCatalog.for_phone(db, svc.settings, phone)
        step = sms.handle(state, body, conversation_contact(contact, svc.settings[
            "DEFAULT_LANGUAGE"]), catalog)
        # The reply to a registration is its confirmation: it goes through the outbox.
        registering = any(isinstance(e, Register) for e in step.effects)
        opting_out = any(isinstance(e, OptOut) for e in step.effects)
        erasing = any(isinstance(e, Erase) for e in step.effects)
        channel = reply_channel(svc.settings, gateway)
        apply_effects(db, contact, step.effects, via="sms", channel=channel,
                      today=catalog.today(), notify=False, settings=svc.settings)
        reply = _deliverable(step.screen, contact, opting_out)
        inline = reply_inline and not registering
        if reply:
            kind = "registration" if registering else "opt_out" if opting_out else "reply"
            _send_reply(db, contact, _confirmation(step.effects) or reply, inline, kind,
                        "wechat" if inline and gateway == "wechat" else channel)
        inbound.reply = reply if inline else None  # what a repeat of this webhook answers
    _keep_conversation(svc, phone, step.state)
    if registering:  # a registration a dropped USSD session left is done: no redial resumes it
        UssdSessions(svc.redis, svc.settings["USSD_SESSION_TTL"],
                     svc.settings["USSD_RESUME_TTL"]).drop_snapshot(phone)
    if erasing:
        forget_conversations(svc, phone)
    return Outcome(inbound.reply)


def _deliverable(reply: str, contact: Contact, opted_out_now: bool) -> str | None:
    """The reply, unless the phone opted out: then only the opt-out confirmation goes."""
    if not reply or (contact.opted_out and not opted_out_now):
        return None
    return reply


def _confirmation(effects: Sequence[Effect]) -> Templated | None:
    """A registration's confirmation, built from its template (what the menus said too)."""
    for effect in effects:
        if isinstance(effect, Register):
            return templated(effect.profile.language, "sms_registered",
                             name=effect.profile.name)
    return None


def _send_reply(db: Session, contact: Contact, reply: str | Templated, inline: bool, kind: str,
                channel: str) -> None:
    if inline:  # by TwiML, or as WeChat's passive reply
        add_sent_reply(db, contact, reply if isinstance(reply, str) else reply.text, kind,
                       channel="wechat" if channel == "wechat" else "twiml")
    else:
        add_message(db, contact, as_template(contact, reply, channel), kind=kind,
                    channel=channel, always=True, answer=True)


def as_template(contact: Contact, reply: str | Templated, channel: str) -> str | Templated:
    """A reply as a templated provider sends it: its one template when a single template
    gives it, else the composed carrier (`templates.composed`); elsewhere as it is."""
    if channel not in TEMPLATED_PROVIDERS or isinstance(reply, Templated) or recognise(reply):
        return reply
    return composed(contact.language, reply)


def _earlier_reply(db: Session, gateway: str, provider_message_id: str) -> str | None:
    query = select(InboundMessage.reply).where(
        InboundMessage.gateway == gateway,
        InboundMessage.provider_message_id == provider_message_id)
    return db.scalars(query).first()


def hand_over(svc: Services, phone: str, state: State) -> None:
    """Make `state` the phone's SMS conversation (a USSD session hands its registration on)."""
    _keep_conversation(svc, phone, state)


def forget_conversations(svc: Services, phone: str) -> None:
    """Drop what Redis holds of this phone's conversations (an erased villager's)."""
    svc.redis.delete(_conversation_key(phone))
    UssdSessions(svc.redis, svc.settings["USSD_SESSION_TTL"],
                 svc.settings["USSD_RESUME_TTL"]).drop_snapshot(phone)


def _keep_conversation(svc: Services, phone: str, state: State) -> None:
    if state:  # an erasure waits for its YES a few minutes only
        ttl = svc.settings["ERASE_CONFIRM_SECONDS" if state.get("flow") == sms.ERASE_FLOW
                           else "SMS_CONVERSATION_TTL"]
        svc.redis.set(_conversation_key(phone), json.dumps(state), ex=ttl)
    else:
        svc.redis.delete(_conversation_key(phone))
