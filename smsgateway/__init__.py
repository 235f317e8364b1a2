"""Jobline's Flask application: the HTTP edge, gateway adapters, models and services."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask

from .config import from_environment
from .outbox import enqueue_on_commit
from .services import Services


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with `overrides` on top (tests pass theirs)."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(from_environment(app.instance_path))
    app.config.update(overrides or {})
    if not app.config["SECRET_KEY"]:
        if not (app.debug or app.testing or os.environ.get("JOBLINE_DEVELOPMENT")):
            raise RuntimeError("SECRET_KEY must be set outside development")
        app.config["SECRET_KEY"] = "development-only"
    # Settings with a syntax of their own: a clear error at start, not at the first send.
    from .quiet import quiet_hours
    from .throttle import provider_rates

    quiet_hours(str(app.config["QUIET_HOURS"] or ""))
    provider_rates(app.config.get("PROVIDER_RATE"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # The Twilio SDK logs every request's headers at INFO: noise, and slow at volume.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

    svc = Services.build(dict(app.config))
    enqueue_on_commit(svc.sessions, svc)
    app.extensions["jobline"] = svc

    from . import api, console, web_health, web_sms, web_ussd

    for module in (web_health, web_sms, web_ussd):
        app.register_blueprint(module.bp)
    api.init_app(app)
    console.init_app(app)  # the pages call the API's views: after it
    return app
