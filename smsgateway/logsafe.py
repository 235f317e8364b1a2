"""Log lines that cannot be forged: the one rule for every logger of the process.

Request values (a USSD `sessionId`, a phone, an SMS body) end up in log messages; one holding
a newline would start a line of its own that reads like ours ("... INFO payment sent").
`install()` (called by the app factory) makes every log record, whatever logger made it,
escape control characters in its message once formatted with its arguments: a newline
becomes the two characters ``\\n``, a carriage return ``\\r``, any other C0 character or DEL
``\\xNN``. Tracebacks (`exc_info`) are added by the handler's formatter afterwards and keep
their lines.
"""

from __future__ import annotations

import logging
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """`text` with every control character written as a visible escape."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


class SafeLogRecord(logging.LogRecord):
    """A log record whose message (template and arguments together) holds no control
    character."""

    def getMessage(self) -> str:  # noqa: N802 (logging's name)
        return escape_controls(super().getMessage())


def install() -> None:
    """Make every log record of the process a `SafeLogRecord` (idempotent)."""
    if logging.getLogRecordFactory() is not SafeLogRecord:
        logging.setLogRecordFactory(SafeLogRecord)
