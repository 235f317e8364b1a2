"""Jobline's Flask application: the HTTP edge, gateway adapters, models and services."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import logsafe
from .config import from_environment
from .messaging.outbox import enqueue_on_commit
from .services import Services
from .web.ids import IdConverter


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment, with `overrides` on top (tests pass theirs)."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter  # before any route: ids out of range are 404
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(from_environment(app.instance_path))
    app.config.update(overrides or {})
    if not app.config["SECRET_KEY"]:
        if not (app.debug or app.testing or os.environ.get("JOBLINE_DEVELOPMENT")):
            raise RuntimeError("SECRET_KEY must be set outside development")
        app.config["SECRET_KEY"] = "development-only"
    # Settings with a syntax of their own: a clear error at start, not at the first send.
    from .kernel.quiet import quiet_hours
    from .messaging.throttle import provider_rates

    quiet_hours(str(app.config["QUIET_HOURS"] or ""))
    provider_rates(app.config.get("PROVIDER_RATE"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logsafe.install()  # request values cannot start a log line of their own
    # The Twilio SDK logs every request's headers at INFO: noise, and slow at volume.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

    if app.config["PROXY_HOPS"]:  # the client's address and scheme as the proxy saw them
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops)
    svc = Services.build(dict(app.config))
    enqueue_on_commit(svc.sessions, svc)
    app.extensions["jobline"] = svc

    from .api import routes as api_routes
    from .console import routes as console_routes
    from .web import health as web_health
    from .web import sms as web_sms
    from .web import ussd as web_ussd
    from .web import wechat as web_wechat

    for module in (web_health, web_sms, web_ussd, web_wechat):
        app.register_blueprint(module.bp)
    api_routes.init_app(app)
    console_routes.init_app(app)  # the pages call the API's views: after it
    return app
