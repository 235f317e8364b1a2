"""SMS answers to the arrival's promise questions: 1 yes, 2 no (see
`smsgateway.followup.promises` for why they follow the arrival check-in's answer).

`answer` takes the villager's text (already `clean`ed) and returns the reply and its
effects, or None when the text is not a digit for an open promise question (it then falls
through to the check-in and departure answers). Each reply says what comes next: the
second question, or where the answers go.
"""

from __future__ import annotations

from menus.texts import t
from menus.types import AnswerPromise, Catalog, Contact, Effect, OpenPromise

Answer = tuple[str, tuple[Effect, ...]]

YES, NO = "1", "2"
QUESTION_KEYS = {"job": "sms_promise_job_q", "pay": "sms_promise_pay_q"}


def answer(text: str, lang: str, contact: Contact, catalog: Catalog) -> Answer | None:
    """The reply to 1 or 2 while a promise question waits; another digit asks it again."""
    if contact.profile is None or not (len(text) == 1 and text.isdigit()):
        return None
    promise = catalog.open_promise()
    if promise is None:
        return None
    if promise.question is None:
        return (t(lang, "sms_promise_noted"), ()) if text in (YES, NO) else None
    if text not in (YES, NO):
        return t(lang, QUESTION_KEYS[promise.question]), ()
    kept = text == YES
    return _reply(promise, kept, lang), (AnswerPromise(promise.id, promise.question, kept),)


def _reply(promise: OpenPromise, kept: bool, lang: str) -> str:
    """The next question, or the thanks that says where the answers go."""
    if promise.question == "job":
        return t(lang, "sms_promise_pay_q" if kept else "sms_promise_job_no")
    broken = not kept or promise.job_kept is False
    return t(lang, "sms_promise_broken" if broken else "sms_promise_kept")
