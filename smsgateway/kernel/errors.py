"""The one error type of the domain: an action the rules refuse.

Domain code raises `Refused`; each edge answers it in its own words (the API as JSON with the
status it carries, the console as a notice, the conversation as a catalogue text).
"""

from __future__ import annotations


class Refused(Exception):
    """An action the rules do not allow; `field` names what is wrong when one thing is."""

    def __init__(self, message: str, field: str | None = None, status: int = 409) -> None:
        super().__init__(message)
        self.message, self.field, self.status = message, field, status
