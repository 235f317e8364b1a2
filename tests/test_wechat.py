"""WeChat Official Account: requests signed as WeChat signs them (plain and encrypted mode),
linking by a code sent by SMS, a registration and a job application through /wechat."""

from __future__ import annotations

import hashlib
import re
import time
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from sqlalchemy import select
from wechatpy.crypto import WeChatCrypto

from smsgateway.models import (
    Application,
    Contact,
    InboundMessage,
    Message,
    Villager,
    WechatLink,
)
from smsgateway.services import services

from .api import account, agency, published

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
