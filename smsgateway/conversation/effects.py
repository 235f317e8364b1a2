"""The effects a conversation step asks for, carried out in the caller's transaction.

A menu step returns effects (`menus.types.Effect`); each kind has one handler here, found in
`HANDLERS` by the effect's type. A new kind of effect adds a handler with `@handles(...)`;
an effect without one is a programming error and fails loudly rather than being dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from menus import trainingtext as tt
from menus import types as m
from menus.texts import DEFAULT_LANGUAGE

from ..db import utcnow
from ..followup import arrival, checkins, cohorts, paychecks, promises
from ..followup.cases import open_case
from ..kernel.errors import Refused
from ..messaging.outbox import add_message
from ..models import Contact, Interview, Posting, TrainingSession
from ..postings import applications
from ..postings import recruitment_days as interviews
from ..postings.core import title_in
from ..services import services
from ..templates import Templated, templated
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
    settings: Mapping[str, Any] | None = None  # the app's, where a handler needs them


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
                  channel: str, today: date, notify: bool = True,
                  settings: Mapping[str, Any] | None = None) -> Applied:
    """Carry out what a conversation step asked for, in the caller's transaction."""
    context = Context(session, contact, via, channel, today, notify, Applied(), settings)
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
            add_message(c.session, c.contact, apply_lost(language, effect.job_id, title, reason),
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


# --- Promise against reality ---


@handles(m.AnswerPromise)
def _answer_promise(c: Context, effect: m.AnswerPromise) -> None:
    """1 yes / 2 no to an arrival promise question; a no opens the contract case."""
    if c.contact.villager is None:
        log.warning("promise answer from %s, who is not registered", c.contact.phone)
        return
    promises.answer(c.session, c.contact.villager, effect.promise_id, effect.question,
                    effect.kept, c.channel, utcnow())
# --- Cohorts: a team leader's report, the family's answer about an unanswered arrival ---


@handles(m.ReportTeam)
def _report_team(c: Context, effect: m.ReportTeam) -> None:
    """Record the report (a problem opens a case, whose number `open_case` texts)."""
    if c.contact.villager is None:
        log.warning("team report from %s, who is not registered", c.contact.phone)
        return
    report = cohorts.record_report(c.session, c.contact.villager, effect.cohort_id,
                                   effect.team, effect.all_well, effect.count, effect.text,
                                   c.channel, utcnow())
    if report is not None and report.case_id is not None:
        c.applied.cases.append(report.case_id)


@handles(m.AnswerFamily)
def _answer_family(c: Context, effect: m.AnswerFamily) -> None:
    arrival.answer_family(c.session, c.contact, effect.question_id, effect.heard, utcnow())
@handles(m.AnswerPayCheck, m.PayCheckAmount)
def _answer_pay_check(c: Context, effect: m.AnswerPayCheck | m.PayCheckAmount) -> None:
    """A pay check's 1/2/3 (2 and 3 open a wage case, which texts its number) or amount."""
    paychecks.carry_out(c.session, c.contact, effect, c.channel, utcnow())
# --- Recruitment days ---


def _own_interview(c: Context, interview_id: int) -> Interview | None:
    """The caller's own invitation (another's id is ignored and logged)."""
    found = c.session.get(Interview, interview_id)
    if found is None or c.contact.villager is None or found.villager_id != c.contact.villager.id:
        log.warning("interview %s is not %s's", interview_id, c.contact.phone)
        return None
    return found


@handles(m.AskInterviewSlots)
def _ask_interview_slots(c: Context, effect: m.AskInterviewSlots) -> None:
    """The free times were sent: the invitation waits for a slot's number."""
    found = _own_interview(c, effect.interview_id)
    if found is not None:
        interviews.ask_slots(c.session, found, utcnow())


@handles(m.BookInterview)
def _book_interview(c: Context, effect: m.BookInterview) -> None:
    """The conversation saw the slot free and said it is booked; when a booking that raced
    this one took its last place, an SMS says so and offers the free times again."""
    found = _own_interview(c, effect.interview_id)
    if found is None:
        return
    settings = c.settings if c.settings is not None else services().settings
    try:
        interviews.book(c.session, found, effect.slot, c.via, utcnow(), c.today, settings)
    except Refused as refused:
        log.info("booking of interview %s slot %s refused: %s", found.id, effect.slot,
                 refused.message)
        language = c.contact.language or DEFAULT_LANGUAGE
        if refused.message == "taken":  # the free times again, and what to reply
            interviews.ask_slots(c.session, found, utcnow())
            add_message(c.session, c.contact, interviews.lost_text(found, effect.slot,
                                                                   language),
                        kind=f"interview-lost:{found.day_id}", channel=c.channel)
        elif refused.message in m.APPLY_REFUSALS:  # the posting filled or closed meanwhile
            posting = found.recruitment_day.posting
            add_message(c.session, c.contact,
                        apply_lost(language, posting.id, title_in(posting, language),
                                   refused.message),
                        kind=f"apply-lost:{posting.id}", channel=c.channel)


# --- Templates for every message (issue 14) ---


def apply_lost(language: str, job_id: int, title: str, reason: str) -> Templated:
    """The SMS that an application the villager was told of did not go through: the template
    of its reason (one of APPLY_REFUSALS), the title cut to the provider's limit and the cap."""
    return templated(language, f"sms_apply_lost_{reason}", id=job_id, title=title)
# --- end Templates for every message ---
