"""The API's route modules, imported once so that their declarations register, and the
blueprint installed on an app (kept apart from the package's `__init__`, which the route
modules import: no cycle)."""

from __future__ import annotations

from typing import Any

from flask import request

from . import (  # noqa: F401  (they declare routes)
    agencies,
    bp,
    broadcasts,
    cases,
    cohorts,
    departures,
    error,
    interviews,
    openapi,
    paychecks,
    postings,
    records,
    reports,
    targets,
    templates,
    trainings,
    villagers,
)


def init_app(app: Any) -> None:
    """Register the API's views and its OpenAPI document; API paths answer errors in JSON."""
    app.register_blueprint(bp)

    def json_for_api(exc: Any) -> Any:
        if request.path.startswith(bp.url_prefix or "/api"):
            return error(exc.code, exc.description.split(".")[0].lower())
        return exc

    for code in (404, 405, 413):
        app.register_error_handler(code, json_for_api)
