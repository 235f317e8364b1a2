"""Inbound SMS: keywords, question-and-answer registration, the one-line form, help."""

from __future__ import annotations

from datetime import date

import pytest

from menus import sms
from menus.budget import sms_segments
from menus.types import Contact, OptIn, OptOut, Profile, Register, SetLanguage, Step
from tests.menu_catalog import MenuCatalog

CATALOG = MenuCatalog(date(2025, 6, 1))
ZH = Contact(language="zh")
EN = Contact(language="en")
PROFILE = Profile("李明", "m", 1990, "linxiang", "linxiang.boshang")


def converse(texts: list[str], contact: Contact | None = None) -> list[Step]:
    """The replies to a run of messages from one phone, each within 3 segments."""
    contact = contact or Contact()
    state: dict[str, object] = {}
    replies = []
    for text in texts:
        reply = sms.handle(state, text, contact, CATALOG)
        assert sms_segments(reply.screen) <= 3, reply.screen
        replies.append(reply)
        state = reply.state
    return replies


def kinds(step: Step) -> list[type]:
    """The kinds of effect a step returned."""
    return [type(effect) for effect in step.effects]


@pytest.mark.parametrize(
    "text",
    ["STOP", "stop", " Stop ", "STOPALL", "unsubscribe", "Cancel", "END", "quit", "REVOKE",
     "optout", "退订", "td", "ＳＴＯＰ", "\tSTOP\n"],
)
def test_opt_out_keywords(text: str) -> None:
    """Each opt-out keyword, in any case and spacing, opts out and says how to come back."""
    reply = sms.handle(None, text, ZH, CATALOG)
    assert kinds(reply) == [OptOut] and reply.state == {}
    assert "订阅" in reply.screen


@pytest.mark.parametrize("text", ["START", "start", "Unstop", "订阅"])
def test_opt_in_keywords(text: str) -> None:
    """Each opt-in keyword opts in and confirms."""
    reply = sms.handle(None, text, Contact(language="en", opted_out=True), CATALOG)
    assert kinds(reply) == [OptIn] and "STOP" in reply.screen


@pytest.mark.parametrize(
    ("opted_out", "expected"), [(True, [OptIn]), (False, [])],
)
def test_yes_opts_in_only_an_opted_out_phone(opted_out: bool, expected: list[type]) -> None:
    """YES opts back in only when the phone had opted out."""
    reply = sms.handle(None, "yes", Contact(language="en", opted_out=opted_out), CATALOG)
    assert kinds(reply) == expected


@pytest.mark.parametrize("text", ["HELP", "help", "Info", "帮助"])
def test_help_keywords_list_the_keywords(text: str) -> None:
    """Help names the keywords to register, unsubscribe and subscribe again."""
    reply = sms.handle(None, text, EN, CATALOG)
    assert all(word in reply.screen for word in ("REG", "STOP", "START"))
    assert reply.effects == ()


@pytest.mark.parametrize("text", ["STOP 12", "STOP please", "stopp", "退订了", "TD1"])
def test_near_keywords_are_not_opt_outs(text: str) -> None:
    """Only the exact keyword opts out; anything more is an ordinary message."""
    assert OptOut not in kinds(sms.handle(None, text, EN, CATALOG))


def test_opted_out_phone_is_reminded_how_to_come_back() -> None:
    """Other texts from an opted-out phone only get a reminder of START."""
    reply = sms.handle(None, "REG", Contact(language="en", opted_out=True), CATALOG)
    assert "START" in reply.screen and reply.effects == () and reply.state == {}


def test_question_and_answer_registration_in_chinese() -> None:
    """注册 asks six questions, repeats a wrong one with its reason, and registers."""
    replies = converse(["注册", "李*明", "3", "男", "1990", "勐", "忙", "2", "2 9,3", "1"])
    assert "姓名" in replies[0].screen and replies[0].effects == (SetLanguage("zh"),)
    assert replies[2].screen.startswith("性别请回1(男)或2(女)\n您的性别")
    assert "太多" in replies[5].screen
    assert replies[6].screen.startswith("多个乡镇符合") and "1 临翔区忙畔街道" in replies[6].screen
    assert "技能" in replies[7].screen and "12 工厂普工" in replies[7].screen
    done = replies[-1]
    assert done.state == {} and "退订" in done.screen
    assert done.effects == (
        Register(Profile("李*明", "m", 1990, "yunxian", "yunxian.manghuai",
                         ("catering", "domestic", "driving"), True, True, "zh")),
    )


def test_question_and_answer_registration_in_english() -> None:
    """REG in English validates each answer like USSD and mentions STOP at the end."""
    replies = converse(
        ["REG", "", "Ann Lee", "female", "1950", "1985", "Nowhere", "Boshang", "13", "0", "2"],
        EN,
    )
    assert replies[1].screen.startswith("Name is missing.\nWhat is your name?")
    assert replies[4].screen.startswith("Age must be 16-60 (born 1965-2009).")
    assert replies[6].screen.startswith('No township called "Nowhere".')
    assert replies[8].screen.startswith("Reply numbers 1-12, or 0 for none.")
    done = replies[-1]
    assert "STOP" in done.screen
    assert done.effects == (
        Register(Profile("Ann Lee", "f", 1985, "linxiang", "linxiang.boshang", (), False,
                         True, "en")),
    )


def test_keywords_work_in_the_middle_of_registration() -> None:
    """HELP keeps the conversation and repeats the question; STOP ends it."""
    helped = converse(["REG", "Ann", "HELP"], EN)[-1]
    assert helped.state["ask"] == "sex" and "Your sex?" in helped.screen
    stopped = converse(["REG", "Ann", "STOP"], EN)[-1]
    assert stopped.state == {} and kinds(stopped) == [OptOut]


@pytest.mark.parametrize(
    ("text", "contact", "profile"),
    [
        ("注册 李明，男，1990，凤翔街道", ZH,
         Profile("李明", "m", 1990, "linxiang", "linxiang.fengxiang", language="zh")),
        ("注册李明、女、1990、博尚镇", ZH,
         Profile("李明", "f", 1990, "linxiang", "linxiang.boshang", language="zh")),
        ("REG Li*Ming, M, 1990, Boshang", EN,
         Profile("Li*Ming", "m", 1990, "linxiang", "linxiang.boshang", language="en")),
        ("reg  Ann Lee ,f, １９８５ ,mengku town", EN,
         Profile("Ann Lee", "f", 1985, "shuangjiang", "shuangjiang.mengku", language="en")),
    ],
)
def test_one_line_form_registers_at_once(text: str, contact: Contact, profile: Profile) -> None:
    """The one-line form registers with SMS consent and no outside-province answer."""
    reply = sms.handle(None, text, contact, CATALOG)
    assert reply.effects == (Register(profile),) and reply.state == {}
    assert profile.name in reply.screen


@pytest.mark.parametrize(
    ("text", "contact", "says"),
    [
        ("REG Li Ming, X, 1990, Boshang", EN, ["Sex: 1 (male) or 2 (female)."]),
        ("REG Li Ming, M, 2015, Nowhere", EN,
         ["Age must be 16-60", 'No township called "Nowhere"']),
        ("REG Li Ming, M, 1990, mang", EN, ["Several townships match"]),
        ("REG 123, M, 90, Boshang", EN, ["Name: letters only", "4 digits"]),
        ("REG Li Ming, M", EN, ["Format: REG name, sex, year of birth, township"]),
        ("注册 李明，男，199O，凤翔街道", ZH, ["年份请填4位数字"]),
        ("注册 李明，男", ZH, ["格式：注册 姓名，性别，出生年份，乡镇"]),
    ],
)
def test_one_line_form_says_what_is_wrong(text: str, contact: Contact, says: list[str]) -> None:
    """A wrong one-line form registers nobody and names each wrong field."""
    reply = sms.handle(None, text, contact, CATALOG)
    assert not any(isinstance(e, Register) for e in reply.effects)
    assert all(part in reply.screen for part in says), reply.screen
    assert sms_segments(reply.screen) <= 3


@pytest.mark.parametrize("text", ["REG", "注册", "REG Li, M, 1990, Boshang"])
def test_registered_villager_is_told_they_are_registered(text: str) -> None:
    """REG from a registered villager names them and says how to see the profile."""
    reply = sms.handle(None, text, Contact(language="zh", profile=PROFILE), CATALOG)
    assert "李明" in reply.screen and "我的资料" in reply.screen and reply.effects == ()


@pytest.mark.parametrize(
    ("text", "contact", "starts", "effects"),
    [
        ("hello", Contact(), "Sorry", (SetLanguage("en"),)),
        ("你好", Contact(), "没看懂", (SetLanguage("zh"),)),
        ("hello", ZH, "没看懂", ()),
        ("你好", EN, "Sorry", ()),
        ("123", Contact(), "没看懂", ()),
        ("😀", Contact(), "没看懂", ()),
    ],
)
def test_unknown_text_gets_a_help_line(
    text: str, contact: Contact, starts: str, effects: tuple[object, ...]
) -> None:
    """Unknown text gets a help line; a phone with no language gets one inferred."""
    reply = sms.handle(None, text, contact, CATALOG)
    assert reply.screen.startswith(starts) and reply.effects == effects
    assert reply.state == {}


REGISTERED = Contact(language="zh", profile=PROFILE)


@pytest.mark.parametrize(("delete", "yes"),
                         [("DELETE", "YES"), ("注销", "是"), (" delete ", "yes")])
def test_delete_asks_first_and_yes_erases(delete: str, yes: str) -> None:
    """DELETE/注销 only asks (no effect); YES/是 next erases, with no reply of its own (the
    farewell SMS is the gateway's), and the conversation ends."""
    asked, confirmed = converse([delete, yes], REGISTERED)
    assert kinds(asked) == [] and "10分钟内回复 是 确认" in asked.screen
    assert asked.state == {"flow": sms.ERASE_FLOW, "lang": "zh"}
    assert kinds(confirmed) == [sms.Erase] and confirmed.screen == "" and confirmed.state == {}


def test_anything_but_yes_after_delete_cancels_and_is_answered_as_usual() -> None:
    asked, other = converse(["DELETE", "HELP"], REGISTERED)
    assert kinds(other) == [] and other.screen == sms.handle(None, "HELP", REGISTERED,
                                                             CATALOG).screen
    assert other.state == {}


def test_an_opted_out_villagers_yes_after_delete_erases_rather_than_opts_in() -> None:
    _, confirmed = converse(["DELETE", "YES"], Contact(language="en", opted_out=True,
                                                      profile=PROFILE))
    assert kinds(confirmed) == [sms.Erase]


def test_delete_from_a_phone_that_is_not_registered_says_there_is_nothing_to_erase() -> None:
    reply = sms.handle(None, "DELETE", EN, CATALOG)
    assert kinds(reply) == [] and reply.state == {} and "nothing to erase" in reply.screen
