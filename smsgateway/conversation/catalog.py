"""The conversation's catalog (`menus.types.Catalog`) over the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from menus.types import (
    Departure,
    FamilyQuestion,
    Job,
    MyApplication,
    OpenCheckIn,
    OpenInterview,
    OpenPayCheck,
    OpenPromise,
    Option,
    Profile,
    TeamLead,
    Training,
    Verdict,
)

from ..db import utcnow
from ..figures import records
from ..followup import arrival, checkins, cohorts, departures, paychecks, promises
from ..kernel.areas import fold, skills
from ..kernel.names import pinyin_name
from ..kernel.phones import BadPhone, to_e164
from ..kernel.provinces import city_names
from ..models import Application, Area, AreaLevel, Contact, Posting, TrainingSession, Villager
from ..postings import applications
from ..postings import recruitment_days as interviews
from ..postings.core import Seeker, jobs_for, live, open_areas, reaches
from ..training import sessions as trainings


def _option(area: Area) -> Option:
    return Option(area.code, area.name_zh, area.name_en)


def _named(key: str, name: str, name_en: str | None) -> Option:
    """An employer or agency named in both languages (English: its name_en, or pinyin)."""
    return Option(key, name, name_en or pinyin_name(name))


def job_of(posting: Any, row: Any = None) -> Job:
    """A published posting as a villager sees it: a `Posting`, or a row of its columns with
    the employer's and the agency's names (`postings.jobs_for`). Its place and names read
    in each language from their own alphabet (the gazetteer, English names)."""
    employer = (_named("employer", row.employer_name, row.employer_name_en) if row is not None
                else _named("employer", posting.employer.name, posting.employer.name_en))
    agency = (_named("agency", row.agency_name, row.agency_name_en) if row is not None
              else _named("agency", posting.agency.name, posting.agency.name_en))
    zh, en = city_names(posting.destination_city, posting.destination_province)
    return Job(
        id=posting.id, title=Option(str(posting.id), posting.title_zh, posting.title_en),
        place=Option(posting.destination_city, zh, en),
        wage_min=posting.wage_min, wage_max=posting.wage_max,
        employer=employer, agency=agency,
        contract_months=posting.contract_months,
        hours_per_day=posting.hours_per_day, days_per_week=posting.days_per_week,
        food=posting.food, housing=posting.housing, departure=posting.departure_date,
        deadline=posting.deadline, code=posting.verification_code or "",
        positions_left=max(posting.positions - posting.confirmed, 0),
    )


_VILLAGER_ID = select(Villager.id).join(Contact).where(Contact.phone == bindparam("phone"))


class DbCatalog:
    """The conversation's view of the database, for the phone that called.

    Areas and postings come from the database, skills from the catalogue file, today
    from the programme's time zone.
    """

    def __init__(self, session: Session, timezone: str, phone: str | None = None,
                 officer_phone: str = "", profile: Profile | None = None) -> None:
        self.session = session
        # The caller's profile as the conversation already holds it: matching jobs needs
        # no lookup (the caller's own registered record is what it came from).
        self.profile = profile
        self.zone = ZoneInfo(timezone)
        self.phone = phone
        self._officer_phone = officer_phone
        self._jobs: list[Job] | None = None  # menus may ask more than once in one step
        self._villager: Villager | None = None
        self._villager_looked_up = False
        self._villager_id: int | None = None  # found without loading the villager…
        self._villager_id_looked_up = False  # …once
        self._pay_check: OpenPayCheck | None = None
        self._pay_check_looked_up = False
        self.region = "CN"  # where a phone typed without +country is from

    @classmethod
    def for_phone(cls, session: Session, settings: dict[str, Any], phone: str,
                  profile: Profile | None = None) -> DbCatalog:
        """The catalog a request from `phone` converses with."""
        catalog = cls(session, settings["TIMEZONE"], phone, settings["OFFICER_PHONE"], profile)
        catalog.region = settings["DEFAULT_REGION"]
        return catalog

    def _seeker(self) -> Seeker | None:
        if self.profile is not None:
            return Seeker.from_profile(self.profile, self.session)
        villager = self.villager()
        return Seeker.of(villager) if villager else None

    def villager(self) -> Villager | None:
        """The registered villager of the calling phone, if any (looked up once)."""
        if self.phone is None:
            return None
        if not self._villager_looked_up:
            self._villager_looked_up = True
            self._villager = self.session.scalars(
                select(Villager).join(Contact).where(Contact.phone == self.phone)
                .options(selectinload(Villager.skills), joinedload(Villager.township))).first()
        return self._villager

    def villager_id(self) -> int | None:
        """The id of the calling phone's villager, if any: a question that needs no more
        (an open invitation when a USSD session begins) does not load the villager."""
        if self._villager_looked_up or self.phone is None:
            return self._villager.id if self._villager else None
        if not self._villager_id_looked_up:
            self._villager_id_looked_up = True
            self._villager_id = self.session.execute(_VILLAGER_ID, {"phone": self.phone}).scalar()
        return self._villager_id

    def counties(self) -> Sequence[Option]:
        query = select(Area).where(Area.level == AreaLevel.COUNTY).order_by(Area.position)
        return [_option(a) for a in self.session.scalars(query)]

    def townships(self, county: str) -> Sequence[Option]:
        parent = select(Area.id).where(Area.code == county).scalar_subquery()
        query = select(Area).where(Area.parent_id == parent).order_by(Area.position)
        return [_option(a) for a in self.session.scalars(query)]

    def find_townships(self, text: str) -> Sequence[tuple[Option, Option]]:
        wanted = fold(text)
        if not wanted:
            return []
        query = (
            select(Area)
            .where(Area.level == AreaLevel.TOWNSHIP)
            .options(joinedload(Area.parent))
            .order_by(Area.parent_id, Area.position)
        )
        exact, partial = [], []
        for township in self.session.scalars(query):
            assert township.parent is not None
            pair = (_option(township.parent), _option(township))
            names = (fold(township.name_zh), fold(township.name_en))
            if wanted in names:
                exact.append(pair)
            elif any(n.startswith(wanted) or n in wanted for n in names):
                partial.append(pair)  # "凤山" for 凤山镇, or "凤庆县凤山镇" naming the county too
        return exact or partial

    def skills(self) -> Sequence[Option]:
        return skills()

    def today(self) -> date:
        return datetime.now(self.zone).date()

    def jobs(self) -> Sequence[Job]:
        if self._jobs is None:
            rows = jobs_for(self.session, self._seeker(), self.today())
            self._jobs = [job_of(r, r) for r in rows]
        return self._jobs

    def job(self, job_id: int) -> Job | None:
        posting = self.session.get(Posting, job_id)
        if posting is None or not live(posting, self.today()):
            return None
        if not reaches(posting, open_areas(self.session, self._seeker())):
            return None  # another area's posting: answered as if there were none (issue 17)
        paid = records.paid_last_month(self.session, posting.employer_id, utcnow(),
                                       self.zone.key)
        return replace(job_of(posting),
                       paid_last_month=(paid.count, paid.of) if paid is not None else None)

    def my_applications(self) -> Sequence[MyApplication]:
        villager = self.villager()
        if villager is None:
            return []
        query = (select(Application).where(Application.villager_id == villager.id)
                 .options(joinedload(Application.posting))
                 .order_by(Application.created_at.desc(), Application.id.desc()))
        upcoming = {d.job_id: d for d in reversed(self._departures())}  # soonest wins
        return [MyApplication(a.posting_id, Option(str(a.posting_id), a.posting.title_zh,
                                                   a.posting.title_en),
                              a.status.value, a.reason,
                              upcoming.get(a.posting_id) if a.status.value == "confirmed"
                              else None)
                for a in self.session.scalars(query)]

    def can_apply(self, job_id: int) -> str | None:
        posting = self.session.get(Posting, job_id)
        return applications.refusal(self.session, self.villager(), posting, self.today())

    def verify(self, code: str) -> Verdict:
        wanted = fold(code).upper()
        posting = self.session.scalars(select(Posting).where(
            Posting.verification_code == wanted)).first() if wanted else None
        if posting is None:
            return Verdict(wanted, "unknown")
        status = "published" if live(posting, self.today()) else "closed"
        return Verdict(wanted, status, job_of(posting))

    def officer_phone(self) -> str:
        return self._officer_phone

    # Training

    def _session(self, training_id: int) -> TrainingSession | None:
        return self.session.get(TrainingSession, training_id, options=[
            joinedload(TrainingSession.township).joinedload(Area.parent)])

    def trainings(self) -> Sequence[Training]:
        villager = self.villager()
        if villager is None:
            return []
        mine = trainings.holding(self.session, villager)
        query = trainings.open_to_query(villager, self.today()).options(
            joinedload(TrainingSession.township).joinedload(Area.parent))
        return [trainings.training_of(s, s.id in mine) for s in self.session.scalars(query)
                if s.id in mine or s.taken < s.capacity]

    def training(self, training_id: int) -> Training | None:
        found = self._session(training_id)
        if found is None or not trainings.upcoming(found, self.today()):
            return None
        villager = self.villager()
        mine = trainings.holding(self.session, villager) if villager else set()
        return trainings.training_of(found, training_id in mine)

    def can_enrol(self, training_id: int) -> str | None:
        return trainings.refusal(self.session, self.villager(), self._session(training_id),
                                 self.today())

    # Departures and check-ins

    def _departures(self) -> list[Departure]:
        """The caller's upcoming departures, soonest first."""
        villager = self.villager()
        if villager is None:
            return []
        return [Departure(d.id, d.posting_id,
                          Option(str(d.posting_id), d.posting.title_zh, d.posting.title_en),
                          d.leaves_at.astimezone(self.zone), d.place,
                          departures.answer_word(going) if going is not None else None)
                for d, going in departures.pending_for(self.session, villager.id, utcnow())]

    def pending_departure(self) -> Departure | None:
        return next(iter(self._departures()), None)

    def open_checkin(self) -> OpenCheckIn | None:
        villager = self.villager()
        checkin = checkins.open_for(self.session, villager.id) if villager else None
        return OpenCheckIn(checkin.id, checkin.number == 0) if checkin else None

    def family_phone(self, text: str) -> str | None:
        try:
            return to_e164(text, self.region)
        except BadPhone:
            return None

    # Promise against reality

    def open_promise(self) -> OpenPromise | None:
        villager = self.villager()
        if villager is None:
            return None
        now = utcnow()
        check = promises.latest_for(self.session, villager.id, now)
        if check is None:
            return None
        later = checkins.open_for(self.session, villager.id)
        if later is not None and later.sent_at > check.asked_at:
            return None  # a check-in asked after it takes the digit
        return OpenPromise(check.id, promises.question(check),
                           check.asked_at.astimezone(self.zone), check.job_as_promised)
    # Cohorts

    def teams_led(self) -> Sequence[TeamLead]:
        villager = self.villager()
        if villager is None:
            return []
        return [TeamLead(lead.cohort_id, lead.team, lead.size, lead.asked_at, lead.last)
                for lead in cohorts.teams_led(self.session, villager.id)]

    def family_question(self) -> FamilyQuestion | None:
        if self.phone is None:
            return None
        contact = self.session.scalars(select(Contact).where(Contact.phone == self.phone)).first()
        notice = arrival.family_question(self.session, contact.id, utcnow()) if contact else None
        if notice is None or notice.family_asked_at is None:
            return None
        villager = notice.checkin.application.villager
        return FamilyQuestion(notice.id, villager.name, notice.family_asked_at,
                              notice.family_answer is not None,
                              contact.language if contact and contact.language
                              else villager.contact.language or "zh")
    # Pay checks (followup/paychecks.py)

    def open_pay_check(self) -> OpenPayCheck | None:
        """The latest pay check, unless an open check-in was asked since its last question
        (or it is answered and a check-in is open): then a digit is the check-in's. Looked
        up once a step (a USSD dial asks on every session; its screens ask again)."""
        if not self._pay_check_looked_up:
            self._pay_check_looked_up = True
            self._pay_check = self._find_pay_check()
        return self._pay_check

    def _find_pay_check(self) -> OpenPayCheck | None:
        villager_id = self.villager_id()
        check = paychecks.open_for(self.session, villager_id) if villager_id else None
        if villager_id is None or check is None:
            return None
        question = paychecks.open_question(check)
        checkin = checkins.open_for(self.session, villager_id)
        if checkin is not None and (checkin.last_sent_at > question.asked_at or (
                question.answer is not None and not question.awaiting_amount)):
            return None
        return question
    # Recruitment days

    def open_interview(self) -> OpenInterview | None:
        villager_id = self.villager_id()
        if villager_id is None:
            return None
        found = interviews.open_for(self.session, villager_id, self.today())
        return interviews.as_seen(found) if found else None
