"""Problem reports: a case opened by a villager (menu, SMS or a check-in answer), linked to
their placement where known, and the SMS that gives them its number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from menus.texts import t

from .db import utcnow
from .models import (
    Application,
    ApplicationStatus,
    Case,
    CaseCategory,
    CaseEvent,
    CaseStatus,
    Villager,
)
from .outbox import add_message

MAX_DESCRIPTION = 500  # characters: a few SMS' worth
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
    add_message(session, contact, t(contact.language, "sms_case_opened", number=case.id),
                kind="case", channel=channel)
    return case
