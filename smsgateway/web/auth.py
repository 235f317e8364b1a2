"""Who may call our webhooks: Twilio signs its requests; Africa's Talking carries a token."""

from __future__ import annotations

import hmac
import os

from flask import current_app, request

from ..messaging.gateways import twilio
from ..services import services


def callback_token_ok() -> bool:
    """True when the request's `?token=` is `AT_CALLBACK_TOKEN`.

    Africa's Talking signs nothing, so without a token anyone could act as any phone:
    only development and tests may run without one.
    """
    expected = services().settings["AT_CALLBACK_TOKEN"]
    if not expected:
        return bool(current_app.testing or os.environ.get("JOBLINE_DEVELOPMENT"))
    given = request.args.get("token", "")
    return hmac.compare_digest(given.encode(), str(expected).encode())


def public_url() -> str:
    """The URL Twilio called: `PUBLIC_BASE_URL` plus path and query (a proxy changes the rest)."""
    base = services().settings["PUBLIC_BASE_URL"]
    if not base:
        return str(request.url)
    query = request.query_string.decode("latin-1")
    return str(base).rstrip("/") + request.path + (f"?{query}" if query else "")


def twilio_signed() -> bool:
    """True when the request carries a valid `X-Twilio-Signature`."""
    token = services().settings["TWILIO_AUTH_TOKEN"] or ""
    signature = request.headers.get("X-Twilio-Signature")
    return twilio.signature_valid(public_url(), request.form, signature, token)
