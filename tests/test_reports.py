"""The monthly report: every figure of a small known history, worked out by hand (see
tests/report_history.py), for a township, a county and the city; zero-report areas;
targets; CSV and JSON agree.
"""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from smsgateway.figures.reports import monthly, months_ending, trained_and_placed_by_month

from .api import account, agency
from .report_history import DEDANG, FENGSHAN, ZERO, build_history, figures_of


@pytest.fixture
def history(app, db):
    return build_history(app, db)


def _report(client, who, area, fmt=""):
    return client.get(f"/api/v1/reports/monthly?month=2026-10&area={area}{fmt}", headers=who)


def test_the_city_sums_its_counties_and_marks_the_silent_ones(client, history):
    """The city's line adds Yongde (Dedang) and Fengqing (Fengshan); C registered after
    midnight local time on November 1 is not in October; the six other counties report
    zero and are listed; the year's figures include E's September departure."""
    report = _report(client, history["admin"], "lincang").json
    city, *counties = report["rows"]
    assert city["area"] == "lincang" and city["level"] == "city"
    assert figures_of(city) == {k: DEDANG[k] + FENGSHAN[k] for k in ZERO}
    assert city["placed_by_province"] == {"Guangdong": 1, "Yunnan": 1}
    assert (city["trained_this_year"], city["placed_this_year"]) == (4, 3)  # A B D E; A D E
    assert (city["target_trained"], city["trained_percent"]) == (100, 4.0)
    assert (city["target_placed"], city["placed_percent"]) == (50, 6.0)
    by_code = {row["area"]: row for row in counties}
    assert len(by_code) == 8
    assert figures_of(by_code["yongde"]) == DEDANG
    assert figures_of(by_code["fengqing"]) == FENGSHAN
    assert sorted(report["zero_report_areas"]) == sorted(set(by_code) - {"yongde", "fengqing"})
    assert all(by_code[c]["zero_report"] for c in report["zero_report_areas"])
    assert by_code["fengqing"]["target_placed"] is None and by_code[
        "fengqing"]["placed_percent"] is None


def test_a_county_lists_its_townships_with_targets(client, history):
    """Yongde for its own officer: Dedang has everything, Yongkang nothing this month (E
    left in September, C registered in November) and is marked; targets 10 and 4."""
    report = _report(client, history["yongde"], "yongde").json
    county, *townships = report["rows"]
    assert figures_of(county) == DEDANG
    assert (county["trained_this_year"], county["trained_percent"]) == (3, 30.0)  # A B E
    assert (county["placed_this_year"], county["placed_percent"]) == (2, 50.0)  # A E
    rows = {row["area"]: row for row in townships}
    assert figures_of(rows["yongde.dedang"]) == DEDANG
    assert rows["yongde.yongkang"]["zero_report"] and figures_of(rows["yongde.yongkang"]) == ZERO
    assert "yongde.yongkang" in report["zero_report_areas"]
    assert "yongde.dedang" not in report["zero_report_areas"]


def test_a_township_is_one_line(client, history):
    """Fengshan alone: its own figures and no children."""
    report = _report(client, history["admin"], "fengqing.fengshan").json
    assert [row["area"] for row in report["rows"]] == ["fengqing.fengshan"]
    assert figures_of(report["rows"][0]) == FENGSHAN and report["zero_report_areas"] == []


def test_csv_and_json_agree(client, history):
    """Every figure of every line is the same in the CSV download."""
    report = _report(client, history["admin"], "lincang").json
    response = _report(client, history["admin"], "lincang", "&format=csv")
    assert response.mimetype == "text/csv"
    assert "jobline-lincang-2026-10.csv" in response.headers["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [line["area"] for line in lines] == [row["area"] for row in report["rows"]]
    for line, row in zip(lines, report["rows"], strict=True):
        assert {k: int(line[k]) for k in ZERO} == figures_of(row)
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


def test_twelve_months_in_one_pass_agree_with_each_months_report(app, db, history):
    """The dashboard's helper counts trained and placed per local month in one query per
    figure; for the city, a county, a township and each month, it gives what the month's
    report gives (September: E; October: A B D trained, A D placed)."""
    timezone = app.config["TIMEZONE"]
    months = months_ending("2026-11", 12)
    assert months[0] == "2025-12" and months[-1] == "2026-11" and len(months) == 12
    for area in ("lincang", "yongde", "yongde.yongkang", "fengqing.fengshan"):
        series = trained_and_placed_by_month(db, area, months, timezone)
        assert [m for m, _, _ in series] == months
        for month, trained, placed in series:
            line = monthly(db, area, month, timezone)["rows"][0]
            assert (trained, placed) == (line["trained_men"] + line["trained_women"],
                                         line["placed"]), (area, month)
    city = {m: (t, p) for m, t, p in trained_and_placed_by_month(db, "lincang", months,
                                                                 timezone)}
    assert city["2026-09"] == (1, 1) and city["2026-10"] == (3, 2)
    assert sum(t + p for t, p in city.values()) == 7
    assert trained_and_placed_by_month(db, "yongde", ["2026-10"], timezone) == [
        ("2026-10", 2, 1)]


def test_text_typed_by_an_agency_arrives_in_the_csv_as_text_not_a_formula(client, db, history):
    """A destination province stored as `=HYPERLINK("http://x")` (a row from before provinces
    were checked) reaches the officer's spreadsheet with a leading quote, the OWASP rule; no
    cell of the download starts with a formula character, and the counts stay numbers."""
    from smsgateway.models import Posting

    formula = '=HYPERLINK("http://x")'
    for posting in db.scalars(select(Posting).where(Posting.destination_province == "Guangdong")):
        posting.destination_province = formula
    db.commit()
    response = _report(client, history["admin"], "yongde", "&format=csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    dedang = next(dict(zip(rows[0], row, strict=True)) for row in rows if row[0] == "yongde.dedang")
    assert dedang["placed_by_province"] == "'" + formula + "=1"
    assert dedang["placed"] == "1"
