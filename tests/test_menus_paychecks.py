"""The pay check's SMS answers (menus.paychecks) and when a month is asked
(followup.paychecks.due_period): pure tables, no database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from menus import sms, ussd
from menus.budget import fits_ussd, is_gsm, sms_segments
from menus.paychecks import MAX_AMOUNT, parse_amount
from menus.texts import t
from menus.types import (
    AnswerPayCheck,
    Contact,
    InterviewSlot,
    OpenInterview,
    OpenPayCheck,
    Option,
    PayCheckAmount,
    Profile,
)
from smsgateway.followup.paychecks import due_period
from tests.menu_catalog import MenuCatalog, walk_ussd

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


# --- By USSD: a dial shows the waiting pay check first; answering costs the worker nothing ---


def _after_answer(check: OpenPayCheck, said: str) -> OpenPayCheck:
    """The check as the next step reads it, once its answer was recorded (case 12)."""
    return dataclasses.replace(check, answer=said, awaiting_amount=said != "full",
                               case_id=None if said == "full" else 12)


@pytest.mark.parametrize("contact", [ZH, EN])
def test_a_dial_shows_the_pay_check_and_1_ends_with_thanks(contact):
    catalog = _catalog(OPEN)
    first = walk_ussd([], contact, catalog)
    assert ("9月" if contact is ZH else "September") in first.screen and not first.end
    done = walk_ussd(["1"], contact, catalog)
    assert done.end and done.effects == (AnswerPayCheck(7, "full"),)
    assert ("全额发放" if contact is ZH else "paid in full") in done.screen


def test_2_then_the_amount_records_both_and_names_the_wage_case():
    catalog = _catalog(OPEN)
    asked = walk_ussd(["2"], EN, catalog)
    assert asked.effects == (AnswerPayCheck(7, "part"),) and not asked.end
    assert "How much is missing?" in asked.screen
    catalog.pay_check = _after_answer(OPEN, "part")  # the effect was applied
    wrong = ussd.step(asked.state, "about 1200", catalog)
    assert wrong.effects == () and wrong.screen.startswith("Enter a number, e.g. 1200\n")
    noted = ussd.step(wrong.state, "1,200", catalog)
    assert noted.end and noted.effects == (PayCheckAmount(7, 1200),)
    assert "1200 yuan missing for September, in wage case 12" in noted.screen


def test_a_pay_check_waiting_for_its_amount_asks_the_amount_on_dial_and_0_is_the_menu():
    catalog = _catalog(AWAITING)
    first = walk_ussd([], ZH, catalog)
    assert "少发了多少钱" in first.screen
    menu = ussd.step(first.state, "0", catalog)
    assert menu.screen.startswith("临沧务工\n1 找工作") and menu.effects == ()


def test_0_after_answering_2_goes_to_the_menu_not_back_to_the_question():
    catalog = _catalog(OPEN)
    asked = walk_ussd(["3"], EN, catalog)
    catalog.pay_check = _after_answer(OPEN, "none")
    assert ussd.step(asked.state, "0", catalog).screen.startswith("Jobline\n1 ")


@pytest.mark.parametrize("check", [None, dataclasses.replace(OPEN, answer="full"),
                                   dataclasses.replace(AWAITING, awaiting_amount=False)])
def test_no_waiting_pay_check_dials_into_the_menu(check):
    assert walk_ussd([], EN, _catalog(check)).screen.startswith("Jobline\n1 ")


def test_a_digit_out_of_range_is_retried_and_records_nothing():
    step = walk_ussd(["4"], EN, _catalog(OPEN))
    assert step.effects == () and step.screen.startswith("Invalid choice.\n")
    assert "Were you paid for September?" in step.screen


def test_answered_by_sms_meanwhile_the_session_goes_to_the_menu_without_a_second_answer():
    catalog = _catalog(OPEN)
    shown = walk_ussd([], EN, catalog)
    catalog.pay_check = dataclasses.replace(OPEN, answer="full")  # by SMS, between the steps
    step = ussd.step(shown.state, "3", catalog)
    assert step.effects == () and step.screen.startswith("Jobline\n1 ")


def test_an_interview_invitation_is_shown_before_the_pay_check():
    catalog = _catalog(OPEN)
    catalog.interview = OpenInterview(
        5, ASKED, "invited", Option("job", "电子厂普工", "Factory worker"), date(2027, 10, 20),
        "德党镇政府", (InterviewSlot(1, "09:00", 3),))
    assert "Factory worker" in walk_ussd([], EN, catalog).screen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pay_check_screens_fit_at_their_longest(lang):
    """The longest month, the largest amount and a 64-bit case number, with the widest
    retry line on top of the screens that take an answer."""
    catalog = _catalog(dataclasses.replace(OPEN, period="2027-09" if lang == "en" else "2027-12"))
    contact = ZH if lang == "zh" else EN
    asked = walk_ussd(["3"], contact, catalog)
    assert fits_ussd(f"{t(lang, 'retry')}\n{walk_ussd([], contact, catalog).screen}")
    catalog.pay_check = dataclasses.replace(_after_answer(catalog.pay_check, "none"),
                                            case_id=2**63 - 1)
    assert fits_ussd(f"{t(lang, 'ussd_pay_amount_bad')}\n{asked.screen}")
    noted = ussd.step(asked.state, str(MAX_AMOUNT), catalog)
    assert noted.end and str(2**63 - 1) in noted.screen and fits_ussd(noted.screen)
    catalog.pay_check = dataclasses.replace(catalog.pay_check, case_id=None)  # not known yet
    assert fits_ussd(ussd.step(asked.state, str(MAX_AMOUNT), catalog).screen)
    if lang == "en":
        assert all(is_gsm(c) for c in noted.screen + asked.screen)
