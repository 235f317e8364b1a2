"""One module per SMS gateway, each the same shape.

`parse_inbound(form) -> InboundSms`, `render_reply(text) -> str`, `STATUS_MAP`
(provider status → our message status) and a sender class with
`send(phone, body) -> str` (the provider's message id) that raises
`TransientSendError`, `PermanentSendError` or `InterruptedSendError`; a network failure
becomes one of these through `network_error`, the one place that decides whether the
request may have reached the provider.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError


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

    def __init__(self, code: str, reason: str, opted_out: bool = False,
                 opt_out_reason: str | None = None) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.opted_out = opted_out
        # What the villager's record shows as why: the carrier's code (21610, UserInBlackList).
        self.opt_out_reason = (opt_out_reason or code) if opted_out else None


class TransientSendError(SendError):
    """Worth retrying later: throttling, the provider's 5xx, a timeout."""


class PermanentSendError(SendError):
    """Retrying will not help; `opted_out` when the recipient blocked us."""


class InterruptedSendError(SendError):
    """The request was written and then the answer never came (a read timeout, a reset
    connection): the provider may have taken the message, so it is never sent again."""


def _causes(exc: BaseException) -> list[object]:
    """`exc` and what it wraps (requests wraps urllib3's MaxRetryError, whose `reason` is
    the underlying error)."""
    seen: list[object] = []
    todo: list[object] = [exc]
    while todo and len(seen) < 12:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [getattr(item, "reason", None), getattr(item, "__cause__", None),
                 getattr(item, "__context__", None)]
        if isinstance(item, BaseException) and item.args:
            todo.append(item.args[0])
    return seen


def network_error(exc: requests.RequestException) -> SendError:
    """What a failed HTTP call to a provider means for the message (at most once).

    No connection was made (refused, unresolvable, a connect timeout): the request never
    left, so it is retried (`network`). Anything after the connection was made (a read
    timeout, a reset or closed connection, a broken answer) may follow a request the
    provider took: `interrupted`, not retried. Neither Twilio's Messages API nor Africa's
    Talking's has an idempotency key that would make a resend safe.
    """
    if isinstance(exc, requests.ConnectTimeout) or any(
            isinstance(cause, NewConnectionError | ConnectTimeoutError)
            for cause in _causes(exc)):
        return TransientSendError("network", str(exc))
    return InterruptedSendError(
        "interrupted", f"no answer after the request was sent; not resent, to never send"
                       f" twice: {exc}")
