"""Periodic work that heals itself: after Redis loses everything, a running worker puts the
sweep and the check-in job back without a restart, and the queued rows are sent, each once.
A real `jobline worker` process (not burst), a real Redis flushed under it, the Twilio SDK
against a local server."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import func, select

from menus.types import Profile
from smsgateway.cli import start_periodic_jobs
from smsgateway.messaging import jobpaths
from smsgateway.models import Message, MessageStatus
from smsgateway.periodic_jobs import ensure_periodic_jobs, missing_periodic_jobs
from smsgateway.services import SCHEDULES, services
from smsgateway.villagers.records import contact_for, register

from . import providers
from .api import account
from .conftest import TWILIO_TOKEN
from .test_worker_killed import _kill_tree

PHONES = [f"+861372000{n:04d}" for n in range(60)]
PERIODIC_IDS = [job_id for job_id, _path, _interval in jobpaths.PERIODIC]


def test_missing_periodic_jobs_are_enqueued_again_and_present_ones_left_alone(app):
    """After FLUSHALL both are missing and are enqueued on the schedules queue; when they are
    scheduled (after a run) nothing is enqueued a second time."""
    svc = services(app)
    start_periodic_jobs(svc)
    assert missing_periodic_jobs(svc.redis) == []
    svc.redis.flushall()
    assert missing_periodic_jobs(svc.redis) == PERIODIC_IDS
    assert ensure_periodic_jobs(svc, settle=0) == PERIODIC_IDS
    assert sorted(svc.queue(SCHEDULES).get_job_ids()) == sorted(PERIODIC_IDS)
    assert ensure_periodic_jobs(svc, settle=0) == []
    assert len(svc.queue(SCHEDULES).get_job_ids()) == len(PERIODIC_IDS)


def _worker(database_url, redis_url, httpserver):
    """`jobline worker` (not burst) in its own process, checking the periodic jobs each second."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "test", "SMS_PROVIDER": "twilio", "QUIET_HOURS": "none",
           "TWILIO_ACCOUNT_SID": providers.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
           "TWILIO_FROM": "+15005550006", "TWILIO_API_BASE": httpserver.url_for("/").rstrip("/"),
           "SEND_RATE": "20", "BROADCAST_BATCH_SIZE": "10", "QUEUED_GRACE": "1",
           "SWEEP_INTERVAL": "1", "PERIODIC_CHECK_INTERVAL": "1", "PROVIDER_TIMEOUT": "10"}
    return subprocess.Popen([str(Path(sys.executable).parent / "jobline"), "worker"],
                            env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def test_a_running_worker_recovers_from_a_flushall_mid_broadcast(app_factory, httpserver,
                                                                 database_url, redis_url):
    """60 recipients in batches of 10 at 20 a second; Redis is flushed after the 15th send.
    The same worker process re-establishes the sweep and the check-in job, the sweep finds
    the queued rows, and every recipient reaches the provider exactly once."""
    app = app_factory(SMS_PROVIDER="twilio", QUIET_HOURS="none")
    svc = services(app)
    calls: list[str] = []
    fifteen = threading.Event()

    def provider(request):
        calls.append(request.form["To"])
        if len(calls) == 15:
            fifteen.set()
        return providers.twilio_created(f"SM{len(calls):032d}")(request)

    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST"
                              ).respond_with_handler(provider)
    with svc.sessions.begin() as db:
        for phone in PHONES:
            register(db, contact_for(db, phone),
                     Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True, "zh"),
                     via="ussd", channel="twilio", notify=False)
    worker = _worker(database_url, redis_url, httpserver)
    try:
        created = app.test_client().post("/api/v1/broadcasts",
                                         headers=account(app, "admin", "admin"),
                                         json={"text_zh": "明天上午9点在德党镇集合。"})
        assert created.status_code == 201, created.json
        assert fifteen.wait(30), "the worker never reached the 15th send"
        svc.redis.flushall()  # every job, schedule and lock is gone
        flushed_at = len(calls)

        def unsent() -> int:
            with svc.sessions() as db:
                return db.scalar(select(func.count()).select_from(Message).where(
                    Message.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING))))

        deadline = time.monotonic() + 45
        while (unsent() or len(calls) < len(PHONES)) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert worker.poll() is None, "the worker stopped"
        time.sleep(1.5)  # a second send, if there were one, would have come by now
        assert flushed_at < len(PHONES)
        assert sorted(calls) == sorted(PHONES)  # each recipient once
        with svc.sessions() as db:
            assert set(db.scalars(select(Message.status))) == {MessageStatus.SENT}
        registry = ScheduledJobRegistry(SCHEDULES, connection=svc.redis)
        running = StartedJobRegistry(SCHEDULES, connection=svc.redis)
        queued = set(svc.queue(SCHEDULES).get_job_ids())
        for job_id in PERIODIC_IDS:  # the chains are back, kept by the same worker process
            # waiting for its time, waiting for a worker, or running right now
            assert job_id in registry or job_id in queued or job_id in running
    finally:
        _kill_tree(worker.pid)
        worker.wait(10)
