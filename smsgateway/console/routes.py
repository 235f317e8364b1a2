"""The console's page modules, imported once so that their declarations register, and the
blueprint installed on an app (kept apart from the package's `__init__`, which the page
modules import: no cycle)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, redirect, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from . import (  # noqa: F401  (they declare pages)
    _http_error,
    bp,
    cohorts,
    pages,
    profile,
    records,
    report,
    sign,
    simulator,
    templates_page,
)
from .interviews import recruitment_days as _recruitment_days  # noqa: F401  (declares pages)
from .paychecks import wage_cases  # noqa: F401  (declares the wage cases page)


def init_app(app: Flask) -> None:
    """Register the console's pages and secure its session cookie."""
    base = str(app.config.get("PUBLIC_BASE_URL") or "")
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=base.startswith("https://"),
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=12))
    app.register_blueprint(bp)

    # A path under /console that matches no page (an id out of range too: the `int`
    # converter refuses it) belongs to no blueprint: the console's page all the same, and
    # the app's earlier handler (the API's JSON) for every other path.
    for code in (404, 405):
        earlier = app.error_handler_spec[None][code].get(NotFound if code == 404
                                                         else MethodNotAllowed)

        def console_or_earlier(exc: HTTPException, earlier: Any = earlier) -> Any:
            if request.path.startswith(bp.url_prefix or "/console"):
                return _http_error(exc)
            return earlier(exc) if earlier else exc

        app.register_error_handler(code, console_or_earlier)

    @app.get("/")
    def _root() -> ResponseReturnValue:
        return redirect(url_for("console.dashboard"))

    @app.get("/favicon.ico")  # what browsers ask for before reading a page's <link rel=icon>
    def _favicon() -> ResponseReturnValue:
        return redirect(url_for("static", filename="favicon.svg"), 301)
