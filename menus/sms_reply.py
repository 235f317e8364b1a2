"""What every SMS reply goes through: normalising, the segment budget, quoting the villager."""

from __future__ import annotations

from collections.abc import Iterable

from menus.budget import SMS_REPLY_MAX_SEGMENTS, normalise, sms_segments
from menus.capped import within_cap
from menus.types import Effect, State, Step
from menus.validate import clean

ECHO_MAX = 20  # how much of a villager's own text a reply may quote


def reply(text: str, state: State, effects: tuple[Effect, ...] = ()) -> Step:
    """A reply, normalised and kept within the segment budget."""
    text = normalise(text)
    while sms_segments(text) > SMS_REPLY_MAX_SEGMENTS:  # a safety net; texts are sized to fit
        text = text[:-2] + "…" if not text.isascii() else text[:-4] + "..."
    return Step(text, state, effects)


def fits(text: str) -> bool:
    """True when a reply fits the segment budget."""
    return sms_segments(normalise(text)) <= SMS_REPLY_MAX_SEGMENTS


def first_fitting(candidates: Iterable[str], details: bool = False) -> str:
    """The first candidate within the cap of an automated SMS (`menus.capped`: a job's
    details, `details`, three segments; others one GSM-7 or two UCS-2), the last if none is."""
    text = ""
    for text in candidates:
        if fits(text) and within_cap(text, details):
            return text
    return text


def echo(text: str, limit: int = ECHO_MAX) -> str:
    """A villager's own words, cut short enough to quote."""
    entry = clean(text)
    return entry if len(entry) <= limit else entry[: limit - 1] + "…"
