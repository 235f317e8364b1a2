"""The effects a conversation step asks for, carried out in the caller's transaction.

A menu step returns effects (`menus.types.Effect`); each kind has one handler here, found in
`HANDLERS` by the effect's type. A new kind of effect adds a handler with `@handles(...)`;
an effect without one is a programming error and fails loudly rather than being dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from menus import trainingtext as tt
from menus import types as m
from menus.texts import DEFAULT_LANGUAGE, t

from ..db import utcnow
from ..followup import checkins
from ..followup.cases import open_case
from ..kernel.errors import Refused
from ..messaging.outbox import add_message
from ..models import Contact, Posting, TrainingSession
from ..postings import applications
from ..postings.core import title_in
from ..training import sessions as trainings
from ..villagers.erasure import erase
from ..villagers.records import fill, register

log = logging.getLogger(__name__)


@dataclass
class Applied:
    """What carrying out a step's effects made that the step could not know in advance."""

    cases: list[int] = field(default_factory=list)  # the numbers of the cases opened


@dataclass(frozen=True)
class Context:
    """Who asked, by which door, and where the results go."""

    session: Session
    contact: Contact
    via: str  # how the villager reached us: ussd, sms, officer
    channel: str  # the outbox channel for what we send back
    today: date
    notify: bool  # False when the caller's own reply already confirms a registration
    applied: Applied


Handler = Callable[[Context, Any], None]
HANDLERS: dict[type, Handler] = {}


def handles(*kinds: type) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of these effect types."""

    def register_handler(handler: Handler) -> Handler:
        for kind in kinds:
            HANDLERS[kind] = handler
        return handler

    return register_handler


def apply_effects(session: Session, contact: Contact, effects: Iterable[m.Effect], via: str,
                  channel: str, today: date, notify: bool = True) -> Applied:
    """Carry out what a conversation step asked for, in the caller's transaction."""
    context = Context(session, contact, via, channel, today, notify, Applied())
    for effect in effects:
        handler = HANDLERS.get(type(effect))
        if handler is None:
            raise TypeError(f"no handler for the effect {type(effect).__name__}")
        handler(context, effect)
    session.flush()
    return context.applied


@handles(m.Register)
def _register(c: Context, effect: m.Register) -> None:
    register(c.session, c.contact, effect.profile, c.via, c.channel, c.notify)


@handles(m.UpdateProfile)
def _update_profile(c: Context, effect: m.UpdateProfile) -> None:
    if c.contact.villager is None:
        raise ValueError("profile update for a phone that is not registered")
    fill(c.session, c.contact.villager, effect.profile)
    c.contact.language = effect.profile.language


@handles(m.SetLanguage)
def _set_language(c: Context, effect: m.SetLanguage) -> None:
    c.contact.language = effect.language


@handles(m.OptOut)
def _opt_out(c: Context, effect: m.OptOut) -> None:
    c.contact.opted_out, c.contact.opted_out_at = True, utcnow()
    c.contact.opted_out_reason = "keyword"  # they texted STOP (or its Chinese)


@handles(m.Erase)
def _erase(c: Context, effect: m.Erase) -> None:
    """The villager confirmed DELETE: erase them; `erase` texts the farewell itself."""
    if c.contact.villager is None:
        log.warning("erasure asked by %s, who is not registered", c.contact.phone)
        return
    erase(c.session, c.contact.villager, None, utcnow(), c.channel)


@handles(m.OptIn)
def _opt_in(c: Context, effect: m.OptIn) -> None:
    c.contact.opted_out, c.contact.opted_out_at = False, None
    c.contact.opted_out_reason = None


@handles(m.AnswerDeparture, m.AnswerCheckIn, m.SetFamily)
def _answer(c: Context, effect: m.AnswerDeparture | m.AnswerCheckIn | m.SetFamily) -> None:
    checkins.carry_out(c.session, c.contact, effect, c.via, c.channel, utcnow())


@handles(m.ReportProblem)
def _report_problem(c: Context, effect: m.ReportProblem) -> None:
    """Open the case (open_case texts its number); a phone not registered opens none."""
    if c.contact.villager is None:
        log.warning("problem report from %s, who is not registered", c.contact.phone)
        return
    case = open_case(c.session, c.contact.villager, effect.category, effect.description,
                     effect.anonymous, via=c.via, channel=c.channel)
    c.applied.cases.append(case.id)


@handles(m.Apply, m.Withdraw)
def _apply_or_withdraw(c: Context, effect: m.Apply | m.Withdraw) -> None:
    """The conversation checked `can_apply` first and told the villager it is done; when the
    job closed or filled in between (a race), an SMS says the application did not go through.
    A withdrawal with nothing left to withdraw changes nothing and is only logged."""
    villager = c.contact.villager
    if villager is None:
        log.warning("%s from %s, who is not registered", type(effect).__name__, c.contact.phone)
        return
    posting = c.session.get(Posting, effect.job_id)
    try:
        if isinstance(effect, m.Withdraw):
            applications.withdraw(c.session, villager, effect.job_id)
        elif posting is None:
            raise Refused("closed")
        else:
            applications.apply(c.session, villager, posting, c.via, c.today)
    except Refused as refused:
        log.warning("%s of job %s by villager %s refused: %s", type(effect).__name__,
                    effect.job_id, villager.id, refused.message)
        if isinstance(effect, m.Apply) and refused.message != "already_applied":
            language = c.contact.language or DEFAULT_LANGUAGE
            reason = refused.message if refused.message in m.APPLY_REFUSALS else "closed"
            title = title_in(posting, language) if posting else str(effect.job_id)
            add_message(c.session, c.contact,
                        t(language, "sms_apply_lost", id=effect.job_id, title=title,
                          reason=t(language, f"refuse_{reason}")),
                        kind=f"apply-lost:{effect.job_id}", channel=c.channel)


@handles(m.Enrol)
def _enrol(c: Context, effect: m.Enrol) -> None:
    """The conversation checked `can_enrol` first and told the villager they are enrolled; when
    a request that raced this one took the last place meanwhile, an SMS says so."""
    villager = c.contact.villager
    training = c.session.get(TrainingSession, effect.training_id)
    if villager is None or training is None:
        log.warning("enrolment of %s in training %s: no such villager or training",
                    c.contact.phone, effect.training_id)
        return
    try:
        trainings.enrol(c.session, villager, training, c.via, c.today)
    except Refused as refused:
        log.info("enrolment of villager %s in training %s refused: %s", villager.id,
                 training.id, refused.message)
        if refused.message != "already_enrolled":
            language = c.contact.language or DEFAULT_LANGUAGE
            text = tt.lost(trainings.training_of(training), language, c.today)
            add_message(c.session, c.contact, text, kind=f"training-lost:{training.id}",
                        channel=c.channel)
