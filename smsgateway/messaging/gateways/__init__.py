"""One module per SMS gateway, each the same shape.

`parse_inbound(form) -> InboundSms`, `render_reply(text) -> str`, `STATUS_MAP`
(provider status → our message status) and a sender class with
`send(phone, body) -> str` (the provider's message id) that raises
`TransientSendError` or `PermanentSendError`.
"""

from __future__ import annotations

from dataclasses import dataclass


class BadInbound(ValueError):
    """A webhook body that lacks what the provider always sends."""


@dataclass(frozen=True)
class InboundSms:
    """One inbound SMS, in no provider's words."""

    provider_message_id: str
    phone: str  # as the provider gave it; the gateway normalises
    body: str


class SendError(Exception):
    """A provider refused or failed to take a message."""

    def __init__(self, code: str, reason: str, opted_out: bool = False) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.opted_out = opted_out


class TransientSendError(SendError):
    """Worth retrying later: throttling, the provider's 5xx, a timeout."""


class PermanentSendError(SendError):
    """Retrying will not help; `opted_out` when the recipient blocked us."""
