"""The phone simulator: an officer plays a villager's phone against the real menus.

USSD turns go through `web.ussd.turn`, the function Africa's Talking's callback runs
(sessions kept in Redis, effects written, SMS queued); texts go through `inbound.receive`,
what both SMS webhooks run, as a gateway named `simulator` answering inline. So whatever
a real session would write (a registration, an application, a case), this writes too, and
the SMS the line sends to the number are real outbox rows shown in the phone's inbox.
An officer plays only phones not registered yet or of villagers of their area
(`access.phone`); any other answers 404, its thread unseen.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import flash, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from menus.budget import sms_segments, ussd_length
from menus.texts import t

from .. import access
from ..access import STAFF
from ..conversation.inbound import receive
from ..conversation.ussd_sessions import OutOfStep
from ..kernel.phones import BadPhone, to_e164
from ..messaging.gateways import InboundSms
from ..models import InboundMessage, Message, User
from ..services import services
from ..web.ussd import turn
from . import _, page

GATEWAY = "simulator"
INBOX = 12  # messages shown in the phone's SMS thread


def _thread(phone: str) -> list[dict[str, Any]]:
    """The phone's SMS thread: what it sent and what the line sent it, oldest first."""
    with services().readers() as db:
        sent = db.execute(select(InboundMessage.received_at, InboundMessage.body)
                          .where(InboundMessage.phone == phone)
                          .order_by(InboundMessage.id.desc()).limit(INBOX)).all()
        received = db.execute(select(Message.created_at, Message.body, Message.status)
                              .where(Message.phone == phone)
                              .order_by(Message.id.desc()).limit(INBOX)).all()
    items = [{"at": at, "body": body, "mine": True, "segments": sms_segments(body)}
             for at, body in sent]
    items += [{"at": at, "body": body, "mine": False, "status": status.value,
               "segments": sms_segments(body)} for at, body, status in received]
    return sorted(items, key=lambda item: item["at"])[-INBOX:]


def _may_play(user: User, phone: str) -> None:
    """Only a phone not registered yet, or a villager's of the officer's area (else 404)."""
    with services().readers() as db:
        access.phone(db, user, phone)


def _ussd(phone: str, session_id: str, history: str) -> tuple[str, bool]:
    svc = services()
    try:
        return turn(svc, session_id, phone, history)
    except OutOfStep:  # as the callback answers it
        return t(svc.settings["DEFAULT_LANGUAGE"], "ussd_out_of_step"), True


@page("/simulator", methods=("GET", "POST"), roles=STAFF, own_transactions=True)
def simulator(db: None, user: User) -> ResponseReturnValue:
    """A basic phone: dial the USSD code and press keys, or send an SMS."""
    form = request.form
    state: dict[str, Any] = {"phone": form.get("phone", request.args.get("phone", "")),
                             "session_id": form.get("session_id", ""),
                             "history": form.get("history", ""), "screen": "", "end": True}
    action = form.get("action")
    if request.method == "POST" and action:
        try:
            phone = to_e164(state["phone"], services().settings["DEFAULT_REGION"])
        except BadPhone as bad:
            flash(f"{_('sim_phone')}: {bad}", "error")
            return render_template("console/simulator.html", s=state, thread=[])
        state["phone"] = phone
        _may_play(user, phone)
        if action == "dial":
            state["session_id"] = f"sim-{secrets.token_hex(6)}"
            state["history"] = ""
            state["screen"], state["end"] = _ussd(phone, state["session_id"], "")
        elif action == "press" and state["session_id"]:
            entry = form.get("entry", "").strip()
            state["history"] = f"{state['history']}*{entry}" if state["history"] else entry
            state["screen"], state["end"] = _ussd(phone, state["session_id"], state["history"])
        elif action == "sms" and form.get("body", "").strip():
            message = InboundSms(f"sim-{secrets.token_hex(8)}", phone, form["body"])
            receive(services(), GATEWAY, message, phone, reply_inline=True)
    if state["screen"]:
        state["used"], state["allowed"] = ussd_length(state["screen"])
    thread = []
    if state["phone"].startswith("+"):
        _may_play(user, state["phone"])
        thread = _thread(state["phone"])
    return render_template("console/simulator.html", s=state, thread=thread)
