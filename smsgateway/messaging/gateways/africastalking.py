"""Africa's Talking: inbound SMS, delivery reports and sending.

We call the messaging API with `requests` rather than the `africastalking` SDK:
it is one documented form POST, and the SDK has neither a timeout nor a base-URL
option (it once hung a user's system when the API stalled).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import requests

from . import (
    Answer,
    BadInbound,
    InboundSms,
    PermanentSendError,
    StatusReport,
    TransientSendError,
    WebRequest,
    network_error,
    token_ok,
)

# Delivery report status → ours; None: still on its way.
STATUS_MAP: dict[str, str | None] = {
    "Sent": "sent",
    "Submitted": "sent",
    "Buffered": "sent",
    "Success": "delivered",
    "Failed": "failed",
    "Rejected": "failed",
    "Expired": "failed",
}

BLACKLISTED = "UserInBlackList"  # the subscriber blocks promotional SMS: treat as opted out
RETRY_STATUSES = {"InternalServerError", "RiskHold", "CouldNotRoute"}


# AT's `date`: `2017-05-03T06:04:45Z` or `2017-05-03 06:04:45`, seconds required.
DATE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")


def parse_date(text: str) -> datetime:
    """AT's `date` as a datetime, or BadInbound."""
    text = text.strip()
    try:
        if not DATE.fullmatch(text):
            raise ValueError(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadInbound(f"date is not a timestamp: {text!r}") from exc


def parse_inbound(form: Mapping[str, str]) -> InboundSms:
    """The message in an AT inbound SMS callback (`id, text, from, to, date, linkId`)."""
    missing = [f for f in ("id", "from", "date") if not form.get(f, "").strip()]
    if missing or "text" not in form:
        raise BadInbound(f"missing fields: {', '.join(missing or ['text'])}")
    parse_date(form["date"])
    return InboundSms(provider_message_id=form["id"].strip(), phone=form["from"].strip(),
                      body=form["text"])


def parse_status(form: Mapping[str, str]) -> StatusReport:
    """AT's delivery report (`id`, `status`, `failureReason`…)."""
    message_id, status = form.get("id", "").strip(), form.get("status", "")
    if not message_id or not status:
        raise BadInbound("id and status are required")
    if status not in STATUS_MAP:
        raise BadInbound(f"unknown status {status!r}")
    reason = form.get("failureReason") or None
    return StatusReport(message_id, STATUS_MAP[status], reason, reason,
                        opted_out=reason == BLACKLISTED)


class AfricasTalkingGateway:
    """Africa's Talking as a `Gateway`: a `?token=` secret; replies go through the outbox
    (AT cannot carry a reply in the answer to an SMS callback)."""

    name = "africastalking"
    status_path = "delivery"
    replies_inline = False
    credential: str | None = "AT_USERNAME"
    # An aggregator over SMPP: carriers behind it pass the GSM-7 `@` (code 0) on as NUL.
    nul_is_at = True
    body_format = "form"

    def verify(self, request: WebRequest, settings: Mapping[str, Any]) -> bool:
        return token_ok(request, settings["AT_CALLBACK_TOKEN"])

    def parse_inbound(self, form: Mapping[str, str]) -> InboundSms:
        return parse_inbound(form)

    def parse_status(self, form: Mapping[str, str]) -> StatusReport | None:
        return parse_status(form)

    def answer_inbound(self, reply: str | None, duplicate: bool) -> Answer:
        return Answer("duplicate\n" if duplicate else "accepted\n")

    def answer_status(self) -> Answer:
        return Answer("ok\n")

    def forbidden(self) -> Answer:
        return Answer("forbidden\n", 403)

    def sender(self, settings: Mapping[str, Any]) -> AfricasTalkingSender:
        return AfricasTalkingSender(settings)


class AfricasTalkingSender:
    """Sends one message with AT's bulk SMS API, always with a timeout."""

    name = "africastalking"

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.url = str(settings["AT_API_BASE"]).rstrip("/") + "/version1/messaging"
        self.username = settings["AT_USERNAME"]
        self.api_key = settings["AT_API_KEY"]
        self.sender_id = settings["AT_SENDER_ID"]
        self.timeout = float(settings["PROVIDER_TIMEOUT"])

    def send(self, phone: str, body: str) -> str:
        """POST the message; return AT's messageId."""
        form = {"username": self.username, "to": phone, "message": body,
                "bulkSMSMode": "1", "enqueue": "1"}
        if self.sender_id:
            form["from"] = self.sender_id
        headers = {"apiKey": str(self.api_key), "Accept": "application/json"}
        try:
            response = requests.post(self.url, data=form, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise network_error(exc) from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientSendError(str(response.status_code), response.text[:200])
        if response.status_code >= 400:
            raise PermanentSendError(str(response.status_code), response.text[:200])
        try:
            recipient = response.json()["SMSMessageData"]["Recipients"][0]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            reason = f"unreadable answer: {response.text[:200]}"
            raise PermanentSendError("response", reason) from exc
        status = str(recipient.get("status", ""))
        if status == "Success":
            return str(recipient["messageId"])
        code = str(recipient.get("statusCode", status))
        if status == BLACKLISTED:
            raise PermanentSendError(code, status, opted_out=True, opt_out_reason=BLACKLISTED)
        if status in RETRY_STATUSES:
            raise TransientSendError(code, status)
        raise PermanentSendError(code, status or "no status")


GATEWAY = AfricasTalkingGateway()
