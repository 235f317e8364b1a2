"""Every control of every console page has a label, and no page logs a console error: in
Debian's Chromium, headless (the fixtures of tests/test_console_browser.py), signed in as
officer, agency and admin, over the world with a row in every state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from smsgateway.console.signin import hash_password
from smsgateway.models import User
from smsgateway.services import services

from . import test_console_browser as browser
from .console import PASSWORD
from .console_world import build_every_state
from .test_console_words import _pages

# The browser tests' fixtures: Debian's Chromium, a live server, a page with long waits.
browser_type_launch_args = browser.browser_type_launch_args
base_url = browser.base_url
live = browser.live
web = browser.web
CHROMIUM = browser.CHROMIUM

pytestmark = pytest.mark.skipif(not __import__("shutil").which(CHROMIUM),
                                reason="Debian's chromium is not installed")

# Controls without an accessible name (a <label> with text, aria-label(ledby), or a
# button's own text), as the browser computes labels.
UNLABELLED = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button')].filter(el => {
  if ((el.getAttribute('aria-label') || '').trim()) return false;
  const by = el.getAttribute('aria-labelledby');
  if (by && by.split(/\\s+/).some(id => (document.getElementById(id)?.textContent || '').trim()))
    return false;
  if ([...(el.labels || [])].some(l => l.textContent.trim())) return false;
  if (el.tagName === 'BUTTON' && el.textContent.trim()) return false;
  return true;
}).map(el => el.outerHTML.slice(0, 160))"""


def _one_of_each(paths) -> list[str]:
    """One page of each kind (ids and report areas folded), the error page left out."""
    chosen: dict[str, str] = {}
    for path in sorted(paths):
        if path.endswith("/no-such-page"):
            continue
        key = re.sub(r"\d+", "N", path.split("?")[0])
        chosen.setdefault(key, path)
    return sorted(chosen.values())


def _browser_sign_in(tab: Page, base: str, name: str) -> None:
    tab.goto(f"{base}/console/sign-in")
    tab.get_by_label(re.compile("用户名|User name")).fill(name)
    tab.get_by_label(re.compile("密码|Password")).fill(PASSWORD)
    tab.click("#sign-in")
    expect(tab.locator("#sign-out")).to_be_visible()


@pytest.mark.parametrize("role", ["officer", "owner", "admin"])
def test_every_control_has_a_label_and_no_page_logs_an_error(app, client, live, web, role):
    """Each kind of page, in Chinese: every input, select, textarea and button has an
    accessible name, and the browser logs no error (a missing favicon was one)."""
    world = build_every_state(app, client)
    with services(app).sessions.begin() as db:
        user = db.get(User, world.users[role])
        assert user is not None
        user.password_hash = hash_password(PASSWORD)
        name = user.name
    paths = _one_of_each(_pages(app, world, role, "zh"))
    assert len(paths) >= (8 if role == "owner" else 20), paths

    errors: list[str] = []
    web.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error"
           else None)
    web.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    _browser_sign_in(web, live, name)
    unlabelled: dict[str, list[str]] = {}
    for path in ["/console/sign-in", *paths]:
        web.goto(f"{live}{path}")
        found = web.evaluate(UNLABELLED)
        if found:
            unlabelled[path] = found
    assert unlabelled == {}, unlabelled
    assert errors == [], errors


def test_the_broadcast_page_keeps_its_status_in_words_as_it_polls(app, client, live, web):
    """The progress poll writes the broadcast's status back in the page's language."""
    world = build_every_state(app, client)
    with services(app).sessions.begin() as db:
        user = db.get(User, world.users["officer"])
        assert user is not None
        user.password_hash = hash_password(PASSWORD)
    _browser_sign_in(web, live, "user-officer")
    with web.expect_response(lambda r: "format=json" in r.url):
        web.goto(f"{live}/console/broadcasts/{world.ids['broadcast_sending']}")
    expect(web.locator("#broadcast-status")).to_have_text("发送中")
    web.click("button[name=lang][value=en]")
    expect(web.locator(".flash.info")).to_have_text("The console is now in English.")
    with web.expect_response(lambda r: "format=json" in r.url):
        web.reload()
    # The badge's words are the lifecycle's (bc_status_*, capitalised: "Waiting for the
    # morning" in test_console_browser.py), and the poll writes them back unchanged.
    expect(web.locator("#broadcast-status")).to_have_text("Sending")
    expect(web.locator("#progress")).to_contain_text("waiting: 0")  # not `queued`
