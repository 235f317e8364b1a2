"""Promise against reality: the arrival check-in's two questions (is the job the one the
posting described; are the wage and the hours as it said), answered 1 yes 2 no.

Why after the arrival's answer, and not in the check-in itself: the check-in SMS already
holds its 1/2/3 question in one segment, and a question added to it would make every
arrival two or three segments, answered or not. Asked in the replies instead, the two
questions cost no SMS of their own: "1" (or "2") to the arrival is answered with the first
question, its answer with the second, and that one's with where the answers go. A worker
who answered 3 (home) is not asked.

A "no" opens one case of the category contract against the posting, its agency and its
employer (the arrival's "2" case, when the worker answered 2, is that case: it is
re-filed as contract rather than doubled); a second "no" adds a note to it. A repeated
answer changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import utcnow
from ..models import (
    Application,
    Case,
    CaseCategory,
    CaseEvent,
    CheckIn,
    PromiseCheck,
    Villager,
)
from .cases import LIVE, open_case

QUESTIONS = ("job", "pay")
ASKED_AFTER = (1, 2)  # the arrival check-in's answers followed by the questions
NOTED_DAYS = 3  # a repeated answer within these days after the last is "already noted"
DESCRIPTIONS = {
    "job": "Arrival check: the job is not the one the posting described.",
    "pay": "Arrival check: the wage or the hours are not as the posting said.",
}


def question(check: PromiseCheck) -> str | None:
    """The question waiting for an answer: "job", then "pay"; None when both are answered."""
    if check.job_as_promised is None:
        return "job"
    if check.pay_as_promised is None:
        return "pay"
    return None


def ask(session: Session, checkin: CheckIn, now: datetime) -> PromiseCheck | None:
    """After the arrival check-in was answered 1 or 2: the placement's promise check (one
    per placement; the first question goes out in the reply to that answer)."""
    if checkin.number != 0 or checkin.answer not in ASKED_AFTER:
        return None
    found = session.scalars(select(PromiseCheck).where(
        PromiseCheck.application_id == checkin.application_id)).first()
    if found is not None:
        return found
    check = PromiseCheck(application_id=checkin.application_id, asked_at=now)
    session.add(check)
    session.flush()
    return check


def latest_for(session: Session, villager_id: int, now: datetime) -> PromiseCheck | None:
    """The villager's latest promise check of a placement they have not returned from: open
    (a question waits), or answered within NOTED_DAYS (a repeat is "already noted")."""
    check = session.scalars(
        select(PromiseCheck).join(Application, Application.id == PromiseCheck.application_id)
        .where(Application.villager_id == villager_id, Application.returned_at.is_(None))
        .order_by(PromiseCheck.asked_at.desc(), PromiseCheck.id.desc())).first()
    if check is None or question(check) is not None:
        return check
    answered = check.answered_at or check.asked_at
    return check if answered >= now - timedelta(days=NOTED_DAYS) else None


def answer(session: Session, villager: Villager, check_id: int, asked: str, kept: bool,
           channel: str, now: datetime) -> PromiseCheck | None:
    """Record the answer to question `asked` ("job" or "pay"); a "no" opens (or adds to)
    the placement's contract case. An answer already given is kept as it was."""
    check = session.get(PromiseCheck, check_id, with_for_update=True)
    if check is None or asked not in QUESTIONS or check.application.villager_id != villager.id:
        return None
    if getattr(check, f"{asked}_as_promised") is not None:
        return check  # already noted: a late repeat changes nothing and opens nothing
    setattr(check, f"{asked}_as_promised", kept)
    check.answered_at = now
    if not kept:
        _not_as_promised(session, check, villager, asked, channel, now)
    session.flush()
    return check


def _not_as_promised(session: Session, check: PromiseCheck, villager: Villager, asked: str,
                     channel: str, now: datetime) -> None:
    """The one contract case of this placement: opened, re-filed or noted."""
    description = DESCRIPTIONS[asked]
    if check.case_id is not None:
        session.add(CaseEvent(case_id=check.case_id, at=now, action="note", note=description))
        return
    arrival_case = session.scalars(
        select(Case).join(CheckIn, CheckIn.case_id == Case.id)
        .where(CheckIn.application_id == check.application_id, CheckIn.number == 0)).first()
    if arrival_case is not None and arrival_case.status in LIVE:
        # The worker answered 2 (a problem) to the arrival: that case is this one.
        arrival_case.category = CaseCategory.CONTRACT
        session.add(CaseEvent(case_id=arrival_case.id, at=utcnow(), action="note",
                              note=f"{description} Filed as contract not as promised."))
        check.case_id = arrival_case.id
        return
    case = open_case(session, villager, CaseCategory.CONTRACT, description, anonymous=False,
                     via="checkin", channel=channel, application=check.application)
    check.case_id = case.id
