"""Postings: where they lead, who may see them, vetting, publishing and matching villagers."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from menus.texts import t
from menus.types import Profile

from ..db import utcnow
from ..kernel.areas import area_data, fold
from ..kernel.errors import Refused
from ..messaging import jobpaths
from ..messaging.outbox import enqueue_after_commit
from ..models import (
    Agency,
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
    }


def new_code(session: Session) -> str:
    """A verification code no posting has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Posting.id).where(Posting.verification_code == code)) is None:
            return code


def vet(session: Session, posting: Posting, officer: User, publish: bool,
        reasons: Sequence[str], min_wage: int, today: date) -> dict[str, Any]:
    """Publish or reject a posting awaiting vetting; returns the recorded checklist."""
    if posting.status != PostingStatus.PENDING_VETTING:
        raise Refused(f"only a posting awaiting vetting can be vetted (it is {posting.status})")
    checks = checklist(posting, min_wage, today)
    failed = [name for name, ok in checks.items() if not ok]
    if publish and failed:
        raise Refused(f"cannot publish: {', '.join(failed)}", field="checklist", status=422)
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
    """What matching a villager to postings needs, from the database or a USSD session."""

    sex: str
    birth_year: int
    skills: frozenset[str]
    outside_province: bool | None

    @classmethod
    def of(cls, villager: Villager) -> Seeker:
        """The seeker a registered villager is."""
        return cls(villager.sex.value, villager.birth_year,
                   frozenset(s.skill_code for s in villager.skills), villager.outside_province)

    @classmethod
    def from_profile(cls, profile: Profile) -> Seeker:
        """The seeker a conversation's profile describes."""
        return cls(profile.sex, profile.birth_year, frozenset(profile.skills),
                   profile.outside_province)


def open_to(posting: Posting, seeker: Seeker | None, today: date) -> bool:
    """True when the posting is published, before its deadline, not full, and fits the seeker."""
    if not live(posting, today) or posting.deadline < today:
        return False
    if posting.confirmed >= posting.positions:
        return False
    return fits(posting, seeker, today)


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
    select(Posting.__table__, _A.name.label("agency_name"), _E.name.label("employer_name"))
    .join(Agency.__table__, _A.id == _P.agency_id)
    .join(Employer.__table__, _E.id == _P.employer_id)
    .where(_P.status == PostingStatus.PUBLISHED, _P.deadline >= bindparam("today"),
           _P.confirmed < _P.positions,
           _A.suspended.is_(False), _A.licence_expires >= bindparam("today"))
)


def jobs_for(session: Session, seeker: Seeker | None, today: date) -> list[Row[Any]]:
    """Postings open to the seeker, best match first, then the nearest deadline.

    Rows of the posting's columns with `agency_name` and `employer_name`.
    """
    rows = [r for r in session.connection().execute(_OPEN_POSTINGS, {"today": today})
            if fits(r, seeker, today)]
    if seeker is None:
        return sorted(rows, key=lambda r: (r.deadline, r.id))
    return sorted(rows, key=lambda r: (-match_score(r, seeker), r.deadline, r.id))


def alert_text(posting: Posting, language: str) -> str:
    """The job alert of a published posting: title, place, wage, its code and number."""
    return t(language, "sms_job_alert", title=cut(title_in(posting, language)),
             place=cut(posting.destination_city), wage_min=posting.wage_min,
             wage_max=posting.wage_max, code=posting.verification_code, job=posting.id)
