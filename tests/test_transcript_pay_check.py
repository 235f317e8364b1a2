"""Issue 13 item 2 end to end: the monthly pay check, its wage cases, their CSV, the figures.

A posting states pay day 10. Seven workers of it: five left on 20 September (李芳 and 王强
read Chinese, Ai Lan and Ben English, 赵敏 Chinese), 陈杰 left on 5 October (after
September began: not asked about September) and Tom came home. The clock is frozen and
moved on explicitly (time-machine); every worker is a real RQ burst worker with the
scheduler, so the periodic pay-check job runs when it is due, and every SMS goes through the
outbox, the worker and the Twilio SDK to a local Twilio-like server. Quiet hours are 21-8.

Hand-worked history of September's pay (asked on 11 October):
  李芳   2 (part), then ¥1,200            → case, 1200 missing; a second 2: "already noted"
  Ai Lan 3 (none), "lots" (not a number), then 4,800 → case, 4800 missing
  王强   1 (full), then 1 again           → "already noted", no case
  Ben    silent; reminded on the 14th; answers 2 late (the 20th), then １２００ → case, 1200
  赵敏   silent; reminded once on the 14th, never again → unanswered
So: asked 5, answered 4, unanswered 1, paid in full 1, missing 1200 + 4800 + 1200 = 7200.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from smsgateway.messaging import jobpaths
from smsgateway.models import Application, Case, CaseCategory, CheckIn, Message, PayCheck
from smsgateway.services import SCHEDULES, services
from workers.paychecks import run

from . import providers
from .api import account, agency, applied, posting_body, registered_villager
from .console import console_account, form_token, sign_in
from .departing import sms_in
from .phone import UssdPhone
from .story import Story

LOCAL = ZoneInfo("Asia/Shanghai")
LI, AI, WANG, BEN, ZHAO, CHEN, TOM = range(7)
NAMES = {LI: "zh", AI: "en", WANG: "zh", BEN: "en", ZHAO: "zh", CHEN: "zh", TOM: "en"}
ADDRESS = "广东省东莞市长安镇振安路88号"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


SEP1, SEP20, OCT5 = date(2027, 9, 1), date(2027, 9, 20), date(2027, 10, 5)
OCT11, OCT14, OCT20 = date(2027, 10, 11), date(2027, 10, 14), date(2027, 10, 20)


@pytest.fixture
def pay_app(app_factory, httpserver):
    """Twilio to the local server, quiet hours 21:00-08:00."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    return app_factory(SMS_PROVIDER="twilio", QUIET_HOURS="21-8", PROVIDER_TIMEOUT=10.0,
                       TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"))


class Phones(Story):
    """The shared Story, by worker number (`NAMES`' order), every SMS in one segment."""

    def __init__(self, app, httpserver, traveller, phones):
        super().__init__(app, httpserver, traveller,
                         {phone: NAMES[who] for who, phone in enumerate(phones)})
        self.phones = phones

    def sms(self, who, body):
        super().sms(self.phones[who], body)

    def expect(self, who, *facts):
        """The oldest unchecked SMS of `who`: names each fact, in their language, 1 segment."""
        return super().expect(self.phones[who], 1, *facts)

    def drain(self) -> None:
        for box in self.inbox.values():
            box.clear()


def test_the_monthly_pay_check_from_question_to_wage_case_csv_and_figures(pay_app, httpserver):
    """Asked once on the 11th (never at 00:30), answered full / part / none with amounts, a
    late and a double answer, one reminder, the wage cases and their CSV, the figures."""
    with time_machine.travel(_at(SEP1, 9), tick=False) as traveller:
        _story(pay_app, httpserver, traveller)


def _setup(app, client, phones: Phones) -> dict:
    """The posting (pay day 10) and its workers: five leave on 20 September, 陈杰 on 5
    October; Tom comes home."""
    officer = account(app, "officer", "officer", area="yongde")
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-013"))
    employer = client.post("/api/v1/employers", headers=head, json={
        "name": "东莞华荣电子有限公司", "city": "Dongguan", "province": "Guangdong",
        "contact": "HR 0769-1234567", "address": ADDRESS})
    assert employer.status_code == 201, employer.json
    assert employer.json["address"] == ADDRESS
    bad = client.post("/api/v1/postings", headers=head,
                      json=posting_body(employer.json["id"], pay_day=32))
    assert (bad.status_code, bad.json["field"]) == (422, "pay_day")
    posting = client.post("/api/v1/postings", headers=head,
                          json=posting_body(employer.json["id"], pay_day=10, positions=10))
    assert posting.status_code == 201 and posting.json["pay_day"] == 10, posting.json
    job = posting.json["id"]
    vetted = client.post(f"/api/v1/postings/{job}/vet", headers=officer,
                         json={"decision": "publish"})
    assert vetted.status_code == 200, vetted.json
    phones.worker()
    applications = {}
    for who, phone in enumerate(phones.phones):
        registered_villager(app, 130 + who, NAMES[who])
        applications[who] = applied(app, job, phone)
        confirmed = client.post(f"/api/v1/applications/{applications[who]}/confirm",
                                headers=head, json={})
        assert confirmed.status_code == 200, confirmed.json
    for leaves, who_left in ((_at(SEP20, 8), [LI, AI, WANG, BEN, ZHAO, TOM]),
                             (_at(OCT5, 8), [CHEN])):
        phones.traveller.move_to(leaves - timedelta(hours=1))
        departure = client.post("/api/v1/departures", headers=officer, json={
            "posting_id": job, "leaves_at": leaves.isoformat(), "place": "Dedang bus station",
            "escort_name": "Li Wei", "escort_phone": "13887654321"})
        assert departure.status_code == 201, departure.json
        if CHEN not in who_left:  # 陈杰 cannot go on the first one
            phones.sms(CHEN, "否")
        phones.traveller.move_to(leaves + timedelta(minutes=30))
        gone = client.post(f"/api/v1/departures/{departure.json['id']}/depart",
                           headers=officer)
        assert gone.status_code == 200, gone.json
        went = {r["villager_phone"] for r in gone.json["roster"] if r["status"] == "departed"}
        assert {phones.phones[w] for w in who_left} <= went
        assert (phones.phones[CHEN] in went) == (CHEN in who_left)
    with services(app).sessions.begin() as db:
        tom = db.get(Application, applications[TOM])
        tom.returned_at = _at(SEP20, 8) + timedelta(days=10)  # he answered a check-in 3
    phones.worker()
    phones.drain()  # the confirmations: other tests check those
    return {"officer": officer, "head": head, "job": job, "applications": applications,
            "employer": employer.json["id"]}


def _story(app, httpserver, traveller) -> None:
    client = app.test_client()
    phones = Phones(app, httpserver, traveller,
                    [f"+86139000{130 + who:05d}" for who in range(7)])
    setting = _setup(app, client, phones)
    with services(app).sessions() as db:
        departed = {who: db.get(Application, a).departed_at
                    for who, a in setting["applications"].items()}
    assert departed[LI] == _at(SEP20, 8) and departed[CHEN] == _at(OCT5, 8)
    # As `jobline worker` does on start; only the pay-check job here (the check-ins are
    # another test's): it keeps itself scheduled every PAY_CHECK_INTERVAL (15 minutes).
    services(app).queue(SCHEDULES).enqueue(jobpaths.PAY_CHECKS,
                                           job_id=jobpaths.PAY_CHECKS_JOB_ID,
                                           result_ttl=jobpaths.PERIODIC_RESULT_TTL)

    # 10 October, the pay day itself, and 00:30 on the 11th (quiet hours): nobody is asked.
    phones.worker(_at(OCT11 - timedelta(days=1), 12))
    phones.worker(_at(OCT11, 0, 30))
    phones.quiet()
    with services(app).sessions() as db:
        assert db.scalars(select(PayCheck)).all() == []

    # 11 October 08:01: the five who left in September are asked about September, once.
    phones.worker(_at(OCT11, 8, 1))
    assert phones.expect(LI) == ("临沧务工工资回访：您9月的工资发了吗？回复 1 全额发放，"
                                 "2 只发了部分，3 没有发。没发全的，工作人员会为您立案追讨。")
    assert phones.expect(AI) == (
        "Jobline pay check: were you paid for September? Reply 1 in full, 2 in part, 3 not "
        "at all. If not in full, an officer takes up a wage case for you.")
    for who in (WANG, ZHAO):
        phones.expect(who, "9月的工资发了吗", "回复 1 全额发放")
    phones.expect(BEN, "paid for September?", "Reply 1 in full, 2 in part, 3 not at all")
    phones.quiet()  # 陈杰 left in October, Tom came home
    assert run(now=_at(OCT11, 8, 5)) == {"asked": 0, "reminded": 0}  # a second run: nobody

    # 李芳: 2, then ¥1,200 (the case carries it); a second 2 is "already noted".
    traveller.move_to(_at(OCT11, 12))
    phones.sms(LI, "2")
    phones.expect(LI, "9月工资没有发全", "少发了多少钱", "1200")
    phones.worker()
    [li_case] = _cases(app)
    phones.expect(LI, f"编号 {li_case.id}")
    phones.sms(LI, "¥1,200")
    phones.expect(LI, "9月少发1200元", f"工资案件 {li_case.id}", "工作人员会跟进")
    phones.sms(LI, "2")
    phones.expect(LI, "您9月工资的答复已记录")
    # Ai Lan: 3, a word that is no amount (not ours: the usual line), then 4,800.
    phones.sms(AI, "3")
    phones.expect(AI, "Noted: not paid in full for September", "How much is missing?")
    phones.sms(AI, "lots")
    phones.expect(AI, "Sorry, we did not understand")
    phones.sms(AI, "4,800 yuan?")
    phones.expect(AI, "Please reply the amount missing in yuan as a number")
    phones.sms(AI, "4,800")
    ai_case = _cases(app)[1]
    phones.expect(AI, "Noted: 4800 yuan missing for September", f"wage case {ai_case.id}")
    # 王强: 1, then 1 again.
    phones.sms(WANG, "1")
    phones.expect(WANG, "已记录您9月的工资已全额发放")
    phones.sms(WANG, "1")
    phones.expect(WANG, "您9月工资的答复已记录")
    phones.worker()
    phones.expect(AI, f"case {ai_case.id}")
    phones.quiet()

    # 14 October: Ben and 赵敏 are reminded, once; not again on the 17th.
    phones.worker(_at(OCT14, 8, 0))  # 3 days after 08:01: not yet
    phones.quiet()
    phones.worker(_at(OCT14, 8, 20))
    phones.expect(BEN, "Reminder: were you paid for September?")
    phones.expect(ZHAO, "提醒：您9月的工资发了吗？")
    phones.quiet()
    phones.worker(_at(OCT14 + timedelta(days=3), 9))
    phones.quiet()

    # 20 October: Ben answers late, 2, then the amount in full-width digits.
    traveller.move_to(_at(OCT20, 19))
    phones.sms(BEN, "2")
    phones.expect(BEN, "Noted: not paid in full for September")
    phones.sms(BEN, "１２００")
    ben_case = _cases(app)[2]
    phones.expect(BEN, "Noted: 1200 yuan missing for September", f"wage case {ben_case.id}")
    phones.worker()
    phones.expect(BEN, f"case {ben_case.id}")
    phones.quiet()
    assert len(_cases(app)) == 3  # the double answers opened none

    # The wage cases, as the officer exports them for the labour inspection.
    listed = client.get("/api/v1/wage-cases?period=2027-09", headers=setting["officer"])
    assert listed.status_code == 200, listed.json
    exported = client.get("/api/v1/wage-cases?period=2027-09&format=csv",
                          headers=setting["officer"])
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0] == ["case", "status", "opened_at", "period", "worker", "worker_phone",
                       "township", "employer", "employer_address", "employer_city",
                       "employer_contact", "amount_agreed_min", "amount_agreed_max",
                       "amount_missing", "agency", "agency_licence", "posting"]
    # csvsafe: a text cell starting with "+" gets a leading "'" (never a formula)
    assert rows[1] == [str(li_case.id), "open", "2027-10-11 12:00", "2027-09", "村民130",
                       "'" + phones.phones[LI], "德党镇", "东莞华荣电子有限公司", ADDRESS,
                       "Dongguan", "HR 0769-1234567", "4000", "5500", "1200", "Wanxin",
                       "LIC-013", str(setting["job"])]
    assert [(r[0], r[4], r[13]) for r in rows[1:]] == [
        (str(li_case.id), "村民130", "1200"), (str(ai_case.id), "村民131", "4800"),
        (str(ben_case.id), "村民133", "1200")]
    assert [item["amount_missing"] for item in listed.json["items"]] == [1200, 4800, 1200]
    assert client.get("/api/v1/wage-cases", headers=setting["head"]).status_code == 403
    elsewhere = account(app, "gengma", "officer", area="gengma")
    assert client.get("/api/v1/wage-cases", headers=elsewhere).json["items"] == []
    assert client.get("/api/v1/wage-cases?period=2027-13",
                      headers=setting["officer"]).status_code == 400
    case = client.get(f"/api/v1/cases/{li_case.id}", headers=setting["officer"]).json
    assert (case["category"], case["via"], case["application_id"], case["employer_id"]) == (
        "wages_unpaid", "paycheck", setting["applications"][LI], setting["employer"])
    assert case["description"] == "Pay check 2027-09: paid in part. Amount missing: 1200 yuan."
    assert [(e["action"], e["note"]) for e in case["events"]] == [
        ("opened", None), ("note", "amount missing: 1200 yuan")]

    # The report of September's pay, against the hand-worked history.
    report = client.get("/api/v1/reports/monthly?month=2027-09&area=yongde",
                        headers=setting["officer"]).json
    county, *townships = report["rows"]
    dedang = next(r for r in townships if r["area"] == "yongde.dedang")
    for row in (county, dedang):
        assert {k: row[k] for k in ("pay_checks_asked", "pay_checks_answered",
                                    "pay_checks_unanswered", "paid_in_full",
                                    "pay_missing_amount")} == {
            "pay_checks_asked": 5, "pay_checks_answered": 4, "pay_checks_unanswered": 1,
            "paid_in_full": 1, "pay_missing_amount": 7200}
    assert not dedang["zero_report"]
    assert all(r["pay_checks_asked"] == 0 for r in townships if r is not dedang)
    october = client.get("/api/v1/reports/monthly?month=2027-10&area=yongde",
                         headers=setting["officer"]).json["rows"][0]
    assert october["pay_checks_asked"] == 0  # October's pay is asked in November
    as_csv = client.get("/api/v1/reports/monthly?month=2027-09&area=yongde&format=csv",
                        headers=setting["officer"]).get_data(as_text=True)
    lines = list(csv.DictReader(io.StringIO(as_csv)))
    assert (lines[0]["pay_checks_asked"], lines[0]["paid_in_full"],
            lines[0]["pay_missing_amount"]) == ("5", "1", "7200")

    # The console: the wage cases page and its CSV, the report's pay-check table, the pay day.
    console = app.test_client()
    console_account(app, "li", "officer", area="yongde")
    sign_in(console, "li")
    console.post("/console/language", data={"lang": "en", "csrf_token": form_token(console)})
    page = console.get("/console/wage-cases?period=2027-09").get_data(as_text=True)
    assert ADDRESS in page and "4800" in page and page.count('<a href="/console/cases/') == 3
    assert console.get("/console/wage-cases?period=2027-09&format=csv").get_data(
        as_text=True) == exported.get_data(as_text=True)
    shown = console.get("/console/report?month=2027-09&area=yongde").get_data(as_text=True)
    line = re.search(r'<tr id="pay-yongde"[^>]*>(.*?)</tr>', shown, re.S)
    assert line and re.findall(r'<td class="n">([\d,]+)</td>', line.group(1)) == [
        "5", "4", "1", "1", "7,200"]
    assert 'id="pay-day">10<' in console.get(f"/console/postings/{setting['job']}").get_data(
        as_text=True)

    # Every SMS to the workers was checked above (none to 陈杰 and Tom), each one sent.
    with services(app).sessions() as db:
        kinds = db.scalars(select(Message.kind).where(Message.kind == "paycheck")).all()
        assert len(kinds) == 7  # five questions and two reminders
        assert not db.scalars(select(Message).where(
            Message.phone.in_([phones.phones[CHEN], phones.phones[TOM]]),
            Message.kind == "paycheck")).all()


def _cases(app) -> list[Case]:
    with services(app).sessions() as db:
        return list(db.scalars(select(Case).where(Case.category == CaseCategory.WAGES_UNPAID)
                               .order_by(Case.id)))


def _published_pay_day_10(app, client, licence: str) -> int:
    """A published posting whose employer pays on the 10th; returns its id."""
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", licence))
    officer = account(app, "officer", "officer", area="yongde")
    employer = client.post("/api/v1/employers", headers=head, json={
        "name": "Works", "city": "Dongguan", "province": "Guangdong"}).json
    job = client.post("/api/v1/postings", headers=head,
                      json=posting_body(employer["id"], pay_day=10)).json["id"]
    client.post(f"/api/v1/postings/{job}/vet", headers=officer, json={"decision": "publish"})
    return int(job)


def test_two_runs_at_the_same_moment_ask_each_worker_once(app, client):
    """The job on two workers at once: one PayCheck row and one SMS per worker."""
    job = _published_pay_day_10(app, client, "LIC-014")
    ids = [applied(app, job, registered_villager(app, 150 + n)) for n in range(4)]
    with services(app).sessions.begin() as db:
        for application_id in ids:
            row = db.get(Application, application_id)
            row.status, row.departed_at = "departed", _at(SEP20, 8)
    now = _at(OCT11, 10)
    results: list[dict[str, int]] = []
    threads = [threading.Thread(target=lambda: results.append(run(now=now))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["asked"] for r in results) in ([0, 4], [1, 3], [2, 2])
    assert sum(r["asked"] for r in results) == 4
    with services(app).sessions() as db:
        assert len(db.scalars(select(PayCheck)).all()) == 4
        township = db.get(Application, ids[0]).township_id
        assert {c.township_id for c in db.scalars(select(PayCheck))} == {township}
    with services(app).sessions.begin() as db:  # a row written without it looks it up
        db.add(PayCheck(application_id=ids[0], period="2027-08", asked_at=now))
    with services(app).sessions() as db:
        assert db.scalars(select(PayCheck.township_id).where(
            PayCheck.period == "2027-08")).one() == township
        assert len(db.scalars(select(Message).where(Message.kind == "paycheck")).all()) == 4


def test_a_digit_goes_to_the_question_asked_last(app, client):
    """With a check-in open too: a pay check asked after it takes the digit; once answered,
    a repeat goes to the still open check-in; a check-in asked after the pay check takes it."""
    job = _published_pay_day_10(app, client, "LIC-015")
    phones = [registered_villager(app, 160 + n, "en") for n in range(2)]
    ids = [applied(app, job, phone) for phone in phones]
    with services(app).sessions.begin() as db:
        for n, application_id in enumerate(ids):
            row = db.get(Application, application_id)
            row.status, row.departed_at = "departed", _at(SEP20, 8)
            sent = _at(OCT11 - timedelta(days=10) if n == 0 else OCT11 + timedelta(days=1), 9)
            db.add(CheckIn(application_id=application_id, number=1, due_at=sent, sent_at=sent,
                           last_sent_at=sent))
    assert run(now=_at(OCT11, 9))["asked"] == 2
    # Worker 0: the pay check is the later question, then the check-in takes the repeat.
    assert sms_in(client, phones[0], "1").startswith("Thank you: paid in full for September")
    assert sms_in(client, phones[0], "1").startswith("Thank you, glad all is well")
    # Worker 1: the check-in came after the pay check: "2" is a problem, not "part".
    assert sms_in(client, phones[1], "2").startswith("Sorry to hear it")
    with services(app).sessions() as db:
        checks = {c.application_id: c for c in db.scalars(select(PayCheck))}
        assert (checks[ids[0]].answer, checks[ids[1]].answer) == ("full", None)
        assert [c.closed_at is not None for c in db.scalars(
            select(CheckIn).order_by(CheckIn.application_id))] == [True, True]
        assert [c.category for c in db.scalars(select(Case))] == ["other"]


def test_a_worker_answers_the_pay_check_by_ussd_at_no_cost(app, client):
    """A dial shows the waiting pay check first: 2 opens the wage case, the amount is noted
    on it with its number on the last screen; the next dial is the menu. Another worker's
    "1" by USSD is paid in full, and a later SMS digit is "already noted"."""
    job = _published_pay_day_10(app, client, "LIC-016")
    phones = [registered_villager(app, 170, "zh"), registered_villager(app, 171, "en")]
    ids = [applied(app, job, phone) for phone in phones]
    with services(app).sessions.begin() as db:
        for application_id in ids:
            row = db.get(Application, application_id)
            row.status, row.departed_at = "departed", _at(SEP20, 8)
    assert run(now=_at(OCT11, 9))["asked"] == 2
    li, ben = UssdPhone(client, phones[0]), UssdPhone(client, phones[1])
    assert "您9月的工资发了吗？" in li.dial()
    assert "少发了多少钱" in li.press("2") and not li.ended
    assert "请输入数字" in li.press("一千二")
    screen = li.press("1200")
    with services(app).sessions() as db:
        checks = {c.application_id: c for c in db.scalars(select(PayCheck))}
        case = db.get(Case, checks[ids[0]].case_id)
        assert (checks[ids[0]].answer, checks[ids[0]].missing_amount) == ("part", 1200)
        assert case.category == "wages_unpaid" and "1200 yuan" in case.description
    assert li.ended and f"已加入工资案件 {case.id}" in screen
    assert li.dial().startswith("临沧务工\n1 找工作")  # answered: the menu again
    assert "Were you paid for September?" in ben.dial()
    assert ben.press("1").startswith("Thank you: paid in full for September") and ben.ended
    assert sms_in(client, phones[1], "3").startswith("Your answer for September is already")
    with services(app).sessions() as db:
        ben_check = db.scalars(select(PayCheck).where(PayCheck.application_id == ids[1])).one()
        assert (ben_check.answer, ben_check.case_id) == ("full", None)
        assert [c.id for c in db.scalars(select(Case))] == [case.id]
