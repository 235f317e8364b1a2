"""A bare digit answers the open question asked last (menus.sms._open_question): a pay check
and an interview invitation both open, "1" goes to the one the villager got last."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from menus import sms
from menus.types import (
    AnswerPayCheck,
    AskInterviewSlots,
    Contact,
    InterviewSlot,
    OpenInterview,
    OpenPayCheck,
    Option,
    Profile,
)
from tests.menu_catalog import MenuCatalog

PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang")
ZH = Contact(language="zh", profile=PROFILE)
EARLIER = datetime(2027, 10, 11, 1, 0, tzinfo=UTC)
LATER = EARLIER + timedelta(hours=2)


def _catalog(pay_asked: datetime, interview_asked: datetime) -> MenuCatalog:
    catalog = MenuCatalog(date(2027, 10, 11))
    catalog.pay_check = OpenPayCheck(7, "2027-09", pay_asked, None, False)
    catalog.interview = OpenInterview(
        5, interview_asked, "invited", Option("job", "电子厂普工", "Factory worker"),
        date(2027, 10, 20), "德党镇政府", (InterviewSlot(1, "09:00", 3),))
    return catalog


def _effects(step) -> list[type]:
    return [type(effect) for effect in step.effects]


def test_a_digit_answers_the_interview_invitation_sent_after_the_pay_check():
    step = sms.handle(None, "1", ZH, _catalog(pay_asked=EARLIER, interview_asked=LATER))
    assert AskInterviewSlots in _effects(step) and AnswerPayCheck not in _effects(step)


def test_a_digit_answers_the_pay_check_sent_after_the_interview_invitation():
    step = sms.handle(None, "1", ZH, _catalog(pay_asked=LATER, interview_asked=EARLIER))
    assert AnswerPayCheck in _effects(step) and AskInterviewSlots not in _effects(step)
