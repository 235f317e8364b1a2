"""How a training session reads in either language; shared by USSD, SMS and the workers."""

from __future__ import annotations

from datetime import date

from menus.capped import capped
from menus.jobtext import day
from menus.texts import t
from menus.types import Training


def span(training: Training, today: date, lang: str) -> str:
    """The session's dates, e.g. "12月1日-12月5日" (one date when it lasts a day)."""
    first = day(training.start, today, lang)
    if training.end == training.start:
        return first
    return t(lang, "training_span", start=first, end=day(training.end, today, lang))


def place(training: Training, lang: str) -> str:
    """The township and its county."""
    return t(lang, "summary_place", county=training.county.name(lang),
             township=training.township.name(lang))


def detail_lines(training: Training, lang: str, today: date) -> list[str]:
    """Trade, place, dates and places left, a line each."""
    return [
        t(lang, "training_trade", trade=training.trade.name(lang)),
        t(lang, "training_place", place=place(training, lang)),
        t(lang, "training_dates", dates=span(training, today, lang)),
        t(lang, "training_places", count=training.places_left),
    ]


def _values(training: Training, lang: str, today: date) -> dict[str, object]:
    return {"id": training.id, "trade": training.trade.name(lang),
            "place": place(training, lang), "dates": span(training, today, lang)}


def notice(training: Training, lang: str, today: date) -> str:
    """The SMS announcing a new session: trade, place, dates, and how to enrol."""
    return capped(lang, "sms_training_notice", **_values(training, lang, today))


def reminder(training: Training, lang: str, today: date) -> str:
    """The SMS reminding an enrolled villager the day before."""
    return capped(lang, "sms_training_reminder", **_values(training, lang, today))


def enrolled(training: Training, lang: str, today: date) -> str:
    """The SMS reply confirming an enrolment."""
    return capped(lang, "sms_enrolled", **_values(training, lang, today))


def lost(training: Training, lang: str, today: date) -> str:
    """The SMS telling a villager the last place went to someone else a moment earlier."""
    return capped(lang, "sms_enrol_lost", **_values(training, lang, today))
