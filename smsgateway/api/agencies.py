"""Agencies (licensed, or suspended) and employers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..access import AGENCY_KEEPERS, STAFF
from ..kernel.names import english_name
from ..models import Agency, Employer, User
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import AgencyIn, AgencyOut, EmployerIn, EmployerOut, SuspendIn


def _agency_out(agency: Agency) -> AgencyOut:
    """The agency as the API shows it, with the English name its texts use."""
    return AgencyOut.model_validate(_fields(AgencyOut, agency))


def _employer_out(employer: Employer) -> EmployerOut:
    """The employer as the API shows it, with the English name its texts use."""
    return EmployerOut.model_validate(_fields(EmployerOut, employer))


def _fields(model: type[AgencyOut] | type[EmployerOut], record: Agency | Employer
            ) -> dict[str, object]:
    values = {name: getattr(record, name) for name in model.model_fields}
    return {**values, "name_en": english_name(record)}


@route("/agencies", "POST", "Register a recruitment agency", roles=STAFF, body=AgencyIn,
       response=AgencyOut, status=201)
def create_agency(db: Session, user: User, body: AgencyIn) -> AgencyOut:
    """An officer records an agency and its licence."""
    if db.scalar(select(Agency.id).where(Agency.licence_number == body.licence_number)):
        raise ApiError(409, "an agency with this licence number exists", "licence_number")
    agency = Agency(**body.model_dump())
    db.add(agency)
    db.flush()
    return _agency_out(agency)


@route("/agencies", "GET", "List agencies", response=AgencyOut, paginated=True)
def list_agencies(db: Session, user: User,
                  paging: Paging = FIRST_PAGE) -> tuple[list[AgencyOut], int, int, int]:
    """Every agency, by name."""
    page, per_page = paging
    rows, total = page_of(db, select(Agency).order_by(Agency.name, Agency.id), paging)
    return [_agency_out(a) for a in rows], total, page, per_page


@route("/agencies/<int:agency_id>/suspend", "POST", "Suspend an agency (or lift it): admins "
       "only", roles=AGENCY_KEEPERS, body=SuspendIn, response=AgencyOut)
def suspend_agency(db: Session, user: User, body: SuspendIn, agency_id: int) -> AgencyOut:
    """A suspended agency's postings can no longer be published."""
    agency = access.agency_to_suspend(db, user, agency_id)
    agency.suspended = body.suspended
    return _agency_out(agency)


@route("/employers", "POST", "Register an employer", body=EmployerIn, response=EmployerOut,
       status=201)
def create_employer(db: Session, user: User, body: EmployerIn) -> EmployerOut:
    """Anyone with an account may record an employer (vetting checks the posting)."""
    employer = Employer(**body.model_dump())
    db.add(employer)
    db.flush()
    return _employer_out(employer)


@route("/employers", "GET", "List employers", response=EmployerOut, paginated=True)
def list_employers(db: Session, user: User,
                   paging: Paging = FIRST_PAGE) -> tuple[list[EmployerOut], int, int, int]:
    """Every employer, by name."""
    page, per_page = paging
    rows, total = page_of(db, select(Employer).order_by(Employer.name, Employer.id), paging)
    return [_employer_out(e) for e in rows], total, page, per_page
