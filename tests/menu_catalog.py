"""An in-memory Catalog over the programme's real area and skill files, for menu tests.

Jobs: `JOBS` are published and open to the caller (best first), `INELIGIBLE` is
published but not open to them, `CLOSED` was published and is closed now; the caller
has one application in every status (`APPLICATIONS`, newest first).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from menus import ussd
from menus.budget import fits_ussd
from menus.types import (
    Contact,
    Departure,
    FamilyQuestion,
    Job,
    MyApplication,
    OpenCheckIn,
    OpenInterview,
    OpenPayCheck,
    OpenPromise,
    Option,
    Step,
    TeamLead,
    Training,
    Verdict,
)

DATA = Path(__file__).resolve().parent.parent / "smsgateway" / "data"


def _option(entry: dict[str, str]) -> Option:
    """An Option from one entry of a data file."""
    return Option(entry["code"], entry["zh"], entry["en"])


def _folded(text: str) -> str:
    """Text as compared when searching: NFKC, case-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


OFFICER_PHONE = "0883-2123456"
LONG_EMPLOYER = "宁德时代新能源科技股份有限公司湖西分公司第三动力电池生产基地"
LONG_AGENCY = "临沧市临翔区惠民劳务派遣与职业介绍服务有限责任公司"


def make_job(job_id: int, zh: str, en: str, place: tuple[str, str], wages: tuple[int, int],
         **fields: object) -> Job:
    """A job with sensible defaults for whatever a test does not care about."""
    defaults: dict[str, object] = {
        "employer": Option("employer", "东莞长安电子厂", "Dongguan Chang'an Electronics"),
        "agency": Option("agency", "临沧劳务公司", "Lincang Labour Service"), "contract_months": 12,
        "hours_per_day": 8, "days_per_week": 6, "food": True, "housing": True,
        "departure": date(2025, 7, 1), "deadline": date(2025, 6, 20),
        "code": f"JB{job_id:04d}", "positions_left": 5,
    }
    merged = {**defaults, **fields}
    for who in ("employer", "agency"):  # a name typed in Chinese, read in English as pinyin
        if isinstance(merged[who], str):
            merged[who] = Option(who, str(merged[who]), "Linjiang Laowu Youxian Gongsi" * (
                1 + len(str(merged[who])) // 20))
    return Job(job_id, Option(str(job_id), zh, en), Option(place[1], place[0], place[1]),
               wages[0], wages[1], **merged)  # type: ignore[arg-type]


JOBS = (
    make_job(12, "电子厂普工", "Electronics factory worker", ("东莞", "Dongguan"), (3500, 4500),
         code="AB12CD"),
    make_job(15, "新能源汽车动力电池生产线操作工（长白班，可长期做）",
         "Assembly line operator for electric vehicle battery packs (day shift, long term)",
         ("宁德", "Ningde"), (5000, 8000), employer=LONG_EMPLOYER, agency=LONG_AGENCY,
         food=True, housing=False, departure=None, deadline=date(2026, 1, 10),
         contract_months=24, hours_per_day=10, days_per_week=6, code="EV7788"),
    make_job(23, "保安", "Security guard", ("昆明", "Kunming"), (4000, 4000), food=False),
    make_job(31, "餐厅服务员", "Restaurant waiter", ("上海", "Shanghai"), (4200, 5200),
         food=False, housing=False),
    make_job(40, "建筑工地杂工", "Construction labourer", ("成都", "Chengdu"), (6000, 7500)),
    make_job(41, "采茶工", "Tea picker", ("普洱", "Pu'er"), (3000, 3600), contract_months=3),
)
INELIGIBLE = make_job(50, "月嫂（仅限女性）", "Maternity nanny (women only)", ("深圳", "Shenzhen"),
                  (8000, 12000))
CLOSED = make_job(60, "快递分拣员", "Parcel sorter", ("广州", "Guangzhou"), (4500, 5500),
              code="OLD999")
APPLICATIONS = (
    MyApplication(23, JOBS[2].title, "interested"),
    MyApplication(31, JOBS[3].title, "shortlisted"),
    MyApplication(40, JOBS[4].title, "confirmed"),
    MyApplication(41, JOBS[5].title, "withdrawn"),
    MyApplication(50, INELIGIBLE.title, "rejected",
                  "年龄不符合该岗位要求（需25至45岁），且需有育婴员证书，欢迎报名其他工作"),
    MyApplication(60, CLOSED.title, "no_show"),
    MyApplication(70, Option("70", "水果采摘工（季节性）", "Seasonal fruit picker"), "departed"),
)
ACTIVE = frozenset({"interested", "shortlisted", "confirmed", "departed"})

# Training: sessions open to the caller (of Linxiang), soonest first; the caller
# holds a place in `TRAININGS[1]` (full since); `FULL` filled up after the list was shown;
# `OTHER_COUNTY` is open but in another county.
LINCANG = Option("linxiang", "临翔区", "Linxiang")
BOSHANG = Option("linxiang.boshang", "博尚镇", "Boshang")


def make_training(training_id: int, trade: tuple[str, str, str], start: date, end: date,
                  **fields: object) -> Training:
    """A session in Boshang with sensible defaults for whatever a test does not care about."""
    defaults: dict[str, object] = {"county": LINCANG, "township": BOSHANG, "places_left": 8}
    return Training(training_id, Option(*trade), start=start, end=end,  # type: ignore[arg-type]
                    **{**defaults, **fields})


TRAININGS = (
    make_training(5, ("catering", "餐饮", "Catering"), date(2025, 6, 10), date(2025, 6, 14)),
    make_training(7, ("security", "保安", "Security"), date(2025, 6, 20), date(2025, 6, 20),
                  enrolled=True, places_left=0),
    make_training(9, ("domestic", "家政服务", "Domestic service"), date(2025, 7, 1),
                  date(2025, 7, 5)),
)
FULL = make_training(13, ("computer", "计算机", "Computer use"), date(2025, 6, 15),
                     date(2025, 6, 16), places_left=0)
OTHER_COUNTY = make_training(11, ("beauty", "美容美发", "Beauty salon"), date(2025, 6, 12),
                             date(2025, 6, 13), county=Option("gengma", "耿马县", "Gengma"),
                             township=Option("gengma.mengding", "孟定镇", "Mengding"))


class MenuCatalog:
    """The Catalog protocol over `areas.json` and `skills.json`; `day` is today's date.

    `jobs`, `applications` and `refusals` (job id to the answer `can_apply` gives, over
    the one it would work out) replace the defaults; `registered` is the caller's.
    """

    def __init__(
        self,
        day: date = date(2025, 6, 1),
        jobs: Sequence[Job] = JOBS,
        applications: Sequence[MyApplication] = APPLICATIONS,
        refusals: dict[int, str] | None = None,
        registered: bool = True,
        trainings: Sequence[Training] = TRAININGS,
    ) -> None:
        self._trainings = list(trainings)
        self._open_trainings = {tr.id: tr for tr in [*trainings, FULL, OTHER_COUNTY]}
        self._jobs = list(jobs)
        self._published = {job.id: job for job in [*jobs, INELIGIBLE]}
        self._applications = list(applications)
        self._refusals = dict(refusals or {})
        self.registered = registered
        areas = json.loads((DATA / "areas.json").read_text(encoding="utf-8"))
        skills = json.loads((DATA / "skills.json").read_text(encoding="utf-8"))
        counties = areas["city"]["counties"]
        self.day = day
        self._counties = [_option(county) for county in counties]
        self._townships = {
            county["code"]: [_option(township) for township in county["townships"]]
            for county in counties
        }
        self._skills = [_option(skill) for skill in skills["skills"]]

    def counties(self) -> Sequence[Option]:
        """The counties, in file order."""
        return self._counties

    def townships(self, county: str) -> Sequence[Option]:
        """The townships of one county, in file order."""
        return self._townships.get(county, [])

    def find_townships(self, text: str) -> Sequence[tuple[Option, Option]]:
        """Townships whose name equals what was typed, else those whose name contains it."""
        wanted = _folded(text)
        if not wanted:
            return []
        pairs = [
            (county, township)
            for county in self._counties
            for township in self._townships[county.key]
        ]
        names = {id(t): (_folded(t.zh), _folded(t.en)) for _, t in pairs}
        exact = [p for p in pairs if wanted in names[id(p[1])]]
        if exact:
            return exact
        return [p for p in pairs if any(wanted in name for name in names[id(p[1])])]

    def skills(self) -> Sequence[Option]:
        """The skills, in file order."""
        return self._skills

    def today(self) -> date:
        """The date set on this catalog."""
        return self.day

    def jobs(self) -> Sequence[Job]:
        """The jobs open to the caller, best first."""
        return self._jobs

    def job(self, job_id: int) -> Job | None:
        """A published job, open to the caller or not."""
        return self._published.get(job_id)

    def my_applications(self) -> Sequence[MyApplication]:
        """The caller's applications, newest first."""
        return self._applications

    def can_apply(self, job_id: int) -> str | None:
        """The refusal set for the job, else worked out from the jobs and applications."""
        if job_id in self._refusals:
            return self._refusals[job_id]
        if not self.registered:
            return "not_registered"
        job = self._published.get(job_id)
        if job is None:
            return "closed"
        if any(a.job_id == job_id and a.status in ACTIVE for a in self._applications):
            return "already_applied"
        if job not in self._jobs:
            return "not_eligible"
        return "full" if job.positions_left <= 0 else None

    def verify(self, code: str) -> Verdict:
        """A published job's code, the closed job's, or unknown."""
        for job in self._published.values():
            if job.code == code:
                return Verdict(code, "published", job)
        if code == CLOSED.code:
            return Verdict(code, "closed", CLOSED)
        return Verdict(code, "unknown")

    def officer_phone(self) -> str:
        """The officers' number."""
        return OFFICER_PHONE

    # Departures and check-ins: none unless a test sets them.
    departure: Departure | None = None
    checkin: OpenCheckIn | None = None
    pay_check: OpenPayCheck | None = None

    def pending_departure(self) -> Departure | None:
        """The departure a test set, if any."""
        return self.departure

    def open_checkin(self) -> OpenCheckIn | None:
        """The open check-in a test set, if any."""
        return self.checkin

    promise: OpenPromise | None = None

    def open_promise(self) -> OpenPromise | None:
        """The promise check a test set, if any."""
        return self.promise
    interview: OpenInterview | None = None

    def open_interview(self) -> OpenInterview | None:
        """The open invitation to a recruitment day a test set, if any."""
        return self.interview

    def family_phone(self, text: str) -> str | None:
        """A Chinese mobile number of 11 digits, as E.164."""
        digits = "".join(text.split())
        return f"+86{digits}" if len(digits) == 11 and digits.isdigit() else None

    # Cohorts: what a test set
    teams: Sequence[TeamLead] = ()
    question: FamilyQuestion | None = None

    def teams_led(self) -> Sequence[TeamLead]:
        """The teams a test set."""
        return self.teams

    def family_question(self) -> FamilyQuestion | None:
        """The family question a test set, if any."""
        return self.question
    def open_pay_check(self) -> OpenPayCheck | None:
        """The pay check a test set, if any."""
        return self.pay_check

    def with_jobs(self, jobs: Sequence[Job]) -> MenuCatalog:
        """The same catalog with other jobs open to the caller."""
        return MenuCatalog(self.day, jobs, self._applications, self._refusals, self.registered,
                           self._trainings)

    def trainings(self) -> Sequence[Training]:
        """The sessions open to the caller, soonest first."""
        return self._trainings if self.registered else []

    def training(self, training_id: int) -> Training | None:
        """An open session, in the caller's county or not."""
        return self._open_trainings.get(training_id)

    def can_enrol(self, training_id: int) -> str | None:
        """The refusal worked out from the sessions (set `refusals` by training id to force)."""
        if training_id in self._refusals:
            return self._refusals[training_id]
        if not self.registered:
            return "not_registered"
        training = self._open_trainings.get(training_id)
        if training is None:
            return "closed"
        if training.enrolled:
            return "already_enrolled"
        if training.county != LINCANG:
            return "not_eligible"
        return "full" if training.places_left <= 0 else None

    def with_trainings(self, trainings: Sequence[Training]) -> MenuCatalog:
        """The same catalog with other sessions open to the caller."""
        return MenuCatalog(self.day, self._jobs, self._applications, self._refusals,
                           self.registered, trainings)


def walk_ussd(inputs: list[str], contact: Contact, catalog: MenuCatalog) -> Step:
    """The step after dialling in and typing `inputs`: every screen on the way fits the
    USSD budget and every state is JSON-ready."""
    current = ussd.begin(contact, catalog)
    for entry in inputs:
        assert fits_ussd(current.screen), current.screen
        json.dumps(current.state)
        current = ussd.step(current.state, entry, catalog)
    assert fits_ussd(current.screen), current.screen
    json.dumps(current.state)
    return current
