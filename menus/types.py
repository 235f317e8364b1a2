"""The shapes shared by the conversation and the gateway that runs it.

Nothing here knows about HTTP, databases or Redis: the gateway hands a step the
state it saved last time, the villager's new input and a catalog to look things
up in; the step hands back a screen, the new state and the effects to apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

LANGUAGES = ("zh", "en")

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


@dataclass(frozen=True)
class Job:
    """A published posting as a villager sees it."""

    id: int
    title: Option  # key: str(id)
    place: Option  # destination city
    wage_min: int  # yuan a month
    wage_max: int
    employer: str
    agency: str
    contract_months: int
    hours_per_day: int
    days_per_week: int
    food: bool
    housing: bool
    departure: date | None
    deadline: date
    code: str  # the verification code
    positions_left: int


# An application's status, as the villager is told it.
APPLICATION_STATUSES = ("interested", "shortlisted", "confirmed", "departed", "withdrawn",
                        "rejected", "no_show")


# --- Departures and check-ins ---


@dataclass(frozen=True)
class Departure:
    """An upcoming departure the caller is on the roster of."""

    id: int
    job_id: int
    title: Option
    leaves_at: datetime  # in the programme's time zone
    place: str
    answer: str | None = None  # "confirmed" | "declined" | None: not answered yet


@dataclass(frozen=True)
class OpenCheckIn:
    """A check-in the caller has not answered yet (`first`: the arrival check-in)."""

    id: int
    first: bool


@dataclass(frozen=True)
class MyApplication:
    """One of the calling villager's applications."""

    job_id: int
    title: Option
    status: str  # one of APPLICATION_STATUSES
    reason: str | None = None  # why it was rejected, when it was
    departure: Departure | None = None  # a confirmed application's upcoming departure


@dataclass(frozen=True)
class Verdict:
    """What `VERIFY <code>` finds: a published posting, a closed one, or nothing."""

    code: str
    status: str  # "published" | "closed" | "unknown"
    job: Job | None = None


# Why the calling villager cannot apply to a job (None from `can_apply`: they can).
APPLY_REFUSALS = ("not_registered", "closed", "not_eligible", "already_applied", "full")


# --- Training ---


@dataclass(frozen=True)
class Training:
    """An open training session as a villager sees it."""

    id: int
    trade: Option  # a skill of the catalogue
    county: Option
    township: Option  # where it is held
    start: date
    end: date
    places_left: int
    enrolled: bool = False  # the caller holds a place in it


# Why the calling villager cannot enrol in a session (None from `can_enrol`: they can).
ENROL_REFUSALS = ("not_registered", "closed", "not_eligible", "already_enrolled", "full")

# --- end Training ---


class Catalog(Protocol):
    """What a conversation may look up; `smsgateway` implements it over the database.

    A catalog is built per request for the phone that called, so the job methods
    answer for that villager.
    """

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

    def jobs(self) -> Sequence[Job]:
        """Published postings open to the caller (sex, age, deadline, places left), best first."""

    def job(self, job_id: int) -> Job | None:
        """One published posting, whoever asks; None when there is no such published posting."""

    def my_applications(self) -> Sequence[MyApplication]:
        """The caller's applications, newest first."""

    def can_apply(self, job_id: int) -> str | None:
        """None when the caller may apply to this job, else one of APPLY_REFUSALS."""

    def verify(self, code: str) -> Verdict:
        """What a verification code belongs to."""

    def officer_phone(self) -> str:
        """The programme officers' number, for villagers who doubt an offer."""

    # Training

    def trainings(self) -> Sequence[Training]:
        """Open sessions the caller may join or holds a place in, soonest first: from today on,
        in the caller's county or training for a posting they applied to; full ones only
        when the caller is in them."""

    def training(self, training_id: int) -> Training | None:
        """One open session not yet begun, whoever asks; None when there is no such session."""

    def can_enrol(self, training_id: int) -> str | None:
        """None when the caller may enrol in this session, else one of ENROL_REFUSALS."""

    # Departures and check-ins
    def pending_departure(self) -> Departure | None:
        """The caller's next upcoming departure, if they are on one's roster."""

    def open_checkin(self) -> OpenCheckIn | None:
        """The caller's latest unanswered check-in, if any."""

    def family_phone(self, text: str) -> str | None:
        """The phone number a villager typed, in E.164; None when it is not one."""


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
class Apply:
    """Register the caller's interest in a job (after `can_apply` said they may)."""

    job_id: int


@dataclass(frozen=True)
class Withdraw:
    """Withdraw the caller's application to a job."""

    job_id: int


@dataclass(frozen=True)
class OptOut:
    """Stop all messages to this phone (but the confirmation)."""


@dataclass(frozen=True)
class Erase:
    """Erase this phone's villager: name, phone, family contact, message bodies, free text
    (confirmed: DELETE, then YES within the confirmation's minutes). The gateway texts the
    farewell itself, so the step's own reply is empty."""


@dataclass(frozen=True)
class OptIn:
    """Resume messages to this phone."""


@dataclass(frozen=True)
class Enrol:
    """Enrol the caller in a training session (after `can_enrol` said they may)."""

    training_id: int


# --- Problem reports ---
# The categories of a problem report, in the order villagers pick them (1-6); the same
# values as smsgateway.models.CaseCategory.
CASE_CATEGORIES = ("wages_unpaid", "contract", "fees", "safety", "ill_treatment", "other")
# characters of a description kept (smsgateway.followup.cases.MAX_DESCRIPTION)
DESCRIPTION_MAX = 500


@dataclass(frozen=True)
class ReportProblem:
    """Open a case for the caller (a registered villager), who is texted its number."""

    category: str  # one of CASE_CATEGORIES
    description: str
    anonymous: bool  # hidden from the employer and the agency


# --- end problem reports ---


@dataclass(frozen=True)
class AnswerDeparture:
    """Record the caller's answer to a departure: going or not (the latest wins)."""

    departure_id: int
    going: bool


@dataclass(frozen=True)
class AnswerCheckIn:
    """Record the caller's answer to a check-in: 1 all is well, 2 a problem, 3 home."""

    checkin_id: int
    answer: int


@dataclass(frozen=True)
class SetFamily:
    """Name the caller's family contact (E.164), or remove it (None)."""

    phone: str | None


Effect = (Register | UpdateProfile | SetLanguage | OptOut | OptIn | Apply | Withdraw | Enrol
          | ReportProblem | AnswerDeparture | AnswerCheckIn | SetFamily | Erase)


@dataclass(frozen=True)
class Step:
    """A conversation's answer to one input: the screen, the new state, the effects.

    `end` closes a USSD session (`END` rather than `CON`); an SMS reply ignores it.
    """

    screen: str
    state: State
    effects: tuple[Effect, ...] = field(default=())
    end: bool = False
