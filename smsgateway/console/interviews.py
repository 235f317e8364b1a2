"""The console's recruitment days: the list and a form for a new day (staff), a day with its
slots and bookings, and the outcome of each interview (the posting's agency). Each action
calls the API's own view (`api.interviews`), with its role and scope checks."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import ValidationError
from sqlalchemy.orm import Session

from .. import api
from ..access import AGENCY, EVERYONE, STAFF
from ..api import interviews as api_interviews
from ..kernel.errors import Refused
from ..models import AreaLevel, Role, User
from . import _, page
from .pages import _published, areas_in_scope, form_model, listed


def _new_day() -> api_interviews.RecruitmentDayIn:
    """The form's day: its slots from the repeated time and places fields (blank rows out)."""
    slots = [{"time": t.strip(), "places": p.strip()}
             for t, p in zip(request.form.getlist("slot_time"),
                             request.form.getlist("slot_places"), strict=False) if t.strip()]
    try:
        return api_interviews.RecruitmentDayIn.model_validate({
            **{k: request.form.get(k, "").strip() for k in ("posting_id", "township", "place",
                                                             "day")}, "slots": slots})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Refused(f"{first['loc'][0]}: {first['msg']}", str(first["loc"][0]), 422) from exc


@page("/recruitment-days", methods=("GET", "POST"), roles=EVERYONE)
def recruitment_days(db: Session, user: User) -> ResponseReturnValue:
    """The days the user may see, and (staff) a form for a new one."""
    if request.method == "POST":
        created = api.call(api_interviews.create_recruitment_day, db, user, _new_day())
        return redirect(url_for("console.recruitment_day", day_id=created.id))
    items, total, page_no, per_page = listed(api_interviews.list_recruitment_days, db, user)
    staff = user.role != Role.AGENCY
    return render_template(
        "console/recruitment_days.html", items=items, total=total, page=page_no,
        per_page=per_page, staff=staff,
        townships=areas_in_scope(db, user, AreaLevel.TOWNSHIP) if staff else [],
        postings=_published(db, user) if staff else [])


@page("/recruitment-days/<int:day_id>", roles=EVERYONE)
def recruitment_day(db: Session, user: User, day_id: int) -> ResponseReturnValue:
    """A day's slots and its bookings, with the outcome form for the agency."""
    found = api.call(api_interviews.get_recruitment_day, db, user, day_id=day_id)
    items, total, page_no, per_page = listed(api_interviews.list_interviews, db, user,
                                             day_id=day_id)
    return render_template("console/recruitment_day.html", d=found, items=items, total=total,
                           page=page_no, per_page=per_page,
                           deciding=user.role in AGENCY, staff=user.role in STAFF)


@page("/recruitment-days/<int:day_id>/cancel", methods=("POST",), roles=STAFF)
def recruitment_day_cancel(db: Session, user: User, day_id: int) -> ResponseReturnValue:
    """Cancel the day, with the officer's reason."""
    api.call(api_interviews.cancel_recruitment_day, db, user,
             form_model(api_interviews.CancelIn), day_id=day_id)
    flash(_("day_cancelled"), "info")
    return redirect(url_for("console.recruitment_day", day_id=day_id))


@page("/interviews/<int:interview_id>/outcome", methods=("POST",), roles=AGENCY)
def interview_outcome(db: Session, user: User, interview_id: int) -> ResponseReturnValue:
    """Shortlisted, rejected (with a reason) or no-show."""
    done = api.call(api_interviews.record_outcome, db, user,
                    form_model(api_interviews.OutcomeIn), interview_id=interview_id)
    return redirect(url_for("console.recruitment_day", day_id=done.day_id))
