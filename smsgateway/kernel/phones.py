"""Phone numbers in one shape (E.164), parsed by `phonenumbers` rather than by hand."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers


class BadPhone(ValueError):
    """The text is not a phone number we can send to."""


@lru_cache(maxsize=4096)  # every USSD step parses its caller's number again
def to_e164(raw: str, region: str) -> str:
    """The number in E.164 (`+8613912345678`), or BadPhone."""
    text = (raw or "").strip()
    if text.startswith("tel:"):
        text = text[4:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise BadPhone(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise BadPhone(f"not a possible phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
