"""Postings and their applications: create, list, vet, close; shortlist, confirm, reject."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import access
from ..access import AGENCY, STAFF
from ..config import local_today
from ..db import utcnow
from ..figures import records
from ..models import (
    Application,
    Employer,
    Posting,
    PostingStatus,
    User,
    Villager,
)
from ..postings import applications as apps
from ..postings.core import close, destination_of, submit, vet
from ..services import services
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import ApplicationOut, DecisionIn, PostingIn, PostingOut, VetIn


def posting_out(posting: Posting) -> PostingOut:
    """The API's view of a posting."""
    fields = {name: getattr(posting, name) for name in PostingOut.model_fields
              if name not in ("area", "status", "destination")}
    return PostingOut(**fields, area=posting.area.code, status=posting.status.value,
                      destination=posting.destination.value)


@route("/postings", "POST", "Create a posting (it awaits vetting unless `draft`)",
       body=PostingIn, response=PostingOut, status=201)
def create_posting(db: Session, user: User, body: PostingIn) -> PostingOut:
    """An agency (for itself), an officer or an admin writes a posting."""
    agency = access.posting_agency(db, user, body.agency_id)
    employer = db.get(Employer, body.employer_id)
    if employer is None:
        raise ApiError(422, "no such employer", "employer_id")
    area = access.posting_area(db, user, body.area)
    data = body.model_dump(exclude={"agency_id", "area", "draft", "employer_id"})
    posting = Posting(**data, agency=agency, employer=employer, area=area,
                      destination=destination_of(body.destination_city,
                                                 body.destination_province),
                      status=PostingStatus.DRAFT if body.draft else PostingStatus.PENDING_VETTING,
                      created_by_id=user.id)
    db.add(posting)
    db.flush()
    return posting_out(posting)


@route("/postings", "GET", "List the postings the caller may see (`?status=`)",
       response=PostingOut, paginated=True, query=("status",))
def list_postings(db: Session, user: User, paging: Paging = FIRST_PAGE,
                  status: str | None = None) -> tuple[list[PostingOut], int, int, int]:
    """Admins see all, officers their area's, agencies their own; newest first."""
    page, per_page = paging
    query = select(Posting).where(access.postings_seen(db, user)).options(
        joinedload(Posting.area), joinedload(Posting.agency))
    if status:
        if status not in set(PostingStatus):
            raise ApiError(400, f"unknown status {status!r}", "status")
        query = query.where(Posting.status == status)
    rows, total = page_of(db, query.order_by(Posting.id.desc()), paging)
    return [posting_out(p) for p in rows], total, page, per_page


@route("/postings/<int:posting_id>", "GET", "One posting", response=PostingOut)
def get_posting(db: Session, user: User, posting_id: int) -> PostingOut:
    """A posting the caller may see; 404 for anyone else's."""
    return posting_out(access.posting(db, user, posting_id))


@route("/postings/<int:posting_id>/submit", "POST", "Send a draft posting to vetting",
       response=PostingOut)
def submit_posting(db: Session, user: User, posting_id: int) -> PostingOut:
    """The draft's agency or an officer of its area hands it to the vetting officers."""
    posting = access.posting(db, user, posting_id)
    submit(posting)
    return posting_out(posting)


@route("/postings/<int:posting_id>/vet", "POST", "Vet a posting: publish it or reject it",
       roles=STAFF, body=VetIn, response=PostingOut)
def vet_posting(db: Session, user: User, body: VetIn, posting_id: int) -> PostingOut:
    """An officer of the posting's area records the checklist and publishes or rejects."""
    posting = access.posting(db, user, posting_id)
    settings = services().settings
    extra = records.vetting_checks(db, posting, utcnow(), settings["TIMEZONE"],
                                   body.second_look)
    vet(db, posting, user, body.decision == "publish", body.reasons,
        settings["MIN_MONTHLY_WAGE"], local_today(settings), extra)
    return posting_out(posting)


@route("/postings/<int:posting_id>/close", "POST", "Close a posting", response=PostingOut)
def close_posting(db: Session, user: User, posting_id: int) -> PostingOut:
    """Its agency or an officer of its area closes it; villagers no longer see it."""
    posting = access.posting(db, user, posting_id)
    close(posting)
    return posting_out(posting)


def application_out(application: Application) -> ApplicationOut:
    """The API's view of an application, with the villager's name and phone."""
    villager = application.villager
    return ApplicationOut(id=application.id, posting_id=application.posting_id,
                          villager_id=villager.id, villager_name=villager.name,
                          villager_phone=villager.contact.phone,
                          status=application.status.value, reason=application.reason,
                          via=application.via, created_at=application.created_at)


@route("/postings/<int:posting_id>/applications", "GET", "Applicants to a posting",
       response=ApplicationOut, paginated=True)
def list_applications(db: Session, user: User, posting_id: int,
                      paging: Paging = FIRST_PAGE) -> tuple[list[ApplicationOut], int, int, int]:
    """The posting's applications, oldest first; 404 for a posting not the caller's."""
    access.posting(db, user, posting_id)
    page, per_page = paging
    query = select(Application).where(Application.posting_id == posting_id)
    rows, total = page_of(db, query.options(joinedload(Application.villager)
                                            .joinedload(Villager.contact))
                          .order_by(Application.id), paging)
    return [application_out(a) for a in rows], total, page, per_page


def _decide(db: Session, user: User, application_id: int, action: str,
            reason: str | None) -> ApplicationOut:
    # Locked: a withdrawal or another decision racing this one waits for it.
    application = access.application(db, user, application_id, lock=True)
    settings = services().settings
    apps.decide(db, application, action, reason, settings["SMS_PROVIDER"],
                local_today(settings), settings["DEFAULT_LANGUAGE"])
    return application_out(application)


@route("/applications/<int:application_id>/shortlist", "POST", "Shortlist an applicant",
       roles=AGENCY, body=DecisionIn, response=ApplicationOut)
def shortlist(db: Session, user: User, body: DecisionIn, application_id: int) -> ApplicationOut:
    """The agency puts an interested villager on its shortlist."""
    return _decide(db, user, application_id, "shortlist", body.reason)


@route("/applications/<int:application_id>/confirm", "POST", "Confirm an applicant",
       roles=AGENCY, body=DecisionIn, response=ApplicationOut)
def confirm(db: Session, user: User, body: DecisionIn, application_id: int) -> ApplicationOut:
    """The agency confirms a place; never more confirmations than positions."""
    return _decide(db, user, application_id, "confirm", body.reason)


@route("/applications/<int:application_id>/reject", "POST", "Reject an applicant (with a reason)",
       roles=AGENCY, body=DecisionIn, response=ApplicationOut)
def reject(db: Session, user: User, body: DecisionIn, application_id: int) -> ApplicationOut:
    """The agency turns an applicant down and says why."""
    return _decide(db, user, application_id, "reject", body.reason)
