"""Tencent Cloud SMS: reply and status callbacks in its documented JSON, and sending through
the official SDK to a local server answering as Tencent's SendSms documentation shows."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from werkzeug import Request, Response

from smsgateway.followup.cases import open_case
from smsgateway.messaging.outbox import add_message
from smsgateway.models import Contact, InboundMessage, Message, MessageStatus, Villager
from smsgateway.services import services
from smsgateway.templates import templated

from .api import account, registered_villager
from .conftest import run_worker
from .console import console_account, form_token, sign_in

TOKEN = "tc-callback-secret"
SERIAL = "2433:328462213917425922730441611"
TEMPLATE_IDS = {"sms_registered.zh": "1110001", "sms_registered.en": "1110002",
                "sms_help.zh": "1110003", "sms_reply_composed.zh": "1110009",
                "sms_ask_sex.zh": "1110004", "sms_case_in_progress_note.zh": "1110010",
                "sms_broadcast_notice.zh": "1110011"}


@pytest.fixture
def tencent_app(app_factory, httpserver, tmp_path):
    """An app whose provider is Tencent, its SDK pointed at the local server."""
    templates = tmp_path / "tencent-templates.json"
    templates.write_text(json.dumps(TEMPLATE_IDS), encoding="utf-8")
    return app_factory(SMS_PROVIDER="tencent", TENCENT_SECRET_ID="AKIDtest",
                       TENCENT_SECRET_KEY="secret", TENCENT_SMS_SDK_APP_ID="1400000001",
                       TENCENT_SMS_SIGN="临沧务工", TENCENT_CALLBACK_TOKEN=TOKEN,
                       TENCENT_SMS_ENDPOINT=httpserver.url_for("/").rstrip("/"),
                       TENCENT_TEMPLATES=str(templates), PROVIDER_TIMEOUT=5.0)


def send_sms_answers(*statuses):
    """Tencent's SendSms answer: one SendStatus per number (Code "Ok" when sent)."""

    def handler(request: Request) -> Response:
        body = {"Response": {"SendStatusSet": [
            {"SerialNo": SERIAL if code == "Ok" else "", "PhoneNumber": phone, "Fee": 1,
             "SessionContext": "", "Code": code, "Message": message, "IsoCode": "CN"}
            for phone, (code, message) in zip(request.get_json()["PhoneNumberSet"], statuses,
                                              strict=True)],
            "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}
        return Response(json.dumps(body), content_type="application/json")

    return handler


def send_sms_error(code, message):
    """Tencent's answer to a request refused as a whole (`Response.Error`)."""
    body = {"Response": {"Error": {"Code": code, "Message": message},
                         "RequestId": "b1bbcdb7-df02-4a5f-b92f-a209225a3380"}}
    return Response(json.dumps(body), content_type="application/json")


def _expect_send_sms(httpserver, handler):
    httpserver.expect_request("/", method="POST", headers={"X-TC-Action": "SendSms"}
                              ).respond_with_handler(handler)


def reply_callback(mobile, text, time=1764529200):
    """Tencent's reply callback body (回复短信回调)."""
    return {"extend": "", "mobile": mobile, "nationcode": "86", "sign": "临沧务工", "text": text,
            "time": time}


def status_callback(sid, status="SUCCESS", errmsg="DELIVRD", description="用户短信送达成功"):
    """One report of Tencent's status callback (短信下发状态回调), which posts an array."""
    return {"user_receive_time": "2026-11-30 19:20:04", "nationcode": "86",
            "mobile": "13800138061", "report_status": status, "errmsg": errmsg,
            "description": description, "sid": sid}


def _post(client, path, payload, token=TOKEN):
    return client.post(f"{path}?token={token}", data=json.dumps(payload, ensure_ascii=False),
                       content_type="application/json")


def _rows(app, phone=None):
    with services(app).sessions() as db:
        query = select(Message).order_by(Message.id)
        if phone:
            query = query.where(Message.phone == phone)
        return db.scalars(query).all()


def _queue(app, body, kind="registration", phone="+8613800138062"):
    svc = services(app)
    with svc.sessions.begin() as db:
        contact = Contact(phone=phone)
        db.add(contact)
        return add_message(db, contact, body, kind=kind, channel="tencent").id


def test_a_reply_registers_once_and_the_confirmation_goes_as_its_template(tencent_app,
                                                                          httpserver):
    """The one-line form by reply callback (repeated: kept once); the confirmation is sent
    as template 1110001 with the name as {1}; the report moves it to delivered, not back."""
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    client, number = tencent_app.test_client(), "+8613800138061"
    callback = reply_callback("13800138061", "注册 李明，男，1990，勐库镇")
    first = _post(client, "/sms/tencent", callback)
    assert first.status_code == 200 and first.get_json() == {"result": 0, "errmsg": "OK"}
    assert _post(client, "/sms/tencent", callback).status_code == 200  # Tencent retries
    with services(tencent_app).sessions() as db:
        [inbound] = db.scalars(select(InboundMessage)).all()
        assert inbound.gateway == "tencent" and inbound.phone == number
        assert inbound.provider_message_id.startswith("tc-")
        assert len(db.scalars(select(Villager)).all()) == 1

    run_worker(tencent_app)
    [(request, _)] = httpserver.log
    sent = request.get_json()
    assert sent["PhoneNumberSet"] == [number] and sent["TemplateId"] == "1110001"
    assert sent["TemplateParamSet"] == ["李明"]
    assert sent["SignName"] == "临沧务工" and sent["SmsSdkAppId"] == "1400000001"
    assert request.headers["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtest/")
    [message] = _rows(tencent_app, number)
    assert message.kind == "registration" and message.status == MessageStatus.SENT
    assert message.provider_message_id == SERIAL and "李明" in message.body

    assert _post(client, "/sms/tencent/status", [status_callback(SERIAL)]).status_code == 200
    assert _rows(tencent_app, number)[0].status == MessageStatus.DELIVERED
    late = status_callback(SERIAL, "FAIL", "MK:0001", "用户关机")
    assert _post(client, "/sms/tencent/status", [late]).status_code == 200
    assert _rows(tencent_app, number)[0].status == MessageStatus.DELIVERED  # forward only


def test_a_template_error_fails_the_message_with_tencents_code(tencent_app, httpserver):
    """`FailedOperation.TemplateIncorrectOrUnapproved`: failed, not retried, code kept."""
    _expect_send_sms(httpserver, send_sms_answers((
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "template is not approved or request content does not match the approved template")))
    message_id = _queue(tencent_app, templated("en", "sms_registered", name="Ai Lan"))
    run_worker(tencent_app)
    [message] = _rows(tencent_app)
    assert message.id == message_id and message.status == MessageStatus.FAILED
    assert message.error_code == "FailedOperation.TemplateIncorrectOrUnapproved"
    assert [r.get_json()["TemplateId"] for r, _ in httpserver.log] == ["1110002"]


@pytest.mark.parametrize("answer", [
    send_sms_answers(("LimitExceeded.PhoneNumberThirtySecondLimit",
                      "the number of sms messages sent from a single mobile number within 30 "
                      "seconds exceeds the upper limit")),
    lambda request: send_sms_error("RequestLimitExceeded", "Your current request times equals "
                                   "to `21` in a second, which exceeds the frequency limit `20`."),
], ids=["per-number limit", "request rate limit"])
def test_a_rate_limit_puts_the_message_back_to_try_later(tencent_app, httpserver, answer):
    """Tencent's frequency limits are transient: the row waits queued with the code."""
    _expect_send_sms(httpserver, answer)
    _queue(tencent_app, templated("zh", "sms_registered", name="李明"))
    run_worker(tencent_app)
    [message] = _rows(tencent_app)
    assert message.status == MessageStatus.QUEUED
    assert message.error_code in ("LimitExceeded.PhoneNumberThirtySecondLimit",
                                  "RequestLimitExceeded")
    assert len(httpserver.log) == 1


def test_a_message_without_an_approved_template_fails_as_no_template(tencent_app, httpserver):
    """Free text, or a template with no id in TENCENT_TEMPLATES: `no_template`, nothing sent."""
    _queue(tencent_app, "没有模板的短信", kind="reply")
    _queue(tencent_app, templated("zh", "ussd_dropped_edit", code="*384*1#"),
           kind="ussd_dropped", phone="+8613800138063")
    run_worker(tencent_app)
    assert [(m.status, m.error_code) for m in _rows(tencent_app)] == [
        (MessageStatus.FAILED, "no_template")] * 2
    assert httpserver.log == []


def test_callbacks_without_the_token_or_in_another_shape_change_nothing(tencent_app):
    """A wrong or missing token is 403, a body that is not Tencent's JSON is 400: nothing
    is stored and no report is applied."""
    client = tencent_app.test_client()
    callback = reply_callback("13800138064", "工作")
    assert _post(client, "/sms/tencent", callback, token="guess").status_code == 403
    assert client.post("/sms/tencent", json=callback).status_code == 403
    assert client.post(f"/sms/tencent?token={TOKEN}", data="mobile=138",
                       content_type="application/x-www-form-urlencoded").status_code == 400
    assert _post(client, "/sms/tencent", {"mobile": "13800138064"}).status_code == 400
    assert _post(client, "/sms/tencent/status", {"sid": ""}).status_code == 400
    assert _post(client, "/sms/tencent/status", [status_callback("x", "MAYBE")]
                 ).status_code == 400
    with services(tencent_app).sessions() as db:
        assert db.scalars(select(InboundMessage)).all() == []
    assert _rows(tencent_app) == []


def test_a_reply_goes_into_the_same_conversation_as_the_other_gateways(tencent_app,
                                                                       httpserver):
    """帮助 by Tencent is answered by the conversation: its reply, one catalogue text, goes
    out on Tencent as that text's approved template."""
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    client = tencent_app.test_client()
    assert _post(client, "/sms/tencent", reply_callback("13800138065", "帮助")).status_code == 200
    [reply] = _rows(tencent_app, "+8613800138065")
    assert reply.kind == "reply" and reply.channel == "tencent" and "注册" in reply.body
    assert reply.template == {"key": "sms_help", "lang": "zh", "values": []}
    run_worker(tencent_app)
    [(request, _)] = httpserver.log
    assert request.get_json()["TemplateId"] == "1110003"
    assert request.get_json().get("TemplateParamSet") in (None, [])
    assert _rows(tencent_app, "+8613800138065")[0].status == MessageStatus.SENT


# --- Every kind of message on a templated provider (issue 14) ---


def test_a_composed_reply_goes_as_the_carrier_template_with_the_whole_text_in_its_parts(
        tencent_app, httpserver):
    """注册 is answered by the introduction and the first question, a text no single template
    gives: it goes as `sms_reply_composed`, the text in 14 parts of at most 35 characters
    (the unused ones empty); the next answer's question is its own template again."""
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    client, phone = tencent_app.test_client(), "+8613800138071"
    assert _post(client, "/sms/tencent", reply_callback("13800138071", "注册")).status_code == 200
    [first] = _rows(tencent_app, phone)
    assert first.body == "临沧务工：开始注册，共6个问题。\n请回复您的姓名："
    assert first.template["key"] == "sms_reply_composed" and first.template["lang"] == "zh"
    run_worker(tencent_app)
    [(request, _)] = httpserver.log
    params = request.get_json()["TemplateParamSet"]
    assert request.get_json()["TemplateId"] == "1110009" and len(params) == 14
    assert "".join(params) == "开始注册，共6个问题。\n请回复您的姓名："
    assert all(len(part) <= 35 for part in params) and params[1:] == [""] * 13
    answer = reply_callback("13800138071", "李明", time=1764529260)
    assert _post(client, "/sms/tencent", answer).status_code == 200
    second = _rows(tencent_app, phone)[1]
    assert second.template == {"key": "sms_ask_sex", "lang": "zh", "values": []}
    run_worker(tencent_app)
    assert httpserver.log[1][0].get_json()["TemplateId"] == "1110004"
    assert [m.status for m in _rows(tencent_app, phone)] == [MessageStatus.SENT] * 2


def test_a_case_move_carries_the_officers_note_cut_to_the_limit_and_says_so(tencent_app,
                                                                           httpserver):
    """On Tencent the note is the template's one free variable: a note longer than 35
    characters is cut there, the API answer says `note_cut`, and the message goes as that
    template with the case number and the cut note."""
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    phone = registered_villager(tencent_app, 7)
    head = account(tencent_app, "o", "officer", area="yongde")
    with services(tencent_app).sessions.begin() as db:
        villager = db.scalars(select(Contact).where(Contact.phone == phone)).one().villager
        case_id = open_case(db, villager, "wages_unpaid", "五月以来没发工资", False, via="sms",
                            channel="console").id
    note = "已联系用人单位人事部，对方答应本周五前补发拖欠的两个月工资，请您留意银行卡到账情况"
    client = tencent_app.test_client()
    moved = client.post(f"/api/v1/cases/{case_id}/status", headers=head,
                        json={"status": "in_progress", "note": note})
    assert moved.status_code == 200, moved.json
    assert moved.json["note_cut"] is True and moved.json["status"] == "in_progress"
    [message] = [m for m in _rows(tencent_app, phone) if m.channel == "tencent"]
    assert message.template == {"key": "sms_case_in_progress_note", "lang": "zh",
                                "values": [str(case_id), note[:35]]}
    assert message.body == f"问题编号 {case_id}：工作人员正在处理。说明：{note[:35]}"
    run_worker(tencent_app)
    [(request, _)] = httpserver.log
    assert request.get_json()["TemplateId"] == "1110010"
    assert request.get_json()["TemplateParamSet"] == [str(case_id), note[:35]]
    short = client.post(f"/api/v1/cases/{case_id}/status", headers=head,
                        json={"status": "resolved", "note": "已补发"})
    assert short.status_code == 200 and short.json["note_cut"] is False
    assert client.get(f"/api/v1/cases/{case_id}", headers=head).json["note_cut"] is False


def test_an_officers_sms_from_a_profile_goes_as_the_notice_template_and_the_cut_is_shown(
        tencent_app, httpserver):
    """The profile's one SMS on Tencent: the broadcast notice template with the officer's
    text as its variable, cut to 35 characters, and the console says it was cut."""
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    phone = registered_villager(tencent_app, 8)
    console_account(tencent_app, "li", "officer", area="yongde")
    client = tencent_app.test_client()
    sign_in(client, "li")
    token = form_token(client)
    with services(tencent_app).sessions() as db:
        vid = db.scalars(select(Villager.id).join(Contact).where(Contact.phone == phone)).one()
    body = "明天上午九点请到德党镇政府二楼会议室参加外出务工培训说明会，带身份证和户口本复印件"
    page = client.post(f"/console/villagers/{vid}/sms", data={"csrf_token": token, "body": body},
                       follow_redirects=True)
    assert "短信已截短后进入发件箱" in page.get_data(as_text=True)
    [message] = _rows(tencent_app, phone)
    assert message.kind == "broadcast"
    assert message.template == {"key": "sms_broadcast_notice", "lang": "zh",
                                "values": [body[:35]]}
    run_worker(tencent_app)
    [(request, _)] = httpserver.log
    assert request.get_json()["TemplateParamSet"] == [body[:35]]
    assert _rows(tencent_app, phone)[0].status == MessageStatus.SENT
# --- end Every kind of message on a templated provider ---
