"""Records of agencies and employers (`figures.records`), and a county's vetting threshold."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from flask import current_app
from pydantic import Field
from sqlalchemy.orm import Session

from .. import access
from ..access import STAFF
from ..db import utcnow
from ..figures import records
from ..models import Role, User
from . import ApiError, route
from .schemas import Model

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ShareOut(Model):
    count: int | None  # None: fewer than 5 answers, in an agency's view
    of: int
    percent: int | None


class MonthShareOut(ShareOut):
    month: str


class RecordOut(Model):
    owner: str
    id: int
    name: str
    placed: int
    working_3_months: ShareOut
    working_6_months: ShareOut
    pay_checks_asked: int
    paid_in_full: ShareOut
    paid_in_full_last_month: MonthShareOut
    promises_kept: ShareOut
    cases_opened: int
    contract_cases: int
    cases_resolved: int


class ThresholdIn(Model):
    county: Annotated[str, Field(min_length=1, max_length=64)]
    percent: Annotated[int, Field(ge=0, le=100)]


class ThresholdOut(Model):
    county: str
    percent: int | None  # None: the county set none (no second look is asked)


def _as_of(as_of: str | None) -> date | None:
    if as_of is None:
        return None
    try:
        if not DAY.match(as_of):
            raise ValueError(as_of)
        return date.fromisoformat(as_of)
    except ValueError:
        raise ApiError(400, "as_of must be YYYY-MM-DD, e.g. 2026-11-30", "as_of") from None


def _record(db: Session, user: User, owner: str, owner_id: int, name: str,
            as_of: str | None) -> RecordOut:
    timezone = current_app.config["TIMEZONE"]
    day = _as_of(as_of)
    at = records.local_end_of(day, timezone) if day else utcnow()
    found = records.record(db, owner, owner_id, name, at, timezone)
    # An agency reads no share of fewer than 5 answers (staff see every count).
    return RecordOut.model_validate(records.as_json(found, hide_small=user.role == Role.AGENCY))


@route("/agencies/<int:agency_id>/record", "GET",
       "An agency's record: placed, still working at 3 and 6 months, pay, promises, cases "
       "(?as_of=YYYY-MM-DD)", response=RecordOut, query=("as_of",))
def agency_record(db: Session, user: User, agency_id: int,
                  as_of: str | None = None) -> RecordOut:
    """Staff: any agency's; an agency: its own (another's is 404)."""
    agency = access.agency_record(db, user, agency_id)
    return _record(db, user, "agency", agency.id, agency.name, as_of)


@route("/employers/<int:employer_id>/record", "GET",
       "An employer's record: placed, still working at 3 and 6 months, pay, promises, cases "
       "(?as_of=YYYY-MM-DD)", response=RecordOut, query=("as_of",))
def employer_record(db: Session, user: User, employer_id: int,
                    as_of: str | None = None) -> RecordOut:
    """Staff: any employer's; an agency: those it posted for."""
    employer = access.employer_record(db, user, employer_id)
    return _record(db, user, "employer", employer.id, employer.name, as_of)


@route("/record-threshold", "GET", "A county's vetting threshold (?county=code)", roles=STAFF,
       response=ThresholdOut, query=("county",))
def get_threshold(db: Session, user: User, county: str | None = None) -> ThresholdOut:
    """The percent under which an agency's record needs a second look in this county."""
    if not county:
        raise ApiError(400, "county is required, e.g. ?county=yongde", "county")
    found = access.threshold_county(db, user, county)
    threshold = records.threshold_of(db, found.id)
    return ThresholdOut(county=found.code,
                        percent=threshold.percent if threshold is not None else None)


@route("/record-threshold", "PUT", "Set a county's vetting threshold", roles=STAFF,
       body=ThresholdIn, response=ThresholdOut)
def put_threshold(db: Session, user: User, body: ThresholdIn) -> ThresholdOut:
    """An officer of the county (or an admin) sets the percent of paid in full or promises
    kept under which the county's vetting asks a second look at the agency."""
    found = access.threshold_county(db, user, body.county)
    threshold = records.set_threshold(db, found, body.percent, user, utcnow())
    return ThresholdOut(county=found.code, percent=threshold.percent)
