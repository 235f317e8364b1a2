"""POST /sms/twilio: signatures, de-duplication, TwiML, size limits."""

from __future__ import annotations

from sqlalchemy import func, select

from smsgateway.models import Contact, InboundMessage, Message

from .sign import twilio_post, twilio_sms

PHONE = "+8613812345678"


def _stored(db):
    db.expire_all()
    return tuple(db.scalar(select(func.count()).select_from(t))
                 for t in (InboundMessage, Message, Contact))


def test_forged_signature_gets_403_and_stores_nothing(client, db):
    """Signed with another token: refused, no row anywhere."""
    response = twilio_post(client, "/sms/twilio", twilio_sms("SM1", PHONE, "REG"), token="forged")
    assert response.status_code == 403
    assert _stored(db) == (0, 0, 0)


def test_missing_signature_gets_403_and_stores_nothing(client, db):
    """No X-Twilio-Signature header at all: refused."""
    response = twilio_post(client, "/sms/twilio", twilio_sms("SM1", PHONE, "REG"), signature="")
    assert response.status_code == 403
    assert _stored(db) == (0, 0, 0)


def test_signature_is_checked_against_the_public_base_url(client, db):
    """Signed over the URL the test client used (not PUBLIC_BASE_URL): refused."""
    response = twilio_post(client, "/sms/twilio", twilio_sms("SM1", PHONE, "HELP"),
                           base="http://localhost")
    assert response.status_code == 403
    assert _stored(db) == (0, 0, 0)


def test_valid_message_is_kept_and_answered_in_twiml(client, db):
    """A signed HELP: stored once, a TwiML <Message> back, the reply recorded as sent."""
    response = twilio_post(client, "/sms/twilio", twilio_sms("SM1", PHONE, "HELP"))
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    body = response.get_data(as_text=True)
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>')
    inbound = db.scalars(select(InboundMessage)).one()
    assert (inbound.phone, inbound.body) == (PHONE, "HELP")
    reply = db.scalars(select(Message)).one()
    assert reply.channel == "twiml" and reply.status.value == "sent"
    assert reply.body in body


def test_repeated_message_sid_acts_once_and_answers_the_same(client, db):
    """Twilio's retry of the same MessageSid: one inbound row, one reply, the same TwiML."""
    form = twilio_sms("SM42", PHONE, "HELP")
    first = twilio_post(client, "/sms/twilio", form)
    second = twilio_post(client, "/sms/twilio", form)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    assert _stored(db) == (1, 1, 1)


def test_oversize_body_is_refused_before_anything_is_stored(client, db):
    """A body beyond the webhook limit: 413, nothing stored."""
    response = twilio_post(client, "/sms/twilio", twilio_sms("SM1", PHONE, "x" * 70_000))
    assert response.status_code == 413
    assert _stored(db) == (0, 0, 0)


def test_sender_that_is_not_a_phone_number_is_refused(client, db):
    """From=MTN is a network name, not a phone: 400, nothing stored."""
    response = twilio_post(client, "/sms/twilio", twilio_sms("SM1", "MTN", "HELP"))
    assert response.status_code == 400
    assert _stored(db) == (0, 0, 0)


def test_a_failure_while_answering_keeps_the_message_and_apologises(app_factory, db):
    """Redis is down (no conversation state, no lock): the SMS is still kept, and the
    villager gets an apology instead of silence."""
    client = app_factory(REDIS_URL="redis://127.0.0.1:1/0").test_client()
    form = twilio_sms("SMdown", PHONE, "注册 李明，男，1990，博尚镇")
    response = twilio_post(client, "/sms/twilio", form)
    assert response.status_code == 200 and "<Message>" in response.get_data(as_text=True)
    kept = db.scalars(select(InboundMessage)).one()
    assert (kept.provider_message_id, kept.body) == ("SMdown", "注册 李明，男，1990，博尚镇")
    assert kept.reply in response.get_data(as_text=True)
