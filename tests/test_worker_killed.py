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
from smsgateway.villagers.records import contact_for, register
from workers.broadcasts import fan_out
from workers.sweep import sweep

from . import providers
from .api import account
from .conftest import TWILIO_TOKEN, run_worker

PHONES = [f"+86137100000{n:02d}" for n in range(8)]


def _kill_tree(pid: int) -> None:
    """SIGKILL a process and its descendants (RQ's work-horse leaves the process group)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    todo, tree = [pid], []
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    for member in tree:
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _broadcast_to(app, phones):
    """Registered villagers with these phones and a broadcast to them (not yet fanned out)."""
    with services(app).sessions.begin() as db:
        for phone in phones:
            register(db, contact_for(db, phone),
                     Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True, "zh"),
                     via="ussd", channel="twilio", notify=False)
    admin = account(app, "admin", "admin")
    return app.test_client().post("/api/v1/broadcasts", headers=admin,
                                  json={"text_zh": "明天上午9点在德党镇集合。"}).json


def _worker(database_url, redis_url, httpserver, **settings):
    """`jobline worker --burst` in its own process (and session), on the test's services."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": "test", "SMS_PROVIDER": "twilio", "QUIET_HOURS": "none",
           "TWILIO_ACCOUNT_SID": providers.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
           "TWILIO_FROM": "+15005550006", "TWILIO_API_BASE": httpserver.url_for("/").rstrip("/"),
           **settings}
    return subprocess.Popen([str(Path(sys.executable).parent / "jobline"), "worker", "--burst"],
                            env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


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
    created = _broadcast_to(app, PHONES)
    assert fan_out(created["id"]) == len(PHONES)  # one batch of 8 on the messages queue

    worker = _worker(database_url, redis_url, httpserver, SEND_RATE="0", PROVIDER_TIMEOUT="30")
    try:
        assert third_arrived.wait(60), "the worker never reached the third message"
        _kill_tree(worker.pid)  # the worker and its work-horse, mid-send
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


def test_redis_flushed_mid_broadcast_then_the_sweep_sends_each_once(app_factory, httpserver):
    """The batch jobs vanish with Redis's data; the sweep finds the queued rows again."""
    app = app_factory(SMS_PROVIDER="twilio", QUEUED_GRACE=0,
                      TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    created = _broadcast_to(app, PHONES)
    assert fan_out(created["id"]) == len(PHONES)
    services(app).redis.flushdb()
    assert sweep() == {"requeued": len(PHONES), "settled": 0}
    run_worker(app)
    assert sorted(r.form["To"] for r, _ in httpserver.log) == sorted(PHONES)


def test_the_send_rate_holds_with_two_worker_processes(app_factory, httpserver, database_url,
                                                       redis_url):
    """Two real workers share SEND_RATE=4: no wall-clock second sees more than 4 sends."""
    import time

    app = app_factory(SMS_PROVIDER="twilio", TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))
    seen = []

    def provider(request):
        seen.append(time.time())
        return providers.twilio_created()(request)

    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST"
                              ).respond_with_handler(provider)
    created = _broadcast_to(app, PHONES + [p.replace("+86137", "+86136") for p in PHONES])
    services(app).settings["BROADCAST_BATCH_SIZE"] = 4  # several batches for two workers
    assert fan_out(created["id"]) == 16
    workers = [_worker(database_url, redis_url, httpserver, SEND_RATE="4") for _ in range(2)]
    for worker in workers:
        assert worker.wait(60) == 0
    assert len(seen) == 16
    # 16 sends at 4 a second take four wall-clock seconds of tickets, so more than 2 s from
    # the first arrival to the last (unthrottled, two workers send them in well under 1 s).
    assert max(seen) - min(seen) > 2.0
    # Counted by arrival, a send ticketed just before a second ends may land just after it.
    per_second: dict[int, int] = {}
    for moment in seen:
        per_second[int(moment)] = per_second.get(int(moment), 0) + 1
    assert max(per_second.values()) <= 4 + 1
