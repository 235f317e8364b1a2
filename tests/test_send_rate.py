"""A shared, smooth send rate: two `jobline worker` processes sending one broadcast never let
more than the limit go in any one-second window (sliding, not per calendar second), counted
from the limiter's own log of the sends it let through (`throttle:log`, each send's instant
on Redis's clock) and, allowing for transit, at the provider; a provider's own rate
(PROVIDER_RATE) holds too."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from menus.types import Profile
from smsgateway.messaging.throttle import LOG_KEY, provider_rates
from smsgateway.models import Message, MessageStatus
from smsgateway.services import services
from smsgateway.villagers.records import contact_for, register
from workers.broadcasts import fan_out

from . import providers
from .api import account
from .conftest import TWILIO_TOKEN
from .console import console_account, sign_in


def _busiest_second(times: list[float], transit: float = 0.0) -> int:
    """The most of these times within any window of one second (less `transit`)."""
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t - start < 1 - transit)
               for i, start in enumerate(times))


@pytest.mark.parametrize("send_rate, provider_rate, limit, recipients", [
    ("10", "", 10, 50),  # all providers together
    ("30", "twilio=4", 4, 20),  # the provider's own, lower, rate
])
def test_two_workers_never_exceed_the_rate_in_any_sliding_second(
        app_factory, httpserver, database_url, redis_url, send_rate, provider_rate, limit,
        recipients):
    arrivals: list[float] = []

    def provider(request):
        arrivals.append(time.monotonic())
        return providers.twilio_created(f"SM{len(arrivals):032d}")(request)

    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST"
                              ).respond_with_handler(provider)
    base = httpserver.url_for("/").rstrip("/")
    app = app_factory(SMS_PROVIDER="twilio", TWILIO_API_BASE=base, BROADCAST_BATCH_SIZE=5)
    svc = services(app)
    with svc.sessions.begin() as db:
        for n in range(recipients):
            register(db, contact_for(db, f"+86137400{n:05d}"),
                     Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True, "zh"),
                     via="ussd", channel="twilio", notify=False)
    created = app.test_client().post("/api/v1/broadcasts", headers=account(app, "a", "admin"),
                                     json={"text_zh": "明天上午9点在德党镇集合。"}).json
    svc.queue("broadcasts").empty()  # the fan-out runs here; the workers only send
    assert fan_out(created["id"]) == recipients
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "test", "SMS_PROVIDER": "twilio", "QUIET_HOURS": "none",
           "TWILIO_ACCOUNT_SID": providers.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
           "TWILIO_FROM": "+15005550006", "TWILIO_API_BASE": base,
           "SEND_RATE": send_rate, "PROVIDER_RATE": provider_rate}
    workers = [subprocess.Popen([str(Path(sys.executable).parent / "jobline"), "worker",
                                 "--burst"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(2)]
    for worker in workers:
        assert worker.wait(120) == 0
    with svc.sessions() as db:
        assert set(db.scalars(select(Message.status))) == {MessageStatus.SENT}
    assert len(arrivals) == recipients
    sends = [float(fields[b"at"]) for _id, fields in svc.redis.xrange(LOG_KEY)]
    assert len(sends) == recipients  # every send went through the limiter, once
    assert _busiest_second(sends) <= limit
    # and the limit was what held them back: close to it, not far below
    assert max(sends) - min(sends) >= (recipients / limit) - 1.5
    # At the provider the same holds, but for bunching in transit: on a loaded machine a
    # request can take a few hundred milliseconds from its turn to the server.
    assert _busiest_second(arrivals, transit=0.5) <= limit + 2


def test_provider_rates_that_do_not_parse_are_refused():
    """PROVIDER_RATE is name=number pairs; anything else names the setting."""
    assert provider_rates("twilio=1, africastalking=50") == {"twilio": 1, "africastalking": 50}
    assert provider_rates("") == {}
    for bad in ("twilio", "twilio=fast", "=3"):
        with pytest.raises(ValueError, match="PROVIDER_RATE"):
            provider_rates(bad)


@pytest.mark.parametrize("settings, seconds", [
    ({"SEND_RATE": 2}, 2.0),  # 4 queued at 2 a second
    ({"SEND_RATE": 30, "PROVIDER_RATE": "console=1"}, 4.0),  # the provider's rate is lower
])
def test_the_broadcast_shows_when_it_should_finish_at_the_send_rate(app_factory, settings,
                                                                   seconds):
    """Fanned out, not yet sent: its detail in the API says when the last should have gone."""
    app = app_factory(SMS_PROVIDER="console", **settings)
    svc = services(app)
    with svc.sessions.begin() as db:
        for n in range(4):
            register(db, contact_for(db, f"+86137410{n:05d}"),
                     Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True, "zh"),
                     via="ussd", channel="console", notify=False)
    admin = account(app, "a", "admin")
    now = datetime(2027, 3, 2, 4, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        created = app.test_client().post("/api/v1/broadcasts", headers=admin,
                                         json={"text_zh": "明天上午9点在德党镇集合。"}).json
        svc.queue("broadcasts").empty()
        assert fan_out(created["id"]) == 4
        shown = app.test_client().get(f"/api/v1/broadcasts/{created['id']}",
                                      headers=admin).json
    assert datetime.fromisoformat(shown["expected_finish"]) == now + timedelta(seconds=seconds)
    assert created["expected_finish"] is None  # nothing written yet when it was created
    console_account(app, "console-admin", "admin")
    client = app.test_client()
    with time_machine.travel(now, tick=False):
        sign_in(client, "console-admin")
        page = client.get(f"/console/broadcasts/{created['id']}").get_data(as_text=True)
    assert '<p id="expected-finish">预计发完' in page  # the console shows it too
