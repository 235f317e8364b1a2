"""Officers can see that a villager opted out, when and why: the API's villager record and the
console's profile, for STOP, Twilio's 21610 and Africa's Talking's UserInBlackList."""

from __future__ import annotations

from datetime import datetime
from itertools import count

import pytest
from sqlalchemy import select

from smsgateway.messaging.outbox import add_message
from smsgateway.models import Contact, Villager
from smsgateway.services import services

from . import providers
from .api import account, registered_villager
from .conftest import run_worker
from .console import console_account, form_token, sign_in
from .sign import twilio_post, twilio_sms

_ACCOUNTS = count()


def _villager(app, phone) -> tuple[int, dict]:
    with services(app).sessions() as db:
        villager_id = db.scalar(select(Villager.id).join(Contact).where(Contact.phone == phone))
    shown = app.test_client().get(f"/api/v1/villagers/{villager_id}",
                                  headers=account(app, f"admin-{next(_ACCOUNTS)}", "admin"))
    assert shown.status_code == 200, shown.json
    return villager_id, shown.json


def _profile_page(app, villager_id) -> str:
    console_account(app, "yongde-officer", "officer", area="yongde")
    client = app.test_client()
    sign_in(client, "yongde-officer")
    return client.get(f"/console/villagers/{villager_id}").get_data(as_text=True)


def test_stop_shows_as_opted_out_by_keyword_and_start_clears_it(app):
    phone = registered_villager(app, 1)
    _, before = _villager(app, phone)
    assert (before["opted_out"], before["opted_out_at"], before["opted_out_reason"]) == (
        False, None, None)
    twilio_post(app.test_client(), "/sms/twilio", twilio_sms("SM1", phone, "STOP"))
    villager_id, shown = _villager(app, phone)
    assert shown["opted_out"] is True and shown["opted_out_reason"] == "keyword"
    assert datetime.fromisoformat(shown["opted_out_at"])
    assert "已退订：本人发送了退订指令（STOP）" in _profile_page(app, villager_id)
    twilio_post(app.test_client(), "/sms/twilio", twilio_sms("SM2", phone, "START"))
    _, after = _villager(app, phone)
    assert (after["opted_out"], after["opted_out_reason"]) == (False, None)


@pytest.mark.parametrize("provider, handler, reason", [
    ("twilio", providers.twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"),
     "21610"),
    ("africastalking", providers.at_answer("UserInBlackList", 406), "UserInBlackList"),
])
def test_a_carriers_refusal_shows_as_opted_out_with_its_code(app_factory, httpserver, provider,
                                                            handler, reason):
    httpserver.expect_request(providers.TWILIO_MESSAGES if provider == "twilio"
                              else providers.AT_MESSAGING, method="POST"
                              ).respond_with_handler(handler)
    base = httpserver.url_for("/").rstrip("/")
    app = app_factory(SMS_PROVIDER=provider, TWILIO_API_BASE=base, AT_API_BASE=base,
                      AT_USERNAME="sandbox", AT_API_KEY="key")
    phone = registered_villager(app, 2)
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == phone)).one()
        add_message(db, contact, "培训通知", kind="broadcast", channel=provider)
    run_worker(app)
    villager_id, shown = _villager(app, phone)
    assert (shown["opted_out"], shown["opted_out_reason"]) == (True, reason)
    assert shown["opted_out_at"] is not None
    assert f"已退订：运营商拒收（代码 {reason}）" in _profile_page(app, villager_id)


def test_a_broadcast_preview_counts_who_is_left_out_and_why(app):
    """Of five villagers the filter picks: one texted STOP, one's carrier blocks us (21610),
    one registered without consent to SMS: the preview reaches two and says why not three,
    in the API and in the console's composer."""
    phones = [registered_villager(app, n) for n in range(5)]
    with services(app).sessions.begin() as db:
        contacts = {c.phone: c for c in db.scalars(select(Contact))}
        stop, carrier, no_consent = (contacts[p] for p in phones[:3])
        stop.opted_out, stop.opted_out_reason = True, "keyword"
        carrier.opted_out, carrier.opted_out_reason = True, "21610"
        no_consent.villager.sms_consent = False
    officer = account(app, "yongde-sender", "officer", area="yongde")
    preview = app.test_client().post("/api/v1/broadcasts/preview", headers=officer,
                                     json={"text_zh": "明天上午9点在德党镇集合。"})
    assert preview.status_code == 200, preview.json
    assert preview.json["recipients"] == 2
    assert preview.json["excluded"] == {"keyword": 1, "21610": 1, "no_sms_consent": 1}
    console_account(app, "yongde-console", "officer", area="yongde")
    client = app.test_client()
    sign_in(client, "yongde-console")
    token = form_token(client, "/console/broadcasts")
    shown = client.post("/console/broadcasts/preview",
                        data={"csrf_token": token, "text_zh": "明天上午9点在德党镇集合。"})
    assert shown.json["excluded"] == preview.json["excluded"]
    page = client.get("/console/broadcasts").get_data(as_text=True)
    assert 'data-keyword="本人退订"' in page and 'data-no_sms_consent="未同意短信"' in page
