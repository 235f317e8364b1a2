"""The development gateway: logs each message instead of sending it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

log = logging.getLogger("jobline.console")


class ConsoleSender:
    """Writes the message to the log and calls it sent."""

    name = "console"

    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.settings = settings

    def send(self, phone: str, body: str) -> str:
        """Log the message; the id is made up, as no provider saw it."""
        message_id = f"console-{uuid.uuid4().hex[:16]}"
        log.info("SMS to %s (%s): %s", phone, message_id, body)
        return message_id
