"""SMS webhooks: Twilio and Africa's Talking inbound messages and delivery reports."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from ..conversation.inbound import receive
from ..kernel.phones import BadPhone, to_e164
from ..messaging.delivery import record_status
from ..messaging.gateways import BadInbound, africastalking, twilio
from ..services import services
from .auth import callback_token_ok, twilio_signed

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")


def _twiml(text: str | None) -> Response:
    return Response(twilio.render_reply(text or ""), mimetype="text/xml")


@bp.post("/twilio")
def twilio_inbound() -> Response | tuple[str, int]:
    """A villager's SMS via Twilio: signed, de-duplicated on MessageSid, answered in TwiML."""
    if not twilio_signed():
        return "invalid signature\n", 403
    try:
        message = twilio.parse_inbound(request.form)
        phone = to_e164(message.phone, services().settings["DEFAULT_REGION"])
    except (BadInbound, BadPhone) as exc:
        return f"{exc}\n", 400
    outcome = receive(services(), "twilio", message, phone, reply_inline=True)
    return _twiml(outcome.reply)


@bp.post("/twilio/status")
def twilio_status() -> Response | tuple[str, int]:
    """Twilio's status callback for a message we sent."""
    if not twilio_signed():
        return "invalid signature\n", 403
    sid, status = request.form.get("MessageSid"), request.form.get("MessageStatus")
    if not sid or not status:  # Twilio always sends both; nothing to act on
        return _twiml(None)
    if status not in twilio.STATUS_MAP:
        return f"unknown MessageStatus {status!r}\n", 400
    ours, code = twilio.STATUS_MAP[status], request.form.get("ErrorCode") or None
    if ours is not None:
        with services().sessions.begin() as db:
            record_status(db, services().redis, sid, ours, code,
                          f"Twilio error {code}" if code else None,
                          opted_out=code == str(twilio.OPTED_OUT))
    return _twiml(None)


@bp.post("/africastalking")
def africastalking_inbound() -> tuple[str, int]:
    """A villager's SMS via Africa's Talking; the reply goes through the outbox."""
    if not callback_token_ok():
        return "forbidden\n", 403
    try:
        message = africastalking.parse_inbound(request.form)
        phone = to_e164(message.phone, services().settings["DEFAULT_REGION"])
    except (BadInbound, BadPhone) as exc:
        return f"{exc}\n", 400
    outcome = receive(services(), "africastalking", message, phone, reply_inline=False)
    return ("duplicate\n" if outcome.duplicate else "accepted\n"), 200


@bp.post("/africastalking/delivery")
def africastalking_delivery() -> tuple[str, int]:
    """Africa's Talking's delivery report for a message we sent."""
    if not callback_token_ok():
        return "forbidden\n", 403
    message_id, status = request.form.get("id", "").strip(), request.form.get("status", "")
    if not message_id or not status:
        return "id and status are required\n", 400
    if status not in africastalking.STATUS_MAP:
        return f"unknown status {status!r}\n", 400
    ours = africastalking.STATUS_MAP[status]
    reason = request.form.get("failureReason") or None
    if ours is not None:
        with services().sessions.begin() as db:
            record_status(db, services().redis, message_id, ours, reason, reason,
                          opted_out=reason == africastalking.BLACKLISTED)
    return "ok\n", 200
