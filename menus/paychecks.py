"""Answers to the monthly pay check: 1 paid in full, 2 in part, 3 not at all; after 2 or 3,
the amount missing in yuan (1200, 1,200, ¥1200, 1200元, full-width digits). By SMS, or
by USSD at no cost to the worker: a dial with a pay check unanswered shows it first
(`SCREENS`).

`answer` takes the villager's text (already `clean`ed) and returns the reply and its
effects, or None when the text is not for the pay check (no pay check, or a text that is
neither one of its digits nor, while the amount is awaited, a number). A second answer to
an answered check gets "already noted", never a second case. `menus.sms` asks it only when
no conversation is under way, before the departures' and check-ins' answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from menus.flow import Reply, Screen, goto, instead, language, return_to
from menus.texts import t
from menus.types import (
    AnswerPayCheck,
    Catalog,
    Contact,
    Effect,
    OpenPayCheck,
    PayCheckAmount,
    State,
)
from menus.validate import Invalid, choice

Answer = tuple[str, tuple[Effect, ...]]

DIGITS = {"1": "full", "2": "part", "3": "none"}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
MAX_AMOUNT = 1_000_000  # yuan: more than any month's wage; a longer number is a typo
_AMOUNT = re.compile(r"^(?:¥|RMB)?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?:元|块|块钱|YUAN|RMB)?$",
                     re.IGNORECASE)


def month_text(period: str, lang: str) -> str:
    """A pay check's month as a villager reads it: "10月", "October"."""
    month = int(period[5:7])
    return f"{month}月" if lang == "zh" else MONTHS_EN[month - 1]


def parse_amount(text: str) -> int | None:
    """Yuan from what a villager typed, or None when it is not one amount above 0."""
    entry = unicodedata.normalize("NFKC", text).replace("￥", "¥").strip()
    found = _AMOUNT.match(entry)
    if found is None:
        return None
    amount = int(found.group("n").replace(",", ""))
    return amount if 0 < amount <= MAX_AMOUNT else None


def answer(text: str, lang: str, contact: Contact, catalog: Catalog) -> Answer | None:
    """The reply to a pay check's digit or amount, or None when `text` is neither."""
    if contact.profile is None:
        return None
    check = catalog.open_pay_check()
    if check is None:
        return None
    month = month_text(check.period, lang)
    if text in DIGITS:
        return _digit(check, DIGITS[text], month, lang)
    if check.awaiting_amount and any(ch.isdigit() for ch in text):
        amount = parse_amount(text)
        if amount is None:
            return t(lang, "sms_pay_amount_bad"), ()
        return (t(lang, "sms_pay_amount_noted", amount=amount, month=month,
                  number=check.case_id or ""),
                (PayCheckAmount(check.id, amount),))
    return None


def _digit(check: OpenPayCheck, said: str, month: str, lang: str) -> Answer:
    """A first answer is recorded; a later one is told it is already noted."""
    if check.awaiting_amount:
        return t(lang, "sms_pay_ask_amount_again", month=month), ()
    if check.answer is not None:
        return t(lang, "sms_pay_already", month=month), ()
    key = "sms_pay_full" if said == "full" else "sms_pay_ask_amount"
    return t(lang, key, month=month), (AnswerPayCheck(check.id, said),)


# USSD: a worker whose pay check waits for an answer sees it first when they dial in.


def waiting(catalog: Catalog) -> bool:
    """True when the caller's pay check waits for its 1/2/3 or for the amount missing."""
    check = catalog.open_pay_check()
    return check is not None and (check.answer is None or check.awaiting_amount)


def enter(state: State, catalog: Catalog) -> None:
    """Show the waiting question: the digits, or the amount when 2 or 3 came already."""
    check = catalog.open_pay_check()
    if check is not None:
        state["pay_check"], state["pay_month"] = check.id, check.period
        goto(state, "pay_amount" if check.awaiting_amount else "pay_check")


def _waiting_check(state: State, catalog: Catalog) -> OpenPayCheck | None:
    """The pay check this session shows, while it still waits (else None)."""
    check = catalog.open_pay_check()
    if check is None or check.id != state.get("pay_check"):
        return None
    return check if check.answer is None or check.awaiting_amount else None


def _asking(key: str) -> Callable[[State, Catalog], str]:
    """A screen that asks `key`'s question of the waiting check; the menu once it was
    answered meanwhile (by SMS)."""
    def render(state: State, catalog: Catalog) -> str:
        lang = language(state)
        if _waiting_check(state, catalog) is None:
            return t(lang, "menu")
        return t(lang, key, month=month_text(state["pay_month"], lang))
    return render


def answer_question(state: State, entry: str, catalog: Catalog) -> Reply:
    """1 is recorded and ends; 2 or 3 is recorded and asks the amount missing."""
    check = _waiting_check(state, catalog)
    if check is None or check.answer is not None:
        return_to(state, "menu")
        return Reply()
    number = choice(entry)
    said = DIGITS.get(str(number)) if number is not None else None
    if said is None:
        raise Invalid("retry")
    # the question is answered: "0" from the amount goes to the menu, not back to it
    instead(state, "pay_full" if said == "full" else "pay_amount")
    return Reply((AnswerPayCheck(check.id, said),))


def answer_amount(state: State, entry: str, catalog: Catalog) -> Reply:
    """A number in yuan is recorded on the wage case and ends; anything else is retried."""
    if _waiting_check(state, catalog) is None:  # given meanwhile (by SMS)
        return_to(state, "menu")
        return Reply()
    amount = parse_amount(entry)
    if amount is None:
        raise Invalid("ussd_pay_amount_bad")
    state["pay_amount"] = amount
    goto(state, "pay_noted")
    return Reply((PayCheckAmount(state["pay_check"], amount),))


def render_full(state: State, catalog: Catalog) -> str:
    lang = language(state)
    return t(lang, "sms_pay_full", month=month_text(state["pay_month"], lang))


def render_noted(state: State, catalog: Catalog) -> str:
    """The amount noted; the wage case's number when it is known (it also comes by SMS)."""
    lang, check = language(state), catalog.open_pay_check()
    month = month_text(state["pay_month"], lang)
    if check is not None and check.id == state["pay_check"] and check.case_id:
        return t(lang, "sms_pay_amount_noted", amount=state["pay_amount"], month=month,
                 number=check.case_id)
    return t(lang, "ussd_pay_amount_noted", amount=state["pay_amount"], month=month)


def has_what_it_shows(state: State) -> bool:
    """True when the state holds the pay check and month its screens show."""
    return (isinstance(state.get("pay_check"), int) and isinstance(state.get("pay_month"), str)
            and _PERIOD.match(state["pay_month"]) is not None
            and (state["screen"] != "pay_noted" or isinstance(state.get("pay_amount"), int)))


_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

SCREENS: dict[str, Screen] = {
    "pay_check": Screen(_asking("ussd_pay_check"), answer_question),  # 1 full 2 part 3 none
    "pay_amount": Screen(_asking("ussd_pay_amount"), answer_amount),  # how much is missing?
    "pay_full": Screen(render_full, lambda s, e, c: Reply(), end=True),
    "pay_noted": Screen(render_noted, lambda s, e, c: Reply(), end=True),
}
