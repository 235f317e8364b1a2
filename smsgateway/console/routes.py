"""The console's page modules, imported once so that their declarations register, and the
blueprint installed on an app (kept apart from the package's `__init__`, which the page
modules import: no cycle)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, redirect, url_for
from flask.typing import ResponseReturnValue

from . import bp, pages, report, sign, simulator  # noqa: F401  (they declare pages)


def init_app(app: Flask) -> None:
    """Register the console's pages and secure its session cookie."""
    base = str(app.config.get("PUBLIC_BASE_URL") or "")
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=base.startswith("https://"),
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=12))
    app.register_blueprint(bp)

    @app.get("/")
    def _root() -> ResponseReturnValue:
        return redirect(url_for("console.dashboard"))
