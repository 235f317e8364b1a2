"""The queue layout keeps recovery ahead of bulk sends: with 10,000 messages waiting on the
messages queue, a real `jobline worker` still runs the sweep every SWEEP_INTERVAL, because
the periodic jobs and scheduled reminders have the `schedules` queue, served first."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import insert

from smsgateway.db import utcnow
from smsgateway.messaging import jobpaths
from smsgateway.messaging.outbox import SEND_RETRY, send_job_id
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.services import QUEUE_NAMES, SCHEDULES, services

from .test_worker_killed import _kill_tree

BACKLOG = 10_000


def test_the_schedules_queue_is_served_first():
    """The order workers take queues in: schedules, then the bulk ones."""
    assert QUEUE_NAMES[0] == SCHEDULES == "schedules"
    assert set(QUEUE_NAMES[1:]) == {"messages", "broadcasts", "default"}


def _sweep_started(redis) -> datetime | None:
    try:
        return Job.fetch(jobpaths.SWEEP_JOB_ID, connection=redis).started_at
    except NoSuchJobError:
        return None


def test_the_sweep_runs_on_time_behind_ten_thousand_queued_messages(app_factory, database_url,
                                                                    redis_url):
    """10,000 send jobs queued; for 8 seconds of the worker draining them, the sweep (every
    second) starts at least every 3 seconds, and the backlog is still there at the end."""
    app = app_factory(SMS_PROVIDER="console")
    svc = services(app)
    now = utcnow()
    with svc.sessions.begin() as db:
        contact_id = db.scalar(insert(Contact).values(phone="+8613730000000")
                               .returning(Contact.id))
        ids = list(db.scalars(insert(Message).returning(Message.id), [
            {"contact_id": contact_id, "phone": "+8613730000000", "body": f"notice {n}",
             "segments": 1, "kind": "notice", "channel": "console",
             "status": MessageStatus.QUEUED, "attempts": 0, "created_at": now,
             "updated_at": now} for n in range(BACKLOG)]))
    queue = svc.queue("messages")
    for start in range(0, BACKLOG, 1000):
        queue.enqueue_many([queue.prepare_data(jobpaths.SEND_MESSAGE, (i,),
                                               job_id=send_job_id(i), retry=SEND_RETRY)
                            for i in ids[start:start + 1000]])
    assert queue.count == BACKLOG
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "test", "SMS_PROVIDER": "console", "QUIET_HOURS": "none",
           "SEND_RATE": "0", "SWEEP_INTERVAL": "1"}
    worker = subprocess.Popen([str(Path(sys.executable).parent / "jobline"), "worker"],
                              env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    starts: list[datetime] = []
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            started = _sweep_started(svc.redis)
            if started is not None and started not in starts:
                starts.append(started)
            time.sleep(0.05)
        assert queue.count > 0, "the backlog drained: the test proved nothing"
    finally:
        _kill_tree(worker.pid)
        worker.wait(10)
    assert len(starts) >= 4, starts
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    assert max(gaps) <= 3, gaps
