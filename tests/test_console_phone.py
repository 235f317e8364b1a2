"""The console on a 390 px phone: every page, as officer, agency and admin, fits the screen
(no sideways scroll) and logs no console error; the navigation folds and opens by mouse
and by keyboard; charts fit their box, and an empty one says so.

Driven as `test_console_browser.py` drives Chromium (Debian's, headless, Playwright); the
pages are the console's GET routes as registered, with the ids of the scope tests' world.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from menus.types import Profile
from smsgateway.console import routes as console_routes
from smsgateway.console.signin import hash_password
from smsgateway.models import Message, User
from smsgateway.services import services
from smsgateway.villagers.records import contact_for, register

from . import test_console_browser as browser
from .console import PASSWORD, console_account
from .report_history import build_history
from .scope_world import World, build
from .test_console_browser import screenshot, sign_in

# The browser tests' fixtures, used here by name.
base_url, browser_type_launch_args = browser.base_url, browser.browser_type_launch_args
live, web = browser.live, browser.web

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
IDS = {"broadcast_id": "broadcast", "case_id": "case", "departure_id": "departure",
       "posting_id": "posting", "application_id": "application", "training_id": "training",
       "villager_id": "villager", "agency_id": "agency", "employer_id": "employer",
       "day_id": "day"}
ROLES = {"officer": "user-officer", "owner": "user-owner", "admin": "user-admin"}


def _console_pages() -> list[str]:
    """The console's GET pages, as registered (the sign-in page apart)."""
    app = Flask("pages")
    console_routes.init_app(app)
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/console") and "GET" in (rule.methods or ())
                  and rule.endpoint != "console.sign_in" and not rule.rule.endswith(".csv"))


def _concrete(rule: str, world: World) -> str:
    return re.sub(r"<int:(\w+)>", lambda m: str(world.ids[IDS[m.group(1)]]), rule)


def _with_passwords(app: Flask, world: World) -> None:
    """The world's accounts get console passwords; a villager with a long name and many
    skills makes the lists as wide as real ones get."""
    with services(app).sessions.begin() as db:
        db.execute(update(User).where(User.id.in_(world.users.values()))
                   .values(password_hash=hash_password(PASSWORD)))
        register(db, contact_for(db, "+8613900000077"),
                 Profile("Nguyenthiminhkhaihoanglongname", "m", 1990, "yongde",
                         "yongde.dedang", ("factory", "catering", "domestic", "construction"),
                         True, True, "en"), via="ussd", channel="console", notify=False)


class Watch:
    """Console errors and uncaught script errors of a page, as they happen."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"script: {e}"))


def _overflow(page: Page) -> dict[str, Any]:
    """How wide the document is against the window, and what sticks out."""
    return page.evaluate("""() => {
      const w = window.innerWidth;
      const wide = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1
                && !e.closest('.scroll, table, figure'))
        .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
      return {scroll: document.documentElement.scrollWidth, inner: w, wide: wide};
    }""")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_fits_a_390px_phone_without_console_errors(app, client, live, web, role):
    """Each page the role may open: no sideways scroll at 390 px, no console error."""
    world = build(app, client)
    _with_passwords(app, world)
    web.set_viewport_size(PHONE)
    watch = Watch(web)
    web.goto(f"{live}/console/sign-in")
    assert _overflow(web)["scroll"] <= PHONE["width"], "the sign-in page scrolls sideways"
    sign_in(web, live, ROLES[role])
    opened = []
    for rule in _console_pages():
        url = _concrete(rule, world)
        response = web.goto(f"{live}{url}")
        assert response is not None
        if response.status == 404:  # not this role's page (the scope tests check which)
            watch.errors.clear()  # the browser logs the 404 itself as an error
            continue
        assert response.status == 200, (url, response.status)
        expect(web.locator("#sign-out")).to_be_attached()
        shape = _overflow(web)
        assert shape["scroll"] <= shape["inner"], (role, url, shape)
        assert watch.errors == [], (role, url, watch.errors)
        opened.append(url)
    expected = {"officer": 20, "admin": 20, "owner": 6}[role]
    assert len(opened) >= expected, opened  # the role's pages were really seen


def test_the_navigation_folds_on_a_phone_and_opens_by_click_and_keyboard(app, client, live,
                                                                           web):
    """At 390 px the menu is one button; a click or Space on it shows the links; on a desktop
    the links show without it."""
    world = build(app, client)
    _with_passwords(app, world)
    web.set_viewport_size(PHONE)
    sign_in(web, live, "user-officer")
    links = web.locator("#nav-menu a")
    expect(web.locator("#nav-button")).to_be_visible()
    expect(links.first).to_be_hidden()
    header = web.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 120  # not four lines of links
    web.click("#nav-button")
    expect(links.first).to_be_visible()
    web.click("#nav-menu a[href='/console/villagers']")
    expect(web).to_have_url(re.compile(r"/console/villagers$"))
    expect(links.first).to_be_hidden()  # a new page starts folded
    web.focus("#nav-toggle")
    web.keyboard.press("Space")
    expect(links.first).to_be_visible()
    screenshot(web, "phone-menu-open", app)
    web.set_viewport_size(DESKTOP)
    web.reload()
    expect(web.locator("#nav-button")).to_be_hidden()
    expect(links.first).to_be_visible()


def test_charts_fit_a_phone_and_an_empty_chart_says_so(app, live, web, db):
    """The dashboard's chart is drawn inside the screen's width when it has bars, and a
    sentence replaces a bare axis when the twelve months hold nothing."""
    console_account(app, "li", "officer", area="yongde")
    web.set_viewport_size(PHONE)
    sign_in(web, live, "li")
    expect(web.locator("#months-chart-empty")).to_be_visible()
    expect(web.locator("svg#months-chart")).to_have_count(0)
    build_history(app, db)
    web.reload()
    chart = web.locator("svg#months-chart")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    expect(web.locator("#months-chart-empty")).to_have_count(0)
    screenshot(web, "phone-dashboard", app)


def test_an_officer_acts_on_a_profile_from_a_phone(app, client, live, web, db):
    """At 390 px: the profile's thread and forms fit; one SMS sent from it lands in the
    thread and the outbox; a case opened from it leads to the case's page."""
    world = build(app, client)
    _with_passwords(app, world)
    web.set_viewport_size(PHONE)
    sign_in(web, live, "user-officer")
    web.goto(f"{live}/console/villagers/{world.ids['villager']}")
    expect(web.locator("#thread li").first).to_be_visible()
    web.fill("#act-sms textarea[name=body]", "明天上午九点到镇上开会")
    web.click("#sms-one-send")
    expect(web.locator(".flash.info")).to_be_visible()
    expect(web.locator("#thread li.ours .body").first).to_have_text("明天上午九点到镇上开会")
    shape = _overflow(web)
    assert shape["scroll"] <= shape["inner"], shape
    screenshot(web, "phone-profile", app)
    web.click("#act-case summary")
    web.fill("#act-case textarea[name=description]", "中介要收押金")
    web.click("#case-send")
    expect(web).to_have_url(re.compile(r"/console/cases/\d+$"))
    assert db.scalars(select(Message.body).where(
        Message.body == "明天上午九点到镇上开会")).all() == ["明天上午九点到镇上开会"]
