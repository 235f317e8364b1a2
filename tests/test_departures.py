"""Departures: reminders scheduled at the right instants, replaced on move and cancel, sent by
a real worker with the scheduler at a frozen "now"; YES/NO by SMS and USSD on the roster;
scoping of the API."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
import time_machine
from rq import Worker
from sqlalchemy import select

from menus.budget import sms_segments
from smsgateway.followup.departures import reminder_job_id
from smsgateway.models import DepartureAnswer
from smsgateway.services import QUEUE_NAMES, services

from .api import account
from .departing import (
    confirmed_setting,
    create_departure,
    local_day,
    messages,
    scheduled,
    sms_in,
)
from .phone import UssdPhone


@pytest.fixture
def setting(app, client):
    return confirmed_setting(app, client)


def _reminder_ids(app, departure_id):
    return {job_id: at for job_id, at in scheduled(app).items()
            if job_id.startswith(f"departure-{departure_id}-reminder-")}


def test_a_departure_has_its_three_reminders_scheduled_at_the_right_utc_instants(
        app, client, setting):
    """Leaving in 10 days at 10:00 Lincang time (02:00 UTC): reminders 3 days, 1 day and
    3 hours before, at 02:00 UTC, 02:00 UTC and 23:00 UTC the evening before."""
    leaves = local_day(10, 10)
    response = create_departure(client, setting, leaves)
    assert response.status_code == 201, response.json
    departure = response.json
    assert departure["leaves_at"] == f"{leaves.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    utc = leaves.astimezone(UTC)
    assert _reminder_ids(app, departure["id"]) == {
        reminder_job_id(departure["id"], "3d", utc): utc - timedelta(days=3),
        reminder_job_id(departure["id"], "1d", utc): utc - timedelta(days=1),
        reminder_job_id(departure["id"], "3h", utc): utc - timedelta(hours=3),
    }
    assert utc.hour == 2 and (utc - timedelta(hours=3)).hour == 23
    assert departure["counts"] == {"confirmed": 0, "declined": 0, "no_answer": 2}


def test_a_time_without_an_offset_is_lincang_time_and_past_offsets_are_skipped(
        app, client, setting):
    """`leaves_at` without an offset is read in TIMEZONE; leaving in 2 days, the 3-day
    reminder is already past and is not scheduled."""
    leaves = local_day(2, 10)
    departure = create_departure(client, setting, leaves.replace(tzinfo=None)).json
    utc = leaves.astimezone(UTC)
    assert departure["leaves_at"] == f"{utc:%Y-%m-%dT%H:%M:%SZ}"
    assert sorted(_reminder_ids(app, departure["id"]).values()) == [
        utc - timedelta(days=1), utc - timedelta(hours=3)]


def test_moving_replaces_the_reminders_and_tells_the_roster(app, client, setting, db):
    """Old ids are gone, the new ones are at the new instants, and each confirmed villager
    gets one SMS of the change in their language."""
    departure = create_departure(client, setting, local_day(10, 10)).json
    old = _reminder_ids(app, departure["id"])
    new_time = local_day(12, 6, 30)
    moved = client.post(f"/api/v1/departures/{departure['id']}/move", headers=setting["officer"],
                        json={"leaves_at": new_time.isoformat(), "place": "Yongde county bus "
                              "station"})
    assert moved.status_code == 200, moved.json
    now = _reminder_ids(app, departure["id"])
    utc = new_time.astimezone(UTC)
    assert not set(old) & set(now)
    assert sorted(now.values()) == [utc - timedelta(days=3), utc - timedelta(days=1),
                                    utc - timedelta(hours=3)]
    changed = dict(messages(db, kind="departure_moved"))
    en, zh = setting["phones"][0], setting["phones"][1]
    assert set(changed) == {en, zh}
    assert "Yongde county bus station" in changed[en] and "06:30" in changed[en]
    assert "改为" in changed[zh] and "06:30" in changed[zh]


def test_cancelling_removes_every_reminder(app, client, setting, db):
    """No reminder of a cancelled departure is left in RQ; the roster is told."""
    departure = create_departure(client, setting, local_day(10, 10)).json
    cancelled = client.post(f"/api/v1/departures/{departure['id']}/cancel",
                            headers=setting["officer"])
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert _reminder_ids(app, departure["id"]) == {}
    assert len(messages(db, kind="departure_cancelled")) == 2
    again = client.post(f"/api/v1/departures/{departure['id']}/cancel",
                        headers=setting["officer"])
    assert again.status_code == 409


def test_a_reminder_for_an_old_time_sends_nothing(app, client, setting, db):
    """Even if a removal were missed, the reminder job checks the time it was scheduled for."""
    departure = create_departure(client, setting, local_day(10, 10)).json
    old = local_day(10, 10).astimezone(UTC)
    client.post(f"/api/v1/departures/{departure['id']}/move", headers=setting["officer"],
                json={"leaves_at": local_day(11, 10).isoformat()})
    from workers.departures import send_reminder

    assert send_reminder(departure["id"], old.isoformat(), "1d") == 0
    assert messages(db, kind="departure_reminder") == []
    new = local_day(11, 10).astimezone(UTC)
    assert send_reminder(departure["id"], new.isoformat(), "1d") == 2


def _worker_at(app, instant):
    """A real burst worker with the scheduler, the clock frozen at `instant`."""
    svc = services(app)
    with time_machine.travel(instant, tick=False):
        worker = Worker([svc.queue(name) for name in QUEUE_NAMES], connection=svc.redis)
        worker.work(burst=True, with_scheduler=True)


def test_a_worker_with_the_scheduler_sends_exactly_the_due_reminders(app, client, setting, db):
    """At 3 days minus a minute nothing goes; just after 3 days before, the 3-day reminder
    reaches the two confirmed villagers (not the one who only applied) and the others wait;
    each text names when, where, the escort, and how to answer, in the villager's language."""
    leaves = local_day(10, 10)
    departure = create_departure(client, setting, leaves).json
    utc = leaves.astimezone(UTC)
    _worker_at(app, utc - timedelta(days=3, minutes=1))
    assert messages(db, kind="departure_reminder") == []
    _worker_at(app, utc - timedelta(days=3) + timedelta(minutes=1))
    sent = dict(messages(db, kind="departure_reminder"))
    en, zh = setting["phones"][0], setting["phones"][1]
    assert set(sent) == {en, zh}
    assert sent[en] == ("Departure for Electronics factory worker: "
                        f"{leaves.day} {leaves:%b} 10:00 at Dedang bus station. Escort: Li Wei "
                        "+8613887654321. Reply YES to confirm, NO if you cannot go.")
    assert sms_segments(sent[en]) == 1
    assert sent[zh] == (f"出发提醒：电子厂普工，{leaves.month}月{leaves.day}日 10:00在Dedang bus "
                        "station集合。带队：Li Wei +8613887654321。回复 是 / YES 确认，否 / NO "
                        "表示不能去。")
    assert sms_segments(sent[zh]) == 2
    left = _reminder_ids(app, departure["id"])
    assert sorted(left.values()) == [utc - timedelta(days=1), utc - timedelta(hours=3)]


def test_quiet_hours_move_an_early_reminder_to_the_evening_before(app_factory):
    """Leaving at 06:00 with QUIET_HOURS=21-8: every reminder would land in the quiet hours
    (06:00 three days and one day before, 03:00 the same night), so each goes at 20:00 the
    evening before its time instead: nobody is woken, and the last one still comes."""
    app = app_factory(QUIET_HOURS="21-8")
    client = app.test_client()
    setting = confirmed_setting(app, client)
    leaves = local_day(10, 6)
    departure = create_departure(client, setting, leaves).json
    evenings = [(leaves - timedelta(days=days)).replace(hour=20).astimezone(UTC)
                for days in (4, 2, 1)]
    assert sorted(_reminder_ids(app, departure["id"]).values()) == evenings


def test_yes_and_no_by_sms_are_recorded_and_shown_on_the_roster(app, client, setting, db):
    """Villager 0 says YES then NO (the latest wins), villager 1 says 是: the roster shows
    declined, confirmed, and the counts; the replies name the time and place."""
    leaves = local_day(10, 10)
    departure = create_departure(client, setting, leaves).json
    en, zh = setting["phones"][0], setting["phones"][1]
    assert sms_in(client, en, "yes").startswith("Thank you: you will leave")
    reply = sms_in(client, en, "NO")
    assert reply.startswith("Noted: you cannot leave") and "10:00" in reply
    assert sms_segments(reply) == 1
    reply = sms_in(client, zh, "是")
    assert reply == (f"谢谢确认：{leaves.month}月{leaves.day}日 10:00在Dedang bus station"
                     "集合出发。如不能去请回复 否。")
    roster = client.get(f"/api/v1/departures/{departure['id']}", headers=setting["a"]).json
    answers = {r["villager_phone"]: r["answer"] for r in roster["roster"]}
    assert answers == {en: "declined", zh: "confirmed"}
    assert roster["counts"] == {"confirmed": 1, "declined": 1, "no_answer": 0}
    assert db.scalar(select(DepartureAnswer.via).where(
        DepartureAnswer.departure_id == departure["id"])) == "sms"


def test_yes_with_no_pending_departure_gets_a_helpful_answer(app, client, setting, db):
    """No departure is set: YES is not "unknown keyword" but says what will happen."""
    reply = sms_in(client, setting["phones"][0], "YES")
    assert reply == ("You have no departure to confirm now. When one is set we will text you "
                     "its date and place. Reply MY to see your applications.")
    assert sms_segments(reply) == 1
    assert sms_in(client, setting["phones"][1], "是").startswith("您目前没有需要确认的出发")
    assert db.scalars(select(DepartureAnswer)).all() == []


def test_an_opted_out_phone_saying_yes_is_opted_in_first(app, client, setting):
    """YES from an opted-out phone keeps its old meaning: subscribe again."""
    phone = setting["phones"][0]
    create_departure(client, setting, local_day(10, 10))
    sms_in(client, phone, "STOP")
    assert sms_in(client, phone, "YES").startswith("You are subscribed again")


def _application_screen(phone):
    """Dial, open My applications, the first application, and its last page."""
    phone.dial()
    phone.press("2")
    screen = phone.press("1")
    while "9 " in screen.rsplit("\n", 1)[-1]:
        screen = phone.press("9")
    return screen


def test_ussd_my_applications_confirms_and_declines_the_departure(app, client, setting):
    """The confirmed application shows the departure with 1 confirm / 2 cannot go; the
    answer lands on the roster."""
    departure = create_departure(client, setting, local_day(10, 10)).json
    phone = UssdPhone(client, setting["phones"][1])  # Chinese
    screen = _application_screen(phone)
    assert "1 确认出发 2 不能去 0 返回" in screen and "未答复" in screen
    assert phone.press("2").startswith("已记录您不能去")
    roster = client.get(f"/api/v1/departures/{departure['id']}", headers=setting["officer"]).json
    answers = {r["villager_phone"]: r["answer"] for r in roster["roster"]}
    assert answers[setting["phones"][1]] == "declined"
    assert "您的答复:不能去" in _application_screen(phone)
    assert phone.press("1").startswith("谢谢确认")
    roster = client.get(f"/api/v1/departures/{departure['id']}", headers=setting["officer"]).json
    assert roster["counts"] == {"confirmed": 1, "declined": 0, "no_answer": 1}


def test_the_api_is_scoped_like_postings(app, client, setting):
    """Another area's officer and another agency get 404; the posting's agency reads but
    may not create; a bad escort phone is refused without a departure."""
    departure = create_departure(client, setting, local_day(10, 10)).json
    elsewhere = account(app, "gengma-officer", "officer", area="gengma")
    path = f"/api/v1/departures/{departure['id']}"
    assert client.get(path, headers=elsewhere).status_code == 404
    assert client.get(path, headers=setting["b"]).status_code == 404
    assert client.post(f"{path}/cancel", headers=elsewhere).status_code == 404
    assert client.get(path, headers=setting["a"]).status_code == 200
    assert client.get("/api/v1/departures", headers=elsewhere).json["total"] == 0
    assert client.get("/api/v1/departures", headers=setting["a"]).json["total"] == 1
    assert client.get("/api/v1/departures", headers=setting["b"]).json["total"] == 0
    assert create_departure(client, {**setting, "officer": setting["a"]},
                            local_day(10, 10)).status_code == 403
    assert create_departure(client, {**setting, "officer": elsewhere},
                            local_day(10, 10)).status_code == 404
    bad = create_departure(client, setting, local_day(10, 10), escort_phone="call me")
    assert (bad.status_code, bad.json["field"]) == (422, "escort_phone")
    past = create_departure(client, setting, local_day(-1, 10))
    assert (past.status_code, past.json["field"]) == (422, "leaves_at")
    assert client.get("/api/v1/departures/999999", headers=setting["officer"]).status_code == 404
    assert client.get("/api/v1/departures", headers=setting["officer"]).json["total"] == 1


def test_the_openapi_document_describes_the_departure_routes(client):
    """The document validates and lists the new paths."""
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert {"/departures", "/departures/{departure_id}/move",
            "/checkins/follow-up"} <= set(document["paths"])
