"""USSD transcripts: registration, back, retry lines, paging, profile editing, resume."""

from __future__ import annotations

from datetime import date

import pytest

from menus import ussd
from menus.types import Contact, Profile, Register, SetLanguage, Step, UpdateProfile
from tests.menu_catalog import MenuCatalog, walk_ussd

CATALOG = MenuCatalog(date(2025, 6, 1))
PROFILE = Profile(
    name="李明",
    sex="m",
    birth_year=1990,
    county="linxiang",
    township="linxiang.boshang",
    skills=("catering",),
    outside_province=True,
    sms_consent=True,
    language="zh",
)

# Inputs from a new phone to each registration screen (Chinese, Linxiang, Boshang).
TO_SCREEN = {
    "language": [],
    "welcome": ["1"],
    "name": ["1", "1"],
    "sex": ["1", "1", "李明"],
    "birth_year": ["1", "1", "李明", "1"],
    "county": ["1", "1", "李明", "1", "1990"],
    "township": ["1", "1", "李明", "1", "1990", "1"],
    "skills": ["1", "1", "李明", "1", "1990", "1", "3"],
    "outside": ["1", "1", "李明", "1", "1990", "1", "3", "8"],
    "consent": ["1", "1", "李明", "1", "1990", "1", "3", "8", "1"],
    "summary": ["1", "1", "李明", "1", "1990", "1", "3", "8", "1", "1"],
}
ORDER = list(TO_SCREEN)


def walk(inputs: list[str], contact: Contact | None = None, catalog: MenuCatalog = CATALOG) -> Step:
    """The step after dialling in and typing `inputs`, checking each screen on the way."""
    return walk_ussd(inputs, contact or Contact(), catalog)


def number_of(screen: str, text: str) -> str:
    """The number of the line of a screen that shows `text`."""
    return next(line.split(" ", 1)[0] for line in screen.split("\n") if text in line)


def find_line(current: Step, text: str) -> tuple[Step, str]:
    """The page of a list that shows `text` (pressing 9 until it does) and its number."""
    while text not in current.screen:
        assert "9 " in current.screen.rsplit("\n", 1)[-1], current.screen
        current = ussd.step(current.state, "9", CATALOG)
    return current, number_of(current.screen, text)


def effects_of(inputs: list[str], contact: Contact | None = None) -> list[object]:
    """Every effect returned along a transcript."""
    current = ussd.begin(contact or Contact(), CATALOG)
    effects: list[object] = []
    for entry in inputs:
        current = ussd.step(current.state, entry, CATALOG)
        effects.extend(current.effects)
    return effects


def test_new_phone_is_asked_its_language_in_both_languages() -> None:
    """A phone that never chose a language gets a bilingual language choice."""
    first = ussd.begin(Contact(), CATALOG)
    assert "1 中文" in first.screen and "2 English" in first.screen
    assert not first.end and first.state["screen"] == "language"


def test_register_in_chinese() -> None:
    """A full Chinese registration ends with Register and a closing thanks."""
    inputs = [*TO_SCREEN["summary"]]
    summary = walk(inputs)
    assert "李明 男 1990年生" in summary.screen and "临翔区博尚镇" in summary.screen
    assert summary.screen.endswith("1 确认 0 返回")
    done = ussd.step(summary.state, "1", CATALOG)
    assert done.end and done.state == {}
    assert "注册成功" in done.screen and "李明" in done.screen
    assert not done.screen.startswith(("CON", "END"))
    effects = effects_of([*inputs, "1"])
    assert effects[0] == SetLanguage("zh")
    assert effects[-1] == Register(
        Profile("李明", "m", 1990, "linxiang", "linxiang.boshang", (), True, True, "zh")
    )


def test_register_in_english() -> None:
    """A full English registration, with skills on two pages, registers in English."""
    before = ["2", "1", "Li Ming", "F", "1985", "2", "3", "2", "9"]
    driving = number_of(walk(before).screen, "Driving")
    inputs = [*before, driving, "8", "2", "1"]
    summary = walk(inputs)
    assert summary.screen.startswith("Please check:")
    assert "Li Ming, Female, born 1985" in summary.screen
    while "9 More" in summary.screen:
        summary = ussd.step(summary.state, "9", CATALOG)
    done = ussd.step(summary.state, "1", CATALOG)
    assert done.end and "Thank you, Li Ming" in done.screen
    profile = effects_of([*inputs, "1"])[-1].profile  # type: ignore[attr-defined]
    assert profile == Profile(
        "Li Ming", "f", 1985, "fengqing", "fengqing.sanchahe", ("catering", "driving"),
        False, True, "en",
    )


def test_known_language_starts_at_the_welcome() -> None:
    """A phone with a language but no profile sees the welcome in that language."""
    first = ussd.begin(Contact(language="en"), CATALOG)
    assert first.screen.startswith("Welcome") and "1 Register" in first.screen


def test_registered_villager_gets_the_main_menu_in_their_language() -> None:
    """A registered villager starts at the main menu with its six items."""
    first = ussd.begin(Contact(language="en", profile=PROFILE), CATALOG)
    for item in ("1 Jobs", "2 My applications", "3 Training", "4 Report a problem",
                 "5 My profile", "6 Language"):
        assert item in first.screen
    assert "找工作" in ussd.begin(Contact(language="zh", profile=PROFILE), CATALOG).screen


@pytest.mark.parametrize("screen", ORDER[1:])
def test_back_returns_to_the_previous_screen(screen: str) -> None:
    """On every registration screen, 0 goes to the screen before it."""
    here = walk(TO_SCREEN[screen])
    assert here.state["screen"] == screen
    previous = walk([*TO_SCREEN[screen], "0"])
    assert previous.state["screen"] == ORDER[ORDER.index(screen) - 1]
    assert previous.screen == walk(TO_SCREEN[ORDER[ORDER.index(screen) - 1]]).screen


@pytest.mark.parametrize(
    "contact", [Contact(), Contact(language="zh"), Contact(language="en", profile=PROFILE)]
)
def test_back_on_the_first_screen_is_harmless(contact: Contact) -> None:
    """0 on the first screen shows that screen again, with no effect."""
    first = ussd.begin(contact, CATALOG)
    again = ussd.step(first.state, "0", CATALOG)
    assert again.screen == first.screen and again.effects == () and not again.end


@pytest.mark.parametrize("screen", ORDER)
@pytest.mark.parametrize("entry", ["99", "-1", "abc", "", "\u202e\u0000", "1 1"])
def test_wrong_input_shows_a_retry_line_above_the_same_screen(screen: str, entry: str) -> None:
    """Out-of-range or garbled input repeats the screen under one short retry line."""
    here = walk(TO_SCREEN[screen])
    retry = ussd.step(here.state, entry, CATALOG)
    if screen == "name" and entry == "abc":
        return  # a fine name
    top, _, rest = retry.screen.partition("\n")
    assert rest == here.screen, (screen, entry)
    assert 0 < len(top) <= 30 and retry.state == here.state and retry.effects == ()


def test_retry_line_says_why_a_year_was_refused() -> None:
    """A year that makes the villager too young names the years allowed."""
    retry = walk([*TO_SCREEN["birth_year"], "2015"])
    assert retry.screen.startswith("年龄须在16-60岁(1965-2009年生)")
    assert retry.state["screen"] == "birth_year"


def test_star_in_a_name_is_kept() -> None:
    """A `*` typed inside a name is part of the name, not a separator."""
    summary = walk(["1", "1", "李*明", *TO_SCREEN["summary"][3:]])
    assert summary.state["draft"]["name"] == "李*明"
    assert "李*明" in summary.screen


@pytest.mark.parametrize("lang", ["1", "2"])
def test_linxiangs_ten_townships_page_with_more_and_back(lang: str) -> None:
    """Linxiang's 10 townships spread over pages numbered from 1; 9 and 0 move between them."""
    township = walk([lang, "1", "Li", "1", "1990", "1"])
    pages = [township]
    while "9 " in township.screen.rsplit("\n", 1)[-1]:
        township = ussd.step(township.state, "9", CATALOG)
        pages.append(township)
    assert len(pages) >= 2
    names = [line.split(" ", 1)[1] for page in pages for line in page.screen.split("\n")[1:-1]]
    expected = [option.name("zh" if lang == "1" else "en") for option in
                CATALOG.townships("linxiang")]
    assert names == expected
    for page in pages:
        assert page.screen.split("\n")[1].startswith("1 ")
    assert ussd.step(pages[-1].state, "0", CATALOG).screen == pages[-2].screen
    picked = ussd.step(pages[-1].state, "1", CATALOG)
    first_on_last = len(expected) - (len(pages[-1].screen.split("\n")) - 2)
    assert picked.state["draft"]["township"] == CATALOG.townships("linxiang")[first_on_last].key


def test_skills_toggle_with_a_marker_across_pages() -> None:
    """Skills are numbered per page, toggled with a GSM-7 marker, and kept across pages."""
    skills = walk(["2", "1", "Li", "1", "1990", "1", "1"])
    assert skills.screen.endswith("8 Done 9 More 0 Back")
    marked = ussd.step(skills.state, "2", CATALOG)
    assert "2 *Catering" in marked.screen
    unmarked = ussd.step(marked.state, "2", CATALOG)
    assert "2 Catering" in unmarked.screen
    second = ussd.step(ussd.step(marked.state, "9", CATALOG).state, "1", CATALOG)
    assert second.screen.split("\n")[1].startswith("1 *")
    assert len(second.state["draft"]["skills"]) == 2
    assert ussd.step(second.state, "0", CATALOG).screen == marked.screen


def test_profile_shows_the_fields_and_edits_one() -> None:
    """My profile lists the fields; changing the name saves it with UpdateProfile."""
    contact = Contact(language="zh", profile=PROFILE)
    profile = walk(["5"], contact)
    assert "姓名:李明" in profile.screen
    edit = ussd.step(profile.state, "1", CATALOG)
    assert edit.state["screen"] == "name"
    saved = ussd.step(edit.state, "王*芳", CATALOG)
    assert saved.effects == (UpdateProfile(Profile(**{**PROFILE.__dict__, "name": "王*芳"})),)
    assert saved.screen.startswith("已保存\n") and "姓名:王*芳" in saved.screen
    assert ussd.step(saved.state, "0", CATALOG).state["screen"] == "menu"


def test_profile_township_edit_goes_through_county() -> None:
    """Changing the township picks a county, then a township, then saves both."""
    contact = Contact(language="en", profile=PROFILE)
    profile, number = find_line(walk(["5"], contact), "Township:")
    county = ussd.step(profile.state, number, CATALOG)
    assert county.state["screen"] == "county"
    township = ussd.step(county.state, "3", CATALOG)
    saved = ussd.step(township.state, "1", CATALOG)
    (update,) = saved.effects
    assert isinstance(update, UpdateProfile)
    assert (update.profile.county, update.profile.township) == ("yunxian", "yunxian.aihua")
    assert saved.state["screen"] == "profile"


def test_leaving_a_field_with_back_discards_it() -> None:
    """Toggling skills then pressing 0 returns to the profile without saving."""
    contact = Contact(language="zh", profile=PROFILE)
    profile, number = find_line(walk(["5"], contact), "技能")
    toggled = ussd.step(ussd.step(profile.state, number, CATALOG).state, "1", CATALOG)
    assert toggled.state["screen"] == "skills"
    back = ussd.step(toggled.state, "0", CATALOG)
    assert back.state["screen"] == "profile" and back.effects == ()
    assert back.state["profile"]["skills"] == ["catering"]


def test_language_change_from_the_menu() -> None:
    """6 on the main menu offers the languages; choosing one sets it and shows the menu."""
    contact = Contact(language="zh", profile=PROFILE)
    choose = walk(["6"], contact)
    assert "0 返回" in choose.screen
    menu = ussd.step(choose.state, "2", CATALOG)
    assert menu.effects == (SetLanguage("en"),)
    assert menu.state["screen"] == "menu" and "1 Jobs" in menu.screen


def test_welcome_can_change_the_language() -> None:
    """2 on the welcome goes to the language choice; a choice comes back to the welcome."""
    changed = walk(["1", "2", "2"])
    assert changed.screen.startswith("Welcome") and changed.effects == (SetLanguage("en"),)


@pytest.mark.parametrize("screen", ORDER[2:])
def test_resume_continues_where_the_villager_was(screen: str) -> None:
    """A dropped registration offers continue or start over; 1 shows the saved screen."""
    saved = walk(TO_SCREEN[screen])
    assert ussd.is_resumable(saved.state)
    offer = ussd.resume(saved.state, CATALOG)
    assert "1 继续" in offer.screen and "2 重新开始" in offer.screen
    assert ussd.is_resumable(offer.state)
    resumed = ussd.step(offer.state, "1", CATALOG)
    assert resumed.screen == saved.screen and resumed.state == saved.state


def test_resume_start_over_begins_afresh() -> None:
    """2 on the resume offer begins a new session in the saved language."""
    saved = walk(["2", "1", "Li"])
    fresh = ussd.step(ussd.resume(saved.state, CATALOG).state, "2", CATALOG)
    assert fresh.screen == ussd.begin(Contact(language="en"), CATALOG).screen


def test_resume_offer_of_a_resume_offer_unwraps() -> None:
    """Dropping again on the resume offer offers the same saved screen."""
    saved = walk(TO_SCREEN["skills"])
    twice = ussd.resume(ussd.resume(saved.state, CATALOG).state, CATALOG)
    assert ussd.step(twice.state, "1", CATALOG).state == saved.state


@pytest.mark.parametrize("screen", ["language", "welcome"])
def test_not_resumable_outside_registration(screen: str) -> None:
    """The language choice, the welcome and the menu are not worth resuming."""
    assert not ussd.is_resumable(walk(TO_SCREEN[screen]).state)
    assert not ussd.is_resumable(walk([], Contact(profile=PROFILE)).state)
    assert not ussd.is_resumable({})


@pytest.mark.parametrize("broken", [{}, {"screen": "nowhere"}, {"screen": "township"}, []])
def test_a_broken_state_begins_again(broken: object) -> None:
    """A state that is not ours starts a new session instead of failing."""
    again = ussd.step(broken, "1", CATALOG)  # type: ignore[arg-type]
    assert again.state["screen"] == "language" and not again.end
