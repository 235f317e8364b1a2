"""Twilio Programmable Messaging: inbound form, signatures, TwiML, statuses, sending."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from . import (
    Answer,
    BadInbound,
    InboundSms,
    PermanentSendError,
    StatusReport,
    TransientSendError,
    WebRequest,
    network_error,
)

# Twilio's MessageStatus → ours; None: still on its way, nothing to record.
STATUS_MAP: dict[str, str | None] = {
    "queued": None,
    "accepted": None,
    "scheduled": None,
    "sending": None,
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
    "canceled": "failed",
}

OPTED_OUT = 21610  # "Attempt to send to unsubscribed recipient": stop the villager
RETRY_CODES = {20429, 63018}  # too many requests; rate limit exceeded for the channel


def signature_valid(url: str, form: Mapping[str, str], signature: str | None, token: str) -> bool:
    """True when `X-Twilio-Signature` signs this URL and form with our auth token."""
    if not signature or not token:
        return False
    return bool(RequestValidator(token).validate(url, dict(form), signature))


def parse_inbound(form: Mapping[str, str]) -> InboundSms:
    """The message in a Twilio inbound webhook; unknown fields are ignored."""
    sid, sender = form.get("MessageSid", "").strip(), form.get("From", "").strip()
    if not sid or not sender:
        raise BadInbound("MessageSid and From are required")
    # A message with media and no Body is valid: its text is empty.
    return InboundSms(provider_message_id=sid, phone=sender, body=form.get("Body", ""))


def render_reply(text: str) -> str:
    """TwiML that sends `text` back, or sends nothing when it is empty."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)


def parse_status(form: Mapping[str, str]) -> StatusReport | None:
    """Twilio's status callback; without a sid or a status there is nothing to act on."""
    sid, status = form.get("MessageSid"), form.get("MessageStatus")
    if not sid or not status:  # Twilio always sends both
        return None
    if status not in STATUS_MAP:
        raise BadInbound(f"unknown MessageStatus {status!r}")
    code = form.get("ErrorCode") or None
    return StatusReport(sid, STATUS_MAP[status], code, f"Twilio error {code}" if code else None,
                        opted_out=code == str(OPTED_OUT))


class TwilioGateway:
    """Twilio as a `Gateway`: signed webhooks, replies inline in TwiML."""

    name = "twilio"
    status_path = "status"
    replies_inline = True
    credential: str | None = "TWILIO_ACCOUNT_SID"
    nul_is_at = False  # Twilio hands us UTF-8 with `@` decoded: a NUL is noise
    body_format = "form"

    def verify(self, request: WebRequest, settings: Mapping[str, Any]) -> bool:
        return signature_valid(request.url, request.form,
                               request.headers.get("X-Twilio-Signature"),
                               str(settings["TWILIO_AUTH_TOKEN"] or ""))

    def parse_inbound(self, form: Mapping[str, str]) -> InboundSms:
        return parse_inbound(form)

    def parse_status(self, form: Mapping[str, str]) -> StatusReport | None:
        return parse_status(form)

    def answer_inbound(self, reply: str | None, duplicate: bool) -> Answer:
        return Answer(render_reply(reply or ""), mimetype="text/xml")

    def answer_status(self) -> Answer:
        return Answer(render_reply(""), mimetype="text/xml")

    def forbidden(self) -> Answer:
        return Answer("invalid signature\n", 403)

    def sender(self, settings: Mapping[str, Any]) -> TwilioSender:
        return TwilioSender(settings)


class TwilioSender:
    """Sends through Twilio's official SDK, with a timeout, at `TWILIO_API_BASE`."""

    name = "twilio"

    def __init__(self, settings: Mapping[str, Any]) -> None:
        http = TwilioHttpClient(timeout=float(settings["PROVIDER_TIMEOUT"]))
        self.client = Client(settings["TWILIO_ACCOUNT_SID"], settings["TWILIO_AUTH_TOKEN"],
                             http_client=http)
        self.client.api.base_url = str(settings["TWILIO_API_BASE"]).rstrip("/")
        self.messages = self.client.messages  # the SDK loads it lazily: once, here
        self.sender = str(settings["TWILIO_FROM"] or "")
        base = settings.get("PUBLIC_BASE_URL")
        # Twilio reports delivery only to a status callback named with each message.
        self.status_callback = f"{str(base).rstrip('/')}/sms/twilio/status" if base else None

    def send(self, phone: str, body: str) -> str:
        """Create the message; return its SID."""
        origin = ({"messaging_service_sid": self.sender} if self.sender.startswith("MG")
                  else {"from_": self.sender})
        try:
            if self.status_callback:
                origin["status_callback"] = self.status_callback
            message = self.messages.create(to=phone, body=body, **origin)
        except TwilioRestException as exc:
            code = str(exc.code or exc.status)
            if exc.code == OPTED_OUT:
                raise PermanentSendError(code, exc.msg, opted_out=True) from exc
            if exc.status == 429 or exc.status >= 500 or exc.code in RETRY_CODES:
                raise TransientSendError(code, exc.msg) from exc
            raise PermanentSendError(code, exc.msg) from exc
        except requests.RequestException as exc:  # timeouts, refused or reset connections
            raise network_error(exc) from exc
        return str(message.sid)


GATEWAY = TwilioGateway()
