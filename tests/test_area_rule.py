"""One area rule on every path (issue 17): a posting is open to the villagers of its area and
the areas below it, a city-wide posting to all. Alerts, the SMS `JOBS` list, `JOB n`,
`APPLY n`, and the USSD list, details and apply all follow it.

Tried from the side that could break it: a Cangyuan villager asks for a posting that only
Yongde's office recruits for, by every path; a city-wide posting is open to both.
"""

from __future__ import annotations

import re

import pytest

from menus import jobs as ussd_jobs
from menus.types import Profile
from menus.validate import Invalid
from smsgateway.conversation.catalog import DbCatalog
from smsgateway.services import services
from smsgateway.villagers.records import contact_for, register

from . import providers
from .api import account, agency, employer, posting_body
from .conftest import run_worker
from .phone import UssdPhone
from .sign import twilio_post, twilio_sms

CANGYUAN, YONGDE = "+8613911120001", "+8613911120002"


def _register(app, phone, profile):
    with services(app).sessions.begin() as db:
        register(db, contact_for(db, phone), profile, via="ussd", channel="twilio", notify=False)


@pytest.fixture
def world(twilio_app, httpserver):
    """A Cangyuan and a Yongde villager (both fit both jobs); a Yongde-only posting and a
    city-wide one, published; the alerts sent."""
    app, client = twilio_app, twilio_app.test_client()
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    _register(app, CANGYUAN, Profile("Ai Lan", "f", 1998, "cangyuan", "cangyuan.mengdong",
                                     ("factory",), True, True, "en"))
    _register(app, YONGDE, Profile("李秀英", "f", 2001, "yongde", "yongde.dedang",
                                   ("factory",), True, True, "zh"))
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))
    officer = account(app, "officer", "officer", area="lincang")
    ids = {}
    for area, title in (("yongde", "Yongde only job"), ("lincang", "City-wide job")):
        posting = client.post("/api/v1/postings", headers=head, json=posting_body(
            employer(app), area=area, title_en=title, title_zh=f"{area}岗位")).json
        client.post(f"/api/v1/postings/{posting['id']}/vet", headers=officer,
                    json={"decision": "publish"})
        ids[area] = posting["id"]
    run_worker(app)
    alerts = [(r.form["To"], r.form["Body"]) for r, _ in httpserver.log]
    httpserver.clear_log()
    return app, client, ids, alerts, head


def _sms(client, sid, phone, text):
    return twilio_post(client, "/sms/twilio", twilio_sms(sid, phone, text)).get_data(as_text=True)


def test_alerts_reach_the_postings_area_only(world):
    """The Yongde posting alerts the Yongde villager alone; the city-wide one both."""
    _, _, ids, alerts, _ = world
    told = {(to, int(re.match(r"(?:New job |新工作)(\d+)", body).group(1)))
            for to, body in alerts}
    assert told == {(YONGDE, ids["yongde"]), (YONGDE, ids["lincang"]),
                    (CANGYUAN, ids["lincang"])}


def test_jobs_list_shows_a_villager_only_postings_of_their_area(world):
    """JOBS: the Cangyuan villager sees the city-wide job, not Yongde's; Yongde sees both."""
    _, client, ids, _, _ = world
    cangyuan = _sms(client, "SMa1", CANGYUAN, "JOBS")
    assert f"\n{ids['lincang']} " in cangyuan and f"\n{ids['yongde']} " not in cangyuan
    yongde = _sms(client, "SMa2", YONGDE, "工作")
    assert f"\n{ids['lincang']} " in yongde and f"\n{ids['yongde']} " in yongde


def test_details_and_apply_of_another_areas_posting_say_there_is_no_such_job(world):
    """JOB n and APPLY n for Yongde's posting: a clear "no open job" line for Cangyuan, and
    no application; the city-wide posting answers both villagers."""
    app, client, ids, _, head = world
    other = ids["yongde"]
    for sid, text in (("SMb1", f"JOB {other}"), ("SMb2", f"APPLY {other}")):
        reply = _sms(client, sid, CANGYUAN, text)
        assert f"There is no open job number {other} for you" in reply and "JOBS" in reply
    assert f"工作{other}：yongde岗位" in _sms(client, "SMb3", YONGDE, f"详情 {other}")
    assert f"Job {ids['lincang']}" in _sms(client, "SMb4", CANGYUAN, f"JOB {ids['lincang']}")
    applied = _sms(client, "SMb5", CANGYUAN, f"APPLY {ids['lincang']}")
    assert "registered interest" in applied
    listed = client.get(f"/api/v1/postings/{other}/applications", headers=head).json
    assert listed["total"] == 0


def test_ussd_list_details_and_apply_follow_the_area_rule(world):
    """The USSD list leaves Yongde's posting out for Cangyuan; its details and apply screens,
    reached with its id, answer as for a closed job and apply nothing."""
    app, client, ids, _, _ = world
    phone = UssdPhone(client, CANGYUAN)
    phone.dial()
    phone.choose("Jobs")
    assert "City-wide job" in phone.screen and "Yongde only job" not in phone.screen
    with services(app).sessions() as db:
        catalog = DbCatalog.for_phone(db, services(app).settings, CANGYUAN)
        assert catalog.job(ids["yongde"]) is None and catalog.job(ids["lincang"]) is not None
        assert catalog.can_apply(ids["yongde"]) == "closed"
        state = {"screen": "job", "job": ids["yongde"], "lang": "en", "page": 0}
        assert ussd_jobs.render_job(state, catalog) == "This job is no longer open.\n0 Back"
        with pytest.raises(Invalid):
            ussd_jobs.answer_job_confirm({**state, "screen": "job_confirm"}, "1", catalog)
        yongde = DbCatalog.for_phone(db, services(app).settings, YONGDE)
        assert yongde.job(ids["yongde"]) is not None and yongde.can_apply(ids["yongde"]) is None
