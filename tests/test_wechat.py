"""WeChat Official Account: requests signed as WeChat signs them (plain and encrypted mode),
linking by a code sent by SMS, a registration and a job application through /wechat."""

from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rq import Worker
from sqlalchemy import select
from wechatpy.crypto import WeChatCrypto
from werkzeug import Response

from smsgateway.messaging.outbox import add_message
from smsgateway.models import (
    Application,
    Contact,
    InboundMessage,
    Message,
    MessageStatus,
    Villager,
    WechatLink,
)
from smsgateway.services import QUEUE_NAMES, services
from smsgateway.villagers.records import contact_for

from .api import account, agency, published
from .conftest import run_worker

TOKEN = "jobline-wechat-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
APP_ID = "wx0123456789abcdef"
OFFICIAL = "gh_0123456789ab"


def signature(timestamp, nonce, token=TOKEN):
    """WeChat's `signature`: SHA-1 of token, timestamp and nonce sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def text_xml(openid, content, msg_id):
    return (f"<xml><ToUserName><![CDATA[{OFFICIAL}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def event_xml(openid, event):
    return (f"<xml><ToUserName><![CDATA[{OFFICIAL}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event></xml>")


class Follower:
    """A WeChat user writing to the Official Account; WeChat signs (and maybe encrypts)."""

    def __init__(self, client, openid, encrypted=False):
        self.client, self.openid, self.encrypted = client, openid, encrypted
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        self.sent = 0

    def post(self, xml, sign=signature):
        timestamp, nonce = str(int(time.time())), f"n{self.sent}"
        query = {"signature": sign(timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "openid": self.openid}
        if self.encrypted:
            envelope = self.crypto.encrypt_message(xml, nonce, timestamp)
            query.update(encrypt_type="aes", msg_signature=_field(envelope, "MsgSignature"))
            xml = envelope
        response = self.client.post(f"/wechat?{urlencode(query)}", data=xml.encode(),
                                    content_type="text/xml")
        if self.encrypted and response.status_code == 200 and response.data != b"success":
            body = response.get_data(as_text=True)
            plain = self.crypto.decrypt_message(body, _field(body, "MsgSignature"),
                                                _field(body, "TimeStamp"), _field(body, "Nonce"))
            return response.status_code, plain
        return response.status_code, response.get_data(as_text=True)

    def say(self, content):
        """Send a text; the passive reply's text ("" when WeChat is told `success`)."""
        self.sent += 1
        status, body = self.post(text_xml(self.openid, content, 6200000000000000000 + self.sent))
        assert status == 200, body
        if body == "success":
            return ""
        assert _field(body, "ToUserName") == self.openid
        assert _field(body, "FromUserName") == OFFICIAL
        return _field(body, "Content")


def _field(xml, name):
    return ElementTree.fromstring(xml).findtext(name)


@pytest.fixture
def wechat_app(app_factory):
    return app_factory(WECHAT_TOKEN=TOKEN, WECHAT_AES_KEY=AES_KEY, WECHAT_APP_ID=APP_ID)


def _code_texted_to(app, phone):
    with services(app).sessions() as db:
        bodies = db.scalars(select(Message.body).where(Message.phone == phone,
                                                       Message.kind == "wechat_code"))
        return re.search(r"\d{6}", list(bodies)[-1]).group()


def _link(app, follower, phone):
    assert "手机号码" in follower.post(event_xml(follower.openid, "subscribe"))[1]
    assert "code" in follower.say(phone.removeprefix("+86"))
    assert "不对" in follower.say("000000" if _code_texted_to(app, phone) != "000000" else "1")
    assert phone in follower.say(_code_texted_to(app, phone))


def test_the_server_check_echoes_only_a_signed_echostr(wechat_app):
    """`GET /wechat` with WeChat's signature answers `echostr`; a forged one is 403."""
    client = wechat_app.test_client()
    good = {"signature": signature("1764529200", "42"), "timestamp": "1764529200",
            "nonce": "42", "echostr": "5838479218127813673"}
    answer = client.get(f"/wechat?{urlencode(good)}")
    assert answer.status_code == 200 and answer.get_data(as_text=True) == "5838479218127813673"
    assert client.get(f"/wechat?{urlencode({**good, 'nonce': '43'})}").status_code == 403


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_follower_links_registers_and_applies_through_wechat(wechat_app, encrypted):
    """Subscribe, link by the SMS code, register by the questions, then JOBS and APPLY: the
    replies come back as passive replies; one villager, one application."""
    app, client = wechat_app, wechat_app.test_client()
    officer = account(app, "officer", "officer", area="yongde")
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))
    posting_id = published(app, client, head, officer)
    follower, phone = Follower(client, "oWX_follower_1", encrypted), "+8613800138071"
    _link(app, follower, phone)

    assert "姓名" in follower.say("注册")
    for answer in ["王芳", "2", "1999", "德党镇"]:
        assert follower.say(answer)
    assert "愿意" in follower.say("3")  # the skills question: 3 is factory work
    assert follower.say("1") == ""  # the confirmation goes by SMS, through the outbox
    with services(app).sessions() as db:
        [villager] = db.scalars(select(Villager)).all()
        assert (villager.name, villager.contact.phone) == ("王芳", phone)
        outbox = select(Message.kind).where(Message.phone == phone, Message.channel != "wechat")
        assert db.scalars(outbox).all() == ["wechat_code", "registration"]
        passive = select(Message.kind).where(Message.channel == "wechat")
        assert set(db.scalars(passive)) == {"reply"}  # kept as sent, like TwiML's

    assert f"{posting_id} " in follower.say("工作")
    applied = follower.say(f"申请 {posting_id}")
    assert "电子厂普工" in applied
    with services(app).sessions() as db:
        [application] = db.scalars(select(Application)).all()
        assert application.villager.contact.phone == phone
        assert db.scalars(select(InboundMessage.gateway)).all() == ["wechat"] * 9


def test_a_repeated_message_is_answered_once_and_unsubscribe_stops_wechat_only(wechat_app):
    """WeChat retries a message it got no answer to: same MsgId, kept once, same reply.
    Unsubscribing marks the link, nothing else (SMS consent stays)."""
    app, client = wechat_app, wechat_app.test_client()
    follower, phone = Follower(client, "oWX_follower_2"), "+8613800138072"
    _link(app, follower, phone)
    xml = text_xml(follower.openid, "帮助", 6300000000000000001)
    first, again = follower.post(xml), follower.post(xml)
    assert first[0] == again[0] == 200
    assert _field(first[1], "Content") == _field(again[1], "Content")
    assert "注册" in _field(first[1], "Content")
    assert follower.post(event_xml(follower.openid, "unsubscribe")) == (200, "success")
    with services(app).sessions() as db:
        assert len(db.scalars(select(InboundMessage)).all()) == 1
        [link] = db.scalars(select(WechatLink)).all()
        assert not link.subscribed and link.contact.phone == phone
        assert not db.scalars(select(Contact)).one().opted_out


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_forged_signature_gets_403_and_stores_nothing(wechat_app, encrypted):
    """Signed with another token (or, encrypted, a message signature that does not match):
    403, no code texted, no message kept, no link."""
    app, client = wechat_app, wechat_app.test_client()
    follower = Follower(client, "oWX_forger", encrypted)
    forged = lambda timestamp, nonce: signature(timestamp, nonce, token="not-ours")  # noqa: E731
    status, _ = follower.post(text_xml(follower.openid, "13800138073", 1), sign=forged)
    assert status == 403
    if encrypted:
        other = WeChatCrypto("not-ours", AES_KEY, APP_ID)
        timestamp, nonce = str(int(time.time())), "n9"
        envelope = other.encrypt_message(text_xml(follower.openid, "13800138073", 2), nonce,
                                         timestamp)
        query = {"signature": signature(timestamp, nonce), "timestamp": timestamp,
                 "nonce": nonce, "encrypt_type": "aes",
                 "msg_signature": _field(envelope, "MsgSignature")}
        assert client.post(f"/wechat?{urlencode(query)}", data=envelope.encode(),
                           content_type="text/xml").status_code == 403
    with services(app).sessions() as db:
        assert db.scalars(select(Message)).all() == []
        assert db.scalars(select(InboundMessage)).all() == []
        assert db.scalars(select(WechatLink)).all() == []


# --- WeChat customer-service messages within 48 hours (issue 14) ---

LOCAL = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def wechat_cs(app_factory, httpserver):
    """WeChat with customer-service messages on, wechatpy's client at the local server."""
    httpserver.expect_request("/cgi-bin/token", method="GET").respond_with_json(
        {"access_token": "ACCESS_TOKEN_1", "expires_in": 7200})
    return app_factory(WECHAT_TOKEN=TOKEN, WECHAT_AES_KEY=AES_KEY, WECHAT_APP_ID=APP_ID,
                       WECHAT_APP_SECRET="app-secret", PROVIDER_TIMEOUT=10.0,
                       WECHAT_API_BASE=httpserver.url_for("/cgi-bin/"), QUIET_HOURS="21-8")


def _custom_send_answers(httpserver, answer):
    httpserver.expect_request("/cgi-bin/message/custom/send", method="POST",
                              query_string={"access_token": "ACCESS_TOKEN_1"}
                              ).respond_with_handler(answer)


def _ok(request):
    return Response(json.dumps({"errcode": 0, "errmsg": "ok"}), content_type="application/json")


def _notify(app, phone, body, kind="broadcast", answer=False):
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == phone)).one()
        return add_message(db, contact, body, kind=kind, channel="console", answer=answer).id


def _row(app, message_id):
    with services(app).sessions() as db:
        row = db.get_one(Message, message_id)
        return row.status, row.channel, row.error_code, row.provider_message_id


def _sent_by_wechat(httpserver):
    return [json.loads(request.get_data()) for request, _ in httpserver.log
            if request.path == "/cgi-bin/message/custom/send"]


def _linked(app, phone, openid, seen):
    with services(app).sessions.begin() as db:
        contact = contact_for(db, phone)
        db.add(WechatLink(openid=openid, contact=contact, last_seen_at=seen, linked_at=seen))


def test_a_notification_to_a_follower_who_wrote_within_48_hours_goes_by_wechat(wechat_cs,
                                                                              httpserver):
    """Linked by writing on WeChat: a notification goes as a customer-service text (not by
    SMS); 49 hours after their last message it goes by SMS; once they write again, by WeChat
    again. An answer to an SMS they sent, and the opt-out confirmation, stay SMS."""
    _custom_send_answers(httpserver, _ok)
    app, phone = wechat_cs, "+8613800138091"
    follower = Follower(app.test_client(), "o6_bmjrPTlm6_2sgVt7hMZOPfL91")
    _link(app, follower, phone)
    first = _notify(app, phone, "明天上午九点在德党镇政府开会")
    run_worker(app)
    assert _row(app, first) == (MessageStatus.SENT, "wechat", None, f"wechat-cs-{first}")
    assert _sent_by_wechat(httpserver) == [{"touser": follower.openid, "msgtype": "text",
                                            "text": {"content": "明天上午九点在德党镇政府开会"}}]
    with services(app).sessions.begin() as db:
        link = db.scalars(select(WechatLink)).one()
        link.last_seen_at = link.last_seen_at - timedelta(hours=49)
    late = _notify(app, phone, "后天上午九点开会")
    answer = _notify(app, phone, "收到", kind="reply", answer=True)
    stop = _notify(app, phone, "您已退订", kind="opt_out")
    run_worker(app)
    for message_id in (late, answer, stop):
        assert _row(app, message_id)[:2] == (MessageStatus.SENT, "console")
    assert len(_sent_by_wechat(httpserver)) == 1
    assert follower.say("帮助")  # wrote again: the window opens again
    again = _notify(app, phone, "培训下周一开始")
    run_worker(app)
    assert _row(app, again)[:2] == (MessageStatus.SENT, "wechat")
    assert len(_sent_by_wechat(httpserver)) == 2


@pytest.mark.parametrize(("answer", "expected"), [
    # WeChat refused (outside its window after all): nothing sent, so by SMS
    (lambda request: Response(json.dumps({"errcode": 45015, "errmsg": "response out of time "
                                          "limit or subscription is canceled"}),
                              content_type="application/json"),
     (MessageStatus.SENT, "console", None)),
    # an error answer after the request left: WeChat may have it, so nothing more is sent
    (lambda request: Response("upstream error", status=502),
     (MessageStatus.FAILED, "console", "interrupted")),
])
def test_wechat_refusing_sends_by_sms_and_an_unknown_outcome_sends_nothing_more(
        wechat_cs, httpserver, answer, expected):
    """At most once: a refusal falls back to SMS; an answer that leaves WeChat's outcome
    unknown fails the row `interrupted`, never sent again by SMS."""
    _custom_send_answers(httpserver, answer)
    phone = "+8613800138092"
    _linked(wechat_cs, phone, "o6_refused", datetime.now(UTC) - timedelta(hours=1))
    message_id = _notify(wechat_cs, phone, "明天开会")
    run_worker(wechat_cs)
    assert _row(wechat_cs, message_id)[:3] == expected
    assert len(_sent_by_wechat(httpserver)) == 1
    run_worker(wechat_cs)
    assert len(_sent_by_wechat(httpserver)) == 1


def test_without_a_connection_to_wechat_the_notification_goes_by_sms(app_factory):
    """WeChat unreachable (nothing listens): the access token cannot be had, so by SMS."""
    app = app_factory(WECHAT_TOKEN=TOKEN, WECHAT_APP_ID=APP_ID, WECHAT_APP_SECRET="s",
                      PROVIDER_TIMEOUT=1.0, WECHAT_API_BASE="http://127.0.0.1:9/cgi-bin/")
    _linked(app, "+8613800138093", "o6_offline", datetime.now(UTC))
    message_id = _notify(app, "+8613800138093", "明天开会")
    run_worker(app)
    assert _row(app, message_id)[:2] == (MessageStatus.SENT, "console")


def test_a_wechat_notification_written_at_night_waits_for_eight_and_goes_once(wechat_cs,
                                                                             httpserver):
    """22:00 local, the follower wrote at 21:30: nothing goes in the quiet hours; at 08:00
    the customer-service message goes once, and not again later."""
    _custom_send_answers(httpserver, _ok)
    svc = services(wechat_cs)

    def work() -> None:
        Worker([svc.queue(n) for n in QUEUE_NAMES], connection=svc.redis).work(
            burst=True, with_scheduler=True)

    with time_machine.travel(datetime(2027, 3, 2, 22, 0, tzinfo=LOCAL), tick=False) as clock:
        _linked(wechat_cs, "+8613800138094", "o6_night",
                datetime(2027, 3, 2, 21, 30, tzinfo=LOCAL))
        message_id = _notify(wechat_cs, "+8613800138094", "明早八点集合")
        work()
        assert _sent_by_wechat(httpserver) == []
        clock.move_to(datetime(2027, 3, 3, 8, 0, tzinfo=LOCAL))
        work()
        clock.move_to(datetime(2027, 3, 3, 8, 30, tzinfo=LOCAL))
        work()
    assert [m["touser"] for m in _sent_by_wechat(httpserver)] == ["o6_night"]
    assert _row(wechat_cs, message_id)[:2] == (MessageStatus.SENT, "wechat")
# --- end WeChat customer-service messages ---
