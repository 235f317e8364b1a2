"""A villager's profile as a place to act (without a browser): one SMS through the outbox
(quiet hours, opt-out, sent once), an enrolment, a case, an edit through the API's own edit
(consent, scope), the thread both ways; the import's template and its buttons."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rq import Worker
from sqlalchemy import select

from smsgateway.models import (
    Case,
    CaseCategory,
    Contact,
    Enrolment,
    InboundMessage,
    Message,
    MessageStatus,
    Villager,
)
from smsgateway.services import QUEUE_NAMES, services

from . import providers
from .api import account, registered_villager
from .console import console_account, form_token, sign_in

LOCAL = ZoneInfo("Asia/Shanghai")


def _villager_id(db, phone: str) -> int:
    return db.scalars(select(Villager.id).join(Contact).where(Contact.phone == phone)).one()


def _messages(db, phone: str) -> list[Message]:
    db.expire_all()
    return list(db.scalars(select(Message).where(Message.phone == phone).order_by(Message.id)))


@pytest.fixture
def officer(app, client):
    """Yongde's officer `li`, signed in; returns the CSRF token of the console's forms."""
    console_account(app, "li", "officer", area="yongde")
    sign_in(client, "li")
    return form_token(client)


def _training(app, client, township="yongde.dedang", area="yongde") -> int:
    start = date.today() + timedelta(days=10)
    created = client.post("/api/v1/trainings",
                          headers=account(app, f"t-{township}", "officer", area=area), json={
                              "trade": "factory", "township": township,
                              "start_date": start.isoformat(),
                              "end_date": (start + timedelta(days=2)).isoformat(),
                              "capacity": 5})
    assert created.status_code == 201, created.json
    return int(created.json["id"])


def test_one_sms_from_the_profile_goes_through_the_outbox_and_not_to_one_who_opted_out(
        app, client, db, officer):
    """A queued outbox row with the officer's text; an empty text, a text too long, and a
    villager who opted out get nothing written, each with a line saying why."""
    phone = registered_villager(app, 1)
    vid = _villager_id(db, phone)
    page = client.post(f"/console/villagers/{vid}/sms",
                       data={"csrf_token": officer, "body": "明天九点到镇政府开会"},
                       follow_redirects=True)
    assert "短信已进入发件箱" in page.get_data(as_text=True)
    [sent] = _messages(db, phone)
    assert (sent.body, sent.status) == ("明天九点到镇政府开会", MessageStatus.QUEUED)
    for body, line in (("  ", "请先写短信内容"), ("长" * 301, "短信太长")):
        page = client.post(f"/console/villagers/{vid}/sms",
                           data={"csrf_token": officer, "body": body}, follow_redirects=True)
        assert line in page.get_data(as_text=True)
    contact = db.scalars(select(Contact).where(Contact.phone == phone)).one()
    contact.opted_out = True
    db.commit()
    page = client.post(f"/console/villagers/{vid}/sms",
                       data={"csrf_token": officer, "body": "再通知一次"}, follow_redirects=True)
    assert "已退订短信，未发送" in page.get_data(as_text=True)
    assert len(_messages(db, phone)) == 1


def test_an_sms_written_at_night_waits_for_eight_and_goes_once(app_factory, httpserver):
    """22:00 local: the officer's SMS is written but no worker sends it; at 08:00 the provider
    is called once, and not again later."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    app = app_factory(SMS_PROVIDER="twilio", TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"),
                      PROVIDER_TIMEOUT=10.0, QUIET_HOURS="21-8")
    svc = services(app)

    def work() -> None:
        Worker([svc.queue(n) for n in QUEUE_NAMES], connection=svc.redis).work(
            burst=True, with_scheduler=True)

    with time_machine.travel(datetime(2027, 3, 2, 22, 0, tzinfo=LOCAL), tick=False) as clock:
        phone = registered_villager(app, 2)
        client = app.test_client()
        console_account(app, "li", "officer", area="yongde")
        sign_in(client, "li")
        with svc.sessions() as db:
            vid = _villager_id(db, phone)
        client.post(f"/console/villagers/{vid}/sms",
                    data={"csrf_token": form_token(client), "body": "明早八点集合"})
        work()
        assert httpserver.log == []
        clock.move_to(datetime(2027, 3, 3, 8, 0, tzinfo=LOCAL))
        work()
        clock.move_to(datetime(2027, 3, 3, 8, 30, tzinfo=LOCAL))
        work()
    assert [r.form["To"] for r, _ in httpserver.log] == [phone]
    with svc.sessions() as db:
        assert [m.status for m in _messages(db, phone)] == [MessageStatus.SENT]


def test_enrolling_from_the_profile_takes_a_place_and_tells_the_villager(app, client, db,
                                                                         officer):
    """The form offers the county's upcoming sessions; enrolling takes a place and writes
    the enrolment SMS; a second time says they are enrolled already; a session of another
    county is 404 and nothing is written."""
    phone = registered_villager(app, 3)
    vid = _villager_id(db, phone)
    training = _training(app, client)
    elsewhere = _training(app, client, "fengqing.fengshan", "fengqing")
    profile = client.get(f"/console/villagers/{vid}").get_data(as_text=True)
    assert f'<option value="{training}">' in profile
    assert f'<option value="{elsewhere}">' not in profile
    page = client.post(f"/console/villagers/{vid}/enrol",
                       data={"csrf_token": officer, "training_id": str(training)},
                       follow_redirects=True)
    assert "已报名" in page.get_data(as_text=True)
    enrolment = db.scalars(select(Enrolment).where(Enrolment.villager_id == vid)).one()
    assert (enrolment.session_id, enrolment.via) == (training, "officer")
    [told] = _messages(db, phone)
    assert told.kind == "reply" and str(training) in told.body
    again = client.post(f"/console/villagers/{vid}/enrol",
                        data={"csrf_token": officer, "training_id": str(training)},
                        follow_redirects=True)
    assert "已报名这个培训" in again.get_data(as_text=True)
    outside = client.post(f"/console/villagers/{vid}/enrol",
                          data={"csrf_token": officer, "training_id": str(elsewhere)})
    assert outside.status_code == 404
    for junk in ("", "x", "99999999999"):
        client.post(f"/console/villagers/{vid}/enrol",
                    data={"csrf_token": officer, "training_id": junk})
    db.expire_all()
    assert db.scalars(select(Enrolment).where(Enrolment.villager_id == vid)).all() == [
        enrolment]
    assert len(_messages(db, phone)) == 1


def test_a_case_opened_from_the_profile_tells_the_villager_its_number(app, client, db,
                                                                      officer):
    """The case is the villager's, opened by an officer; its number goes out by SMS; a
    case without a description is not opened."""
    phone = registered_villager(app, 4)
    vid = _villager_id(db, phone)
    refused = client.post(f"/console/villagers/{vid}/case",
                          data={"csrf_token": officer, "category": "fees", "description": ""},
                          follow_redirects=True)
    assert "请选择类别并写明情况" in refused.get_data(as_text=True)
    opened = client.post(f"/console/villagers/{vid}/case", data={
        "csrf_token": officer, "category": "fees", "description": "中介要收押金"})
    case = db.scalars(select(Case).where(Case.villager_id == vid)).one()
    assert opened.location.endswith(f"/console/cases/{case.id}")
    assert (case.category, case.via, case.description) == (CaseCategory.FEES, "officer",
                                                           "中介要收押金")
    [told] = _messages(db, phone)
    assert told.kind == "case" and str(case.id) in told.body


def _edit(client, token, vid, **changes):
    form = {"csrf_token": token, "name": "村民5", "sex": "f", "birth_year": "1995",
            "township": "yongde.dedang", "language": "zh", "consent": "on"}
    form.update(changes)
    return client.post(f"/console/villagers/{vid}/edit",
                       data={k: v for k, v in form.items() if v is not None},
                       follow_redirects=True)


def test_the_record_is_edited_through_the_apis_edit_with_its_consent_and_scope(app, client,
                                                                              db, officer):
    """Saved with consent ticked; without it, or with a birth year out of range, nothing
    changes and the page says why; a township outside the officer's county is 404."""
    phone = registered_villager(app, 5)
    vid = _villager_id(db, phone)
    saved = _edit(client, officer, vid, name="王芳", township="yongde.mengban",
                  language="en", skills="catering")
    assert "资料已保存" in saved.get_data(as_text=True)
    db.expire_all()
    villager = db.get(Villager, vid)
    assert (villager.name, villager.township.code, villager.contact.language) == (
        "王芳", "yongde.mengban", "en")
    assert [s.skill_code for s in villager.skills] == ["catering"]
    no_consent = _edit(client, officer, vid, name="张三", consent=None)
    assert "consent" in no_consent.get_data(as_text=True)
    bad_year = _edit(client, officer, vid, name="张三", birth_year="1800")
    assert bad_year.status_code == 200 and "birth_year" in bad_year.get_data(as_text=True)
    outside = client.post(f"/console/villagers/{vid}/edit", data={
        "csrf_token": officer, "name": "张三", "sex": "f", "birth_year": "1995",
        "township": "fengqing.fengshan", "consent": "on"})
    assert outside.status_code == 404
    db.expire_all()
    assert db.get(Villager, vid).name == "王芳"
    assert _messages(db, phone) == []  # an edit texts nobody


def test_the_apis_edit_keeps_the_phone_and_needs_consent(app, client, db):
    """POST /villagers/<id>/edit: another phone is 422 on `phone`, no consent 422 on `consent`,
    another county's officer 404; a good edit answers the record."""
    phone = registered_villager(app, 6)
    vid = _villager_id(db, phone)
    officer = account(app, "api-li", "officer", area="yongde")
    body = {"phone": phone, "name": "李四", "sex": "m", "birth_year": 1990,
            "township": "yongde.dedang", "consent": True}
    for changes, status, field in (({"phone": "+8613900099999"}, 422, "phone"),
                                   ({"consent": False}, 422, "consent")):
        refused = client.post(f"/api/v1/villagers/{vid}/edit", headers=officer,
                             json={**body, **changes})
        assert (refused.status_code, refused.json["field"]) == (status, field)
    stranger = account(app, "api-feng", "officer", area="fengqing")
    assert client.post(f"/api/v1/villagers/{vid}/edit", headers=stranger,
                      json=body).status_code == 404
    db.expire_all()
    assert db.get(Villager, vid).name == "村民6"
    done = client.post(f"/api/v1/villagers/{vid}/edit", headers=officer, json=body)
    assert done.status_code == 200 and done.json["name"] == "李四"


def test_the_thread_interleaves_what_the_villager_sent_with_what_jobline_sent(app, client,
                                                                             db, officer):
    """The villager's SMS and the line's, newest first, each marked by who sent it; a
    villager with no messages gets a sentence instead of an empty table."""
    phone = registered_villager(app, 7)
    vid = _villager_id(db, phone)
    empty = client.get(f"/console/villagers/{vid}").get_data(as_text=True)
    assert 'id="thread-empty"' in empty and 'id="applications-empty"' in empty
    now = datetime.now(UTC)
    for n, text in enumerate(("工作", "申请 3")):
        db.add(InboundMessage(gateway="twilio", provider_message_id=f"SM{n}", phone=phone,
                              body=text, received_at=now - timedelta(minutes=10 - 4 * n)))
        db.commit()
        client.post(f"/console/villagers/{vid}/sms",
                    data={"csrf_token": officer, "body": f"回复{n}"})
        [reply] = [m for m in _messages(db, phone) if m.body == f"回复{n}"]
        reply.created_at = now - timedelta(minutes=9 - 4 * n)  # a minute after the question
        db.commit()
    html = client.get(f"/console/villagers/{vid}").get_data(as_text=True)
    thread = re.search(r'<ol class="conversation" id="thread">(.*?)</ol>', html, re.S)
    assert thread
    lines = re.findall(r'<li class="(theirs|ours)">.*?<span class="body"[^>]*>(.*?)</span>',
                       thread.group(1), re.S)
    assert lines == [("ours", "回复1"), ("theirs", "申请 3"), ("ours", "回复0"),
                     ("theirs", "工作")]


def test_the_import_template_dry_runs_clean_and_only_then_offers_the_import(app, client, db,
                                                                          officer):
    """Both templates (Chinese and English headers, an example row in the officer's area)
    dry-run clean; the import button appears only after a clean dry run, and a refused row
    keeps it away."""
    for lang in ("zh", "en"):
        template = client.get(f"/console/villagers/import/template.csv?lang={lang}")
        assert template.status_code == 200 and template.mimetype == "text/csv"
        assert "attachment" in template.headers["Content-Disposition"]
        text = template.get_data(as_text=True)
        header = text.lstrip("\ufeff").splitlines()[0]
        assert header.startswith("电话,姓名" if lang == "zh" else "phone,name")
        page = client.get("/console/villagers/import").get_data(as_text=True)
        assert 'id="import"' not in page and 'class="preview"' in page
        dry = client.post("/console/villagers/import", data={
            "csrf_token": officer, "csv": text, "consent": "on", "action": "dry_run"})
        html = dry.get_data(as_text=True)
        assert 'id="import-ready"' in html and 'id="import"' in html, html
        assert db.scalars(select(Villager)).all() == []  # a dry run writes nothing
    refused = client.post("/console/villagers/import", data={
        "csrf_token": officer, "consent": "on", "action": "dry_run",
        "csv": "phone,name,sex,birth_year,township\n12345,李明,m,1990,yongde.dedang\n"})
    html = refused.get_data(as_text=True)
    assert 'id="import"' not in html and 'id="import-fix"' in html
    done = client.post("/console/villagers/import", data={
        "csrf_token": officer, "csv": text, "consent": "on", "action": "import"})
    assert done.status_code == 200
    assert [v.name for v in db.scalars(select(Villager))] == ["Li Ming"]


def test_an_officer_of_another_county_can_do_nothing_on_the_profile(app, client, db):
    """Fengqing's officer: the profile and every action are 404 and nothing is written."""
    phone = registered_villager(app, 8)
    vid = _villager_id(db, phone)
    console_account(app, "feng", "officer", area="fengqing")
    sign_in(client, "feng")
    token = form_token(client)
    assert client.get(f"/console/villagers/{vid}").status_code == 404
    for action, form in (("sms", {"body": "你好"}), ("case", {"category": "fees",
                                                            "description": "押金"}),
                         ("edit", {"name": "张三", "sex": "m", "birth_year": "1990",
                                   "township": "yongde.dedang", "consent": "on"})):
        answer = client.post(f"/console/villagers/{vid}/{action}",
                             data={"csrf_token": token, **form})
        assert answer.status_code == 404, action
    db.expire_all()
    assert _messages(db, phone) == [] and db.scalars(select(Case)).all() == []
    assert db.get(Villager, vid).name == "村民8"
