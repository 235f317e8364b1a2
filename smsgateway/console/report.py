"""The monthly report page and its targets form.

The page calls the report API's own view (`api.call`: the same role check, area scope and
default area), so its CSV link is the API's CSV and an area outside the officer's answers
404. (The dashboard's line and chart are in pages.py.)
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import api
from ..access import STAFF
from ..api import reports as api_reports
from ..api import targets as api_targets
from ..api.schemas import MonthlyReportOut, ReportRowOut, TargetIn
from ..models import Area, User
from . import _, language, page
from .charts import bar_chart
from .pages import SERIES, area_name, areas_in_scope, form_model, this_month


def row_name(row: ReportRowOut) -> str:
    """A report line's area name in the console's language."""
    return row.name_zh if language() == "zh" else row.name_en


@page("/report", roles=STAFF)
def report(db: Session, user: User) -> ResponseReturnValue:
    """A month's figures for an area and its children, zero-report marks, targets, a chart
    of placed and trained per child area; `format=csv` is the API's download."""
    if not request.args.get("month"):
        chosen: dict[str, Any] = {**request.args, "month": this_month()}
        return redirect(url_for("console.report", **chosen))
    found = api.call(api_reports.monthly_report, db, user,
                     **api.query_args(api_reports.monthly_report, request.args))
    if isinstance(found, Response):  # format=csv
        return found
    assert isinstance(found, MonthlyReportOut)
    charted = found.rows[1:] or found.rows  # a township has no children: its own line
    chart = bar_chart([(r.area, row_name(r), (r.placed, r.trained_men + r.trained_women))
                       for r in charted], SERIES)
    names = {r.area: row_name(r) for r in found.rows}
    return render_template("console/report.html", r=found, chart=chart, names=names,
                           zero_names=[names[code] for code in found.zero_report_areas],
                           areas=areas_in_scope(db, user), year=int(found.month[:4]))


@page("/report/targets", methods=("POST",), roles=STAFF)
def report_targets(db: Session, user: User) -> ResponseReturnValue:
    """Set an area's annual targets (the targets API), then back to the report."""
    saved = api.call(api_targets.set_target, db, user, form_model(TargetIn))
    area = db.scalars(select(Area).where(Area.code == saved.area)).one()
    flash(_("targets_saved", area=area_name(area), year=saved.year), "info")
    return redirect(url_for("console.report", month=request.form.get("month") or this_month(),
                            area=request.form.get("report_area") or saved.area))
