""""My profile": the villager's answers, each one a door to the screen that changes it."""

from __future__ import annotations

from menus.flow import Reply, Screen, footer, goto, language, reserve
from menus.pages import Listing, Pages, page_of, paginate, pick
from menus.registration import describe
from menus.texts import t
from menus.types import Catalog, State

# What each line of the profile shows, and the screen that changes it.
LINES = (
    ("profile_name", "name", "name"),
    ("profile_sex", "sex", "sex"),
    ("profile_birth_year", "year", "birth_year"),
    ("profile_township", "township", "county"),
    ("profile_skills", "skills", "skills"),
    ("profile_outside", "outside", "outside"),
    ("profile_consent", "consent", "consent"),
)


def profile_pages(state: State, catalog: Catalog) -> Pages:
    """The villager's profile as a numbered list, paged."""
    lang = language(state)
    shown = describe(state["profile"], lang, catalog)
    lines = tuple(t(lang, key, value=shown[field]) for key, field, _ in LINES)
    listing = Listing(
        t(lang, "profile_title"), lines, footer(lang), reserve(lang), ellipsis=t(lang, "ellipsis")
    )
    return paginate(listing)


def render_profile(state: State, catalog: Catalog) -> str:
    """The page of the profile on show."""
    pages = profile_pages(state, catalog)
    return pages.render(page_of(state, pages))


def answer_profile(state: State, entry: str, catalog: Catalog) -> Reply:
    """Open the screen that changes the chosen field, or turn the page."""
    index = pick(profile_pages(state, catalog), state, entry)
    if index is not None:
        state["mode"] = "edit"
        state["draft"] = {**state["profile"], "skills": list(state["profile"]["skills"])}
        goto(state, LINES[index][2])
    return Reply()


SCREENS = {"profile": Screen(render_profile, answer_profile)}
