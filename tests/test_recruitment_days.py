"""Recruitment days: an officer schedules interviews for a posting at a township; the
villagers it fits are invited by SMS, book a slot with digits (never beyond its places, also
when bookings race), are reminded the day before out of the quiet hours, and the agency's
outcome shortlists or rejects the application."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from menus import interviews as interview_texts
from menus.budget import sms_segments
from menus.types import (
    AskInterviewSlots,
    BookInterview,
    Contact,
    InterviewSlot,
    OpenInterview,
    Option,
    Profile,
)
from smsgateway import jobcontext
from smsgateway.console import password_mark
from smsgateway.conversation.effects import apply_effects
from smsgateway.kernel.errors import Refused
from smsgateway.models import Application, Interview, Message, User
from smsgateway.models import Contact as ContactRow
from smsgateway.models import InterviewSlot as SlotRow
from smsgateway.postings import recruitment_days
from smsgateway.services import services
from workers.interviews import remind, send_invitation_batch

from .api import account, agency, published, registered_villager
from .conftest import run_worker
from .departing import local_day, messages, sms_in
from .menu_catalog import MenuCatalog, walk_ussd

DAY_AHEAD = 3


@pytest.fixture
def app(app_factory):
    """The default app with the quiet hours of production (21:00-08:00)."""
    return app_factory(QUIET_HOURS="21-8")


@pytest.fixture
def invited(app, client, db):
    """Agency A's published posting; three villagers of Yongde (0 and 2 read English, 1
    Chinese); a recruitment day in three days at 09:00 (one place) and 09:30 (two places),
    its invitations written by a real worker."""
    a = agency(app, "Wanxin Labour Service", "LIC-001")
    heads = {"a": account(app, "a", "agency", agency_id=a),
             "officer": account(app, "o", "officer", area="yongde"),
             "fengqing": account(app, "f", "officer", area="fengqing")}
    posting = published(app, client, heads["a"], heads["officer"])
    phones = [registered_villager(app, n, "zh" if n % 2 else "en") for n in range(3)]
    day = local_day(DAY_AHEAD, 0).date()
    body = {"posting_id": posting, "township": "yongde.dedang", "place": "Dedang town hall",
            "day": day.isoformat(),
            "slots": [{"time": "09:30", "places": 2}, {"time": "09:00", "places": 1}]}
    assert client.post("/api/v1/recruitment-days", headers=heads["fengqing"],
                       json=body).status_code == 404  # another county's officer
    created = client.post("/api/v1/recruitment-days", headers=heads["officer"], json=body)
    assert created.status_code == 201, created.json
    run_worker(app)
    return {**heads, "posting": posting, "phones": phones, "day": created.json, "date": day}


def _when(day: date, lang: str) -> str:
    return f"{day.month}月{day.day}日" if lang == "zh" else day.strftime("%-d %b")


def test_a_recruitment_day_from_invitation_to_outcome(app, client, db, invited):
    """The transcript: invited, `1` lists the free times, a slot's number books it, the full
    slot is refused to the next villager, a second answer is "already noted", the reminder
    goes the day before at 08:00 (not at 00:30), the outcome shortlists and rejects."""
    day, when = invited["date"], _when(invited["date"], "en")
    en, zh, other = invited["phones"]
    assert [s["number"] for s in invited["day"]["slots"]] == [1, 2]  # numbered in time order
    assert invited["day"]["slots"][0]["time"] == "09:00"
    invitations = messages(db, kind=f"interview-invite:{invited['day']['id']}")
    assert sorted(p for p, _ in invitations) == sorted(invited["phones"])
    text = dict(invitations)
    assert text[en] == (f"Jobline recruitment day: Electronics factory worker interviews at "
                        f"Dedang town hall, {when}. Reply 1 to book a time.")
    assert text[zh] == (f"就业服务招聘日：电子厂普工于{_when(day, 'zh')}在Dedang town hall面试。"
                        "回复1预约面试时间。")
    assert sms_segments(text[en]) == 1 and sms_segments(text[zh]) <= 2

    assert sms_in(client, en, "1") == (
        f"Free times {when}, reply the number: 1 09:00 2 09:30")
    assert sms_in(client, en, "1") == (
        f"Booked: interview {when} 09:00 at Dedang town hall. We text you a reminder the day "
        "before; the agency tells you the result.")
    sms_in(client, other, "1")
    refused = sms_in(client, other, "1")  # 09:00 has one place, taken
    assert refused == f"1 is not a free time.\nFree times {when}, reply the number: 2 09:30"
    assert sms_in(client, other, "2").startswith(f"Booked: interview {when} 09:30")
    assert sms_in(client, en, "2") == (
        f"Already noted: your interview is {when} 09:00 at Dedang town hall.")
    assert sms_in(client, zh, "1") == f"{_when(day, 'zh')}可约时间，回复序号： 2 09:30"
    for reply in (sms_in(client, zh, "1"), sms_in(client, zh, "2")):
        assert sms_segments(reply) <= 2
    db.expire_all()
    slots = db.scalars(select(SlotRow).order_by(SlotRow.number)).all()
    assert [(s.taken, s.places) for s in slots] == [(1, 1), (2, 2)]
    interviews = {i.villager.contact.phone: i for i in db.scalars(select(Interview))}
    assert {p: i.status.value for p, i in interviews.items()} == dict.fromkeys(
        invited["phones"], "booked")
    assert all(i.application.status.value == "interested" for i in interviews.values())

    jobcontext.install(app)
    assert remind(local_day(DAY_AHEAD - 1, 0, 30)) == 0  # the day before, in the quiet hours
    assert messages(db, kind=f"interview-reminder:{invited['day']['id']}") == []
    assert remind(local_day(DAY_AHEAD - 1, 8)) == 3
    assert remind(local_day(DAY_AHEAD - 1, 9)) == 0  # each once
    reminders = dict(messages(db, kind=f"interview-reminder:{invited['day']['id']}"))
    assert reminders[en] == ("Reminder: your interview for Electronics factory worker is "
                             "tomorrow 09:00 at Dedang town hall. Bring your ID card.")
    assert reminders[zh] == "提醒：您明天09:30在Dedang town hall参加电子厂普工面试，请带身份证。"

    outcome = f"/api/v1/interviews/{interviews[en].id}/outcome"
    early = client.post(outcome, headers=invited["a"], json={"outcome": "shortlisted"})
    assert early.status_code == 409  # before the day: nothing to record yet
    with time_machine.travel(local_day(DAY_AHEAD, 17), tick=False):
        done = client.post(outcome, headers=invited["a"], json={"outcome": "shortlisted"})
        assert done.status_code == 200, done.json
        assert done.json["status"] == "shortlisted"
        again = client.post(outcome, headers=invited["a"], json={"outcome": "rejected",
                                                                  "reason": "late"})
        assert again.status_code == 409  # recorded once
        no_reason = client.post(f"/api/v1/interviews/{interviews[other].id}/outcome",
                                headers=invited["a"], json={"outcome": "rejected"})
        assert no_reason.status_code == 422
        rejected = client.post(f"/api/v1/interviews/{interviews[other].id}/outcome",
                               headers=invited["a"],
                               json={"outcome": "rejected", "reason": "no experience"})
        assert rejected.status_code == 200, rejected.json
    db.expire_all()
    statuses = {a.villager.contact.phone: a.status.value for a in db.scalars(select(Application))}
    assert statuses[en] == "shortlisted" and statuses[other] == "rejected"
    assert statuses[zh] == "interested"
    told = [body for _, body in messages(db, kind="application", phone=en)]
    assert len(told) == 1 and "shortlisted" in told[0]
    listed = client.get(f"/api/v1/recruitment-days/{invited['day']['id']}/interviews",
                        headers=invited["a"])
    assert [(r["slot"], r["status"]) for r in listed.json["items"]] == [
        (1, "shortlisted"), (2, "rejected"), (2, "booked")]


def test_a_late_booking_is_reminded_when_the_quiet_hours_end(app, client, db, invited):
    """Booked the evening before, in the quiet hours: the reminder waits for 08:00."""
    en = invited["phones"][0]
    with time_machine.travel(local_day(DAY_AHEAD - 1, 22), tick=False):
        sms_in(client, en, "1")
        sms_in(client, en, "2")
    jobcontext.install(app)
    assert remind(local_day(DAY_AHEAD - 1, 23)) == 0
    assert remind(local_day(DAY_AHEAD, 8)) == 1


def test_concurrent_bookings_never_overbook_a_slot(app, client, db, invited):
    """Three villagers race for the one place at 09:00: one gets it, two are refused."""
    svc = services(app)
    ids = [i.id for i in db.scalars(select(Interview).order_by(Interview.id))]
    barrier, results = threading.Barrier(len(ids)), []

    def book(interview_id):
        barrier.wait()
        try:
            with svc.sessions.begin() as session:
                found = session.get(Interview, interview_id)
                recruitment_days.book(session, found, 1, "sms", local_day(0, 10),
                                      local_day(0, 10).date(), svc.settings)
            results.append("booked")
        except Refused as refused:
            results.append(refused.message)

    threads = [threading.Thread(target=book, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["booked", "taken", "taken"]
    db.expire_all()
    assert db.scalars(select(SlotRow).where(SlotRow.number == 1)).one().taken == 1
    assert len(db.scalars(select(Interview).where(Interview.status == "booked")).all()) == 1


def test_ussd_shows_an_open_invitation_first_and_books_with_two_digits():
    """Dialling in with an invitation open: 1 lists the free times, a number books; every
    screen within the USSD budget in both languages."""
    crowded = (Option("3", "电子厂普工" * 16, "Electronics factory worker " * 4), "X" * 30,
               tuple(InterviewSlot(n, f"1{n}:30", 1) for n in range(1, 9)))
    plain = (Option("3", "电子厂普工", "Factory worker"), "Dedang town hall",
             (InterviewSlot(1, "09:00", 0), InterviewSlot(2, "09:30", 2)))
    for lang, (title, place, slots) in [(lang, plain) for lang in ("zh", "en")] + [
            (lang, crowded) for lang in ("zh", "en")]:
        catalog = MenuCatalog()
        catalog.interview = OpenInterview(7, local_day(0, 9), "invited", title,
                                          date(2025, 6, 4), place, slots)
        if slots is crowded[2]:  # every screen fits however long (walk_ussd checks)
            listed_by_sms = interview_texts.slots_text(catalog.interview, lang, date(2025, 6, 1))
            assert sms_segments(listed_by_sms) <= (2 if lang == "zh" else 1), listed_by_sms
            assert "8 18:30" in listed_by_sms
            walk_ussd(["1", "8"], Contact(language=lang, profile=Profile(
                "李明", "m", 1990, "linxiang", "linxiang.boshang", (), True, True, lang)),
                catalog)
            continue
        contact = Contact(language=lang, profile=Profile(
            "李明", "m", 1990, "linxiang", "linxiang.boshang", (), True, True, lang))
        shown = walk_ussd([], contact, catalog)
        assert shown.state["screen"] == "interview"
        listed = walk_ussd(["1"], contact, catalog)
        assert listed.effects == (AskInterviewSlots(7),)
        assert "2 09:30" in listed.screen and "09:00" not in listed.screen
        assert walk_ussd(["1", "1"], contact, catalog).state["screen"] == "interview_slots"
        booked = walk_ussd(["1", "2"], contact, catalog)
        assert booked.end and booked.effects == (BookInterview(7, 2),)
        assert "09:30" in booked.screen
        assert walk_ussd(["0"], contact, catalog).state["screen"] == "menu"


def _console(app, name):
    """A console client signed in as the account `name`, and its CSRF token."""
    browser = app.test_client()
    with services(app).sessions() as db, browser.session_transaction() as session:
        user = db.scalars(select(User).where(User.name == name)).one()
        session["user_id"], session["pw"], session["csrf"] = user.id, password_mark(user), "t"
    return browser, "t"


def test_the_console_schedules_a_day_and_the_agency_records_outcomes(app, client, db,
                                                                      invited):
    """The officer's form makes a day with its slots (blank rows left out) and invites; the
    agency sees the bookings and records an outcome, which moves the application."""
    officer, token = _console(app, "o")
    day = local_day(DAY_AHEAD + 1, 0).date().isoformat()
    made = officer.post("/console/recruitment-days", data={
        "csrf_token": token, "posting_id": str(invited["posting"]), "township": "yongde.dedang",
        "place": "Mengsa school", "day": day, "slot_time": ["14:00", "", "13:00"],
        "slot_places": ["2", "5", "1"]})
    assert made.status_code == 302, made.get_data(as_text=True)
    shown = officer.get(made.headers["Location"]).get_data(as_text=True)
    assert "Mengsa school" in shown and "13:00" in shown and "14:00" in shown
    run_worker(app)
    en = invited["phones"][0]
    assert len(messages(db, kind=f"interview-invite:{invited['day']['id'] + 1}",
                        phone=en)) == 1
    sms_in(client, en, "1")
    sms_in(client, en, "2")  # 14:00 at Mengsa school: the newest invitation takes the digit
    db.expire_all()
    booked = db.scalars(select(Interview).where(Interview.status == "booked")).one()
    assert (booked.slot.starts, booked.recruitment_day.place) == ("14:00", "Mengsa school")
    with time_machine.travel(local_day(DAY_AHEAD + 1, 17), tick=False):
        agency_browser, token = _console(app, "a")  # signed in that day (sessions expire)
        page = agency_browser.get(f"/console/recruitment-days/{booked.day_id}").get_data(
            as_text=True)
        assert f'id="interview-{booked.id}"' in page and 'name="outcome"' in page
        done = agency_browser.post(f"/console/interviews/{booked.id}/outcome", data={
            "csrf_token": token, "outcome": "shortlisted"})
    assert done.status_code == 302
    db.expire_all()
    assert db.get(Application, booked.application_id).status.value == "shortlisted"


def test_a_booking_that_lost_the_race_is_told_and_offered_the_free_times(app, client, db,
                                                                          invited):
    """The conversation saw 09:00 free and said "booked"; another booking took its one place
    first: the SMS says so, and the invitation waits for a number again."""
    en, zh, _ = invited["phones"]
    sms_in(client, en, "1")
    sms_in(client, zh, "1")  # Chinese villager 1 is shown 09:00 free...
    sms_in(client, en, "1")  # ...and English villager 0 takes it
    svc = services(app)
    with svc.sessions.begin() as session:
        contact = session.scalars(select(ContactRow).where(ContactRow.phone == zh)).one()
        mine = session.scalars(select(Interview).where(
            Interview.villager_id == contact.villager.id)).one()
        apply_effects(session, contact, [BookInterview(mine.id, 1)], via="sms",
                      channel="console", today=local_day(0, 10).date(), settings=svc.settings)
    assert messages(db, kind=f"interview-lost:{invited['day']['id']}") == [
        (zh, "抱歉，面试时间09:00刚被别人约走。回复1查看可约时间。")]
    db.expire_all()
    assert db.get(Interview, mine.id).status.value == "choosing"
    assert sms_in(client, zh, "2").startswith("已预约：")


def test_a_cancelled_day_tells_those_who_answered_and_closes_every_invitation(app, client, db,
                                                                               invited):
    """Villager 0 booked, villager 1 is choosing a time, villager 2 never answered. The
    officer cancels with a reason: 0 and 1 are told (in their language, 1 segment), 2 is
    sent nothing; every invitation is cancelled, so no reminder goes, a digit books nothing
    and no outcome can be recorded. Another county's officer and the agency cannot; a second
    cancel is 409 and sends nothing more."""
    en, zh, silent = invited["phones"]
    day_id, when = invited["day"]["id"], invited["date"]
    sms_in(client, en, "1")
    sms_in(client, en, "1")  # booked 09:00
    sms_in(client, zh, "1")  # choosing
    cancel = f"/api/v1/recruitment-days/{day_id}/cancel"
    for head, status in (("fengqing", 404), ("a", 403)):
        refused = client.post(cancel, headers=invited[head], json={"reason": "no"})
        assert refused.status_code == status, refused.json
    assert client.post(cancel, headers=invited["officer"], json={"reason": "  "}
                       ).status_code == 422
    assert client.get(f"/api/v1/recruitment-days/{day_id}",
                      headers=invited["officer"]).json["status"] == "scheduled"

    done = client.post(cancel, headers=invited["officer"],
                       json={"reason": "the employer cannot come"})
    assert done.status_code == 200, done.json
    assert (done.json["status"], done.json["cancel_reason"]) == (
        "cancelled", "the employer cannot come")
    assert done.json["cancelled_at"] is not None
    told = dict(messages(db, kind=f"interview-cancelled:{day_id}"))
    assert told == {
        en: (f"Sorry, the interviews for Electronics factory worker at Dedang town hall, "
             f"{_when(when, 'en')} are cancelled. Reply JOBS for other jobs."),
        zh: (f"抱歉，电子厂普工{_when(when, 'zh')}在Dedang town hall的面试取消了。"
             "回复 工作 看其他工作。")}
    assert all(sms_segments(text) == 1 for text in told.values())
    db.expire_all()
    assert {i.villager.contact.phone: i.status.value for i in db.scalars(select(Interview))
            } == dict.fromkeys((en, zh, silent), "cancelled")

    again = client.post(cancel, headers=invited["officer"], json={"reason": "twice"})
    assert again.status_code == 409
    assert len(messages(db, kind=f"interview-cancelled:{day_id}")) == 2
    assert not sms_in(client, zh, "1").startswith("已预约")  # a digit books nothing now
    jobcontext.install(app)
    assert remind(local_day(DAY_AHEAD - 1, 8)) == 0  # no reminder for the booking
    [booked] = [i for i in db.scalars(select(Interview)) if i.villager.contact.phone == en]
    with time_machine.travel(local_day(DAY_AHEAD, 17), tick=False):
        late = client.post(f"/api/v1/interviews/{booked.id}/outcome", headers=invited["a"],
                           json={"outcome": "shortlisted"})
    assert late.status_code == 409  # nothing to record for a cancelled interview
    assert db.get(Application, booked.application_id).status.value == "interested"


def test_the_console_cancels_a_day_with_a_reason_and_says_so(app, client, db, invited):
    """The officer's page has the form; after it the page shows when and why, and the
    agency's page shows no form (only staff cancel)."""
    day_id = invited["day"]["id"]
    officer, token = _console(app, "o")
    page = officer.get(f"/console/recruitment-days/{day_id}").get_data(as_text=True)
    assert 'id="day-cancel"' in page
    done = officer.post(f"/console/recruitment-days/{day_id}/cancel",
                        data={"csrf_token": token, "reason": "暴雨，道路中断"})
    assert done.status_code == 302
    page = officer.get(done.headers["Location"]).get_data(as_text=True)
    assert 'id="day-cancelled"' in page and "暴雨，道路中断" in page
    assert 'id="day-cancel"' not in page
    agency_browser, _token = _console(app, "a")
    shown = agency_browser.get(f"/console/recruitment-days/{day_id}").get_data(as_text=True)
    assert "暴雨，道路中断" in shown and 'id="day-cancel"' not in shown


def test_a_batch_of_invitations_is_sent_by_one_job_not_one_per_villager(app, client, db,
                                                                         invited):
    """Like job alerts: the batch writes its invitations and enqueues one send-batch job
    holding all of them (a job per message would fork a work-horse per villager)."""
    body = {"posting_id": invited["posting"], "township": "yongde.dedang",
            "place": "Mengsa school", "day": local_day(DAY_AHEAD + 2, 0).date().isoformat(),
            "slots": [{"time": "10:00", "places": 9}]}
    created = client.post("/api/v1/recruitment-days", headers=invited["officer"], json=body)
    assert created.status_code == 201, created.json
    messages_queue = services(app).queue("messages")
    messages_queue.empty()
    villagers = [c.villager.id for c in db.scalars(select(ContactRow).where(
        ContactRow.phone.in_(invited["phones"])))]
    jobcontext.install(app)
    assert send_invitation_batch(created.json["id"], villagers) == 3
    [job] = messages_queue.get_jobs()
    written = [m.id for m in db.scalars(select(Message).where(
        Message.kind == f"interview-invite:{created.json['id']}"))]
    assert (job.func_name, sorted(job.args[0])) == ("workers.sending.send_batch",
                                                    sorted(written))
    assert len(written) == 3
    assert send_invitation_batch(created.json["id"], villagers) == 0  # a rerun: nobody twice
    assert len(messages_queue.get_jobs()) == 1
