"""The arrival's promise questions as pure SMS steps: which digit answers what, the effect,
and every reply within its cap (English one GSM-7 segment, Chinese two)."""

from __future__ import annotations

from datetime import datetime

import pytest

from menus import sms
from menus.budget import is_gsm, sms_segments
from menus.types import AnswerCheckIn, AnswerPromise, Contact, OpenCheckIn, OpenPromise, Profile
from tests.menu_catalog import MenuCatalog

PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang")
ASKED = datetime(2026, 3, 4, 10, 0)


def _catalog(promise=None, checkin=None):
    catalog = MenuCatalog()
    catalog.promise, catalog.checkin = promise, checkin
    return catalog


def _within_cap(text, lang):
    return is_gsm(text) and sms_segments(text) == 1 if lang == "en" else sms_segments(text) <= 2


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("question", "job_kept", "text", "effect"), [
    ("job", None, "1", AnswerPromise(9, "job", True)),
    ("job", None, "2", AnswerPromise(9, "job", False)),
    ("pay", True, "1", AnswerPromise(9, "pay", True)),
    ("pay", True, "2", AnswerPromise(9, "pay", False)),
    ("pay", False, "1", AnswerPromise(9, "pay", True)),
    ("job", None, "7", None),  # another digit: the question again, nothing recorded
    (None, True, "2", None),  # already answered: "already noted"
])
def test_a_digit_answers_the_open_promise_question_within_the_cap(
        lang, question, job_kept, text, effect):
    contact = Contact(language=lang, profile=PROFILE)
    step = sms.handle(None, text, contact, _catalog(OpenPromise(9, question, ASKED, job_kept)))
    assert step.effects == ((effect,) if effect else ())
    assert _within_cap(step.screen, lang), step.screen


def test_the_replies_say_what_comes_next():
    """Yes to the job asks the wage; a no anywhere ends with the case; all yes with thanks."""
    en = Contact(language="en", profile=PROFILE)

    def reply(question, job_kept, text):
        return sms.handle(None, text, en,
                          _catalog(OpenPromise(9, question, ASKED, job_kept))).screen

    assert reply("job", None, "1").startswith("Are the wage and the hours")
    assert "case number" in reply("job", None, "2") and "wage" in reply("job", None, "2")
    assert "case number" in reply("pay", False, "1")  # the job was not as described
    assert "keep their word" in reply("pay", True, "1")
    assert reply(None, True, "1").startswith("Your answer is already noted")


def test_without_an_open_promise_the_digit_goes_to_the_checkin():
    """No promise check open: "1" answers the arrival check-in with the first question."""
    step = sms.handle(None, "1", Contact(language="en", profile=PROFILE),
                      _catalog(checkin=OpenCheckIn(5, True)))
    assert step.effects == (AnswerCheckIn(5, 1),)
    assert step.screen.endswith("Is the job the one the posting described? Reply 1 yes, 2 no.")


def test_an_unregistered_phone_and_a_registration_under_way_are_not_asked():
    """A phone not registered, or one answering the registration's questions, keeps its
    digits for what it is doing."""
    promise = OpenPromise(9, "job", ASKED)
    step = sms.handle(None, "1", Contact(language="en"), _catalog(promise))
    assert step.effects == ()
    state = {"flow": "register", "lang": "en", "ask": "sex", "draft": {"name": "Li"}}
    step = sms.handle(state, "2", Contact(language="en"), _catalog(promise))
    assert step.state["draft"]["sex"] == "f" and step.effects == ()
