"""Every screen the menus can produce fits a USSD page; every SMS reply fits 3 segments.

The USSD check is a breadth-first walk from each kind of first screen over a fixed
set of inputs, deduplicating states; nothing it reaches may raise or overflow.
"""

from __future__ import annotations

import functools
import json
from collections import deque
from datetime import date, datetime

import pytest

from menus import sms, ussd
from menus.budget import fits_ussd, normalise, sms_segments, ussd_length
from menus.types import (
    APPLICATION_STATUSES,
    APPLY_REFUSALS,
    Contact,
    Departure,
    MyApplication,
    Option,
    Profile,
    State,
    Step,
)
from tests.menu_catalog import (
    APPLICATIONS,
    JOBS,
    LONG_AGENCY,
    LONG_EMPLOYER,
    TRAININGS,
    MenuCatalog,
    make_job,
)

CATALOG = MenuCatalog(date(2025, 6, 1))
LONG_TITLE = ("新能源汽车动力电池生产线操作工（长白班，可长期做，节假日加班按国家规定发三倍工资）",
              "Assembly line operator for electric vehicle battery packs, day shift, long term, "
              "overtime paid at three times the wage on public holidays")
LONG_REASON = "年龄不符合该岗位要求（需25至45岁），且需有育婴员证书和健康证，欢迎报名其他适合的工作"
CROWDED_JOBS = [
    make_job(1000 + n, f"{LONG_TITLE[0]}{n}", f"{LONG_TITLE[1]} {n}",
             ("内蒙古自治区鄂尔多斯市准格尔旗", "Jungar Banner, Ordos, Inner Mongolia"),
             (12000, 99999), employer=LONG_EMPLOYER * 2, agency=LONG_AGENCY * 2,
             contract_months=36, hours_per_day=12, days_per_week=7, departure=date(2026, 12, 31),
             deadline=date(2026, 12, 30), code=f"ZX{n:06d}", food=n % 2 == 0,
             housing=n % 3 == 0)
    for n in range(25)
]
CROWDED_APPLICATIONS = [
    MyApplication(1000 + n, Option(str(1000 + n), f"{LONG_TITLE[0]}{n}", f"{LONG_TITLE[1]} {n}"),
                  APPLICATION_STATUSES[n % len(APPLICATION_STATUSES)], LONG_REASON)
    for n in range(25)
]
CATALOGS = {
    "plain": CATALOG,
    "crowded": MenuCatalog(jobs=CROWDED_JOBS, applications=CROWDED_APPLICATIONS),
    "empty": MenuCatalog(jobs=[], applications=[]),
    "refusing": MenuCatalog(refusals={**dict(zip([job.id for job in JOBS], APPLY_REFUSALS,
                                                 strict=False)),
                                      **{training.id: "full" for training in TRAININGS}}),
    # a confirmed application with an upcoming departure (confirm / cannot go)
    "departing": MenuCatalog(applications=(
        MyApplication(12, JOBS[0].title, "confirmed", departure=Departure(
            7, 12, JOBS[0].title, datetime(2025, 7, 1, 6, 30),
            "临沧客运站广场东侧停车场（沧江路与南塘街交叉口）", "declined")),
        *APPLICATIONS)),
}
LONG_NAME = "阿卜杜热合曼·买买提艾力江木哈买提江木"  # 20 characters, the most allowed
INPUTS = [
    "", *[str(n) for n in range(10)], "00", "99", "abc", LONG_NAME, "李*明", "1990",
    "x" * 200, "\u202e\u0000",
]
ALL_SKILLS = tuple(option.key for option in CATALOG.skills())
WIDEST = Profile(LONG_NAME, "f", 1990, "fengqing", "fengqing.guodazhai", ALL_SKILLS, None,
                 False, "en")
CONTACTS = {
    "new": Contact(),
    "zh": Contact(language="zh"),
    "en": Contact(language="en"),
    "zh-registered": Contact(language="zh", profile=Profile(**{**WIDEST.__dict__,
                                                               "language": "zh"})),
    "en-registered": Contact(language="en", profile=WIDEST),
}
STATE_LIMIT = 4000


def explore(first: Step, limit: int = STATE_LIMIT, catalog: MenuCatalog = CATALOG) -> set[str]:
    """Walk every input from every state reachable from `first`; the screens seen."""
    seen = {json.dumps(first.state, sort_keys=True)}
    queue: deque[State] = deque([first.state])
    screens = {first.state["screen"]}
    while queue and len(seen) < limit:
        state = queue.popleft()
        for entry in INPUTS:
            result = ussd.step(state, entry, catalog)
            assert fits_ussd(result.screen), (ussd_length(result.screen), result.screen)
            assert result.screen and not result.screen.startswith(("CON ", "END "))
            if result.end:
                assert result.state == {}
                continue
            screens.add(result.state["screen"])
            key = json.dumps(result.state, sort_keys=True)
            if key not in seen:
                seen.add(key)
                queue.append(result.state)
    return screens


@functools.cache
def screens_from(kind: str) -> frozenset[str]:
    """The screens reached from the first screen of one kind of phone."""
    return frozenset(explore(ussd.begin(CONTACTS[kind], CATALOG)))


@functools.cache
def screens_from_summary(lang: str) -> frozenset[str]:
    """The screens reached from a summary with the longest name and every skill."""
    inputs = ["1", LONG_NAME, "2", "1990", "2", "9", "5"]
    skills = _walk(Contact(language=lang), inputs)
    draft = {**skills.state["draft"], "skills": list(ALL_SKILLS)}
    to_summary = ussd.step({**skills.state, "draft": draft}, "8", CATALOG)
    summary = ussd.step(ussd.step(to_summary.state, "1", CATALOG).state, "2", CATALOG)
    assert summary.state["screen"] == "summary"
    done = ussd.step(summary.state, "1", CATALOG)
    assert done.end and fits_ussd(done.screen)
    resumed = explore(ussd.resume(summary.state, CATALOG), 600)
    return frozenset(explore(summary, 600) | resumed | {"registered"})


@pytest.mark.parametrize("kind", list(CONTACTS))
def test_every_screen_from_the_first_fits(kind: str) -> None:
    """From each kind of phone's first screen, every reachable screen fits its budget."""
    expected = {"profile", "name", "skills", "township"} if "registered" in kind else {"name"}
    assert expected <= screens_from(kind)


def _walk(contact: Contact, inputs: list[str]) -> Step:
    """The step after typing `inputs` from the first screen."""
    current = ussd.begin(contact, CATALOG)
    for entry in inputs:
        current = ussd.step(current.state, entry, CATALOG)
    return current


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_screen_from_a_crowded_summary_fits(lang: str) -> None:
    """From a summary with the longest name and every skill, all screens still fit."""
    assert {"summary", "resume", "county"} <= screens_from_summary(lang)


JOB_INPUTS = ["", "0", "1", "2", "9", "99", "abc", "x" * 200]


def explore_jobs(first: Step, catalog: MenuCatalog) -> set[str]:
    """Like `explore` with fewer inputs, from a job screen, staying off the other screens."""
    seen = {json.dumps(first.state, sort_keys=True)}
    queue: deque[State] = deque([first.state])
    screens = {first.state["screen"]}
    while queue and len(seen) < 600:
        state = queue.popleft()
        for entry in JOB_INPUTS:
            result = ussd.step(state, entry, catalog)
            assert fits_ussd(result.screen), (ussd_length(result.screen), result.screen)
            screens.add(result.state["screen"])
            key = json.dumps(result.state, sort_keys=True)
            if key not in seen and result.state["screen"] != "menu":
                seen.add(key)
                queue.append(result.state)
    return screens


def _last_page(current: Step, catalog: MenuCatalog) -> Step:
    """The last page of a paged screen (pressing 9 while the footer offers it)."""
    while "9 " in current.screen.rsplit("\n", 1)[-1]:
        current = ussd.step(current.state, "9", catalog)
    return current


@functools.cache
def screens_from_jobs(kind: str, catalog: str) -> frozenset[str]:
    """The screens reached from "Jobs", "My applications", "Training", and the last page of
    the first job, application and training session, with one catalog."""
    shown = CATALOGS[catalog]
    seen: set[str] = set()
    menu = ussd.begin(CONTACTS[kind], shown)
    for item in ("1", "2", "3"):
        opened = ussd.step(menu.state, item, shown)
        seen |= explore_jobs(opened, shown)
        if "1 " in opened.screen:
            detail = ussd.step(opened.state, "1", shown)
            seen |= explore_jobs(_last_page(detail, shown), shown)
    return frozenset(seen)


@pytest.mark.parametrize("catalog", list(CATALOGS))
@pytest.mark.parametrize("kind", ["zh-registered", "en-registered"])
def test_every_job_screen_fits(kind: str, catalog: str) -> None:
    """From "Jobs" and "My applications", with plain, crowded, empty and refusing catalogs,
    every screen reached fits its budget in both languages."""
    seen = screens_from_jobs(kind, catalog)
    if catalog == "empty":
        assert {"jobs", "apps"} <= seen
    else:
        assert {"job", "job_confirm", "app", "withdraw_confirm", "withdrawn"} <= seen
        assert ("refused" if catalog == "refusing" else "applied") in seen


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("refusal", APPLY_REFUSALS)
def test_every_refusal_screen_fits(lang: str, refusal: str) -> None:
    """Each refusal's screen fits, under a retry line too."""
    from menus.texts import t

    screen = t(lang, "refused", reason=t(lang, f"refuse_{refusal}"))
    assert fits_ussd(f"{t(lang, 'retry')}\n{screen}")


def test_the_walks_reached_every_screen() -> None:
    """Together the walks showed every screen the menus have."""
    seen = set().union(
        *map(screens_from, CONTACTS), *map(screens_from_summary, ("zh", "en")),
        *(screens_from_jobs(kind, name) for kind in ("zh-registered", "en-registered")
          for name in CATALOGS),
    )
    seen |= {"problem_sent"}  # an END screen: tests/test_menus_problem.py walks to it
    # Shown only with an open invitation: tests/test_recruitment_days.py walks them, crowded
    seen |= {"interview", "interview_slots", "interview_booked"}
    # Shown only with a pay check waiting: tests/test_menus_paychecks.py walks them, longest
    seen |= {"pay_check", "pay_amount", "pay_full", "pay_noted"}
    assert set(ussd.SCREENS) <= seen


def test_every_resume_offer_fits() -> None:
    """The resume offer fits in both languages."""
    for lang in ("zh", "en"):
        saved = _walk(Contact(language=lang), ["1", LONG_NAME])
        assert fits_ussd(ussd.resume(saved.state, CATALOG).screen)


SMS_TEXTS = [
    *INPUTS, "STOP", "退订", "START", "订阅", "YES", "HELP", "帮助", "REG", "注册",
    "Boshang", "凤翔街道", "忙", "勐", "mang", "1 2 3 4 5 6 7 8 9 10 11 12", "male", "女",
    f"REG {LONG_NAME}, M, 2015, {'勐' * 40}", f"注册 {'x' * 300}，男，1990，凤翔街道",
    f"注册 {LONG_NAME}，男，1990，凤翔街道",
    "JOBS", "工作", "JOB", "JOB 12", "详情15", "job1000", "详情 1003", "JOB 999", "详情",
    "APPLY 12", "申请 15", "apply 1000", "申请1001", "APPLY", "MY", "我的", "WITHDRAW 23",
    "撤回 1000", "撤回41", "WITHDRAW 999999999999", "VERIFY AB12CD", "核实 ev7788",
    "核实 old999", "核实 zx000003", f"VERIFY {'X' * 30}", f"核实 {'码' * 40}", "核实",
]


@pytest.mark.parametrize(
    "contact",
    [Contact(), Contact(language="zh"), Contact(language="en"),
     Contact(language="en", opted_out=True), Contact(language="zh", profile=WIDEST)],
)
@pytest.mark.parametrize("catalog", list(CATALOGS))
def test_every_sms_reply_fits_three_segments(contact: Contact, catalog: str) -> None:
    """Every reply to every text, alone and two deep in a registration, is 3 segments at most."""
    CATALOG = CATALOGS[catalog]  # noqa: N806 - the catalog this run answers from
    starts: list[State] = [{}]
    for opener in ("REG", "注册"):
        state = sms.handle(None, opener, contact, CATALOG).state
        for answer in (LONG_NAME, "2", "1990", "忙", "1", "1 2 3"):
            if state:
                starts.append(state)
                state = sms.handle(state, answer, contact, CATALOG).state
    for state in starts:
        for text in SMS_TEXTS:
            reply = sms.handle(state, text, contact, CATALOG)
            assert reply.screen == normalise(reply.screen)
            assert sms_segments(reply.screen) <= 3, reply.screen
            json.dumps(reply.state)


def test_catalogues_have_the_same_texts() -> None:
    """Both languages have every text, with the same placeholders."""
    import string

    from menus.texts import CATALOGUES

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    zh, en = CATALOGUES["zh"], CATALOGUES["en"]
    assert zh.keys() == en.keys()
    assert all(fields(zh[key]) == fields(en[key]) for key in zh)


def test_english_texts_stay_gsm7() -> None:
    """English texts need no UCS-2, so an English screen holds 182 characters."""
    from menus.budget import is_gsm
    from menus.texts import CATALOGUES

    assert [key for key, text in CATALOGUES["en"].items() if not is_gsm(text)] == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", ["ussd_apology", "ussd_too_long", "ussd_out_of_step"])
def test_gateway_end_screens_fit(lang: str, key: str) -> None:
    """The gateway's own end screens (apology, expired session) fit one USSD page."""
    from menus.texts import t

    assert fits_ussd(t(lang, key))
