"""SMS answers to the monthly pay check: 1 paid in full, 2 in part, 3 not at all; after
2 or 3, the amount missing in yuan (1200, 1,200, ¥1200, 1200元, full-width digits).

`answer` takes the villager's text (already `clean`ed) and returns the reply and its
effects, or None when the text is not for the pay check (no pay check, or a text that is
neither one of its digits nor, while the amount is awaited, a number). A second answer to
an answered check gets "already noted", never a second case. `menus.sms` asks it only when
no conversation is under way, before the departures' and check-ins' answers.
"""

from __future__ import annotations

import re
import unicodedata

from menus.texts import t
from menus.types import AnswerPayCheck, Catalog, Contact, Effect, OpenPayCheck, PayCheckAmount

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
