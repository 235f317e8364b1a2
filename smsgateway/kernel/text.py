"""Text hygiene: what arrives from outside is made into text every database stores alike.

PostgreSQL refuses NUL in text and a lone surrogate cannot be encoded at all, where SQLite
takes both; control characters are invisible in the console and break exports; the same word
typed two ways (composed or not) must compare equal. Every edge where text enters (the SMS
and USSD webhooks, the API's bodies, query strings and path values, CSV imports) passes it
through `clean` (or `clean_data` for a JSON document, `clean_mapping` for a form) before it is
stored, compared or logged.

- NUL: some SMS aggregators deliver the GSM-7 `@` (code 0) as NUL. With `nul_is_at` (a flag
  of the gateway) and a string that is GSM-7 once NUL reads `@`, NUL becomes `@`; otherwise
  it is removed.
- Other control characters (Unicode category Cc: C0, DEL, C1) are removed, except newline
  and tab; a CR is removed, so CRLF becomes LF.
- Lone surrogates (from a JSON `\\ud800` escape or undecodable bytes) become U+FFFD.
- Format characters (Cf: the RTL and LTR marks, zero-width joiners in emoji) are kept: they
  are part of how a name in Arabic or Uyghur script, or an emoji, is written. Emoji are kept.
- The result is NFC-normalised.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from menus.budget import is_gsm

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# Cc without \t and \n: C0 controls, DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str, *, nul_is_at: bool = False) -> str:
    """`text` as we store and compare it (see the module's doc)."""
    if "\x00" in text:
        as_at = text.replace("\x00", "@")
        text = as_at if nul_is_at and is_gsm(_CONTROL.sub("", as_at)) else text.replace(
            "\x00", "")
    text = _SURROGATE.sub(REPLACEMENT, text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_data(value: Any) -> Any:
    """A parsed JSON document with every string in it (keys too) cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_data(v) for v in value]
    return value


def clean_pairs(pairs: Iterable[tuple[str, str]], *, nul_is_at: bool = False
                ) -> list[tuple[str, str]]:
    """A form's or query string's (name, value) pairs, each cleaned."""
    return [(clean(k), clean(v, nul_is_at=nul_is_at)) for k, v in pairs]


def clean_mapping(form: Mapping[str, str], *, nul_is_at: bool = False) -> dict[str, str]:
    """A form's first value per name, names and values cleaned."""
    return dict(clean_pairs(form.items(), nul_is_at=nul_is_at))
