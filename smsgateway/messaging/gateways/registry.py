"""The gateways Jobline speaks through: the one list the web edge and the services read."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import Gateway, Sender, africastalking, tencent, twilio
from .console import ConsoleSender

# Providers that call our webhooks (inbound SMS and delivery reports) and send.
GATEWAYS: dict[str, Gateway] = {
    g.name: g for g in (twilio.GATEWAY, africastalking.GATEWAY, tencent.GATEWAY)}

# Every `SMS_PROVIDER` and outbox channel, and how to build its sender.
SENDERS: dict[str, Callable[[Mapping[str, Any]], Sender]] = {
    "console": ConsoleSender,
    **{name: gateway.sender for name, gateway in GATEWAYS.items()},
}

# Providers that send approved templates only (their sender is `templated`): a broadcast
# there picks a broadcast template (smsgateway/broadcasts/wording.py).
TEMPLATED_PROVIDERS = frozenset({tencent.GATEWAY.name})
