"""Helpers for departure and check-in tests: a posting with confirmed villagers, SMS in."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from smsgateway.models import Message
from smsgateway.services import services

from .api import placement_setting
from .sign import twilio_post, twilio_sms

LOCAL = ZoneInfo("Asia/Shanghai")
_SIDS = iter(range(10**6))


def confirmed_setting(app, client):
    """placement_setting with villagers 0 (English) and 1 (Chinese) confirmed by agency A;
    villager 2 (English) only applied."""
    setting = placement_setting(app, client)
    for application_id in setting["applications"][:2]:
        response = client.post(f"/api/v1/applications/{application_id}/confirm",
                               headers=setting["a"], json={})
        assert response.status_code == 200, response.json
    return setting


def local_day(days_ahead, hour, minute=0):
    """A local time (Asia/Shanghai) `days_ahead` days from today, aware."""
    day = datetime.now(LOCAL).date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def create_departure(client, setting, leaves_at, **changes):
    """POST a departure of the setting's posting as Yongde's officer; returns the response."""
    body = {"posting_id": setting["posting"], "leaves_at": leaves_at.isoformat(),
            "place": "Dedang bus station", "escort_name": "Li Wei",
            "escort_phone": "13887654321", **changes}
    return client.post("/api/v1/departures", headers=setting["officer"], json=body)


def scheduled(app):
    """job id → its scheduled UTC instant, for every job in the schedules queue's registry."""
    svc = services(app)
    registry = ScheduledJobRegistry("schedules", connection=svc.redis)
    return {job_id: registry.get_scheduled_time(job_id).replace(tzinfo=UTC)
            for job_id in registry.get_job_ids()}


def sms_in(client, phone, body):
    """A Twilio inbound SMS from `phone`; returns the inline reply."""
    form = twilio_sms(f"SM{next(_SIDS):032d}", phone, body)
    response = twilio_post(client, "/sms/twilio", form)
    assert response.status_code == 200, response.data
    found = re.search(r"<Message>(.*)</Message>", response.get_data(as_text=True), re.S)
    return html.unescape(found.group(1)) if found else None


def messages(db, kind=None, phone=None):
    """(phone, body) of the outbox rows of a kind and/or to a phone, oldest first."""
    query = select(Message).order_by(Message.id)
    if kind:
        query = query.where(Message.kind == kind)
    if phone:
        query = query.where(Message.phone == phone)
    db.expire_all()
    return [(m.phone, m.body) for m in db.scalars(query)]


def team_of_two(app_factory, **settings):
    """Villager 0 (English) leads team 3 with villager 1 (Chinese); they left; reports every
    month from the day after tomorrow (10:00). Returns the app, client, setting, departure
    id, villager ids by phone and the first round's day. `settings` configure the app."""
    app = app_factory(**settings)
    client = app.test_client()
    setting = confirmed_setting(app, client)
    leader, member = setting["phones"][:2]
    departure = create_departure(client, setting, local_day(1, 9)).json["id"]
    cohort = client.get(f"/api/v1/departures/{departure}/cohort", headers=setting["officer"]).json
    ids = {m["villager_phone"]: m["villager_id"] for m in cohort["members"]}
    named = client.post(f"/api/v1/departures/{departure}/cohort/leaders",
                        headers=setting["officer"],
                        json={"role": "team_leader", "villager_id": ids[leader], "team": 3,
                              "members": [ids[member]]})
    assert named.status_code == 200, named.json
    assert client.post(f"/api/v1/departures/{departure}/depart",
                       headers=setting["officer"]).status_code == 200
    first = (datetime.now(LOCAL) + timedelta(days=2)).date()
    assert client.put(f"/api/v1/departures/{departure}/cohort/schedule",
                      headers=setting["officer"],
                      json={"every_months": 1, "first_report_on": first.isoformat()}
                      ).status_code == 200
    return app, client, setting, departure, ids, first
