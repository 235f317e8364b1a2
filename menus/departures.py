"""SMS after confirmation: a departure's YES/是 and NO/否, the family contact (FAMILY/家人),
and the answers 1, 2, 3 to a check-in.

`answer` takes the villager's text (already `clean`ed) and returns the reply and its
effects, or None when the text is none of these (a number with no open check-in is not
ours: it falls through to "unknown"). `menus.sms` asks it only when no registration is
under way, so the registration's own numbers and yes/no come first.
"""

from __future__ import annotations

import re
from datetime import datetime

from menus.jobtext import MONTHS_EN
from menus.sms_reply import echo
from menus.texts import t
from menus.types import (
    AnswerCheckIn,
    AnswerDeparture,
    Catalog,
    Contact,
    Departure,
    Effect,
    SetFamily,
)

Answer = tuple[str, tuple[Effect, ...]]

YES = frozenset({"YES", "是"})
NO = frozenset({"NO", "否"})
CHECKIN_ANSWERS = {"1": 1, "2": 2, "3": 3}
# The arrival's 1 and 2 are answered with the first promise question (menus.promises).
ARRIVAL_ASKS = {1: "sms_arrival_well", 2: "sms_arrival_problem"}
FAMILY_OFF = frozenset({"OFF", "取消"})
_FAMILY = re.compile(r"^(?P<word>FAMILY|家人)(?:[\s:：]*(?P<arg>.*))?$",
                     re.DOTALL | re.IGNORECASE)


def when_text(when: datetime, lang: str) -> str:
    """A local date and time as a villager reads it: "12月1日 06:30", "1 Dec 06:30"."""
    if lang == "zh":
        return f"{when.month}月{when.day}日 {when:%H:%M}"
    return f"{when.day} {MONTHS_EN[when.month - 1]} {when:%H:%M}"


def answer(text: str, lang: str, contact: Contact, catalog: Catalog) -> Answer | None:
    """The reply to YES/NO, FAMILY or a check-in answer, or None when `text` is none."""
    word = text.upper()
    family = _FAMILY.match(text)
    if family and family.group("arg") and family.start("arg") == family.end("word") \
            and family.group("word").isascii() and family.group("arg")[0] not in "+0123456789":
        family = None  # "FAMILYHOOD": not the keyword
    if word in YES or word in NO or family:
        if contact.profile is None:
            return t(lang, "sms_register_first"), ()
        if family:
            return _family(" ".join((family.group("arg") or "").split()), lang, catalog)
        return _departure(word in YES, lang, catalog)
    if word in CHECKIN_ANSWERS and contact.profile is not None:
        checkin = catalog.open_checkin()
        if checkin is not None:
            number = CHECKIN_ANSWERS[word]
            key = ("sms_checkin_well", "sms_checkin_problem", "sms_checkin_home")[number - 1]
            if checkin.first and number in ARRIVAL_ASKS:  # the promise questions follow
                key = ARRIVAL_ASKS[number]
            return t(lang, key), (AnswerCheckIn(checkin.id, number),)
    return None


def _departure(going: bool, lang: str, catalog: Catalog) -> Answer:
    """Record going / not going for the pending departure, or say there is none."""
    departure = catalog.pending_departure()
    if departure is None:
        return t(lang, "sms_no_departure"), ()
    return departure_reply(departure, going, lang), (AnswerDeparture(departure.id, going),)


def departure_reply(departure: Departure, going: bool, lang: str) -> str:
    """What a villager is told when they answer a departure."""
    key = "sms_departure_going" if going else "sms_departure_not_going"
    return t(lang, key, when=when_text(departure.leaves_at, lang), place=departure.place)


def _family(arg: str, lang: str, catalog: Catalog) -> Answer:
    """FAMILY <phone> names the family contact; FAMILY OFF removes it."""
    if not arg:
        return t(lang, "sms_family_usage"), ()
    if arg.upper() in FAMILY_OFF:
        return t(lang, "sms_family_off"), (SetFamily(None),)
    phone = catalog.family_phone(arg)
    if phone is None:
        return t(lang, "sms_family_bad_phone", text=echo(arg)), ()
    return t(lang, "sms_family_set", phone=phone), (SetFamily(phone),)
