"""`GET /healthz`: can we reach the database and Redis?"""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from ..services import services

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """JSON with the state of each dependency; 503 when one is down."""
    svc = services()
    checks = {}
    try:
        with svc.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        log.warning("health: database unreachable: %s", exc)
        checks["database"] = "unreachable"
    try:
        svc.redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:
        log.warning("health: redis unreachable: %s", exc)
        checks["redis"] = "unreachable"
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "unhealthy", **checks), 200 if healthy else 503
