"""Records that warn the next villager: an agency's and an employer's record checked against a
hand-worked history (placed, still working at 3 and 6 months, pay checks, promises, cases);
the villager's pay line from 5 answers, not at 4; vetting an agency below its county's
threshold needs an explicit second look."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from smsgateway.db import utcnow
from smsgateway.figures import stability
from smsgateway.figures.records import month_before, record
from smsgateway.models import (
    Application,
    ApplicationStatus,
    Case,
    CaseCategory,
    CaseStatus,
    Contact,
    PayAnswer,
    PayCheck,
    Posting,
    PromiseCheck,
)
from smsgateway.services import services

from .api import account, agency, employer, posting_body, registered_villager
from .console import console_account, sign_in, token_of
from .departing import sms_in


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T02:00:00").replace(tzinfo=UTC)


def _posting(client, officer, employer_id, agency_id):
    body = posting_body(employer_id, agency_id=agency_id)
    created = client.post("/api/v1/postings", headers=officer, json=body)
    assert created.status_code == 201, created.json
    return created.json["id"]


def _placement(app, n, posting_id, departed, returned=None, language="zh"):
    """Villager n placed on the posting: departed (and returned) on those days."""
    phone = registered_villager(app, n, language)
    with services(app).sessions.begin() as db:
        villager = db.scalars(select(Contact).where(Contact.phone == phone)).one().villager
        application = Application(
            posting_id=posting_id, villager_id=villager.id, township_id=villager.township_id,
            status=ApplicationStatus.DEPARTED if departed else ApplicationStatus.INTERESTED,
            via="sms", departed_at=_at(departed) if departed else None,
            returned_at=_at(returned) if returned else None)
        db.add(application)
        db.flush()
        return {"application": application.id, "villager": villager.id, "phone": phone,
                "area": villager.township_id}


def _pay(app, placement, period, answer):
    with services(app).sessions.begin() as db:
        db.add(PayCheck(application_id=placement["application"], period=period,
                        asked_at=_at(f"{period}-28"), answer=answer and PayAnswer(answer),
                        answered_at=_at(f"{period}-28") if answer else None))


def _promise(app, placement, job, pay):
    with services(app).sessions.begin() as db:
        db.add(PromiseCheck(application_id=placement["application"], asked_at=_at("2026-01-01"),
                            job_as_promised=job, pay_as_promised=pay))


def _case(app, placement, agency_id, employer_id, category, status):
    with services(app).sessions.begin() as db:
        db.add(Case(villager_id=placement["villager"], area_id=placement["area"],
                    application_id=placement["application"], agency_id=agency_id,
                    employer_id=employer_id, category=CaseCategory(category),
                    description="-", via="officer", status=CaseStatus(status)))


@pytest.fixture
def history(app, client):
    """Agency A places on P1 (employer E1) and P2 (E2); agency B on P3 (E1). As of 30 Nov
    2026 (local), by hand:

    P1 v1 left 1 Mar, still there          3m yes  6m yes
       v2 left 10 Apr, home 1 Jun          3m no   6m no
       v3 left 15 May, home 1 Sep          3m yes  6m no
       v4 left 1 Jul                       3m yes  6m not yet due
       v5 left 1 Oct                       neither due
       v6 only applied                     not placed
    P2 v7 left 20 Jan, home 20 Jul (6 months to the day: not "later than")  3m yes 6m no
       v8 left 1 Jun                       3m yes  6m not yet due
    P3 v9 left 1 Feb                       3m yes  6m yes
       v10 left 1 Aug, home 20 Aug         3m no   6m not yet due
    """
    officer = account(app, "o", "officer", area="yongde")
    a, b = agency(app, "Wanxin Labour Service", "LIC-001"), agency(app, "Hanxian", "LIC-002")
    e1, e2 = employer(app), employer(app, "昆明建工", "Kunming", "Yunnan")
    p1, p2, p3 = (_posting(client, officer, e1, a), _posting(client, officer, e2, a),
                  _posting(client, officer, e1, b))
    v = {n: _placement(app, n, posting, departed, returned) for n, posting, departed, returned
         in [(1, p1, "2026-03-01", None), (2, p1, "2026-04-10", "2026-06-01"),
             (3, p1, "2026-05-15", "2026-09-01"), (4, p1, "2026-07-01", None),
             (5, p1, "2026-10-01", None), (6, p1, None, None),
             (7, p2, "2026-01-20", "2026-07-20"), (8, p2, "2026-06-01", None),
             (9, p3, "2026-02-01", None), (10, p3, "2026-08-01", "2026-08-20")]}
    for n, period, answer in [(1, "2026-09", "full"), (1, "2026-10", "full"),
                              (3, "2026-08", "part"), (4, "2026-10", "none"),
                              (5, "2026-10", None), (7, "2026-06", "full"),
                              (8, "2026-10", "full"), (9, "2026-10", "full")]:
        _pay(app, v[n], period, answer)
    for n, job, pay in [(1, True, True), (2, False, None), (3, True, False), (4, True, None),
                        (8, True, True), (9, False, False)]:
        _promise(app, v[n], job, pay)
    for n, owner, category, status in [(2, (a, e1), "contract", "open"),
                                       (3, (a, e1), "contract", "resolved"),
                                       (4, (a, e1), "wages_unpaid", "closed"),
                                       (7, (a, e2), "other", "in_progress"),
                                       (9, (b, e1), "contract", "resolved")]:
        _case(app, v[n], *owner, category, status)
    return {"officer": officer, "a": a, "b": b, "e1": e1, "e2": e2, "v": v,
            "heads": {"a": account(app, "a", "agency", agency_id=a),
                      "b": account(app, "b", "agency", agency_id=b),
                      "elsewhere": account(app, "f", "officer", area="fengqing")}}


def _share(count, of, percent):
    return {"count": count, "of": of, "percent": percent}


def test_an_agencys_record_matches_the_hand_worked_history(client, history):
    """Agency A: 7 placed; at 3 months 5 of 6 working, at 6 months 1 of 4; 7 pay checks
    asked, 4 of 6 answered in full (October: 2 of 3); promises kept 2 of 4 answered (v4's
    half answer does not count); 4 cases, 2 of them contract, 2 resolved or closed."""
    got = client.get(f"/api/v1/agencies/{history['a']}/record?as_of=2026-11-30",
                     headers=history["officer"])
    assert got.status_code == 200, got.json
    assert got.json == {
        "owner": "agency", "id": history["a"], "name": "Wanxin Labour Service", "placed": 7,
        "working_3_months": _share(5, 6, 83), "working_6_months": _share(1, 4, 25),
        "pay_checks_asked": 7, "paid_in_full": _share(4, 6, 66),
        "paid_in_full_last_month": {**_share(2, 3, 66), "month": "2026-10"},
        "promises_kept": _share(2, 4, 50),
        "cases_opened": 4, "contract_cases": 2, "cases_resolved": 2}


def test_an_employers_record_matches_the_hand_worked_history(client, history):
    """Employer E1 (through agencies A and B): 7 placed; at 3 months 4 of 6, at 6 months 2 of
    4; 6 asked, 3 of 5 in full (October 2 of 3); promises 1 of 4; 4 cases, 3 contract, 3
    resolved or closed. Earlier, fewer were due: as of 31 May only v9 was, at 3 months."""
    got = client.get(f"/api/v1/employers/{history['e1']}/record?as_of=2026-11-30",
                     headers=history["officer"]).json
    assert {k: v for k, v in got.items() if k not in ("id", "name", "owner")} == {
        "placed": 7,
        "working_3_months": _share(4, 6, 66), "working_6_months": _share(2, 4, 50),
        "pay_checks_asked": 6, "paid_in_full": _share(3, 5, 60),
        "paid_in_full_last_month": {**_share(2, 3, 66), "month": "2026-10"},
        "promises_kept": _share(1, 4, 25),
        "cases_opened": 4, "contract_cases": 3, "cases_resolved": 3}
    may = client.get(f"/api/v1/employers/{history['e1']}/record?as_of=2026-05-31",
                     headers=history["officer"]).json
    assert (may["working_3_months"], may["working_6_months"]) == (
        _share(1, 1, 100), _share(0, 0, None))  # v1 (1 Mar→1 Jun) not due yet on 31 May
    assert may["paid_in_full_last_month"]["month"] == "2026-04"


def test_who_may_read_a_record_and_what_an_agency_sees_of_small_shares(client, history):
    """Records are programme-wide for staff (another county's officer reads them too); an
    agency reads its own and its employers' records, a share of fewer than 5 answers without
    its count; another agency's is 404; a bad as_of is a 400."""
    a, e1, e2 = history["a"], history["e1"], history["e2"]
    elsewhere = client.get(f"/api/v1/agencies/{a}/record", headers=history["heads"]["elsewhere"])
    assert elsewhere.status_code == 200
    own = client.get(f"/api/v1/agencies/{a}/record?as_of=2026-11-30",
                     headers=history["heads"]["a"]).json
    assert own["paid_in_full"] == _share(4, 6, 66)  # 6 answers: shown
    assert own["promises_kept"] == _share(None, 4, None)  # 4 answers: count withheld
    assert own["paid_in_full_last_month"]["count"] is None
    assert client.get(f"/api/v1/agencies/{a}/record",
                      headers=history["heads"]["b"]).status_code == 404
    assert client.get(f"/api/v1/employers/{e2}/record",
                      headers=history["heads"]["b"]).status_code == 404  # B never posted for E2
    assert client.get(f"/api/v1/employers/{e1}/record",
                      headers=history["heads"]["b"]).status_code == 200
    assert client.get("/api/v1/agencies/999/record",
                      headers=history["officer"]).status_code == 404
    bad = client.get(f"/api/v1/agencies/{a}/record?as_of=30-11-2026", headers=history["officer"])
    assert (bad.status_code, bad.json["field"]) == (400, "as_of")


def test_a_county_threshold_makes_the_vetting_of_a_weak_agency_need_a_second_look(
        client, history):
    """Yongde sets 60%: agency A (promises kept 50%) needs the second look ticked before its
    posting is published; the checklist records it. Fengqing's officer may not set Yongde's."""
    officer = history["officer"]
    refused = client.put("/api/v1/record-threshold", headers=history["heads"]["elsewhere"],
                         json={"county": "yongde", "percent": 60})
    assert refused.status_code == 404
    assert client.put("/api/v1/record-threshold", headers=officer,
                      json={"county": "yongde", "percent": 101}).status_code == 422
    assert client.get("/api/v1/record-threshold?county=yongde",
                      headers=officer).json == {"county": "yongde", "percent": None}
    assert client.get("/api/v1/record-threshold", headers=officer).status_code == 400
    assert client.get("/api/v1/record-threshold?county=yongde.dedang",
                      headers=officer).status_code == 404  # a township is not a county
    posting = _posting(client, officer, history["e2"], history["a"])
    assert client.post(f"/api/v1/postings/{posting}/vet", headers=officer,
                       json={"decision": "publish"}).status_code == 200  # no threshold yet
    assert client.put("/api/v1/record-threshold", headers=officer,
                      json={"county": "yongde", "percent": 60}).json == {
        "county": "yongde", "percent": 60}
    posting = _posting(client, officer, history["e2"], history["a"])
    first = client.post(f"/api/v1/postings/{posting}/vet", headers=officer,
                        json={"decision": "publish"})
    assert first.status_code == 422
    assert "agency_record_second_look" in first.json["error"]
    looked = client.post(f"/api/v1/postings/{posting}/vet", headers=officer,
                         json={"decision": "publish", "second_look": True})
    assert looked.status_code == 200, looked.json
    assert looked.json["status"] == "published"
    assert looked.json["checklist"]["agency_record_second_look"] is True


def test_the_villagers_pay_line_shows_from_five_answers_and_not_at_four(app, client):
    """JOB n shows "4 of 5 paid in full last month" once 5 workers of the employer answered
    last month's pay check; at 4 answers there is no line, in either language."""
    officer = account(app, "o", "officer", area="yongde")
    a, e = agency(app, "Wanxin Labour Service", "LIC-001"), employer(app)
    posting = _posting(client, officer, e, a)
    assert client.post(f"/api/v1/postings/{posting}/vet", headers=officer,
                       json={"decision": "publish"}).status_code == 200
    last = month_before(utcnow(), "Asia/Shanghai")
    workers = [_placement(app, n, posting, "2026-01-01") for n in range(1, 6)]
    for placement, answer in zip(workers[:4], ("full", "full", "part", "full"), strict=True):
        _pay(app, placement, last, answer)
    _pay(app, workers[4], "2026-01" if last != "2026-01" else "2025-12", "full")  # other month
    reader_en, reader_zh = registered_villager(app, 50, "en"), registered_villager(app, 51)
    four_en, four_zh = sms_in(client, reader_en, f"JOB {posting}"), sms_in(
        client, reader_zh, f"详情 {posting}")
    assert "paid in full" not in four_en and "足额领薪" not in four_zh
    _pay(app, workers[4], last, "full")
    five_en = sms_in(client, reader_en, f"JOB {posting}")
    five_zh = sms_in(client, reader_zh, f"详情 {posting}")
    assert "4 of 5 paid in full last month" in five_en
    assert "上月5人中4人足额领薪" in five_zh
    assert "Never pay a recruitment fee" in five_en  # the code and warning are still there


def test_the_console_shows_the_record_when_vetting_and_asks_the_second_look(
        app, client, history):
    """The posting page shows the agency's record, the county's threshold and what falls
    below it; publishing needs the second-look box ticked; the record pages show the
    figures (an agency's own: a share of fewer than 5 answers without its count)."""
    officer = history["officer"]
    client.put("/api/v1/record-threshold", headers=officer,
               json={"county": "yongde", "percent": 60})
    posting = _posting(client, officer, history["e2"], history["a"])
    console_account(app, "vetter", "officer", area="yongde")
    browser = app.test_client()
    sign_in(browser, "vetter")
    page = browser.get(f"/console/postings/{posting}").get_data(as_text=True)
    assert 'id="agency-record"' in page and 'id="second-look"' in page
    assert 'id="second-look-needed"' in page
    token = token_of(page)
    browser.post(f"/console/postings/{posting}/vet",
                 data={"csrf_token": token, "decision": "publish"})
    assert client.get(f"/api/v1/postings/{posting}",
                      headers=officer).json["status"] == "pending_vetting"
    browser.post(f"/console/postings/{posting}/vet",
                 data={"csrf_token": token, "decision": "publish", "second_look": "yes"})
    assert client.get(f"/api/v1/postings/{posting}",
                      headers=officer).json["status"] == "published"
    record = browser.get(f"/console/agencies/{history['a']}/record").get_data(as_text=True)
    assert '<dd class="placed">7</dd>' in record
    console_account(app, "agent", "agency", agency_id=history["a"])
    agent = app.test_client()
    sign_in(agent, "agent")
    own = agent.get(f"/console/agencies/{history['a']}/record").get_data(as_text=True)
    assert "少于5人不显示" in own  # promises kept: 4 answers (the console speaks Chinese)
    assert agent.get(f"/console/agencies/{history['b']}/record").status_code == 404


def test_records_count_still_working_as_the_report_does_in_any_database_calendar(
        app, client, db):
    """"Still working at 3 months" in a record is `figures.stability`'s count, the monthly
    report's, even where the database adds months in local time (a PostgreSQL whose TimeZone
    is Asia/Shanghai): 31 March 07:00 local + 3 months is 30 June 07:00 there, but 30 June
    23:00 UTC (1 July 07:00 local) in UTC; a worker home on 30 June at noon is within the
    months in one calendar and after them in the other. The record must say what the
    report says (it added the months in Python, in UTC, and disagreed)."""
    officer = account(app, "o", "officer", area="yongde")
    a, e = agency(app, "Wanxin Labour Service", "LIC-001"), employer(app)
    posting = _posting(client, officer, e, a)
    placement = _placement(app, 1, posting, "2026-01-01")
    local = ZoneInfo("Asia/Shanghai")
    with services(app).sessions.begin() as session:
        application = session.get(Application, placement["application"])
        application.departed_at = datetime(2027, 3, 31, 7, tzinfo=local)
        application.returned_at = datetime(2027, 6, 30, 12, tzinfo=local)
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SET LOCAL TIME ZONE 'Asia/Shanghai'"))  # this transaction only
    as_of = datetime(2027, 7, 5, tzinfo=local)
    found = record(db, "agency", a, "Wanxin", as_of, "Asia/Shanghai").working_3_months
    [(due, working)] = stability.stability(
        db, (Posting.agency_id,), 3, as_of,
        joins=((Posting, Posting.id == Application.posting_id),)).values()
    assert (found.count, found.of) == (working, due)
    assert due == 1
    db.rollback()
