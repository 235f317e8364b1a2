"""A USSD session cut off mid-registration: Africa's Talking's end-of-session notice, one SMS,
and the SMS conversation that finishes the registration from what was typed in USSD."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import select

from menus.budget import is_gsm
from smsgateway.models import Contact, InboundMessage, Message, Villager
from smsgateway.services import services

from .phone import UssdPhone
from .sign import at_sms

SERVICE = "*384*1234#"


def ussd_event(session_id, phone, status, text="", service=SERVICE):
    """Africa's Talking's end-of-session notification, as its documentation lists it."""
    return {"sessionId": session_id, "serviceCode": service, "networkCode": "46000",
            "phoneNumber": phone, "status": status, "input": text.rsplit("*", 1)[-1],
            "date": "2026-11-30 19:10:05", "durationInMillis": "41200", "cost": "CNY 0.0500",
            "lastAppResponse": "CON What is your year of birth?", "hopsCount": "6",
            "errorMessage": "" if status == "Success" else "USER_TIMEOUT"}


def _post_event(client, form, query=""):
    return client.post(f"/ussd/events{query}", data=urlencode(form),
                       content_type="application/x-www-form-urlencoded")


def _messages(app, phone):
    with services(app).sessions() as db:
        rows = db.scalars(select(Message).where(Message.phone == phone).order_by(Message.id))
        return [(m.kind, m.body) for m in rows]


def _villagers(app, phone):
    with services(app).sessions() as db:
        query = select(Villager).join(Contact).where(Contact.phone == phone)
        return [(v.name, v.sex.value, v.birth_year, v.township.code,
                 sorted(s.skill_code for s in v.skills), v.outside_province, v.registered_via)
                for v in db.scalars(query)]


def _text(client, phone, n, body):
    response = client.post("/sms/africastalking", data=at_sms(f"at-{n}", phone, body))
    assert response.status_code == 200


def _half_registered_in_english(client, number):
    phone = UssdPhone(client, number)
    phone.dial()
    phone.choose("English")
    phone.choose("Register")
    phone.press("Ai Lan")
    phone.choose("Female")
    phone.press("1998")
    phone.choose("Cangyuan County")
    phone.choose("Banlao Township")
    assert "skills" in phone.screen.lower()  # the signal drops on the skills screen
    return phone


def test_registration_cut_off_in_ussd_is_finished_by_sms(app):
    """Dropped on the skills screen: one SMS (a repeated notice sends no second), `1` asks
    only skills and outside work, and the villager is registered once with the USSD answers."""
    client, number = app.test_client(), "+8613800138051"
    phone = _half_registered_in_english(client, number)
    session_id = f"{number}-{phone.sessions}"
    event = ussd_event(session_id, number, "Incomplete", "*".join(phone.history))
    assert _post_event(client, event).status_code == 200
    assert _post_event(client, event).status_code == 200  # Africa's Talking repeats itself

    [(kind, body)] = _messages(app, number)
    assert kind == "ussd_dropped"
    assert "registration is kept" in body and SERVICE in body and "reply 1" in body
    assert is_gsm(body)

    _text(client, number, 1, "1")
    _kind, asked = _messages(app, number)[-1]
    assert asked.startswith("Your skills?")  # name, sex, year and township are not asked again
    _text(client, number, 2, "0")
    assert "outside Yunnan" in _messages(app, number)[-1][1]
    _text(client, number, 3, "2")

    assert _villagers(app, number) == [
        ("Ai Lan", "f", 1998, "cangyuan.banlao", [], False, "sms")]
    assert _messages(app, number)[-1][0] == "registration"
    assert "Ai Lan" in _messages(app, number)[-1][1]
    _text(client, number, 4, "1")  # a late `1` registers nobody twice
    assert _messages(app, number)[-1][0] == "reply"
    assert len(_villagers(app, number)) == 1
    # A redial no longer offers to resume the registration the SMS finished.
    redial = UssdPhone(client, number)
    redial.sessions = phone.sessions
    assert "cut off" not in redial.dial()


def test_the_registration_kept_resumes_when_the_villager_dials_again(app):
    """The notice keeps the resume snapshot past its five minutes; a redial continues."""
    client, number = app.test_client(), "+8613800138052"
    phone = _half_registered_in_english(client, number)
    form = ussd_event(f"{number}-{phone.sessions}", number, "Incomplete")
    _post_event(client, form)
    assert services(app).redis.ttl(f"ussd:resume:{number}") > 3600
    assert "cut off" in phone.dial()
    phone.choose("Continue where you were")
    assert "skills" in phone.screen.lower()
    phone.choose("Done")
    phone.choose("No")
    phone.choose("Yes")
    phone.choose("Confirm")
    assert phone.ended
    _text(client, number, 1, "1")  # the SMS offer, answered after the USSD registered them
    assert "already registered" in _messages(app, number)[-1][1]
    assert _villagers(app, number) == [
        ("Ai Lan", "f", 1998, "cangyuan.banlao", [], False, "ussd")]


def test_a_chinese_registration_cut_off_gets_the_chinese_sms(app):
    """The SMS is in the language chosen in the session; typed answers survive into SMS."""
    client, number = app.test_client(), "+8613800138053"
    phone = UssdPhone(client, number)
    phone.dial()
    phone.choose("中文")
    phone.choose("注册")
    phone.press("李*明")
    _post_event(client, ussd_event(f"{number}-{phone.sessions}", number, "Incomplete"))
    [(kind, body)] = _messages(app, number)
    assert kind == "ussd_dropped" and "回复 1" in body and SERVICE in body
    _text(client, number, 1, "1")
    assert "性别" in _messages(app, number)[-1][1]  # the name is kept: sex comes next
    for n, answer in enumerate(["1", "1990", "勐库镇", "0", "1"], start=2):
        _text(client, number, n, answer)
    assert _villagers(app, number) == [
        ("李*明", "m", 1990, "shuangjiang.mengku", [], True, "sms")]


def test_a_profile_edit_cut_off_says_the_saved_changes_are_kept(app):
    """An edit cut off: the edit SMS (no `reply 1`), and no SMS conversation begins."""
    client, number = app.test_client(), "+8613800138054"
    _text(client, number, 1, "REG Li Ming, M, 1990, Boshang")
    phone = UssdPhone(client, number)
    phone.dial()
    phone.choose("My profile")
    phone.press("1")  # edit the name: the screen asks for it, and the signal drops
    _post_event(client, ussd_event(f"{number}-{phone.sessions}", number, "Incomplete"))
    kind, body = _messages(app, number)[-1]
    assert kind == "ussd_dropped" and "changes you saved are kept" in body
    assert "reply 1" not in body
    assert services(app).redis.get(f"sms:conversation:{number}") is None


def test_sessions_that_ended_well_or_outside_registration_send_nothing(app):
    """`Success`, a session in the main menu, an unknown session: no SMS, nothing kept."""
    client = app.test_client()
    registering = _half_registered_in_english(client, "+8613800138055")
    _post_event(client, ussd_event(f"+8613800138055-{registering.sessions}", "+8613800138055",
                                   "Success"))
    _text(client, "+8613800138056", 1, "REG Li Ming, M, 1990, Boshang")
    browsing = UssdPhone(client, "+8613800138056")
    browsing.dial()
    _post_event(client, ussd_event("+8613800138056-1", "+8613800138056", "Incomplete"))
    assert _post_event(client, ussd_event("nobody", "+8613800138057", "Incomplete")
                       ).status_code == 200
    assert _messages(app, "+8613800138055") == []
    assert [kind for kind, _ in _messages(app, "+8613800138056")] == ["registration"]
    assert _messages(app, "+8613800138057") == []


def test_a_notice_without_the_token_or_its_fields_is_refused_and_changes_nothing(app_factory):
    """Token-checked like /ussd (403); a notice lacking a field or a phone number is a 400."""
    app = app_factory(AT_CALLBACK_TOKEN="s3cret")
    client, number = app.test_client(), "+8613800138058"
    phone = UssdPhone(client, number)
    phone.client = _WithToken(client)
    phone.dial()
    phone.choose("English")
    phone.choose("Register")
    event = ussd_event(f"{number}-{phone.sessions}", number, "Incomplete")
    assert _post_event(client, event).status_code == 403
    assert _post_event(client, event, "?token=wrong").status_code == 403
    assert _post_event(client, {**event, "status": ""}, "?token=s3cret").status_code == 400
    assert _post_event(client, {**event, "phoneNumber": "x"}, "?token=s3cret").status_code == 400
    assert _messages(app, number) == []
    with services(app).sessions() as db:
        assert db.scalars(select(InboundMessage)).all() == []
    assert _post_event(client, event, "?token=s3cret").status_code == 200
    assert [kind for kind, _ in _messages(app, number)] == ["ussd_dropped"]


class _WithToken:
    """The test client, posting to /ussd with the token Africa's Talking is given."""

    def __init__(self, client):
        self.client = client

    def post(self, path, **kwargs):
        return self.client.post(f"{path}?token=s3cret", **kwargs)
