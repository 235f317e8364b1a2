"""Training sessions end to end: the officers' API, the notice, enrolment by USSD and SMS within
capacity (also when enrolments race), the reminder the day before, attendance and completion.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from menus.budget import sms_segments
from menus.texts import t
from menus.types import Profile
from smsgateway.models import Area, Contact, Enrolment, Message, Posting, TrainingSession
from smsgateway.postings import applications
from smsgateway.services import services
from smsgateway.training.sessions import reminder_job_id
from smsgateway.villagers.records import contact_for, register

from .api import account, agency, employer, posting_body
from .conftest import run_worker
from .phone import UssdPhone
from .sign import twilio_post, twilio_sms

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _today():
    return datetime.now(SHANGHAI).date()


def _villager(app, n, township="yongde.dedang", skills=("catering",), language="zh",
              consent=True):
    """A registered villager (no confirmation SMS); returns the phone."""
    phone = f"+86139100{n:05d}"
    county = township.split(".")[0]
    with services(app).sessions.begin() as db:
        register(db, contact_for(db, phone),
                 Profile(f"村民{n}", "f", 1995, county, township, tuple(skills), True, consent,
                         language), via="ussd", channel="console", notify=False)
    return phone


def _body(**changes):
    start = _today() + timedelta(days=10)
    body = {"trade": "catering", "township": "yongde.dedang", "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=4)).isoformat(), "capacity": 20}
    body.update(changes)
    return body


def _create(client, head, **changes):
    response = client.post("/api/v1/trainings", headers=head, json=_body(**changes))
    assert response.status_code == 201, response.json
    return response.json


def _kind(app, kind):
    """{phone: body} of the messages of one kind."""
    with services(app).sessions() as db:
        rows = db.scalars(select(Message).where(Message.kind == kind)).all()
    assert len(rows) == len({row.phone for row in rows})  # one each
    return {row.phone: row.body for row in rows}


def _texts(app, phone):
    with services(app).sessions() as db:
        return [m.body for m in db.scalars(select(Message).where(Message.phone == phone))]


def _enrolments(app, training_id):
    with services(app).sessions() as db:
        return {e.villager.contact.phone: e.status.value for e in db.scalars(
            select(Enrolment).where(Enrolment.session_id == training_id))}


def _sms(client, phone, text, sid):
    return twilio_post(client, "/sms/twilio", twilio_sms(sid, phone, text)).get_data(as_text=True)


@pytest.fixture
def officer(app):
    return account(app, "yongde-officer", "officer", area="yongde")


# The API


def test_an_officer_creates_a_session_and_sees_its_counts(client, officer):
    """201 with the session, zero counts, all places left and the reminder's instant."""
    created = _create(client, officer, capacity=12)
    assert (created["status"], created["trade"], created["township"], created["county"]) == (
        "open", "catering", "yongde.dedang", "yongde")
    assert (created["enrolled"], created["attended"], created["completed"],
            created["places_left"]) == (0, 0, 0, 12)
    fetched = client.get(f"/api/v1/trainings/{created['id']}", headers=officer).json
    assert fetched == created


def test_officers_see_only_their_areas_sessions(app, client, officer):
    """Another county's officer neither lists nor gets the session (404); an admin does."""
    created = _create(client, officer)
    other = account(app, "gengma-officer", "officer", area="gengma")
    admin = account(app, "admin", "admin")
    assert client.get("/api/v1/trainings", headers=other).json["total"] == 0
    assert client.get(f"/api/v1/trainings/{created['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/trainings/{created['id']}/enrolments",
                      headers=other).status_code == 404
    assert client.get("/api/v1/trainings", headers=officer).json["total"] == 1
    assert client.get(f"/api/v1/trainings/{created['id']}", headers=admin).status_code == 200
    assert client.get("/api/v1/trainings/999999", headers=admin).status_code == 404


@pytest.mark.parametrize("changes, status, field", [
    ({"trade": "juggling"}, 422, "trade"),
    ({"township": "yongde"}, 404, "township"),  # a county, not a township
    ({"township": "gengma.mengding"}, 404, "township"),  # outside the officer's area
    ({"capacity": 0}, 422, "capacity"),
    ({"start_date": "2000-01-01", "end_date": "2000-01-02"}, 422, "start_date"),
    ({"posting_id": 999999}, 404, "posting_id"),
    ({"colour": "red"}, 422, "colour"),
])
def test_bad_sessions_are_refused_and_nothing_is_created(client, officer, changes, status, field):
    """Each bad body gets its status and names the field; no session is created."""
    response = client.post("/api/v1/trainings", headers=officer, json=_body(**changes))
    assert (response.status_code, response.json["field"]) == (status, field)
    assert client.get("/api/v1/trainings", headers=officer).json["total"] == 0


def test_end_before_start_is_refused(client, officer):
    """A session cannot end before it starts."""
    start = _today() + timedelta(days=5)
    response = client.post("/api/v1/trainings", headers=officer, json=_body(
        start_date=start.isoformat(), end_date=(start - timedelta(days=1)).isoformat()))
    assert response.status_code == 422 and "end_date" in response.json["error"]


def test_an_agency_may_not_organise_training(app, client):
    """Training is for officers and admins: an agency gets 403."""
    head = account(app, "wx", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))
    assert client.post("/api/v1/trainings", headers=head, json=_body()).status_code == 403


def test_the_openapi_document_lists_the_training_routes(client):
    """The routes are documented with their schemas."""
    document = client.get("/api/v1/openapi.json").json
    for path in ("/trainings", "/trainings/{training_id}",
                 "/trainings/{training_id}/enrolments",
                 "/enrolments/{enrolment_id}/status"):
        assert path in document["paths"], sorted(document["paths"])
    assert "TrainingIn" in document["components"]["schemas"]


# The notice


def _published(app, client, officer):
    """A published Yongde posting; returns its id."""
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-009"))
    posting = client.post("/api/v1/postings", headers=head, json=posting_body(employer(app))).json
    client.post(f"/api/v1/postings/{posting['id']}/vet", headers=officer,
                json={"decision": "publish"})
    return posting["id"]


def _apply(app, posting_id, phone, withdraw=False):
    with services(app).sessions.begin() as db:
        villager = db.scalars(select(Contact).where(Contact.phone == phone)).one().villager
        posting = db.get(Posting, posting_id)
        applications.apply(db, villager, posting, "sms", _today())
        if withdraw:
            applications.withdraw(db, villager, posting_id)


def test_the_notice_reaches_exactly_the_eligible_villagers_and_applicants_once(app, client,
                                                                             officer):
    """County + trade, and the posting's applicants: one SMS each in their language; never the
    opted out, those refusing SMS, another county's cooks without an application, villagers
    without the trade, or a withdrawn applicant."""
    cook_zh = _villager(app, 1)
    cook_en = _villager(app, 2, "yongde.mengban", language="en")  # another Yongde township
    cook_applicant = _villager(app, 3)  # both reasons: one SMS
    applicant_elsewhere = _villager(app, 4, skills=("factory",))  # moves to Gengma below
    _villager(app, 5, skills=("security",))  # no trade, no application
    _villager(app, 6, "gengma.mengding")  # the trade, but another county
    _villager(app, 7, consent=False)
    opted_out = _villager(app, 8)
    withdrawn = _villager(app, 9, skills=())  # moves to Gengma below
    with services(app).sessions.begin() as db:
        db.scalars(select(Contact).where(Contact.phone == opted_out)).one().opted_out = True
    posting_id = _published(app, client, officer)
    for phone in (cook_applicant, applicant_elsewhere):
        _apply(app, posting_id, phone)
    _apply(app, posting_id, withdrawn, withdraw=True)
    # Applied from Yongde (a Yongde posting is open to Yongde's villagers), then moved away.
    with services(app).sessions.begin() as db:
        gengma = db.scalars(select(Area).where(Area.code == "gengma.mengding")).one()
        for phone in (applicant_elsewhere, withdrawn):
            db.scalars(select(Contact).where(Contact.phone == phone)).one().villager.township = (
                gengma)

    created = _create(client, officer, posting_id=posting_id)
    run_worker(app)
    notices = _kind(app, f"training:{created['id']}")
    assert set(notices) == {cook_zh, cook_en, cook_applicant, applicant_elsewhere}
    assert "餐饮培训" in notices[cook_zh] and "培训" + str(created["id"]) in notices[cook_zh]
    assert "德党镇" in notices[cook_zh]
    assert "Catering" in notices[cook_en] and f"TRAIN {created['id']}" in notices[cook_en]
    assert all(sms_segments(text) <= 2 for text in notices.values())

    run_worker(app)  # nothing more on a second run
    assert len(_kind(app, f"training:{created['id']}")) == 4


def test_a_session_cancelled_before_its_notice_goes_sends_nothing(app, client, officer):
    """Cancelled before the worker ran: no notice; cancelling twice is a 409."""
    _villager(app, 1)
    created = _create(client, officer)
    url = f"/api/v1/trainings/{created['id']}/cancel"
    assert client.post(url, headers=officer).json["status"] == "cancelled"
    assert client.post(url, headers=officer).status_code == 409
    run_worker(app)
    assert _kind(app, f"training:{created['id']}") == {}


# Enrolment by USSD and SMS


def test_a_villager_enrols_by_ussd_and_sees_already_enrolled_after(app, client, officer):
    """Menu 3 lists the county's session, opens it, confirms, enrols; next time "already"."""
    phone_number = _villager(app, 1, "yongde.mengban", skills=())
    created = _create(client, officer, capacity=3)
    phone = UssdPhone(client, phone_number)
    phone.dial()
    phone.choose("培训")
    assert "可报名的培训" in phone.screen and "餐饮" in phone.screen
    phone.press("1")
    assert "剩余名额:3" in phone.screen and "德党镇" in phone.screen
    phone.press("1")
    assert "确认报名" in phone.screen
    phone.press("1")
    assert phone.screen == t("zh", "training_enrolled")
    assert _enrolments(app, created["id"]) == {phone_number: "enrolled"}
    assert client.get(f"/api/v1/trainings/{created['id']}",
                      headers=officer).json["places_left"] == 2
    phone.dial()
    phone.choose("培训")
    phone.press("1")
    assert t("zh", "training_already") in phone.screen


def test_another_countys_villager_does_not_see_the_session(app, client, officer):
    """A Gengma villager without an application to its posting is not offered it."""
    phone_number = _villager(app, 1, "gengma.mengding")
    created = _create(client, officer)
    phone = UssdPhone(client, phone_number)
    phone.dial()
    phone.choose("培训")
    assert phone.screen == t("zh", "no_trainings")
    reply = _sms(client, phone_number, f"培训 {created['id']}", "SMx1")
    assert t("zh", "enrol_refuse_not_eligible") in reply
    assert _enrolments(app, created["id"]) == {}


def test_a_villager_enrols_by_sms_and_a_full_session_is_refused_politely(app, client, officer):
    """TRAIN lists it; TRAIN n enrols the first; the second is told it is full and what to do."""
    first, second = _villager(app, 1, language="en"), _villager(app, 2)
    created = _create(client, officer, capacity=1)
    listing = _sms(client, first, "TRAIN", "SM1")
    assert f"{created['id']} Catering" in listing and f"TRAIN {created['id']}" in listing
    enrolled = _sms(client, first, f"TRAIN {created['id']}", "SM2")
    assert f"Enrolled in course {created['id']}" in enrolled
    refused = _sms(client, second, f"培训{created['id']}", "SM3")
    assert t("zh", "enrol_refuse_full") in refused
    assert _enrolments(app, created["id"]) == {first: "enrolled"}
    assert t("en", "enrol_refuse_already_enrolled") in _sms(client, first,
                                                            f"TRAIN {created['id']}", "SM4")


def test_an_unregistered_phone_is_told_to_register_first(client, officer):
    """TRAIN from a phone that never registered: a clear line, nothing enrolled."""
    _create(client, officer)
    assert t("en", "sms_train_register_first") in _sms(client, "+8613900099999", "TRAIN", "SM9")


def test_concurrent_enrolments_for_the_last_places_leave_exactly_the_capacity(app, client,
                                                                            officer):
    """Eight villagers text 培训 n at once for 2 places: 2 enrolled, the counter at 2, and each
    of the six others told the session is full (at once, or by SMS when it lost the race)."""
    phones = [_villager(app, n) for n in range(8)]
    created = _create(client, officer, capacity=2)
    barrier = threading.Barrier(len(phones))

    def enrol(phone):
        own = app.test_client()
        barrier.wait()
        _sms(own, phone, f"培训 {created['id']}", f"SMrace{phone}")

    threads = [threading.Thread(target=enrol, args=(p,)) for p in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    enrolled = _enrolments(app, created["id"])
    assert sorted(enrolled.values()) == ["enrolled", "enrolled"]
    with services(app).sessions() as db:
        assert db.get(TrainingSession, created["id"]).taken == 2
    full = (t("zh", "enrol_refuse_full"), "最后名额刚被报走")
    for phone in set(phones) - set(enrolled):
        assert any(part in text for text in _texts(app, phone) for part in full), phone


# The reminder


def test_the_reminder_is_scheduled_for_9_local_the_day_before(app, client, officer):
    """Job id training-reminder-<id>, at 09:00 Asia/Shanghai the day before = 01:00 UTC."""
    created = _create(client, officer)
    start = datetime.fromisoformat(created["start_date"]).date()
    expected = datetime(start.year, start.month, start.day, 1, tzinfo=UTC) - timedelta(days=1)
    registry = ScheduledJobRegistry("schedules", connection=services(app).redis)
    job_id = reminder_job_id(created["id"])
    assert registry.get_job_ids() == [job_id]
    assert registry.get_scheduled_time(job_id) == expected
    assert datetime.fromisoformat(created["reminder_at"]) == expected


def test_a_session_starting_today_gets_no_reminder(app, client, officer):
    """The reminder's time (9:00 the day before) has passed: the notice stands for it."""
    created = _create(client, officer, start_date=_today().isoformat(),
                      end_date=_today().isoformat())
    registry = ScheduledJobRegistry("schedules", connection=services(app).redis)
    assert registry.get_job_ids() == [] and created["reminder_at"] is None


def _run_reminder_now(app, training_id):
    """What RQ's scheduler does when the time comes: move the job to its queue; then work it."""
    svc = services(app)
    job = Job.fetch(reminder_job_id(training_id), connection=svc.redis)
    ScheduledJobRegistry("schedules", connection=svc.redis).remove(job)
    svc.queue("schedules").enqueue_job(job)
    run_worker(app)


def test_the_reminder_goes_to_those_enrolled_when_it_runs(app, client, officer):
    """Enrolled before and after the notice: reminded, in their language; withdrawn: not."""
    early, late = _villager(app, 1), _villager(app, 2, language="en")
    withdrawn = _villager(app, 3)
    created = _create(client, officer)
    run_worker(app)  # the notices
    for sid, phone in (("SMa", early), ("SMb", withdrawn)):
        _sms(client, phone, f"培训 {created['id']}", sid)
    [row] = [e for e in client.get(f"/api/v1/trainings/{created['id']}/enrolments",
                                   headers=officer).json["items"]
             if e["villager_phone"] == withdrawn]
    client.post(f"/api/v1/enrolments/{row['id']}/status", headers=officer,
                json={"status": "withdrawn"})
    _sms(client, late, f"TRAIN {created['id']}", "SMc")
    _run_reminder_now(app, created["id"])
    reminders = _kind(app, f"training-reminder:{created['id']}")
    assert set(reminders) == {early, late}
    assert "明天开课" in reminders[early] and "tomorrow" in reminders[late]
    assert all(sms_segments(text) <= 2 for text in reminders.values())


def test_a_cancelled_session_sends_no_reminder(app, client, officer):
    """Cancelled after enrolments: its holders are told of the cancellation, and no reminder."""
    phone = _villager(app, 1)
    created = _create(client, officer)
    _sms(client, phone, f"培训 {created['id']}", "SMd")
    client.post(f"/api/v1/trainings/{created['id']}/cancel", headers=officer)
    _run_reminder_now(app, created["id"])
    assert _kind(app, f"training-reminder:{created['id']}") == {}
    assert "已取消" in _kind(app, f"training-cancelled:{created['id']}")[phone]


# Attendance and completion


def _started(app, client, officer, phones):
    """A session that starts today with these villagers enrolled; returns (id, enrolment ids)."""
    created = _create(client, officer, start_date=_today().isoformat())
    for n, phone in enumerate(phones):
        _sms(client, phone, f"培训 {created['id']}", f"SMs{n}")
    items = client.get(f"/api/v1/trainings/{created['id']}/enrolments", headers=officer).json
    return created["id"], [item["id"] for item in items["items"]]


def _mark(client, head, enrolment_id, status):
    return client.post(f"/api/v1/enrolments/{enrolment_id}/status", headers=head,
                       json={"status": status})


def test_attendance_then_completion_counts_as_trained(app, client, officer):
    """enrolled → attended → completed sets completed_at; the session's counts follow."""
    training_id, (first, second, third) = _started(
        app, client, officer, [_villager(app, n) for n in range(3)])
    assert _mark(client, officer, first, "attended").json["status"] == "attended"
    done = _mark(client, officer, first, "completed").json
    assert done["status"] == "completed" and done["completed_at"] is not None
    assert _mark(client, officer, second, "absent").json["status"] == "absent"
    assert _mark(client, officer, second, "attended").json["status"] == "attended"  # corrected
    assert _mark(client, officer, third, "withdrawn").json["status"] == "withdrawn"
    counts = client.get(f"/api/v1/trainings/{training_id}", headers=officer).json
    assert (counts["enrolled"], counts["attended"], counts["completed"], counts["withdrawn"],
            counts["places_left"]) == (2, 2, 1, 1, 18)
    with services(app).sessions() as db:
        trained = db.get(Enrolment, first)
        assert trained.township_id == trained.villager.township_id


@pytest.mark.parametrize("moves, status", [
    (["completed"], 409),  # completion needs attendance first
    (["attended", "absent"], 409),
    (["withdrawn", "attended"], 409),
    (["enrolled"], 422),  # not a mark
    (["graduated"], 422),
])
def test_bad_moves_are_refused_and_change_nothing(app, client, officer, moves, status):
    """A move the rules do not allow gets a clear 409 (or 422) and leaves the status."""
    _, (enrolment,) = _started(app, client, officer, [_villager(app, 1)])
    for move in moves[:-1]:
        assert _mark(client, officer, enrolment, move).status_code == 200
    before = moves[-2] if len(moves) > 1 else "enrolled"
    response = _mark(client, officer, enrolment, moves[-1])
    assert response.status_code == status and response.json["error"]
    assert _mark(client, officer, enrolment, "nonsense").status_code == 422
    listing = client.get("/api/v1/trainings", headers=officer).json["items"][0]
    items = client.get(f"/api/v1/trainings/{listing['id']}/enrolments", headers=officer).json
    assert items["items"][0]["status"] == before


def test_attendance_is_not_marked_before_the_first_day(app, client, officer):
    """A session that starts next week cannot have attendance yet: 409."""
    phone = _villager(app, 1)
    created = _create(client, officer)
    _sms(client, phone, f"培训 {created['id']}", "SMe")
    [item] = client.get(f"/api/v1/trainings/{created['id']}/enrolments",
                        headers=officer).json["items"]
    response = _mark(client, officer, item["id"], "attended")
    assert response.status_code == 409 and "first day" in response.json["error"]


def test_another_officer_cannot_mark_an_enrolment(app, client, officer):
    """An enrolment in a session outside the officer's area is a 404."""
    _, (enrolment,) = _started(app, client, officer, [_villager(app, 1)])
    other = account(app, "gengma-officer", "officer", area="gengma")
    assert _mark(client, other, enrolment, "attended").status_code == 404
