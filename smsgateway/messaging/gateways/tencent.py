"""Tencent Cloud SMS: reply and status callbacks (JSON), and sending approved templates.

Mainland China's application-to-person SMS goes out on `106…` numbers with an approved
signature and an approved template with numbered variables: the sender never sends free
text. It calls `SendSms` (API 2021-01-11) through the official `tencentcloud-sdk-python-sms`,
with the template id set by API or console (`messaging/approvals.py`), else the one the
`TENCENT_TEMPLATES` file maps the message's template to.

A reply callback (`{"mobile", "nationcode", "sign", "text", "time", "extend"}`) carries no
id: we derive one, `sha256(nationcode, mobile, time, text)`, so that Tencent's retry of the
same callback is answered once (two equal texts from one phone in the same second count as
one). A status callback is a JSON array of reports keyed by `sid`, the `SerialNo` that
`SendSms` answered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from . import (
    Answer,
    BadInbound,
    InboundSms,
    PermanentSendError,
    StatusReport,
    TransientSendError,
    WebRequest,
    token_ok,
)

# report_status → ours.
STATUS_MAP: dict[str, str] = {"SUCCESS": "delivered", "FAIL": "undelivered"}
BLACKLISTED = {"FailedOperation.PhoneNumberInBlacklist"}  # the user unsubscribed (回复 TD)
# Worth trying again later: frequency limits and Tencent's own trouble.
RETRY_PREFIXES = ("LimitExceeded.", "RequestLimitExceeded", "InternalError", "ServerNetworkError",
                  "ClientNetworkError", "FailedOperation.InsufficientBalanceInSmsPackage")
NO_TEMPLATE = "no_template"
OK = Answer(json.dumps({"result": 0, "errmsg": "OK"}), mimetype="application/json")


def reply_id(payload: Mapping[str, Any]) -> str:
    """The id we give a reply callback, which has none of its own (see the module's doc)."""
    parts = [str(payload.get(key, "")) for key in ("nationcode", "mobile", "time", "text")]
    return "tc-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def parse_inbound(payload: Any) -> InboundSms:
    """A villager's reply, from Tencent's reply callback."""
    if not isinstance(payload, Mapping):
        raise BadInbound("the body is not a JSON object")
    missing = [f for f in ("mobile", "time") if not str(payload.get(f, "")).strip()]
    if missing or not isinstance(payload.get("text"), str):
        raise BadInbound(f"missing fields: {', '.join(missing or ['text'])}")
    mobile = str(payload["mobile"]).strip()
    nation = str(payload.get("nationcode") or "86").strip()
    phone = mobile if mobile.startswith("+") else f"+{nation}{mobile}"
    return InboundSms(provider_message_id=reply_id(payload), phone=phone, body=payload["text"])


def parse_status(payload: Any) -> list[StatusReport]:
    """Tencent's delivery reports: a JSON array (one report alone is taken too)."""
    reports = [payload] if isinstance(payload, Mapping) else payload
    if not isinstance(reports, list) or not reports:
        raise BadInbound("the body is not a JSON array of reports")
    parsed = []
    for report in reports:
        if not isinstance(report, Mapping) or not str(report.get("sid", "")).strip():
            raise BadInbound("each report needs its sid")
        status = str(report.get("report_status", ""))
        if status not in STATUS_MAP:
            raise BadInbound(f"unknown report_status {status!r}")
        code = None if status == "SUCCESS" else str(report.get("errmsg") or "") or None
        reason = None if status == "SUCCESS" else str(report.get("description") or code or "")
        parsed.append(StatusReport(str(report["sid"]).strip(), STATUS_MAP[status], code,
                                   reason or None))
    return parsed


class TencentGateway:
    """Tencent Cloud SMS as a `Gateway`: JSON callbacks carrying a `?token=` secret; replies
    go through the outbox (a callback's answer carries no message)."""

    name = "tencent"
    status_path = "status"
    replies_inline = False
    credential: str | None = "TENCENT_SECRET_ID"
    body_format = "json"
    nul_is_at = False  # JSON carries the text as Tencent decoded it: a NUL is noise

    def verify(self, request: WebRequest, settings: Mapping[str, Any]) -> bool:
        return token_ok(request, settings["TENCENT_CALLBACK_TOKEN"])

    def parse_inbound(self, form: Any) -> InboundSms:
        return parse_inbound(form)

    def parse_status(self, form: Any) -> Sequence[StatusReport]:
        return parse_status(form)

    def answer_inbound(self, reply: str | None, duplicate: bool) -> Answer:
        return OK

    def answer_status(self) -> Answer:
        return OK

    def forbidden(self) -> Answer:
        return Answer(json.dumps({"result": 1, "errmsg": "forbidden"}), 403, "application/json")

    def sender(self, settings: Mapping[str, Any]) -> TencentSender:
        return TencentSender(settings)


def load_templates(path: object) -> dict[str, str]:
    """The `TENCENT_TEMPLATES` file: `{"<template>.<language>": "<approved id>", …}` in
    JSON (e.g. `"registration.zh": "1234567"`); none when unset."""
    if not path:
        return {}
    data = json.loads(Path(str(path)).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a JSON object of template ids")
    return {str(key): str(value) for key, value in data.items()}


class TencentSender:
    """Sends one templated message with `SendSms`; a message without an approved template
    fails with `no_template` and is never sent as free text."""

    name = "tencent"
    templated = True

    def __init__(self, settings: Mapping[str, Any]) -> None:
        http = HttpProfile(reqTimeout=max(1, round(float(settings["PROVIDER_TIMEOUT"]))))
        endpoint = settings.get("TENCENT_SMS_ENDPOINT")
        if endpoint:
            parts = urlsplit(str(endpoint) if "//" in str(endpoint) else f"https://{endpoint}")
            http.endpoint, http.scheme = parts.netloc, parts.scheme or "https"
        else:
            http.endpoint = "sms.tencentcloudapi.com"
        cred = credential.Credential(str(settings["TENCENT_SECRET_ID"] or ""),
                                     str(settings["TENCENT_SECRET_KEY"] or ""))
        self.client = sms_client.SmsClient(cred, str(settings["TENCENT_SMS_REGION"]),
                                           ClientProfile(httpProfile=http))
        self.app_id = str(settings["TENCENT_SMS_SDK_APP_ID"] or "")
        self.sign = str(settings["TENCENT_SMS_SIGN"] or "")
        self.templates = load_templates(settings.get("TENCENT_TEMPLATES"))

    def send(self, phone: str, body: str) -> str:
        """Free text: never sent."""
        raise PermanentSendError(NO_TEMPLATE, "Tencent sends approved templates only")

    def send_template(self, phone: str, template: Mapping[str, Any] | None,
                      approved: str | None = None) -> str:
        """Send the message's template (`{"key", "lang", "values"}`) with its approved id:
        `approved` (set by API or console) or else the TENCENT_TEMPLATES file's; Tencent's
        SerialNo."""
        if not template:
            raise PermanentSendError(NO_TEMPLATE, "the message has no template")
        name = f"{template['key']}.{template['lang']}"
        template_id = approved or self.templates.get(name)
        if not template_id:
            raise PermanentSendError(NO_TEMPLATE, f"no approved template for {name}")
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [phone]
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign
        request.TemplateId = template_id
        request.TemplateParamSet = [str(value) for value in template.get("values", [])]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            raise _error(str(exc.code), str(exc.message)) from exc
        statuses = response.SendStatusSet or []
        if not statuses:
            raise PermanentSendError("response", "SendSms answered no status")
        status = statuses[0]
        if status.Code == "Ok":
            return str(status.SerialNo)
        raise _error(str(status.Code), str(status.Message))


def _error(code: str, message: str) -> TransientSendError | PermanentSendError:
    if code in BLACKLISTED:
        return PermanentSendError(code, message, opted_out=True)
    if code.startswith(RETRY_PREFIXES):
        return TransientSendError(code, message)
    return PermanentSendError(code, message)


GATEWAY = TencentGateway()
