"""USSD "Jobs" and "My applications": lists, details, registering interest, withdrawing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from menus import ussd
from menus.budget import fits_ussd
from menus.texts import t
from menus.types import (
    APPLICATION_STATUSES,
    APPLY_REFUSALS,
    Apply,
    Contact,
    MyApplication,
    Profile,
    Step,
    Withdraw,
)
from tests.menu_catalog import APPLICATIONS, JOBS, MenuCatalog, walk_ussd

CATALOG = MenuCatalog(date(2025, 6, 1))
PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang", ("catering",), True)
ZH = Contact(language="zh", profile=PROFILE)
EN = Contact(language="en", profile=Profile(**{**PROFILE.__dict__, "language": "en"}))
CONTACTS = {"zh": ZH, "en": EN}
WITHDRAWABLE = {"interested", "shortlisted", "confirmed"}


def walk(inputs: list[str], contact: Contact = ZH, catalog: MenuCatalog = CATALOG) -> Step:
    """The step after dialling in and typing `inputs`, checking each screen on the way."""
    return walk_ussd(inputs, contact, catalog)


def press(current: Step, entry: str, catalog: MenuCatalog = CATALOG) -> Step:
    """One more input, checking the screen fits."""
    after = ussd.step(current.state, entry, catalog)
    assert fits_ussd(after.screen), after.screen
    return after


def pages_of(current: Step, catalog: MenuCatalog = CATALOG) -> list[Step]:
    """This page and every page after it, pressing 9 while the footer offers it."""
    pages = [current]
    while "9 " in current.screen.rsplit("\n", 1)[-1]:
        current = press(current, "9", catalog)
        pages.append(current)
    return pages


def list_lines(pages: list[Step]) -> list[str]:
    """The numbered lines of a paged list, without their numbers."""
    return [line.split(" ", 1)[1] for page in pages for line in page.screen.split("\n")[1:-1]]


def open_nth(current: Step, index: int, catalog: MenuCatalog) -> Step:
    """Choose the list's item number `index` (from 0), paging with 9 until it shows."""
    while True:
        shown = len(current.screen.split("\n")) - 2
        if index < shown:
            return press(current, str(index + 1), catalog)
        index -= shown
        current = press(current, "9", catalog)


def to_job(job_id: int, contact: Contact = ZH, catalog: MenuCatalog = CATALOG) -> Step:
    """The first page of a job's detail, found on the jobs list."""
    index = [job.id for job in catalog.jobs()].index(job_id)
    return open_nth(walk(["1"], contact, catalog), index, catalog)


def to_last_page(current: Step, catalog: MenuCatalog = CATALOG) -> Step:
    """The last page of a paged screen."""
    return pages_of(current, catalog)[-1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_jobs_list_every_job_with_title_and_wage(lang: str) -> None:
    """1 on the menu lists every job open to the villager: a short title and the wage."""
    pages = pages_of(walk(["1"], CONTACTS[lang]))
    assert pages[0].screen.startswith(t(lang, "jobs_title"))
    lines = list_lines(pages)
    assert len(lines) == len(JOBS)
    for line, job in zip(lines, JOBS, strict=True):
        wage = str(job.wage_min) if job.wage_min == job.wage_max else (
            f"{job.wage_min}-{job.wage_max}")
        assert line.endswith(f" {wage}")
        title = line.rsplit(" ", 1)[0]
        ellipsis = t(lang, "ellipsis")
        assert job.title.name(lang).startswith(title.removesuffix(ellipsis))
    assert "1 电子厂普工 3500-4500" in walk(["1"]).screen
    assert ussd.step(pages[-1].state, "0", CATALOG).screen == pages[-2].screen


def test_long_titles_are_clipped_on_the_list() -> None:
    """A long title is cut with an ellipsis so that the wage still shows."""
    screen = walk(["1"]).screen
    assert "2 新能源汽车动力… 5000-8000" in screen
    english = walk(["1"], EN).screen
    assert "... 5000-8000" in english and JOBS[1].title.en not in english


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_jobs_says_so_with_back(lang: str) -> None:
    """With no job open, the list says so; wrong input retries, 0 returns to the menu."""
    empty = MenuCatalog(jobs=[])
    none = walk(["1"], CONTACTS[lang], empty)
    assert none.screen == t(lang, "no_jobs")
    retry = press(none, "1", empty)
    assert retry.screen == f"{t(lang, 'retry')}\n{none.screen}" and retry.effects == ()
    assert press(none, "0", empty).state["screen"] == "menu"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("index", range(len(JOBS)))
def test_job_detail_shows_everything_over_its_pages(lang: str, index: int) -> None:
    """The detail gives title, place, wage, contract, hours, board, dates, code and no-fee."""
    job = JOBS[index]
    pages = pages_of(to_job(job.id, CONTACTS[lang]))
    text = "\n".join(page.screen for page in pages)
    for piece in (job.title.name(lang), job.place.name(lang), str(job.wage_min),
                  str(job.contract_months), str(job.hours_per_day), str(job.days_per_week),
                  job.code, t(lang, "no_fee")):
        assert piece in text, (piece, text)
    board = f"board_{'y' if job.food else 'n'}{'y' if job.housing else 'n'}"
    assert t(lang, board) in text
    assert pages[-1].screen.endswith(t(lang, "job_footer"))
    assert job.code in pages[-1].screen and t(lang, "no_fee") in pages[-1].screen
    assert all(t(lang, "job_footer") not in page.screen for page in pages[:-1])


def test_job_dates_in_words() -> None:
    """Dates show day and month, the year only when it is not this year; none: to be set."""
    zh = "\n".join(page.screen for page in pages_of(to_job(15)))
    assert "出发:待定 截止:2026年1月10日" in zh
    en = "\n".join(page.screen for page in pages_of(to_job(12, EN)))
    assert "Departs: 1 Jul. Apply by: 20 Jun" in en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_register_interest_confirms_then_applies(lang: str) -> None:
    """1 on the last page asks to confirm; 1 applies, thanks, and 0 returns to the detail."""
    last = to_last_page(to_job(12, CONTACTS[lang]))
    confirm = press(last, "1")
    assert JOBS[0].title.name(lang) in confirm.screen and confirm.effects == ()
    assert press(confirm, "0").screen == last.screen
    applied = press(confirm, "1")
    assert applied.effects == (Apply(12),)
    assert applied.screen == t(lang, "applied") and not applied.end
    assert press(applied, "0").screen == last.screen


def test_one_is_not_register_before_the_last_page() -> None:
    """On a page before the last, 1 is a wrong input."""
    first = to_job(12)
    assert "1 报名" not in first.screen
    retry = press(first, "1")
    assert retry.state == first.state and retry.screen.startswith("输入有误")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("refusal", APPLY_REFUSALS)
def test_each_refusal_says_why_with_back(lang: str, refusal: str) -> None:
    """When the catalog refuses, the reason shows, nothing is applied, 0 goes to the detail."""
    catalog = MenuCatalog(refusals={12: refusal})
    last = to_last_page(to_job(12, CONTACTS[lang], catalog), catalog)
    refused = press(press(last, "1", catalog), "1", catalog)
    assert refused.effects == ()
    assert refused.screen == t(lang, "refused", reason=t(lang, f"refuse_{refusal}"))
    assert press(refused, "0", catalog).screen == last.screen


def test_already_applied_comes_from_the_catalog() -> None:
    """Applying again to a job with an active application is refused."""
    last = to_last_page(to_job(23))
    refused = press(press(last, "1"), "1")
    assert refused.effects == () and "已报名" in refused.screen


def test_a_job_closed_meanwhile_says_so() -> None:
    """A job that closes between the list and the choice shows as closed, never another job."""
    listed = walk(["1"])
    later = CATALOG.with_jobs(JOBS[1:])  # job 12 is no longer published
    again = press(press(listed, "1", later), "0", later)
    assert again.screen.split("\n")[1] == "1 (已结束)"
    gone = press(listed, "1", later)
    assert gone.screen == t("zh", "job_gone")
    assert press(gone, "1", later).screen.startswith("输入有误")
    assert "(已结束)" in press(gone, "0", later).screen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_my_applications_show_every_status_in_words(lang: str) -> None:
    """2 on the menu lists each application with its status in words."""
    pages = pages_of(walk(["2"], CONTACTS[lang]))
    assert pages[0].screen.startswith(t(lang, "apps_title"))
    lines = list_lines(pages)
    assert {application.status for application in APPLICATIONS} == set(APPLICATION_STATUSES)
    for line, application in zip(lines, APPLICATIONS, strict=True):
        assert line.endswith(t(lang, f"status_{application.status}")), line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_applications_says_so(lang: str) -> None:
    """With no application, the screen says so and offers 0 Back."""
    catalog = MenuCatalog(applications=[])
    none = walk(["2"], CONTACTS[lang], catalog)
    assert none.screen == t(lang, "no_apps")
    assert press(none, "0", catalog).state["screen"] == "menu"


def to_application(job_id: int, contact: Contact = ZH,
                   catalog: MenuCatalog = CATALOG) -> Step:
    """The first page of one application, found on the list."""
    index = [a.job_id for a in catalog.my_applications()].index(job_id)
    return open_nth(walk(["2"], contact, catalog), index, catalog)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("application", APPLICATIONS, ids=lambda a: a.status)
def test_withdraw_only_what_may_be_withdrawn(lang: str, application: MyApplication) -> None:
    """Interested, shortlisted and confirmed offer 1 Withdraw, confirmed before Withdraw."""
    last = to_last_page(to_application(application.job_id, CONTACTS[lang]))
    text = "\n".join(page.screen for page in pages_of(to_application(
        application.job_id, CONTACTS[lang])))
    assert t(lang, f"status_{application.status}") in text
    one = press(last, "1")
    if application.status not in WITHDRAWABLE:
        assert t(lang, "app_footer") not in last.screen
        assert one.state == last.state and one.effects == ()
        return
    assert last.screen.endswith(t(lang, "app_footer"))
    assert application.title.name(lang) in one.screen and one.effects == ()
    done = press(one, "1")
    assert done.effects == (Withdraw(application.job_id),)
    assert done.screen == t(lang, "withdrawn")
    assert press(done, "0").screen == last.screen


def test_a_rejection_shows_its_reason() -> None:
    """A rejected application gives the reason."""
    (rejected,) = [a for a in APPLICATIONS if a.status == "rejected"]
    text = "\n".join(page.screen for page in pages_of(to_application(rejected.job_id)))
    assert "状态:未录用" in text and "原因:年龄不符合" in text


def test_withdraw_refused_when_the_application_moved_on() -> None:
    """If the agency rejected it meanwhile, confirming goes back and says it cannot be done."""
    confirm = press(to_last_page(to_application(23)), "1")
    moved = MenuCatalog(applications=[replace(APPLICATIONS[0], status="rejected", reason="满")]
                        + list(APPLICATIONS[1:]))
    refused = press(confirm, "1", moved)
    assert refused.effects == () and refused.state["screen"] == "app"
    assert refused.screen.startswith(t("zh", "cannot_withdraw") + "\n")


JOB_SCREENS = {
    "jobs": ["1"],
    "job": ["1", "1"],
    "apps": ["2"],
    "app": ["2", "1"],
}


@pytest.mark.parametrize("screen", list(JOB_SCREENS))
@pytest.mark.parametrize("entry", ["99", "abc", "", "7", "\u202e\u0000"])
def test_wrong_input_retries_the_same_screen(screen: str, entry: str) -> None:
    """Garbled or out-of-range input repeats the screen under a short retry line."""
    here = walk(JOB_SCREENS[screen])
    retry = press(here, entry)
    top, _, rest = retry.screen.partition("\n")
    assert rest == here.screen and 0 < len(top) <= 30
    assert retry.state == here.state and retry.effects == ()


@pytest.mark.parametrize("screen", ["job", "job_confirm", "applied", "refused", "app",
                                    "withdraw_confirm", "withdrawn", "jobs", "apps"])
def test_a_job_state_missing_its_ids_begins_again(screen: str) -> None:
    """A stored state on a job screen without the ids it needs starts over at the menu."""
    state = {**walk([]).state, "screen": screen}
    again = ussd.step(state, "1", CATALOG)
    assert again.state["screen"] == "menu" and again.effects == ()


def test_job_screens_are_not_resumable() -> None:
    """A dropped session on a job screen is not offered back."""
    assert not ussd.is_resumable(walk(["1", "1"]).state)
