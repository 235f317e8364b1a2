"""Quiet hours hold every message that does not answer a villager, at the send step, whoever
enqueued it; direct answers go at once. Real RQ burst workers with the scheduler and the
periodic sweep, at a frozen clock (time-machine), sending through the Twilio SDK to a local
Twilio-like server."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rq import Worker
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from menus.types import Profile
from smsgateway.cli import start_periodic_jobs
from smsgateway.kernel.quiet import before_quiet_hours, in_quiet_hours, landing_time, quiet_hours
from smsgateway.messaging.outbox import add_message
from smsgateway.models import Message, MessageStatus
from smsgateway.services import QUEUE_NAMES, services
from smsgateway.villagers.records import contact_for, register

from . import providers
from .api import account
from .sign import at_sms

LOCAL = ZoneInfo("Asia/Shanghai")
PHONES = ["+8613700000101", "+8613700000102", "+8613700000103"]
BODY = {"text_zh": "培训通知：12月1日在德党镇开课，免费。",
        "text_en": "Free training starts 1 Dec in Dedang."}


def _local(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=LOCAL)


@pytest.fixture
def night_app(app_factory, httpserver):
    """Twilio through the local server, quiet hours 21-8, the sweep's usual grace."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    return app_factory(SMS_PROVIDER="twilio", TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"),
                       PROVIDER_TIMEOUT=10.0, QUIET_HOURS="21-8", QUEUED_GRACE=120,
                       SWEEP_INTERVAL=60)


def _work(app) -> None:
    svc = services(app)
    Worker([svc.queue(name) for name in QUEUE_NAMES], connection=svc.redis).work(
        burst=True, with_scheduler=True)


def _sent_to(httpserver) -> list[str]:
    return [request.form["To"] for request, _ in httpserver.log]


def _statuses(app) -> dict[str, MessageStatus]:
    with services(app).sessions() as db:
        return {m.phone: m.status for m in db.scalars(select(Message))}


def _sweep_next_run(app) -> datetime:
    registry = ScheduledJobRegistry("schedules", connection=services(app).redis)
    return registry.get_scheduled_time("jobline-sweep")


def test_a_broadcast_at_night_stays_unsent_through_the_sweeps_and_goes_at_eight(
        night_app, httpserver):
    """00:25: written, held; the sweep runs at 00:25, 00:30, 01:00, 03:00 and 07:59 and sends
    nothing; at 08:00 each villager gets it once."""
    app = night_app
    with time_machine.travel(_local(0, 25), tick=False) as clock:
        with services(app).sessions.begin() as db:
            for phone in PHONES:
                register(db, contact_for(db, phone),
                         Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True,
                                 "zh"), via="ussd", channel="twilio", notify=False)
        created = app.test_client().post("/api/v1/broadcasts",
                                         headers=account(app, "admin", "admin"), json=BODY)
        assert created.status_code == 201, created.json
        start_periodic_jobs(services(app))
        for hour, minute in ((0, 25), (0, 30), (1, 0), (3, 0), (7, 59)):
            clock.move_to(_local(hour, minute))
            _work(app)
            assert _sweep_next_run(app) > _local(hour, minute)  # the sweep ran just now
            assert _sent_to(httpserver) == []
            assert set(_statuses(app).values()) == {MessageStatus.QUEUED}
        clock.move_to(_local(8, 0))
        _work(app)
        assert sorted(_sent_to(httpserver)) == PHONES
        assert set(_statuses(app).values()) == {MessageStatus.SENT}
        clock.move_to(_local(8, 30))
        _work(app)
        assert sorted(_sent_to(httpserver)) == PHONES  # nothing a second time


def test_a_notice_the_sweep_finds_at_night_is_held_too(night_app, httpserver):
    """A message not answering the villager, its job lost (as when Redis lost it): the sweep
    enqueues it at 02:10 and the send step holds it to 08:00."""
    app = night_app
    with time_machine.travel(_local(2, 0), tick=False) as clock:
        with services(app).sessions.begin() as db:
            add_message(db, contact_for(db, PHONES[0]), "Your case 1 is being handled.",
                        kind="case", channel="twilio")
        services(app).redis.flushdb()  # the send job is lost
        start_periodic_jobs(services(app))
        clock.move_to(_local(2, 10))
        _work(app)
        assert _statuses(app) == {PHONES[0]: MessageStatus.QUEUED}
        with services(app).sessions() as db:
            [row] = db.scalars(select(Message)).all()
        assert row.not_before == _local(8, 0)
        clock.move_to(_local(5, 0))
        _work(app)
        assert _sent_to(httpserver) == []
        clock.move_to(_local(8, 0))
        _work(app)
        assert _sent_to(httpserver) == [PHONES[0]]


def test_a_direct_reply_at_night_goes_at_once(night_app, httpserver):
    """00:30: a villager texts HELP through Africa's Talking; the reply (through the outbox)
    is sent by the next worker, not held."""
    app = night_app
    with time_machine.travel(_local(0, 30), tick=False):
        response = app.test_client().post("/sms/africastalking",
                                          data=at_sms("at-1", PHONES[0], "HELP"))
        assert response.status_code == 200
        _work(app)
        assert _sent_to(httpserver) == [PHONES[0]]
        with services(app).sessions() as db:
            [row] = db.scalars(select(Message)).all()
        assert (row.kind, row.answer, row.status) == ("reply", True, MessageStatus.SENT)


@pytest.mark.parametrize("local, quiet, landing", [
    ((20, 59), False, (20, 59)), ((21, 0), True, (8, 0)), ((0, 25), True, (8, 0)),
    ((7, 59), True, (8, 0)), ((8, 0), False, (8, 0)), ((12, 0), False, (12, 0))])
def test_the_quiet_hours_rule(local, quiet, landing):
    """21-8 in Lincang: quiet from 21:00 up to 08:00, landing at 08:00."""
    now = _local(*local)
    assert in_quiet_hours(now, "21-8", "Asia/Shanghai") is quiet
    landed = landing_time(now, "21-8", "Asia/Shanghai").astimezone(LOCAL)
    assert (landed.hour, landed.minute) == landing
    assert before_quiet_hours(_local(6, 0), "21-8", "Asia/Shanghai") == _local(20, 0, day=1)


@pytest.mark.parametrize("spec", ["21", "21-", "25-8", "21-21", "nine-eight"])
def test_quiet_hours_that_do_not_parse_are_refused(spec):
    """A malformed QUIET_HOURS is an error naming the setting, never a silent default."""
    with pytest.raises(ValueError, match="QUIET_HOURS"):
        quiet_hours(spec)
