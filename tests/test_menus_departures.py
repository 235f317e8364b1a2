"""The pure SMS answers after confirmation: YES/NO, FAMILY, check-in numbers (no gateway)."""

from __future__ import annotations

from datetime import datetime

import pytest

from menus import sms
from menus.budget import SMS_REPLY_MAX_SEGMENTS, sms_segments
from menus.types import (
    AnswerCheckIn,
    AnswerDeparture,
    Contact,
    Departure,
    OpenCheckIn,
    Option,
    Profile,
    SetFamily,
)
from tests.menu_catalog import MenuCatalog

PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang")
ZH = Contact(language="zh", profile=PROFILE)
EN = Contact(language="en", profile=PROFILE)
DEPARTURE = Departure(7, 12, Option("12", "电子厂普工", "Factory worker"),
                      datetime(2025, 7, 1, 6, 30), "临翔客运站")


def _catalog(departure=None, checkin=None):
    catalog = MenuCatalog()
    catalog.departure, catalog.checkin = departure, checkin
    return catalog


@pytest.mark.parametrize(("text", "going"), [("YES", True), ("yes", True), ("是", True),
                                             ("NO", False), ("否", False)])
def test_yes_and_no_answer_the_pending_departure(text, going):
    """The answer becomes an AnswerDeparture naming the departure; the reply names the time
    (and, for those going, the place)."""
    step = sms.handle(None, text, ZH, _catalog(DEPARTURE))
    assert step.effects == (AnswerDeparture(7, going),)
    assert "7月1日 06:30" in step.screen and ("临翔客运站" in step.screen) == going


def test_yes_without_a_departure_explains_and_changes_nothing():
    step = sms.handle(None, "YES", EN, _catalog())
    assert step.effects == () and step.screen.startswith("You have no departure to confirm")


def test_yes_from_an_unregistered_phone_asks_to_register():
    step = sms.handle(None, "YES", Contact(language="en"), _catalog(DEPARTURE))
    assert step.effects == () and step.screen.startswith("Please register first")


@pytest.mark.parametrize(("text", "number"), [("1", 1), ("2", 2), (" 3 ", 3)])
def test_numbers_answer_an_open_checkin(text, number):
    step = sms.handle(None, text, EN, _catalog(checkin=OpenCheckIn(5, True)))
    assert step.effects == (AnswerCheckIn(5, number),)


def test_a_number_without_an_open_checkin_is_not_understood():
    step = sms.handle(None, "2", EN, _catalog())
    assert step.effects == () and step.screen.startswith("Sorry, we did not understand")


def test_a_registration_under_way_takes_the_number_first():
    """A phone answering the registration's sex question with 2 is not answering a check-in."""
    state = {"flow": "register", "lang": "en", "ask": "sex", "draft": {"name": "Li"}}
    step = sms.handle(state, "2", Contact(language="en"), _catalog(checkin=OpenCheckIn(5, True)))
    assert step.state["draft"]["sex"] == "f" and step.effects == ()


@pytest.mark.parametrize(("text", "effects", "start"), [
    ("FAMILY 13912345678", (SetFamily("+8613912345678"),), "Family contact: +8613912345678"),
    ("family off", (SetFamily(None),), "Your family contact is removed"),
    ("FAMILY", (), "To name a family member"),
    ("家人 13912345678", (SetFamily("+8613912345678"),), "Family contact"),
])
def test_family_names_or_removes_the_contact(text, effects, start):
    step = sms.handle(None, text, EN, _catalog())
    assert step.effects == effects and step.screen.startswith(start)


@pytest.mark.parametrize("contact", [ZH, EN])
@pytest.mark.parametrize("text", ["YES", "NO", "FAMILY", "FAMILY 1", "FAMILY OFF", "1", "2",
                                  "3"])
def test_every_reply_fits_the_budget(contact, text):
    step = sms.handle(None, text, contact, _catalog(DEPARTURE, OpenCheckIn(5, False)))
    assert 1 <= sms_segments(step.screen) <= SMS_REPLY_MAX_SEGMENTS
