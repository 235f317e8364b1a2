"""Regenerate the README's screenshots (docs/*.png): the console on the demo data, on a
desktop (1280 px) and on a 390 px phone, in Debian's Chromium driven by Playwright.

    .venv/bin/python scripts/screenshots.py        # needs chromium and redis-server

Everything runs in a temporary folder: a SQLite database migrated by Alembic, the demo
(`jobline demo`'s data), the monthly report's known history of October 2026 (the tests'
`report_history`), three accounts with passwords (officer `li` of Yongde, agency `wanxin`,
`city-admin`), a Redis of its own on a free port, and the app in a threaded werkzeug server.
Nothing is sent anywhere (SMS_PROVIDER=console); the folder is removed at the end.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from smsgateway import create_app  # noqa: E402
from smsgateway.cli import alembic_config  # noqa: E402
from smsgateway.console.signin import hash_password  # noqa: E402
from smsgateway.demo import load_demo  # noqa: E402
from smsgateway.models import (  # noqa: E402
    Agency,
    Area,
    Contact,
    InboundMessage,
    Posting,
    Role,
    User,
)
from smsgateway.postings import applications  # noqa: E402
from smsgateway.services import services  # noqa: E402
from tests.report_history import build_history  # noqa: E402

DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "screenshots only"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def redis(folder: Path) -> Iterator[str]:
    """A Redis of our own, without persistence, stopped at the end."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(port), "ping"],
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def seed(app, url: str) -> dict[str, int]:
    """The demo, the report's history, the accounts, an applicant and a short thread."""
    with services(app).sessions.begin() as db:
        load_demo(db)
    engine = create_engine(url)  # as the tests' `db`: no BEGIN IMMEDIATE held while it runs
    with Session(engine, expire_on_commit=False) as db:
        build_history(app, db)
        db.commit()
    engine.dispose()
    with services(app).sessions.begin() as db:
        areas = {a.code: a.id for a in db.scalars(select(Area))}
        wanxin = db.scalars(select(Agency).where(Agency.licence_number == "LC-2026-017")).one()
        for name, role, area, agency in (("li", Role.OFFICER, "yongde", None),
                                         ("wanxin", Role.AGENCY, None, wanxin.id),
                                         ("city-admin", Role.ADMIN, None, None)):
            db.add(User(name=name, role=role, area_id=areas[area] if area else None,
                        agency_id=agency, password_hash=hash_password(PASSWORD)))
        xiuying = db.scalars(select(Contact).where(Contact.phone == "+8613800000001")).one()
        posting = db.scalars(select(Posting).where(Posting.agency_id == wanxin.id)).one()
        assert xiuying.villager is not None
        applications.apply(db, xiuying.villager, posting, "sms", posting.deadline)
        db.add(InboundMessage(gateway="twilio", provider_message_id="SM-demo-1",
                              phone=xiuying.phone, body=f"申请 {posting.id}"))
        db.flush()
        return {"villager": xiuying.villager.id, "posting": posting.id}


def sign_in(page: Page, base: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/console/sign-in")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#sign-in")
    expect(page.locator("#sign-out")).to_be_attached()
    page.click("button[name=lang][value=en]")
    expect(page.locator("#sign-out")).to_have_text("Sign out")


def shoot(page: Page, name: str) -> None:
    path = DOCS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print("wrote", path.relative_to(ROOT))


def desktop(page: Page, base: str, ids: dict[str, int]) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "li")
    page.goto(f"{base}/console/report?month=2026-10&area=yongde")
    expect(page.locator("svg#report-chart")).to_be_visible()
    shoot(page, "console-report")
    page.goto(f"{base}/console/broadcasts")
    page.fill("textarea[name=text_zh]", "德党镇周一免费电工培训，报名回复 培训。")
    page.fill("textarea[name=text_en]", "Free electrician training in Dedang on Monday: "
                                        "reply TRAIN to enrol.")
    expect(page.locator("#recipients")).not_to_have_text("")
    shoot(page, "console-broadcast-compose")
    page.goto(f"{base}/console/villagers/{ids['villager']}")
    page.fill("#act-sms textarea[name=body]", "您的申请已收到，本周五前会有中介联系您。")
    page.click("#sms-one-send")
    expect(page.locator("#thread li.ours").first).to_be_visible()
    shoot(page, "console-villager-profile")
    page.goto(f"{base}/console/simulator")
    page.fill("#sim-phone", "13800138009")
    page.click("#sim-dial")
    expect(page.locator("#ussd-screen")).to_contain_text("English")
    shoot(page, "console-simulator-ussd")
    sign_in(page, base, "wanxin")
    page.goto(f"{base}/console/postings/{ids['posting']}")
    page.locator("#applicants a").first.click()
    page.click("button:has-text('Confirm')")
    expect(page.locator("#application-status")).to_be_visible()
    shoot(page, "console-agency-confirmed")


def phone(page: Page, base: str, ids: dict[str, int]) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, base, "li")
    page.goto(f"{base}/console/")
    shoot(page, "phone-dashboard")
    page.click("#nav-button")
    expect(page.locator("#nav-menu a").first).to_be_visible()
    page.screenshot(path=str(DOCS / "phone-menu.png"))
    print("wrote docs/phone-menu.png")
    page.goto(f"{base}/console/villagers")
    shoot(page, "phone-villagers")
    page.goto(f"{base}/console/villagers/{ids['villager']}")
    shoot(page, "phone-villager-profile")


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, redis(Path(tmp)) as redis_url:
        url = f"sqlite:///{tmp}/screenshots.sqlite3"
        command.upgrade(alembic_config(url), "head")
        app = create_app({"DATABASE_URL": url, "REDIS_URL": redis_url, "SECRET_KEY": "shots",
                          "SMS_PROVIDER": "console", "QUIET_HOURS": "none"})
        ids = seed(app, url)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=["--no-sandbox", "--disable-dev-shm-usage"])
                page = browser.new_page()
                page.set_default_timeout(20_000)
                desktop(page, base, ids)
                phone(page, base, ids)
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
