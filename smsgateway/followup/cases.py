"""Problem reports: a case opened by a villager (menu, SMS or a check-in answer), linked to
their placement where known, and the SMS that gives them its number; officers assign
cases and move them through their statuses (each move texts the villager); a case nobody
touched for CASE_STALE_DAYS is stale."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, object_session

from menus.budget import normalise, sms_segments
from menus.capped import within_cap
from menus.pages import clip
from menus.texts import t
from menus.types import DESCRIPTION_MAX

from .. import access
from ..db import utcnow
from ..kernel.errors import Refused
from ..kernel.lifecycle import Lifecycle
from ..messaging.gateways.registry import TEMPLATED_PROVIDERS
from ..messaging.outbox import add_message
from ..models import (
    Application,
    ApplicationStatus,
    Case,
    CaseCategory,
    CaseEvent,
    CaseStatus,
    Role,
    User,
    Villager,
)
from ..templates import Templated, free_text, templated

MAX_DESCRIPTION = DESCRIPTION_MAX  # characters: a few SMS' worth (the menus ask no more)
# A placement, best first: the job they went to, then one they are confirmed for.
PLACED = (ApplicationStatus.DEPARTED, ApplicationStatus.CONFIRMED)


def placement_of(session: Session, villager: Villager) -> Application | None:
    """The villager's current placement: their latest departed, else confirmed, application."""
    rows = session.scalars(select(Application).where(
        Application.villager_id == villager.id, Application.status.in_(PLACED))
        .order_by(Application.updated_at.desc(), Application.id.desc())).all()
    return min(rows, key=lambda a: PLACED.index(a.status), default=None)


def open_case(session: Session, villager: Villager, category: CaseCategory | str,
              description: str, anonymous: bool, via: str, channel: str,
              application: Application | None = None) -> Case:
    """Open a case for the villager and tell them its number by SMS (in the caller's
    transaction). The placement is `application`, or found from their applications."""
    placement = application or placement_of(session, villager)
    posting = placement.posting if placement else None
    case = Case(
        villager=villager, area_id=villager.township_id, application=placement,
        posting=posting, agency_id=posting.agency_id if posting else None,
        employer_id=posting.employer_id if posting else None,
        category=CaseCategory(category), description=description.strip()[:MAX_DESCRIPTION],
        anonymous=anonymous, via=via, status=CaseStatus.OPEN,
    )
    session.add(case)
    session.flush()
    session.add(CaseEvent(case_id=case.id, at=utcnow(), action="opened",
                          status=CaseStatus.OPEN))
    contact = villager.contact
    add_message(session, contact,
                templated(contact.language, "sms_case_opened", number=case.id),
                kind="case", channel=channel)
    return case


# --- Officers' work on a case: scope, assignment, status moves, staleness ---

# The moves an officer may make: on through the steps, close from any, reopen a resolved one.
LIFECYCLE = Lifecycle.of({
    CaseStatus.IN_PROGRESS: (CaseStatus.OPEN, CaseStatus.RESOLVED),
    CaseStatus.RESOLVED: (CaseStatus.IN_PROGRESS,),
    CaseStatus.CLOSED: (CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED),
})
LIVE = (CaseStatus.OPEN, CaseStatus.IN_PROGRESS)  # cases that wait on an officer
STATUS_SMS_SEGMENTS = 2  # a status SMS with the officer's note stays within this


def identity_hidden(user: User, case: Case) -> bool:
    """True when the caller must not learn who reported: an agency, on an anonymous case."""
    return case.anonymous and user.role == Role.AGENCY


MIN_APPLICANTS_SHOWN = 5  # an anonymous case names its posting to the agency from 5 applicants


def posting_hidden(user: User, case: Case) -> bool:
    """True when the caller must not learn the case's posting (nor its employer): an agency,
    on an anonymous case whose posting has fewer than MIN_APPLICANTS_SHOWN applicants (any
    status) — the agency's own applicant list of that posting would narrow the reporter
    down to a handful."""
    if not identity_hidden(user, case) or case.posting_id is None:
        return False
    session = object_session(case)
    assert session is not None, "a case read from the database"
    applicants = session.scalar(select(func.count()).select_from(Application)
                                .where(Application.posting_id == case.posting_id)) or 0
    return applicants < MIN_APPLICANTS_SHOWN


def shown_time(user: User, case: Case, moment: datetime, timezone: str) -> datetime:
    """A time of the case as the caller may see it: exact for staff and for cases with a
    name; in an agency's view of an anonymous case, only the week — the Monday 00:00
    (programme time) of the week it happened.

    Why the week and not the day: the agency sees exact times of every application to its
    postings (applied, shortlisted, confirmed, departed), and reports often follow such a
    step closely (a problem right after a departure, an answer to a check-in); in a small
    posting one applicant acting on a given day is common, so a day can still point at one
    person, while a week mixes the report with a week of everyone's steps. The agency still
    learns how long a case has been open, to the week; officers see exact times."""
    if not identity_hidden(user, case):
        return moment
    local = moment.astimezone(ZoneInfo(timezone))
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(), tzinfo=local.tzinfo).astimezone(UTC)


def last_touched(case: Case) -> datetime:
    """When an officer last acted on the case, or when it was opened if nobody has."""
    return case.touched_at or case.created_at


def is_stale(case: Case, now: datetime, days: int) -> bool:
    """An open or in-progress case that nobody touched for `days` days."""
    return case.status in LIVE and last_touched(case) <= now - timedelta(days=days)


def stale_clause(now: datetime, days: int) -> ColumnElement[bool]:
    """`is_stale` as a condition on Case."""
    return and_(Case.status.in_(LIVE), untouched_since() <= now - timedelta(days=days))


def untouched_since() -> ColumnElement[Any]:
    """`last_touched` as a column expression (stale lists are ordered by it)."""
    return func.coalesce(Case.touched_at, Case.created_at)


def assign(session: Session, case: Case, by: User, assignee: User,
           now: datetime | None = None) -> None:
    """Give the case to an officer (or admin); an `assigned` event; the case is touched."""
    if case.status == CaseStatus.CLOSED:
        raise Refused("a closed case cannot be assigned", "status")
    if not access.may_handle_case(session, assignee, case):
        raise Refused("the case can be assigned only to an admin or an officer of its area",
                      "user_id", 422)
    now = now or utcnow()
    case.assigned_to = assignee
    case.touched_at = now
    session.add(CaseEvent(case_id=case.id, at=now, by_user_id=by.id, action="assigned",
                          note=f"to user {assignee.id} ({assignee.name})"))


def change_status(session: Session, case: Case, by: User, status: CaseStatus | str,
                  note: str | None, channel: str, default_language: str,
                  now: datetime | None = None) -> bool:
    """Move the case (a guarded move, else Refused 409), record it, text the villager.
    True when the note had to be cut to go (a templated provider's variable limit)."""
    status = CaseStatus(status)
    now = now or utcnow()
    closed = {"closed_at": now} if status == CaseStatus.CLOSED else {}
    if not (LIFECYCLE.allows(case.status, status)
            and LIFECYCLE.move(session, Case, case.id, status, touched_at=now, **closed)):
        raise Refused(f"a case that is {case.status.value} cannot become {status.value}",
                      "status")
    session.refresh(case)
    note = " ".join(note.split()) if note else None
    session.add(CaseEvent(case_id=case.id, at=now, by_user_id=by.id, action="status",
                          status=status, note=note))
    contact = case.villager.contact
    language = contact.language or default_language
    if channel in TEMPLATED_PROVIDERS:
        message, cut = status_template(language, case.id, status, note)
        add_message(session, contact, message, kind="case", channel=channel)
        return cut
    add_message(session, contact, status_text(language, case.id, status, note),
                kind="case", channel=channel)
    return False


def status_template(language: str, number: int, status: CaseStatus, note: str | None
                    ) -> tuple[Templated, bool]:
    """The status SMS on a templated provider: its template, the note (if any) as a variable
    cut to the provider's limit; and whether the note was cut."""
    if not note:
        return templated(language, f"sms_case_{status.value}", number=number), False
    return free_text(language, f"sms_case_{status.value}_note", "note", note, number=number)


def status_text(language: str, number: int, status: CaseStatus, note: str | None) -> str:
    """The villager's SMS for a status change, the officer's note clipped so that the whole
    stays within STATUS_SMS_SEGMENTS."""
    text = t(language, f"sms_case_{status.value}", number=number)
    if not note:
        return text

    def fits(candidate: str) -> bool:
        whole = normalise(t(language, "sms_case_note", text=text, note=candidate))
        return sms_segments(whole) <= STATUS_SMS_SEGMENTS and within_cap(whole)

    return t(language, "sms_case_note", text=text,
             note=clip(note, fits, t(language, "ellipsis")))
