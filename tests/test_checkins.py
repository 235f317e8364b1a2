"""Check-ins after departure, driven by the check-in job at injected instants; the family
contact; the answers 1, 2 and 3; the officers' follow-up list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from menus.budget import sms_segments
from smsgateway.cli import start_periodic_jobs
from smsgateway.followup.checkins import add_months
from smsgateway.models import Application, Case, CheckIn, Contact, FamilyContact
from smsgateway.services import services
from workers.checkins import run

from .api import account
from .conftest import run_worker
from .departing import confirmed_setting, create_departure, local_day, messages, scheduled, sms_in

FAMILY = "+8613912345678"


@pytest.fixture
def departed(app, client, db):
    """Villagers 0 (English, with a family contact) and 1 (Chinese) departed just now."""
    setting = confirmed_setting(app, client)
    sms_in(client, setting["phones"][0], "FAMILY 13912345678")
    departure = create_departure(client, setting, local_day(1, 10)).json
    marked = client.post(f"/api/v1/departures/{departure['id']}/depart",
                         headers=setting["officer"])
    assert marked.status_code == 200, marked.json
    application = db.get(Application, setting["applications"][0])
    return {**setting, "departed_at": application.departed_at, "departure": marked.json}


def _checkins(db):
    db.expire_all()
    query = select(CheckIn).order_by(CheckIn.id)
    return db.scalars(query).all()


def test_family_contact_is_named_with_consent_and_told_exactly_what_is_shared(
        app, client, db):
    """FAMILY <phone>: the reply says what will be shared; the family phone gets one SMS
    naming who chose them and how to refuse; FAMILY OFF removes it; 家人 works too."""
    setting = confirmed_setting(app, client)
    en, zh = setting["phones"][0], setting["phones"][1]
    reply = sms_in(client, en, "FAMILY 139 1234 5678")
    assert reply == ("Family contact: +8613912345678. We text them only your name, the day "
                     "you leave, the job's city and that you arrived. FAMILY OFF removes it.")
    assert sms_segments(reply) == 1
    named = messages(db, kind="family")
    assert named == [(FAMILY, "Jobline: 村民0 named you as family contact. We will text you "
                      "when they leave for work and when they arrive. Reply STOP to refuse.")]
    sms_in(client, en, "FAMILY 13912345678")  # named again: not told twice
    assert len(messages(db, kind="family")) == 1
    assert sms_in(client, en, "FAMILY OFF").startswith("Your family contact is removed")
    assert db.scalars(select(FamilyContact)).all() == []
    assert sms_in(client, zh, "家人 abc") == '"abc"不是手机号。例：家人 13912345678'
    assert sms_in(client, en, "FAMILYHOOD").startswith("Sorry, we did not understand")
    assert sms_in(client, zh, "家人 13912345678").startswith("已登记家人 +8613912345678")


def test_the_family_is_told_of_the_departure_unless_they_opted_out(app, client, departed, db):
    """Marking departed moves the confirmed applications and texts the family contact."""
    assert departed["departure"]["status"] == "departed"
    assert {r["status"] for r in departed["departure"]["roster"]} == {"departed"}
    assert messages(db, kind="family")[-1] == (
        FAMILY, "Jobline: 村民0 left today for work in Dongguan.")
    assert departed["departed_at"] is not None


def test_an_opted_out_family_phone_gets_nothing(app, client, db):
    """STOP from the family phone: no departure SMS reaches it."""
    setting = confirmed_setting(app, client)
    sms_in(client, setting["phones"][0], "FAMILY 13912345678")
    sms_in(client, FAMILY, "STOP")
    departure = create_departure(client, setting, local_day(1, 10)).json
    client.post(f"/api/v1/departures/{departure['id']}/depart", headers=setting["officer"])
    assert len(messages(db, kind="family")) == 1  # only the first "you were named"
    assert db.scalars(select(Contact.opted_out).where(Contact.phone == FAMILY)).one()


def test_the_first_checkin_is_due_after_n_days_then_monthly(app, departed, db):
    """Nothing before 3 days; at 3 days one check-in each (number 0) in their language;
    a month after departure the next (number 1); nothing twice."""
    start = departed["departed_at"]
    assert run(now=start + timedelta(days=2, hours=23))["sent"] == 0
    assert run(now=start + timedelta(days=3, minutes=1))["sent"] == 2
    assert run(now=start + timedelta(days=3, minutes=2))["sent"] == 0
    texts = dict(messages(db, kind="checkin"))
    en, zh = departed["phones"][0], departed["phones"][1]
    assert texts[en] == ("Jobline check-in (Electronics factory worker): how are you? Reply 1 "
                         "all is well, 2 I have a problem, 3 I have come home.")
    assert texts[zh] == ("临沧务工回访（电子厂普工）：您好吗？"
                         "回复 1 一切平安，2 遇到问题，3 已回家。")
    assert sms_segments(texts[en]) == 1 and sms_segments(texts[zh]) == 1
    sms_in(app.test_client(), en, "1")
    sms_in(app.test_client(), zh, "1")
    assert run(now=add_months(start, 1) - timedelta(minutes=1))["sent"] == 0
    assert run(now=add_months(start, 1) + timedelta(minutes=1))["sent"] == 2
    assert sorted(c.number for c in _checkins(db)) == [0, 0, 1, 1]


def test_unanswered_checkins_are_reminded_twice_then_land_on_the_follow_up_list(
        app, client, departed, db):
    """Reminders after 3 and 6 days, flagged after 9; the area's officer sees both workers
    and how long overdue, another area's officer sees none, an agency may not look."""
    # They left 30 days ago: the list measures "overdue" against the real clock.
    for application in db.scalars(select(Application).where(
            Application.departed_at.is_not(None))):
        application.departed_at -= timedelta(days=30)
    db.commit()
    start = departed["departed_at"] - timedelta(days=30) + timedelta(days=3, minutes=1)
    run(now=start)
    assert run(now=start + timedelta(days=3))["reminded"] == 2
    assert run(now=start + timedelta(days=4))["reminded"] == 0
    assert run(now=start + timedelta(days=6))["reminded"] == 2
    assert run(now=start + timedelta(days=8))["flagged"] == 0
    assert run(now=start + timedelta(days=9)) == {"sent": 0, "reminded": 0, "flagged": 2}
    reminders = messages(db, kind="checkin", phone=departed["phones"][0])[1:]
    assert [body for _, body in reminders] == [
        "Reminder: we have not heard from you. Reply 1 all is well, 2 I have a problem, "
        "3 I have come home."] * 2
    listed = client.get("/api/v1/checkins/follow-up", headers=departed["officer"]).json
    assert listed["total"] == 2
    item = listed["items"][0]
    assert item["reminders"] == 2 and item["checkin_number"] == 0
    assert item["application_id"] in departed["applications"]
    assert item["villager_phone"] in departed["phones"]
    assert item["overdue_days"] == 26
    elsewhere = account(app, "lincang-elsewhere", "officer", area="gengma")
    assert client.get("/api/v1/checkins/follow-up", headers=elsewhere).json["total"] == 0
    assert client.get("/api/v1/checkins/follow-up", headers=departed["a"]).status_code == 403
    sms_in(client, departed["phones"][0], "1")  # heard from: off the list
    assert client.get("/api/v1/checkins/follow-up",
                      headers=departed["officer"]).json["total"] == 1


def test_answer_1_on_the_first_checkin_tells_the_family_of_the_arrival(
        app, client, departed, db):
    """"1" closes the check-in and the family hears of the arrival; a second "1" with no
    open check-in is not a keyword."""
    run(now=departed["departed_at"] + timedelta(days=3, minutes=1))
    reply = sms_in(client, departed["phones"][0], "1")
    assert reply == ("Glad you arrived well. Is the job the one the posting described? "
                     "Reply 1 yes, 2 no.")
    assert messages(db, kind="family")[-1] == (
        FAMILY, "Jobline: 村民0 has arrived in Dongguan and says all is well.")
    checkin = next(c for c in _checkins(db)
                   if c.application_id == departed["applications"][0])
    assert (checkin.answer, checkin.closed_at is not None) == (1, True)
    sms_in(client, departed["phones"][0], "1")  # the promise questions (test_promises)
    sms_in(client, departed["phones"][0], "1")
    assert sms_in(client, departed["phones"][0], "3").startswith("Sorry, we did not understand")


def test_answer_2_opens_a_case_linked_to_the_placement(app, client, departed, db):
    """The case names the placement; the villager gets its number and an invitation to
    describe the problem (Chinese)."""
    run(now=departed["departed_at"] + timedelta(days=3, minutes=1))
    zh = departed["phones"][1]
    reply = sms_in(client, zh, "2")
    assert reply == "工作人员会联系您。请问：工作和招工信息说的一样吗？回复 1 一样，2 不一样。"
    case = db.scalars(select(Case)).one()
    assert (case.application_id, case.via, case.category.value) == (
        departed["applications"][1], "checkin", "other")
    assert any(f"编号 {case.id}" in body for _, body in messages(db, kind="case", phone=zh))
    assert db.scalars(select(CheckIn.case_id).where(CheckIn.answer == 2)).one() == case.id


def test_answer_3_records_the_return_and_stops_the_checkins(app, client, departed, db):
    """"3": `returned_at` on the placement; later months send only the other worker's."""
    start = departed["departed_at"]
    run(now=start + timedelta(days=3, minutes=1))
    en = departed["phones"][0]
    assert sms_in(client, en, "3") == ("Welcome home! We will stop the check-ins. "
                                       "Reply JOBS for new jobs.")
    db.expire_all()
    application = db.get(Application, departed["applications"][0])
    assert application.returned_at is not None
    assert run(now=add_months(start, 2))["sent"] == 1  # only the other worker's
    assert [c.number for c in _checkins(db) if c.application_id == application.id] == [0]


def test_a_registration_under_way_takes_numbers_first(app, client, departed, db):
    """A phone in the SMS registration Q&A answering "2" answers the registration."""
    run(now=departed["departed_at"] + timedelta(days=3, minutes=1))
    stranger = "+8613700000001"
    sms_in(client, stranger, "REG")
    sms_in(client, stranger, "Wang Fang")
    reply = sms_in(client, stranger, "2")  # sex: 2 female
    assert "birth" in reply.lower()
    assert db.scalars(select(Case)).all() == []


def test_quiet_hours_hold_checkins_until_morning(app_factory):
    """A check-in due at night (QUIET_HOURS=21-8) waits for the first run after 08:00."""
    app = app_factory(QUIET_HOURS="21-8")
    client = app.test_client()
    setting = confirmed_setting(app, client)
    departure = create_departure(client, setting, local_day(1, 10)).json
    client.post(f"/api/v1/departures/{departure['id']}/depart", headers=setting["officer"])
    night = local_day(5, 23)
    assert run(now=night)["sent"] == 0
    assert run(now=night + timedelta(hours=9, minutes=30))["sent"] == 2


def test_the_periodic_jobs_keep_their_next_run_after_a_run(app):
    """A run of the sweep or the check-in job schedules the next one under its own id: the
    finished run must not leave RQ's result expiry (500 s, less than CHECKIN_INTERVAL) on the
    next run's record, or RQ's scheduler finds no job when it is due and drops it."""
    svc = services(app)
    start_periodic_jobs(svc)
    run_worker(app)
    for job_id in ("jobline-sweep", "jobline-checkins"):
        assert job_id in scheduled(app)
        assert svc.redis.ttl(f"rq:job:{job_id}") == -1  # no expiry before the next run
