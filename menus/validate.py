"""Reading what a villager typed: names, sex, year of birth, yes or no, menu choices.

The same rules serve USSD screens and SMS questions. A refused answer raises
`Invalid`, whose `reason` is the key of the text that tells the villager why.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from menus.budget import normalise

NAME_MAX = 20
AGE_MIN, AGE_MAX = 16, 60
NAME_PUNCTUATION = frozenset("*-.'·")

_SEXES = {
    "m": frozenset({"1", "男", "男性", "m", "male"}),
    "f": frozenset({"2", "女", "女性", "f", "female"}),
}
_YES = frozenset({"1", "y", "yes", "是", "愿意", "同意", "好"})
_NO = frozenset({"2", "n", "no", "否", "不", "不愿意", "不同意"})


class Invalid(ValueError):
    """An answer that cannot be used; `reason` is the text key that says why."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


def clean(text: str) -> str:
    """The input NFKC-normalised, with typographic punctuation made plain, stripped."""
    return normalise(unicodedata.normalize("NFKC", text)).strip()


def choice(text: str) -> int | None:
    """A menu number (one or two ASCII digits after normalising), or None."""
    entry = clean(text)
    if entry.isascii() and entry.isdigit() and len(entry) <= 2:
        return int(entry)
    return None


def _name_character(char: str) -> bool:
    """True for a character a name may hold: a letter, a mark, a space, a little punctuation."""
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Zs" or char in NAME_PUNCTUATION


def parse_name(text: str) -> str:
    """A villager's name: 1-20 letters, with spaces and a little punctuation (`*` is kept)."""
    entry = clean(text)
    if not entry:
        raise Invalid("name_empty")
    if not all(_name_character(char) for char in entry):
        raise Invalid("name_chars")
    if not any(unicodedata.category(char)[0] == "L" for char in entry):
        raise Invalid("name_chars")
    name = " ".join(entry.split())
    if len(name) > NAME_MAX:
        raise Invalid("name_long")
    return name


def parse_sex(text: str) -> str:
    """The sex ("m" or "f") from 1/2, 男/女, M/F or male/female, in any case."""
    entry = clean(text).casefold()
    for sex, words in _SEXES.items():
        if entry in words:
            return sex
    raise Invalid("sex_bad")


def birth_years(today: date) -> tuple[int, int]:
    """The first and last year of birth of a villager aged 16 to 60 this year."""
    return today.year - AGE_MAX, today.year - AGE_MIN


def parse_birth_year(text: str, today: date) -> int:
    """A four-digit year of birth that makes the villager 16 to 60 this year."""
    entry = clean(text)
    if not (len(entry) == 4 and entry.isascii() and entry.isdigit()):
        raise Invalid("year_format")
    first, last = birth_years(today)
    year = int(entry)
    if not first <= year <= last:
        raise Invalid("year_range", first=first, last=last)
    return year


def parse_yes_no(text: str) -> bool:
    """True for 1/yes/是/愿意/同意, False for 2/no/否/不愿意/不同意."""
    entry = clean(text).casefold()
    if entry in _YES:
        return True
    if entry in _NO:
        return False
    raise Invalid("yes_no_bad")
