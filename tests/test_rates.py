"""The monthly report's success and stability rates, against a history worked out by hand,
with zero denominators shown as "—" (null in JSON), never 0% nor an error; and "still working
at N months" the same on SQLite and PostgreSQL at the ends of months.

The history (local time, Asia/Shanghai; the report is for 2026-10; W and H are agencies):

Applications made in October (success):
- V1 Dedang → W, 10-03, departed 10-20: applied, confirmed, departed;
- V2 Dedang → W, 10-05, confirmed; V3 Dedang → W, 10-31 23:30 (still October), interested;
- V4 Yongkang → H, 10-10, rejected; V8 Banka → W, 10-15, interested (Banka has nothing else:
  it stays a zero report);
- V7 Fengshan → W, 10-12, a no-show (confirmed, then did not leave);
- not October: V5 Yongkang → H, 11-01 00:30; V6 Fengshan → H, 09-30 23:00.
Departures in July (stability at 3 months, as of 11-01 00:00):
- S1 Dedang → W 07-01, still there; S2 Dedang → W 07-15, home 09-01 (within 3 months);
- S3 Yongkang → H 07-31 20:00, home 10-31 21:00 (an hour after 3 months: still working);
- S4 Fengshan → H 07-10, home 10-09 (within 3 months);
- not July: S5 Dedang 06-30 23:00, S6 Dedang 08-01 00:30.
Departures in April (stability at 6 months):
- T1 Dedang → W 04-10, home 09-01; T2 Fengshan → H 04-20, still there;
- T3 Yongkang → W 04-30, home 10-31 (after 6 months).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import case, literal, select

from smsgateway.console import password_mark
from smsgateway.db import UTCDateTime
from smsgateway.figures import stability
from smsgateway.models import (
    Agency,
    Application,
    ApplicationStatus,
    Area,
    Contact,
    Destination,
    Posting,
    PostingStatus,
    Sex,
    User,
    Villager,
)
from smsgateway.services import services

from .api import account, agency, employer
from .report_history import at

S = ApplicationStatus


@pytest.fixture
def history(app, db):
    """The history of the module's docstring; returns an admin's API headers."""
    areas = {a.code: a.id for a in db.scalars(select(Area))}
    w, h = agency(app, "Wanxin", "LIC-W"), agency(app, "Hanxian", "LIC-H")
    employer_id = employer(app)
    postings = {}
    for name, agency_id in (("W", w), ("H", h)):
        postings[name] = Posting(
            title_zh="岗位", title_en="Job", employer_id=employer_id, agency_id=agency_id,
            area_id=areas["lincang"], trade="factory", destination_city="X",
            destination_province="Guangdong", destination=Destination.OUTSIDE_PROVINCE,
            wage_min=4000, wage_max=4000, hours_per_day=8, days_per_week=6,
            contract_months=12, positions=99, deadline=date(2026, 12, 31),
            status=PostingStatus.PUBLISHED)
        db.add(postings[name])
    rows = [  # name, township, agency, status, made, departed, returned
        ("V1", "yongde.dedang", "W", S.DEPARTED, "2026-10-03T09:00", "2026-10-20T06:00", None),
        ("V2", "yongde.dedang", "W", S.CONFIRMED, "2026-10-05T09:00", None, None),
        ("V3", "yongde.dedang", "W", S.INTERESTED, "2026-10-31T23:30", None, None),
        ("V4", "yongde.yongkang", "H", S.REJECTED, "2026-10-10T09:00", None, None),
        ("V5", "yongde.yongkang", "H", S.CONFIRMED, "2026-11-01T00:30", None, None),
        ("V6", "fengqing.fengshan", "H", S.DEPARTED, "2026-09-30T23:00", "2026-10-02T06:00",
         None),
        ("V7", "fengqing.fengshan", "W", S.NO_SHOW, "2026-10-12T09:00", None, None),
        ("V8", "yongde.banka", "W", S.INTERESTED, "2026-10-15T09:00", None, None),
        ("S1", "yongde.dedang", "W", S.DEPARTED, "2026-03-01T09:00", "2026-07-01T08:00", None),
        ("S2", "yongde.dedang", "W", S.DEPARTED, "2026-03-01T09:00", "2026-07-15T08:00",
         "2026-09-01T12:00"),
        ("S3", "yongde.yongkang", "H", S.DEPARTED, "2026-03-01T09:00", "2026-07-31T20:00",
         "2026-10-31T21:00"),
        ("S4", "fengqing.fengshan", "H", S.DEPARTED, "2026-03-01T09:00", "2026-07-10T08:00",
         "2026-10-09T12:00"),
        ("S5", "yongde.dedang", "W", S.DEPARTED, "2026-03-01T09:00", "2026-06-30T23:00", None),
        ("S6", "yongde.dedang", "W", S.DEPARTED, "2026-03-01T09:00", "2026-08-01T00:30", None),
        ("T1", "yongde.dedang", "W", S.DEPARTED, "2026-03-01T09:00", "2026-04-10T08:00",
         "2026-09-01T12:00"),
        ("T2", "fengqing.fengshan", "H", S.DEPARTED, "2026-03-01T09:00", "2026-04-20T08:00",
         None),
        ("T3", "yongde.yongkang", "W", S.DEPARTED, "2026-03-01T09:00", "2026-04-30T08:00",
         "2026-10-31T12:00"),
    ]
    for n, (name, township, which, status, made, departed, returned) in enumerate(rows):
        contact = Contact(phone=f"+8613900002{n:03d}", language="zh")
        villager = Villager(contact=contact, name=name, sex=Sex.MALE, birth_year=1990,
                            township_id=areas[township], registered_via="sms",
                            created_at=at("2025-01-01T09:00"))
        db.add_all([contact, villager, Application(
            posting=postings[which], villager=villager, township_id=areas[township],
            status=status, via="sms", created_at=at(made),
            departed_at=at(departed) if departed else None,
            returned_at=at(returned) if returned else None)])
    db.commit()
    return {"admin": account(app, "admin", "admin")}


RATES = ("applied", "applied_confirmed", "applied_departed", "success_rate", "departure_rate",
         "departed_3m", "working_3m", "stability_3m", "departed_6m", "working_6m",
         "stability_6m")


def _rates(row):
    return tuple(row[k] for k in RATES)


def _report(client, who, area, fmt=""):
    return client.get(f"/api/v1/reports/monthly?month=2026-10&area={area}{fmt}", headers=who)


def test_the_rates_of_each_area_and_agency_are_the_hand_worked_ones(client, history):
    """The city, its counties and Yongde's townships; each agency over the city and over
    Yongde; an area with nothing to divide by shows null, and the rates leave the zero-report
    marks as they were."""
    city = _report(client, history["admin"], "lincang").json
    lines = {row["area"]: _rates(row) for row in city["rows"]}
    assert lines["lincang"] == (6, 3, 1, 50.0, 33.3, 4, 2, 50.0, 3, 2, 66.7)
    assert lines["yongde"] == (5, 2, 1, 40.0, 50.0, 3, 2, 66.7, 2, 1, 50.0)
    assert lines["fengqing"] == (1, 1, 0, 100.0, 0.0, 1, 0, 0.0, 1, 1, 100.0)
    assert lines["linxiang"] == (0, 0, 0, None, None, 0, 0, None, 0, 0, None)
    agencies = {a["licence_number"]: _rates(a) for a in city["agencies"]}
    assert agencies == {"LIC-W": (5, 3, 1, 60.0, 33.3, 2, 1, 50.0, 2, 1, 50.0),
                        "LIC-H": (1, 0, 0, 0.0, None, 2, 1, 50.0, 1, 1, 100.0)}
    assert [a["name"] for a in city["agencies"]] == ["Hanxian", "Wanxin"]

    yongde = _report(client, history["admin"], "yongde").json
    lines = {row["area"]: _rates(row) for row in yongde["rows"]}
    assert lines["yongde.dedang"] == (3, 2, 1, 66.7, 50.0, 2, 1, 50.0, 1, 0, 0.0)
    assert lines["yongde.yongkang"] == (1, 0, 0, 0.0, None, 1, 1, 100.0, 1, 1, 100.0)
    assert lines["yongde.banka"] == (1, 0, 0, 0.0, None, 0, 0, None, 0, 0, None)
    assert "yongde.banka" in yongde["zero_report_areas"]  # an application is no figure
    agencies = {a["licence_number"]: _rates(a) for a in yongde["agencies"]}
    assert agencies == {"LIC-W": (4, 2, 1, 50.0, 50.0, 2, 1, 50.0, 2, 1, 50.0),
                        "LIC-H": (1, 0, 0, 0.0, None, 1, 1, 100.0, 0, 0, None)}


def test_the_csv_shows_the_same_rates_and_a_dash_for_nothing_to_divide_by(client, history):
    """Each area's line carries the rates; each agency has a line of its own (level
    `agency`); a rate with a zero denominator is "—", never 0 or empty."""
    report = _report(client, history["admin"], "yongde").json
    response = _report(client, history["admin"], "yongde", "&format=csv")
    lines = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    areas = [line for line in lines if line["level"] != "agency"]
    assert [line["area"] for line in areas] == [row["area"] for row in report["rows"]]
    for line, row in zip(areas, report["rows"], strict=True):
        assert [line[k] for k in RATES] == ["—" if row[k] is None else str(row[k])
                                            for k in RATES]
    banka = next(line for line in areas if line["area"] == "yongde.banka")
    assert (banka["success_rate"], banka["departure_rate"], banka["stability_3m"]) == (
        "0.0", "—", "—")
    agencies = [line for line in lines if line["level"] == "agency"]
    assert [(line["area"], line["name_en"], line["departure_rate"]) for line in agencies] == [
        ("LIC-H", "Hanxian", "—"), ("LIC-W", "Wanxin", "50.0")]


def test_the_console_report_shows_the_rates_with_dashes(client, app, history):
    """The report page's rates table: "2 / 5 <b>40.0%</b>", and — where nothing divides."""
    account(app, "viewer", "admin")
    browser = app.test_client()
    with services(app).sessions() as db, browser.session_transaction() as session:
        user = db.scalars(select(User).where(User.name == "viewer")).one()
        session["user_id"], session["pw"], session["csrf"] = user.id, password_mark(user), "t"
    html = browser.get("/console/report?month=2026-10&area=yongde").get_data(as_text=True)
    rates = html[html.index('id="rates"'):html.index("</table>", html.index('id="rates"'))]
    assert "2 / 5 <b>40.0%</b>" in rates
    banka = rates[rates.index('id="rates-yongde.banka"'):]
    banka = banka[:banka.index("</tr>")]
    assert "0 / 1 <b>0.0%</b>" in banka and banka.count("—") == 3
    assert 'badge zero' in banka


@pytest.mark.parametrize("departed, returned, later", [
    ("2026-01-31T10:00", "2026-03-01T00:00", True),  # +1 month is 28 Feb 10:00 on both
    ("2026-01-31T10:00", "2026-02-28T09:00", False),
    ("2026-01-30T10:00", "2026-02-28T11:00", True),
    ("2026-03-15T10:00", "2026-04-15T10:30", True),
    ("2026-03-15T10:00", "2026-04-15T09:30", False),
    ("2025-12-31T23:00", "2026-01-31T22:00", False),  # across a year
])
def test_a_month_after_is_a_calendar_month_alike_on_both_databases(db, departed, returned,
                                                                   later):
    """The month after 31 January ends on 28 February (PostgreSQL's rule; SQLite's own date
    arithmetic would say 3 March), so both databases agree on who came home within it."""
    def instant(text):
        return literal(datetime.fromisoformat(text).replace(tzinfo=UTC), UTCDateTime())

    condition = stability.months_later(instant(returned), instant(departed), 1)
    assert bool(db.scalar(select(case((condition, 1), else_=0)))) is later


def test_still_working_at_three_months_per_agency_as_the_records_will_count_it(db, history):
    """`stability.stability`, grouped by agency, as of 11-01 00:00 over every departure: W has
    S1, S5, T1 and T3 still working at 3 months and S2 home within them (S6 left less than 3
    months before); H has S3 and T2, and S4 home."""
    found = stability.stability(db, (Posting.agency_id,), 3, at("2026-11-01T00:00"),
                                joins=((Posting, Posting.id == Application.posting_id),))
    names = {a.id: a.licence_number for a in db.scalars(select(Agency))}
    assert {names[agency]: counts for (agency,), counts in found.items()} == {
        "LIC-W": (5, 4), "LIC-H": (3, 2)}
