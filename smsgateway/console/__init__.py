"""The console: server-rendered pages for officers and agencies over what the API does.

Every page runs like an API route: one transaction, the signed-in account, the same role
check (`access.require_role`) and the same scope checks, because the pages call the API's
own views (`api.call`) or `access` for what they show. What an account may not see answers
404, as in the API. Forms carry a per-session CSRF token; sessions are Flask's signed
cookies (HttpOnly, SameSite=Lax, Secure when PUBLIC_BASE_URL is https).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlparse

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy import inspect
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from ..access import EVERYONE, require_role
from ..kernel.errors import Refused
from ..kernel.text import clean, clean_pairs
from ..models import Role, User
from ..services import services
from . import words as _words
from .words import WORDS, word

bp = Blueprint("console", __name__, url_prefix="/console")
LANGUAGES = ("zh", "en")
BIG_FORMS = {"console.villagers_import": 8 * 1024 * 1024}  # the API's limit for the same file


def language() -> str:
    """The console's language for this browser: chosen, else the programme's default."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return str(services().settings["DEFAULT_LANGUAGE"])


def _(key: str, **values: Any) -> str:
    """A word of the console in the current language."""
    return word(language(), key, **values)


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def password_mark(user: User) -> str:
    """A short fingerprint of the account's password hash: changing the password (or
    removing it) ends every session signed in with the old one."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


@bp.before_request
def _check_csrf() -> None:
    """Every POST carries the session's token, in the form or (for scripts) a header."""
    if request.method != "POST":
        return
    if request.endpoint in BIG_FORMS:  # before the form is read
        request.max_content_length = BIG_FORMS[request.endpoint]
    given = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(str(given), str(expected)):
        abort(400, description="csrf")


@bp.before_request
def _clean_text() -> None:
    """Form and query values as text every database takes (`kernel.text`), read after the
    CSRF check; passwords are compared as typed."""
    request.args = ImmutableMultiDict(clean_pairs(request.args.items(multi=True)))
    if request.method == "POST":
        request.form = ImmutableMultiDict(
            (k, v if k.startswith("password") else clean(v))
            for k, v in request.form.items(multi=True))


KEPT_LIMIT = 2000  # characters of a refused form kept for the next page (a session cookie)


def keep_form() -> None:
    """A refused form's values, kept for the page it goes back to (`kept(name)`), so that
    nothing typed is lost; not passwords, the token or a file's text."""
    if request.method != "POST":
        return
    values = {k: v for k, v in request.form.items()
              if k not in ("csrf_token", "csv") and not k.startswith("password")}
    if sum(len(k) + len(v) for k, v in values.items()) <= KEPT_LIMIT:
        flash(json.dumps(values), "form")


def kept(name: str, default: Any = "") -> Any:
    """The value the field `name` had in the form just refused, else `default`."""
    for message in get_flashed_messages(category_filter=["form"]):
        values = json.loads(str(message))
        if name in values:
            return values[name]
    return default


def field_errors(name: str) -> list[str]:
    """What was wrong with the field `name` in the form just refused."""
    return [str(m) for m in get_flashed_messages(category_filter=[f"field:{name}"])]


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    return {"_": _, "lang": language(), "csrf_token": csrf_token, "me": g.get("user"),
            "Role": Role, "kept": kept, "field_errors": field_errors, **_shown_values()}


def _shown_values() -> dict[str, Any]:
    """The catalogue of shown values (words.py), in the page's language: `say(kind, value)`
    for statuses, channels, roles…; `place(code)`, `province(name)`, `skill_list(codes)`,
    `failure(reason)`, `city(name, province)`."""
    lang = language()
    return {"say": lambda kind, value: _words.say(lang, kind, value),
            "place": lambda code: _words.place(lang, code),
            "province": lambda name: _words.province(lang, name),
            "skill_list": lambda codes: _words.skill_list(lang, codes),
            "failure": lambda reason: _words.failure_reason(lang, reason),
            "city": lambda name, province: _city(lang, name, province)}


def _city(lang: str, name: str | None, province: str | None) -> Markup:
    """A destination city in the page's language; one the gazetteer does not know is shown
    as it was typed, marked as the user's own data."""
    shown, known = _words.city(lang, name, province)
    return escape(shown) if known else Markup('<span translate="no">{}</span>').format(shown)


def back(default: str = "console.dashboard", **values: Any) -> ResponseReturnValue:
    """Back to the page the form was on (same site only), else to `default`."""
    referrer = request.referrer or ""
    if referrer and urlparse(referrer).netloc == request.host:
        return redirect(referrer)
    return redirect(url_for(default, **values))


def page(rule: str, methods: Iterable[str] = ("GET",), roles: Iterable[Role] = EVERYONE,
         own_transactions: bool = False) -> Callable[..., Any]:
    """Register a console page: signed in, role-checked, one transaction, errors shown.

    The view is called as `view(db, user, **path_args)`. Something not visible is 404; a
    refused action or bad input comes back to the form as a message (nothing written).
    `own_transactions`: the view opens its own (it gets db None), as the webhooks do.
    """
    roles = tuple(roles)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def handler(**kwargs: Any) -> ResponseReturnValue:
            if "user_id" not in session:
                return redirect(url_for("console.sign_in", next=request.full_path))
            try:
                with services().sessions.begin() as db:
                    user = db.get(User, session["user_id"],
                                  options=[joinedload(User.area), joinedload(User.agency)])
                    if user is None or session.get("pw") != password_mark(user):
                        session.clear()
                        return redirect(url_for("console.sign_in"))
                    g.user = user
                    require_role(user, roles)
                    if not own_transactions:
                        shown: ResponseReturnValue = view(db, user, **kwargs)
                        return shown
                shown = view(None, user, **kwargs)
                return shown
            except Refused as exc:  # out of role or scope looks like nothing there
                if exc.status in (403, 404):
                    abort(404)
                flash(exc.message, "error")
                if exc.field:
                    flash(exc.message, f"field:{exc.field}")
                keep_form()
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                flash(f"{where}: {first['msg']}" if where else first["msg"], "error")
                for error in exc.errors():  # each next to its field, too
                    if error["loc"]:
                        flash(_words.field_error(language(), error),
                              f"field:{error['loc'][0]}")
                keep_form()
            return back()

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=handler, methods=list(methods))
        return handler

    return decorate


@bp.errorhandler(404)  # by code too: the app's own 404/405 handlers (the API's) come first
@bp.errorhandler(405)
@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    if (exc.code or 500) < 400:  # a redirect raised by routing
        return exc
    user = g.get("user")
    if user is not None and inspect(user).detached and inspect(user).expired_attributes:
        g.pop("user")  # its transaction rolled back: reading it would fail a second time
    key = {400: "error_csrf" if exc.description == "csrf" else "error_bad",
           404: "error_not_found", 405: "error_bad"}.get(exc.code or 500, "error_bad")
    return render_template("console/error.html", message=_(key)), exc.code or 500


__all__ = ["WORDS", "bp", "page"]
