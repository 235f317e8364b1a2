"""Delivery reports, the sweep, the loop guard and the send rate: nothing sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from smsgateway.db import utcnow
from smsgateway.messaging.outbox import add_message
from smsgateway.messaging.throttle import SendRate
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.services import services
from workers.sweep import sweep

from . import providers
from .conftest import run_worker
from .sign import twilio_post

PHONE = "+8613812345678"


def _queue(app, count=1, body="你好"):
    svc = services(app)
    with svc.sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == PHONE)).first()
        if contact is None:
            contact = Contact(phone=PHONE)
            db.add(contact)
        ids = [add_message(db, contact, body, kind="reply", channel=svc.settings["SMS_PROVIDER"]).id
               for _ in range(count)]
    return ids


def _rows(app):
    with services(app).sessions() as db:
        return db.scalars(select(Message).order_by(Message.id)).all()


def _status(client, sid, status, **extra):
    return twilio_post(client, "/sms/twilio/status",
                       {"MessageSid": sid, "MessageStatus": status, "To": PHONE, **extra})


@pytest.fixture
def patient_twilio_app(app_factory, httpserver):
    """Twilio through the SDK with a timeout long enough for the provider's answer to wait
    for a callback handled meanwhile (a loaded machine takes more than a second)."""
    return app_factory(SMS_PROVIDER="twilio", PROVIDER_TIMEOUT=15.0,
                       TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))


def test_a_report_that_arrives_before_the_send_returns_is_applied(patient_twilio_app,
                                                                  httpserver):
    """Twilio calls back `delivered` while our worker still waits for its answer."""
    twilio_app = patient_twilio_app
    client = twilio_app.test_client()
    sid = "SM" + "e" * 32

    def send_then_answer(request):
        assert _status(client, sid, "delivered").status_code == 200  # the early report
        return providers.twilio_created(sid)(request)

    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST"
                              ).respond_with_handler(send_then_answer)
    [message_id] = _queue(twilio_app)
    run_worker(twilio_app)
    [row] = _rows(twilio_app)
    assert (row.id, row.provider_message_id, row.status) == (message_id, sid,
                                                              MessageStatus.DELIVERED)


def test_reports_out_of_order_or_repeated_never_move_a_row_back(twilio_app, httpserver):
    """delivered, then late `sent` and `queued`, `delivered` again, then `undelivered`:
    the row stays delivered."""
    client = twilio_app.test_client()
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created("SM1"))
    _queue(twilio_app)
    run_worker(twilio_app)
    for status in ("delivered", "sent", "queued", "delivered"):
        assert _status(client, "SM1", status).status_code == 200
    assert _rows(twilio_app)[0].status == MessageStatus.DELIVERED
    assert _status(client, "SM1", "undelivered", ErrorCode="30003").status_code == 200
    assert _rows(twilio_app)[0].status == MessageStatus.DELIVERED


def test_undelivered_report_keeps_the_reason(twilio_app, httpserver):
    """A message the handset never got: undelivered, with Twilio's error code."""
    client = twilio_app.test_client()
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created("SM2"))
    _queue(twilio_app)
    run_worker(twilio_app)
    _status(client, "SM2", "undelivered", ErrorCode="30003")
    row = _rows(twilio_app)[0]
    assert (row.status, row.error_code) == (MessageStatus.UNDELIVERED, "30003")


def test_after_redis_lost_its_jobs_the_sweep_sends_each_message_once(app_factory, httpserver):
    """Queued rows whose jobs vanished with a flushed Redis are re-enqueued (as one batch
    job), each sent once; the next sweep leaves them their grace."""
    app = app_factory(SMS_PROVIDER="twilio", QUEUED_GRACE=60,
                      TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    ids = _queue(app, count=5)
    with services(app).sessions.begin() as db:  # queued well past the grace
        db.execute(update(Message).values(updated_at=utcnow() - timedelta(minutes=5)))
    services(app).redis.flushdb()  # Redis restarted without its data
    assert run_worker(app) == 0
    assert sweep() == {"requeued": 5, "settled": 0}
    assert services(app).queue("messages").count == 1  # one batch job, not five
    assert sweep() == {"requeued": 0, "settled": 0}  # within their grace again
    run_worker(app)
    assert len(httpserver.log) == 5
    assert [r.status for r in _rows(app)] == [MessageStatus.SENT] * len(ids)


def test_a_row_left_sending_by_a_killed_worker_fails_as_interrupted(app_factory, httpserver):
    """The documented policy: never resent (it may have gone), failed as interrupted."""
    app = app_factory(SENDING_TIMEOUT=60)
    [message_id] = _queue(app)
    with services(app).sessions.begin() as db:  # what a worker killed mid-send leaves
        db.execute(update(Message).where(Message.id == message_id).values(
            status=MessageStatus.SENDING, updated_at=utcnow() - timedelta(minutes=5)))
    assert sweep()["settled"] == 1
    row = _rows(app)[0]
    assert (row.status, row.error_code) == (MessageStatus.FAILED, "interrupted")
    run_worker(app)  # its job, if still queued, finds nothing to claim
    assert _rows(app)[0].status == MessageStatus.FAILED


def test_loop_guard_stops_the_21st_identical_text_within_five_minutes(twilio_app, httpserver):
    """20 identical texts go; the 21st is failed as a loop and never reaches the provider."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    _queue(twilio_app, count=21, body="Reply 1 if all is well")
    run_worker(twilio_app)
    rows = _rows(twilio_app)
    assert [r.status for r in rows].count(MessageStatus.SENT) == 20
    assert (rows[-1].status, rows[-1].error_code) == (MessageStatus.FAILED, "loop_guard")
    assert len(httpserver.log) == 20


class Clock:
    """Time that moves only when something sleeps."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_send_rate_holds_across_two_workers_sharing_redis(app):
    """Two workers' limiters share one count: 5/s between them, the rest wait a second."""
    clock = Clock(1000.25)
    redis = services(app).redis
    workers = [SendRate(redis, 5, clock=clock, sleep=clock.sleep) for _ in range(2)]
    turns = []
    for n in range(12):
        workers[n % 2].wait_for_turn()
        turns.append(int(clock()))
    assert turns == [1000] * 5 + [1001] * 5 + [1002] * 2
