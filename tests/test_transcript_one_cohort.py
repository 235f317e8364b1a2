"""Issue 13 end to end: one cohort from departure to the figures its history makes.

A posting of the Wanxin agency for 东莞华荣电子 (pay day 10, the employer's address stated)
takes five villagers of Dedang, Yongde: 李明, 王强 and 赵敏 read Chinese, Ai Lan and Ben Ma
English. 孙丽 applied too and was never decided. The five are confirmed and leave together
at 12:00 on Monday 1 March 2027 (local time, Asia/Shanghai). Before they leave the officer
names 王强 squad leader, Ai Lan vice squad leader and 李明 leader of team 12 (all five).

  4 Mar   the arrival check-in: all answer 1, then the two promise questions; 赵敏 says
          the wage and hours are not as promised → contract case (posting, agency, employer)
  15 Mar  team report round 1: 李明 "班组 12 1 宿舍漏雨" → a case linked to the cohort
  1 Apr   the monthly check-in: four answer 1, Ben answers 3 (he came home)
  11 Apr  00:30 (quiet hours): nothing; 08:01 the pay check for March, to the four still
          working (not Ben): 李明 1, 王强 1 (twice: "already noted"), Ai Lan 2 (part) then
          800 → wage case, 800 missing, in the wage-case CSV (a later 2: "already noted");
          赵敏 never answers (reminded once on the 14th)
  15 Apr  round 2: never answered; chased on the 17th, listed on the 19th; 孙丽 reads the
          job's details: 3 answered last month's pay, fewer than 5, so no pay line
No worker runs after that; in October the officer reads the figures.

The figures, worked out by hand:
- Report for March 2027 (applications made in March): applied 6, confirmed 5 (success rate
  5÷6 = 83.3%), departed 5 (departed÷confirmed 5÷5 = 100.0%). Pay for March: asked 4 (Ben was
  home), answered 3, unanswered 1 (赵敏), paid in full 2, amount missing 800. Also registered
  6, placed 5, check-ins answered 5 (the arrival), cases opened 2 (contract, team).
- Report for April: returned 1 (Ben), check-ins answered 5 (the first month's), cases
  opened 1 (the wage case).
- Report for June (departures in March, as of 1 July 00:00): departed 5, not returned home
  within 3 months 4 (Ben came home after one) → stability at 3 months 4÷5 = 80.0%; nobody
  left in December 2026: stability at 6 months "—" (null).
- Report for September (as of 1 October): stability at 6 months 4÷5 = 80.0%.
- The agency's and the employer's record (the same five, one posting): placed 5; as of 4
  October still working at 3 months 4 of 5 (80%) and at 6 months 4 of 5 (80%); pay checks
  asked 4, paid in full 2 of 3 answered (66%, rounded down); promises kept 4 of 5 answered
  (80%: 赵敏's no); cases opened 3 (the contract case, the team's problem, the wage case),
  of them contract 1, resolved 0. As of 30 April: nobody due at 3 months yet (0 of 0), and
  last month (March) paid in full 2 of 3. The same share as `figures/stability.py` counts.

Real RQ burst workers with the scheduler, a frozen clock (time-machine), quiet hours 21-8,
every SMS through the outbox and the Twilio SDK to a local Twilio-like server (or a TwiML
reply), each one checked (language, GSM-7 for English, segments), and the outbox total per
phone equal to what was checked.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from smsgateway.cli import start_periodic_jobs
from smsgateway.figures import stability
from smsgateway.figures.records import local_end_of
from smsgateway.models import Application, Case, Message, MessageStatus, PayCheck, Posting
from smsgateway.services import services

from . import providers
from .api import account, agency, posting_body
from .story import Story, register_and_apply

LOCAL = ZoneInfo("Asia/Shanghai")
DAY0 = date(2027, 3, 1)  # a Monday; the clock is frozen and moved on explicitly
LI, AI, WANG, BEN, ZHAO, SUN = (f"+861391117000{n}" for n in range(1, 7))
PEOPLE = {LI: ("李明", "zh"), AI: ("Ai Lan", "en"), WANG: ("王强", "zh"),
          BEN: ("Ben Ma", "en"), ZHAO: ("赵敏", "zh"), SUN: ("孙丽", "zh")}
LANGUAGES = {phone: lang for phone, (_, lang) in PEOPLE.items()}
COHORT = (LI, AI, WANG, BEN, ZHAO)  # 孙丽 only applied
ADDRESS = "广东省东莞市长安镇振安路88号"
CHECK_IN_EN = "Reply 1 all is well, 2 I have a problem, 3 I have come home."


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = DAY0 + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def _on(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


def test_one_cohort_from_departure_to_its_cases_and_figures(app_factory, httpserver):
    """Leaders, a broken promise, a team's problem, a worker home, a pay check answered
    "part" with an amount, a missed report: every SMS, case and figure that results."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    app = app_factory(SMS_PROVIDER="twilio", QUIET_HOURS="21-8", PROVIDER_TIMEOUT=10.0,
                      TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))
    with time_machine.travel(_at(0, 9), tick=False) as traveller:
        _story(app, Story(app, httpserver, traveller, LANGUAGES))


def _story(app, story: Story) -> None:
    start_periodic_jobs(services(app))
    officer = account(app, "officer", "officer", area="yongde")
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-131"))

    # Day 0, Monday 1 March, 09:00: the employer (with its address), a posting with pay day
    # 10, published; the six register (after the alert), apply; the agency confirms five.
    employer = story.call("POST", "/api/v1/employers", head, {
        "name": "东莞华荣电子有限公司", "city": "Dongguan", "province": "Guangdong",
        "contact": "HR 0769-1234567", "address": ADDRESS}, status=201)["id"]
    job = story.call("POST", "/api/v1/postings", head,
                     posting_body(employer, pay_day=10, positions=6), status=201)["id"]
    story.call("POST", f"/api/v1/postings/{job}/vet", officer, {"decision": "publish"})
    story.worker()
    placed = register_and_apply(app, PEOPLE, job, DAY0)
    for phone in COHORT:
        story.call("POST", f"/api/v1/applications/{placed[phone]}/confirm", head, {})
    story.worker()
    for phone in COHORT:
        story.expect(phone, 1, *(("Congratulations", f"job {job}") if LANGUAGES[phone] == "en"
                                 else ("恭喜", f"工作{job}")))
    story.quiet()

    # 10:00: the departure at 12:00 today; the officer names the leaders before they leave.
    story.at(_at(0, 10))
    did = story.call("POST", "/api/v1/departures", officer, {
        "posting_id": job, "leaves_at": _at(0, 12).isoformat(), "place": "Dedang bus station",
        "escort_name": "Li Wei", "escort_phone": "13887654321"}, status=201)["id"]
    villager = {m["villager_phone"]: m["villager_id"] for m in story.call(
        "GET", f"/api/v1/departures/{did}/cohort", officer)["members"]}
    assert set(villager) == set(COHORT)
    leaders = f"/api/v1/departures/{did}/cohort/leaders"
    story.call("POST", leaders, officer, {"role": "squad_leader", "villager_id": villager[WANG]})
    story.call("POST", leaders, officer, {"role": "vice_squad_leader",
                                          "villager_id": villager[AI]})
    story.call("POST", leaders, officer, {
        "role": "team_leader", "villager_id": villager[LI], "team": 12,
        "members": [villager[p] for p in (AI, WANG, BEN, ZHAO)]})
    story.worker()
    story.expect(WANG, 1, "班长", "3月1日", "东莞", "投诉")
    story.expect(AI, 1, "vice squad leader", "1 Mar", "Dongguan", "PROBLEM")
    story.expect(LI, 1, "第12组组长（5人）", "班组 12 正常", "班组 12 2 工资晚发")
    story.quiet()

    # 12:30: they left at 12:00. Team reports every month from Monday 15 March, 10:00.
    story.at(_at(0, 12, 30))
    departed = story.call("POST", f"/api/v1/departures/{did}/depart", officer)
    assert {r["villager_phone"] for r in departed["roster"] if r["status"] == "departed"} == \
        set(COHORT)
    story.call("PUT", f"/api/v1/departures/{did}/cohort/schedule", officer,
               {"every_months": 1, "first_report_on": "2027-03-15"})
    story.worker()
    story.quiet()

    # Thursday 4 March, 12:01: the arrival check-in. All answer 1, then the promise
    # questions: 赵敏 says the wage and the hours are not as the posting said.
    story.worker(_at(3, 12, 1))
    for phone in COHORT:
        story.expect(phone, 1, *(("Jobline check-in", CHECK_IN_EN) if LANGUAGES[phone] == "en"
                                 else ("临沧务工回访", "回复 1 一切平安")))
    story.quiet()
    story.at(_at(3, 13))
    for phone in COHORT:
        story.sms(phone, "1")
        if LANGUAGES[phone] == "en":
            story.expect(phone, 1, "Glad you arrived well", "Is the job the one the posting")
        else:
            story.expect(phone, 1, "很高兴您平安到达", "工作和招工信息说的一样吗")
        story.sms(phone, "1")
        story.expect(phone, 1, *(("Are the wage and the hours",) if LANGUAGES[phone] == "en"
                                 else ("工资和工时跟招工信息说的一样吗",)))
        story.sms(phone, "2" if phone == ZHAO else "1")
        if phone == ZHAO:
            story.expect(ZHAO, 1, "工作人员会跟进", "您的回答会提醒后来的乡亲")
        elif LANGUAGES[phone] == "en":
            story.expect(phone, 1, "which employers keep their word")
        else:
            story.expect(phone, 1, "哪些老板说话算数")
    story.worker()
    [contract] = story.call("GET", "/api/v1/cases", officer)["items"]
    story.expect(ZHAO, 1, f"编号 {contract['id']}")
    story.quiet()
    assert (contract["category"], contract["via"], contract["application_id"],
            contract["villager"]["phone"], contract["status"]) == (
        "contract", "checkin", placed[ZHAO], ZHAO, "open")
    with services(app).sessions() as db:
        case = db.get(Case, contract["id"])
        posting = db.get(Posting, job)
        assert (case.posting_id, case.agency_id, case.employer_id) == (
            job, posting.agency_id, employer)

    # Monday 15 March, 10:01: round 1. 李明 reports one of team 12 with a problem.
    story.worker(_at(14, 10, 1))
    story.expect(LI, 1, "请报告第12组情况", "班组 12 正常")
    story.quiet()
    story.at(_at(14, 18))
    story.sms(LI, "班组 12 1 宿舍漏雨")
    story.expect(LI, 1, "第12组1人有问题，已记录", "工作人员会联系您")
    story.worker()
    team_case = story.call("GET", "/api/v1/cases", officer)["items"]
    [team_case] = [c for c in team_case if c["id"] != contract["id"]]
    story.expect(LI, 1, f"编号 {team_case['id']}")
    story.quiet()
    assert (team_case["via"], team_case["category"], team_case["application_id"],
            team_case["villager"]["phone"], team_case["status"]) == (
        "team", "other", placed[LI], LI, "open")
    assert "Team 12 report" in team_case["description"] and "宿舍漏雨" in \
        team_case["description"]
    [first] = story.call("GET", f"/api/v1/departures/{did}/cohort", officer)["reports"]
    assert (first["round"], first["problem_count"], first["case_id"]) == (1, 1, team_case["id"])

    # Thursday 1 April, 12:01: the first monthly check-in. Four are well; Ben came home.
    story.worker(_at(31, 12, 1))
    for phone in COHORT:
        story.expect(phone, 1, CHECK_IN_EN if LANGUAGES[phone] == "en" else "回复 1 一切平安")
    story.quiet()
    story.at(_at(31, 19))
    for phone in (LI, AI, WANG, ZHAO):
        story.sms(phone, "1")
        story.expect(phone, 1, "glad all is well" if LANGUAGES[phone] == "en" else "祝您工作顺利")
    story.sms(BEN, "3")
    story.expect(BEN, 1, "Welcome home! We will stop the check-ins.")
    story.worker()
    story.quiet()
    with services(app).sessions() as db:
        assert db.get(Application, placed[BEN]).returned_at == _at(31, 19)

    # Sunday 11 April, 00:30: the pay check is due (pay day 10), but it is night: nothing.
    story.worker(_on(date(2027, 4, 11), 0, 30))
    story.quiet()
    with services(app).sessions() as db:
        assert db.scalars(select(PayCheck)).all() == []
    # 08:01: the four still working are asked about March; Ben, home, is not.
    story.worker(_on(date(2027, 4, 11), 8, 1))
    for phone in (LI, AI, WANG, ZHAO):
        story.expect(phone, 1, *(("paid for March?", "Reply 1 in full, 2 in part")
                                 if LANGUAGES[phone] == "en" else ("3月的工资发了吗",)))
    story.quiet()
    story.at(_on(date(2027, 4, 11), 12))
    for phone in (LI, WANG):
        story.sms(phone, "1")
        story.expect(phone, 1, "已记录您3月的工资已全额发放")
    story.sms(WANG, "1")  # twice: already noted, nothing changes
    story.expect(WANG, 1, "您3月工资的答复已记录")
    story.sms(AI, "2")
    story.expect(AI, 1, "Noted: not paid in full for March", "How much is missing?")
    story.worker()
    [wage] = [c for c in story.call("GET", "/api/v1/cases", officer)["items"]
              if c["category"] == "wages_unpaid"]
    story.expect(AI, 1, f"case {wage['id']}")
    story.sms(AI, "800")
    story.expect(AI, 1, "Noted: 800 yuan missing for March", f"wage case {wage['id']}")
    story.sms(AI, "2")  # again, later: already noted, no second case
    story.expect(AI, 1, "Your answer for March is already noted")
    story.worker()
    story.quiet()
    assert (wage["via"], wage["application_id"], wage["employer_id"], wage["status"]) == (
        "paycheck", placed[AI], employer, "open")

    # Wednesday 14 April, 08:05: 赵敏 is reminded once; never again.
    story.worker(_on(date(2027, 4, 14), 8, 5))
    story.expect(ZHAO, 1, "提醒：您3月的工资发了吗？")
    story.quiet()

    # Thursday 15 April, 10:01: round 2, never answered: chased once, then listed.
    story.worker(_on(date(2027, 4, 15), 10, 1))
    story.expect(LI, 1, "请报告第12组情况")
    story.quiet()
    story.worker(_on(date(2027, 4, 17), 10, 2))
    story.expect(LI, 1, "提醒：还没收到第12组的报告")
    story.quiet()
    story.worker(_on(date(2027, 4, 19), 10, 3))
    story.quiet()
    [missed] = story.call("GET", "/api/v1/cohorts/missed-reports", officer)["items"]
    assert (missed["departure_id"], missed["team"], missed["round"], missed["chased_at"],
            missed["missed_at"]) == (did, 12, 2, "2027-04-17T02:02:00Z",
                                     "2027-04-19T02:03:00Z")
    cohort = story.call("GET", f"/api/v1/departures/{did}/cohort", officer)
    assert [r["round"] for r in cohort["not_answered"]] == [2]
    assert [(r["round"], r["problem_count"], r["case_id"], r["missed_at"] is not None)
            for r in cohort["reports"]] == [(1, 1, team_case["id"], False), (2, None, None, True)]
    assert {m["villager_phone"]: (m["team"], m["arrival"]) for m in cohort["members"]} == {
        phone: (12, "answered") for phone in COHORT}
    assert story.call("GET", "/api/v1/checkins/follow-up", officer)["total"] == 0

    # 孙丽 reads the job: 3 answered last month's pay check, fewer than 5: no pay line.
    story.sms(SUN, f"详情 {job}")
    details = story.expect(SUN, 2, "电子厂普工")
    assert "足额领薪" not in details

    # Every case: the contract case, the team's problem, the wage case; nothing else.
    cases = story.call("GET", "/api/v1/cases", officer)
    assert cases["total"] == 3
    assert sorted((c["category"], c["via"], c["villager"]["phone"]) for c in cases["items"]) \
        == [("contract", "checkin", ZHAO), ("other", "team", LI),
            ("wages_unpaid", "paycheck", AI)]

    # The wage case as the officer exports it for the labour inspection.
    exported = story.client.get("/api/v1/wage-cases?period=2027-03&format=csv",
                                headers=officer)
    assert exported.mimetype == "text/csv"
    header, *rows = csv.reader(io.StringIO(exported.get_data(as_text=True)))
    assert [dict(zip(header, row, strict=True)) for row in rows] == [{
        "case": str(wage["id"]), "status": "open", "opened_at": "2027-04-11 12:00",
        "period": "2027-03", "worker": "Ai Lan", "worker_phone": "'" + AI,
        "township": "德党镇", "employer": "东莞华荣电子有限公司", "employer_address": ADDRESS,
        "employer_city": "Dongguan", "employer_contact": "HR 0769-1234567",
        "amount_agreed_min": "4000", "amount_agreed_max": "5500", "amount_missing": "800",
        "agency": "Wanxin", "agency_licence": "LIC-131", "posting": str(job)}]

    # Monday 4 October: the figures, against the module docstring's hand-worked numbers.
    story.at(_on(date(2027, 10, 4), 10))
    _figures(app, story, officer, head, job, employer)

    # Every SMS to every phone was checked above, and each outbox one reached Twilio.
    with services(app).sessions() as db:
        rows_ = db.scalars(select(Message).where(Message.phone.in_(list(LANGUAGES)))).all()
        outbox = {phone: sum(1 for m in rows_ if m.phone == phone) for phone in LANGUAGES}
        assert outbox == story.checked
        assert outbox[SUN] == 1  # the job's details
        assert {(m.status, m.error_code) for m in rows_} == {(MessageStatus.SENT, None)}


def _report(story: Story, officer, month: str) -> dict:
    return story.call("GET", f"/api/v1/reports/monthly?month={month}&area=yongde", officer)


RATES = ("applied", "applied_confirmed", "applied_departed", "success_rate", "departure_rate",
         "departed_3m", "working_3m", "stability_3m", "departed_6m", "working_6m",
         "stability_6m")
FLOWS = ("registered", "placed", "returned", "checkins_answered", "cases_opened")
PAY = ("pay_checks_asked", "pay_checks_answered", "pay_checks_unanswered", "paid_in_full",
       "pay_missing_amount")


def _share(count, of, percent):
    return {"count": count, "of": of, "percent": percent}


def _figures(app, story: Story, officer, head, job: int, employer: int) -> None:
    """The report's rates and pay figures, the agency's and the employer's records."""
    expected = {
        "2027-03": ((6, 5, 5, 83.3, 100.0, 0, 0, None, 0, 0, None), (4, 3, 1, 2, 800)),
        "2027-06": ((0, 0, 0, None, None, 5, 4, 80.0, 0, 0, None), (0, 0, 0, 0, 0)),
        "2027-09": ((0, 0, 0, None, None, 0, 0, None, 5, 4, 80.0), (0, 0, 0, 0, 0)),
    }
    flows = {"2027-03": (6, 5, 0, 5, 2), "2027-04": (0, 0, 1, 5, 1),
             "2027-06": (0, 0, 0, 0, 0), "2027-09": (0, 0, 0, 0, 0)}
    for month, (rates, pay) in expected.items():
        report = _report(story, officer, month)
        county, *townships = report["rows"]
        dedang = next(r for r in townships if r["area"] == "yongde.dedang")
        for row in (county, dedang):
            assert tuple(row[k] for k in RATES) == rates, (month, row["area"])
            assert tuple(row[k] for k in PAY) == pay, (month, row["area"])
            assert tuple(row[k] for k in FLOWS) == flows[month], (month, row["area"])
        assert all(r["applied"] == 0 and r["departed_3m"] == 0 and r["departed_6m"] == 0
                   for r in townships if r is not dedang)
        [wanxin] = report["agencies"]
        assert (wanxin["licence_number"], *(wanxin[k] for k in RATES)) == ("LIC-131", *rates)
    april = _report(story, officer, "2027-04")["rows"][0]  # Ben home; the wage case
    assert tuple(april[k] for k in FLOWS) == flows["2027-04"]
    # The CSV says the same, with "—" where nothing divides.
    lines = list(csv.DictReader(io.StringIO(story.client.get(
        "/api/v1/reports/monthly?month=2027-06&area=yongde&format=csv",
        headers=officer).get_data(as_text=True))))
    assert (lines[0]["stability_3m"], lines[0]["stability_6m"]) == ("80.0", "—")

    # The records: the agency's and the employer's are the same five.
    agency_id = story.call("GET", f"/api/v1/postings/{job}", officer)["agency_id"]
    record = {
        "placed": 5, "working_3_months": _share(4, 5, 80),
        "working_6_months": _share(4, 5, 80), "pay_checks_asked": 4,
        "paid_in_full": _share(2, 3, 66),
        "paid_in_full_last_month": {**_share(0, 0, None), "month": "2027-09"},
        "promises_kept": _share(4, 5, 80),
        "cases_opened": 3, "contract_cases": 1, "cases_resolved": 0}
    april = {**record, "working_3_months": _share(0, 0, None),
             "working_6_months": _share(0, 0, None),
             "paid_in_full_last_month": {**_share(2, 3, 66), "month": "2027-03"}}
    for path in (f"/api/v1/agencies/{agency_id}/record", f"/api/v1/employers/{employer}/record"):
        for as_of, want in (("2027-10-04", record), ("2027-04-30", april)):
            got = story.call("GET", f"{path}?as_of={as_of}", officer)
            assert {k: v for k, v in got.items() if k not in ("owner", "id", "name")} == want, \
                (path, as_of)
    # The agency reads its own: fewer than 5 answers to the pay check, no count.
    own = story.call("GET", f"/api/v1/agencies/{agency_id}/record?as_of=2027-10-04", head)
    assert (own["paid_in_full"], own["promises_kept"]) == (_share(None, 3, None),
                                                            _share(4, 5, 80))
    # "Still working" in the records is what figures/stability.py counts for the report.
    with services(app).sessions() as db:
        at = local_end_of(date(2027, 10, 4), "Asia/Shanghai")
        for months in (3, 6):
            assert stability.stability(
                db, (Posting.agency_id,), months, at,
                joins=((Posting, Posting.id == Application.posting_id),)) == {
                (agency_id,): (5, 4)}
