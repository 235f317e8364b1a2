"""A worker SIGKILLed in the middle of a broadcast batch, then the sweep and a new worker:
every villager gets exactly one message (the one in flight follows the stated policy)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import select

from menus.types import Profile
from smsgateway.models import Message, MessageStatus
from smsgateway.services import services
from smsgateway.villagers import contact_for, register
from workers.broadcasts import fan_out
from workers.sweep import sweep

from . import providers
from .api import account
from .conftest import TWILIO_TOKEN, run_worker

PHONES = [f"+86137100000{n:02d}" for n in range(8)]


def test_worker_killed_mid_batch_leaves_each_villager_one_message(app_factory, httpserver,
                                                                  database_url, redis_url):
    """Kill during the 3rd send: 2 sent, 1 interrupted (never resent), 5 sent after the sweep."""
    app = app_factory(SMS_PROVIDER="twilio", SEND_RATE=0, SENDING_TIMEOUT=0, QUEUED_GRACE=0,
                      TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))
    third_arrived, release = threading.Event(), threading.Event()
    calls = []

    def provider(request):
        calls.append(request.form["To"])
        if len(calls) == 3:
            third_arrived.set()
            release.wait(10)  # the worker dies while we hold its request
        return providers.twilio_created(f"SM{len(calls):032d}")(request)

    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST"
                              ).respond_with_handler(provider)
    with services(app).sessions.begin() as db:
        for phone in PHONES:
            register(db, contact_for(db, phone),
                     Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True, "zh"),
                     via="ussd", channel="twilio", notify=False)
    admin = account(app, "admin", "admin")
    created = app.test_client().post("/api/v1/broadcasts", headers=admin,
                                     json={"text_zh": "明天上午9点在德党镇集合。"}).json
    assert fan_out(created["id"]) == len(PHONES)  # one batch of 8 on the messages queue

    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "test", "SMS_PROVIDER": "twilio", "SEND_RATE": "0", "QUIET_HOURS": "none",
           "TWILIO_ACCOUNT_SID": providers.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
           "TWILIO_FROM": "+15005550006", "PROVIDER_TIMEOUT": "30",
           "TWILIO_API_BASE": httpserver.url_for("/").rstrip("/")}
    jobline = Path(sys.executable).parent / "jobline"
    worker = subprocess.Popen([str(jobline), "worker", "--burst"], env=env,
                              start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        assert third_arrived.wait(60), "the worker never reached the third message"
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work-horse, mid-send
        worker.wait(10)
    finally:
        release.set()

    def statuses():
        with services(app).sessions() as db:
            return [m.status for m in db.scalars(select(Message).order_by(Message.id))]

    assert statuses() == [MessageStatus.SENT] * 2 + [MessageStatus.SENDING] + \
        [MessageStatus.QUEUED] * 5
    assert sweep() == {"requeued": 5, "settled": 1}
    run_worker(app)
    with services(app).sessions() as db:
        rows = db.scalars(select(Message).order_by(Message.id)).all()
    assert [r.status for r in rows] == [MessageStatus.SENT] * 2 + [MessageStatus.FAILED] + \
        [MessageStatus.SENT] * 5
    assert rows[2].error_code == "interrupted"
    assert sorted(calls) == sorted(PHONES)  # each phone reached the provider exactly once
