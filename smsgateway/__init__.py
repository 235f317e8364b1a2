"""Jobline's Flask application: the HTTP edge, gateway adapters, models and services."""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import logsafe
from .config import from_environment
from .kernel.quiet import quiet_hours
from .messaging.outbox import enqueue_on_commit
from .messaging.throttle import provider_rates
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
    quiet_hours(str(app.config["QUIET_HOURS"] or ""))
    provider_rates(app.config.get("PROVIDER_RATE"))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logsafe.install()  # request values cannot start a log line of their own
    if str(app.config.get("LOG_FORMAT") or "").lower() == "json":
        logsafe.use_json()
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
    from .web import metrics as web_metrics
    from .web import sms as web_sms
    from .web import ussd as web_ussd
    from .web import wechat as web_wechat

    _request_ids(app)
    web_metrics.time_webhooks(app, (web_sms.bp, web_ussd.bp, web_wechat.bp))
    for module in (web_health, web_metrics, web_sms, web_ussd, web_wechat):
        app.register_blueprint(module.bp)
    api_routes.init_app(app)
    console_routes.init_app(app)  # the pages call the API's views: after it
    return app


ACCESS_LOG = logging.getLogger("jobline.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _request_ids(app: Flask) -> None:
    """Give each request an id, the caller's `X-Request-Id` when it is a plain token (a
    proxy's, say) or a new one: every log line of the request carries it, and the answer's
    `X-Request-Id` names it. With JSON logs, one access line a request (logger
    `jobline.access`: method, path, status, milliseconds)."""
    json_logs = str(app.config.get("LOG_FORMAT") or "").lower() == "json"

    @app.before_request
    def take_id() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_id_token = logsafe.REQUEST_ID.set(g.request_id)
        g.started = time.perf_counter()

    @app.after_request
    def name_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers["X-Request-Id"] = g.request_id
        if json_logs:  # gunicorn's access log is plain text: this line replaces it
            ACCESS_LOG.info("%s %s %s %.1f ms", request.method, request.path,
                            response.status_code,
                            (time.perf_counter() - g.get("started", time.perf_counter())) * 1000)
        return response

    @app.teardown_request
    def drop_id(_error: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            logsafe.REQUEST_ID.reset(token)
