"""The monthly report: every figure of a small known history, worked out by hand, for a
township, a county and the city; zero-report areas; targets; CSV and JSON agree.

The history (local time, Asia/Shanghai; the report is for 2026-10):

- A, a man of Yongde · Dedang: registered 10-05, trained 10-10, departed 10-15 to Dongguan
  (outside the province, 4000-5000 a month, 12 months); a check-in answered 10-25; a case
  opened 10-26 and resolved 10-30.
- B, a woman of Dedang: registered 10-31 23:30 (still October), trained 10-12; confirmed,
  not departed.
- C, a woman of Yongde · Yongkang: registered 11-01 00:30 (November, though UTC says
  October 31).
- D, a man of Fengqing · Fengshan: registered 09-10, trained 10-20, departed 10-16 within
  the city (3000 a month, 6 months), came home 10-28.
- E, a man of Yongkang: registered 08-01, trained 09-03, departed 09-05 (the year's
  figures, not the month's).

Targets 2026: Yongde trained 10, placed 4; the city trained 100, placed 50.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smsgateway.models import (
    Application,
    ApplicationStatus,
    Area,
    Case,
    CaseEvent,
    CaseStatus,
    CheckIn,
    Contact,
    Destination,
    Enrolment,
    EnrolmentStatus,
    Posting,
    PostingStatus,
    Sex,
    Target,
    TrainingSession,
    Villager,
)

from .api import account, agency, employer

LOCAL = ZoneInfo("Asia/Shanghai")


def at(text):
    """A local time as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


@pytest.fixture
def history(app, db):
    areas = {a.code: a for a in db.scalars(select(Area))}
    agency_id, employer_id = agency(app, "Wanxin", "LIC-9"), employer(app)

    def posting(destination, province, wage_min, wage_max, months):
        row = Posting(title_zh="岗位", title_en="Job", employer_id=employer_id,
                      agency_id=agency_id, area_id=areas["yongde"].id, trade="factory",
                      destination_city="X", destination_province=province,
                      destination=destination, wage_min=wage_min, wage_max=wage_max,
                      hours_per_day=8, days_per_week=6, contract_months=months, positions=9,
                      deadline=date(2026, 12, 31), status=PostingStatus.PUBLISHED)
        db.add(row)
        return row

    far = posting(Destination.OUTSIDE_PROVINCE, "Guangdong", 4000, 5000, 12)
    near = posting(Destination.WITHIN_CITY, "Yunnan", 3000, 3000, 6)
    course = TrainingSession(trade="factory", township_id=areas["yongde.dedang"].id,
                             start_date=date(2026, 8, 1), end_date=date(2026, 10, 30),
                             capacity=20)
    db.add(course)
    people = {}
    for n, (name, sex, township, registered) in enumerate([
            ("A", Sex.MALE, "yongde.dedang", "2026-10-05T09:00"),
            ("B", Sex.FEMALE, "yongde.dedang", "2026-10-31T23:30"),
            ("C", Sex.FEMALE, "yongde.yongkang", "2026-11-01T00:30"),
            ("D", Sex.MALE, "fengqing.fengshan", "2026-09-10T09:00"),
            ("E", Sex.MALE, "yongde.yongkang", "2026-08-01T09:00")]):
        contact = Contact(phone=f"+8613900001{n:03d}", language="zh")
        villager = Villager(contact=contact, name=name, sex=sex, birth_year=1990,
                            township_id=areas[township].id, registered_via="sms",
                            created_at=at(registered))
        db.add_all([contact, villager])
        people[name] = villager
    db.flush()
    for name, completed in (("A", "2026-10-10"), ("B", "2026-10-12"), ("D", "2026-10-20"),
                            ("E", "2026-09-03")):
        db.add(Enrolment(session_id=course.id, villager_id=people[name].id,
                         township_id=people[name].township_id, via="sms",
                         status=EnrolmentStatus.COMPLETED, completed_at=at(f"{completed}T16:00")))

    def placement(name, job, status, departed=None, returned=None):
        row = Application(posting=job, villager=people[name], status=status, via="sms",
                          township_id=people[name].township_id,
                          departed_at=at(departed) if departed else None,
                          returned_at=at(returned) if returned else None)
        db.add(row)
        return row

    a = placement("A", far, ApplicationStatus.DEPARTED, "2026-10-15T06:00")
    placement("B", far, ApplicationStatus.CONFIRMED)
    placement("D", near, ApplicationStatus.DEPARTED, "2026-10-16T06:00", "2026-10-28T12:00")
    placement("E", near, ApplicationStatus.DEPARTED, "2026-09-05T06:00")
    db.flush()
    db.add(CheckIn(application_id=a.id, number=0, due_at=at("2026-10-18T10:00"),
                   sent_at=at("2026-10-18T10:00"), last_sent_at=at("2026-10-18T10:00"),
                   answer=1, answered_at=at("2026-10-25T10:00"),
                   closed_at=at("2026-10-25T10:00")))
    case = Case(villager=people["A"], area_id=people["A"].township_id, category="wages_unpaid",
                description="no pay", via="sms", status=CaseStatus.RESOLVED,
                created_at=at("2026-10-26T10:00"))
    db.add(case)
    db.flush()
    db.add_all([CaseEvent(case_id=case.id, at=at("2026-10-26T10:00"), action="opened",
                          status=CaseStatus.OPEN),
                CaseEvent(case_id=case.id, at=at("2026-10-30T10:00"), action="status",
                          status=CaseStatus.RESOLVED)])
    db.add_all([Target(area_id=areas["yongde"].id, year=2026, trained=10, placed=4),
                Target(area_id=areas["lincang"].id, year=2026, trained=100, placed=50)])
    db.commit()
    return {"admin": account(app, "admin", "admin"),
            "yongde": account(app, "o", "officer", area="yongde")}


def _report(client, who, area, fmt=""):
    return client.get(f"/api/v1/reports/monthly?month=2026-10&area={area}{fmt}", headers=who)


ZERO = dict.fromkeys(("registered", "trained_men", "trained_women", "placed",
                      "placed_within_city", "placed_in_province", "placed_outside_province",
                      "confirmed_waiting", "checkins_answered", "returned", "cases_opened",
                      "cases_resolved", "income"), 0)
DEDANG = {**ZERO, "registered": 2, "trained_men": 1, "trained_women": 1, "placed": 1,
          "placed_outside_province": 1, "confirmed_waiting": 1, "checkins_answered": 1,
          "cases_opened": 1, "cases_resolved": 1, "income": 54_000}  # 4500 × 12
FENGSHAN = {**ZERO, "trained_men": 1, "placed": 1, "placed_within_city": 1, "returned": 1,
            "income": 18_000}  # 3000 × 6


def _figures(row):
    return {k: row[k] for k in ZERO}


def test_the_city_sums_its_counties_and_marks_the_silent_ones(client, history):
    """The city's line adds Yongde (Dedang) and Fengqing (Fengshan); C registered after
    midnight local time on November 1 is not in October; the six other counties report
    zero and are listed; the year's figures include E's September departure."""
    report = _report(client, history["admin"], "lincang").json
    city, *counties = report["rows"]
    assert city["area"] == "lincang" and city["level"] == "city"
    assert _figures(city) == {k: DEDANG[k] + FENGSHAN[k] for k in ZERO}
    assert city["placed_by_province"] == {"Guangdong": 1, "Yunnan": 1}
    assert (city["trained_this_year"], city["placed_this_year"]) == (4, 3)  # A B D E; A D E
    assert (city["target_trained"], city["trained_percent"]) == (100, 4.0)
    assert (city["target_placed"], city["placed_percent"]) == (50, 6.0)
    by_code = {row["area"]: row for row in counties}
    assert len(by_code) == 8
    assert _figures(by_code["yongde"]) == DEDANG
    assert _figures(by_code["fengqing"]) == FENGSHAN
    assert sorted(report["zero_report_areas"]) == sorted(set(by_code) - {"yongde", "fengqing"})
    assert all(by_code[c]["zero_report"] for c in report["zero_report_areas"])
    assert by_code["fengqing"]["target_placed"] is None and by_code[
        "fengqing"]["placed_percent"] is None


def test_a_county_lists_its_townships_with_targets(client, history):
    """Yongde for its own officer: Dedang has everything, Yongkang nothing this month (E
    left in September, C registered in November) and is marked; targets 10 and 4."""
    report = _report(client, history["yongde"], "yongde").json
    county, *townships = report["rows"]
    assert _figures(county) == DEDANG
    assert (county["trained_this_year"], county["trained_percent"]) == (3, 30.0)  # A B E
    assert (county["placed_this_year"], county["placed_percent"]) == (2, 50.0)  # A E
    rows = {row["area"]: row for row in townships}
    assert _figures(rows["yongde.dedang"]) == DEDANG
    assert rows["yongde.yongkang"]["zero_report"] and _figures(rows["yongde.yongkang"]) == ZERO
    assert "yongde.yongkang" in report["zero_report_areas"]
    assert "yongde.dedang" not in report["zero_report_areas"]


def test_a_township_is_one_line(client, history):
    """Fengshan alone: its own figures and no children."""
    report = _report(client, history["admin"], "fengqing.fengshan").json
    assert [row["area"] for row in report["rows"]] == ["fengqing.fengshan"]
    assert _figures(report["rows"][0]) == FENGSHAN and report["zero_report_areas"] == []


def test_csv_and_json_agree(client, history):
    """Every figure of every line is the same in the CSV download."""
    report = _report(client, history["admin"], "lincang").json
    response = _report(client, history["admin"], "lincang", "&format=csv")
    assert response.mimetype == "text/csv"
    assert "jobline-lincang-2026-10.csv" in response.headers["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [line["area"] for line in lines] == [row["area"] for row in report["rows"]]
    for line, row in zip(lines, report["rows"], strict=True):
        assert {k: int(line[k]) for k in ZERO} == _figures(row)
        assert line["zero_report"] == str(row["zero_report"])
        shown = dict(p.split("=") for p in line["placed_by_province"].split(";") if p)
        assert {k: int(v) for k, v in shown.items()} == row["placed_by_province"]
        assert line["placed_percent"] == ("" if row["placed_percent"] is None
                                          else str(row["placed_percent"]))


def test_scope_and_bad_input(client, history, app):
    """Yongde's officer: Fengqing and the city are 404; default area is their own. A bad
    month is 400; an agency may not read reports (403)."""
    officer = history["yongde"]
    assert _report(client, officer, "fengqing").status_code == 404
    assert _report(client, officer, "lincang").status_code == 404
    own = client.get("/api/v1/reports/monthly?month=2026-10", headers=officer).json
    assert own["area"] == "yongde"
    for month in ("2026-13", "2026-1", "October", ""):
        response = client.get(f"/api/v1/reports/monthly?month={month}", headers=officer)
        assert (response.status_code, response.json["field"]) == (400, "month")
    agency_head = account(app, "ag", "agency", agency_id=agency(app, "Other", "LIC-77"))
    assert _report(client, agency_head, "yongde").status_code == 403
