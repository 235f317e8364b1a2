"""The whole path of a posting: agency → officer → alerts → villagers by USSD and SMS → agency.

Every SMS goes through the outbox and a real RQ worker to a local Twilio-like server.
"""

from __future__ import annotations

from sqlalchemy import select

from menus.budget import sms_segments
from menus.types import Profile
from smsgateway.models import Message, MessageStatus, Posting
from smsgateway.services import services
from smsgateway.villagers.records import contact_for, register

from . import providers
from .api import account, agency, employer, posting_body
from .conftest import run_worker
from .phone import UssdPhone
from .sign import twilio_post, twilio_sms

USSD_VILLAGER, SMS_VILLAGER, ELSEWHERE = "+8613911110001", "+8613911110002", "+8613911110003"


def _register(app, phone, profile):
    with services(app).sessions.begin() as db:
        register(db, contact_for(db, phone), profile, via="ussd", channel="twilio", notify=False)


def _sent(httpserver):
    """(to, body) of every request the provider got, then forget them."""
    sent = [(r.form["To"], r.form["Body"]) for r, _ in httpserver.log]
    httpserver.clear_log()
    return sent


def test_posting_from_agency_to_confirmed_villagers(twilio_app, httpserver):
    """Create, vet, alert, browse, apply (USSD and SMS), shortlist, confirm: each SMS right."""
    app, client = twilio_app, twilio_app.test_client()
    httpserver.expect_request(providers.TWILIO_MESSAGES, method="POST").respond_with_handler(
        providers.twilio_created())
    _register(app, USSD_VILLAGER, Profile("李秀英", "f", 2001, "yongde", "yongde.dedang",
                                          ("factory",), True, True, "zh"))
    _register(app, SMS_VILLAGER, Profile("Ai Lan", "f", 1998, "yongde", "yongde.mengban",
                                         ("catering",), True, True, "en"))
    _register(app, ELSEWHERE, Profile("王强", "m", 1985, "gengma", "gengma.mengding",
                                      ("factory",), True, True, "zh"))
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))
    officer = account(app, "officer", "officer", area="yongde")

    posting = client.post("/api/v1/postings", headers=head,
                          json=posting_body(employer(app), sex="f", positions=2)).json
    published = client.post(f"/api/v1/postings/{posting['id']}/vet", headers=officer,
                            json={"decision": "publish"}).json
    code, job = published["verification_code"], str(posting["id"])

    run_worker(app)  # the alerts fan out in a batch, then are sent
    alerts = dict(_sent(httpserver))
    assert set(alerts) == {USSD_VILLAGER, SMS_VILLAGER}  # Gengma's man: wrong area and sex
    assert code in alerts[USSD_VILLAGER] and "电子厂普工" in alerts[USSD_VILLAGER]
    assert "Electronics factory worker" in alerts[SMS_VILLAGER]
    assert all(sms_segments(text) <= 3 for text in alerts.values())

    phone = UssdPhone(client, USSD_VILLAGER)
    phone.dial()
    phone.choose("找工作")
    assert "电子厂普工" in phone.screen
    phone.press("1")
    while code not in phone.screen:
        phone.press("9")
    phone.press("1")  # register interest
    phone.press("1")  # confirm
    assert "已报名" in phone.screen or "报名" in phone.screen

    reply = twilio_post(client, "/sms/twilio", twilio_sms("SMapply", SMS_VILLAGER, f"APPLY {job}"))
    assert f"{job}" in reply.get_data(as_text=True)

    listing = client.get(f"/api/v1/postings/{job}/applications", headers=head).json
    by_phone = {i["villager_phone"]: i for i in listing["items"]}
    assert set(by_phone) == {USSD_VILLAGER, SMS_VILLAGER}
    assert by_phone[USSD_VILLAGER]["via"] == "ussd" and by_phone[SMS_VILLAGER]["via"] == "sms"

    first, second = by_phone[USSD_VILLAGER]["id"], by_phone[SMS_VILLAGER]["id"]
    client.post(f"/api/v1/applications/{first}/shortlist", headers=head, json={})
    client.post(f"/api/v1/applications/{first}/confirm", headers=head, json={})
    client.post(f"/api/v1/applications/{second}/confirm", headers=head, json={})
    run_worker(app)
    sent = _sent(httpserver)
    to_first = [body for to, body in sent if to == USSD_VILLAGER]
    to_second = [body for to, body in sent if to == SMS_VILLAGER]
    assert len(to_first) == 2 and "入围" in to_first[0] and code in to_first[1]
    assert len(to_second) == 1 and "Electronics factory worker" in to_second[0]

    with services(app).sessions() as db:
        assert db.get(Posting, int(job)).status.value == "filled"
        statuses = {m.status for m in db.scalars(select(Message).where(Message.channel != "twiml"))}
        assert statuses == {MessageStatus.SENT}


def test_verify_answers_for_a_real_a_closed_and_an_unknown_code(twilio_app):
    """VERIFY names the employer of a real posting, warns on a closed one and an unknown one."""
    app, client = twilio_app, twilio_app.test_client()
    head = account(app, "wanxin", "agency", agency_id=agency(app, "Wanxin", "LIC-001"))
    officer = account(app, "officer", "officer", area="yongde")
    codes = []
    for _ in range(2):
        posting = client.post("/api/v1/postings", headers=head,
                              json=posting_body(employer(app))).json
        codes.append(client.post(f"/api/v1/postings/{posting['id']}/vet", headers=officer,
                                 json={"decision": "publish"}).json["verification_code"])
        last = posting["id"]
    client.post(f"/api/v1/postings/{last}/close", headers=head)

    def ask(sid, text):
        return twilio_post(client, "/sms/twilio", twilio_sms(sid, "+8613911110009", text)
                           ).get_data(as_text=True)

    real = ask("SM1", f"VERIFY {codes[0].lower()}")
    assert codes[0] in real and "Wanxin" in real and "Huarong" in real  # English: pinyin
    closed = ask("SM2", f"核实 {codes[1]}")  # the phone chose English with its first message
    assert codes[1] in closed and "closed" in closed
    unknown = ask("SM3", "VERIFY ZZZZZZ")
    assert "ZZZZZZ" in unknown and "12333" in unknown
