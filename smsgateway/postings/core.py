"""Postings: where they lead, who may see them, vetting, publishing and matching villagers."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session, selectinload

from menus.budget import is_gsm, normalise
from menus.capped import capped
from menus.types import Profile

from ..db import utcnow
from ..kernel.areas import area_data, area_ids_under, fold
from ..kernel.errors import Refused
from ..kernel.names import english_name
from ..kernel.provinces import city_names
from ..messaging import jobpaths
from ..messaging.outbox import enqueue_after_commit
from ..models import (
    Agency,
    Area,
    Contact,
    Destination,
    Employer,
    Posting,
    PostingStatus,
    User,
    Villager,
)
from ..templates import cut

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed
CODE_LENGTH = 6


def destination_of(city: str, province: str) -> Destination:
    """Within the programme's city, elsewhere in its province, or outside the province."""
    home = area_data()
    if fold(city) in {fold(home["city"]["zh"]), fold(home["city"]["en"]),
                       fold(home["city"]["zh"].removesuffix("市"))}:
        return Destination.WITHIN_CITY
    provinces = {fold(home["province"]["zh"]), fold(home["province"]["en"]),
                 fold(home["province"]["zh"].removesuffix("省"))}
    if fold(province) in provinces:
        return Destination.IN_PROVINCE
    return Destination.OUTSIDE_PROVINCE


def checklist(posting: Posting, min_wage: int, today: date) -> dict[str, bool]:
    """The vetting checklist, worked out from the posting and its agency."""
    return {
        "agency_licensed": posting.agency.licensed_on(today),
        "wage_at_least_minimum": posting.wage_min >= min_wage,
        "no_worker_fee": posting.worker_fee == 0,
        "contract_terms_stated": (posting.contract_months > 0 and posting.hours_per_day > 0
                                  and posting.days_per_week > 0),
        "english_texts_gsm7": not english_outside_gsm(posting),
    }


def english_outside_gsm(posting: Posting) -> list[str]:
    """The posting's texts an English SMS would carry that leave the GSM-7 alphabet (one
    such character sends the whole SMS as UCS-2, at three times the price): by field."""
    _, city_en = city_names(posting.destination_city, posting.destination_province)
    shown = {"title_en": posting.title_en, "destination_city": city_en,
             "employer.name_en": english_name(posting.employer),
             "agency.name_en": english_name(posting.agency)}
    return [name for name, text in shown.items() if not is_gsm(normalise(text))]


def new_code(session: Session) -> str:
    """A verification code no posting has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Posting.id).where(Posting.verification_code == code)) is None:
            return code


def vet(session: Session, posting: Posting, officer: User, publish: bool,
        reasons: Sequence[str], min_wage: int, today: date,
        extra: Mapping[str, bool] | None = None) -> dict[str, Any]:
    """Publish or reject a posting awaiting vetting; returns the recorded checklist.
    `extra`: checklist items worked out elsewhere (the agency record's second look)."""
    if posting.status != PostingStatus.PENDING_VETTING:
        raise Refused(f"only a posting awaiting vetting can be vetted (it is {posting.status})")
    checks = {**checklist(posting, min_wage, today), **(extra or {})}
    failed = [name for name, ok in checks.items() if not ok]
    if publish and failed:
        fields = english_outside_gsm(posting) if "english_texts_gsm7" in failed else []
        because = (f" (English texts must be GSM-7, without Chinese or other characters; "
                   f"change {', '.join(fields)})" if fields else "")
        raise Refused(f"cannot publish: {', '.join(failed)}{because}", field="checklist",
                      status=422)
    if not publish and not [r for r in reasons if r.strip()]:
        raise Refused("a rejection needs at least one reason", field="reasons", status=422)
    posting.checklist = checks
    posting.vetted_by_id, posting.vetted_at = officer.id, utcnow()
    if publish:
        posting.status = PostingStatus.PUBLISHED
        posting.verification_code = new_code(session)
        posting.published_at = utcnow()
        session.flush()
        enqueue_after_commit(session, jobpaths.SEND_JOB_ALERTS, posting.id, queue="default",
                             job_id=f"job-alerts-{posting.id}")
    else:
        posting.status = PostingStatus.REJECTED
        posting.rejection_reasons = [r.strip() for r in reasons if r.strip()]
    return checks


def submit(posting: Posting) -> None:
    """A draft goes to vetting."""
    if posting.status != PostingStatus.DRAFT:
        raise Refused(f"only a draft can be submitted (it is {posting.status})")
    posting.status = PostingStatus.PENDING_VETTING


def close(posting: Posting) -> None:
    """Close a posting that is not closed, filled or rejected already."""
    if posting.status in (PostingStatus.CLOSED, PostingStatus.FILLED, PostingStatus.REJECTED):
        raise Refused(f"the posting is already {posting.status}")
    posting.status = PostingStatus.CLOSED


def title_in(posting: Posting, language: str) -> str:
    """The posting's title in a villager's language."""
    return posting.title_zh if language == "zh" else posting.title_en


def live(posting: Posting, today: date) -> bool:
    """Published, and its agency still licensed and not suspended: villagers may see it."""
    return posting.status == PostingStatus.PUBLISHED and posting.agency.licensed_on(today)


@dataclass(frozen=True)
class Seeker:
    """What matching a villager to postings needs, from the database or a USSD session.

    `areas`: where the seeker lives, their township and every area above it (None: nobody
    knows, a caller not registered), for the area rule (`reaches`)."""

    sex: str
    birth_year: int
    skills: frozenset[str]
    outside_province: bool | None
    areas: frozenset[int] | None = None

    @classmethod
    def of(cls, villager: Villager) -> Seeker:
        """The seeker a registered villager is."""
        return cls(villager.sex.value, villager.birth_year,
                   frozenset(s.skill_code for s in villager.skills), villager.outside_province,
                   areas_above(villager.township))

    @classmethod
    def from_profile(cls, profile: Profile, session: Session) -> Seeker:
        """The seeker a conversation's profile describes."""
        return cls(profile.sex, profile.birth_year, frozenset(profile.skills),
                   profile.outside_province, areas_above_code(session, profile.township))


def _areas_above_statement() -> Any:
    up = (select(Area.id, Area.parent_id).where(Area.code == bindparam("code"))
          .cte("up", recursive=True))
    up = up.union_all(select(Area.id, Area.parent_id).join(up, Area.id == up.c.parent_id))
    return select(up.c.id)


# Built once and run on the Core path, as `_OPEN_POSTINGS` below: a recursive CTE built anew
# took three times as long as running it (bench/ussd.py)
_AREAS_ABOVE = _areas_above_statement()


def areas_above_code(session: Session, code: str | None) -> frozenset[int] | None:
    """The area of `code` and every area above it, read in one query (a USSD step reads
    them on every job list); None when there is no such area."""
    if not code:
        return None
    return frozenset(session.connection().execute(_AREAS_ABOVE, {"code": code}).scalars()) or None


def areas_above(area: Area) -> frozenset[int]:
    """The area and every area above it (a township, its county, the city)."""
    found: set[int] = set()
    current: Area | None = area
    while current is not None:
        found.add(current.id)
        current = current.parent
    return frozenset(found)


# --- The area rule: who a posting is open to (issue 17) ----------------------------------------
# A posting recruits in an area (`Posting.area_id`): it is open to the villagers of that area
# and of the areas below it, so a city-wide posting is open to everyone, a county's to that
# county's villagers. This is the one place the rule is written: the job alerts (`open_to`),
# the `JOBS` list and the USSD list (`jobs_for`), a job's details by SMS and USSD
# (`conversation.catalog.job`) and applying by SMS and USSD (`applications.refusal`) all ask
# `reaches`. A caller nobody knows the township of sees the city-wide postings only.


def reaches(posting: Any, areas: frozenset[int]) -> bool:
    """True when the posting (or a row of its columns) recruits in one of `areas`, the areas
    whose postings are open to a seeker (`open_areas`)."""
    return posting.area_id in areas


def open_areas(session: Session, seeker: Seeker | None) -> frozenset[int]:
    """The areas whose postings are open to the seeker: theirs and those above it; for a
    caller nobody knows the township of, the top areas (the city's) alone."""
    if seeker is None or seeker.areas is None:
        return top_areas(session)
    return seeker.areas


def top_areas(session: Session) -> frozenset[int]:
    """The areas above all others (the programme's city): a posting there reaches everyone."""
    return frozenset(session.scalars(select(Area.id).where(Area.parent_id.is_(None))))


def open_to(posting: Posting, seeker: Seeker, today: date) -> bool:
    """True when the posting is published, before its deadline, not full, open to the
    seeker's area (a registered villager's: `reaches`) and fits the seeker."""
    if not live(posting, today) or posting.deadline < today:
        return False
    if posting.confirmed >= posting.positions:
        return False
    return reaches(posting, seeker.areas or frozenset()) and fits(posting, seeker, today)


def fits(posting: Any, seeker: Seeker | None, today: date) -> bool:
    """True when the seeker is of the sex and age the posting asks for (None: anyone)."""
    if seeker is None:
        return True
    if posting.sex and posting.sex != seeker.sex:
        return False
    # A villager's age as the programme counts it: this year minus the year of birth.
    return bool(posting.age_min <= today.year - seeker.birth_year <= posting.age_max)


def match_score(posting: Any, seeker: Seeker) -> int:
    """Higher is a better match: the trade or the skills asked for, and willingness to travel."""
    score = 4 if posting.trade in seeker.skills else 0
    score += 2 * len(seeker.skills & set(posting.skills_required or []))
    if posting.destination == Destination.OUTSIDE_PROVINCE:
        score += 1 if seeker.outside_province else -3
    return score


# What `open_to` checks one posting for, asked of the database for all postings at once:
# built once (the USSD "Jobs" step runs it on every visit; building a select of all the
# posting's columns costs more than running it; ORM entities, or even the ORM's execute
# path, would double or triple the cost).
_P, _A, _E = Posting.__table__.c, Agency.__table__.c, Employer.__table__.c
_OPEN_POSTINGS = (
    select(Posting.__table__, _A.name.label("agency_name"), _E.name.label("employer_name"),
           _A.name_en.label("agency_name_en"), _E.name_en.label("employer_name_en"))
    .join(Agency.__table__, _A.id == _P.agency_id)
    .join(Employer.__table__, _E.id == _P.employer_id)
    .where(_P.status == PostingStatus.PUBLISHED, _P.deadline >= bindparam("today"),
           _P.confirmed < _P.positions,
           _A.suspended.is_(False), _A.licence_expires >= bindparam("today"))
)


def jobs_for(session: Session, seeker: Seeker | None, today: date) -> list[Row[Any]]:
    """Postings open to the seeker (their area: `reaches`; sex and age: `fits`), best match
    first: the most of the seeker's skills the posting asks for (`match_score`: its trade
    4, each skill asked for 2, willingness to travel out of the province), then the nearest
    deadline, then the oldest posting.

    Rows of the posting's columns with `agency_name` and `employer_name` (and their `_en`).
    """
    areas = open_areas(session, seeker)
    rows = [r for r in session.connection().execute(_OPEN_POSTINGS, {"today": today})
            if reaches(r, areas) and fits(r, seeker, today)]
    if seeker is None:
        return sorted(rows, key=lambda r: (r.deadline, r.id))
    return sorted(rows, key=lambda r: (-match_score(r, seeker), r.deadline, r.id))


def city_in(posting: Posting, language: str) -> str:
    """The posting's city as a villager reads it (English: the gazetteer's GSM-7 name)."""
    zh, en = city_names(posting.destination_city, posting.destination_province)
    return zh if language == "zh" else en


def alert_text(posting: Posting, language: str) -> str:
    """The job alert of a published posting: title, place, wage, its code and number, within
    the cap of an automated SMS (the title is cut, never the code or the no-fee line)."""
    return capped(language, "sms_job_alert", title=cut(title_in(posting, language)),
                  place=cut(city_in(posting, language)), wage_min=posting.wage_min,
                  wage_max=posting.wage_max, code=posting.verification_code, job=posting.id)


def fits_skills(posting: Posting, villager: Villager) -> bool:
    """The villager has the trade or a skill asked for; a posting asking none fits anyone."""
    skills = {s.skill_code for s in villager.skills}
    required = set(posting.skills_required or [])
    return not required or posting.trade in skills or bool(skills & required)


def alert_audience(session: Session, posting: Posting, today: date) -> list[int]:
    """The villagers a posting is for, in id order: registered in its area (and below), who
    consent to SMS and have not opted out, whom it is open to (sex, age) and who have its
    trade or a skill it asks for. Job alerts and recruitment days' invitations go to them."""
    query = (select(Villager).join(Contact, Villager.contact_id == Contact.id)
             .where(Villager.township_id.in_(area_ids_under(session, posting.area_id)),
                    Villager.sms_consent.is_(True), Contact.opted_out.is_(False))
             .options(selectinload(Villager.skills)).order_by(Villager.id))
    return [v.id for v in session.scalars(query)
            if open_to(posting, Seeker.of(v), today) and fits_skills(posting, v)]
