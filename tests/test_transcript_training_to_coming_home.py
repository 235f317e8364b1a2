"""Issue 5 end to end: one villager from a training notice to coming home.

李秀英 (Chinese) registers by USSD, hears of a training session, enrols by SMS, is trained,
applies to a posting and is confirmed, is reminded three times of her departure and
confirms it, leaves, answers her first check-in "2" (a case), hears of the case's progress
and answers a monthly check-in "3". Ai Lan (English) registers by SMS, enrols by USSD and
goes with her. The clock is frozen and moved on explicitly (time-machine): every worker is a
real RQ burst worker with the scheduler, so the scheduled reminders and the periodic
check-in job run when they are due. Every SMS goes through the outbox, the worker and the
Twilio SDK to a local Twilio-like server; replies to inbound SMS come back as TwiML.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from smsgateway.cli import start_periodic_jobs
from smsgateway.models import Application, Message, MessageStatus, User
from smsgateway.services import services

from . import providers
from .api import account, agency, employer, posting_body
from .departing import scheduled
from .phone import UssdPhone
from .story import Story as SharedStory

LOCAL = ZoneInfo("Asia/Shanghai")
DAY0 = date(2027, 3, 1)  # a fixed Monday: dates in the texts are exact; the clock is frozen
ZH, EN = "+8613911150001", "+8613911150002"  # 李秀英, and Ai Lan who reads English
LANGUAGES = {ZH: "zh", EN: "en"}
CHECK_IN_EN = "Reply 1 all is well, 2 I have a problem, 3 I have come home."


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    """Lincang local time on day `days` of the story."""
    day = DAY0 + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


class Story(SharedStory):
    """The shared Story (`tests/story.py`) for the two villagers, with GET and POST."""

    def __init__(self, app, httpserver, traveller):
        super().__init__(app, httpserver, traveller, LANGUAGES)

    def get(self, path: str, headers: dict[str, str]) -> dict:
        return self.call("GET", path, headers)

    def post(self, path: str, headers: dict[str, str], body: dict | None = None,
             status: int = 200) -> dict:
        return self.call("POST", path, headers, body or {}, status)


def _roster(story: Story, departure_id: int, headers: dict[str, str]) -> tuple[dict, dict]:
    """(phone → answer, counts) of a departure's roster."""
    shown = story.get(f"/api/v1/departures/{departure_id}", headers)
    return {r["villager_phone"]: r["answer"] for r in shown["roster"]}, shown["counts"]


def _reminders(app, departure_id: int) -> dict[str, datetime]:
    return {job_id: at for job_id, at in scheduled(app).items()
            if job_id.startswith(f"departure-{departure_id}-reminder-")}


def test_one_villager_from_training_notice_to_coming_home(twilio_app, httpserver):
    """Training, placement, departure, check-ins and a case, with every SMS checked."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    app = twilio_app
    with time_machine.travel(_at(0, 9), tick=False) as traveller:
        story = Story(app, httpserver, traveller)
        _story(app, story)


def _story(app, story: Story) -> None:
    client = story.client
    # As `jobline worker` does on start: the sweep and the check-in job keep themselves
    # scheduled from here on (the check-ins every CHECKIN_INTERVAL, 15 minutes).
    start_periodic_jobs(services(app))
    officer = account(app, "officer", "officer", area="yongde")
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))

    # Day 0, 09:00 (Monday 1 March). 李秀英 registers by USSD, Ai Lan by SMS in English.
    phone = UssdPhone(client, ZH)
    phone.dial()
    phone.choose("中文")
    phone.choose("注册")
    phone.press("李秀英")
    phone.choose("女")
    phone.press("2001")
    phone.choose("永德县")
    phone.choose("德党镇")
    phone.choose("工厂普工")
    phone.choose("完成")
    phone.choose("愿意")
    phone.choose("同意")
    phone.choose("确认")
    assert phone.ended and "注册成功" in phone.screen
    for answer, segments, asked in [("REG", 1, "What is your name?"), ("Ai Lan", 1, "sex"),
                                    ("2", 1, "year of birth"), ("1998", 1, "township"),
                                    ("Mengban", 2, "12 Factory work"),
                                    ("12", 1, "outside Yunnan"), ("1", 0, "")]:
        story.sms(EN, answer)
        if segments:
            story.expect(EN, segments, asked)
    story.worker()
    story.expect(ZH, 1, "注册成功", "李秀英", "退订")
    story.expect(EN, 1, "Registered", "Ai Lan", "STOP")
    story.quiet()

    # 10:00. Yongde's officer organises factory training in Dedang, 8-10 March: the notice
    # reaches both (their county, their trade).
    story.at(_at(0, 10))
    training = story.post("/api/v1/trainings", officer, {
        "trade": "factory", "township": "yongde.dedang", "start_date": "2027-03-08",
        "end_date": "2027-03-10", "capacity": 10}, status=201)
    tid = training["id"]
    assert training["reminder_at"] == "2027-03-07T01:00:00Z"  # 09:00 the day before
    story.worker()
    story.expect(ZH, 1, "培训通知", "工厂普工", "永德县德党镇", "3月8日-3月10日", f"培训{tid}")
    story.expect(EN, 1, f"Training {tid}", "Factory work", "Dedang Town", "8 Mar-10 Mar",
                 f"TRAIN {tid}")
    story.quiet()

    # 12:00. She enrols by SMS (培训 n); Ai Lan by USSD, main menu 3 Training.
    story.at(_at(0, 12))
    story.sms(ZH, f"培训 {tid}")
    story.expect(ZH, 1, f"已报名培训{tid}", "工厂普工", "永德县德党镇", "3月8日-3月10日")
    ussd = UssdPhone(client, EN)
    ussd.dial()
    ussd.choose("Training")
    ussd.choose("8 Mar Factory work, Dedang Town")
    assert "Places left: 9" in ussd.screen
    ussd.choose("Enrol")
    ussd.choose("Confirm")
    assert ussd.screen.startswith("Enrolled!")
    enrolments = story.get(f"/api/v1/trainings/{tid}/enrolments", officer)["items"]
    assert {(e["villager_phone"], e["status"], e["via"]) for e in enrolments} == {
        (ZH, "enrolled", "sms"), (EN, "enrolled", "ussd")}
    story.worker()
    story.quiet()

    # Sunday 7 March: the reminder is due at 09:00, not a minute before.
    story.worker(_at(6, 8, 59))
    story.quiet()
    story.worker(_at(6, 9, 1))
    story.expect(ZH, 1, "明天开课", "工厂普工", "永德县德党镇", "3月8日-3月10日")
    story.expect(EN, 1, "starts tomorrow", "Factory work", "Dedang Town", "8 Mar-10 Mar")
    story.quiet()

    # The officer marks attendance on the first day and completion on the last.
    story.at(_at(7, 9, 30))
    for enrolment in enrolments:
        assert story.post(f"/api/v1/enrolments/{enrolment['id']}/status", officer,
                          {"status": "attended"})["status"] == "attended"
    story.at(_at(9, 17))
    for enrolment in enrolments:
        done = story.post(f"/api/v1/enrolments/{enrolment['id']}/status", officer,
                          {"status": "completed"})
        assert done["completed_at"] == "2027-03-10T09:00:00Z"
    counts = story.get(f"/api/v1/trainings/{tid}", officer)
    assert (counts["enrolled"], counts["attended"], counts["completed"]) == (2, 2, 2)
    story.worker()
    story.quiet()  # completion sends nothing

    # Thursday 11 March. Wanxin posts factory jobs in Dongguan, the officer publishes them:
    # both hear of it, both apply by SMS, the agency confirms both.
    story.at(_at(10, 9))
    posting = story.post("/api/v1/postings", head, posting_body(employer(app), positions=2),
                         status=201)
    job = posting["id"]
    code = story.post(f"/api/v1/postings/{job}/vet", officer,
                      {"decision": "publish"})["verification_code"]
    story.worker()
    story.expect(ZH, 1, f"新工作{job}", "电子厂普工", "东莞", code, f"申请{job}")
    story.expect(EN, 1, f"New job {job}", "Electronics factory worker", code, f"APPLY {job}")
    story.at(_at(10, 12))
    story.sms(ZH, f"申请 {job}")
    story.expect(ZH, 1, f"已报名工作{job}", "电子厂普工", "绝不交中介费")
    story.sms(EN, f"APPLY {job}")
    story.expect(EN, 1, f"job {job}", "Electronics factory worker", f"WITHDRAW {job}")
    applied = story.get(f"/api/v1/postings/{job}/applications", head)["items"]
    application = {item["villager_phone"]: item["id"] for item in applied}
    for application_id in application.values():
        story.post(f"/api/v1/applications/{application_id}/confirm", head)
    story.worker()
    story.expect(ZH, 1, "恭喜", f"工作{job}", "电子厂普工", code)
    story.expect(EN, 1, "Congratulations", f"job {job}", "Electronics factory worker", code)
    story.quiet()

    # Friday 12 March. The officer sets the departure: Monday 22 March 08:00 (00:00 UTC) at
    # Dedang bus station; three reminders are scheduled at their UTC instants.
    story.at(_at(11, 10))
    leaves = _at(21, 8)
    departure = story.post("/api/v1/departures", officer, {
        "posting_id": job, "leaves_at": leaves.isoformat(), "place": "Dedang bus station",
        "escort_name": "Li Wei", "escort_phone": "13887654321"}, status=201)
    did = departure["id"]
    assert departure["leaves_at"] == "2027-03-22T00:00:00Z"
    assert _reminders(app, did) == {
        f"departure-{did}-reminder-3d-20270322T0000Z": datetime(2027, 3, 19, 0, tzinfo=UTC),
        f"departure-{did}-reminder-1d-20270322T0000Z": datetime(2027, 3, 21, 0, tzinfo=UTC),
        f"departure-{did}-reminder-3h-20270322T0000Z": datetime(2027, 3, 21, 21, tzinfo=UTC)}
    assert _roster(story, did, head) == ({ZH: "no_answer", EN: "no_answer"},
                                         {"confirmed": 0, "declined": 0, "no_answer": 2})
    story.worker()
    story.quiet()  # setting it texts nobody yet

    # The 3-day reminder: not at 07:59 three days before, just after 08:00. She answers 是.
    story.worker(_at(18, 7, 59))
    story.quiet()
    story.worker(_at(18, 8, 1))
    reminder_zh = ("电子厂普工", "3月22日 08:00", "Dedang bus station", "Li Wei +8613887654321",
                   "回复 是 / YES 确认")
    reminder_en = ("Electronics factory worker", "22 Mar 08:00", "Dedang bus station",
                   "Li Wei +8613887654321", "Reply YES to confirm, NO if you cannot go")
    story.expect(ZH, 2, "出发提醒", *reminder_zh)
    story.expect(EN, 1, "Departure for", *reminder_en)
    story.quiet()
    assert len(_reminders(app, did)) == 2
    story.sms(ZH, "是")
    story.expect(ZH, 1, "谢谢确认", "3月22日 08:00", "Dedang bus station")
    assert _roster(story, did, officer) == ({ZH: "confirmed", EN: "no_answer"},
                                            {"confirmed": 1, "declined": 0, "no_answer": 1})

    # The 1-day reminder reaches both again; Ai Lan says NO for now.
    story.worker(_at(20, 8, 1))
    story.expect(ZH, 2, "出发提醒", *reminder_zh)
    story.expect(EN, 1, "Departure for", *reminder_en)
    story.sms(EN, "NO")
    story.expect(EN, 1, "Noted: you cannot leave", "22 Mar 08:00")
    story.quiet()
    assert _roster(story, did, officer) == ({ZH: "confirmed", EN: "declined"},
                                            {"confirmed": 1, "declined": 1, "no_answer": 0})

    # The 3-hour reminder at 05:00 (21:00 UTC the day before); Ai Lan changes her mind.
    story.worker(_at(21, 5, 1))
    story.expect(ZH, 2, "出发提醒", *reminder_zh)
    story.expect(EN, 1, "Departure for", *reminder_en)
    story.sms(EN, "YES")
    story.expect(EN, 1, "Thank you: you will leave", "22 Mar 08:00", "Dedang bus station")
    story.quiet()
    assert _reminders(app, did) == {}
    assert _roster(story, did, officer) == ({ZH: "confirmed", EN: "confirmed"},
                                            {"confirmed": 2, "declined": 0, "no_answer": 0})

    # 08:30: the officer marks the group departed (from 08:00, the time they left).
    story.at(_at(21, 8, 30))
    gone = story.post(f"/api/v1/departures/{did}/depart", officer)
    assert gone["status"] == "departed"
    assert {r["status"] for r in gone["roster"]} == {"departed"}
    story.worker()
    story.quiet()

    # The arrival check-in, due 3 days after 08:00 on the 22nd: the periodic job (every 15
    # minutes) sends nothing at 07:45 and sends it on its next run. She answers 2: a case.
    story.worker(_at(24, 7, 45))
    story.quiet()
    story.worker(_at(24, 8, 1))
    story.expect(ZH, 1, "临沧务工回访", "电子厂普工", "回复 1 一切平安，2 遇到问题，3 已回家")
    story.expect(EN, 1, "Jobline check-in", "Electronics factory worker", CHECK_IN_EN)
    story.at(_at(24, 12))
    story.sms(ZH, "2")
    story.expect(ZH, 1, "工作人员会联系您", "工作和招工信息说的一样吗")
    story.sms(EN, "1")
    story.expect(EN, 1, "Glad you arrived well", "Reply 1 yes, 2 no")
    story.worker()
    [case] = story.get("/api/v1/cases", officer)["items"]
    story.expect(ZH, 1, f"编号 {case['id']}", "已登记")
    story.quiet()
    assert (case["status"], case["via"], case["category"], case["application_id"],
            case["posting_id"], case["villager"]["phone"]) == (
        "open", "checkin", "other", application[ZH], job, ZH)

    # The officer takes the case (no SMS for an assignment), works on it, resolves it:
    # each status change texts her, with the officer's note.
    story.at(_at(25, 10))
    cid = case["id"]
    with services(app).sessions() as db:
        officer_id = db.scalars(select(User.id).where(User.name == "officer")).one()
    story.post(f"/api/v1/cases/{cid}/assign", officer, {"user_id": officer_id})
    story.worker()
    story.quiet()
    story.post(f"/api/v1/cases/{cid}/status", officer,
               {"status": "in_progress", "note": "已联系东莞华荣电子人事部"})
    story.worker()
    story.expect(ZH, 1, f"问题编号 {cid}", "正在处理", "已联系东莞华荣电子人事部")
    story.at(_at(28, 16))
    story.post(f"/api/v1/cases/{cid}/status", officer,
               {"status": "resolved", "note": "加班费已补发"})
    story.worker()
    story.expect(ZH, 1, f"问题编号 {cid}", "已解决", "加班费已补发")
    story.quiet()
    history = story.get(f"/api/v1/cases/{cid}", officer)
    assert [(e["action"], e["status"], e["note"]) for e in history["events"]] == [
        ("opened", "open", None),
        ("assigned", None, f"to user {officer_id} (officer)"),
        ("status", "in_progress", "已联系东莞华荣电子人事部"),
        ("status", "resolved", "加班费已补发")]
    assert (history["status"], history["assigned_to"], history["stale"]) == (
        "resolved", officer_id, False)

    # A month after leaving (22 April, 08:00): both are asked again. She has come home: 3.
    # Ai Lan says nothing: two reminders, then the officer's follow-up list.
    story.worker(_at(52, 8, 1))
    story.expect(ZH, 1, "临沧务工回访", "电子厂普工", "3 已回家")
    story.expect(EN, 1, "Jobline check-in", CHECK_IN_EN)
    story.at(_at(52, 19))
    story.sms(ZH, "3")
    story.expect(ZH, 1, "欢迎回家", "回访到此结束")
    for days in (3, 6):
        story.worker(_at(52 + days, 8, 2))
        story.expect(EN, 1, "Reminder: we have not heard from you", CHECK_IN_EN)
        story.quiet()
    story.worker(_at(61, 8, 3))
    story.quiet()
    [late] = story.get("/api/v1/checkins/follow-up", officer)["items"]
    assert (late["villager_phone"], late["checkin_number"], late["reminders"],
            late["overdue_days"], late["application_id"]) == (EN, 1, 2, 9, application[EN])
    story.sms(EN, "1")
    story.expect(EN, 1, "glad all is well")
    assert story.get("/api/v1/checkins/follow-up", officer)["total"] == 0

    # Two months after leaving: only Ai Lan is asked; 李秀英 is home and hears nothing more.
    story.worker(_at(82, 8, 1))
    story.expect(EN, 1, "Jobline check-in", CHECK_IN_EN)
    story.quiet()
    story.sms(EN, "1")
    story.expect(EN, 1, "glad all is well")
    story.worker(_at(113, 8, 1))
    story.expect(EN, 1, "Jobline check-in", CHECK_IN_EN)
    story.quiet()
    assert story.get("/api/v1/checkins/follow-up", officer)["total"] == 0

    # Every SMS to either villager was checked above, and each outbox one reached Twilio.
    with services(app).sessions() as db:
        rows = db.scalars(select(Message).where(Message.phone.in_((ZH, EN)))).all()
        assert {phone: sum(1 for m in rows if m.phone == phone) for phone in (ZH, EN)} == \
            story.checked
        assert {(m.status, m.error_code) for m in rows} == {(MessageStatus.SENT, None)}
        zh_placement = db.get(Application, application[ZH])
        assert zh_placement.returned_at == _at(52, 19).astimezone(UTC)
