"""The pure SMS answers of cohorts (no gateway): a team leader's TEAM report in its lenient
grammar, and the family's one digit about an unanswered arrival; every new text within the
segment caps at its longest values."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from menus import sms, sms_team
from menus.budget import is_gsm, sms_segments
from menus.texts import CATALOGUES, t
from menus.types import (
    AnswerCheckIn,
    AnswerFamily,
    Contact,
    FamilyQuestion,
    OpenCheckIn,
    Profile,
    ReportTeam,
    TeamLead,
)
from smsgateway.templates import TEMPLATES
from tests.menu_catalog import MenuCatalog

PROFILE = Profile("李明", "m", 1990, "yongde", "yongde.dedang")
ZH = Contact(language="zh", profile=PROFILE)
EN = Contact(language="en", profile=PROFILE)
ASKED = datetime(2027, 3, 15, 2)
OPEN = TeamLead(cohort_id=3, team=12, size=3, asked_at=ASKED, last=None)


def _catalog(teams=(), question=None, checkin=None):
    catalog = MenuCatalog()
    catalog.teams, catalog.question, catalog.checkin = teams, question, checkin
    return catalog


@pytest.mark.parametrize(("text", "parsed"), [
    ("TEAM 12 ok", (12, True, 0, "")),
    ("team 12 OK", (12, True, 0, "")),
    ("TEAM12OK", (12, True, 0, "")),
    ("班组 12 正常", (12, True, 0, "")),
    ("组12正常", (12, True, 0, "")),
    ("班组12 好", (12, True, 0, "")),
    ("ＴＥＡＭ　１２　ｏｋ", (12, True, 0, "")),  # full width
    ("班组　１２　正常。", (12, True, 0, "")),
    ("TEAM #12 0", (12, True, 0, "")),
    ("TEAM 12 2 pay late", (12, False, 2, "pay late")),
    ("班组 12 2 工资晚发", (12, False, 2, "工资晚发")),
    ("班组12：2人 工资晚发", (12, False, 2, "工资晚发")),
    ("组 12 1个 受伤", (12, False, 1, "受伤")),
    ("TEAM 12 2", (12, False, 2, "")),
    ("TEAM 12", "usage"),
    ("TEAM 12 fine today", "usage"),
    ("班组", "usage"),
    ("TEAM", "usage"),
    ("组织活动", None),
    ("JOBS", None),
    ("12 ok", None),
])
def test_the_team_report_grammar_reads_each_spelling(text, parsed):
    """Keyword TEAM/班组/组, the team number, then an OK word or a count and a short text."""
    assert sms_team.parse(text) == parsed


@pytest.mark.parametrize(("text", "contact", "effect", "words"), [
    ("TEAM 12 ok", EN, ReportTeam(3, 12, True, 0, ""), "team 12 all well"),
    ("班组 12 2 工资晚发", ZH, ReportTeam(3, 12, False, 2, "工资晚发"), "第12组2人有问题"),
])
def test_a_leaders_report_answers_the_open_round(text, contact, effect, words):
    step = sms.handle(None, text, contact, _catalog([OPEN]))
    assert step.effects == (effect,) and words in step.screen


def test_a_report_for_a_team_one_does_not_lead_is_refused_with_a_clear_line():
    step = sms.handle(None, "TEAM 7 ok", EN, _catalog([OPEN]))
    assert step.effects == () and step.screen.startswith("You do not lead team 7")


def test_a_count_above_the_teams_size_is_refused_with_the_size():
    step = sms.handle(None, "TEAM 12 4 pay late", EN, _catalog([OPEN]))
    assert step.effects == () and "Team 12 has 3 people" in step.screen


def test_an_unreadable_report_gets_the_usage_line():
    step = sms.handle(None, "TEAM 12 fine today", EN, _catalog([OPEN]))
    assert step.effects == () and "TEAM 12 OK or TEAM 12 2 pay late" in step.screen


def test_the_same_report_again_with_no_round_open_is_already_noted():
    """A repeat of the last report changes nothing; a new one is kept as an extra report."""
    answered = TeamLead(3, 12, 3, None, (False, 2, "工资晚发"))
    again = sms.handle(None, "班组 12 2 工资晚发", ZH, _catalog([answered]))
    assert again.effects == () and "已记录第12组的报告" in again.screen
    new = sms.handle(None, "班组 12 1 受伤", ZH, _catalog([answered]))
    assert new.effects == (ReportTeam(3, 12, False, 1, "受伤"),)


def test_a_team_report_from_an_unregistered_phone_asks_to_register():
    step = sms.handle(None, "TEAM 12 ok", Contact(language="en"), _catalog([OPEN]))
    assert step.effects == () and step.screen.startswith("Please register first")


QUESTION = FamilyQuestion(9, "Ai Lan", ASKED, answered=False, language="en")


@pytest.mark.parametrize(("text", "heard", "words"), [
    ("1", True, "you heard from Ai Lan"), ("2", False, "try to reach Ai Lan"),
    ("２", False, "try to reach Ai Lan")])
def test_the_family_answers_with_one_digit_in_the_questions_language(text, heard, words):
    """The family phone never chose a language: the reply is in the question's."""
    step = sms.handle(None, text, Contact(), _catalog(question=QUESTION))
    assert step.effects == (AnswerFamily(9, heard),) and words in step.screen


def test_a_second_family_answer_is_already_noted():
    answered = FamilyQuestion(9, "Ai Lan", ASKED, answered=True, language="en")
    step = sms.handle(None, "1", Contact(), _catalog(question=answered))
    assert step.effects == () and step.screen.startswith("Already noted")


def test_a_digit_with_no_family_question_goes_on_to_the_check_in():
    step = sms.handle(None, "1", EN, _catalog(checkin=OpenCheckIn(5, True)))
    assert step.effects == (AnswerCheckIn(5, 1),)


COHORT_KEYS = [key for key in CATALOGUES["en"]
               if key.startswith(("sms_leader_", "sms_team_", "sms_family_heard_"))]


@pytest.mark.parametrize("key", COHORT_KEYS)
def test_each_cohort_text_fits_its_segments_at_the_longest_values(key):
    """English: one GSM-7 segment; Chinese: two UCS-2 segments at most, with every value
    as long as the template lets it be (Chinese characters for names and places)."""
    longest = TEMPLATES[key].longest
    for lang, cap in (("en", 1), ("zh", 2)):
        names = set(re.findall(r"\{([a-z_]+)\}", CATALOGUES[lang][key]))
        fill = "W" if lang == "en" else "王"
        values = {name: ("9" * longest.get(name, 3) if name in ("team", "size", "count")
                         else fill * longest.get(name, 35)) for name in names}
        text = t(lang, key, **values)
        assert sms_segments(text) <= cap, (key, lang, sms_segments(text), text)
        if lang == "en":
            assert is_gsm(text), (key, text)
