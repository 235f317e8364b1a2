"""Problem reports end to end: a villager reports by USSD (Africa's Talking's /ussd) and by
SMS (Twilio's /sms/twilio); the case is linked to their placement and its number reaches
them through the outbox, a real RQ worker and a local Twilio-like server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from menus.budget import sms_segments
from smsgateway.models import Application, Case, CaseCategory, CaseStatus, InboundMessage
from smsgateway.postings import applications
from smsgateway.services import services

from . import providers
from .api import placement_setting
from .conftest import run_worker
from .phone import UssdPhone
from .sign import twilio_post, twilio_sms

STRANGER = "+8613955550000"


@pytest.fixture
def setting(twilio_app, httpserver):
    """placement_setting with villagers 0 (English) and 1 (Chinese) confirmed by agency A."""
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    world = placement_setting(twilio_app, twilio_app.test_client())
    with services(twilio_app).sessions.begin() as db:
        for application_id in world["applications"][:2]:
            application = db.get(Application, application_id)
            applications.decide(db, application, "confirm", None, channel="console",
                                today=application.posting.deadline)
    return world


def _sent(httpserver):
    """(to, body) of every message the provider got, then forget them."""
    sent = [(r.form["To"], r.form["Body"]) for r, _ in httpserver.log]
    httpserver.clear_log()
    return sent


def _cases(app):
    with services(app).sessions() as db:
        return db.scalars(select(Case).order_by(Case.id)).all()


def test_a_ussd_report_opens_a_case_on_the_placement_and_shows_and_texts_its_number(
        twilio_app, setting, httpserver):
    """Villager 0 (English): 4 Report a problem, 1 Wages unpaid, a description, 1 anonymous,
    1 Send. The END screen shows the case number; one SMS carries it too."""
    client, phone = twilio_app.test_client(), setting["phones"][0]
    run_worker(twilio_app)
    _sent(httpserver)  # the confirmation of the place
    ussd = UssdPhone(client, phone)
    ussd.dial()
    ussd.choose("Report a problem")
    ussd.choose("Wages unpaid")
    assert "Describe the problem" in ussd.screen
    ussd.press("No pay since May, boss says wait")
    assert "anonymous" in ussd.screen
    ussd.press("1")
    assert "No pay since May" in ussd.screen and "Anonymous: Yes" in ussd.screen
    ussd.press("1")
    [case] = _cases(twilio_app)
    assert ussd.ended and f"case {case.id}" in ussd.screen
    assert (case.application_id, case.posting_id) == (setting["applications"][0],
                                                      setting["posting"])
    assert case.agency_id is not None and case.employer_id is not None
    assert (case.category, case.description, case.anonymous, case.via, case.status) == (
        CaseCategory.WAGES_UNPAID, "No pay since May, boss says wait", True, "ussd",
        CaseStatus.OPEN)
    run_worker(twilio_app)
    [(to, text)] = _sent(httpserver)
    assert to == phone and f"case {case.id}" in text and sms_segments(text) == 1


def test_a_ussd_refusal_keeps_the_session_going(twilio_app, setting):
    """An empty description and a 7 for the category are refused on the same screen;
    0 Back leaves the report without opening a case."""
    ussd = UssdPhone(twilio_app.test_client(), setting["phones"][1])
    ussd.dial()
    ussd.choose("反映问题")
    ussd.press("7")
    assert ussd.screen.startswith("请回复1到6的数字")
    ussd.choose("乱收费")
    ussd.press(" ")
    assert ussd.screen.startswith("请输入几个字说明问题") and not ussd.ended
    ussd.press("0")
    ussd.press("0")
    assert "反映问题" in ussd.screen and "4 反映问题" in ussd.screen  # the main menu again
    assert _cases(twilio_app) == []


def test_an_sms_report_by_questions_opens_a_case_and_texts_its_number(
        twilio_app, setting, httpserver):
    """Villager 1 (Chinese) answers 投诉, 9 (wrong), 1, a description, 2 by Twilio: each
    question in TwiML; the last message gets no TwiML reply and the case's SMS, with its
    number, goes through the outbox."""
    client, phone = twilio_app.test_client(), setting["phones"][1]
    run_worker(twilio_app)
    _sent(httpserver)

    def send(n, body):
        response = twilio_post(client, "/sms/twilio", twilio_sms(f"SMp{n}", phone, body))
        assert response.status_code == 200
        return response.get_data(as_text=True)

    assert "1 拖欠工资" in send(1, "投诉")
    assert "请回复1到6的数字" in send(2, "9")
    assert "请用一条短信说明问题" in send(3, "1")
    description = "五月起老板没发工资，说要等到年底，" * 3
    assert "隐去您的姓名" in send(4, description)
    assert "<Message>" not in send(5, "2")
    [case] = _cases(twilio_app)
    assert case.application_id == setting["applications"][1] and case.via == "sms"
    assert (case.description, case.anonymous) == (description, False)
    run_worker(twilio_app)
    [(to, text)] = _sent(httpserver)
    assert to == phone and f"编号 {case.id}" in text and sms_segments(text) == 1
    with services(twilio_app).sessions() as db:  # every message the villager sent is kept
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 5


def test_an_sms_one_line_report_opens_a_case_at_once(twilio_app, setting, httpserver):
    """PROBLEM 3 <words> from villager 0: a fees case, not anonymous, its number by SMS."""
    client, phone = twilio_app.test_client(), setting["phones"][0]
    response = twilio_post(client, "/sms/twilio", twilio_sms(
        "SMone", phone, "PROBLEM 3 agent wants 800 yuan for a health check"))
    assert "<Message>" not in response.get_data(as_text=True)
    [case] = _cases(twilio_app)
    assert (case.category, case.description, case.anonymous) == (
        CaseCategory.FEES, "agent wants 800 yuan for a health check", False)
    assert case.application_id == setting["applications"][0]
    run_worker(twilio_app)
    texts = [text for to, text in _sent(httpserver) if f"case {case.id}" in text]
    assert len(texts) == 1 and texts[0].startswith(f"Your report is recorded as case {case.id}")


def test_an_unregistered_phone_is_told_to_register_first(twilio_app, setting):
    """By SMS: register first, and no case; by USSD the menu with "Report a problem" is not
    offered before registering: the first screen (in the language the SMS set) asks to
    register, and 4 there is refused."""
    client = twilio_app.test_client()
    response = twilio_post(client, "/sms/twilio", twilio_sms("SMx", STRANGER, "投诉 1 没发工资"))
    assert "请先注册" in response.get_data(as_text=True)
    ussd = UssdPhone(client, STRANGER)
    ussd.dial()
    assert "1 注册" in ussd.screen and "反映问题" not in ussd.screen
    ussd.press("4")
    assert ussd.screen.startswith("输入有误") and "反映问题" not in ussd.screen
    assert _cases(twilio_app) == []
