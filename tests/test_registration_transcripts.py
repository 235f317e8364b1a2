"""Villagers register end to end: USSD in Chinese and English, SMS by Twilio and AT.

Each confirmation SMS goes through the outbox, a real RQ worker (burst mode, real Redis)
and the real Twilio SDK to a local server answering like Twilio's Messages resource.
"""

from __future__ import annotations

from sqlalchemy import select

from menus.budget import sms_segments
from smsgateway.models import Contact, Message, MessageStatus, Villager
from smsgateway.services import services

from . import providers
from .conftest import run_worker
from .phone import UssdPhone
from .sign import at_sms, twilio_post, twilio_sms


def _villager(app, phone):
    with services(app).sessions() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == phone)).one()
        villager = db.scalars(select(Villager).where(Villager.contact_id == contact.id)).one()
        return (villager.name, villager.sex.value, villager.birth_year, villager.township.code,
                sorted(s.skill_code for s in villager.skills), villager.outside_province,
                villager.sms_consent, contact.language, villager.registered_via)


def _messages(app, phone):
    with services(app).sessions() as db:
        return db.scalars(select(Message).where(Message.phone == phone)
                          .order_by(Message.id)).all()


def _provider_accepts(httpserver):
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())


def _sent_bodies(httpserver):
    return [(request.form["To"], request.form["Body"]) for request, _ in httpserver.log]


def test_register_by_ussd_in_chinese_with_a_star_in_the_name(twilio_app, httpserver):
    """Chinese menus end to end; `李*明` keeps its `*`; the confirmation reaches Twilio."""
    _provider_accepts(httpserver)
    phone = UssdPhone(twilio_app.test_client(), "+8613800138000")
    assert "English" in phone.dial()
    phone.choose("中文")
    phone.choose("注册")
    assert "姓名" in phone.screen
    phone.press("李*明")
    phone.choose("女")
    phone.press("1995")
    phone.choose("永德县")
    phone.choose("德党镇")
    phone.choose("家政服务")
    phone.choose("餐饮")
    phone.choose("完成")
    phone.choose("愿意")
    phone.choose("同意")
    assert "李*明" in phone.screen and "德党镇" in phone.screen
    phone.choose("确认")
    assert phone.ended and "注册成功" in phone.screen

    assert _villager(twilio_app, "+8613800138000") == (
        "李*明", "f", 1995, "yongde.dedang", ["catering", "domestic"], True, True, "zh", "ussd")
    [message] = _messages(twilio_app, "+8613800138000")
    assert message.status == MessageStatus.QUEUED and message.kind == "registration"
    run_worker(twilio_app)
    [message] = _messages(twilio_app, "+8613800138000")
    assert message.status == MessageStatus.SENT and message.provider_message_id.startswith("SM")
    assert _sent_bodies(httpserver) == [("+8613800138000", message.body)]
    assert "李*明" in message.body and "退订" in message.body
    assert message.segments == sms_segments(message.body) == 1


def test_register_by_ussd_in_english(twilio_app, httpserver):
    """English menus end to end, without outside-province work; confirmation in English."""
    _provider_accepts(httpserver)
    phone = UssdPhone(twilio_app.test_client(), "+8613800138001")
    phone.dial()
    phone.choose("English")
    phone.choose("Register")
    phone.press("Ai Lan")
    phone.choose("Female")
    phone.press("1998")
    phone.choose("Cangyuan County")
    phone.choose("Banlao Township")  # the last township: on the second page
    phone.choose("Folk dance")
    phone.choose("Done")
    phone.choose("No")
    phone.choose("Yes")
    assert "Ai Lan" in phone.screen
    phone.choose("Confirm")
    assert phone.ended and "Registered" in phone.screen

    assert _villager(twilio_app, "+8613800138001") == (
        "Ai Lan", "f", 1998, "cangyuan.banlao", ["folk_dance"], False, True, "en", "ussd")
    run_worker(twilio_app)
    [message] = _messages(twilio_app, "+8613800138001")
    assert message.status == MessageStatus.SENT
    assert message.body.startswith("Registered") or "registered" in message.body.lower()
    assert message.segments == sms_segments(message.body) == 1
    assert _sent_bodies(httpserver) == [("+8613800138001", message.body)]


def test_register_by_sms_questions_and_answers(twilio_app, httpserver):
    """注册 by Twilio: each question answered in TwiML; the confirmation via the worker."""
    _provider_accepts(httpserver)
    client, number = twilio_app.test_client(), "+8613800138002"
    answers = ["注册", "王芳", "2", "1999", "勐库镇", "2 3", "1"]
    replies = []
    for n, text in enumerate(answers):
        response = twilio_post(client, "/sms/twilio", twilio_sms(f"SM{n:032d}", number, text))
        assert response.status_code == 200
        replies.append(response.get_data(as_text=True))
    assert all("<Message>" in r for r in replies[:-1])
    assert replies[-1].endswith("<Response />")  # the confirmation goes through the outbox

    assert _villager(twilio_app, number) == (
        "王芳", "f", 1999, "shuangjiang.mengku", ["catering", "domestic"], True, True, "zh", "sms")
    run_worker(twilio_app)
    confirmation = _messages(twilio_app, number)[-1]
    assert confirmation.kind == "registration" and confirmation.status == MessageStatus.SENT
    assert "王芳" in confirmation.body and confirmation.segments <= 2
    assert _sent_bodies(httpserver) == [(number, confirmation.body)]


def test_register_by_sms_one_line_form_via_africastalking(twilio_app, httpserver):
    """`REG name, sex, year, township` in one AT message registers at once, in English."""
    _provider_accepts(httpserver)
    client, number = twilio_app.test_client(), "+8613800138003"
    response = client.post("/sms/africastalking",
                           data=at_sms("at-1", number, "REG Li Ming, M, 1990, Boshang"))
    assert response.status_code == 200
    assert _villager(twilio_app, number) == (
        "Li Ming", "m", 1990, "linxiang.boshang", [], None, True, "en", "sms")
    run_worker(twilio_app)
    [confirmation] = _messages(twilio_app, number)
    assert confirmation.status == MessageStatus.SENT and "Li Ming" in confirmation.body
    assert _sent_bodies(httpserver) == [(number, confirmation.body)]


def test_after_stop_nothing_is_sent_until_start(twilio_app, httpserver):
    """STOP: its confirmation only; queued messages fail, replies stop; START resumes."""
    _provider_accepts(httpserver)
    client, number = twilio_app.test_client(), "+8613800138004"
    client.post("/sms/africastalking", data=at_sms("at-1", number, "REG Li Ming, M, 1990, Boshang"))
    stop = twilio_post(client, "/sms/twilio", twilio_sms("SM1", number, "STOP"))
    assert "<Message>" in stop.get_data(as_text=True)
    for n, text in enumerate(["HELP", "REG", "hello"], start=2):
        quiet = twilio_post(client, "/sms/twilio", twilio_sms(f"SM{n}", number, text))
        assert quiet.get_data(as_text=True).endswith("<Response />")
    run_worker(twilio_app)
    assert _sent_bodies(httpserver) == []  # the queued confirmation was not sent
    kinds = [(m.kind, m.status.value, m.error_code) for m in _messages(twilio_app, number)]
    assert kinds == [("registration", "failed", "opted_out"), ("opt_out", "sent", None)]

    start = twilio_post(client, "/sms/twilio", twilio_sms("SM9", number, "START"))
    assert "<Message>" in start.get_data(as_text=True)
    client.post("/sms/africastalking", data=at_sms("at-2", number, "HELP"))
    run_worker(twilio_app)
    [(to, body)] = _sent_bodies(httpserver)
    assert to == number and "REG" in body
