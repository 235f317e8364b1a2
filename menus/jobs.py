""""Jobs" and "My applications": browse the postings open to the villager, register
interest, follow and withdraw applications.

Entering a list keeps the ids it shows in the state (`jobs`, `apps`), so the numbers a
villager picks from stay put while postings change underneath; `job` and `app` hold the
job on show. Apply and Withdraw are returned only after the villager confirms; the
screens that follow say what was done without reading it back from the catalog, which
learns of it only once the gateway applies the effect.
"""

from __future__ import annotations

from menus.budget import fits_ussd
from menus.departures import when_text
from menus.flow import Reply, Screen, back, footer, goto, language, only_back, open_chosen, reserve
from menus.jobtext import detail_lines, shorten, status, wage, withdrawable
from menus.pages import Listing, Pages, clip, page_of, paginate, pick
from menus.texts import t
from menus.types import (
    APPLY_REFUSALS,
    AnswerDeparture,
    Apply,
    Catalog,
    Job,
    MyApplication,
    State,
    Withdraw,
)
from menus.validate import Invalid, choice

CONFIRM = 1
GOING, NOT_GOING = 1, 2  # an upcoming departure: confirm it, or say they cannot go
LIST_TITLE = {"zh": 8, "en": 24}  # characters of a title on a list line


def enter_jobs(state: State, catalog: Catalog) -> None:
    """Open the list of jobs open to the villager, as they stand now."""
    state["jobs"] = [job.id for job in catalog.jobs()]
    goto(state, "jobs")


def enter_applications(state: State, catalog: Catalog) -> None:
    """Open the villager's applications, as they stand now."""
    state["apps"] = [application.job_id for application in catalog.my_applications()]
    goto(state, "apps")


def has_what_it_shows(state: State) -> bool:
    """True when a job screen's state holds the ids it needs."""
    needs = _NEEDS[state["screen"]]
    value = state.get(needs)
    if needs in ("jobs", "apps"):
        return isinstance(value, list) and all(isinstance(item, int) for item in value)
    if needs == "refusal":
        return value in APPLY_REFUSALS and isinstance(state.get("job"), int)
    return isinstance(value, int)


def _replace(state: State, screen: str) -> None:
    """Show `screen` in place of the current one: "0 Back" skips the screen it replaces."""
    state["screen"], state["page"] = screen, 0


def _fitted(lang: str, key: str, title: str) -> str:
    """A fixed text around a title, the title clipped so the screen fits under a retry line."""
    top = reserve(lang)

    def fits(candidate: str) -> bool:
        return fits_ussd(f"{top}\n{t(lang, key, title=candidate)}")

    return t(lang, key, title=clip(" ".join(title.split()), fits, t(lang, "ellipsis")))


# The list of jobs.


def _listed_jobs(state: State, catalog: Catalog) -> list[Job | None]:
    """The jobs of the list, in its order; None for one that is no longer published."""
    current = {job.id: job for job in catalog.jobs()}
    return [current.get(job_id) or catalog.job(job_id) for job_id in state["jobs"]]


def job_list_pages(state: State, catalog: Catalog) -> Pages:
    """The jobs, one line each: a short title and the wage."""
    lang = language(state)
    ellipsis = t(lang, "ellipsis")
    lines = tuple(
        f"{shorten(job.title.name(lang), LIST_TITLE[lang], ellipsis)} {wage(job)}"
        if job else t(lang, "job_gone_line")
        for job in _listed_jobs(state, catalog)
    )
    listing = Listing(t(lang, "jobs_title"), lines, footer(lang), reserve(lang), ellipsis=ellipsis)
    return paginate(listing)


def render_jobs(state: State, catalog: Catalog) -> str:
    """A page of the jobs, or a note that there are none."""
    if not state["jobs"]:
        return t(language(state), "no_jobs")
    pages = job_list_pages(state, catalog)
    return pages.render(page_of(state, pages))


def answer_jobs(state: State, entry: str, catalog: Catalog) -> Reply:
    """Open the job chosen, or turn the page."""
    return open_chosen(state, entry, job_list_pages(state, catalog), "jobs", "job")


# One job: its detail, the confirmation, and what came of it.


def job_pages(state: State, job: Job, catalog: Catalog) -> Pages:
    """A job's detail, paged; "1 Register interest" on the last page."""
    lang = language(state)
    lines = tuple(detail_lines(job, lang, catalog.today()))
    register = footer(lang, "job_footer", "more_back")
    listing = Listing("", lines, register, reserve(lang), 0, ellipsis=t(lang, "ellipsis"))
    return paginate(listing)


def render_job(state: State, catalog: Catalog) -> str:
    """The page of the job's detail on show."""
    job = catalog.job(state["job"])
    if job is None:
        return t(language(state), "job_gone")
    pages = job_pages(state, job, catalog)
    return pages.render(page_of(state, pages))


def answer_job(state: State, entry: str, catalog: Catalog) -> Reply:
    """Turn the page, or on the last page register interest (1)."""
    job = catalog.job(state["job"])
    if job is None:
        raise Invalid("retry")
    pages = job_pages(state, job, catalog)
    if choice(entry) == CONFIRM and page_of(state, pages) == pages.count() - 1:
        goto(state, "job_confirm")
        return Reply()
    pick(pages, state, entry)
    return Reply()


def render_job_confirm(state: State, catalog: Catalog) -> str:
    """Ask to confirm registering interest in the job."""
    lang = language(state)
    job = catalog.job(state["job"])
    if job is None:
        return t(lang, "job_gone")
    return _fitted(lang, "apply_confirm", job.title.name(lang))


def answer_job_confirm(state: State, entry: str, catalog: Catalog) -> Reply:
    """On 1, apply when the catalog allows it, else say why not."""
    if choice(entry) != CONFIRM or catalog.job(state["job"]) is None:
        raise Invalid("retry")
    refusal = catalog.can_apply(state["job"])
    if refusal is not None:
        state["refusal"] = refusal
        _replace(state, "refused")
        return Reply()
    _replace(state, "applied")
    return Reply((Apply(state["job"]),))


def render_refused(state: State, catalog: Catalog) -> str:
    """Why the villager cannot apply."""
    lang = language(state)
    return t(lang, "refused", reason=t(lang, f"refuse_{state['refusal']}"))


# My applications.


def _listed_applications(state: State, catalog: Catalog) -> list[MyApplication | None]:
    """The applications of the list, in its order (None: one the catalog no longer has)."""
    current = {application.job_id: application for application in catalog.my_applications()}
    return [current.get(job_id) for job_id in state["apps"]]


def _application(state: State, catalog: Catalog) -> MyApplication | None:
    """The application on show."""
    for application in catalog.my_applications():
        if application.job_id == state["app"]:
            return application
    return None


def application_list_pages(state: State, catalog: Catalog) -> Pages:
    """The applications, one line each: a short title and the status."""
    lang = language(state)
    ellipsis = t(lang, "ellipsis")
    lines = tuple(
        f"{shorten(app.title.name(lang), LIST_TITLE[lang], ellipsis)} {status(app, lang)}"
        if app else t(lang, "app_gone_line")
        for app in _listed_applications(state, catalog)
    )
    listing = Listing(t(lang, "apps_title"), lines, footer(lang), reserve(lang), ellipsis=ellipsis)
    return paginate(listing)


def render_applications(state: State, catalog: Catalog) -> str:
    """A page of the applications, or a note that there are none."""
    if not state["apps"]:
        return t(language(state), "no_apps")
    pages = application_list_pages(state, catalog)
    return pages.render(page_of(state, pages))


def answer_applications(state: State, entry: str, catalog: Catalog) -> Reply:
    """Open the application chosen, or turn the page."""
    return open_chosen(state, entry, application_list_pages(state, catalog), "apps",
                       "app")


def application_pages(state: State, application: MyApplication) -> Pages:
    """An application: title, status, the reason of a rejection; "1 Withdraw" when it may."""
    lang = language(state)
    lines = [application.title.name(lang), t(lang, "app_status", status=status(application, lang))]
    if application.reason:
        lines.append(t(lang, "app_reason", reason=" ".join(application.reason.split())))
    departure = application.departure
    if departure is not None:  # confirm or decline the departure
        lines.append(t(lang, "app_departure", when=when_text(departure.leaves_at, lang),
                       place=departure.place))
        lines.append(t(lang, "app_answer", answer=t(lang, f"answer_{departure.answer or 'none'}")))
    last = "app_footer" if withdrawable(application) else "back"
    if departure is not None:
        last = "app_departure_footer"
    top = max(reserve(lang), t(lang, "cannot_withdraw"), key=len)
    listing = Listing(
        "", tuple(lines), footer(lang, last), top, 0, ellipsis=t(lang, "ellipsis")
    )
    return paginate(listing)


def render_application(state: State, catalog: Catalog) -> str:
    """The page of the application on show."""
    application = _application(state, catalog)
    if application is None:
        return t(language(state), "app_gone")
    pages = application_pages(state, application)
    return pages.render(page_of(state, pages))


def answer_application(state: State, entry: str, catalog: Catalog) -> Reply:
    """Turn the page, or on the last page withdraw (1) when the application allows it."""
    application = _application(state, catalog)
    if application is None:
        raise Invalid("retry")
    pages = application_pages(state, application)
    last = page_of(state, pages) == pages.count() - 1
    departure = application.departure
    if departure is not None and last and choice(entry) in (GOING, NOT_GOING):
        going = choice(entry) == GOING
        _replace(state, "departure_going" if going else "departure_not_going")
        return Reply((AnswerDeparture(departure.id, going),))
    if choice(entry) == CONFIRM and last and withdrawable(application):
        goto(state, "withdraw_confirm")
        return Reply()
    pick(pages, state, entry)
    return Reply()


def render_withdraw_confirm(state: State, catalog: Catalog) -> str:
    """Ask to confirm withdrawing the application."""
    lang = language(state)
    application = _application(state, catalog)
    if application is None:
        return t(lang, "app_gone")
    return _fitted(lang, "withdraw_confirm", application.title.name(lang))


def answer_withdraw_confirm(state: State, entry: str, catalog: Catalog) -> Reply:
    """On 1, withdraw; if the application moved on meanwhile, go back and say so."""
    if choice(entry) != CONFIRM:
        raise Invalid("retry")
    application = _application(state, catalog)
    if application is None or not withdrawable(application):
        back(state)
        return Reply(notice="cannot_withdraw")
    _replace(state, "withdrawn")
    return Reply((Withdraw(state["app"]),))


def _text(key: str) -> Screen:
    """A screen that shows one fixed text and takes only "0 Back"."""
    return Screen(lambda state, catalog: t(language(state), key), only_back)


# The state key each screen needs (checked by ussd before a stored state is used).
_NEEDS = {
    "jobs": "jobs",
    "job": "job",
    "job_confirm": "job",
    "applied": "job",
    "refused": "refusal",
    "apps": "apps",
    "app": "app",
    "withdraw_confirm": "app",
    "withdrawn": "app",
    "departure_going": "app",
    "departure_not_going": "app",
}

SCREENS: dict[str, Screen] = {
    "jobs": Screen(render_jobs, answer_jobs),
    "job": Screen(render_job, answer_job),
    "job_confirm": Screen(render_job_confirm, answer_job_confirm),
    "applied": _text("applied"),
    "refused": Screen(render_refused, only_back),
    "apps": Screen(render_applications, answer_applications),
    "app": Screen(render_application, answer_application),
    "withdraw_confirm": Screen(render_withdraw_confirm, answer_withdraw_confirm),
    "withdrawn": _text("withdrawn"),
    "departure_going": _text("departure_going"),
    "departure_not_going": _text("departure_not_going"),
}
