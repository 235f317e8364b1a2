"""Broadcasts: preview, fan-out in workers, one message per villager, quiet hours, cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from menus.types import Profile
from smsgateway.kernel.quiet import landing_time
from smsgateway.models import Contact, Message, MessageStatus
from smsgateway.services import services
from smsgateway.villagers.records import contact_for, register
from workers.broadcasts import fan_out

from . import providers
from .api import account
from .conftest import run_worker

PEOPLE = [  # phone, township, sex, language, skills
    ("+8613700000001", "yongde.dedang", "f", "zh", ("catering",)),
    ("+8613700000002", "yongde.yongkang", "m", "en", ("driving",)),
    ("+8613700000003", "yongde.dedang", "m", "zh", ("catering", "driving")),
    ("+8613700000004", "gengma.mengding", "f", "zh", ("catering",)),
]


@pytest.fixture
def people(app):
    """Four villagers: three in Yongde (one English), one in Gengma."""
    with services(app).sessions.begin() as db:
        for phone, township, sex, language, skills in PEOPLE:
            register(db, contact_for(db, phone),
                     Profile("村民", sex, 1990, township.split(".")[0], township, skills, True,
                             True, language), via="ussd", channel="console", notify=False)
    return [p[0] for p in PEOPLE]


@pytest.fixture
def admin(app):
    return account(app, "admin", "admin")


BODY = {"text_zh": "培训通知：12月1日在德党镇开课，免费。",
        "text_en": "Free training starts 1 Dec in Dedang."}


def test_preview_counts_recipients_and_segments_per_language(client, people, admin):
    """Yongde's three: two read Chinese, one English; segments worked out per language."""
    response = client.post("/api/v1/broadcasts/preview", headers=admin,
                           json={**BODY, "audience": {"areas": ["yongde"]}})
    assert response.status_code == 200, response.json
    preview = response.json
    assert preview["recipients"] == 3
    assert preview["languages"]["zh"]["recipients"] == 2
    assert preview["languages"]["en"]["recipients"] == 1
    assert preview["languages"]["zh"]["segments_per_message"] == 1
    assert preview["total_segments"] == 3
    assert preview["estimated_cost"] == 0.15  # 3 segments at the default ¥0.05


def test_the_preview_costs_segments_at_the_configured_price(app_factory, people):
    """SMS_SEGMENT_PRICE sets the estimate: 3 segments at ¥0.12 are ¥0.36."""
    app = app_factory(SMS_SEGMENT_PRICE=0.12)
    response = app.test_client().post("/api/v1/broadcasts/preview",
                                      headers=account(app, "admin2", "admin"),
                                      json={**BODY, "audience": {"areas": ["yongde"]}})
    assert (response.json["total_segments"], response.json["estimated_cost"]) == (3, 0.36)


def test_an_officer_reaches_only_their_area_by_default(app, client, people):
    """Without areas, an officer's broadcast goes to their own area."""
    officer = account(app, "officer", "officer", area="gengma")
    preview = client.post("/api/v1/broadcasts/preview", headers=officer, json=BODY).json
    assert preview["recipients"] == 1


def test_overlapping_filters_reach_each_villager_once(app, client, people, admin, httpserver):
    """A county and one of its townships both named: one message each, sent by workers."""
    created = client.post("/api/v1/broadcasts", headers=admin, json={
        **BODY, "audience": {"areas": ["yongde", "yongde.dedang"], "skills": ["catering",
                                                                                "driving"]}})
    assert created.status_code == 201 and created.json["recipients"] == 3
    run_worker(app)
    with services(app).sessions() as db:
        rows = db.scalars(select(Message).where(Message.broadcast_id == created.json["id"])).all()
    assert sorted(m.phone for m in rows) == sorted(people[:3])
    assert {m.status for m in rows} == {MessageStatus.SENT}
    assert {m.body for m in rows if m.phone == people[1]} == {BODY["text_en"]}
    progress = client.get(f"/api/v1/broadcasts/{created.json['id']}", headers=admin).json
    assert progress["status"] == "done" and progress["messages"]["sent"] == 3


def test_fan_out_run_twice_writes_no_second_message(app, client, people, admin):
    """A repeated fan-out job skips villagers who already have this broadcast's message."""
    created = client.post("/api/v1/broadcasts", headers=admin, json=BODY).json
    assert fan_out(created["id"]) == 4
    assert fan_out(created["id"]) == 0
    with services(app).sessions() as db:
        count = db.scalar(select(func.count()).select_from(Message)
                          .where(Message.broadcast_id == created["id"]))
    assert count == 4


def test_opted_out_villagers_are_left_out(app, client, people, admin):
    """STOP means no broadcast."""
    with services(app).sessions.begin() as db:
        db.scalars(select(Contact).where(Contact.phone == people[0])).one().opted_out = True
    preview = client.post("/api/v1/broadcasts/preview", headers=admin, json=BODY).json
    assert preview["recipients"] == 3


def test_quiet_hours_hold_the_batches_until_morning(app_factory):
    """Fan-out during the quiet hours writes the rows but schedules the sending for their end."""
    local_hour = datetime.now(ZoneInfo("Asia/Shanghai")).hour
    quiet = f"{local_hour}-{(local_hour + 2) % 24}"
    app = app_factory(QUIET_HOURS=quiet)
    with services(app).sessions.begin() as db:
        register(db, contact_for(db, "+8613700000009"),
                 Profile("村民", "f", 1990, "yongde", "yongde.dedang", (), True, True, "zh"),
                 via="ussd", channel="console", notify=False)
    admin = account(app, "admin", "admin")
    created = app.test_client().post("/api/v1/broadcasts", headers=admin, json=BODY).json
    run_worker(app)
    with services(app).sessions() as db:
        [row] = db.scalars(select(Message).where(Message.broadcast_id == created["id"])).all()
    assert row.status == MessageStatus.QUEUED  # written, not sent
    registry = ScheduledJobRegistry("messages", connection=services(app).redis)
    [job_id] = registry.get_job_ids()
    when = registry.get_scheduled_time(job_id).astimezone(ZoneInfo("Asia/Shanghai"))
    assert (when.hour, when.minute) == ((local_hour + 2) % 24, 0)


@pytest.mark.parametrize("local, expected", [
    ("2026-12-01 22:30", "2026-12-02 08:00"),
    ("2026-12-02 07:59", "2026-12-02 08:00"),
    ("2026-12-02 08:00", "2026-12-02 08:00"),
    ("2026-12-02 12:00", "2026-12-02 12:00"),
    ("2026-12-02 21:00", "2026-12-03 08:00"),
])
def test_landing_time_moves_quiet_hours_to_the_morning(local, expected):
    """Quiet 21:00-08:00 in Asia/Shanghai: night falls to the next 08:00; day stays."""
    zone = ZoneInfo("Asia/Shanghai")
    now = datetime.fromisoformat(local).replace(tzinfo=zone).astimezone(UTC)
    landed = landing_time(now, "21-8", "Asia/Shanghai").astimezone(zone)
    assert landed.strftime("%Y-%m-%d %H:%M") == expected


def test_send_at_schedules_the_fan_out(app, client, people, admin):
    """A broadcast for tomorrow waits in the scheduler; nothing is written yet."""
    at = datetime.now(UTC) + timedelta(days=1)
    created = client.post("/api/v1/broadcasts", headers=admin,
                          json={**BODY, "send_at": at.isoformat()}).json
    assert created["status"] == "scheduled"
    run_worker(app)
    registry = ScheduledJobRegistry("broadcasts", connection=services(app).redis)
    assert registry.get_job_ids() == [f"fan-out-{created['id']}"]
    assert abs(registry.get_scheduled_time(f"fan-out-{created['id']}") - at) < timedelta(seconds=1)
    assert client.get(f"/api/v1/broadcasts/{created['id']}", headers=admin).json["messages"][
        "queued"] == 0


def test_cancel_mid_way_sends_nothing_more(app_factory, httpserver):
    """Cancelled after the fan-out, before the batches ran: no message reaches the provider."""
    app = app_factory(SMS_PROVIDER="twilio",
                      TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    with services(app).sessions.begin() as db:
        for phone, township, sex, language, skills in PEOPLE:
            register(db, contact_for(db, phone),
                     Profile("村民", sex, 1990, township.split(".")[0], township, skills, True,
                             True, language), via="ussd", channel="twilio", notify=False)
    admin = account(app, "admin", "admin")
    client = app.test_client()
    created = client.post("/api/v1/broadcasts", headers=admin, json=BODY).json
    assert fan_out(created["id"]) == 4  # the batches are queued, not yet run
    cancelled = client.post(f"/api/v1/broadcasts/{created['id']}/cancel", headers=admin).json
    assert cancelled["status"] == "cancelled" and cancelled["messages"]["failed"] == 4
    run_worker(app)
    assert httpserver.log == []
    again = client.post(f"/api/v1/broadcasts/{created['id']}/cancel", headers=admin)
    assert again.status_code == 409


def test_a_broadcast_needs_something_to_say(client, admin):
    """No text and no posting: 422."""
    response = client.post("/api/v1/broadcasts", headers=admin, json={"audience": {}})
    assert response.status_code == 422
