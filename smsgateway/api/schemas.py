"""What the API accepts and returns; the OpenAPI document is generated from these models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from menus.budget import is_gsm, normalise

from ..kernel.areas import skills
from ..kernel.provinces import canonical_city, canonical_province
from ..web.ids import MAX_ID

Name = Annotated[str, Field(min_length=1, max_length=120)]
Yuan = Annotated[int, Field(ge=0, le=1_000_000)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]  # an id in a body: beyond it is a 422, not a 500


class Model(BaseModel):
    """Unknown fields are an error: a misspelt field must not be silently dropped."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


def _gsm_name(value: str | None) -> str | None:
    """An English name: GSM-7 (an English SMS that carries it stays in its alphabet)."""
    if value is None or not value.strip():
        return None
    if not is_gsm(normalise(value)):
        raise ValueError("an English name may use only the GSM-7 alphabet (Latin letters, "
                         "digits, common punctuation): no Chinese characters")
    return " ".join(normalise(value).split())


EnglishName = Annotated[str | None, Field(max_length=120, description=(
    "the name English texts show, GSM-7; left out: the pinyin of `name`"))]


class AgencyIn(Model):
    name: Name
    name_en: EnglishName = None
    licence_number: Annotated[str, Field(min_length=1, max_length=64)]
    licence_expires: date
    phone: str | None = None


    @field_validator("name_en")
    @classmethod
    def _english(cls, value: str | None) -> str | None:
        return _gsm_name(value)


class AgencyOut(Model):
    id: int
    name: str
    name_en: str = Field(description="as English texts show it (its pinyin when none given)")
    licence_number: str
    licence_expires: date
    suspended: bool
    phone: str | None


class SuspendIn(Model):
    suspended: bool = True
    reason: Annotated[str, Field(max_length=500)] | None = None


class EmployerIn(Model):
    name: Name
    name_en: EnglishName = None
    city: Annotated[str, Field(min_length=1, max_length=64)]
    province: Annotated[str, Field(min_length=1, max_length=64)]
    contact: Annotated[str, Field(max_length=120)] | None = None
    address: Annotated[str, Field(max_length=200, description="where the work is: a wage "
                                  "complaint names it")] | None = None

    @field_validator("name_en")
    @classmethod
    def _english(cls, value: str | None) -> str | None:
        return _gsm_name(value)


class EmployerOut(Model):
    id: int
    name: str
    name_en: str = Field(description="as English texts show it (its pinyin when none given)")
    city: str
    province: str
    contact: str | None
    address: str | None = None


class PostingIn(Model):
    """A new posting; it goes to vetting unless `draft` is true."""

    title_zh: Annotated[str, Field(min_length=1, max_length=80)]
    title_en: Annotated[str, Field(min_length=1, max_length=120)]
    employer_id: Id
    agency_id: Id | None = Field(None, description="required unless the caller is an agency")
    area: Annotated[str, Field(description="code of the recruiting area, e.g. 'yongde'")]
    trade: str = Field(description="a code of the skills catalogue")
    # The province first: the city is checked against it (one of its prefecture-level cities).
    destination_province: Annotated[str, Field(min_length=1, max_length=64)]
    destination_city: Annotated[str, Field(min_length=1, max_length=64, description=(
        "a prefecture-level city of the province, in Chinese or English (东莞, Dongguan); "
        "stored as its English name"))]
    wage_min: Yuan
    wage_max: Yuan
    hours_per_day: Annotated[int, Field(ge=1, le=16)]
    days_per_week: Annotated[int, Field(ge=1, le=7)]
    contract_months: Annotated[int, Field(ge=1, le=60)]
    positions: Annotated[int, Field(ge=1, le=10_000)]
    sex: Literal["m", "f"] | None = None
    age_min: Annotated[int, Field(ge=16, le=60)] = 16
    age_max: Annotated[int, Field(ge=16, le=60)] = 60
    skills_required: list[str] = []
    training_required: bool = False
    food: bool = False
    housing: bool = False
    worker_fee: Yuan = Field(0, description="charged to the worker; must be 0 to publish")
    travel_advance: bool = False
    departure_date: date | None = None
    deadline: date
    draft: bool = False
    pay_day: Annotated[int, Field(ge=1, le=31, description="day of the month the employer "
                                  "pays (the pay check asks after it)")] | None = None

    @field_validator("trade")
    @classmethod
    def _known_trade(cls, value: str) -> str:
        if value not in {s.key for s in skills()}:
            raise ValueError("not a code of the skills catalogue")
        return value

    @field_validator("destination_province")
    @classmethod
    def _a_province_of_china(cls, value: str) -> str:
        found = canonical_province(value)
        if found is None:
            raise ValueError("not one of China's 34 provinces, autonomous regions, "
                             "municipalities or SARs (e.g. 广东 or Guangdong)")
        return found

    @field_validator("skills_required")
    @classmethod
    def _known_skills(cls, value: list[str]) -> list[str]:
        unknown = set(value) - {s.key for s in skills()}
        if unknown:
            raise ValueError(f"not codes of the skills catalogue: {', '.join(sorted(unknown))}")
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _ranges(self) -> PostingIn:
        if self.wage_max < self.wage_min:
            raise ValueError("wage_max is below wage_min")
        if self.age_max < self.age_min:
            raise ValueError("age_max is below age_min")
        if self.departure_date and self.departure_date < self.deadline:
            raise ValueError("departure_date is before the application deadline")
        return self

    @field_validator("destination_city")
    @classmethod
    def _a_city_of_the_province(cls, value: str, info: ValidationInfo) -> str:
        # Stored as the gazetteer's English name: English texts show it as it is (GSM-7).
        province = info.data.get("destination_province")
        if province is None:
            return value  # the province was refused already
        found = canonical_city(province, value)
        if found is None:
            raise ValueError(f"not a prefecture-level city of {province} "
                             f"(e.g. 东莞 or Dongguan in Guangdong)")
        return found


class PostingOut(Model):
    id: int
    status: str
    title_zh: str
    title_en: str
    employer_id: int
    agency_id: int
    area: str
    trade: str
    destination_city: str
    destination_province: str
    destination: Literal["within_city", "in_province", "outside_province"]
    wage_min: int
    wage_max: int
    hours_per_day: int
    days_per_week: int
    contract_months: int
    positions: int
    confirmed: int
    sex: str | None
    age_min: int
    age_max: int
    skills_required: list[str]
    training_required: bool
    food: bool
    housing: bool
    worker_fee: int
    travel_advance: bool
    departure_date: date | None
    deadline: date
    verification_code: str | None
    pay_day: int | None = None
    checklist: dict[str, bool] | None
    rejection_reasons: list[str] | None
    published_at: datetime | None


class VetIn(Model):
    """An officer's decision; the checklist is worked out from the posting and recorded."""

    decision: Literal["publish", "reject"]
    reasons: list[Annotated[str, Field(max_length=500)]] = []
    # The officer looked again at an agency whose record is below the county's threshold.
    second_look: bool = False


class ApplicationOut(Model):
    id: int
    posting_id: int
    villager_id: int
    villager_name: str
    villager_phone: str
    status: str
    reason: str | None
    via: str
    created_at: datetime


class DecisionIn(Model):
    reason: Annotated[str, Field(max_length=500)] | None = None


class Audience(Model):
    """Who a broadcast reaches: every filter given must match (registered, opted-in villagers)."""

    areas: list[str] = Field(default_factory=list,
                             description="area codes; a county includes its townships")
    sex: Literal["m", "f"] | None = None
    age_min: Annotated[int, Field(ge=16, le=60)] | None = None
    age_max: Annotated[int, Field(ge=16, le=60)] | None = None
    skills: list[str] = []
    registered_from: date | None = None
    registered_to: date | None = None
    application_status: Literal["interested", "shortlisted", "confirmed", "departed",
                                "withdrawn", "rejected", "no_show"] | None = None
    posting_id: Id | None = Field(default=None,
                                  description="with application_status: of this posting")
    language: Literal["zh", "en"] | None = None


class BroadcastTemplateIn(Model):
    """A broadcast template and its variables in one or both languages (a language left
    out reads the other's)."""

    name: str = Field(description="notice (text), meeting (date, time, place) or training "
                      "(trade, date, place)")
    zh: dict[str, Annotated[str, Field(max_length=200)]] | None = None
    en: dict[str, Annotated[str, Field(max_length=200)]] | None = None


class BroadcastIn(Model):
    """Text in one or both languages, a published posting rendered from its template, or
    (required on a templated provider such as Tencent) a broadcast template filled in."""

    text_zh: Annotated[str, Field(min_length=1, max_length=480)] | None = None
    text_en: Annotated[str, Field(min_length=1, max_length=480)] | None = None
    posting_id: Id | None = None
    audience: Audience = Field(default_factory=Audience)
    send_at: datetime | None = Field(default=None, description="timezone-aware; absent: now")
    confirm: bool = Field(default=False, description="required (true) to send to more than "
                          "BROADCAST_CONFIRM_ABOVE (500) recipients")
    template: BroadcastTemplateIn | None = Field(
        default=None, description="a broadcast template with its variables: instead of text "
        "(values are cut to the provider's per-variable limit)")

    @model_validator(mode="after")
    def _something_to_send(self) -> BroadcastIn:
        if not (self.text_zh or self.text_en or self.posting_id or self.template):
            raise ValueError("give text_zh, text_en, posting_id or template")
        if self.template and (self.text_zh or self.text_en or self.posting_id):
            raise ValueError("give a template or text (or a posting), not both")
        if self.send_at is not None and self.send_at.tzinfo is None:
            raise ValueError("send_at needs a time zone, e.g. 2026-12-01T09:00:00+08:00")
        return self


class LanguagePreview(Model):
    recipients: int
    text: str
    segments_per_message: int


class BroadcastPreview(Model):
    recipients: int
    languages: dict[str, LanguagePreview]
    total_segments: int
    estimated_cost: float = Field(description="yuan: total_segments × SMS_SEGMENT_PRICE")
    excluded: dict[str, int] = Field(
        default_factory=dict, description="villagers the filter picks whom no broadcast may "
        "reach, by why: `keyword` (texted STOP), a carrier's code (`21610`, "
        "`UserInBlackList`), `unknown`, `no_sms_consent`")


class BroadcastOut(Model):
    id: int
    status: str = Field(description="scheduled, waiting_for_morning (due, held by the quiet "
                        "hours until `starts_at`), fanning_out, sending, done, cancelled")
    text_zh: str | None
    text_en: str | None
    posting_id: int | None
    audience: dict[str, object]
    send_at: datetime | None
    recipients: int
    created_at: datetime
    messages: dict[str, int] = Field(description="its messages by status: progress and delivery")
    template: dict[str, object] | None = Field(
        default=None, description="the broadcast template chosen and its values, if one was")
    expected_finish: datetime | None = Field(
        default=None, description="when its last queued message should have gone, at the send "
        "rate (SEND_RATE, PROVIDER_RATE) and after the quiet hours; null when none is queued")
    starts_at: datetime | None = Field(
        default=None, description="when it starts: its `send_at`, or the end of the quiet "
        "hours (status `scheduled` or `waiting_for_morning`); null otherwise")
    finished_at: datetime | None = Field(
        default=None, description="when its last message settled (status `done`)")
    cancellable: bool = Field(default=False,
                              description="whether cancelling would still stop something")
    failed_by_reason: dict[str, int] = Field(
        default_factory=dict, description="its failed or undelivered messages by the reason's "
        "code (`cancelled`, `opted_out`, `interrupted`, `no_template`, a provider's code…)")
    excluded: dict[str, int] = Field(
        default_factory=dict, description="villagers its audience picked whom it could not "
        "reach, by why (as in the preview), counted when it went out")


# --- Labour-service files: villagers registered by officers ---------------------------------


class VillagerIn(Model):
    """A villager registered by an officer on their behalf."""

    phone: Annotated[str, Field(min_length=1, max_length=32)]
    name: Annotated[str, Field(min_length=1, max_length=40)]
    sex: Annotated[str, Field(description="m or f (also 男/女)")]
    birth_year: int
    township: Annotated[str, Field(description="a township's code or name")]
    skills: list[str] = Field(default_factory=list, description="codes or names of skills")
    outside_province: bool | None = None
    language: Literal["zh", "en"] = "zh"
    consent: bool = Field(description="the villager agreed to be registered and texted; "
                                      "must be true")


class VillagerOut(Model):
    id: int
    phone: str
    name: str
    sex: str
    birth_year: int
    township: str
    county: str
    skills: list[str]
    outside_province: bool | None
    language: str
    registered_via: str
    registered_by_id: int | None
    consent_recorded_at: datetime | None
    opted_out: bool = False
    opted_out_at: datetime | None = None
    # "keyword" (they texted STOP), or the carrier's code: "21610" (Twilio), "UserInBlackList"
    opted_out_reason: str | None = None


class ImportIn(Model):
    """A CSV of a township's records: a header line naming the columns (phone, name, sex,
    birth_year, township, and optionally skills, outside_province, language; Chinese names
    such as 电话 and 姓名 also work), then one villager a line."""

    csv: Annotated[str, Field(min_length=1)]
    dry_run: bool = True
    consent: bool = Field(description="the officer vouches that every villager in the file "
                                      "agreed to be registered and texted; must be true")


class ImportRowOut(Model):
    line: int
    phone: str | None
    action: Literal["create", "update", "unchanged", "refuse"]
    reasons: list[str]


class ImportOut(Model):
    dry_run: bool
    applied: bool = Field(description="true when the rows were written (all of them)")
    counts: dict[str, int]
    rows: list[ImportRowOut]


# --- Annual targets ---------------------------------------------------------------------------


class TargetIn(Model):
    """An area's plan for a year (setting it again replaces it)."""

    area: Annotated[str, Field(description="code of the city, a county or a township")]
    year: Annotated[int, Field(ge=2000, le=2100)]
    trained: Annotated[int, Field(ge=0, le=10_000_000)]
    placed: Annotated[int, Field(ge=0, le=10_000_000)]


class TargetOut(Model):
    area: str
    year: int
    trained: int
    placed: int
    updated_at: datetime
# --- Training (issue 5, section 1) ---


class TrainingIn(Model):
    """A new training session; creating it tells eligible villagers and schedules a reminder."""

    trade: str = Field(description="a code of the skills catalogue")
    township: str = Field(description="code of the township where it is held, e.g. "
                                      "'yongde.dedang'")
    start_date: date
    end_date: date
    capacity: Annotated[int, Field(ge=1, le=10_000)]
    posting_id: Id | None = Field(None, description="the posting it trains for, if any")

    @field_validator("trade")
    @classmethod
    def _known_trade(cls, value: str) -> str:
        if value not in {s.key for s in skills()}:
            raise ValueError("not a code of the skills catalogue")
        return value

    @model_validator(mode="after")
    def _dates(self) -> TrainingIn:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class TrainingOut(Model):
    id: int
    status: Literal["open", "cancelled"]
    trade: str
    township: str
    county: str
    start_date: date
    end_date: date
    capacity: int
    posting_id: int | None
    enrolled: int = Field(description="villagers holding a place (every status but withdrawn)")
    attended: int = Field(description="attended or completed")
    completed: int = Field(description="completed: they count as trained")
    absent: int
    withdrawn: int
    places_left: int
    reminder_at: datetime | None = Field(description="when the reminder goes (UTC)")
    created_by_id: int | None
    created_at: datetime


class EnrolmentOut(Model):
    id: int
    training_id: int
    villager_id: int
    villager_name: str
    villager_phone: str
    status: Literal["enrolled", "attended", "completed", "absent", "withdrawn"]
    via: str
    created_at: datetime
    completed_at: datetime | None


class EnrolmentMoveIn(Model):
    """Mark attendance, absence, completion or a withdrawal (absent → attended corrects)."""

    status: Literal["attended", "absent", "completed", "withdrawn"]
# --- Problem reports (issue 5, section 4) ---


class CaseVillager(Model):
    id: int
    name: str
    phone: str


class CaseEventOut(Model):
    at: datetime
    action: str = Field(description="opened | assigned | status")
    status: str | None
    note: str | None
    by_user_id: int | None = Field(description="null: the villager")


class CaseOut(Model):
    id: int = Field(description="the case number the villager was given")
    status: Literal["open", "in_progress", "resolved", "closed"]
    category: Literal["wages_unpaid", "contract", "fees", "safety", "ill_treatment", "other"]
    description: str
    anonymous: bool
    via: str
    area: str | None = Field(description="the villager's township (null in an agency's view "
                                         "of an anonymous case)")
    villager: CaseVillager | None = Field(
        description="who reported; null in an agency's view of an anonymous case")
    application_id: int | None = Field(description="the placement (null in an agency's "
                                                   "view of an anonymous case)")
    posting_id: int | None = Field(description="null in an agency's view of an anonymous case "
                                               "while the posting has fewer than 5 applicants")
    agency_id: int | None
    employer_id: int | None = Field(description="null when posting_id is hidden")
    assigned_to: int | None = Field(description="the user id of the officer on it")
    created_at: datetime = Field(description="in an agency's view of an anonymous case, this "
                                             "and every time: the Monday 00:00 of its week")
    touched_at: datetime | None
    closed_at: datetime | None
    stale: bool = Field(description="open or in progress, and untouched for CASE_STALE_DAYS")


class CaseDetail(CaseOut):
    events: list[CaseEventOut]
    note_cut: bool = Field(default=False, description=(
        "the answer to a status move only: true when the note was cut to go by SMS (a "
        "templated provider carries it as one variable of at most 35 characters)"))


class AssignIn(Model):
    user_id: Id


class CaseStatusIn(Model):
    status: Literal["in_progress", "resolved", "closed"]
    note: Annotated[str, Field(max_length=500)] | None = Field(
        default=None, description="told to the villager in the status SMS (clipped to fit)")
# --- Departures and check-ins (issue 5) ----------------------------------------------------


class DepartureIn(Model):
    """A new departure of a posting's confirmed applicants."""

    posting_id: Id
    leaves_at: datetime = Field(description="with an offset, or in the programme's TIMEZONE")
    place: Annotated[str, Field(min_length=1, max_length=120)]
    escort_name: Annotated[str, Field(min_length=1, max_length=40)]
    escort_phone: Annotated[str, Field(min_length=3, max_length=32)]


class DepartureMoveIn(Model):
    """A new time and/or meeting place; the pending reminders are replaced."""

    leaves_at: datetime | None = None
    place: Annotated[str, Field(min_length=1, max_length=120)] | None = None

    @model_validator(mode="after")
    def _something(self) -> DepartureMoveIn:
        if self.leaves_at is None and self.place is None:
            raise ValueError("give leaves_at, place or both")
        return self


class RosterEntry(Model):
    application_id: int
    villager_id: int
    villager_name: str
    villager_phone: str
    status: str
    answer: Literal["confirmed", "declined", "no_answer"]


class DepartureOut(Model):
    id: int
    posting_id: int
    status: str
    leaves_at: datetime
    place: str
    escort_name: str
    escort_phone: str
    created_at: datetime
    cancelled_at: datetime | None
    departed_at: datetime | None


class DepartureDetail(DepartureOut):
    roster: list[RosterEntry]
    counts: dict[str, int] = Field(description="confirmed, declined and no_answer")


class FollowUpOut(Model):
    """A check-in still unanswered after its reminders: the worker to follow up."""

    checkin_id: int
    checkin_number: int = Field(description="0: the arrival check-in; k: k months after")
    sent_at: datetime
    reminders: int
    flagged_at: datetime | None = Field(description="null: on the list as an arrival noticed")
    overdue_days: int = Field(description="whole days since the check-in was sent")
    application_id: int
    posting_id: int
    posting_title: str
    departed_at: datetime | None
    villager_id: int
    villager_name: str
    villager_phone: str
    # Cohorts: an arrival check-in unanswered a day (the top of the list until someone answers)
    arrival_noticed_at: datetime | None = None
    heard_via: str | None = Field(
        default=None, description="who answered for the worker: the family, the team leader")
    family_answer: int | None = Field(default=None,
                                      description="1: the family heard from them, 2: not")


# --- The monthly report ---------------------------------------------------------------------


class ReportRowOut(Model):
    """One area's figures for the month (see smsgateway/reports.py for each figure)."""

    area: str
    level: str
    name_zh: str
    name_en: str
    registered: int
    trained_men: int
    trained_women: int
    placed: int
    placed_within_city: int
    placed_in_province: int
    placed_outside_province: int
    placed_by_province: dict[str, int]
    confirmed_waiting: int
    checkins_answered: int
    returned: int
    cases_opened: int
    cases_resolved: int
    income: int = Field(description="yuan: each placement's monthly wage times its months")
    zero_report: bool = Field(description="nothing to report this month")
    target_trained: int | None
    target_placed: int | None
    trained_this_year: int
    placed_this_year: int
    trained_percent: float | None
    placed_percent: float | None
    # pay checks about the month's pay (figures/reports.py)
    pay_checks_asked: int = 0
    pay_checks_answered: int = 0
    pay_checks_unanswered: int = Field(0, description="reminded once, then left")
    paid_in_full: int = 0
    pay_missing_amount: int = Field(0, description="yuan reported missing")
    # The success and stability rates (smsgateway/figures/rates.py); a rate is null when
    # there is nothing to divide by.
    applied: int = Field(description="applications made in the month")
    applied_confirmed: int = Field(description="of them, confirmed (as of now)")
    applied_departed: int = Field(description="of them, departed (as of now)")
    departed_3m: int = Field(description="departed in the month 3 months before")
    working_3m: int = Field(description="of them, still working at 3 months")
    departed_6m: int = Field(description="departed in the month 6 months before")
    working_6m: int = Field(description="of them, still working at 6 months")
    success_rate: float | None = Field(description="% applied_confirmed of applied")
    departure_rate: float | None = Field(description="% applied_departed of applied_confirmed")
    stability_3m: float | None = Field(description="% working_3m of departed_3m")
    stability_6m: float | None = Field(description="% working_6m of departed_6m")


class AgencyRatesOut(Model):
    """One agency's success and stability rates over the report's area."""

    agency_id: int
    licence_number: str
    name: str
    applied: int
    applied_confirmed: int
    applied_departed: int
    departed_3m: int
    working_3m: int
    departed_6m: int
    working_6m: int
    success_rate: float | None
    departure_rate: float | None
    stability_3m: float | None
    stability_6m: float | None


class MonthlyReportOut(Model):
    month: str
    area: str
    level: str
    rows: list[ReportRowOut] = Field(description="the area first, then its children")
    zero_report_areas: list[str]
    agencies: list[AgencyRatesOut] = Field(description="each agency's rates over the area")
