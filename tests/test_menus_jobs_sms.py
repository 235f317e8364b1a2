"""SMS job keywords: JOBS, JOB 12, APPLY 12, MY, WITHDRAW 12, VERIFY <code>, in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from menus import sms
from menus.budget import normalise, sms_segments
from menus.capped import within_cap
from menus.texts import t
from menus.types import (
    APPLY_REFUSALS,
    Apply,
    Contact,
    Job,
    Profile,
    SetLanguage,
    Step,
    Verdict,
    Withdraw,
)
from tests.menu_catalog import APPLICATIONS, CLOSED, JOBS, OFFICER_PHONE, MenuCatalog, make_job

CATALOG = MenuCatalog(date(2025, 6, 1))
PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang")
ZH = Contact(language="zh", profile=PROFILE)
EN = Contact(language="en", profile=Profile(**{**PROFILE.__dict__, "language": "en"}))
NEW_ZH = Contact(language="zh")
NEW_EN = Contact(language="en")


def send(text: str, contact: Contact = ZH, catalog: MenuCatalog = CATALOG) -> Step:
    """The reply to one message, checked to be normalised and within 3 segments."""
    reply = sms.handle(None, text, contact, catalog)
    assert reply.screen == normalise(reply.screen)
    assert sms_segments(reply.screen) <= 3, reply.screen
    return reply


@pytest.mark.parametrize(
    ("text", "contact"),
    [("JOBS", EN), ("jobs", EN), ("Jobs", EN), ("ＪＯＢＳ", EN), (" JOBS\n", EN), ("JOB", EN),
     ("工作", ZH), (" 工作 ", ZH), ("JOBS", NEW_EN), ("工作", NEW_ZH)],
)
def test_jobs_lists_the_top_jobs_with_numbers_within_one_sms(text: str, contact: Contact
                                                             ) -> None:
    """JOBS/工作 lists the first jobs (three in Chinese; in English as many as fit one
    GSM-7 segment): number, wage, place, and how to go on."""
    reply = send(text, contact)
    lang = contact.language or "zh"
    assert within_cap(reply.screen)
    lines = reply.screen.split("\n")
    assert lines[0] == t(lang, "sms_jobs_title")
    listed = [line for line in lines[1:] if line[:1].isdigit() and " in all" not in line]
    assert len(listed) == 3 if lang == "zh" else 1 <= len(listed) <= 3
    for line, job in zip(listed, JOBS, strict=False):
        assert line.startswith(f"{job.id} ") and job.place.name(lang) in line
        assert str(job.wage_min) in line
    assert f"\n{JOBS[3].id} " not in reply.screen
    assert t(lang, "sms_jobs_more", count=len(JOBS)) in reply.screen
    assert ("详情12" if lang == "zh" else "JOB 12") in reply.screen
    assert reply.effects == () and reply.state == {}


@pytest.mark.parametrize(
    ("contact", "says"),
    [(ZH, "有新工作会短信通知您"), (NEW_ZH, "回复 注册"), (NEW_EN, "Reply REG")],
)
def test_no_jobs_says_so(contact: Contact, says: str) -> None:
    """With no job open, JOBS says so; an unregistered phone is invited to register."""
    assert says in send("工作", contact, MenuCatalog(jobs=[])).screen


@pytest.mark.parametrize(
    "text",
    ["JOB 12", "job 12", "JOB12", "job12", "Job  12", "JOB #12", "JOB:12", "JOBS 12", "job-12",
     "详情 12", "详情12", "详情１２", "详情　12", "详情+12", "工作 12", "ＪＯＢ　１２"],
)
def test_job_detail_variants(text: str) -> None:
    """Every spelling of JOB 12 gives job 12's detail with its code and the no-fee line."""
    reply = send(text)
    assert reply.screen.startswith("工作12：电子厂普工")
    assert "AB12CD" in reply.screen and t("zh", "no_fee") in reply.screen
    assert "申请12" in reply.screen and reply.effects == ()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("job", JOBS, ids=lambda job: str(job.id))
def test_job_detail_always_keeps_code_and_no_fee(lang: str, job: Job) -> None:
    """Whatever the lengths, a detail keeps the verification code and the no-fee line."""
    reply = send(f"JOB {job.id}", ZH if lang == "zh" else EN)
    assert job.code in reply.screen and t(lang, "no_fee") in reply.screen


def test_a_huge_job_is_cut_but_keeps_code_and_no_fee() -> None:
    """Titles, places and names too long for 3 segments are cut; the code and no-fee stay."""
    huge = make_job(77, "超长" * 60, "Very long title " * 20, ("很远的城市" * 10, "Far city " * 10),
                (1000, 2000), employer="雇主" * 50, agency="中介" * 50, code="ZZ9988")
    catalog = MenuCatalog(jobs=[huge])
    for contact, lang in ((ZH, "zh"), (EN, "en")):
        reply = send("JOB 77", contact, catalog)
        assert "ZZ9988" in reply.screen and t(lang, "no_fee") in reply.screen
        assert "\n77 " in send("JOBS", contact, catalog).screen


@pytest.mark.parametrize(
    ("text", "contact", "says"),
    [("JOB 999", EN, "no open job number 999"), ("详情 999", ZH, "没有适合您的编号999的工作"),
     ("JOB 0", EN, "number 0"), ("JOB 1234567890123", EN, "no open job number"),
     ("详情", ZH, "请在 详情 后写工作编号"), ("APPLY", EN, "after APPLY"),
     ("撤回", ZH, "请在 撤回 后写工作编号"), ("JOB 60", EN, "no open job number 60")],
)
def test_numbers_that_are_not_jobs(text: str, contact: Contact, says: str) -> None:
    """A number that is no published job, or a missing number, gets a clear line."""
    reply = send(text, contact)
    assert says in reply.screen and reply.effects == ()


@pytest.mark.parametrize(
    ("text", "contact"),
    [("APPLY 12", EN), ("apply12", EN), ("Apply #12", EN), ("申请 12", ZH), ("申请12", ZH),
     ("申请１２", ZH)],
)
def test_apply_registers_interest(text: str, contact: Contact) -> None:
    """APPLY/申请 with a job's number applies and says what happens next."""
    reply = send(text, contact)
    assert reply.effects == (Apply(12),)
    lang = contact.language or "zh"
    assert JOBS[0].title.name(lang) in reply.screen
    assert ("撤回12" if lang == "zh" else "WITHDRAW 12") in reply.screen


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("refusal", APPLY_REFUSALS)
def test_apply_refusals_say_why(lang: str, refusal: str) -> None:
    """Each refusal from the catalog is told in words, and nothing is applied."""
    catalog = MenuCatalog(refusals={12: refusal})
    reply = send("APPLY 12", ZH if lang == "zh" else EN, catalog)
    assert reply.effects == ()
    if refusal == "not_registered":
        assert ("注册" if lang == "zh" else "REG") in reply.screen
    else:
        assert t(lang, f"refuse_{refusal}") in reply.screen


@pytest.mark.parametrize(("text", "contact"), [("APPLY 12", NEW_EN), ("申请 12", NEW_ZH)])
def test_unregistered_apply_is_told_to_register(text: str, contact: Contact) -> None:
    """An unregistered phone may browse but APPLY tells it to register first."""
    reply = send(text, contact, MenuCatalog(registered=False))
    assert reply.effects == () and ("REG" in reply.screen or "注册" in reply.screen)


@pytest.mark.parametrize("text", ["JOBS", "JOB 12", "VERIFY AB12CD"])
def test_unregistered_may_browse_and_verify(text: str) -> None:
    """JOBS, JOB and VERIFY answer an unregistered phone too."""
    reply = send(text, NEW_EN, MenuCatalog(registered=False))
    assert "register first" not in reply.screen and "12" in reply.screen


@pytest.mark.parametrize(("text", "contact"), [("MY", EN), ("my", EN), ("我的", ZH), ("我的 ", ZH)])
def test_my_lists_statuses_in_words(text: str, contact: Contact) -> None:
    """MY lists the newest applications with their numbers and statuses in words, within one
    automated SMS (one GSM-7 segment in English: fewer lines, titles whole)."""
    reply = send(text, contact)
    lang = contact.language or "zh"
    assert reply.screen.startswith(t(lang, "sms_my_title")) and within_cap(reply.screen)
    shown = [a for a in APPLICATIONS if f"\n{a.job_id} " in reply.screen]
    assert len(shown) >= (3 if lang == "zh" else 2)
    for application in shown:
        assert t(lang, f"status_{application.status}") in reply.screen
    if len(shown) < len(APPLICATIONS):
        assert t(lang, "sms_my_more", count=len(APPLICATIONS) - len(shown)) in reply.screen


def test_my_shows_a_rejection_reason() -> None:
    """A rejected application shows why."""
    catalog = MenuCatalog(applications=[a for a in APPLICATIONS if a.status == "rejected"])
    assert "原因:年龄不符合" in send("我的", ZH, catalog).screen


@pytest.mark.parametrize(
    ("contact", "catalog", "says"),
    [(ZH, MenuCatalog(applications=[]), "您还没有报名"), (NEW_EN, CATALOG, "register first")],
)
def test_my_without_applications(contact: Contact, catalog: MenuCatalog, says: str) -> None:
    """MY with no application, or from an unregistered phone, says so."""
    assert says in send("MY", contact, catalog).screen


@pytest.mark.parametrize(
    ("text", "effects"),
    [("WITHDRAW 23", (Withdraw(23),)), ("withdraw31", (Withdraw(31),)),
     ("撤回 40", (Withdraw(40),)), ("撤回41", ()), ("撤回 50", ()), ("撤回 60", ()),
     ("撤回 70", ()), ("撤回 12", ()), ("撤回 999", ())],
)
def test_withdraw_only_a_withdrawable_application(text: str, effects: tuple[object, ...]) -> None:
    """WITHDRAW acts only on an interested, shortlisted or confirmed application."""
    reply = send(text)
    assert reply.effects == effects
    number = "".join(ch for ch in text if ch.isdigit())
    if effects:
        assert reply.screen.startswith(f"已撤回工作{number}")
    else:
        assert reply.screen == t("zh", "sms_no_withdraw", id=int(number))


@pytest.mark.parametrize(
    ("text", "contact", "says"),
    [("VERIFY AB12CD", EN, ["genuine", "Dongguan Chang'an Electronics", "Lincang Labour Service",
                            "3500-4500"]),
     ("verify ab12cd", EN, ["genuine", "AB12CD"]),
     ("VERIFY  ab12 cd", EN, ["genuine"]),
     ("核实 ab12cd", ZH, ["真实有效", "东莞长安电子厂", "临沧劳务公司", "3500-4500"]),
     ("核实AB12CD", ZH, ["真实有效"]),
     ("核实　ＡＢ１２ＣＤ", ZH, ["真实有效"]),
     ("VERIFY ev7788", EN, ["genuine", "5000-8000"]),
     ("VERIFY old999", EN, ["closed now", "Parcel sorter"]),
     ("核实 OLD999", ZH, ["已停止招工", "快递分拣员"]),
     ("VERIFY XX1234", EN, ["WARNING", "not a vetted", "fee", OFFICER_PHONE]),
     ("核实 xx1234", ZH, ["警告", "XX1234", "不要交任何费用", OFFICER_PHONE]),
     ("核实", ZH, ["核实+核实码"]),
     ("VERIFY", EN, ["VERIFY and the code"])],
)
def test_verify(text: str, contact: Contact, says: list[str]) -> None:
    """VERIFY names a published posting's employer, agency and wage; warns of unknown codes."""
    reply = send(text, contact)
    assert all(part in reply.screen for part in says), reply.screen
    assert reply.effects == ()


def test_verify_passes_codes_upper_case() -> None:
    """The catalog gets the code upper-cased, without spaces."""
    seen: list[str] = []

    class Spy(MenuCatalog):
        def verify(self, code: str) -> Verdict:
            seen.append(code)
            return super().verify(code)

    send("核实 ab 12cd", ZH, Spy())
    assert seen == ["AB12CD"]


def test_a_closed_verdict_without_its_job_still_says_closed() -> None:
    """A closed code the catalog cannot describe still says it was real and is closed."""
    class Bare(MenuCatalog):
        def verify(self, code: str) -> Verdict:
            return Verdict(code, "closed")

    assert "closed now" in send("VERIFY OLD999", EN, Bare()).screen
    assert CLOSED.code == "OLD999"


@pytest.mark.parametrize(
    "text", ["JOBSEEKER", "MY NAME IS LI", "APPLY NOW", "jobs please", "我的名字", "工作好吗"]
)
def test_near_keywords_are_not_job_keywords(text: str) -> None:
    """A keyword followed by words is an ordinary (unknown) message."""
    reply = send(text, EN)
    assert reply.screen == t("en", "sms_unknown") and reply.effects == ()


@pytest.mark.parametrize(("text", "lang"), [("JOBS", "en"), ("工作", "zh"), ("核实 AB12CD", "zh")])
def test_language_is_inferred_from_a_job_keyword(text: str, lang: str) -> None:
    """A phone with no language gets the keyword's language, and remembers it."""
    reply = send(text, Contact())
    assert reply.effects == (SetLanguage(lang),)


def test_job_keywords_keep_a_registration_going() -> None:
    """A job keyword in the middle of registering answers it and keeps the questions' state."""
    started = sms.handle(None, "注册", NEW_ZH, CATALOG)
    jobs = sms.handle(started.state, "工作", NEW_ZH, CATALOG)
    assert jobs.state == started.state and jobs.screen.startswith("适合您的工作")
    named = sms.handle(jobs.state, "李明", NEW_ZH, CATALOG)
    assert named.state["draft"] == {"name": "李明"}


def test_opted_out_phone_gets_no_job_answers() -> None:
    """An opted-out phone is only reminded how to come back."""
    reply = send("JOBS", Contact(language="en", opted_out=True, profile=EN.profile))
    assert "START" in reply.screen and reply.effects == ()


@pytest.mark.parametrize(("lang", "words"), [("zh", ["工作", "核实"]), ("en", ["JOBS", "VERIFY"])])
def test_help_mentions_jobs_and_verify(lang: str, words: list[str]) -> None:
    """HELP names the job keywords."""
    reply = send("HELP", Contact(language=lang))
    assert all(word in reply.screen for word in words)


def test_english_applications_with_a_chinese_reason_stay_readable() -> None:
    """A Chinese reason makes an English reply UCS-2: fewer lines, titles still readable."""
    reply = send("MY", EN)
    assert "Security guard" in reply.screen

