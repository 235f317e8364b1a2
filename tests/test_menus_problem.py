"""Problem reports in the pure menus: USSD item 4 and SMS PROBLEM / 投诉."""

from __future__ import annotations

from datetime import date

import pytest

from menus import problem, sms, sms_problem, ussd
from menus.budget import fits_ussd, sms_segments
from menus.texts import t
from menus.types import (
    CASE_CATEGORIES,
    DESCRIPTION_MAX,
    Contact,
    Profile,
    ReportProblem,
    SetLanguage,
)
from smsgateway.followup.cases import MAX_DESCRIPTION
from smsgateway.models import CaseCategory
from tests.menu_catalog import MenuCatalog

CATALOG = MenuCatalog(date(2025, 6, 1))
LONG_NAME = "阿卜杜热合曼·买买提艾力江木哈买提江木"


def _contact(lang: str) -> Contact:
    return Contact(language=lang, profile=Profile(LONG_NAME, "f", 1990, "yongde",
                                                  "yongde.dedang", (), True, True, lang))


def _ussd(lang: str, *entries: str):
    step = ussd.begin(_contact(lang), CATALOG)
    for entry in entries:
        step = ussd.step(step.state, entry, CATALOG)
        assert fits_ussd(step.screen), step.screen
    return step


def _sms(contact: Contact, *texts: str):
    step, state = None, None
    for text in texts:
        step = sms.handle(state, text, contact, CATALOG)
        assert sms_segments(step.screen) <= 3, step.screen
        state = step.state
    return step


def test_the_categories_are_the_case_categories_in_order():
    """The menus' numbering is the models' CaseCategory, and the description limits agree."""
    assert CASE_CATEGORIES == tuple(category.value for category in CaseCategory)
    assert DESCRIPTION_MAX == MAX_DESCRIPTION


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ussd_report_walks_category_description_anonymity_and_confirm(lang):
    """4 → category 1 → a description → 1 (anonymous) → 1 Send: one ReportProblem, END."""
    assert t(lang, "case_wages_unpaid") in _ussd(lang, "4").screen
    step = _ussd(lang, "4", "1", "No pay since May", "1")
    assert "No pay since May" in step.screen and t(lang, "case_wages_unpaid") in step.screen
    done = ussd.step(step.state, "1", CATALOG)
    assert done.end and done.state == {}
    assert done.effects == (ReportProblem("wages_unpaid", "No pay since May", True),)
    assert done.screen == t(lang, "problem_sent") and fits_ussd(done.screen)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ussd_odd_answers_are_refused_and_the_question_shown_again(lang):
    """A category of 7, an empty or too long description, a 3 for yes/no: the same screen
    with the reason on top, nothing kept; 0 goes back a screen."""
    seven = _ussd(lang, "4", "7")
    assert seven.state["screen"] == "problem_category"
    assert seven.screen.startswith(t(lang, "problem_category_bad", count=6))
    empty = _ussd(lang, "4", "2", "   ")
    assert empty.state["screen"] == "problem_describe"
    assert empty.screen.startswith(t(lang, "problem_description_empty"))
    long = _ussd(lang, "4", "2", "x" * (problem.USSD_DESCRIPTION_MAX + 1))
    assert long.state["screen"] == "problem_describe" and "description" not in long.state[
        "problem"]
    assert _ussd(lang, "4", "2", "x" * problem.USSD_DESCRIPTION_MAX).state[
        "screen"] == "problem_anonymous"
    three = _ussd(lang, "4", "2", "fee", "3")
    assert three.state["screen"] == "problem_anonymous"
    assert three.screen.startswith(t(lang, "yes_no_bad"))
    assert _ussd(lang, "4", "2", "fee", "0").state["screen"] == "problem_describe"
    refused = _ussd(lang, "4", "2", "fee", "2", "5")
    assert refused.state["screen"] == "problem_confirm" and refused.effects == ()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ussd_confirm_screen_clips_a_long_description_to_fit(lang):
    """The longest description a USSD reply carries still leaves a screen that fits under a
    retry line; the effect carries the whole description."""
    text = ("老板拖欠工资" if lang == "zh" else "The boss has not paid ") * 30
    text = text[: problem.USSD_DESCRIPTION_MAX]
    step = _ussd(lang, "4", "1", text, "2")
    assert fits_ussd(f"{t(lang, 'retry')}\n{step.screen}")
    assert t(lang, "ellipsis") in step.screen
    done = ussd.step(step.state, "1", CATALOG)
    assert done.effects == (ReportProblem("wages_unpaid", " ".join(text.split()), False),)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ussd_the_screen_after_applying_shows_the_number(lang):
    """The gateway's last screen: the case's number, or register first when none opened."""
    assert "42" in problem.reported(lang, [42]) and fits_ussd(problem.reported(lang, [42]))
    assert problem.reported(lang, []) == t(lang, "problem_not_registered")


def test_ussd_a_stored_state_without_the_answers_restarts():
    """A confirm screen whose report lost its description is not trusted: back to the menu."""
    step = _ussd("en", "4", "1", "fee", "1")
    broken = {**step.state, "problem": {"category": "wages_unpaid"}}
    assert ussd.step(broken, "1", CATALOG).state["screen"] == "menu"
    wrong = {**step.state, "problem": {**step.state["problem"], "category": "bribes"}}
    assert ussd.step(wrong, "1", CATALOG).effects == ()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sms_questions_ask_category_description_and_anonymity(lang):
    """PROBLEM, 3, a description, 2: one ReportProblem, not anonymous; an empty reply (the
    case's SMS with its number is the answer)."""
    word = "投诉" if lang == "zh" else "PROBLEM"
    first = _sms(_contact(lang), word)
    assert first.state["ask"] == "category" and t(lang, "case_fees") in first.screen
    done = _sms(_contact(lang), word, "3", "  Agent wants 800 yuan\nfor a health check ", "2")
    assert done.screen == "" and done.state == {}
    assert done.effects == (ReportProblem("fees", "Agent wants 800 yuan for a health check",
                                          False),)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sms_odd_answers_get_a_line_and_the_question_again(lang):
    """A category of 9 or a word, an empty description, a 3 for yes/no: the reason and the
    same question; what was answered is kept."""
    contact = _contact(lang)
    nine = _sms(contact, "PROBLEM", "9")
    assert nine.screen.startswith(t(lang, "problem_category_bad", count=6))
    assert nine.state["ask"] == "category"
    word = _sms(contact, "PROBLEM", "wages")
    assert word.state["ask"] == "category"
    empty = _sms(contact, "PROBLEM", "1", " ")
    assert empty.state["ask"] == "description"
    assert empty.screen.startswith(t(lang, "problem_description_empty"))
    three = _sms(contact, "PROBLEM", "1", "no pay", "3")
    assert three.state == {"flow": "problem", "lang": lang, "ask": "anonymous",
                           "draft": {"category": "wages_unpaid", "description": "no pay"}}
    assert three.screen == f"{t(lang, 'yes_no_bad')}\n{t(lang, 'sms_ask_problem_anonymous')}"


def test_sms_one_line_form_reports_at_once_not_anonymous():
    """PROBLEM 1 text / 投诉 1 text (with or without a space after the number)."""
    for text, expected in (("PROBLEM 1 no pay since May", "no pay since May"),
                           ("投诉 1 五月起没发工资", "五月起没发工资"),
                           ("投诉5被打了", "被打了"), ("problem: 6 other thing", "other thing")):
        step = _sms(_contact("zh"), text)
        category = {"1": "wages_unpaid", "5": "ill_treatment", "6": "other"}[
            next(c for c in text if c.isdigit())]
        assert step.effects == (ReportProblem(category, expected, False),), text
        assert step.state == {}


def test_sms_a_partial_form_keeps_what_was_written_and_asks_the_rest():
    """PROBLEM without a number keeps the words as the description and asks the category;
    PROBLEM 8 words keeps the words and asks the category again; then anonymity."""
    contact = _contact("en")
    words = _sms(contact, "PROBLEM the agency kept my ID card")
    assert words.state["draft"] == {"description": "the agency kept my ID card"}
    assert words.state["ask"] == "category"
    wrong = _sms(contact, "PROBLEM 8 the agency kept my ID card")
    assert wrong.screen.startswith(t("en", "problem_category_bad", count=6))
    assert wrong.state["draft"] == {"description": "the agency kept my ID card"}
    done = _sms(contact, "PROBLEM 8 the agency kept my ID card", "5", "1")
    assert done.effects == (ReportProblem("ill_treatment", "the agency kept my ID card", True),)


def test_sms_a_description_like_a_keyword_is_still_the_description():
    """While the description is awaited, "注册时交了500元押金" is not a registration."""
    done = _sms(_contact("zh"), "投诉", "3", "注册时交了500元押金", "2")
    assert done.effects == (ReportProblem("fees", "注册时交了500元押金", False),)


def test_sms_a_long_description_is_kept_whole_up_to_the_limit():
    """Nothing is clipped to quote it: the description keeps DESCRIPTION_MAX characters."""
    text = "五月起老板没发工资，" * 80
    done = _sms(_contact("zh"), "投诉", "1", text, "2")
    assert done.effects[0].description == text[:DESCRIPTION_MAX]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sms_help_mentions_problem_and_keeps_the_question(lang):
    """HELP names the keyword; inside a report it is followed by the pending question, and
    the report goes on."""
    word = "投诉" if lang == "zh" else "PROBLEM"
    assert word in t(lang, "sms_help")
    started = _sms(_contact(lang), word)
    step = sms.handle(started.state, "HELP", _contact(lang), CATALOG)
    assert step.screen == f"{t(lang, 'sms_help')}\n{sms_problem.question(started.state)}"
    assert step.state == started.state and sms_segments(step.screen) <= 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sms_reply_inside_a_report_fits_three_segments(lang):
    """Every text of the budget walk, sent at each question of a report, gets a reply of 3
    segments at most and a JSON-ready state."""
    import json

    from tests.test_menus_budget import SMS_TEXTS

    word = "投诉" if lang == "zh" else "PROBLEM"
    contact = _contact(lang)
    for answers in ([], ["1"], ["1", "x" * 600]):
        state = _sms(contact, word, *answers).state
        for text in [*SMS_TEXTS, "PROBLEM 1 " + "y" * 1500, "投诉 7 五月起没发工资"]:
            step = sms.handle(state, text, contact, CATALOG)
            assert sms_segments(step.screen) <= 3, step.screen
            json.dumps(step.state)


def test_sms_unregistered_are_told_to_register_first_and_keep_their_registration():
    """A phone with no profile: register first, in the language of its words; a registration
    under way is not lost."""
    new = Contact()
    step = _sms(new, "投诉 1 没发工资")
    assert step.screen == t("zh", "sms_problem_register_first") and step.effects == (
        SetLanguage("zh"),)
    registering = sms.handle(None, "REG", Contact(language="en"), CATALOG).state
    step = sms.handle(registering, "PROBLEM", Contact(language="en"), CATALOG)
    assert step.screen == t("en", "sms_problem_register_first")
    assert step.state == registering


def test_sms_a_broken_stored_report_starts_the_questions_again():
    """A stored report with an unknown category is not trusted."""
    state = {"flow": "problem", "lang": "en", "ask": "anonymous",
             "draft": {"category": "bribes", "description": "x"}}
    step = sms.handle(state, "1", _contact("en"), CATALOG)
    assert step.effects == () and step.state["draft"] == {} and step.state["ask"] == "category"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", ["sms_case_in_progress", "sms_case_resolved", "sms_case_closed"])
def test_status_texts_fit_one_segment_without_a_note(lang, key):
    """The status SMS alone (case number up to 7 digits) is one segment."""
    assert sms_segments(t(lang, key, number=1234567)) == 1
