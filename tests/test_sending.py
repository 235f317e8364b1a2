"""The send job: real RQ worker, the real Twilio SDK and AT's HTTP API against local servers."""

from __future__ import annotations

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from smsgateway.messaging.outbox import add_message, enqueue
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.services import services

from . import providers
from .conftest import run_worker

PHONE = "+8613812345678"


@pytest.fixture
def at_app(app_factory, httpserver):
    """An app sending through Africa's Talking's API to a local server."""
    return app_factory(SMS_PROVIDER="africastalking", AT_USERNAME="sandbox", AT_API_KEY="key",
                       AT_SENDER_ID="JOBLINE", AT_API_BASE=httpserver.url_for("/").rstrip("/"),
                       PROVIDER_TIMEOUT=10.0)


def _queue_one(app, body="你好", channel=None):
    svc = services(app)
    with svc.sessions.begin() as db:
        contact = Contact(phone=PHONE)
        db.add(contact)
        message = add_message(db, contact, body, kind="broadcast",
                              channel=channel or svc.settings["SMS_PROVIDER"])
    return message.id


def _message(app, message_id):
    with services(app).sessions() as db:
        return db.get(Message, message_id), db.scalars(select(Contact)).one()


def test_twilio_success_marks_sent_with_the_sid(twilio_app, httpserver):
    """201 from Twilio: the row is sent, keeps the SID, and the request carried our text."""
    created = providers.twilio_created("SM" + "1" * 32)
    httpserver.expect_oneshot_request(providers.TWILIO_MESSAGES, method="POST"
                                      ).respond_with_handler(created)
    message_id = _queue_one(twilio_app, "欢迎使用")
    run_worker(twilio_app)
    message, _ = _message(twilio_app, message_id)
    assert message.status == MessageStatus.SENT
    assert message.provider_message_id == "SM" + "1" * 32
    request, _response = httpserver.log[0]
    assert request.form["To"] == PHONE and request.form["Body"] == "欢迎使用"


def test_a_duplicated_job_sends_once(twilio_app, httpserver):
    """The same message enqueued twice reaches the provider once (guarded claim)."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    message_id = _queue_one(twilio_app)
    services(twilio_app).queue("messages").enqueue("workers.sending.send_message", message_id)
    run_worker(twilio_app)
    assert len(httpserver.log) == 1
    assert _message(twilio_app, message_id)[0].status == MessageStatus.SENT


def test_twilio_21610_fails_and_opts_the_villager_out(twilio_app, httpserver):
    """The recipient unsubscribed: failed with the code, villager opted out, no retry."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"))
    message_id = _queue_one(twilio_app)
    run_worker(twilio_app)
    message, contact = _message(twilio_app, message_id)
    assert message.status == MessageStatus.FAILED and message.error_code == "21610"
    assert "unsubscribed" in message.error_reason
    assert contact.opted_out
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("handler, code", [
    (providers.twilio_error(429, 20429, "Too Many Requests"), "20429"),
    (providers.twilio_error(500, 20500, "Internal Server Error"), "20500"),
])
def test_transient_twilio_errors_leave_the_row_queued_for_a_retry(twilio_app, httpserver,
                                                                   handler, code):
    """Throttling and 5xx: back to queued, a retry scheduled."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST"
                              ).respond_with_handler(handler)
    message_id = _queue_one(twilio_app)
    run_worker(twilio_app)
    message, contact = _message(twilio_app, message_id)
    assert message.status == MessageStatus.QUEUED and message.error_code == code
    assert message.attempts == 1 and not contact.opted_out
    registry = ScheduledJobRegistry("messages", connection=services(twilio_app).redis)
    assert f"send-message-{message_id}" in registry.get_job_ids()


def test_other_twilio_4xx_fails_with_the_reason(twilio_app, httpserver):
    """A permanent error is not retried; the provider's words are kept for officers."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_error(400, 21211, "The 'To' number is not a valid phone number."))
    message_id = _queue_one(twilio_app)
    run_worker(twilio_app)
    message, _ = _message(twilio_app, message_id)
    assert message.status == MessageStatus.FAILED and message.error_code == "21211"
    assert "not a valid phone number" in message.error_reason


def test_africastalking_success_sends_the_documented_form(at_app, httpserver):
    """AT gets username, to, message, from, bulkSMSMode and enqueue, with the apiKey header."""
    httpserver.expect_request(providers.AT_MESSAGING, method="POST").respond_with_handler(
        providers.at_answer("Success", 101, "ATXid_42"))
    message_id = _queue_one(at_app, "Welcome")
    run_worker(at_app)
    message, _ = _message(at_app, message_id)
    assert message.status == MessageStatus.SENT and message.provider_message_id == "ATXid_42"
    request, _response = httpserver.log[0]
    assert request.headers["apiKey"] == "key"
    assert dict(request.form) == {"username": "sandbox", "to": PHONE, "message": "Welcome",
                                  "from": "JOBLINE", "bulkSMSMode": "1", "enqueue": "1"}


def test_africastalking_blacklist_opts_out(at_app, httpserver):
    """UserInBlackList: the subscriber blocks us; failed and opted out."""
    httpserver.expect_request(providers.AT_MESSAGING, method="POST").respond_with_handler(
        providers.at_answer("UserInBlackList", 406))
    message_id = _queue_one(at_app)
    run_worker(at_app)
    message, contact = _message(at_app, message_id)
    assert message.status == MessageStatus.FAILED and contact.opted_out


def test_console_provider_marks_sent_with_a_local_id(app):
    """The default provider sends nothing out but records the message as sent, once."""
    message_id = _queue_one(app, "hello", channel="console")
    enqueue(services(app), message_id)  # a second enqueue of the same job id is harmless
    run_worker(app)
    message, _ = _message(app, message_id)
    assert message.status == MessageStatus.SENT
    assert message.provider_message_id.startswith("console-")


@pytest.mark.parametrize("handler, code", [
    (providers.twilio_error(500, 0, "Internal Server Error"), "500"),
    (providers.twilio_error(429, 0, "Too Many Requests"), "429"),
])
def test_transient_africastalking_errors_leave_the_row_queued(at_app, httpserver, handler, code):
    """AT's 5xx and 429: back to queued for RQ's retry."""
    httpserver.expect_request(providers.AT_MESSAGING, method="POST").respond_with_handler(handler)
    message_id = _queue_one(at_app)
    run_worker(at_app)
    message, contact = _message(at_app, message_id)
    assert message.status == MessageStatus.QUEUED and message.error_code == code
    assert not contact.opted_out
