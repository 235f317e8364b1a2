"""Personal data on request and over time: DELETE/注销 then YES by SMS, or an officer's
erasure by the API; the retention job. Rows stay, what identifies goes, the figures keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy import select

from smsgateway import jobcontext
from smsgateway.config import local_today
from smsgateway.db import utcnow
from smsgateway.followup.cases import open_case
from smsgateway.messaging.outbox import add_message
from smsgateway.models import (
    Case,
    CaseEvent,
    Contact,
    FamilyContact,
    InboundMessage,
    Message,
    MessageStatus,
    Villager,
    WechatLink,
)
from smsgateway.services import services
from smsgateway.villagers import family
from smsgateway.villagers.erasure import placeholder
from workers.retention import purge

from .api import account, registered_villager
from .conftest import run_worker
from .console import console_account, form_token, sign_in
from .sign import twilio_post, twilio_sms

FAMILY = "+8613700009999"
_ACCOUNTS = count()


def _with_personal_data(app, n) -> tuple[str, int]:
    """A registered villager with a family contact, a WeChat link, a case with its text and
    an outbound message still queued; returns (phone, villager id)."""
    phone = registered_villager(app, n)
    with services(app).sessions.begin() as db:
        villager = db.scalars(select(Villager).join(Contact).where(Contact.phone == phone)).one()
        family.name(db, villager, FAMILY, "console", "zh")  # texts the family their name
        db.add(WechatLink(openid=f"openid-{n}", contact_id=villager.contact_id))
        case = open_case(db, villager, "wages_unpaid", f"老板欠村民{n}三个月工资", False,
                         via="sms", channel="console")
        db.add(CaseEvent(case_id=case.id, action="note", note="电话联系了村民"))
        add_message(db, villager.contact, f"村民{n}，培训通知", kind="broadcast", channel="console")
        return phone, villager.id


def _report(app) -> dict:
    month = local_today(app.config).strftime("%Y-%m")
    response = app.test_client().get(f"/api/v1/reports/monthly?area=yongde&month={month}",
                                     headers=account(app, f"admin-{next(_ACCOUNTS)}", "admin"))
    assert response.status_code == 200, response.json
    return response.json


def _assert_erased(app, phone, villager_id, by_sms=False) -> None:
    """Every identifying value is gone; the villager was told once; nothing else was sent."""
    gone = placeholder(villager_id)
    with services(app).sessions() as db:
        villager = db.get_one(Villager, villager_id)
        assert villager.name == "-" and villager.contact.phone == gone
        assert villager.contact.opted_out and villager.contact.opted_out_reason == "erased"
        assert db.scalars(select(Contact).where(Contact.phone == phone)).first() is None
        assert db.scalars(select(FamilyContact).where(
            FamilyContact.villager_id == villager_id)).first() is None
        [told_family] = db.scalars(select(Message).join(Contact).where(
            Contact.phone == FAMILY)).all()
        assert (told_family.kind, told_family.body, told_family.template) == ("family", "", None)
        assert db.scalars(select(WechatLink).where(
            WechatLink.contact_id == villager.contact_id)).first() is None
        [case] = db.scalars(select(Case).where(Case.villager_id == villager_id)).all()
        assert case.description == "" and all(e.note is None for e in case.events)
        inbound = db.scalars(select(InboundMessage).where(InboundMessage.phone.in_(
            [phone, gone]))).all()
        assert all(m.body == "" and m.reply is None for m in inbound)
        assert all(m.phone == gone for m in inbound)
        messages = db.scalars(select(Message).where(
            Message.contact_id == villager.contact_id).order_by(Message.id)).all()
        [farewell] = [m for m in messages if m.kind == "erased"]
        assert farewell is messages[-1] and farewell.status == MessageStatus.SENT
        assert farewell.answer is by_sms  # an answer to their YES: never held till morning
        assert farewell.body.startswith("您的个人信息已从临沧务工平台删除")
        assert farewell.phone == phone  # sent to the phone it had; the purge replaces it
        others = [m for m in messages if m is not farewell]
        assert others and all(m.body == "" and m.template is None and m.phone == gone
                              for m in others)
        notice = next(m for m in others if m.kind == "broadcast")  # queued before: never sent
        assert (notice.status, notice.error_code) == (MessageStatus.FAILED, "opted_out")
        assert add_message(db, villager.contact, "x", kind="broadcast", channel="console") is None
        assert [m.body for m in db.scalars(select(Message).where(Message.phone == phone))] == [
            farewell.body]


def test_a_villager_erases_themselves_by_delete_then_yes(app):
    phone, villager_id = _with_personal_data(app, 1)
    before = _report(app)
    client = app.test_client()
    asked = twilio_post(client, "/sms/twilio", twilio_sms("SM-del", phone, "注销"))
    assert "10分钟内回复 是 确认" in asked.get_data(as_text=True)
    with services(app).sessions() as db:  # asking changes nothing
        assert db.get_one(Villager, villager_id).name == "村民1"
    done = twilio_post(client, "/sms/twilio", twilio_sms("SM-yes", phone, "是"))
    assert "<Message>" not in done.get_data(as_text=True)  # the farewell goes by the outbox
    run_worker(app)
    _assert_erased(app, phone, villager_id, by_sms=True)
    assert _report(app) == before
    assert services(app).redis.get(f"sms:conversation:{phone}") is None


def test_anything_but_yes_cancels_the_erasure(app):
    phone, villager_id = _with_personal_data(app, 2)
    client = app.test_client()
    twilio_post(client, "/sms/twilio", twilio_sms("SM-del", phone, "DELETE"))
    twilio_post(client, "/sms/twilio", twilio_sms("SM-no", phone, "JOBS"))
    twilio_post(client, "/sms/twilio", twilio_sms("SM-yes", phone, "YES"))
    with services(app).sessions() as db:
        villager = db.get_one(Villager, villager_id)
        assert (villager.name, villager.contact.phone) == ("村民2", phone)
    assert services(app).redis.ttl(f"sms:conversation:{phone}") <= 600


def test_the_confirmation_waits_ten_minutes_only(app):
    phone, _ = _with_personal_data(app, 3)
    twilio_post(app.test_client(), "/sms/twilio", twilio_sms("SM-del", phone, "DELETE"))
    assert 590 <= services(app).redis.ttl(f"sms:conversation:{phone}") <= 600


def test_an_officer_erases_a_villager_on_request(app):
    phone, villager_id = _with_personal_data(app, 4)
    twilio_post(app.test_client(), "/sms/twilio", twilio_sms("SM-in", phone, "JOBS"))
    before = _report(app)
    officer = account(app, "yongde-officer", "officer", area="yongde")
    response = app.test_client().post(f"/api/v1/villagers/{villager_id}/erase",
                                      headers=officer)
    assert response.status_code == 200, response.json
    assert (response.json["name"], response.json["phone"]) == ("-", placeholder(villager_id))
    run_worker(app)
    _assert_erased(app, phone, villager_id)
    assert _report(app) == before
    again = app.test_client().post(f"/api/v1/villagers/{villager_id}/erase", headers=officer)
    assert again.status_code == 409
    run_worker(app)
    with services(app).sessions() as db:  # told once, however often the officer clicks
        assert len(db.scalars(select(Message).where(Message.kind == "erased")).all()) == 1


def test_an_officer_of_another_county_gets_404_and_nothing_changes(app):
    phone, villager_id = _with_personal_data(app, 5)
    elsewhere = account(app, "fengqing-officer", "officer", area="fengqing")
    response = app.test_client().post(f"/api/v1/villagers/{villager_id}/erase",
                                      headers=elsewhere)
    assert response.status_code == 404
    with services(app).sessions() as db:
        villager = db.get_one(Villager, villager_id)
        assert (villager.name, villager.contact.phone) == ("村民5", phone)
        assert db.scalars(select(Message).where(Message.kind == "erased")).first() is None


def test_the_retention_job_blanks_inbound_bodies_older_than_retention_days(app):
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the frozen clock
    with services(app).sessions.begin() as db:
        for sid, days in (("old", 181), ("edge", 179), ("new", 1)):
            db.add(InboundMessage(gateway="twilio", provider_message_id=sid, phone="+8613900000001",
                                  body=f"body {sid}", reply=f"reply {sid}",
                                  received_at=now - timedelta(days=days)))
    jobcontext.install(app)
    assert purge(now=now)["inbound"] == 1
    assert purge(now=now)["inbound"] == 0  # a second run finds nothing left
    with services(app).sessions() as db:
        kept = {m.provider_message_id: (m.body, m.reply)
                for m in db.scalars(select(InboundMessage))}
    assert kept == {"old": ("", None), "edge": ("body edge", "reply edge"),
                    "new": ("body new", "reply new")}


def test_the_retention_job_replaces_the_phone_on_a_sent_farewell(app):
    phone, villager_id = _with_personal_data(app, 6)
    officer = account(app, "yongde-officer-6", "officer", area="yongde")
    app.test_client().post(f"/api/v1/villagers/{villager_id}/erase", headers=officer)
    run_worker(app)
    jobcontext.install(app)
    assert purge(now=utcnow())["farewells"] == 1
    with services(app).sessions() as db:
        assert db.scalars(select(Message).where(Message.phone == phone)).first() is None


def test_the_console_erases_only_once_the_officer_ticks_the_confirmation(app):
    phone, villager_id = _with_personal_data(app, 7)
    console_account(app, "yongde-console", "officer", area="yongde")
    client = app.test_client()
    sign_in(client, "yongde-console")
    page = f"/console/villagers/{villager_id}"
    token = form_token(client, page)
    profile = client.get(page).get_data(as_text=True)
    assert profile.count("本人已提出注销要求，我确认删除") == 1  # one form, in the page's body
    assert profile.index("<h1>") < profile.index('name="confirm"')
    unticked = client.post(f"{page}/erase", data={"csrf_token": token}, follow_redirects=True)
    assert "请先勾选确认，才能注销。" in unticked.get_data(as_text=True)
    with services(app).sessions() as db:
        assert db.get_one(Villager, villager_id).contact.phone == phone
    done = client.post(f"{page}/erase", data={"csrf_token": token, "confirm": "yes"},
                       follow_redirects=True)
    shown = done.get_data(as_text=True)
    assert "已注销，已发送短信告知本人。" in shown and "已注销：个人信息已删除" in shown
    assert "本人已提出注销要求" not in shown and "村民7" not in shown
    run_worker(app)
    _assert_erased(app, phone, villager_id)
