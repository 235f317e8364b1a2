"""The cohort page of a departure: members with their teams and arrivals, leaders, team
reports and who has not answered; officers name leaders and set the report schedule (each
through the API's own view, so its role and scope checks hold)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from .. import api
from ..access import STAFF
from ..api import cohorts as api_cohorts
from ..models import User
from . import page
from .pages import form_model


@page("/departures/<int:departure_id>/cohort")
def cohort(db: Session, user: User, departure_id: int) -> ResponseReturnValue:
    """Members, leaders, reports and who has not answered."""
    found = api.call(api_cohorts.get_cohort, db, user, departure_id=departure_id)
    return render_template("console/cohort.html", c=found)


@page("/departures/<int:departure_id>/cohort/<any(leader, schedule):action>",
      methods=("POST",), roles=STAFF)
def cohort_act(db: Session, user: User, departure_id: int,
               action: str) -> ResponseReturnValue:
    """Name a leader (with a team's members), or set the report schedule."""
    if action == "leader":
        body = form_model(api_cohorts.LeaderIn, lists=("members",))
        api.call(api_cohorts.name_leader, db, user, body, departure_id=departure_id)
    else:
        api.call(api_cohorts.set_schedule, db, user, form_model(api_cohorts.ScheduleIn),
                 departure_id=departure_id)
    return redirect(url_for("console.cohort", departure_id=departure_id))


__all__ = ["cohort", "cohort_act"]
