"""The segment cap of every automated SMS, and texts built to stay within it (issue 17).

An SMS Jobline writes on its own (a job alert, a decision, a notice, a reminder, a check-in,
a case update, the answer to a keyword) takes at most one GSM-7 segment, or two UCS-2 ones
(Chinese: 134 characters); a job's details (`JOB 12`) at most three. The cap is kept where
the text is built: free texts (a title first, then a trade, a place, a reason) are cut,
shorter and shorter, until the text fits. A verification code, a number, a villager's name
and the fixed wording (the no-fee line among it) are never cut.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from menus.budget import is_gsm, normalise, sms_segments
from menus.texts import t

GSM_SEGMENTS = 1  # an automated SMS in GSM-7 (English)
UCS2_SEGMENTS = 2  # ... in UCS-2 (Chinese)
DETAIL_SEGMENTS = 3  # a job's details, `JOB 12`, in either
# Free texts a builder may cut, in the order they give way: titles first.
CUTTABLE = ("title", "trade", "place", "city", "reason", "employer", "agency", "dates")
WIDTHS = (None, 40, 30, 24, 18, 14, 10, 8, 6, 4)


def sms_cap(text: str, details: bool = False) -> int:
    """The segments an automated SMS of this text may take."""
    if details:
        return DETAIL_SEGMENTS
    return GSM_SEGMENTS if is_gsm(normalise(text)) else UCS2_SEGMENTS


def within_cap(text: str, details: bool = False) -> bool:
    """True when the text, as sent (normalised), fits its cap."""
    sent = normalise(text)
    return sms_segments(sent) <= sms_cap(sent, details)


def shorten(text: str, width: int | None, ellipsis: str) -> str:
    """The text cut to `width` characters (the ellipsis included); None keeps it whole."""
    text = " ".join(text.split())
    if width is None or len(text) <= width:
        return text
    return text[: max(1, width - len(ellipsis))].rstrip() + ellipsis


def _plans(cuttable: list[str]) -> Iterator[tuple[int | None, list[str]]]:
    """(width, fields to cut): the first field alone, ever shorter; then all of them."""
    if not cuttable:
        yield None, []
        return
    for width in WIDTHS:
        yield width, cuttable[:1]
    for width in WIDTHS[1:]:
        yield width, cuttable


def fitting(lang: str, key: str, values: Mapping[str, object],
            details: bool = False) -> dict[str, object]:
    """`values` with their free texts cut until catalogue text `key` fits its cap (the
    shortest try when even that does not fit)."""
    ellipsis = t(lang, "ellipsis")
    cuttable = [name for name in CUTTABLE if name in values]
    shown = dict(values)
    for width, names in _plans(cuttable):
        shown = {name: shorten(str(value), width, ellipsis)
                 if name in names and width is not None else value
                 for name, value in values.items()}
        if within_cap(t(lang, key, **shown), details):
            break
    return shown


def capped(lang: str, key: str, **values: object) -> str:
    """Catalogue text `key` with `values`, within the cap of an automated SMS."""
    return t(lang, key, **fitting(lang, key, values))
