"""The monthly report of an area and its children, as JSON or CSV."""

from __future__ import annotations

import re

from flask import Response, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access
from ..figures.reports import as_csv, monthly
from ..models import Area, Role, User
from . import ApiError, route
from .schemas import MonthlyReportOut

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def home_area(db: Session, user: User) -> str:
    """The code of the area a report shows by default: the officer's own, else the city."""
    if user.area is not None:
        return user.area.code
    return str(db.scalar(select(Area.code).where(Area.parent_id.is_(None))))


@route("/reports/monthly", "GET",
       "Monthly figures of an area and its children (?month=YYYY-MM&area=code[&format=csv])",
       roles=(Role.ADMIN, Role.OFFICER), response=MonthlyReportOut,
       query=("month", "area", "format"))
def monthly_report(db: Session, user: User, month: str | None = None, area: str | None = None,
                   format: str | None = None) -> MonthlyReportOut | Response:
    """Default area: the officer's own (the city for an admin). `format=csv` answers the same
    figures as text/csv, one line per area."""
    month = month or ""
    if not MONTH.match(month):
        raise ApiError(400, "month must be YYYY-MM, e.g. 2026-11", "month")
    code = area or home_area(db, user)
    found = access.area(db, user, code)
    report = monthly(db, found.code, month, current_app.config["TIMEZONE"])
    if format == "csv":
        return Response(as_csv(report), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="jobline-{found.code}-{month}.csv"'})
    return MonthlyReportOut.model_validate(report)
