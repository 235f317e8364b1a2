"""Log lines that cannot be forged: the one rule for every logger of the process.

Request values (a USSD `sessionId`, a phone, an SMS body) end up in log messages; one holding
a newline would start a line of its own that reads like ours ("... INFO payment sent").
`install()` (called by the app factory) makes every log record, whatever logger made it,
escape control characters in its message once formatted with its arguments: a newline
becomes the two characters ``\\n``, a carriage return ``\\r``, any other C0 character or DEL
``\\xNN``. Tracebacks (`exc_info`) are added by the handler's formatter afterwards and keep
their lines.

Every record also carries the id of what it happened in: `request_id` (the request's
`X-Request-Id`, or one made up; set by the app factory's hook) and `job_id` (the RQ job's
id), None outside either. `JsonFormatter` (installed by the app factory when
`LOG_FORMAT=json`) writes a record as one JSON object on one line: JSON escapes every control
character, the traceback's newlines included, so the guarantee above holds there too.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from rq import get_current_job

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


def escape_controls(text: str) -> str:
    """`text` with every control character written as a visible escape."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


class SafeLogRecord(logging.LogRecord):
    """A log record whose message (template and arguments together) holds no control
    character, with the request's and the job's id (None outside them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_id = REQUEST_ID.get()
        job = get_current_job()
        self.job_id = job.id if job is not None else None

    def getMessage(self) -> str:  # noqa: N802 (logging's name)
        return escape_controls(super().getMessage())


def install() -> None:
    """Make every log record of the process a `SafeLogRecord` (idempotent)."""
    if logging.getLogRecordFactory() is not SafeLogRecord:
        logging.setLogRecordFactory(SafeLogRecord)


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC, ISO 8601), level, logger, message, the
    request's or job's id when there is one, and the traceback (`exc`) if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        for key in ("request_id", "job_id"):
            if getattr(record, key, None):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line)  # ASCII: no character a reader could take for a line end


def use_json() -> None:
    """Write every log line of the process as JSON: the root logger's handlers get
    `JsonFormatter`."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(JsonFormatter())
