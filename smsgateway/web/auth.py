"""What a webhook carried, as the gateways read it: the URL the provider called, its form,
query and headers (each gateway's `verify` decides whether to believe it)."""

from __future__ import annotations

import os

from flask import current_app, request

from ..messaging.gateways import WebRequest
from ..services import services


def public_url() -> str:
    """The URL the provider called: `PUBLIC_BASE_URL` plus path and query (a proxy changes
    the rest)."""
    base = services().settings["PUBLIC_BASE_URL"]
    if not base:
        return str(request.url)
    query = request.query_string.decode("latin-1")
    return str(base).rstrip("/") + request.path + (f"?{query}" if query else "")


def web_request() -> WebRequest:
    """The current request, taken off Flask for a gateway's `verify`."""
    return WebRequest(url=public_url(), form=request.form, args=request.args,
                      headers=dict(request.headers),
                      development=bool(current_app.testing
                                       or os.environ.get("JOBLINE_DEVELOPMENT")))
