"""The family contact's one-digit answer to "Have you heard from <name>?" (asked when a
worker's arrival check-in is unanswered a day after it was sent): 1 yes, 2 no.

`answer` returns the reply and its effects, or None when the text is not 1 or 2 or no such
question was put to the caller lately (`Catalog.family_question`). A second answer to a
question already answered gets "already noted" and changes nothing.
"""

from __future__ import annotations

from menus.texts import t
from menus.types import AnswerFamily, Catalog, Effect
from menus.validate import clean

Answer = tuple[str, tuple[Effect, ...]]

DIGITS = {"1": True, "2": False}  # heard from them; not


def answer(text: str, lang: str, catalog: Catalog) -> Answer | None:
    """The reply to the family's digit and its effect, or None when it is not ours; `lang`
    empty: the phone never chose a language, so the question's is used."""
    heard = DIGITS.get(clean(text))
    if heard is None:
        return None
    question = catalog.family_question()
    if question is None:
        return None
    lang = lang or question.language
    if question.answered:
        return t(lang, "sms_family_heard_already", name=question.name), ()
    key = "sms_family_heard_yes" if heard else "sms_family_heard_no"
    return t(lang, key, name=question.name), (AnswerFamily(question.id, heard),)
