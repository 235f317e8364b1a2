"""How a job and an application read in either language; shared by USSD and SMS."""

from __future__ import annotations

from datetime import date

from menus.texts import t
from menus.types import Job, MyApplication

WITHDRAWABLE = frozenset({"interested", "shortlisted", "confirmed"})
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def shorten(text: str, width: int | None, ellipsis: str) -> str:
    """The text cut to `width` characters (the ellipsis included); None keeps it whole."""
    text = " ".join(text.split())
    if width is None or len(text) <= width:
        return text
    return text[: max(1, width - len(ellipsis))].rstrip() + ellipsis


def wage(job: Job) -> str:
    """The monthly wage range, e.g. "3500-4500" (one figure when both ends agree)."""
    if job.wage_min == job.wage_max:
        return str(job.wage_min)
    return f"{job.wage_min}-{job.wage_max}"


def day(when: date | None, today: date, lang: str) -> str:
    """A date as a villager reads it; the year only when it is not this year."""
    if when is None:
        return t(lang, "date_unknown")
    month: object = when.month if lang == "zh" else MONTHS_EN[when.month - 1]
    key = "date_day" if when.year == today.year else "date_year"
    return t(lang, key, year=when.year, month=month, day=when.day)


def board(job: Job, lang: str) -> str:
    """Whether meals and housing are provided."""
    return t(lang, f"board_{'y' if job.food else 'n'}{'y' if job.housing else 'n'}")


def status(application: MyApplication, lang: str) -> str:
    """An application's status in words (the status itself if it is not one we know)."""
    key = f"status_{application.status}"
    try:
        return t(lang, key)
    except KeyError:
        return application.status


def withdrawable(application: MyApplication) -> bool:
    """True when the villager may still withdraw the application."""
    return application.status in WITHDRAWABLE


def detail_lines(job: Job, lang: str, today: date, width: int | None = None) -> list[str]:
    """A job's detail, line by line, ending with its code and the no-fee warning together
    (one line, so that they always share the page that offers "Register interest").

    `width` cuts the free texts (title, place, employer, agency) to that many characters.
    """
    ellipsis = t(lang, "ellipsis")

    def cut(text: str) -> str:
        return shorten(text, width, ellipsis)

    return [
        cut(job.title.name(lang)),
        t(lang, "job_place_wage", place=cut(job.place.name(lang)), wage=wage(job)),
        t(lang, "job_employer", employer=cut(job.employer.name(lang))),
        t(lang, "job_agency", agency=cut(job.agency.name(lang))),
        t(lang, "job_terms", months=job.contract_months, hours=job.hours_per_day,
          days=job.days_per_week),
        board(job, lang),
        t(lang, "job_dates", departure=day(job.departure, today, lang),
          deadline=day(job.deadline, today, lang)),
        *record_line(job, lang),
        f"{t(lang, 'job_code', code=job.code)} {t(lang, 'no_fee')}",
    ]


def record_line(job: Job, lang: str) -> list[str]:
    """The employer's record in one line ("8 of 9 paid in full last month"), when shown:
    before the code, so the lines that may be left out keep their places."""
    if job.paid_last_month is None:
        return []
    paid, answered = job.paid_last_month
    return [t(lang, "job_paid_last_month", paid=paid, answered=answered)]
