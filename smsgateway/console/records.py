"""Console pages of agencies' and employers' records (over the API's own views)."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from .. import api
from ..api import records as api_records
from ..models import User
from . import page


@page("/agencies/<int:agency_id>/record")
def agency_record(db: Session, user: User, agency_id: int) -> ResponseReturnValue:
    """An agency's record: what became of the workers it placed."""
    found = api.call(api_records.agency_record, db, user, agency_id=agency_id)
    return render_template("console/record.html", r=found)


@page("/employers/<int:employer_id>/record")
def employer_record(db: Session, user: User, employer_id: int) -> ResponseReturnValue:
    """An employer's record: what became of the workers placed with it."""
    found = api.call(api_records.employer_record, db, user, employer_id=employer_id)
    return render_template("console/record.html", r=found)
