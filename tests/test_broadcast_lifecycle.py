"""A broadcast's life: done once every message settled (with its counts), waiting for the
morning in the quiet hours with its start time, the expected finish at the send rate, the
Cancel only while something can be stopped, and a confirmation before a big send."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rq import Worker
from sqlalchemy import func, select

from menus.types import Profile
from smsgateway.broadcasts.lifecycle import finish_settled
from smsgateway.models import Broadcast, BroadcastStatus, Contact, Message, MessageStatus
from smsgateway.services import QUEUE_NAMES, services
from smsgateway.villagers.records import contact_for, register
from workers.broadcasts import fan_out

from .api import account
from .conftest import run_worker

LOCAL = ZoneInfo("Asia/Shanghai")
BODY = {"text_zh": "培训通知：12月1日在德党镇开课，免费。",
        "text_en": "Free training starts 1 Dec in Dedang."}


def _villagers(app, n: int, consent: bool = True) -> list[str]:
    phones = [f"+86137000003{i:02d}" for i in range(n)]
    with services(app).sessions.begin() as db:
        for phone in phones:
            register(db, contact_for(db, phone),
                     Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), consent, True,
                             "zh"), via="ussd", channel="console", notify=False)
    return phones


def _opt_out(app, phone: str, reason: str = "keyword") -> None:
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == phone)).one()
        contact.opted_out, contact.opted_out_reason = True, reason


def _work_with_scheduler(app) -> None:
    svc = services(app)
    Worker([svc.queue(name) for name in QUEUE_NAMES], connection=svc.redis).work(
        burst=True, with_scheduler=True)


def test_a_broadcast_is_done_when_every_message_went_with_its_counts(app, client):
    """Three reached, one excluded (STOP): after the worker, `done` with a finish time, three
    sent, the exclusion counted, no Cancel, and cancelling is refused."""
    phones = _villagers(app, 4)
    _opt_out(app, phones[3])
    admin = account(app, "admin", "admin")
    created = client.post("/api/v1/broadcasts", headers=admin, json=BODY).json
    assert created["status"] in ("sending", "scheduled", "fanning_out") and created["cancellable"]
    run_worker(app)
    shown = client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json
    assert shown["status"] == "done"
    assert shown["finished_at"] is not None and shown["cancellable"] is False
    assert shown["messages"]["sent"] == 3 and shown["messages"]["queued"] == 0
    assert shown["excluded"] == {"keyword": 1}
    assert shown["failed_by_reason"] == {} and shown["expected_finish"] is None
    refused = client.post(f"/api/v1/broadcasts/{created['id']}/cancel", headers=admin)
    assert refused.status_code == 409
    assert client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json[
        "status"] == "done"


def test_failed_messages_are_counted_by_reason_and_the_broadcast_still_ends(app, client):
    """Two villagers opt out after the fan-out wrote their rows: those fail `opted_out`, the
    rest go, and the broadcast is done with the failures by reason."""
    phones = _villagers(app, 3)
    admin = account(app, "admin", "admin")
    created = client.post("/api/v1/broadcasts", headers=admin, json=BODY).json
    assert fan_out(created["id"]) == 3
    _opt_out(app, phones[0])
    _opt_out(app, phones[1])
    run_worker(app)
    shown = client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json
    assert shown["status"] == "done"
    assert shown["failed_by_reason"] == {"opted_out": 2}
    assert (shown["messages"]["sent"], shown["messages"]["failed"]) == (1, 2)


def test_a_broadcast_that_reaches_nobody_is_done_at_once(app, client):
    """An audience with nobody in it: the fan-out writes nothing and the broadcast is done."""
    admin = account(app, "admin", "admin")
    created = client.post("/api/v1/broadcasts", headers=admin,
                          json={**BODY, "audience": {"areas": ["gengma"]}}).json
    run_worker(app)
    shown = client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json
    assert (shown["status"], shown["recipients"]) == ("done", 0)


def test_done_is_reached_once_and_only_when_nothing_is_left(app, client, db):
    """The guarded update: nothing while a message is queued or the fan-out runs; then one
    call of several moves it."""
    _villagers(app, 2)
    admin = account(app, "admin", "admin")
    created = client.post("/api/v1/broadcasts", headers=admin, json=BODY).json
    with services(app).sessions.begin() as session:
        session.get_one(Broadcast, created["id"]).status = BroadcastStatus.FANNING_OUT
    with services(app).sessions.begin() as session:
        assert finish_settled(session, [created["id"]]) == []  # not yet sending
    fan_out(created["id"])
    with services(app).sessions.begin() as session:
        assert finish_settled(session, [created["id"]]) == []  # two queued
        session.execute(Message.__table__.update().values(status=MessageStatus.SENT))
    finished: list[list[int]] = []

    def finish() -> None:
        with services(app).sessions.begin() as session:
            finished.append(finish_settled(session, [created["id"]]))

    threads = [threading.Thread(target=finish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(finished) == [[], [], [], [created["id"]]]
    assert db.get(Broadcast, created["id"]).status == BroadcastStatus.DONE


def test_a_broadcast_in_the_quiet_hours_waits_for_the_morning_and_says_when(app_factory):
    """23:10 local, quiet 21-8: `waiting_for_morning`, starting 08:00, cancellable, finishing
    after 08:00; still so after a worker held it; at 08:00 it goes and is done."""
    app = app_factory(QUIET_HOURS="21-8")
    with time_machine.travel(datetime(2027, 3, 2, 23, 10, tzinfo=LOCAL), tick=False) as clock:
        _villagers(app, 2)
        admin = account(app, "admin", "admin")
        client = app.test_client()
        created = client.post("/api/v1/broadcasts", headers=admin, json=BODY).json
        morning = datetime(2027, 3, 3, 8, 0, tzinfo=LOCAL)
        assert created["status"] == "waiting_for_morning"
        assert datetime.fromisoformat(created["starts_at"]) == morning
        _work_with_scheduler(app)
        shown = client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json
        assert (shown["status"], shown["cancellable"]) == ("waiting_for_morning", True)
        assert datetime.fromisoformat(shown["starts_at"]) == morning
        assert datetime.fromisoformat(shown["expected_finish"]) >= morning
        assert shown["messages"]["queued"] == 2
        clock.move_to(morning)
        _work_with_scheduler(app)
        shown = client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json
        assert (shown["status"], shown["messages"]["sent"]) == ("done", 2)


def test_a_broadcast_set_for_the_night_is_scheduled_for_the_morning(app_factory):
    """`send_at` 22:30 tomorrow with quiet hours 21-8: scheduled, starting the morning after."""
    app = app_factory(QUIET_HOURS="21-8")
    with time_machine.travel(datetime(2027, 3, 2, 10, 0, tzinfo=LOCAL), tick=False):
        admin = account(app, "admin", "admin")
        at = datetime(2027, 3, 3, 22, 30, tzinfo=LOCAL)
        created = app.test_client().post("/api/v1/broadcasts", headers=admin,
                                         json={**BODY, "send_at": at.isoformat()}).json
        assert created["status"] == "scheduled" and created["cancellable"]
        assert datetime.fromisoformat(created["starts_at"]) == datetime(2027, 3, 4, 8, 0,
                                                                        tzinfo=LOCAL)


def test_while_sending_the_finish_is_expected_at_the_send_rate(app_factory):
    """Four queued at 2 a second (SEND_RATE): expected two seconds from now."""
    app = app_factory(SEND_RATE=2)
    now = datetime(2027, 3, 2, 10, 0, tzinfo=LOCAL)
    with time_machine.travel(now, tick=False):
        _villagers(app, 4)
        admin = account(app, "admin", "admin")
        client = app.test_client()
        created = client.post("/api/v1/broadcasts", headers=admin, json=BODY).json
        fan_out(created["id"])
        shown = client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json
        assert (shown["status"], shown["cancellable"]) == ("sending", True)
        assert datetime.fromisoformat(shown["expected_finish"]) == now + timedelta(seconds=2)


@pytest.mark.parametrize("confirm, status", [(False, 409), (True, 201)])
def test_a_send_above_the_limit_needs_the_confirmation(app_factory, db, confirm, status):
    """Above BROADCAST_CONFIRM_ABOVE (3 here) the API refuses a send without `confirm` and
    writes nothing; with it, the broadcast goes."""
    app = app_factory(BROADCAST_CONFIRM_ABOVE=3)
    _villagers(app, 4)
    admin = account(app, "admin", "admin")
    response = app.test_client().post("/api/v1/broadcasts", headers=admin,
                                      json={**BODY, "confirm": confirm})
    assert response.status_code == status, response.json
    if not confirm:
        assert response.json["field"] == "confirm" and "4 people" in response.json["error"]
    assert db.scalar(select(func.count()).select_from(Broadcast)) == (1 if confirm else 0)

