"""The shapes shared by the conversation and the gateway that runs it.

Nothing here knows about HTTP, databases or Redis: the gateway hands a step the
state it saved last time, the villager's new input and a catalog to look things
up in; the step hands back a screen, the new state and the effects to apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

LANGUAGES = ("zh", "en")
SEXES = ("m", "f")

# A conversation's state must survive a round trip through JSON (it lives in Redis).
State = dict[str, Any]


@dataclass(frozen=True)
class Option:
    """One choice in a list: an area or a skill, named in both languages."""

    key: str
    zh: str
    en: str

    def name(self, language: str) -> str:
        """The option's name in the given language."""
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Profile:
    """What a villager told us about themselves when registering."""

    name: str
    sex: str  # "m" | "f"
    birth_year: int
    county: str  # area code
    township: str  # area code
    skills: tuple[str, ...] = ()
    outside_province: bool | None = None  # None: not asked (one-line SMS form)
    sms_consent: bool = True
    language: str = "zh"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy, for keeping in a conversation's state."""
        data = dict(self.__dict__)
        data["skills"] = list(self.skills)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        """The inverse of `to_json`."""
        return cls(**{**data, "skills": tuple(data.get("skills", ()))})


@dataclass(frozen=True)
class Contact:
    """What the gateway knows of the phone a message came from."""

    language: str | None = None  # None: this phone never chose one
    opted_out: bool = False
    profile: Profile | None = None  # None: not registered


class Catalog(Protocol):
    """What a conversation may look up; `smsgateway` implements it over the database."""

    def counties(self) -> Sequence[Option]:
        """The programme's counties and districts, in display order."""

    def townships(self, county: str) -> Sequence[Option]:
        """The townships of one county, in display order."""

    def find_townships(self, text: str) -> Sequence[tuple[Option, Option]]:
        """(county, township) pairs whose township name matches what a villager typed."""

    def skills(self) -> Sequence[Option]:
        """The skills catalogue, in display order."""

    def today(self) -> date:
        """Today's date in the programme's time zone."""


# Effects: what a step asks the gateway to do, in one transaction, after the step.


@dataclass(frozen=True)
class Register:
    """Create the villager with this profile (and send the confirmation SMS)."""

    profile: Profile


@dataclass(frozen=True)
class UpdateProfile:
    """Replace a registered villager's profile with this one."""

    profile: Profile


@dataclass(frozen=True)
class SetLanguage:
    """Remember the language this phone prefers."""

    language: str


@dataclass(frozen=True)
class OptOut:
    """Stop all messages to this phone (but the confirmation)."""


@dataclass(frozen=True)
class OptIn:
    """Resume messages to this phone."""


Effect = Register | UpdateProfile | SetLanguage | OptOut | OptIn


@dataclass(frozen=True)
class Step:
    """A conversation's answer to one input: the screen, the new state, the effects.

    `end` closes a USSD session (`END` rather than `CON`); an SMS reply ignores it.
    """

    screen: str
    state: State
    effects: tuple[Effect, ...] = field(default=())
    end: bool = False
