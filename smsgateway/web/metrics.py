"""`GET /metrics` for Prometheus, behind `METRICS_TOKEN`; the webhooks' timing.

The scrape must carry `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time):
401 without it or with another. With no token configured the page is served only in
development (`JOBLINE_DEVELOPMENT=1` or debug) and is 404 elsewhere.
"""

from __future__ import annotations

import hmac
import os
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST

from .. import metrics
from ..services import services

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def scrape() -> Response:
    """Every metric of every process, in Prometheus's text format."""
    token = services().settings.get("METRICS_TOKEN")
    if not token:
        if not (current_app.debug or os.environ.get("JOBLINE_DEVELOPMENT")):
            abort(404)
    else:
        given = request.headers.get("Authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                value.strip().encode(), str(token).encode()):
            return Response("unauthorized\n", 401, {"WWW-Authenticate": "Bearer"},
                            mimetype="text/plain")
    return Response(metrics.scrape(services()), content_type=CONTENT_TYPE_LATEST)


def time_webhooks(app: Flask, webhooks: tuple[Blueprint, ...]) -> None:
    """Time every request to the providers' blueprints in `jobline_webhook_seconds{route}`
    (the route's rule, e.g. `/sms/twilio`: a bounded set of labels)."""
    names = {blueprint.name for blueprint in webhooks}

    @app.before_request
    def start() -> None:
        if request.blueprint in names:
            g.webhook_started = time.perf_counter()

    @app.teardown_request
    def observe(_error: BaseException | None) -> None:
        started = g.pop("webhook_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "unmatched"
            metrics.WEBHOOK_SECONDS.labels(route).observe(time.perf_counter() - started)
