"""How much a basic phone can show: USSD screens and SMS segments, by encoding.

`smsutil` decides GSM-7 or UCS-2 and splits into segments (it gets extension
characters and surrogate pairs right); we only add the USSD limits and the
normalisation of typographic punctuation that would force UCS-2 for nothing.
"""

from __future__ import annotations

import smsutil

USSD_GSM_LIMIT = 182  # GSM-7 septets on one USSD screen
USSD_UCS2_LIMIT = 80  # UTF-16 code units once any character needs UCS-2
SMS_REPLY_MAX_SEGMENTS = 3

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def normalise(text: str) -> str:
    """Replace smart quotes, dashes and ellipses with their GSM-7 equivalents."""
    return text.translate(_TYPOGRAPHY)


def is_gsm(text: str) -> bool:
    """True when every character fits the GSM-7 alphabet (with its extension)."""
    return bool(smsutil.is_valid_gsm(text))


def ussd_length(text: str) -> tuple[int, int]:
    """(units used, units allowed) for one USSD screen."""
    if is_gsm(text):
        return len(text.encode("gsm0338")), USSD_GSM_LIMIT
    return len(text.encode("utf_16_be")) // 2, USSD_UCS2_LIMIT


def fits_ussd(text: str) -> bool:
    """True when the screen fits one USSD page in its encoding."""
    used, allowed = ussd_length(text)
    return used <= allowed


def sms_segments(text: str) -> int:
    """How many SMS segments the text is billed as."""
    if not text:
        return 1
    return len(smsutil.split(text).parts)
