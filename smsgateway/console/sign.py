"""Signing in and out, and the console's language."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from ..services import services
from . import LANGUAGES, _, back, bp, password_mark, signin


def _form(**values: Any) -> str:
    """The sign-in page, with whom to ask for a password (CONSOLE_HELP_CONTACT)."""
    return render_template("console/sign_in.html",
                           help_contact=services().settings.get("CONSOLE_HELP_CONTACT"),
                           **values)


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never another host) to go on to after signing in."""
    if target and target.startswith("/") and not urlparse(target).netloc \
            and not target.startswith("//"):
        return target
    return url_for("console.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    """The sign-in form; a wrong name or password gets one message that does not say which."""
    if request.method == "GET":
        return _form(next=request.args.get("next", ""))
    name, password = request.form.get("name", ""), request.form.get("password", "")
    address = request.remote_addr or "unknown"
    svc = services()
    guard = signin.Guard(svc.redis)
    wait = guard.wait(name, address)
    if wait:
        return _form(next=request.form.get("next", ""),
                     error=_("signin_wait", seconds=wait), name=name), 429, \
            {"Retry-After": str(wait)}
    with svc.readers() as db:
        user = signin.check(db, name, password)
        mark = password_mark(user) if user else ""
        user_id = user.id if user else None
        shown = user.shown_name if user else ""
    if user_id is None:
        guard.failed(name, address)
        return _form(next=request.form.get("next", ""), error=_("signin_wrong"),
                     name=name), 401
    guard.succeeded(name, address)
    language = session.get("lang")
    session.clear()  # a new session at sign-in: nothing of the anonymous one is trusted
    session.update(user_id=user_id, pw=mark)
    if language:
        session["lang"] = language
    flash(_("signed_in", name=shown), "info")
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    """End the session."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(_("signed_out"), "info")
    return redirect(url_for("console.sign_in"))


@bp.post("/language")
def choose_language() -> ResponseReturnValue:
    """Switch the console between Chinese and English."""
    chosen = request.form.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        flash(_("language_chosen"), "info")
    return back()
