"""At most once on ambiguous failures: a request that never left is retried; one that left and
got no answer (a hang past PROVIDER_TIMEOUT, a reset connection) fails as `interrupted` and is
never sent again, by RQ's retry or by the sweep. Real workers, the Twilio SDK and AT's API
against local servers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from smsgateway.messaging import jobpaths
from smsgateway.messaging.outbox import add_message, enqueue
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.services import services

from . import providers
from .conftest import run_worker

PHONE = "+8613812345678"
PATHS = {"twilio": providers.TWILIO_MESSAGES, "africastalking": providers.AT_MESSAGING}


def _app(app_factory, provider: str, base: str):
    return app_factory(SMS_PROVIDER=provider, TWILIO_API_BASE=base, AT_API_BASE=base,
                       AT_USERNAME="sandbox", AT_API_KEY="key", PROVIDER_TIMEOUT=1.0,
                       QUEUED_GRACE=0, SENDING_TIMEOUT=0)


def _queue_one(app) -> int:
    svc = services(app)
    with svc.sessions.begin() as db:
        contact = Contact(phone=PHONE)
        db.add(contact)
        message = add_message(db, contact, "你好", kind="broadcast",
                              channel=svc.settings["SMS_PROVIDER"])
    assert message is not None
    return message.id


def _row(app, message_id: int) -> Message:
    with services(app).sessions() as db:
        return db.get_one(Message, message_id)


def _sweep_and_work(app, message_id: int) -> None:
    """What could send it again: the sweep (no grace), a second enqueue, RQ's retries."""
    services(app).queue("schedules").enqueue(jobpaths.SWEEP, job_id=jobpaths.SWEEP_JOB_ID)
    run_worker(app)
    enqueue(services(app), message_id)
    run_worker(app)


@pytest.mark.parametrize("provider", ["twilio", "africastalking"])
def test_a_provider_that_hangs_past_the_timeout_receives_one_request(app_factory, httpserver,
                                                                    provider):
    """The provider answers after 2.5 s, our timeout is 1 s: failed `interrupted`, and however
    the sweep and the queues go on, the provider saw exactly one request."""
    httpserver.expect_request(PATHS[provider], method="POST").respond_with_handler(
        providers.hang(2.5))
    app = _app(app_factory, provider, httpserver.url_for("/").rstrip("/"))
    message_id = _queue_one(app)
    run_worker(app)
    row = _row(app, message_id)
    assert (row.status, row.error_code, row.attempts) == (MessageStatus.FAILED, "interrupted", 1)
    _sweep_and_work(app, message_id)
    assert ScheduledJobRegistry("messages", connection=services(app).redis).get_job_ids() == []
    time.sleep(2.0)  # the hanging answer finishes, so its request is in the log
    assert len(httpserver.log) == 1
    assert _row(app, message_id).status == MessageStatus.FAILED


@pytest.fixture
def resetting_server() -> Iterator[tuple[str, list[bytes]]]:
    """A server that reads each request and closes the connection without an answer."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    received: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(2)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        data += connection.recv(65536)
                except OSError:
                    pass
                received.append(data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", received
    listener.close()


@pytest.mark.parametrize("provider", ["twilio", "africastalking"])
def test_a_connection_reset_after_the_request_is_not_sent_again(app_factory, resetting_server,
                                                                provider):
    """The request was written, the connection closed with no answer: `interrupted`, once."""
    base, received = resetting_server
    app = _app(app_factory, provider, base)
    message_id = _queue_one(app)
    run_worker(app)
    row = _row(app, message_id)
    assert (row.status, row.error_code) == (MessageStatus.FAILED, "interrupted")
    _sweep_and_work(app, message_id)
    assert len(received) == 1 and PATHS[provider].encode() in received[0]


@pytest.mark.parametrize("provider", ["twilio", "africastalking"])
def test_a_refused_connection_is_retried(app_factory, provider):
    """Nothing listens: the request never left, so the row goes back to queued with a retry
    scheduled (RQ's growing delays)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: connections are refused
    app = _app(app_factory, provider, f"http://127.0.0.1:{port}")
    message_id = _queue_one(app)
    run_worker(app)
    row = _row(app, message_id)
    assert (row.status, row.error_code) == (MessageStatus.QUEUED, "network")
    registry = ScheduledJobRegistry("messages", connection=services(app).redis)
    assert f"send-message-{message_id}" in registry.get_job_ids()
    with services(app).sessions() as db:
        assert db.scalars(select(Message.status)).all() == [MessageStatus.QUEUED]
