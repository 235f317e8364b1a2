"""The console's pages. Each action calls the API's own view through `api.call` (the same
role and scope checks, the same domain functions); pages that only show read through
`access`, which the API uses too."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from .. import access, api
from ..access import AGENCY, STAFF
from ..api import agencies as api_agencies
from ..api import broadcasts as api_broadcasts
from ..api import cases as api_cases
from ..api import departures as api_departures
from ..api import postings as api_postings
from ..api import reports as api_reports
from ..api import trainings as api_trainings
from ..api import villagers as api_villagers
from ..api.schemas import (
    AssignIn,
    BroadcastIn,
    BroadcastOut,
    CaseStatusIn,
    DecisionIn,
    DepartureIn,
    DepartureMoveIn,
    EnrolmentMoveIn,
    ImportIn,
    PostingIn,
    ReportRowOut,
    TrainingIn,
    VetIn,
    VillagerIn,
)
from ..broadcasts import wording
from ..config import local_today
from ..db import utcnow
from ..figures import records
from ..figures.reports import monthly, months_ending, trained_and_placed_by_month
from ..followup import cases
from ..kernel.areas import skills
from ..kernel.errors import Refused
from ..metrics import queue_depths, workers_alive
from ..models import (
    Agency,
    Application,
    Area,
    AreaLevel,
    Case,
    CaseCategory,
    Employer,
    Enrolment,
    Message,
    MessageStatus,
    Posting,
    PostingStatus,
    Role,
    User,
    Villager,
)
from ..postings.core import checklist
from ..services import services
from ..templates import VARIABLE_LIMIT
from . import WORDS, _, bp, language, page, words
from .charts import Chart, bar_chart
from .threads import SMS_MAX, thread, trainings_open_to

IMPORT_FIELD = "csv"


# --- Form helpers -----------------------------------------------------------------------------


def form_model(model: type[BaseModel], lists: tuple[str, ...] = (),
               flags: tuple[str, ...] = (), **extra: Any) -> Any:
    """The API's input model filled from the posted form: only the model's fields, empty
    fields left out (their defaults apply), checkboxes as booleans, lists from repeats."""
    data: dict[str, Any] = {}
    for name in model.model_fields:
        if name in lists:
            data[name] = [v for v in request.form.getlist(name) if v.strip()]
        elif name in flags:
            data[name] = name in request.form
        elif request.form.get(name, "").strip():
            data[name] = request.form[name].strip()
    data.update(extra)
    return model.model_validate(data)


def local_time(value: str) -> datetime | None:
    """A `datetime-local` field, in the programme's time zone."""
    if not value.strip():
        return None
    zone = ZoneInfo(services().settings["TIMEZONE"])
    return datetime.fromisoformat(value).replace(tzinfo=zone)


def areas_in_scope(db: Session, user: User, level: AreaLevel | None = None) -> list[Area]:
    """The areas the user works in, in the order of the areas file."""
    scope = access.area_scope(db, user)
    query = select(Area).order_by(Area.level, Area.position, Area.id)
    if scope is not None:
        query = query.where(Area.id.in_(scope))
    if level is not None:
        query = query.where(Area.level == level)
    return list(db.scalars(query))


def area_name(area: Area | None) -> str:
    """An area's name in the console's language."""
    if area is None:
        return ""
    return area.name_zh if language() == "zh" else area.name_en


def skill_name(code: str) -> str:
    """A skill's name in the console's language."""
    return words.skill(language(), code)


def show_time(value: datetime | None) -> str:
    """A time as the programme's clocks show it."""
    if value is None:
        return "—"
    zone = ZoneInfo(services().settings["TIMEZONE"])
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"area_name": area_name, "skill_name": skill_name, "skills": skills,
            "show_time": show_time}


def say(kind: str, value: Any) -> str:
    """A shown value (a status, a channel…) in the console's language (words.VALUES)."""
    return words.say(language(), kind, value)


def staff_names(db: Session) -> dict[int, str]:
    """Officers' and administrators' display names by id (who a case is assigned to)."""
    return {u.id: u.shown_name
            for u in db.scalars(select(User).where(User.role.in_(STAFF))).all()}


def listed(view: Any, db: Session, user: User, **path_args: Any) -> Any:
    """An API list view, given this page's own paging and filters explicitly."""
    return api.call(view, db, user, **path_args, **api.query_args(view, request.args))


# --- Dashboard --------------------------------------------------------------------------------


def _scoped_messages(db: Session, user: User) -> Any:
    """Messages to the villagers of the user's area (admins: every message)."""
    query = select(Message)
    scope = access.area_scope(db, user)
    if scope is not None:
        query = (query.join(Villager, Villager.contact_id == Message.contact_id)
                 .where(Villager.township_id.in_(scope)))
    return query


SERIES = ("placed", "trained")  # what the report's charts draw


def this_month() -> str:
    """The programme's current local month, `YYYY-MM`."""
    return local_today(services().settings).strftime("%Y-%m")


def dashboard_figures(db: Session, user: User) -> tuple[ReportRowOut, list[str], Chart]:
    """This month's line of the monthly report for the user's area, the areas below it
    with nothing to report, and a chart of its last twelve months' placed and trained."""
    timezone = services().settings["TIMEZONE"]
    area = api_reports.home_area(db, user)
    report = monthly(db, area, this_month(), timezone)
    series = trained_and_placed_by_month(db, area, months_ending(this_month(), 12), timezone)
    chart = bar_chart([(m, m, (placed, trained)) for m, trained, placed in series], SERIES)
    return ReportRowOut.model_validate(report["rows"][0]), report["zero_report_areas"], chart


@page("/")
def dashboard(db: Session, user: User) -> ResponseReturnValue:
    """This month's figures with the last twelve months charted; messages waiting, failed
    (with reasons) and sent today; for the user's area. The workers alive and the jobs
    waiting in each queue."""
    if user.role == Role.AGENCY:
        return redirect(url_for("console.postings"))
    svc = services()
    settings = svc.settings
    zone = ZoneInfo(settings["TIMEZONE"])
    midnight = datetime.combine(local_today(settings), time(), zone).astimezone(UTC)
    messages = _scoped_messages(db, user).subquery()

    def count(*conditions: Any) -> int:
        return db.scalar(select(func.count()).select_from(messages).where(*conditions)) or 0

    waiting = count(messages.c.status.in_((MessageStatus.QUEUED, MessageStatus.SENDING)))
    sent_today = count(messages.c.status.in_((MessageStatus.SENT, MessageStatus.DELIVERED,
                                              MessageStatus.UNDELIVERED)),
                       messages.c.sent_at >= midnight)
    week_ago = datetime.now(UTC) - timedelta(days=7)
    reasons = db.execute(
        select(func.coalesce(messages.c.error_reason, messages.c.error_code), func.count())
        .where(messages.c.status == MessageStatus.FAILED, messages.c.updated_at >= week_ago)
        .group_by(func.coalesce(messages.c.error_reason, messages.c.error_code))
        .order_by(func.count().desc())).all()
    failed = db.scalars(_scoped_messages(db, user).where(Message.status == MessageStatus.FAILED)
                        .order_by(Message.id.desc()).limit(10)).all()
    figures, zero_areas, chart = dashboard_figures(db, user)
    return render_template("console/dashboard.html", waiting=waiting, sent_today=sent_today,
                           reasons=reasons, failed=failed, figures=figures,
                           zero_areas=zero_areas, chart=chart, month=this_month(),
                           workers=workers_alive(svc), depths=queue_depths(svc))


# --- Villagers --------------------------------------------------------------------------------


@page("/villagers", roles=STAFF)
def villagers(db: Session, user: User) -> ResponseReturnValue:
    """Search by phone, name or area (the API's search)."""
    items, total, page_no, per_page = listed(api_villagers.list_villagers, db, user)
    return render_template("console/villagers.html", items=items, total=total, page=page_no,
                           per_page=per_page, areas=areas_in_scope(db, user))


@page("/villagers/<int:villager_id>", roles=STAFF)
def villager(db: Session, user: User, villager_id: int) -> ResponseReturnValue:
    """A villager's profile: applications, trainings, cases, the thread, forms to act."""
    found = access.villager(db, user, villager_id)
    profile = api.call(api_villagers.get_villager, db, user, villager_id=villager_id)
    applications = db.scalars(select(Application).where(Application.villager_id == found.id)
                              .options(joinedload(Application.posting))
                              .order_by(Application.id.desc())).all()
    enrolments = db.scalars(select(Enrolment).where(Enrolment.villager_id == found.id)
                            .options(joinedload(Enrolment.session))
                            .order_by(Enrolment.id.desc())).all()
    villager_cases = db.scalars(select(Case).where(Case.villager_id == found.id)
                                .order_by(Case.id.desc())).all()
    return render_template("console/villager.html", v=profile, applications=applications,
                           enrolments=enrolments, cases=villager_cases,
                           # the thread both ways (threads.py), the forms to act (profile.py)
                           thread=thread(db, found), sms_max=SMS_MAX,
                           open_trainings=trainings_open_to(db, user, found),
                           categories=list(CaseCategory),
                           townships=areas_in_scope(db, user, AreaLevel.TOWNSHIP))


@page("/villagers/<int:villager_id>/erase", methods=("POST",), roles=STAFF)
def villager_erase(db: Session, user: User, villager_id: int) -> ResponseReturnValue:
    """Erase on the villager's request, once the officer ticked the confirmation (the API's
    erasure: the same scope, the same domain function)."""
    if request.form.get("confirm") != "yes":
        access.villager(db, user, villager_id)  # out of scope is 404 all the same
        flash(_("erase_unconfirmed"), "error")
    else:
        api.call(api_villagers.erase_villager, db, user, villager_id=villager_id)
        flash(_("erased_done"), "info")
    return redirect(url_for("console.villager", villager_id=villager_id))


@page("/villagers/new", methods=("GET", "POST"), roles=STAFF)
def villager_new(db: Session, user: User) -> ResponseReturnValue:
    """Assisted registration: the officer registers a villager who agreed to it."""
    if request.method == "POST":
        body = form_model(VillagerIn, lists=("skills",), flags=("consent",))
        created = api.call(api_villagers.register_villager, db, user, body)
        flash(_("villager_registered"), "info")
        return redirect(url_for("console.villager", villager_id=created.id))
    return render_template("console/villager_new.html",
                           townships=areas_in_scope(db, user, AreaLevel.TOWNSHIP))


@page("/villagers/import", methods=("GET", "POST"), roles=STAFF)
def villagers_import(db: Session, user: User) -> ResponseReturnValue:
    """A township's CSV: a dry run previews each row; importing writes all rows or none."""
    result = None
    text = request.form.get(IMPORT_FIELD, "")
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is not None and upload.filename:
            text = upload.read().decode("utf-8-sig", errors="replace")
        body = ImportIn(csv=text or " ", dry_run=request.form.get("action") != "import",
                        consent="consent" in request.form)
        result = api.call(api_villagers.import_villagers, db, user, body)
    return render_template("console/villagers_import.html", result=result, csv=text)


# --- Postings, applicants, agency decisions --------------------------------------------------


@page("/postings")
def postings(db: Session, user: User) -> ResponseReturnValue:
    """The postings the user may see (agencies: their own), by status."""
    items, total, page_no, per_page = listed(api_postings.list_postings, db, user)
    return render_template("console/postings.html", items=items, total=total, page=page_no,
                           per_page=per_page, statuses=list(PostingStatus))


@page("/postings/new", methods=("GET", "POST"))
def posting_new(db: Session, user: User) -> ResponseReturnValue:
    """Write a posting; it goes to vetting unless kept as a draft."""
    if request.method == "POST":
        body = form_model(PostingIn, lists=("skills_required",),
                          flags=("training_required", "food", "housing", "travel_advance",
                                 "draft"))
        created = api.call(api_postings.create_posting, db, user, body)
        flash(_("posting_created", status=say("posting_status", created.status)), "info")
        return redirect(url_for("console.posting", posting_id=created.id))
    return render_template(
        "console/posting_new.html",
        employers=db.scalars(select(Employer).order_by(Employer.name)).all(),
        agencies=db.scalars(select(Agency).order_by(Agency.name)).all(),
        areas=areas_in_scope(db, user) if user.role != Role.AGENCY else
        db.scalars(select(Area).order_by(Area.level, Area.position)).all())


@page("/postings/<int:posting_id>")
def posting(db: Session, user: User, posting_id: int) -> ResponseReturnValue:
    """A posting, its vetting checklist and actions, and its applicants."""
    found = access.posting(db, user, posting_id)
    settings = services().settings
    checks = found.checklist or checklist(found, settings["MIN_MONTHLY_WAGE"],
                                          local_today(settings))
    items, total, page_no, per_page = listed(api_postings.list_applications, db, user,
                                             posting_id=posting_id)
    vetting = None
    if user.role != Role.AGENCY:  # the vetting officer sees the agency's record
        found_vetting = records.vetting(db, found, utcnow(), settings["TIMEZONE"])
        vetting = {"record": records.as_json(found_vetting.record),
                   "threshold": found_vetting.threshold,
                   "below": ", ".join(_(name) for name in found_vetting.below)}
    return render_template("console/posting.html", p=found, checks=checks, items=items,
                           total=total, page=page_no, per_page=per_page, vetting=vetting)


@page("/postings/<int:posting_id>/vet", methods=("POST",), roles=STAFF)
def posting_vet(db: Session, user: User, posting_id: int) -> ResponseReturnValue:
    """Publish (every check passes) or reject with reasons, one a line."""
    reasons = [line for line in request.form.get("reasons", "").splitlines() if line.strip()]
    body = VetIn.model_validate({"decision": request.form.get("decision"), "reasons": reasons,
                                 "second_look": request.form.get("second_look") == "yes"})
    result = api.call(api_postings.vet_posting, db, user, body, posting_id=posting_id)
    flash(_("posting_now", status=say("posting_status", result.status)), "info")
    return redirect(url_for("console.posting", posting_id=posting_id))


@page("/postings/<int:posting_id>/<any(submit, close):action>", methods=("POST",))
def posting_move(db: Session, user: User, posting_id: int, action: str) -> ResponseReturnValue:
    """Send a draft to vetting, or close a posting."""
    view = api_postings.submit_posting if action == "submit" else api_postings.close_posting
    result = api.call(view, db, user, posting_id=posting_id)
    flash(_("posting_now", status=say("posting_status", result.status)), "info")
    return redirect(url_for("console.posting", posting_id=posting_id))


@page("/applications/<int:application_id>")
def application(db: Session, user: User, application_id: int) -> ResponseReturnValue:
    """One applicant, and the agency's decisions on them."""
    found = access.application(db, user, application_id)
    return render_template("console/application.html", a=api_postings.application_out(found),
                           p=found.posting)


@page("/applications/<int:application_id>/<any(shortlist, confirm, reject):action>",
      methods=("POST",), roles=AGENCY)
def application_decide(db: Session, user: User, application_id: int,
                       action: str) -> ResponseReturnValue:
    """Shortlist, confirm, or reject with a reason (the villager is told by SMS)."""
    view = {"shortlist": api_postings.shortlist, "confirm": api_postings.confirm,
            "reject": api_postings.reject}[action]
    body = DecisionIn(reason=request.form.get("reason", "").strip() or None)
    if action == "reject" and not body.reason:
        flash(_("reason_needed"), "error")
        flash(_("reason_needed"), "field:reason")
        return redirect(url_for("console.application", application_id=application_id))
    result = api.call(view, db, user, body, application_id=application_id)
    flash(_("application_now", status=say("application_status", result.status)), "info")
    return redirect(url_for("console.application", application_id=application_id))


# --- Broadcasts -------------------------------------------------------------------------------


def _broadcast_body() -> BroadcastIn:
    audience: dict[str, Any] = {
        "areas": [a for a in request.form.getlist("areas") if a],
        "skills": [s for s in request.form.getlist("skills") if s]}
    for name in ("sex", "age_min", "age_max", "language"):
        if request.form.get(name, "").strip():
            audience[name] = request.form[name].strip()
    data: dict[str, Any] = {"audience": audience,
                            "send_at": local_time(request.form.get("send_at", "")),
                            "confirm": request.form.get("confirm") == "1"}
    for name in ("text_zh", "text_en", "posting_id"):
        if request.form.get(name, "").strip():
            data[name] = request.form[name].strip()
    chosen = request.form.get("template", "").strip()
    if chosen in wording.BROADCAST_TEMPLATES:  # its variables, per language, as filled
        data["template"] = {"name": chosen}
        for lang in wording.LANGUAGES:
            values = {field: request.form.get(f"tpl-{chosen}-{lang}-{field}", "").strip()
                      for field in wording.variables(chosen)}
            if any(values.values()):
                data["template"][lang] = values
    return BroadcastIn.model_validate(data)


def _published(db: Session, user: User) -> list[Posting]:
    rows = db.scalars(select(Posting).where(Posting.status == PostingStatus.PUBLISHED)
                      .order_by(Posting.id.desc())).all()
    return [p for p in rows if access.within(db, user, p.area_id)]


@page("/broadcasts", roles=STAFF)
def broadcasts(db: Session, user: User) -> ResponseReturnValue:
    """Every broadcast with its progress, and the composer."""
    items, total, page_no, per_page = listed(api_broadcasts.list_broadcasts, db, user)
    return render_template("console/broadcasts.html", items=items, total=total, page=page_no,
                           per_page=per_page, areas=areas_in_scope(db, user),
                           postings=_published(db, user),
                           templated=wording.templated_provider(services().settings),
                           broadcast_templates={name: wording.variables(name)
                                                for name in wording.BROADCAST_TEMPLATES})


@page("/broadcasts/preview", methods=("POST",), roles=STAFF)
def broadcast_preview(db: Session, user: User) -> ResponseReturnValue:
    """Recipients, segments and cost as JSON, for the composer's live count."""
    try:
        preview = api.call(api_broadcasts.preview_broadcast, db, user, _broadcast_body())
    except ValidationError as exc:
        return {"error": exc.errors()[0]["msg"]}, 422
    except access.NotVisible as exc:  # an area or posting outside the officer's: no count
        return {"error": exc.message, "field": exc.field}, 404
    except Refused as exc:
        return {"error": exc.message}, 422
    shown: dict[str, Any] = preview.model_dump(mode="json")
    return shown


@page("/broadcasts/send", methods=("POST",), roles=STAFF)
def broadcast_send(db: Session, user: User) -> ResponseReturnValue:
    """Send now, or at the time given (quiet hours respected by the workers); a big send
    asks first (the API refuses it without `confirm`, so this holds without JavaScript)."""
    body = _broadcast_body()
    try:
        created = api.call(api_broadcasts.create_broadcast, db, user, body)
    except api.ApiError as exc:
        if exc.field != "confirm":
            raise
        recipients = api.call(api_broadcasts.preview_broadcast, db, user, body).recipients
        kept = [(k, v) for k, v in request.form.items(multi=True)
                if k not in ("csrf_token", "confirm")]
        return render_template("console/broadcast_confirm.html", n=f"{recipients:,}",
                               fields=kept)
    flash(_("broadcast_created", n=created.recipients,
            status=_("bc_status_" + created.status)), "info")
    return redirect(url_for("console.broadcast", broadcast_id=created.id))


def broadcast_words(found: BroadcastOut) -> dict[str, str]:
    """A broadcast's phase in the reader's words: for the page and for its poll."""
    return {"status": _("bc_status_" + found.status),
            "starts": _("bc_starts_at", time=show_time(found.starts_at))
            if found.starts_at else "",
            "finished": _("bc_finished_at", time=show_time(found.finished_at))
            if found.finished_at else ""}


def reason_word(code: str) -> str:
    """Why a message failed, in words (a provider's own code as it is)."""
    key = "bc_reason_" + code
    return _(key) if key in WORDS else _("bc_reason_other", code=code)


@page("/broadcasts/<int:broadcast_id>", roles=STAFF)
def broadcast(db: Session, user: User, broadcast_id: int) -> ResponseReturnValue:
    """A broadcast: its phase in words, its progress bar, and what it came to."""
    found = api.call(api_broadcasts.get_broadcast, db, user, broadcast_id=broadcast_id)
    if request.args.get("format") == "json":  # what the progress bar polls
        counts: dict[str, Any] = found.model_dump(mode="json")
        counts["words"] = broadcast_words(found)
        return counts
    return render_template("console/broadcast.html", b=found, words=broadcast_words(found),
                           reason_word=reason_word)


@page("/broadcasts/<int:broadcast_id>/cancel", methods=("POST",), roles=STAFF)
def broadcast_cancel(db: Session, user: User, broadcast_id: int) -> ResponseReturnValue:
    """Messages no worker has taken yet are not sent."""
    api.call(api_broadcasts.cancel_broadcast, db, user, broadcast_id=broadcast_id)
    flash(_("broadcast_cancelled"), "info")
    return redirect(url_for("console.broadcast", broadcast_id=broadcast_id))


# --- Trainings --------------------------------------------------------------------------------


@page("/trainings", methods=("GET", "POST"), roles=STAFF)
def trainings(db: Session, user: User) -> ResponseReturnValue:
    """Training sessions of the user's area, and a form for a new one."""
    if request.method == "POST":
        created = api.call(api_trainings.create_training, db, user, form_model(TrainingIn))
        flash(_("training_created"), "info")
        return redirect(url_for("console.training", training_id=created.id))
    items, total, page_no, per_page = listed(api_trainings.list_trainings, db, user)
    return render_template("console/trainings.html", items=items, total=total, page=page_no,
                           per_page=per_page,
                           townships=areas_in_scope(db, user, AreaLevel.TOWNSHIP),
                           postings=_published(db, user))


@page("/trainings/<int:training_id>", roles=STAFF)
def training(db: Session, user: User, training_id: int) -> ResponseReturnValue:
    """A session's counts and enrolments."""
    found = api.call(api_trainings.get_training, db, user, training_id=training_id)
    items, total, page_no, per_page = listed(api_trainings.list_enrolments, db, user,
                                             training_id=training_id)
    return render_template("console/training.html", t=found, items=items, total=total,
                           page=page_no, per_page=per_page)


@page("/trainings/<int:training_id>/cancel", methods=("POST",), roles=STAFF)
def training_cancel(db: Session, user: User, training_id: int) -> ResponseReturnValue:
    api.call(api_trainings.cancel_training, db, user, training_id=training_id)
    flash(_("training_cancelled"), "info")
    return redirect(url_for("console.training", training_id=training_id))


@page("/enrolments/<int:enrolment_id>", methods=("POST",), roles=STAFF)
def enrolment_move(db: Session, user: User, enrolment_id: int) -> ResponseReturnValue:
    """Mark attended, absent, completed or withdrawn."""
    moved = api.call(api_trainings.move_enrolment, db, user, form_model(EnrolmentMoveIn),
                     enrolment_id=enrolment_id)
    flash(_("enrolment_now", name=moved.villager_name,
            status=say("enrolment_status", moved.status)), "info")
    return redirect(url_for("console.training", training_id=moved.training_id))


# --- Departures and the check-in follow-up list -----------------------------------------------


@page("/departures", methods=("GET", "POST"))
def departures(db: Session, user: User) -> ResponseReturnValue:
    """Departures the user may see, and (officers) a form for a new one."""
    if request.method == "POST":
        body = form_model(DepartureIn, leaves_at=local_time(request.form.get("leaves_at", "")))
        created = api.call(api_departures.create_departure, db, user, body)
        flash(_("departure_created"), "info")
        return redirect(url_for("console.departure", departure_id=created.id))
    items, total, page_no, per_page = listed(api_departures.list_departures, db, user)
    return render_template("console/departures.html", items=items, total=total, page=page_no,
                           per_page=per_page, postings=_published(db, user))


@page("/departures/<int:departure_id>")
def departure(db: Session, user: User, departure_id: int) -> ResponseReturnValue:
    """A departure and its roster: who confirmed, declined, or did not answer."""
    found = api.call(api_departures.get_departure, db, user, departure_id=departure_id)
    return render_template("console/departure.html", d=found,
                           p=access.posting(db, user, found.posting_id))


@page("/departures/<int:departure_id>/<any(move, cancel, depart):action>", methods=("POST",),
      roles=STAFF)
def departure_act(db: Session, user: User, departure_id: int,
                  action: str) -> ResponseReturnValue:
    """Move (time and/or place), cancel, or mark departed."""
    if action == "move":
        body = form_model(DepartureMoveIn,
                          leaves_at=local_time(request.form.get("leaves_at", "")))
        api.call(api_departures.move_departure, db, user, body, departure_id=departure_id)
        flash(_("departure_moved"), "info")
    else:
        view = api_departures.cancel_departure if action == "cancel" else api_departures.depart
        result = api.call(view, db, user, departure_id=departure_id)
        flash(_("departure_now", status=say("departure_status", result.status)), "info")
    return redirect(url_for("console.departure", departure_id=departure_id))


@page("/follow-up", roles=STAFF)
def follow_up(db: Session, user: User) -> ResponseReturnValue:
    """Workers who answered neither a check-in nor its two reminders."""
    items, total, page_no, per_page = listed(api_departures.follow_up, db, user)
    return render_template("console/follow_up.html", items=items, total=total, page=page_no,
                           per_page=per_page)


# --- Cases ------------------------------------------------------------------------------------


@page("/cases")
def cases_list(db: Session, user: User) -> ResponseReturnValue:
    """Problem reports the user may see (`status`, `stale` filters as in the API)."""
    items, total, page_no, per_page = listed(api_cases.list_cases, db, user)
    return render_template("console/cases.html", items=items, total=total, page=page_no,
                           per_page=per_page, staff_names=staff_names(db))


@page("/cases/<int:case_id>")
def case(db: Session, user: User, case_id: int) -> ResponseReturnValue:
    """A case, its history, and (officers) assignment and status moves."""
    found = api.call(api_cases.get_case, db, user, case_id=case_id)
    row = access.case(db, user, case_id)
    staff = db.scalars(select(User).where(User.role.in_(STAFF)).order_by(User.name)).all()
    assignable = [u for u in staff if access.may_handle_case(db, u, row)]
    return render_template("console/case.html", c=found, assignable=assignable,
                           staff_names={u.id: u.shown_name for u in staff},
                           moves=sorted(m.value for m in cases.LIFECYCLE.targets(row.status)))


@page("/cases/<int:case_id>/<any(assign, status):action>", methods=("POST",), roles=STAFF)
def case_act(db: Session, user: User, case_id: int, action: str) -> ResponseReturnValue:
    """Assign the case, or move it (the villager is told by SMS)."""
    if action == "assign":
        body = form_model(AssignIn)
        api.call(api_cases.assign_case, db, user, body, case_id=case_id)
        flash(_("case_assigned", name=staff_names(db).get(body.user_id, "")), "info")
    else:
        moved = api.call(api_cases.case_status, db, user, form_model(CaseStatusIn),
                         case_id=case_id)
        flash(_("case_now", status=say("case_status", moved.status)), "info")
        if moved.note_cut:
            flash(_("sms_note_cut", n=VARIABLE_LIMIT), "error")
    return redirect(url_for("console.case", case_id=case_id))


# --- Agencies and employers (what a posting needs first) ---------------------------------------


@page("/agencies")
def agencies(db: Session, user: User) -> ResponseReturnValue:
    """Agencies and employers."""
    items, total, page_no, per_page = listed(api_agencies.list_agencies, db, user)
    return render_template("console/agencies.html", items=items, total=total, page=page_no,
                           per_page=per_page,
                           employers=db.scalars(select(Employer).order_by(Employer.name)).all())
