"""An inbound SMS is on record before the conversation acts on it; the apology never lies."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from menus.budget import is_gsm
from menus.texts import t
from smsgateway.conversation import inbound
from smsgateway.models import InboundMessage, Message, Villager

from .sign import twilio_post, twilio_sms

PHONE = "+8613812345678"
REGISTRATION = "注册 李明，男，1990，博尚镇"


def _break_acting(monkeypatch):
    """Fault injection: applying the conversation's effects fails (a bug, a lost database)."""

    def broken(*args, **kwargs):
        raise RuntimeError("acting failed")

    monkeypatch.setattr(inbound, "apply_effects", broken)


def test_a_failure_in_acting_keeps_the_message_and_says_so(client, db, monkeypatch):
    _break_acting(monkeypatch)
    response = twilio_post(client, "/sms/twilio", twilio_sms("SMbroken", PHONE, REGISTRATION))
    assert response.status_code == 200
    apology = t("zh", "sms_apology")
    assert apology in response.get_data(as_text=True) and "已记录" in apology
    db.expire_all()
    kept = db.scalars(select(InboundMessage)).one()
    assert (kept.provider_message_id, kept.phone, kept.body) == ("SMbroken", PHONE, REGISTRATION)
    assert kept.reply == apology  # what a repeat of the webhook answers
    # Nothing of the failed action stayed: no villager, no reply sent.
    assert db.scalar(select(func.count()).select_from(Villager)) == 0
    assert db.scalar(select(func.count()).select_from(Message)) == 0


def test_a_repeat_of_a_message_that_failed_is_answered_the_same_and_kept_once(
        client, db, monkeypatch):
    _break_acting(monkeypatch)
    form = twilio_sms("SMagain", PHONE, "HELP")
    first = twilio_post(client, "/sms/twilio", form).get_data(as_text=True)
    again = twilio_post(client, "/sms/twilio", form).get_data(as_text=True)
    assert first == again and t("zh", "sms_apology") in again
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(InboundMessage)) == 1


@pytest.mark.parametrize("language", ["zh", "en"])
def test_when_even_keeping_fails_the_apology_asks_to_send_again(app_factory, language):
    """The database cannot be reached: nothing is recorded, and the reply does not say it is."""
    client = app_factory(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none",
                         DEFAULT_LANGUAGE=language).test_client()
    response = twilio_post(client, "/sms/twilio", twilio_sms("SMlost", PHONE, "HELP"))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert t(language, "sms_apology_unrecorded") in text
    assert t(language, "sms_apology") not in text


def test_the_apologies_are_gsm7_in_english():
    assert is_gsm(t("en", "sms_apology")) and is_gsm(t("en", "sms_apology_unrecorded"))
