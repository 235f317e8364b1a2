"""The console in a real browser: Debian's Chromium, headless, driven by Playwright.

The app runs in a real threaded werkzeug server on a free port; workers are real RQ burst
workers. Every wait is on an element or its text (no fixed sleeps). Each test saves a
screenshot under artifacts/screenshots/ (ignored by git).
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from smsgateway.kernel.quiet import landing_time
from smsgateway.models import (
    Application,
    ApplicationStatus,
    Broadcast,
    Contact,
    Posting,
    PostingStatus,
    Villager,
)

from .api import account, agency, employer, placement_setting, posting_body, registered_villager
from .conftest import run_worker
from .console import PASSWORD, console_account
from .report_history import build_history

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
SHANGHAI = ZoneInfo("Asia/Shanghai")
WAIT = 20_000  # ms: generous for a busy 2-core machine; waits end as soon as the page is ready

pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                                reason="Debian's chromium is not installed (scripts/services.sh)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless; --no-sandbox because tests run as root."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-dev-shm-usage"]}


@pytest.fixture(scope="session")
def base_url():
    """No fixed base URL: each test's server has its own port. (Also keeps pytest-base-url's
    own fixture, which pytest 9 warns about, out of the run.)"""
    return None


@pytest.fixture
def live(app) -> Iterator[str]:
    """The app served by a real threaded HTTP server; yields its base URL."""
    with _serving(app) as url:
        yield url


@pytest.fixture
def web(page: Page) -> Page:
    page.set_default_timeout(WAIT)
    expect.set_options(timeout=WAIT)
    return page


def screenshot(page: Page, name: str, app) -> Path:
    """Save the page under artifacts/screenshots/, named by test and database."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dialect = app.config["DATABASE_URL"].split(":")[0].split("+")[0]
    path = ARTIFACTS / f"{name}-{dialect}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def sign_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/console/sign-in")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in")
    expect(page.locator("#sign-out")).to_be_visible()


def test_officer_vets_publishes_and_broadcasts_with_preview_and_progress(app, client, live,
                                                                            web, db):
    """Sign in, publish a posting from its checklist, compose a broadcast (live count and
    segments), send it, and watch the progress bar fill as a real worker sends."""
    wanxin = agency(app, "Wanxin Labour Service", "LIC-001")
    officer = account(app, "api-officer", "officer", area="yongde")
    posting = client.post("/api/v1/postings", headers=officer,
                          json=posting_body(employer(app), agency_id=wanxin)).json
    for n in range(3):
        registered_villager(app, n, "en")
    console_account(app, "li", "officer", area="yongde")

    sign_in(web, live, "li")
    web.click("button[name=lang][value=en]")
    expect(web.locator("#sign-out")).to_have_text("Sign out")
    web.goto(f"{live}/console/postings/{posting['id']}")
    expect(web.locator(".checklist li.ok")).to_have_count(5)
    web.click("#publish")
    expect(web.locator("#posting-status")).to_have_text("published")
    expect(web.locator("#code")).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    assert db.get(Posting, posting["id"]).status == PostingStatus.PUBLISHED

    web.goto(f"{live}/console/broadcasts")
    web.fill("textarea[name=text_en]", "Free electrician training in Dedang on Monday.")
    expect(web.locator("#recipients")).to_have_text("3")
    expect(web.locator("#seg-en")).to_have_text("1")
    expect(web.locator("#segments")).to_have_text("3")
    expect(web.locator("#cost")).to_have_text("0.15")  # 3 segments at ¥0.05
    web.fill("textarea[name=text_zh]", "德党镇周一免费电工培训。" * 7)  # over 70: two segments
    expect(web.locator("#seg-zh")).to_have_text("2")
    screenshot(web, "broadcast-compose", app)
    web.click("#send")
    expect(web.locator("#total")).to_have_text("3")
    run_worker(app)  # fan-out and sending, by a real RQ worker
    expect(web.locator("#done")).to_have_text("3")
    expect(web.locator("#count-sent")).to_have_text("3")
    screenshot(web, "broadcast-progress", app)


def test_agency_confirms_an_applicant(app, client, live, web, db):
    """The agency finds its posting, opens an applicant and confirms them."""
    setting = placement_setting(app, client)
    agency_id = db.scalars(select(Posting.agency_id).where(
        Posting.id == setting["posting"])).one()
    console_account(app, "wanxin", "agency", agency_id=agency_id)

    sign_in(web, live, "wanxin")
    expect(web.locator("h1")).to_have_text("我的岗位")  # an agency lands on its postings
    web.click(f"a[href='/console/postings/{setting['posting']}']")
    applicants = web.locator("#applicants a")
    expect(applicants).to_have_count(3)
    applicants.first.click()
    web.click("button:has-text('确认录用')")
    expect(web.locator("#application-status")).to_have_text("已录用")
    screenshot(web, "agency-confirmed", app)
    db.expire_all()
    application = db.get(Application, setting["applications"][0])
    assert application.status == ApplicationStatus.CONFIRMED


def _choose(page: Page, label: str) -> None:
    """Press the number of the option `label` on the simulated phone (paging with 9)."""
    pattern = re.compile(rf"(?:^|\s)(\d+) [*√]?{re.escape(label)}(?=\s|$)", re.MULTILINE)
    while True:
        found = pattern.search(page.locator("#ussd-screen").inner_text())
        if found:
            return _press(page, found.group(1))
        _press(page, "9")


def _press(page: Page, entry: str) -> None:
    history = page.locator("#screen").get_attribute("data-history") or ""
    page.fill("#sim-entry", entry)
    page.click("#sim-send")
    expected = f"{history}*{entry}" if history else entry
    expect(page.locator("#screen")).to_have_attribute("data-history", expected)


def test_a_registration_played_through_the_simulator(app, live, web, db):
    """An officer plays the English USSD registration of a villager of their county on the
    simulated phone (another county's villager would be out of their reach): the
    real menus run (with each screen's budget shown) and the villager is registered; then
    an SMS exchange on the same phone."""
    console_account(app, "li", "officer", area="yongde")
    sign_in(web, live, "li")
    web.goto(f"{live}/console/simulator")
    web.fill("#sim-phone", "13800138009")
    web.click("#sim-dial")
    expect(web.locator("#ussd-screen")).to_contain_text("English")
    expect(web.locator("#budget")).to_contain_text("/")
    for label in ("English", "Register"):
        _choose(web, label)
    _press(web, "Ai Lan")
    _choose(web, "Female")
    _press(web, "1998")
    for label in ("Yongde County", "Mengban Township", "Folk dance", "Done", "No", "Yes"):
        _choose(web, label)
    expect(web.locator("#ussd-screen")).to_contain_text("Ai Lan")
    screenshot(web, "simulator-ussd", app)
    _choose(web, "Confirm")
    expect(web.locator("#sim-entry")).to_have_count(0)  # END: the phone takes no more keys
    expect(web.locator("#budget")).to_contain_text("会话结束")  # the console speaks Chinese
    expect(web.locator("#ussd-screen")).to_contain_text("Registered")
    villager = db.scalars(select(Villager).join(Contact).where(
        Contact.phone == "+8613800138009")).one()
    assert (villager.name, villager.registered_via) == ("Ai Lan", "ussd")

    web.fill("#sms-body", "HELP")
    web.click("#sms-send")
    expect(web.locator("#sms-thread li.mine")).to_have_text(re.compile("HELP"))
    expect(web.locator("#sms-thread li.theirs").last).to_contain_text(re.compile(r"\d 条"))
    screenshot(web, "simulator-sms", app)



def test_officer_opens_the_monthly_report_with_its_chart(app, live, web, db):
    """From the menu to October's report of Yongde: the table with Yongkang marked zero,
    the year's progress against the targets, the chart's bars per township; then the
    dashboard's twelve-month chart."""
    build_history(app, db)
    console_account(app, "li", "officer", area="yongde")
    sign_in(web, live, "li")
    web.click("button[name=lang][value=en]")
    expect(web.locator("#sign-out")).to_have_text("Sign out")
    months = web.locator("svg#months-chart")
    expect(months).to_be_visible()
    expect(months.locator("rect.bar.placed[data-key='2026-10']")).to_have_attribute(
        "data-value", "1")
    screenshot(web, "dashboard", app)
    web.click("nav a:has-text('Monthly report')")
    web.fill("input[name=month]", "2026-10")
    web.click("#report-choose button")
    expect(web.locator("h1 small")).to_have_text("Yongde County · 2026-10")
    expect(web.locator("#row-yongde\\.yongkang .badge.zero")).to_have_text("zero report")
    expect(web.locator("#targets-yongde .target-placed")).to_have_text("2 / 4 50.0%")
    chart = web.locator("svg#report-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar.placed[data-key='yongde.dedang']")).to_have_attribute(
        "data-value", "1")
    box = chart.locator("rect.bar.trained[data-key='yongde.dedang']").bounding_box()
    assert box is not None and box["height"] > 0  # drawn, not just present
    expect(web.locator("#csv")).to_have_attribute(
        "href", "/console/report?month=2026-10&area=yongde&format=csv")
    screenshot(web, "report", app)


# --- Broadcasts: done in words, the morning's start, the big send's confirmation -----------


class _ClosingHandler(WSGIRequestHandler):
    """Werkzeug's handler, but a response the browser stopped reading (it moved on to the
    next page while the favicon came) is closed, as a finished one is: the development
    server leaves its file open, and the ResourceWarning failed a test at random."""

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        body = (environ or {}).get(_BODY)
        if body is not None and hasattr(body, "close"):
            body.close()


_BODY = "tests.response_body"


def _keeping_body(app):
    def wsgi(environ, start_response):
        environ[_BODY] = body = app(environ, start_response)
        return body
    return wsgi


@contextmanager
def _serving(app) -> Iterator[str]:
    """`live` for an app built with settings of the test's own."""
    server = make_server("127.0.0.1", 0, _keeping_body(app), threaded=True,
                         request_handler=_ClosingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_a_big_broadcast_asks_first_then_reaches_done_in_words(app_factory, web, db):
    """Above the limit (2 here) the send asks "发送给 3 人？"; confirmed, it goes; once a real
    worker sent it, the badge says 已发完 with the finish time, and no Cancel is left."""
    app = app_factory(BROADCAST_CONFIRM_ABOVE=2)
    for n in range(3):
        registered_villager(app, n, "zh")
    console_account(app, "li", "officer", area="yongde")
    with _serving(app) as base:
        sign_in(web, base, "li")
        web.goto(f"{base}/console/broadcasts")
        web.fill("textarea[name=text_zh]", "德党镇周一免费电工培训。")
        expect(web.locator("#recipients")).to_have_text("3")
        web.click("#send")
        expect(web.locator("#confirm-question")).to_have_text("发送给 3 人？")
        assert db.scalar(select(func.count()).select_from(Broadcast)) == 0
        web.click("#confirm-send")
        expect(web.locator("#total")).to_have_text("3")
        expect(web.locator("#cancel-box")).to_be_visible()
        run_worker(app)
        expect(web.locator("#broadcast-status")).to_have_text("已发完")
        expect(web.locator("#finished-at")).to_contain_text("全部发完")
        expect(web.locator("#count-sent")).to_have_text("3")
        expect(web.locator("#cancel-box")).to_have_count(0)
        expect(web.locator("#broadcast-status")).not_to_have_text(re.compile("done|sending"))
        screenshot(web, "broadcast-done", app)


def test_a_broadcast_in_the_quiet_hours_shows_when_it_will_start(app_factory, web):
    """Quiet hours from this hour for two: the broadcast waits, and the page says (in English
    too) when it starts, with the Cancel still there."""
    hour = datetime.now(SHANGHAI).hour
    app = app_factory(QUIET_HOURS=f"{hour}-{(hour + 2) % 24}")
    registered_villager(app, 0, "zh")
    console_account(app, "li", "officer", area="yongde")
    with _serving(app) as base:
        sign_in(web, base, "li")
        web.goto(f"{base}/console/broadcasts")
        web.fill("textarea[name=text_zh]", "德党镇周一免费电工培训。")
        expect(web.locator("#recipients")).to_have_text("1")
        web.click("#send")
        expect(web.locator("#total")).to_have_text("1")
        run_worker(app)
        web.reload()
        starts = landing_time(datetime.now(UTC), app.config["QUIET_HOURS"], "Asia/Shanghai")
        shown = starts.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        expect(web.locator("#broadcast-status")).to_have_text("等早上发送")
        expect(web.locator("#starts-at")).to_contain_text(f"将于 {shown} 开始发送")
        expect(web.locator("#cancel-box")).to_be_visible()
        web.click("button[name=lang][value=en]")
        expect(web.locator("#broadcast-status")).to_have_text("Waiting for the morning")
        expect(web.locator("#starts-at")).to_contain_text(f"Starts at {shown}")
        screenshot(web, "broadcast-morning", app)
