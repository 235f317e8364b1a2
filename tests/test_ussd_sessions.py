"""USSD sessions over the gateway: history suffixes, resuming a dropped session, profile edits."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from smsgateway.models import InboundMessage, Message, Villager
from smsgateway.services import services

from .phone import UssdPhone
from .sign import twilio_post, twilio_sms


def _start_registration(phone):
    phone.dial()
    phone.choose("English")
    phone.choose("Register")
    phone.press("Mei*Ling Wu")
    phone.choose("Female")
    phone.press("1996")


def test_a_dropped_session_resumes_where_it_was_within_five_minutes(client, db):
    """Redial after a drop: offered to continue; continuing shows the county screen again."""
    phone = UssdPhone(client, "+8613800138010")
    _start_registration(phone)
    assert "county" in phone.screen.lower()
    phone.dial()  # the network dropped the session; a new sessionId
    assert "1 Continue" in phone.screen
    phone.choose("Continue")
    assert "county" in phone.screen.lower()
    phone.choose("Gengma County")
    phone.choose("Mengding Town")
    phone.choose("Done")
    phone.choose("Yes")
    phone.choose("Yes")
    assert "Mei*Ling Wu" in phone.screen  # the name typed in the first session survived
    phone.choose("Confirm")
    villager = db.scalars(select(Villager)).one()
    assert (villager.name, villager.township.code) == ("Mei*Ling Wu", "gengma.mengding")


def test_resume_offer_expires_with_its_ttl(app, client):
    """After the resume window the redial begins afresh (the snapshot's TTL is 300 s)."""
    phone = UssdPhone(client, "+8613800138011")
    _start_registration(phone)
    redis = services(app).redis
    assert 0 < redis.ttl("ussd:resume:+8613800138011") <= 300
    redis.delete("ussd:resume:+8613800138011")  # what the TTL does after five minutes
    phone.dial()
    assert "Continue" not in phone.screen and "Register" in phone.screen


def test_a_registered_villager_edits_the_profile(client, db):
    """Main menu → My profile → change the year of birth; saved in the database."""
    phone = UssdPhone(client, "+8613800138012")
    _start_registration(phone)
    phone.choose("Linxiang District")
    phone.choose("Boshang Town")
    phone.choose("Done")
    phone.choose("No")
    phone.choose("No")
    phone.choose("Confirm")
    phone.dial()
    assert "My profile" in phone.screen
    phone.choose("My profile")
    while "1996" not in phone.screen:
        phone.press("9")
    line = next(x for x in phone.screen.split("\n") if "1996" in x)
    phone.press(line.split(" ")[0])
    phone.press("1994")
    db.expire_all()
    assert db.scalars(select(Villager)).one().birth_year == 1994
    assert db.scalar(select(func.count()).select_from(Message)) == 0  # no consent, no SMS


def test_concurrent_deliveries_of_one_message_sid_act_once(app):
    """Twilio's retry racing the original: one inbound row and one reply, on any database."""
    form = twilio_sms("SMrace", "+8613800138013", "HELP")
    statuses, barrier = [], threading.Barrier(6)

    def deliver():
        client = app.test_client()
        barrier.wait()
        statuses.append(twilio_post(client, "/sms/twilio", form).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    with services(app).sessions() as db:
        assert db.scalar(select(func.count()).select_from(InboundMessage)) == 1
        assert db.scalar(select(func.count()).select_from(Message)) == 1


def test_repeated_dial_with_a_new_session_keeps_sessions_apart(client):
    """Two phones in two sessions at once do not see each other's state."""
    a, b = UssdPhone(client, "+8613800138014"), UssdPhone(client, "+8613800138015")
    a.dial()
    b.dial()
    a.choose("English")
    assert "English" in b.screen and "Register" not in b.screen
    b.choose("中文")
    assert "Register" in a.screen and "注册" in b.screen


def test_a_confirm_sent_twice_at_once_registers_once(app, db):
    """Africa's Talking retrying the final "1 Confirm" while the first is in flight: one
    villager, one confirmation SMS, the same END screen for both."""
    phone = UssdPhone(app.test_client(), "+8613800138016")
    _start_registration(phone)
    phone.choose("Linxiang District")
    phone.choose("Boshang Town")
    phone.choose("Done")
    phone.choose("Yes")
    phone.choose("Yes")
    text = "*".join([*phone.history, "1"])
    form = {"sessionId": f"{phone.number}-{phone.sessions}", "serviceCode": "*384#",
            "phoneNumber": phone.number, "networkCode": "46000", "text": text}
    barrier, bodies = threading.Barrier(2), []

    def confirm():
        client = app.test_client()
        barrier.wait()
        bodies.append(client.post("/ussd", data=form).get_data(as_text=True))

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert bodies[0] == bodies[1] and bodies[0].startswith("END ")
    assert db.scalar(select(func.count()).select_from(Villager)) == 1
    assert db.scalar(select(func.count()).select_from(Message)) == 1
