"""The console's monthly report page, its targets form, and the dashboard's figures and
twelve-month chart, over the hand-worked history of tests/report_history.py (October 2026).
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import time_machine
from sqlalchemy import select

from smsgateway.console.charts import nice_top
from smsgateway.models import Area, Target

from .api import agency
from .console import console_account, form_token, sign_in
from .report_history import DEDANG, LOCAL, build_history

MONTH = "/console/report?month=2026-10"
# The report table's numeric cells, in their order on the page.
CELLS = ("registered", "trained_men", "trained_women", "placed", "placed_within_city",
         "placed_in_province", "placed_outside_province", "confirmed_waiting",
         "checkins_answered", "returned", "cases_opened", "cases_resolved", "income")


def signed_in(app, name, role, area=None):
    """A console account signed in (in English) on its own client. Under a frozen clock,
    sign in under it too: a session cookie signed later is refused."""
    client = app.test_client()
    console_account(app, name, role, area=area)
    sign_in(client, name)
    client.post("/console/language", data={"lang": "en", "csrf_token": form_token(client)})
    return client


@pytest.fixture
def officer(app, db):
    """The history, and Yongde's officer signed in to the console."""
    build_history(app, db)
    return signed_in(app, "li", "officer", "yongde")


def _townships_of_yongde(db):
    county = select(Area.id).where(Area.code == "yongde").scalar_subquery()
    return len(db.scalars(select(Area.code).where(Area.parent_id == county)).all())


def _row(html, code, table="row"):
    """(class, cells) of an area's line in the figures (or the targets) table."""
    found = re.search(rf'<tr id="{table}-{re.escape(code)}"(?: class="([^"]*)")?>(.*?)</tr>',
                      html, re.S)
    assert found, f"no line for {code}"
    return found.group(1), found.group(2)


def _numbers(cells):
    return {k: int(v.replace(",", "")) for k, v in zip(
        CELLS, re.findall(r'<td class="n">([\d,]+)</td>', cells), strict=True)}


def _bars(html, chart_id):
    """{(key, series): value} of the bars of an inline SVG chart."""
    svg = re.search(rf'<svg id="{chart_id}".*?</svg>', html, re.S)
    assert svg, f"no chart {chart_id}"
    return {(key, series): int(value) for key, series, value in re.findall(
        r'<rect class="bar [a-z]+"[^>]* data-key="([^"]+)" data-series="([a-z]+)" '
        r'data-value="(\d+)"', svg.group(0))}


def test_the_report_page_shows_every_figure_of_the_month_with_targets(officer):
    """Yongde in October: the county's line and Dedang's carry every figure of the
    history, the province split, and the year's progress against the targets (3 of 10
    trained, 2 of 4 placed)."""
    html = officer.get(MONTH).get_data(as_text=True)
    assert "Monthly report" in html and "Yongde County" in html
    for code in ("yongde", "yongde.dedang"):
        _, cells = _row(html, code)
        assert _numbers(cells) == {k: DEDANG[k] for k in CELLS}
        assert "Guangdong 1" in cells
    _, county = _row(html, "yongde")
    assert "54,000" in county
    targets = _row(html, "yongde", "targets")[1]
    assert "3 / 10 <b>30.0%</b>" in targets and "2 / 4 <b>50.0%</b>" in targets


def test_the_report_page_marks_zero_report_areas(officer):
    """Yongkang had nothing in October: its line is marked and it is named above the table;
    Dedang is not marked."""
    html = officer.get(MONTH).get_data(as_text=True)
    mark, cells = _row(html, "yongde.yongkang")
    assert "zero" in mark and "zero report" in cells
    assert _numbers(cells) == dict.fromkeys(CELLS, 0)
    names = re.search(r'<p class="note" id="zero-areas">(.*?)</p>', html, re.S)
    assert names and "Yongkang" in names.group(1) and "Dedang" not in names.group(1)
    mark, cells = _row(html, "yongde.dedang")
    assert "zero" not in mark and "zero report" not in cells


def test_the_report_page_links_the_apis_csv(officer, db):
    """The download link gives the API's CSV for the same month and area."""
    html = officer.get(MONTH).get_data(as_text=True)
    link = re.search(r'<a class="button" id="csv" href="([^"]+)"', html).group(1)
    assert link == "/console/report?month=2026-10&amp;area=yongde&amp;format=csv"
    download = officer.get(link.replace("&amp;", "&"))
    assert download.mimetype == "text/csv"
    assert "jobline-yongde-2026-10.csv" in download.headers["Content-Disposition"]
    lines = download.get_data(as_text=True).splitlines()
    assert lines[0].startswith("area,level,")
    assert len(lines) == 1 + 1 + _townships_of_yongde(db)  # the county, its townships
    assert lines[1].startswith("yongde,county,")


def test_the_report_chart_draws_placed_and_trained_per_child_area(officer, db):
    """One pair of bars per township of Yongde: Dedang placed 1 and trained 2, the others
    nothing."""
    bars = _bars(officer.get(MONTH).get_data(as_text=True), "report-chart")
    assert bars[("yongde.dedang", "placed")] == 1
    assert bars[("yongde.dedang", "trained")] == 2
    assert bars[("yongde.yongkang", "placed")] == bars[("yongde.yongkang", "trained")] == 0
    assert len(bars) == 2 * _townships_of_yongde(db) and sum(bars.values()) == 3


def test_an_officer_cannot_open_another_countys_report(officer, app, client):
    """Fengqing, the city and a made-up area are 404 for Yongde's officer, page and CSV
    alike; an agency gets 404 for any report."""
    for area in ("fengqing", "lincang", "nowhere", "fengqing.fengshan"):
        assert officer.get(f"{MONTH}&area={area}").status_code == 404
        assert officer.get(f"{MONTH}&area={area}&format=csv").status_code == 404
    agency_client = app.test_client()
    console_account(app, "wanxin", "agency", agency_id=agency(app, "Other", "LIC-77"))
    sign_in(agency_client, "wanxin")
    assert agency_client.get(MONTH).status_code == 404


def test_the_report_page_defaults_to_this_month_and_the_officers_area(app, db):
    """Without a month, the page goes to the programme's current month (local: UTC is still
    in October); without an area, the officer's own; the page speaks Chinese too."""
    build_history(app, db)
    with time_machine.travel(datetime(2026, 11, 1, 0, 30, tzinfo=LOCAL), tick=False):
        officer = signed_in(app, "li", "officer", "yongde")
        response = officer.get("/console/report")
        assert response.status_code == 302 and response.location.endswith(
            "/console/report?month=2026-11")
        html = officer.get(response.location).get_data(as_text=True)
        assert "<small>Yongde County · 2026-11</small>" in html
        officer.post("/console/language", data={"lang": "zh",
                                                "csrf_token": form_token(officer)})
        html = officer.get(MONTH).get_data(as_text=True)
    assert "月报" in html and "零报告" in html and "下载 CSV" in html


def _target(db, code):
    db.expire_all()
    return db.scalars(select(Target).join(Area).where(Area.code == code,
                                                      Target.year == 2026)).first()


def test_the_targets_form_refuses_without_csrf_and_works_with_it(officer, db):
    """Without the token (or with a forged one) nothing changes (400); with it, Dedang gets
    its targets and the report shows them; another county's targets are 404."""
    form = {"area": "yongde.dedang", "year": "2026", "trained": "20", "placed": "8",
            "month": "2026-10", "report_area": "yongde"}
    for token in ({}, {"csrf_token": "forged"}):
        assert officer.post("/console/report/targets", data={**form, **token}
                            ).status_code == 400
    assert _target(db, "yongde.dedang") is None
    token = form_token(officer, MONTH)
    done = officer.post("/console/report/targets", data={**form, "csrf_token": token})
    assert done.status_code == 302
    assert done.location.endswith("/console/report?month=2026-10&area=yongde")
    saved = _target(db, "yongde.dedang")
    assert (saved.trained, saved.placed) == (20, 8)
    page = officer.get(done.location).get_data(as_text=True)
    assert "Targets saved for Dedang" in page
    _, cells = _row(page, "yongde.dedang", "targets")
    assert "2 / 20 <b>10.0%</b>" in cells and "1 / 8 <b>12.5%</b>" in cells  # A B; A
    outside = officer.post("/console/report/targets",
                           data={**form, "area": "fengqing", "csrf_token": token})
    assert outside.status_code == 404 and _target(db, "fengqing") is None
    bad = officer.post("/console/report/targets",
                       data={**form, "trained": "-1", "csrf_token": token})
    assert bad.status_code == 302 and _target(db, "yongde.dedang").trained == 20


def test_the_dashboard_shows_this_months_figures_and_twelve_months_chart(app, db):
    """On 31 October 2026 Yongde's officer sees October's figures for Yongde, the year's
    progress, the zero-report count, and placed and trained for November 2025 to October
    2026 (September: E; October: A, and B trained); the admin sees the city."""
    build_history(app, db)
    with time_machine.travel(datetime(2026, 10, 31, 12, 0, tzinfo=LOCAL), tick=False):
        html = signed_in(app, "li", "officer", "yongde").get("/console/").get_data(
            as_text=True)
        city = signed_in(app, "root", "admin").get("/console/").get_data(as_text=True)
    figure = {key: re.search(rf'id="fig-{key}">([\d,]+)<', html).group(1)
              for key in ("registered", "trained", "placed", "confirmed", "returned", "cases",
                          "income")}
    assert figure == {"registered": "2", "trained": "2", "placed": "1", "confirmed": "1",
                      "returned": "0", "cases": "1", "income": "54,000"}
    assert "Yongde County · this month (2026-10)" in html
    assert "Trained: 3 of 10, 30.0%" in html and "Placed: 2 of 4, 50.0%" in html
    zero = _townships_of_yongde(db) - 1  # all but Dedang
    assert re.search(rf'id="zero-count">{zero} areas below', html)
    bars = _bars(html, "months-chart")
    assert sorted({key for key, _ in bars}) == [f"2025-{m}" for m in ("11", "12")] + [
        f"2026-{m:02d}" for m in range(1, 11)]
    assert {k: v for k, v in bars.items() if v} == {
        ("2026-09", "placed"): 1, ("2026-09", "trained"): 1,
        ("2026-10", "placed"): 1, ("2026-10", "trained"): 2}
    assert re.search(r'id="fig-placed">2<', city)  # Yongde's A and Fengqing's D
    assert _bars(city, "months-chart")[("2026-10", "trained")] == 3


@pytest.mark.parametrize(("largest", "top", "step"), [
    (0, 1, 1), (3, 3, 1), (5, 5, 1), (7, 8, 2), (12, 15, 5), (48, 50, 10), (540, 600, 200)])
def test_the_chart_axis_ends_on_a_round_number(largest, top, step):
    """The axis tops out at a multiple of 1, 2 or 5 times a power of ten, in 5 steps at
    most, and never at zero."""
    assert nice_top(largest) == (top, step)
