"""Approved template ids in the console (admins only): the API's own list and setting
(`api/templates.py` through `api.call`: the same role check and validation)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from .. import api
from ..access import TEMPLATE_KEEPERS
from ..api import templates as api_templates
from ..models import User
from . import _, page


@page("/templates", roles=TEMPLATE_KEEPERS)
def template_ids(db: Session, user: User) -> ResponseReturnValue:
    """Every template and language with its wording and approved id, and a form to set one."""
    found = api.call(api_templates.list_templates, db, user)
    return render_template("console/templates.html", items=found.items)


@page("/templates", methods=("POST",), roles=TEMPLATE_KEEPERS)
def template_ids_set(db: Session, user: User) -> ResponseReturnValue:
    """Set (or, left empty, remove) one template's approved id; a bad name or id comes back
    to the form with the reason, nothing written."""
    name = request.form.get("template", "").strip()
    approved = request.form.get("approved_id", "").strip() or None
    body = api_templates.TemplateIdsIn(ids={name: approved})
    api.call(api_templates.put_templates, db, user, body)
    flash(_("template_id_set" if approved else "template_id_removed", name=name), "info")
    return redirect(url_for("console.template_ids"))
