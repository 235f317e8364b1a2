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
    place: Option  # destination city (Chinese short name, English name of the gazetteer)
    wage_min: int  # yuan a month
    wage_max: int
    employer: Option  # named in each language's own alphabet (English: GSM-7)
    agency: Option
    contract_months: int
    hours_per_day: int
    days_per_week: int
    food: bool
    housing: bool
    departure: date | None
    deadline: date
    code: str  # the verification code
    positions_left: int
    # The employer's workers paid in full last month, of those who answered: (paid, answered),
    # only from 5 answers (so that no answer points at one person); None: not shown.
    paid_last_month: tuple[int, int] | None = None


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
class OpenPayCheck:
    """The caller's latest monthly pay check (`period` "YYYY-MM"). `asked_at`: when its
    latest question was put (the amount question: when 2 or 3 came); `answer` None while
    unanswered, else full | part | none; `awaiting_amount`: part or none, amount not given."""

    id: int
    period: str
    asked_at: datetime
    answer: str | None
    awaiting_amount: bool
    case_id: int | None = None


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
        """One published posting open to the caller's area (the area rule of job alerts: a
        posting reaches its area and the areas below it); None when there is no such
        published posting, or it is another area's (whatever the caller's sex or age: the
        details say what it asks)."""

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

    # Promise against reality
    def open_promise(self) -> OpenPromise | None:
        """The caller's arrival promise check waiting for an answer (or answered lately);
        None when there is none, or a check-in sent after it waits for its answer."""
    # Cohorts: team reports, and the family asked about an unanswered arrival
    def teams_led(self) -> Sequence[TeamLead]:
        """The teams the caller leads in cohorts still away, newest cohort first."""

    def family_question(self) -> FamilyQuestion | None:
        """The latest question put to the caller as a worker's family contact in the last
        FAMILY_QUESTION_DAYS days, answered or not."""
    def open_pay_check(self) -> OpenPayCheck | None:
        """The caller's latest pay check of a placement they have not come home from."""
    # Recruitment days
    def open_interview(self) -> OpenInterview | None:
        """The caller's latest invitation to a recruitment day not yet past that is waiting
        for a digit or booked, if any."""


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


# --- Promise against reality (the arrival check-in's two questions) ---
PROMISE_QUESTIONS = ("job", "pay")  # the job as described; the wage and the hours as said


@dataclass(frozen=True)
class OpenPromise:
    """The caller's arrival promise check: `question` waits for 1 yes / 2 no ("job", then
    "pay"), or None when both were answered lately (a repeat is "already noted");
    `job_kept`: the answer to "job", once given."""

    id: int
    question: str | None
    asked_at: datetime
    job_kept: bool | None = None


@dataclass(frozen=True)
class AnswerPromise:
    """Record the caller's 1 yes / 2 no to a promise question (a no opens a contract case)."""

    promise_id: int
    question: str  # one of PROMISE_QUESTIONS
    kept: bool


# --- end promise against reality ---
# --- Cohorts (menus/sms_team.py, menus/sms_arrival.py) ---


@dataclass(frozen=True)
class TeamLead:
    """A team the caller leads, as a TEAM report needs it. `asked_at`: when the open report
    round was asked (None: no round waits for an answer); `last`: the team's last report
    as (all well, members with a problem, text), None before the first."""

    cohort_id: int
    team: int
    size: int
    asked_at: datetime | None
    last: tuple[bool, int, str] | None


@dataclass(frozen=True)
class FamilyQuestion:
    """"Have you heard from <name>?", put to the caller as a worker's family contact."""

    id: int
    name: str
    asked_at: datetime
    answered: bool
    language: str  # the question's: the reply's when the phone never chose one


@dataclass(frozen=True)
class ReportTeam:
    """Record a team leader's report: all well, or `count` members with a problem."""

    cohort_id: int
    team: int
    all_well: bool
    count: int
    text: str


@dataclass(frozen=True)
class AnswerFamily:
    """Record the family contact's answer: they heard from the worker (True) or not."""

    question_id: int
    heard: bool


# --- end Cohorts ---
# --- pay checks (menus/paychecks.py) ---


@dataclass(frozen=True)
class AnswerPayCheck:
    """Record the caller's answer to a pay check: full, part or none (part and none open
    a wage case)."""

    pay_check_id: int
    answer: str


@dataclass(frozen=True)
class PayCheckAmount:
    """Record the amount missing (yuan) of a pay check answered part or none."""

    pay_check_id: int
    amount: int


# --- end pay checks ---




# --- Recruitment days (interviews) ---


@dataclass(frozen=True)
class InterviewSlot:
    """One time of a recruitment day: its number (1-8, what the villager replies), its local
    time "HH:MM" and the places still free."""

    number: int
    starts: str
    free: int


@dataclass(frozen=True)
class OpenInterview:
    """The caller's invitation to a recruitment day that a bare digit may answer.

    `stage`: "invited" (1 asks for the free times), "choosing" (a slot number books) or
    "booked" (a further digit is answered "already booked"); `asked_at` is when the
    villager was last asked (the invitation, or the list of free times)."""

    id: int
    asked_at: datetime
    stage: str
    title: Option
    day: date
    place: str
    slots: tuple[InterviewSlot, ...]
    booked: int | None = None  # the number of the slot booked
    place_en: str = ""  # the place as English readers get it (GSM-7); "": as `place`

    def place_in(self, lang: str) -> str:
        """The place in the reader's language."""
        return self.place if lang == "zh" or not self.place_en else self.place_en


@dataclass(frozen=True)
class AskInterviewSlots:
    """The villager asked for the free times of an invitation (it now waits for a number)."""

    interview_id: int


@dataclass(frozen=True)
class BookInterview:
    """Book slot `slot` (its number) of an invitation, if it is still free."""

    interview_id: int
    slot: int

# --- end Recruitment days ---

Effect = (Register | UpdateProfile | SetLanguage | OptOut | OptIn | Apply | Withdraw | Enrol
          | ReportProblem | AnswerDeparture | AnswerCheckIn | SetFamily | Erase
          | AnswerPromise | ReportTeam | AnswerFamily | AnswerPayCheck | PayCheckAmount
          | AskInterviewSlots | BookInterview)


@dataclass(frozen=True)
class Step:
    """A conversation's answer to one input: the screen, the new state, the effects.

    `end` closes a USSD session (`END` rather than `CON`); an SMS reply ignores it.
    """

    screen: str
    state: State
    effects: tuple[Effect, ...] = field(default=())
    end: bool = False
