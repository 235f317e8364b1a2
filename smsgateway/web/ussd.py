"""`POST /ussd`: Africa's Talking's USSD callback, answered `CON …` or `END …`."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy.orm import Session

from menus import problem, sms, ussd
from menus.texts import t
from menus.types import Profile, Register, ReportProblem, Step, UpdateProfile

from .. import metrics
from ..conversation.catalog import DbCatalog
from ..conversation.effects import apply_effects
from ..conversation.inbound import hand_over
from ..conversation.ussd_sessions import OutOfStep, UssdSession, UssdSessions
from ..kernel.phones import BadPhone, to_e164
from ..kernel.text import clean_mapping
from ..messaging.gateways import africastalking
from ..messaging.outbox import add_message
from ..services import Services, services
from ..templates import templated
from ..villagers.records import contact_for, conversation_of
from .auth import web_request

log = logging.getLogger(__name__)
bp = Blueprint("ussd", __name__)

REQUIRED = ("sessionId", "serviceCode", "phoneNumber", "text")
EVENT_REQUIRED = ("sessionId", "serviceCode", "phoneNumber", "status")
MAX_TEXT = 1000  # a whole session's history; far more than 180 s of keypad typing


def _answer(screen: str, end: bool, error: bool = False) -> Response:
    """The screen as Africa's Talking reads it; counted in `jobline_ussd_steps_total` as
    `con`, `end` or (an apology for something that went wrong) `error`."""
    metrics.USSD_STEPS.labels("error" if error else "end" if end else "con").inc()
    return Response(("END " if end else "CON ") + screen, mimetype="text/plain")


@bp.post("/ussd")
def ussd_callback() -> Response | tuple[str, int]:
    """One step of a USSD session; a failure inside still answers 200 with an `END` apology."""
    if not africastalking.GATEWAY.verify(web_request(), services().settings):
        return "forbidden\n", 403
    form = clean_mapping(request.form)  # what we keep and log of it is text PostgreSQL takes
    missing = [f for f in REQUIRED if f not in form or (f != "text" and not form[f].strip())]
    if missing:
        return f"missing fields: {', '.join(missing)}\n", 400
    svc = services()
    try:
        phone = to_e164(form["phoneNumber"], svc.settings["DEFAULT_REGION"])
    except BadPhone:  # the contract answers 200 once authenticated: the phone shows our words
        log.warning("USSD session %s: phoneNumber %r is not a phone number", form["sessionId"],
                    form["phoneNumber"])
        return _answer(t("zh", "ussd_apology"), end=True, error=True)
    if len(form["text"]) > MAX_TEXT:
        return _answer(t("zh", "ussd_too_long"), end=True, error=True)
    try:
        screen, end = turn(svc, form["sessionId"].strip(), phone, form["text"])
    except OutOfStep:
        log.warning("USSD session %s out of step", form["sessionId"])
        return _answer(t("zh", "ussd_out_of_step"), end=True, error=True)
    except Exception:
        log.exception("USSD session %s failed", form["sessionId"])
        return _answer(t("zh", "ussd_apology"), end=True, error=True)
    return _answer(screen, end)


@bp.post("/ussd/events")
def ussd_events() -> tuple[str, int]:
    """Africa's Talking's notice that a session ended (`status`: `Success`, `Incomplete`,
    `Failed`); one cut off while registering or editing the profile is `session_cut_off`."""
    if not africastalking.GATEWAY.verify(web_request(), services().settings):
        return "forbidden\n", 403
    form = request.form
    missing = [f for f in EVENT_REQUIRED if not form.get(f, "").strip()]
    if missing:
        return f"missing fields: {', '.join(missing)}\n", 400
    svc = services()
    try:
        phone = to_e164(form["phoneNumber"], svc.settings["DEFAULT_REGION"])
    except BadPhone:
        return "phoneNumber is not a phone number\n", 400
    if form["status"].strip() == "Incomplete":
        session_cut_off(svc, form["sessionId"].strip(), phone, form["serviceCode"].strip())
    return "ok\n", 200


def session_cut_off(svc: Services, session_id: str, phone: str, service_code: str) -> bool:
    """A session that ended before its villager finished: if it was registering or editing
    the profile, keep its state for a redial as long as an SMS conversation waits, send one
    SMS saying so (once per session), and let an SMS `1` finish a registration. True when
    the SMS was written."""
    store = UssdSessions(svc.redis, svc.settings["USSD_SESSION_TTL"],
                         svc.settings["USSD_RESUME_TTL"])
    record = store.record(session_id)
    if record is None or record.phone != phone or record.end:
        return False
    left = ussd.dropped(record.state)
    if left is None or not store.first_end_notice(session_id):
        return False
    mode, lang, draft = left
    # No snapshot: the villager already redialled (and took it), or it expired.
    if not store.keep_snapshot(phone, svc.settings["SMS_CONVERSATION_TTL"]):
        return False
    if draft.get("sms_consent") is False:  # they said no to SMS: the redial still resumes
        return False
    with svc.sessions.begin() as db:
        contact = contact_for(db, phone)
        text = templated(contact.language or lang, f"ussd_dropped_{mode}", code=service_code)
        written = add_message(db, contact, text, kind="ussd_dropped",
                              channel=svc.settings["SMS_PROVIDER"])
    if written is not None and mode == "register":
        hand_over(svc, phone, sms.take_over(draft, lang))
    return written is not None


def turn(svc: Services, session_id: str, phone: str, text: str) -> tuple[str, bool]:
    """Run the conversation one step and keep the session; returns (screen, end).

    Africa's Talking's callback and the console's phone simulator both call it.
    """
    store = UssdSessions(svc.redis, svc.settings["USSD_SESSION_TTL"],
                         svc.settings["USSD_RESUME_TTL"])
    with store.turn(session_id) as session:
        if session is not None:
            if session.phone != phone:
                raise OutOfStep("phone changed within a session")
            new_input = session.new_input(text)
            if new_input is None or session.end:  # a repeated request: show the same screen
                return session.screen, session.end
        profile = session.profile if session else None
        # The menu reads in one transaction; its effects, which check again what they
        # change, are written in another: on SQLite the reading takes no writer's turn.
        with svc.readers() as db:
            catalog = DbCatalog.for_phone(db, svc.settings, phone,
                                          Profile.from_json(profile) if profile else None)
            if session is None:
                step, profile = _first_step(svc, store, db, catalog, phone, text)
            else:
                step = ussd.step(session.state, new_input or "", catalog)
        if step.effects:
            with svc.sessions.begin() as db:
                contact = contact_for(db, phone)
                applied = apply_effects(db, contact, step.effects, via="ussd",
                                        channel=svc.settings["SMS_PROVIDER"],
                                        today=catalog.today(), settings=svc.settings)
                language = contact.language or svc.settings["DEFAULT_LANGUAGE"]
            if any(isinstance(effect, ReportProblem) for effect in step.effects):
                # Only now does the case have a number: the last screen shows it.
                step = replace(step, screen=problem.reported(language, applied.cases))
        for effect in step.effects:  # what matches jobs for the rest of the session
            if isinstance(effect, Register | UpdateProfile):
                profile = effect.profile.to_json()
        store.save(session_id, UssdSession(phone, text, step.state, step.screen, step.end,
                                           profile), resumable=ussd.is_resumable(step.state))
    return step.screen, step.end


def _first_step(svc: Services, store: UssdSessions, db: Session, catalog: DbCatalog, phone: str,
                text: str) -> tuple[Step, dict[str, Any] | None]:
    """A new session: offer to resume a dropped one, or begin; feed a dial string's extra input.

    Returns the step and the caller's profile (None: not registered).
    """
    contact = conversation_of(db, phone, svc.settings["DEFAULT_LANGUAGE"])
    catalog.profile = contact.profile
    snapshot = store.take_snapshot(phone)
    step = ussd.resume(snapshot, catalog) if snapshot is not None else ussd.begin(contact, catalog)
    if text:
        later = ussd.step(step.state, text, catalog)
        step = Step(later.screen, later.state, step.effects + later.effects, later.end)
    return step, contact.profile.to_json() if contact.profile else None
