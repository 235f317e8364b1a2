"""Replay the gateway conformance vectors (real webhook payloads) against our SMS routes.

See ../shared/conformance/README.md: every `core` case is posted as-is; Twilio cases are
signed over PUBLIC_BASE_URL; status cases get an outbound message seeded first.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from smsgateway.models import Contact, InboundMessage, Message, MessageStatus

from .conftest import PUBLIC_BASE_URL, TWILIO_TOKEN

# A copy of shared/conformance/gateway-vectors.json (its README beside it), so CI has it.
VECTORS = Path(__file__).parent / "data" / "gateway-vectors.json"
CASES = [c for c in json.loads(VECTORS.read_text(encoding="utf-8"))["cases"] if c["core"]]
ROUTES = {
    "twilio_receive": "/sms/twilio",
    "twilio_status": "/sms/twilio/status",
    "at_receive": "/sms/africastalking",
    "at_status": "/sms/africastalking/delivery",
}
# Courier's status letters → ours. Read receipts count as delivered; courier's E (63018,
# "errored, retried") is a failure with its code kept until the messaging engine retries it.
LETTERS = {"S": MessageStatus.SENT, "D": MessageStatus.DELIVERED, "R": MessageStatus.DELIVERED,
           "F": MessageStatus.FAILED, "E": MessageStatus.FAILED}


def _seed_outbound(db, case):
    """The message a status callback reports on, already sent, to the callback's `To`."""
    phone = case["fields"].get("To", "").strip()
    phone = phone if phone.startswith("+") else "+8613900000000"
    contact = Contact(phone=phone)
    db.add(contact)
    for status in case["expected"].get("statuses", []):
        db.add(Message(contact=contact, phone=phone, body="hello", segments=1, kind="test",
                       channel="twilio", status=MessageStatus.SENT,
                       provider_message_id=_provider_id(case, status)))
    db.commit()


def _provider_id(case, status):
    """The id a status names; courier's `?uuid=` cases name our message by its MessageSid."""
    return status.get("external_id") or case["fields"]["MessageSid"]


def _post(client, case):
    route = ROUTES[case["kind"]]
    query = dict(case.get("query") or {})
    path = route + (f"?{urlencode(query)}" if query else "")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if case.get("signature") == "valid":
        signer = RequestValidator(TWILIO_TOKEN)
        headers["X-Twilio-Signature"] = signer.compute_signature(PUBLIC_BASE_URL + path,
                                                                 case["fields"])
    elif case.get("signature") == "invalid":
        headers["X-Twilio-Signature"] = case.get("signature_header_value", "invalidsig")
    return client.post(path, data=case["raw_body"].encode("utf-8"), headers=headers)


def _counts(db):
    return (db.scalar(select(func.count()).select_from(InboundMessage)),
            db.scalar(select(func.count()).select_from(Message)),
            db.scalar(select(func.count()).select_from(Contact)))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_conformance_case(client, db, case):
    """Our answer agrees with the mature gateway's: accepted, ignored or rejected."""
    if case["kind"].endswith("_status"):
        _seed_outbound(db, case)
    before = _counts(db)
    response = _post(client, case)
    db.expire_all()

    if case["outcome"] == "rejected":
        assert 400 <= response.status_code < 500, response.data
        assert _counts(db) == before
        return
    assert 200 <= response.status_code < 300, response.data
    if case["outcome"] == "ignored":
        assert _counts(db) == before
        return
    expected = case["expected"]
    if "external_id" in expected:  # an inbound message, kept once
        inbound = db.scalars(select(InboundMessage).where(
            InboundMessage.provider_message_id == expected["external_id"])).one()
        assert inbound.phone == expected["urn"].removeprefix("tel:")
        if case["id"] != "twilio_receive.receive-base64":  # courier's heuristic, not ours
            assert inbound.body == (expected["text"] or "")  # media without a Body: no text
    for status in expected.get("statuses", []):
        message = db.scalars(select(Message).where(
            Message.provider_message_id == _provider_id(case, status))).one()
        assert message.status == LETTERS[status["status"]]
    for event in expected.get("events", []):
        assert event["type"] == "stop_contact"
        phone = event["urn"].removeprefix("tel:")
        assert db.scalars(select(Contact).where(Contact.phone == phone)).one().opted_out
