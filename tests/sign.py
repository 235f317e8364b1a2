"""Requests as the providers send them: Twilio signed with its own validator class."""

from __future__ import annotations

from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from .conftest import PUBLIC_BASE_URL, TWILIO_TOKEN


def twilio_post(client, path, form, token=TWILIO_TOKEN, signature=None, base=PUBLIC_BASE_URL):
    """POST `form` to `path` signed as Twilio signs it (or with the given signature)."""
    headers = {}
    if signature is None:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(base + path, form)
    elif signature:
        headers["X-Twilio-Signature"] = signature
    return client.post(path, data=urlencode(form), headers=headers,
                       content_type="application/x-www-form-urlencoded")


def twilio_sms(sid, phone, body):
    """Twilio's inbound message form (the fields it always sends, and a few it adds)."""
    return {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": phone,
            "To": "+15005550006", "Body": body, "NumSegments": "1", "NumMedia": "0",
            "ApiVersion": "2010-04-01", "FromCountry": "CN"}


def at_sms(message_id, phone, text, date="2026-11-28T08:00:00Z"):
    """Africa's Talking's inbound SMS form."""
    return {"id": message_id, "text": text, "from": phone, "to": "21512", "date": date,
            "linkId": "0309044507580424"}


def ussd_form(session_id, phone, text, service="*384*1234#"):
    """Africa's Talking's USSD callback form."""
    return {"sessionId": session_id, "serviceCode": service, "phoneNumber": phone,
            "networkCode": "46000", "text": text}
