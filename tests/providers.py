"""Local stand-ins for the providers' HTTP APIs, answering in their real formats."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

from werkzeug import Request, Response

ACCOUNT_SID = "AC" + "0" * 32
TWILIO_MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
AT_MESSAGING = "/version1/messaging"


def twilio_created(sid: str = "SM" + "a" * 32):
    """Twilio's 201 for a created message (the fields the SDK reads)."""

    def handler(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.get_data(as_text=True)).items()}
        body = {"sid": sid, "account_sid": ACCOUNT_SID, "to": form.get("To"),
                "from": form.get("From"), "body": form.get("Body"), "status": "queued",
                "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01"}
        return Response(json.dumps(body), status=201, content_type="application/json")

    return handler


def twilio_error(status: int, code: int, message: str):
    """Twilio's error body: HTTP status plus its own error code."""
    body = {"code": code, "message": message, "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}"}

    def handler(request: Request) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    return handler


def hang(seconds: float):
    """A provider that answers only after `seconds` (past our timeout)."""

    def handler(request: Request) -> Response:
        time.sleep(seconds)
        return Response("{}", status=201, content_type="application/json")

    return handler


def at_answer(status: str, status_code: int, message_id: str = "ATXid_1"):
    """Africa's Talking's answer to a send, one recipient."""
    recipient = {"statusCode": status_code, "number": "+8613812345678", "status": status,
                 "cost": "KES 0.8000", "messageId": message_id if status == "Success" else "None"}
    body = {"SMSMessageData": {"Message": "Sent to 1/1", "Recipients": [recipient]}}

    def handler(request: Request) -> Response:
        return Response(json.dumps(body), status=201, content_type="application/json")

    return handler
