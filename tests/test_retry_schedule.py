"""A broadcast row the provider refuses for now is tried again after 10 s, 60 s and 300 s, as
the README says, then fails with the reason: real burst workers with the scheduler at a
frozen clock, the Twilio SDK against a local server answering 503."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from rq import Worker
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from menus.types import Profile
from smsgateway.messaging.outbox import send_job_id
from smsgateway.models import Message, MessageStatus
from smsgateway.services import QUEUE_NAMES, services
from smsgateway.villagers.records import contact_for, register

from . import providers
from .api import account

START = datetime(2027, 3, 2, 4, 0, tzinfo=UTC)  # noon in Lincang


def test_a_broadcast_row_is_retried_after_10_60_and_300_seconds(app_factory, httpserver):
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_error(503, 20503, "Service Unavailable"))
    app = app_factory(SMS_PROVIDER="twilio", TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"),
                      PROVIDER_TIMEOUT=10.0)
    svc = services(app)
    registry = ScheduledJobRegistry("messages", connection=svc.redis)

    def work() -> None:
        Worker([svc.queue(name) for name in QUEUE_NAMES], connection=svc.redis).work(
            burst=True, with_scheduler=True)

    def row() -> Message:
        with svc.sessions() as db:
            return db.scalars(select(Message)).one()

    with time_machine.travel(START, tick=False) as clock:
        with svc.sessions.begin() as db:
            register(db, contact_for(db, "+8613750000001"),
                     Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True, "zh"),
                     via="ussd", channel="twilio", notify=False)
        created = app.test_client().post("/api/v1/broadcasts", headers=account(app, "a", "admin"),
                                         json={"text_zh": "明天上午9点在德党镇集合。"})
        assert created.status_code == 201
        work()  # fan-out and the batch: the first attempt
        tried_at = START
        for attempt, delay in ((1, 10), (2, 60), (3, 300)):
            message = row()
            assert (message.status, message.attempts) == (MessageStatus.QUEUED, attempt)
            job_id = send_job_id(message.id)
            assert registry.get_scheduled_time(job_id) == tried_at + timedelta(seconds=delay)
            clock.move_to(tried_at + timedelta(seconds=delay - 1))
            work()
            assert row().attempts == attempt  # not before its time
            tried_at += timedelta(seconds=delay)
            clock.move_to(tried_at)
            work()
        message = row()
        assert (message.status, message.attempts) == (MessageStatus.FAILED, 4)
        assert message.error_code == "20503" and "after 4 attempts" in message.error_reason
        assert len(httpserver.log) == 4
