"""Applications: a villager's interest, the agency's shortlist and confirmations, and the SMS
that tell the villager of each change."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..kernel.errors import Refused
from ..kernel.lifecycle import Lifecycle, rows_changed
from ..messaging.outbox import add_message
from ..models import Application, ApplicationStatus, Posting, PostingStatus, Villager
from ..templates import templated
from .core import Seeker, live, open_areas, open_to, reaches, title_in

S = ApplicationStatus
# Where an agency's decision or the villager's withdrawal moves an application from.
LIFECYCLE = Lifecycle.of({
    S.SHORTLISTED: {S.INTERESTED},
    S.CONFIRMED: {S.INTERESTED, S.SHORTLISTED},
    S.REJECTED: {S.INTERESTED, S.SHORTLISTED, S.CONFIRMED},
    S.WITHDRAWN: {S.INTERESTED, S.SHORTLISTED, S.CONFIRMED},
})
ACTIONS = {"shortlist": S.SHORTLISTED, "confirm": S.CONFIRMED, "reject": S.REJECTED}


def find(session: Session, villager: Villager, posting_id: int) -> Application | None:
    """The villager's application to a posting, if any (locked until the transaction ends)."""
    return session.scalars(select(Application).where(
        Application.villager_id == villager.id, Application.posting_id == posting_id)
        .with_for_update()).first()


def refusal(session: Session, villager: Villager | None, posting: Posting | None,
            today: date) -> str | None:
    """Why the villager cannot apply (one of menus.types.APPLY_REFUSALS), or None."""
    if villager is None:
        return "not_registered"
    if posting is None or not live(posting, today) or posting.deadline < today:
        return "closed"
    seeker = Seeker.of(villager)
    if not reaches(posting, open_areas(session, seeker)):
        return "closed"  # another area's posting: as if it were not there (the area rule)
    existing = find(session, villager, posting.id)
    if existing is not None and existing.status != S.WITHDRAWN:
        return "already_applied"
    if posting.confirmed >= posting.positions:
        return "full"
    if not open_to(posting, seeker, today):
        return "not_eligible"
    return None


def apply(session: Session, villager: Villager, posting: Posting, via: str,
          today: date) -> Application:
    """Record interest (re-opening a withdrawn application), or Refused with the reason."""
    reason = refusal(session, villager, posting, today)
    if reason is not None:
        raise Refused(reason)
    application = find(session, villager, posting.id)
    if application is None:
        application = Application(posting=posting, villager=villager, via=via,
                                  township_id=villager.township_id)
        session.add(application)
    application.status, application.reason = S.INTERESTED, None
    session.flush()
    return application


def _release_place(session: Session, posting_id: int) -> None:
    """A confirmed place is free again; a filled posting opens again."""
    session.execute(update(Posting).where(Posting.id == posting_id, Posting.confirmed > 0)
                    .values(confirmed=Posting.confirmed - 1))
    session.execute(update(Posting).where(Posting.id == posting_id,
                                          Posting.status == PostingStatus.FILLED)
                    .values(status=PostingStatus.PUBLISHED))


def withdraw(session: Session, villager: Villager, posting_id: int) -> Application:
    """The villager withdraws; a confirmed place is released."""
    application = find(session, villager, posting_id)
    if application is None or not LIFECYCLE.allows(application.status, S.WITHDRAWN):
        raise Refused("no application to withdraw")
    if application.status == S.CONFIRMED:
        _release_place(session, posting_id)
    application.status = S.WITHDRAWN
    session.flush()
    return application


def _take_place(session: Session, posting_id: int) -> None:
    """Count one confirmation, never above the positions (a guarded counter update)."""
    taken = rows_changed(session.execute(
        update(Posting)
        .where(Posting.id == posting_id, Posting.status == PostingStatus.PUBLISHED,
               Posting.confirmed < Posting.positions)
        .values(confirmed=Posting.confirmed + 1)
        .execution_options(synchronize_session=False)
    ))
    if not taken:
        raise Refused("every position of this posting is confirmed already")
    session.execute(update(Posting).where(Posting.id == posting_id,
                                          Posting.confirmed >= Posting.positions)
                    .values(status=PostingStatus.FILLED)
                    .execution_options(synchronize_session=False))


def decide(session: Session, application: Application, action: str, reason: str | None,
           channel: str, today: date, default_language: str = "zh") -> Application:
    """An agency shortlists, confirms or rejects (with a reason); the villager is told by SMS."""
    if action == "reject" and not (reason or "").strip():
        raise Refused("a rejection needs a reason", field="reason", status=422)
    if action == "confirm" and not live(application.posting, today):
        raise Refused("the posting is not open (closed, filled, or its agency suspended)")
    was = application.status
    if not LIFECYCLE.move(session, Application, application.id, ACTIONS[action]):
        raise Refused(f"cannot {action} an application that is {application.status}")
    if action == "confirm":
        _take_place(session, application.posting_id)
    if action == "reject" and was == S.CONFIRMED:
        _release_place(session, application.posting_id)
    application.reason = reason.strip() if action == "reject" and reason else None
    session.flush()
    session.refresh(application)
    session.refresh(application.posting)
    _tell_villager(session, application, channel, default_language)
    return application


def _tell_villager(session: Session, application: Application, channel: str,
                   default_language: str) -> None:
    villager, posting = application.villager, application.posting
    language = villager.contact.language or default_language
    title = title_in(posting, language)
    text = templated(language, f"sms_application_{application.status.value}", title=title,
                     job=posting.id, reason=application.reason or "",
                     code=posting.verification_code)
    add_message(session, villager.contact, text, kind="application", channel=channel)
