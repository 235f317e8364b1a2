"""The pay check's SMS answers (menus.paychecks) and when a month is asked
(followup.paychecks.due_period): pure tables, no database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from menus import sms
from menus.budget import is_gsm, sms_segments
from menus.paychecks import parse_amount
from menus.types import AnswerPayCheck, Contact, OpenPayCheck, PayCheckAmount, Profile
from smsgateway.followup.paychecks import due_period
from tests.menu_catalog import MenuCatalog

PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang")
ZH, EN = Contact(language="zh", profile=PROFILE), Contact(language="en", profile=PROFILE)
ASKED = datetime(2027, 10, 11, 0, 1, tzinfo=UTC)
OPEN = OpenPayCheck(7, "2027-09", ASKED, None, False)
AWAITING = OpenPayCheck(7, "2027-09", ASKED, "part", True, case_id=12)


def _catalog(check: OpenPayCheck | None) -> MenuCatalog:
    catalog = MenuCatalog(date(2027, 10, 11))
    catalog.pay_check = check
    return catalog


@pytest.mark.parametrize(("text", "amount"), [
    ("1200", 1200), ("1,200", 1200), ("¥1200", 1200), ("￥1,200", 1200), ("1200元", 1200),
    ("１２００", 1200), ("１，２００元", 1200), ("RMB 1200", 1200), ("1200 yuan", 1200),
    ("1200块", 1200), ("0", None), ("12,00", None), ("1200-1500", None), ("about 1200", None),
    ("1200.5", None), ("99999999", None), ("", None)])
def test_the_amount_missing_is_read_in_the_ways_villagers_write_it(text, amount):
    """Digits with thousands commas, a yuan sign or word, full-width: one amount above 0."""
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("today", "pay_day", "period", "paid_in"), [
    (date(2027, 10, 11), 10, "2027-09", date(2027, 10, 1)),  # the day after the pay day
    (date(2027, 10, 10), 10, "2027-08", date(2027, 9, 1)),  # the pay day itself: not yet
    (date(2027, 10, 1), 10, "2027-08", date(2027, 9, 1)),
    (date(2027, 1, 20), 15, "2026-12", date(2027, 1, 1)),  # across the year
    (date(2027, 12, 1), 31, "2027-10", date(2027, 11, 1)),  # 31 in November is the 30th
    (date(2027, 11, 30), 31, "2027-09", date(2027, 10, 1)),
])
def test_the_month_asked_is_the_latest_whose_pay_day_has_passed(today, pay_day, period,
                                                                 paid_in):
    """Pay day 10 in October pays September: asked from the 11th."""
    assert due_period(today, pay_day) == (period, paid_in)


@pytest.mark.parametrize(("contact", "text", "effect", "words"), [
    (ZH, "1", AnswerPayCheck(7, "full"), "全额发放"),
    (ZH, "１", AnswerPayCheck(7, "full"), "全额发放"),
    (ZH, "2", AnswerPayCheck(7, "part"), "少发了多少钱"),
    (EN, "3", AnswerPayCheck(7, "none"), "How much is missing?"),
])
def test_a_digit_answers_the_open_pay_check(contact, text, effect, words):
    """1, 2 or 3 is recorded, and the reply says what happens next."""
    reply = sms.handle(None, text, contact, _catalog(OPEN))
    assert reply.effects == (effect,) and words in reply.screen and reply.state == {}


@pytest.mark.parametrize(("check", "text", "effects", "words"), [
    (dataclasses.replace(OPEN, answer="full"), "1", (), "already noted"),
    (dataclasses.replace(OPEN, answer="none"), "3", (), "already noted"),
    (AWAITING, "2", (), "How much is missing?"),
    (AWAITING, "1,500", (PayCheckAmount(7, 1500),), "1500 yuan missing for September"),
    (AWAITING, "15OO", (), "as a number"),
])
def test_a_late_repeat_or_an_amount_is_understood(check, text, effects, words):
    """A second answer is "already noted" (no effect, so no second case); after 2 or 3 a
    number is the amount, a bad one gets a line saying how to write it."""
    reply = sms.handle(None, text, EN, _catalog(check))
    assert reply.effects == effects and words in reply.screen, reply.screen


@pytest.mark.parametrize("check", [None, OPEN])
def test_other_texts_are_not_the_pay_checks(check):
    """With no pay check a digit is not ours; a word is never ours (JOBS still works)."""
    assert "Sorry" in sms.handle(None, "2", EN, _catalog(None)).screen
    assert not any(isinstance(e, AnswerPayCheck | PayCheckAmount)
                   for e in sms.handle(None, "JOBS", EN, _catalog(check)).effects)


@pytest.mark.parametrize("contact", [ZH, EN])
def test_every_pay_check_reply_is_one_segment(contact):
    """Each reply in each language fits one SMS (English in GSM-7)."""
    for check, text in [(OPEN, "1"), (OPEN, "2"), (AWAITING, "999999"), (AWAITING, "x9"),
                        (dataclasses.replace(OPEN, answer="full"), "1"), (AWAITING, "3")]:
        screen = sms.handle(None, text, contact, _catalog(check)).screen
        assert sms_segments(screen) == 1, screen
        assert contact is ZH or is_gsm(screen), screen
