"""Issue 13 items 1 and 5 end to end: one cohort from departure to a missed team report.

Three villagers of Yongde are confirmed for a job in Dongguan and leave together. Before
they leave, the officer names 王强 squad leader, Ai Lan vice squad leader, and 李明 leader
of team 12 (李明, Ai Lan, 王强); each is told by SMS what the role means. Ai Lan (English)
named her family contact. The arrival check-in goes out; 李明 and 王强 answer, Ai Lan does
not: a day later her family is asked whether they heard from her (they answer 2, then again
1: "already noted") and she is at the top of the officer's follow-up list. The first round
of team reports: 李明 reports 2 with a problem (a case linked to the cohort). The second
round is never answered: chased once, then listed for the officer; a late `ＴＥＡＭ １２ ｏｋ`
(full width) still answers it, and counts as heard-from for Ai Lan, who leaves the top of
the list. Real RQ burst workers with the scheduler, a frozen clock (time-machine), every SMS
through the outbox and the Twilio SDK to a local Twilio-like server, each one checked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from smsgateway.cli import start_periodic_jobs
from smsgateway.models import Case, Contact, Message, MessageStatus
from smsgateway.services import services

from . import providers
from .api import account, agency, employer, posting_body
from .story import Story, register_and_apply

LOCAL = ZoneInfo("Asia/Shanghai")
DAY0 = date(2027, 3, 1)  # a Monday; the clock is frozen and moved on explicitly
LEAD, AI, WANG, FAMILY = "+8613911160001", "+8613911160002", "+8613911160003", "+8613911160009"
LANGUAGES = {LEAD: "zh", AI: "en", WANG: "zh", FAMILY: "en"}  # the family reads Ai Lan's
PEOPLE = {LEAD: ("李明", "zh"), AI: ("Ai Lan", "en"), WANG: ("王强", "zh")}
CHECK_IN_EN = "Reply 1 all is well, 2 I have a problem, 3 I have come home."


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = DAY0 + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def test_one_cohort_from_departure_to_a_missed_team_report(app_factory, httpserver):
    """Leaders named, a problem report, an unanswered arrival, a missed report: every SMS,
    case and list entry that results."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    app = app_factory(SMS_PROVIDER="twilio",
                      TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"), PROVIDER_TIMEOUT=10.0)
    with time_machine.travel(_at(0, 9), tick=False) as traveller:
        _story(app, Story(app, httpserver, traveller, LANGUAGES))


def _story(app, story: Story) -> None:
    start_periodic_jobs(services(app))
    officer = account(app, "officer", "officer", area="yongde")
    stranger = account(app, "fengqing", "officer", area="fengqing")
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))

    # Day 0, Monday 1 March, 09:00: a one-month job in Dongguan, published; the three are
    # registered (after the alert went out), apply, and the agency confirms them.
    job = story.call("POST", "/api/v1/postings", head,
                     posting_body(employer(app), positions=3, contract_months=1), status=201)["id"]
    story.call("POST", f"/api/v1/postings/{job}/vet", officer, {"decision": "publish"})
    story.worker()
    placed = register_and_apply(app, PEOPLE, job, DAY0)
    for phone in PEOPLE:
        story.call("POST", f"/api/v1/applications/{placed[phone]}/confirm", head, {})
    story.sms(AI, "FAMILY 13911160009")
    story.expect(AI, 1, "Family contact: +8613911160009")
    story.worker()
    story.expect(LEAD, 1, "恭喜", f"工作{job}")
    story.expect(AI, 1, "Congratulations", f"job {job}")
    story.expect(WANG, 1, "恭喜", f"工作{job}")
    story.expect(FAMILY, 1, "Ai Lan named you as family contact")
    story.quiet()

    # 10:00: the departure, at 12:00 today (too soon for any reminder). The officer names the
    # cohort's leaders before they leave; each is told what the role means.
    story.at(_at(0, 10))
    did = story.call("POST", "/api/v1/departures", officer, {
        "posting_id": job, "leaves_at": _at(0, 12).isoformat(), "place": "Dedang bus station",
        "escort_name": "Li Wei", "escort_phone": "13887654321"}, status=201)["id"]
    villager = {phone: next(m["villager_id"] for m in story.call(
        "GET", f"/api/v1/departures/{did}/cohort", officer)["members"]
        if m["villager_phone"] == phone) for phone in PEOPLE}
    leaders = f"/api/v1/departures/{did}/cohort/leaders"
    story.call("POST", leaders, officer, {"role": "squad_leader", "villager_id": villager[WANG]})
    story.call("POST", leaders, officer, {"role": "vice_squad_leader",
                                          "villager_id": villager[AI]})
    cohort = story.call("POST", leaders, officer, {
        "role": "team_leader", "villager_id": villager[LEAD], "team": 12,
        "members": [villager[AI], villager[WANG]]})
    # Bad input changes nothing: a team leader without a team, a stranger to the cohort.
    story.call("POST", leaders, officer, {"role": "team_leader", "villager_id": villager[AI]},
               status=422)
    story.call("POST", leaders, officer, {"role": "squad_leader", "villager_id": 999},
               status=422)
    story.call("POST", leaders, stranger, {"role": "squad_leader",
                                           "villager_id": villager[WANG]}, status=404)
    story.call("GET", f"/api/v1/departures/{did}/cohort", stranger, status=404)
    story.call("POST", leaders, head, {"role": "squad_leader", "villager_id": villager[WANG]},
               status=403)
    assert story.call("GET", f"/api/v1/departures/{did}/cohort", head)["leaders"] == \
        cohort["leaders"]
    assert {(x["role"], x["team"], x["villager_phone"]) for x in cohort["leaders"]} == {
        ("squad_leader", None, WANG), ("vice_squad_leader", None, AI),
        ("team_leader", 12, LEAD)}
    assert {m["villager_phone"]: (m["team"], m["arrival"]) for m in cohort["members"]} == {
        LEAD: (12, "not_due"), AI: (12, "not_due"), WANG: (12, "not_due")}
    story.worker()
    story.expect(WANG, 1, "班长", "3月1日", "东莞", "投诉")  # the gazetteer's name (texts)
    story.expect(AI, 1, "vice squad leader", "1 Mar", "Dongguan", "PROBLEM")
    story.expect(LEAD, 1, "第12组组长（3人）", "班组 12 正常", "班组 12 2 工资晚发")
    story.quiet()

    # 12:30: they left at 12:00. The family hears of it. Team reports every month from
    # Monday 15 March (10:00).
    story.at(_at(0, 12, 30))
    story.call("POST", f"/api/v1/departures/{did}/depart", officer)
    story.call("PUT", f"/api/v1/departures/{did}/cohort/schedule", officer,
               {"every_months": 0, "first_report_on": "2027-03-15"}, status=422)
    cohort = story.call("PUT", f"/api/v1/departures/{did}/cohort/schedule", officer,
                        {"every_months": 1, "first_report_on": "2027-03-15"})
    assert cohort["first_report_at"] == "2027-03-15T02:00:00Z"
    story.worker()
    story.expect(FAMILY, 1, "Ai Lan left today for work in Dongguan")
    story.quiet()

    # Thursday 4 March, 12:01: the arrival check-in. 李明 and 王强 answer 1; Ai Lan does not.
    story.worker(_at(3, 12, 1))
    story.expect(LEAD, 1, "临沧务工回访", "回复 1 一切平安")
    story.expect(AI, 1, "Jobline check-in", CHECK_IN_EN)
    story.expect(WANG, 1, "临沧务工回访", "回复 1 一切平安")
    story.at(_at(3, 13))
    for phone in (LEAD, WANG):  # since the records branch: the first promise question
        story.sms(phone, "1")
        story.expect(phone, 1, "很高兴您平安到达", "工作和招工信息说的一样吗", "回复 1 一样")
    story.worker()
    story.quiet()
    assert story.call("GET", "/api/v1/checkins/follow-up", officer)["total"] == 0

    # Friday 5 March, 12:05: a day without her answer. Her family is asked, and she is at the
    # top of the officer's follow-up list (no reminder yet: those come after 3 days).
    story.worker(_at(4, 12, 5))
    story.expect(FAMILY, 1, "Ai Lan has not answered us since going to Dongguan",
                 "Reply 1 yes, 2 no")
    story.quiet()
    [top] = story.call("GET", "/api/v1/checkins/follow-up", officer)["items"]
    assert (top["villager_phone"], top["checkin_number"], top["flagged_at"],
            top["arrival_noticed_at"], top["family_answer"]) == (
        AI, 0, None, "2027-03-05T04:05:00Z", None)
    assert story.call("GET", "/api/v1/checkins/follow-up", stranger)["total"] == 0
    story.at(_at(4, 14))
    story.sms(FAMILY, "2")
    story.expect(FAMILY, 1, "An officer will try to reach Ai Lan now")
    story.sms(FAMILY, "1")
    story.expect(FAMILY, 1, "Already noted", "Ai Lan")
    [top] = story.call("GET", "/api/v1/checkins/follow-up", officer)["items"]
    assert (top["villager_phone"], top["family_answer"], top["heard_via"]) == (AI, 2, None)
    members = {m["villager_phone"]: (m["arrival"], m["family_answer"])
               for m in story.call("GET", f"/api/v1/departures/{did}/cohort", head)["members"]}
    assert members == {LEAD: ("answered", None), AI: ("noticed", 2), WANG: ("answered", None)}

    # Her check-in's own reminders go on (after 3 and 6 days).
    for days in (6, 9):
        story.worker(_at(days, 12, 6))
        story.expect(AI, 1, "Reminder: we have not heard from you", CHECK_IN_EN)
        story.quiet()

    # Monday 15 March, 10:01: the first round. 李明 reports for team 12: two have a problem.
    # Odd texts get a clear line: the squad leader does not lead team 12; a bare TEAM.
    story.worker(_at(14, 10, 1))
    story.expect(LEAD, 1, "请报告第12组情况", "班组 12 正常", "班组 12 2 工资晚发")
    story.quiet()
    story.at(_at(14, 18))
    story.sms(WANG, "TEAM 12 ok")
    story.expect(WANG, 1, "您不是第12组的组长")
    story.sms(LEAD, "班组")
    story.expect(LEAD, 1, "报告本组情况", "班组 12 正常")
    story.sms(LEAD, "班组 12 5 工资晚发")
    story.expect(LEAD, 1, "第12组共3人")
    story.sms(LEAD, "班组12：2人 工资晚发")
    story.expect(LEAD, 1, "第12组2人有问题，已记录", "工作人员会联系您")
    story.worker()
    [case] = story.call("GET", "/api/v1/cases", officer)["items"]
    story.expect(LEAD, 1, f"编号 {case['id']}")
    story.sms(LEAD, "班组12：2人 工资晚发")  # sent twice: already noted, no second case
    story.expect(LEAD, 1, "已记录第12组的报告")
    story.worker()
    story.quiet()
    assert story.call("GET", "/api/v1/cases", officer)["total"] == 1
    assert (case["via"], case["category"], case["application_id"], case["villager"]["phone"],
            case["status"]) == ("team", "other", placed[LEAD], LEAD, "open")
    assert "Team 12 report" in case["description"] and "工资晚发" in case["description"]
    cohort = story.call("GET", f"/api/v1/departures/{did}/cohort", officer)
    [first] = cohort["reports"]
    assert (first["round"], first["team"], first["problem_count"], first["text"],
            first["case_id"], first["all_well"], first["answered_at"]) == (
        1, 12, 2, "工资晚发", case["id"], False, "2027-03-15T10:00:00Z")
    assert cohort["not_answered"] == []
    # A problem report answers for nobody's arrival: Ai Lan is still on top (flagged by now).
    [top] = story.call("GET", "/api/v1/checkins/follow-up", officer)["items"]
    assert (top["villager_phone"], top["heard_via"], top["reminders"]) == (AI, None, 2)

    # Thursday 15 April, 10:01: the second round. Nobody answers: chased once two days
    # later, then two days after that listed for the officer (and never chased again).
    story.worker(_at(45, 10, 1))
    story.expect(LEAD, 1, "请报告第12组情况")
    story.quiet()
    story.worker(_at(47, 10, 2))
    story.expect(LEAD, 1, "提醒：还没收到第12组的报告", "工作人员会打电话")
    story.quiet()
    story.worker(_at(49, 10, 3))
    story.worker(_at(52, 10, 3))
    story.quiet()
    [missed] = story.call("GET", "/api/v1/cohorts/missed-reports", officer)["items"]
    assert (missed["departure_id"], missed["team"], missed["round"], missed["chased_at"],
            missed["missed_at"]) == (did, 12, 2, "2027-04-17T02:02:00Z",
                                     "2027-04-19T02:03:00Z")
    assert story.call("GET", "/api/v1/cohorts/missed-reports", stranger)["total"] == 0
    assert [r["round"] for r in story.call(
        "GET", f"/api/v1/departures/{did}/cohort", officer)["not_answered"]] == [2]

    # A late report, typed in full width, still answers it; all well counts as heard-from
    # for Ai Lan, whose arrival nobody else answered: she leaves the top of the list.
    story.at(_at(52, 19))
    story.sms(LEAD, "ＴＥＡＭ　１２　ｏｋ")
    story.expect(LEAD, 1, "第12组一切正常，已记录")
    story.sms(LEAD, "组12正常")
    story.expect(LEAD, 1, "已记录第12组的报告")
    story.worker()
    story.quiet()
    assert story.call("GET", "/api/v1/cohorts/missed-reports", officer)["total"] == 0
    cohort = story.call("GET", f"/api/v1/departures/{did}/cohort", officer)
    assert cohort["not_answered"] == []
    assert [(r["round"], r["all_well"], r["answered_at"]) for r in cohort["reports"]] == [
        (1, False, "2027-03-15T10:00:00Z"), (2, True, "2027-04-22T11:00:00Z")]
    assert {m["villager_phone"]: m["arrival"] for m in cohort["members"]} == {
        LEAD: "answered", AI: "heard_team", WANG: "answered"}
    [entry] = story.call("GET", "/api/v1/checkins/follow-up", officer)["items"]
    assert (entry["villager_phone"], entry["heard_via"]) == (AI, "team")  # flagged: stays

    # Every SMS to every phone was checked above, and each outbox one reached Twilio.
    with services(app).sessions() as db:
        rows = db.scalars(select(Message).where(Message.phone.in_(list(LANGUAGES)))).all()
        outbox = {phone: sum(1 for m in rows if m.phone == phone) for phone in LANGUAGES}
        assert outbox == story.checked
        assert {(m.status, m.error_code) for m in rows} == {(MessageStatus.SENT, None)}
        assert db.scalar(select(Case.id)) == case["id"]
        assert db.scalars(select(Contact.language).where(Contact.phone == FAMILY)).one() is None
