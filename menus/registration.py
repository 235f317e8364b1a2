"""The profile screens: name, sex, year of birth, county, township, skills, outside work,
SMS consent, then the summary to confirm.

In "register" mode each answer leads to the next screen; in "edit" mode (from "My
profile") an answer saves the field and returns to the profile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from menus.budget import fits_ussd
from menus.flow import Reply, Screen, footer, goto, language, reserve, return_to
from menus.pages import Listing, Pages, page_of, paginate, pick
from menus.texts import t
from menus.types import Catalog, Option, Profile, Register, State, UpdateProfile
from menus.validate import Invalid, choice, parse_birth_year, parse_name, parse_sex, parse_yes_no

FIELDS = ("name", "sex", "birth_year", "county", "township", "skills", "outside", "consent")
NEXT = dict(zip(FIELDS, [*FIELDS[1:], "summary"], strict=True))
DONE = 8  # the skills screen's "8 Done"
CONFIRM = 1


def advance(state: State, done: str) -> Reply:
    """After a field is answered: the next screen, or in edit mode save and go back."""
    if state["mode"] == "edit" and done != "county":
        state["profile"] = dict(state["draft"])
        return_to(state, "profile")
        return Reply((UpdateProfile(Profile.from_json(state["profile"])),), "saved")
    goto(state, NEXT[done])
    return Reply()


def option_name(options: Sequence[Option], key: str, lang: str) -> str:
    """The name of the option with this key, or the key itself if the catalog lost it."""
    for option in options:
        if option.key == key:
            return option.name(lang)
    return key


def describe(fields: dict[str, Any], lang: str, catalog: Catalog) -> dict[str, str]:
    """A profile's fields as a villager reads them."""
    county = str(fields["county"])

    def answer(value: object) -> str:
        return t(lang, "not_given") if value is None else t(lang, "yes" if value else "no")

    skills = [option_name(catalog.skills(), key, lang) for key in fields.get("skills", ())]
    return {
        "name": str(fields["name"]),
        "sex": t(lang, f"sex_{fields['sex']}"),
        "year": str(fields["birth_year"]),
        "county": option_name(catalog.counties(), county, lang),
        "township": option_name(catalog.townships(county), str(fields["township"]), lang),
        "skills": t(lang, "list_sep").join(skills) or t(lang, "none"),
        "outside": answer(fields.get("outside_province")),
        "consent": answer(fields.get("sms_consent")),
    }


# Name, sex, year of birth: typed answers.


def answer_name(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the villager's name."""
    state["draft"]["name"] = parse_name(entry)
    return advance(state, "name")


def answer_sex(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the villager's sex."""
    state["draft"]["sex"] = parse_sex(entry)
    return advance(state, "sex")


def answer_birth_year(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the villager's year of birth."""
    state["draft"]["birth_year"] = parse_birth_year(entry, catalog.today())
    return advance(state, "birth_year")


# County and township: lists.


def county_pages(state: State, catalog: Catalog) -> Pages:
    """The counties, paged."""
    lang = language(state)
    names = tuple(option.name(lang) for option in catalog.counties())
    return paginate(_listing(lang, "pick_county", names))


def township_pages(state: State, catalog: Catalog) -> Pages:
    """The townships of the county picked, paged."""
    lang = language(state)
    names = tuple(option.name(lang) for option in catalog.townships(state["draft"]["county"]))
    return paginate(_listing(lang, "pick_township", names))


def _listing(lang: str, title: str, names: tuple[str, ...]) -> Listing:
    """A numbered list with "9 More" and "0 Back"."""
    return Listing(
        t(lang, title), names, footer(lang), reserve(lang), ellipsis=t(lang, "ellipsis")
    )


def answer_county(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the county, or turn the page."""
    index = pick(county_pages(state, catalog), state, entry)
    if index is None:
        return Reply()
    state["draft"]["county"] = catalog.counties()[index].key
    return advance(state, "county")


def answer_township(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the township, or turn the page."""
    index = pick(township_pages(state, catalog), state, entry)
    if index is None:
        return Reply()
    state["draft"]["township"] = catalog.townships(state["draft"]["county"])[index].key
    return advance(state, "township")


# Skills: a list where each number toggles a skill.


def skill_pages(state: State, catalog: Catalog) -> Pages:
    """The skills, paged, with "8 Done"."""
    lang = language(state)
    names = tuple(option.name(lang) for option in catalog.skills())
    done = footer(lang, "skills_footer", "skills_footer_more")
    listing = Listing(
        t(lang, "pick_skills"), names, done, reserve(lang), 7, t(lang, "mark"), t(lang, "ellipsis")
    )
    return paginate(listing)


def render_skills(state: State, catalog: Catalog) -> str:
    """The skills page, the villager's choices marked."""
    chosen = set(state["draft"].get("skills", ()))
    marked = {i for i, option in enumerate(catalog.skills()) if option.key in chosen}
    pages = skill_pages(state, catalog)
    return pages.render(page_of(state, pages), marked)


def answer_skills(state: State, entry: str, catalog: Catalog) -> Reply:
    """Toggle a skill, turn the page, or finish with "8 Done"."""
    skills = list(state["draft"].get("skills", ()))
    if choice(entry) == DONE:
        order = [option.key for option in catalog.skills()]
        skills.sort(key=lambda key: order.index(key) if key in order else len(order))
        state["draft"]["skills"] = skills
        return advance(state, "skills")
    index = pick(skill_pages(state, catalog), state, entry)
    if index is not None:
        key = catalog.skills()[index].key
        toggled = [s for s in skills if s != key] if key in skills else [*skills, key]
        state["draft"]["skills"] = toggled
    return Reply()


# Work outside the province, SMS consent: yes or no.


def answer_outside(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take whether the villager would work outside the province."""
    state["draft"]["outside_province"] = parse_yes_no(entry)
    return advance(state, "outside")


def answer_consent(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take whether the villager agrees to receive SMS."""
    state["draft"]["sms_consent"] = parse_yes_no(entry)
    return advance(state, "consent")


# Summary and the end of registration.


def summary_pages(state: State, catalog: Catalog) -> Pages:
    """The answers to check, paged, with "1 Confirm"."""
    lang = language(state)
    shown = describe(state["draft"], lang, catalog)
    keys = ("summary_person", "summary_place", "summary_skills", "summary_choices")
    lines = tuple(t(lang, key, **shown) for key in keys)
    confirm = footer(lang, "summary_footer", "summary_footer_more")
    listing = Listing(
        t(lang, "summary_title"), lines, confirm, reserve(lang), 0, ellipsis=t(lang, "ellipsis")
    )
    return paginate(listing)


def answer_summary(state: State, entry: str, catalog: Catalog) -> Reply:
    """Confirm the registration, or turn the page."""
    if choice(entry) != CONFIRM:
        pick(summary_pages(state, catalog), state, entry)
        return Reply()
    profile = Profile.from_json({**state["draft"], "language": language(state)})
    state["profile"] = profile.to_json()
    goto(state, "registered")
    return Reply((Register(profile),))


def render_registered(state: State, catalog: Catalog) -> str:
    """The thanks that closes a registration."""
    lang = language(state)
    follow = t(lang, "registered_sms" if state["profile"]["sms_consent"] else "registered_no_sms")
    screen = f"{t(lang, 'registered', name=state['profile']['name'])}\n{follow}"
    return screen if fits_ussd(screen) else f"{t(lang, 'registered_plain')}\n{follow}"


def _prompt(key: str) -> Screen:
    """A screen that shows a fixed prompt and parses typed answers."""
    answers = {
        "ask_name": answer_name,
        "ask_sex": answer_sex,
        "ask_birth_year": answer_birth_year,
        "ask_outside": answer_outside,
        "ask_consent": answer_consent,
    }
    return Screen(lambda state, catalog: t(language(state), key), answers[key])


def _paged(
    pages: Callable[[State, Catalog], Pages], answer: Callable[[State, str, Catalog], Reply]
) -> Screen:
    """A screen that shows one page of a listing."""

    def render(state: State, catalog: Catalog) -> str:
        shown = pages(state, catalog)
        return shown.render(page_of(state, shown))

    return Screen(render, answer)


def _closed(state: State, entry: str, catalog: Catalog) -> Reply:
    """An end screen takes no answer."""
    raise Invalid("retry")


SCREENS: dict[str, Screen] = {
    "name": _prompt("ask_name"),
    "sex": _prompt("ask_sex"),
    "birth_year": _prompt("ask_birth_year"),
    "county": _paged(county_pages, answer_county),
    "township": _paged(township_pages, answer_township),
    "skills": Screen(render_skills, answer_skills),
    "outside": _prompt("ask_outside"),
    "consent": _prompt("ask_consent"),
    "summary": _paged(summary_pages, answer_summary),
    "registered": Screen(render_registered, _closed, end=True),
}
