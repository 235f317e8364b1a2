"""Problem reports: list, read, assign and move cases.

Admins see every case, an officer the cases of villagers in their area, an agency its own
agency's cases, read only; anything else is 404. In an agency's view of an anonymous case
nothing says who reported it: no villager, no township, no application, no posting (nor
employer) while it has fewer than 5 applicants, and times only to the week.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import access
from ..access import STAFF
from ..db import utcnow
from ..followup import cases
from ..models import Case, CaseStatus, User, Villager
from ..services import services
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import AssignIn, CaseDetail, CaseEventOut, CaseOut, CaseStatusIn, CaseVillager

_LOADED = (joinedload(Case.villager).joinedload(Villager.contact),
           joinedload(Case.villager).joinedload(Villager.township))


def _stale_days() -> int:
    return int(services().settings["CASE_STALE_DAYS"])


def _shown(user: User, case: Case, moment: datetime | None) -> Any:
    """`moment` as the caller may see it (`cases.shown_time`); None stays None."""
    if moment is None:
        return None
    return cases.shown_time(user, case, moment, services().settings["TIMEZONE"])


def case_out(user: User, case: Case, now: datetime) -> CaseOut:
    """The caller's view of a case (see `cases.identity_hidden`, `cases.posting_hidden` and
    `cases.shown_time` for what an agency sees of an anonymous one)."""
    hidden = cases.identity_hidden(user, case)
    no_posting = cases.posting_hidden(user, case)
    villager = case.villager
    return CaseOut(
        id=case.id, status=case.status.value, category=case.category.value,
        description=case.description, anonymous=case.anonymous, via=case.via,
        area=None if hidden else villager.township.code,
        villager=None if hidden else CaseVillager(id=villager.id, name=villager.name,
                                                  phone=villager.contact.phone),
        application_id=None if hidden else case.application_id,
        posting_id=None if no_posting else case.posting_id,
        agency_id=case.agency_id, employer_id=None if no_posting else case.employer_id,
        assigned_to=case.assigned_to_id, created_at=_shown(user, case, case.created_at),
        touched_at=_shown(user, case, case.touched_at),
        closed_at=_shown(user, case, case.closed_at),
        stale=cases.is_stale(case, now, _stale_days()))


def case_detail(user: User, case: Case, now: datetime) -> CaseDetail:
    """A case with its history, oldest event first."""
    events = [CaseEventOut(at=_shown(user, case, e.at), action=e.action,
                           status=e.status.value if e.status else None,
                           note=e.note, by_user_id=e.by_user_id) for e in case.events]
    return CaseDetail(**case_out(user, case, now).model_dump(), events=events)


def _flag(name: str, value: str | None) -> bool | None:
    if value is None:
        return None
    if value.lower() not in ("true", "false", "1", "0"):
        raise ApiError(400, f"{name} is true or false", name)
    return value.lower() in ("true", "1")


@route("/cases", "GET", "List the problem reports the caller may see "
       "(`?status=`, `?assigned_to=`, `?stale=true`: oldest untouched first)",
       response=CaseOut, paginated=True, query=("status", "assigned_to", "stale"))
def list_cases(db: Session, user: User, paging: Paging = FIRST_PAGE, status: str | None = None,
               assigned_to: str | None = None,
               stale: str | None = None) -> tuple[list[CaseOut], int, int, int]:
    """Newest first, or with `stale=true` the longest untouched first."""
    page, per_page = paging
    now, days = utcnow(), _stale_days()
    query = select(Case).where(access.cases_seen(db, user))
    if status:
        if status not in set(CaseStatus):
            raise ApiError(400, f"unknown status {status!r}", "status")
        query = query.where(Case.status == status)
    if assigned_to:
        if not assigned_to.isdigit():
            raise ApiError(400, "assigned_to is a user id", "assigned_to")
        query = query.where(Case.assigned_to_id == int(assigned_to))
    stale_only = _flag("stale", stale)
    if stale_only is not None:
        clause = cases.stale_clause(now, days)
        query = query.where(clause if stale_only else ~clause)
    order = ((cases.untouched_since(), Case.id) if stale_only else (Case.id.desc(),))
    rows, total = page_of(db, query.options(*_LOADED).order_by(*order), paging)
    return [case_out(user, case, now) for case in rows], total, page, per_page


@route("/cases/<int:case_id>", "GET", "One problem report with its history",
       response=CaseDetail)
def get_case(db: Session, user: User, case_id: int) -> CaseDetail:
    """A case the caller may see, with its events; 404 for anyone else's."""
    return case_detail(user, access.case(db, user, case_id), utcnow())


@route("/cases/<int:case_id>/assign", "POST", "Assign a case to an officer of its area "
       "or an admin", roles=STAFF, body=AssignIn, response=CaseDetail)
def assign_case(db: Session, user: User, body: AssignIn, case_id: int) -> CaseDetail:
    """An officer of the case's area (or an admin) gives it to someone who may handle it."""
    case = access.case(db, user, case_id, lock=True)
    assignee = db.get(User, body.user_id)
    if assignee is None:
        raise ApiError(422, "no such user", "user_id")
    now = utcnow()
    cases.assign(db, case, user, assignee, now)
    db.flush()
    db.refresh(case)
    return case_detail(user, case, now)


@route("/cases/<int:case_id>/status", "POST", "Move a case: open → in_progress → resolved → "
       "closed, close from any, reopen a resolved one (other moves: 409); texts the villager",
       roles=STAFF, body=CaseStatusIn, response=CaseDetail)
def case_status(db: Session, user: User, body: CaseStatusIn, case_id: int) -> CaseDetail:
    """The move is recorded, the case touched, and the villager told by SMS."""
    case = access.case(db, user, case_id, lock=True)
    settings, now = services().settings, utcnow()
    cut = cases.change_status(db, case, user, body.status, body.note, settings["SMS_PROVIDER"],
                              settings["DEFAULT_LANGUAGE"], now)
    db.flush()
    db.refresh(case)
    return case_detail(user, case, now).model_copy(update={"note_cut": cut})
