"""A villager's profile as a place to act: one SMS through the outbox, an enrolment, a case,
an edit of the record (the API's own edit). Every action finds the villager through
`access` first: another county's villager is 404 before anything is read or written.
(The profile page itself is `pages.villager`; its thread is `threads.py`.)

The import's template (a CSV the importer reads, with an example row) lives here too."""

from __future__ import annotations

import csv
import io

from flask import Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from menus import trainingtext
from menus.texts import DEFAULT_LANGUAGE

from .. import access, api
from ..access import STAFF
from ..api import villagers as api_villagers
from ..api.schemas import VillagerIn
from ..broadcasts.wording import BROADCAST_TEMPLATES
from ..config import local_today
from ..followup import cases
from ..kernel.errors import Refused
from ..messaging.gateways.registry import TEMPLATED_PROVIDERS
from ..messaging.outbox import add_message
from ..models import AreaLevel, CaseCategory, User
from ..services import services
from ..templates import VARIABLE_LIMIT, Templated, free_text
from ..training import sessions as trainings
from ..web.ids import MAX_ID
from . import _, page
from .pages import areas_in_scope, form_model
from .threads import SMS_MAX

ENROL_REFUSALS = ("not_registered", "closed", "already_enrolled", "not_eligible", "full")


@page("/villagers/<int:villager_id>/sms", methods=("POST",), roles=STAFF)
def villager_sms(db: Session, user: User, villager_id: int) -> ResponseReturnValue:
    """One SMS from the officer, written to the outbox: the send job keeps the quiet hours
    and calls the provider at most once; a villager who opted out gets nothing."""
    found = access.villager(db, user, villager_id)
    body = request.form.get("body", "").strip()
    if not body:
        flash(_("sms_one_empty"), "error")
    elif len(body) > SMS_MAX:
        flash(_("sms_one_long", n=SMS_MAX), "error")
    else:
        # Free text from an officer, as a broadcast's is (a broadcast of one). A templated
        # provider carries it in the broadcast's notice template, cut to its variable limit.
        channel = services().settings["SMS_PROVIDER"]
        message: str | Templated = body
        cut = False
        if channel in TEMPLATED_PROVIDERS:
            message, cut = free_text(found.contact.language or DEFAULT_LANGUAGE,
                                     BROADCAST_TEMPLATES["notice"], "text", body)
        written = add_message(db, found.contact, message, kind="broadcast", channel=channel)
        if written and cut:
            flash(_("sms_one_cut", n=VARIABLE_LIMIT), "error")
        else:
            flash(_("sms_one_queued") if written else _("sms_one_opted_out"),
                  "info" if written else "error")
    return redirect(url_for("console.villager", villager_id=villager_id))


@page("/villagers/<int:villager_id>/enrol", methods=("POST",), roles=STAFF)
def villager_enrol(db: Session, user: User, villager_id: int) -> ResponseReturnValue:
    """Enrol the villager in a session of the officer's area, within its capacity (the
    domain's own enrolment); the villager is told by SMS as when they enrol themselves."""
    found = access.villager(db, user, villager_id)
    chosen = request.form.get("training_id", "")
    if not chosen.isdigit() or not 0 < int(chosen) <= MAX_ID:
        flash(_("enrol_choose"), "error")
        return redirect(url_for("console.villager", villager_id=villager_id))
    training = access.training(db, user, int(chosen))
    today = local_today(services().settings)
    try:
        trainings.enrol(db, found, training, "officer", today)
    except Refused as refused:
        reason = refused.message if refused.message in ENROL_REFUSALS else "closed"
        flash(_("enrol_refused_" + reason), "error")
        return redirect(url_for("console.villager", villager_id=villager_id))
    language = found.contact.language or "zh"
    add_message(db, found.contact,
                trainingtext.enrolled(trainings.training_of(training, True), language, today),
                kind="reply", channel=services().settings["SMS_PROVIDER"])
    flash(_("enrolled_done"), "info")
    return redirect(url_for("console.villager", villager_id=villager_id))


@page("/villagers/<int:villager_id>/case", methods=("POST",), roles=STAFF)
def villager_case(db: Session, user: User, villager_id: int) -> ResponseReturnValue:
    """Open a case for the villager (told its number by SMS, as when they report)."""
    found = access.villager(db, user, villager_id)
    category = request.form.get("category", "")
    description = request.form.get("description", "").strip()
    if category not in {c.value for c in CaseCategory} or not description:
        flash(_("case_incomplete"), "error")
        return redirect(url_for("console.villager", villager_id=villager_id))
    opened = cases.open_case(db, found, category, description, False, "officer",
                             services().settings["SMS_PROVIDER"])
    flash(_("case_opened", n=opened.id), "info")
    return redirect(url_for("console.case", case_id=opened.id))


@page("/villagers/<int:villager_id>/edit", methods=("POST",), roles=STAFF)
def villager_edit(db: Session, user: User, villager_id: int) -> ResponseReturnValue:
    """Save the record through the API's edit (its checks, its consent, its scope)."""
    found = access.villager(db, user, villager_id)
    body = form_model(VillagerIn, lists=("skills",), flags=("consent",),
                      phone=found.contact.phone)
    api.call(api_villagers.edit_villager, db, user, body, villager_id=villager_id)
    flash(_("edited_done"), "info")
    return redirect(url_for("console.villager", villager_id=villager_id))


# --- The import's template ------------------------------------------------------------------

TEMPLATE_COLUMNS = {  # the importer's own column names (labour_files.COLUMNS), per language
    "zh": ("电话", "姓名", "性别", "出生年份", "乡镇", "技能", "愿意出省", "语言"),
    "en": ("phone", "name", "sex", "birth_year", "township", "skills", "outside_province",
           "language"),
}


@page("/villagers/import/template.csv", roles=STAFF)
def villagers_template(db: Session, user: User) -> ResponseReturnValue:
    """A CSV the importer reads: the column names in the chosen language (`?lang=zh|en`)
    and one example row in a township of the officer's area."""
    lang = request.args.get("lang", "zh")
    lang = lang if lang in TEMPLATE_COLUMNS else "zh"
    townships = areas_in_scope(db, user, AreaLevel.TOWNSHIP)
    place = townships[0] if townships else None
    if lang == "zh":
        example = ["13800000000", "李明", "男", "1990", place.name_zh if place else "",
                   "电工；餐饮", "是", "中文"]
    else:
        example = ["13800000000", "Li Ming", "m", "1990", place.name_en if place else "",
                   "electrician;catering", "yes", "en"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS[lang])
    writer.writerow(example)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=jobline-villagers-{lang}.csv"})
