"""SMS webhooks: every gateway's inbound messages and delivery reports, routed the same way.

For each gateway in the registry: `POST /sms/<name>` (an inbound message, kept once and
answered by the conversation) and `POST /sms/<name>/<status_path>` (a delivery report, which
only moves a message forward). What differs between providers lives in their gateway module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from ..conversation.inbound import receive
from ..kernel.phones import BadPhone, to_e164
from ..kernel.text import clean_data, clean_mapping
from ..messaging.delivery import record_status
from ..messaging.gateways import Answer, BadInbound, Gateway, StatusReport
from ..messaging.gateways.registry import GATEWAYS
from ..services import services
from .auth import web_request

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/sms")


def _response(answer: Answer) -> Response:
    return Response(answer.body, status=answer.status, mimetype=answer.mimetype)


def _payload(gateway: Gateway) -> Any:
    """What the gateway's parsers read, its text cleaned (`kernel.text`): the form, or the
    JSON body (BadInbound if not JSON)."""
    if gateway.body_format != "json":
        return clean_mapping(request.form, nul_is_at=gateway.nul_is_at)
    payload = request.get_json(silent=True, force=True)
    if payload is None:
        raise BadInbound("the body is not JSON")
    return clean_data(payload)


def _inbound(gateway: Gateway) -> Callable[[], Response]:
    def inbound() -> Response:
        """A villager's SMS: verified, de-duplicated on the provider's id, answered."""
        svc = services()
        if not gateway.verify(web_request(), svc.settings):
            return _response(gateway.forbidden())
        try:
            message = gateway.parse_inbound(_payload(gateway))
            phone = to_e164(message.phone, svc.settings["DEFAULT_REGION"])
        except (BadInbound, BadPhone) as exc:
            return _response(Answer(f"{exc}\n", 400))
        outcome = receive(svc, gateway.name, message, phone, reply_inline=gateway.replies_inline)
        return _response(gateway.answer_inbound(outcome.reply, outcome.duplicate))

    return inbound


def _status(gateway: Gateway) -> Callable[[], Response]:
    def status() -> Response:
        """The provider's delivery report for a message we sent."""
        svc = services()
        if not gateway.verify(web_request(), svc.settings):
            return _response(gateway.forbidden())
        try:
            parsed = gateway.parse_status(_payload(gateway))
        except BadInbound as exc:
            return _response(Answer(f"{exc}\n", 400))
        reports = [parsed] if isinstance(parsed, StatusReport) else list(parsed or ())
        for report in reports:
            if report.status is None:
                continue
            with svc.sessions.begin() as db:
                record_status(db, svc.redis, report.provider_message_id, report.status,
                              report.code, report.reason, opted_out=report.opted_out)
        return _response(gateway.answer_status())

    return status


for _gateway in GATEWAYS.values():
    bp.add_url_rule(f"/{_gateway.name}", endpoint=f"{_gateway.name}_inbound",
                    view_func=_inbound(_gateway), methods=["POST"])
    bp.add_url_rule(f"/{_gateway.name}/{_gateway.status_path}",
                    endpoint=f"{_gateway.name}_{_gateway.status_path}",
                    view_func=_status(_gateway), methods=["POST"])
