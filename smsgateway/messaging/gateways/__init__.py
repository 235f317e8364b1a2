"""One module per SMS gateway, each the same shape: the `Gateway` protocol below.

A gateway module holds everything about its provider: how its webhooks are verified, how an
inbound message and a delivery report read, what the webhook answers, and its `Sender`
(`send(phone, body) -> provider id`, raising `TransientSendError`, `PermanentSendError` or
`InterruptedSendError`; a network failure becomes one of these through `network_error`, the
one place that decides whether the request may have reached the provider).
The web edge (`smsgateway.web.sms`) routes every gateway in `GATEWAYS` the same way, and the
services build senders from the same registry: a new provider is one module and one line in
`registry.py`, with nothing in the menus or the domain.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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


@dataclass(frozen=True)
class StatusReport:
    """A delivery report, in no provider's words."""

    provider_message_id: str
    status: str | None  # ours (sent, delivered, undelivered, failed); None: still on its way
    code: str | None = None  # the provider's error code or reason, kept on the row
    reason: str | None = None  # the words shown to officers
    opted_out: bool = False  # the recipient blocked us: stop sending to them


@dataclass(frozen=True)
class WebRequest:
    """What a webhook carried, taken off the web framework's request by the web edge."""

    url: str  # as the provider called it (`PUBLIC_BASE_URL` applied)
    form: Mapping[str, str]
    args: Mapping[str, str]
    headers: Mapping[str, str]
    development: bool  # tests and development may run without callback secrets


@dataclass(frozen=True)
class Answer:
    """What a webhook answers."""

    body: str
    status: int = 200
    mimetype: str = "text/plain"


class Sender(Protocol):
    """Sends one message through a provider."""

    name: str

    def send(self, phone: str, body: str) -> str:
        """The provider's id for the message, or a `SendError`."""


class Gateway(Protocol):
    """One SMS provider, as the web edge, the conversation and the workers see it."""

    name: str
    status_path: str  # its delivery reports arrive at /sms/<name>/<status_path>
    replies_inline: bool  # the inbound webhook's answer carries our reply
    credential: str | None  # the setting that says we can send through it (None: always)
    nul_is_at: bool  # it delivers the GSM-7 `@` (code 0) as NUL (see kernel.text.clean)
    body_format: str  # "form": the parsers get the form; "json": the decoded JSON body

    def verify(self, request: WebRequest, settings: Mapping[str, Any]) -> bool:
        """True when the request really comes from the provider."""

    def parse_inbound(self, form: Any) -> InboundSms:
        """The inbound message, or `BadInbound`."""

    def parse_status(self, form: Any) -> StatusReport | Sequence[StatusReport] | None:
        """The delivery report, or several (None: nothing to act on), or `BadInbound`."""

    def answer_inbound(self, reply: str | None, duplicate: bool) -> Answer:
        """The webhook's answer to an inbound message."""

    def answer_status(self) -> Answer:
        """The webhook's answer to a delivery report."""

    def forbidden(self) -> Answer:
        """The answer to a request that failed `verify`."""

    def sender(self, settings: Mapping[str, Any]) -> Sender:
        """A sender built from the settings."""


def token_ok(request: WebRequest, secret: object) -> bool:
    """True when the request's `?token=` is the shared secret, compared in constant time.

    Providers that sign nothing (Africa's Talking) carry a secret in the URL we give them;
    without one anyone could act as any phone, so only development runs without it.
    """
    if not secret:
        return request.development
    given = request.args.get("token", "")
    return hmac.compare_digest(given.encode(), str(secret).encode())
