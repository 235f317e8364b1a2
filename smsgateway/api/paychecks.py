"""Wage cases from the monthly pay check, for the labour inspection's complaint channel.

Staff only (admins, officers); an officer gets the cases of villagers of their area, as for
every case (`access.cases_seen`). `format=csv` answers the same rows as a CSV download
(`kernel.csvsafe`), one line per case.
"""

from __future__ import annotations

import re

from flask import Response, current_app
from pydantic import Field
from sqlalchemy.orm import Session

from .. import access
from ..access import STAFF
from ..followup.paychecks import WageCase, wage_cases, wage_cases_csv
from ..models import User
from . import ApiError, route
from .schemas import Model

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class WageCasesOut(Model):
    items: list[WageCase] = Field(description="one wage-arrears complaint each (the CSV's "
                                  "columns, in order)")


@route("/wage-cases", "GET", "Wage cases opened by pay checks, with what a wage-arrears "
       "complaint needs (?period=YYYY-MM[&format=csv])", roles=STAFF, response=WageCasesOut,
       query=("period", "format"))
def list_wage_cases(db: Session, user: User, period: str | None = None,
                    format: str | None = None) -> WageCasesOut | Response:
    """Oldest first; `period` narrows to one month's pay; `format=csv` downloads them."""
    if period and not PERIOD.match(period):
        raise ApiError(400, "period must be YYYY-MM, e.g. 2026-10", "period")
    if format not in (None, "", "csv", "json"):
        raise ApiError(400, "format is csv or json", "format")
    rows = wage_cases(db, access.cases_seen(db, user), period or None,
                      current_app.config["TIMEZONE"])
    if format == "csv":
        name = f"jobline-wage-cases-{period}.csv" if period else "jobline-wage-cases.csv"
        return Response(wage_cases_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return WageCasesOut(items=rows)
