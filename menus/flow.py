"""A USSD session's state and the moves between its screens.

The state is a JSON-ready dict:

    screen   the screen on show
    page     the page of that screen (lists)
    trail    [[screen, page], ...] the screens behind it, for "0 Back"
    lang     "zh" | "en" | None (not chosen yet)
    profile  the registered villager's profile (Profile.to_json) or None
    mode     "register" | "edit": whether the field screens register or edit a profile
    draft    the profile being filled in (the fields answered so far)
    jobs     the ids of the jobs listed (menus.jobs); job: the one on show
    apps     the job ids of the applications listed; app: the one on show
    refusal  why the villager may not apply to `job` (one of APPLY_REFUSALS)
    trainings  the ids of the training sessions listed (menus.training); training: the one
             on show; enrol_refusal: why the villager may not enrol in it (ENROL_REFUSALS)
    problem  the problem report being filled in (menus.problem)
    pay_check, pay_month, pay_amount  the pay check on show, its month ("YYYY-MM") and the
             amount missing typed (menus.paychecks)
    saved    the state offered back on the resume screen
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from menus.pages import Pages, pick
from menus.texts import DEFAULT_LANGUAGE, t
from menus.types import Catalog, Effect, Profile, State
from menus.validate import Invalid


@dataclass(frozen=True)
class Reply:
    """What an accepted answer did besides moving: effects, and a line to show on top."""

    effects: tuple[Effect, ...] = ()
    notice: str | None = None  # a text key


@dataclass(frozen=True)
class Screen:
    """How one screen shows itself and takes an answer (raising Invalid to retry)."""

    render: Callable[[State, Catalog], str]
    answer: Callable[[State, str, Catalog], Reply]
    end: bool = False


def fresh(screen: str, language: str | None, profile: Profile | None) -> State:
    """A new session's state, on `screen`."""
    return {
        "screen": screen,
        "page": 0,
        "trail": [],
        "lang": language,
        "profile": profile.to_json() if profile else None,
        "mode": "register",
        "draft": {},
    }


def language(state: State) -> str:
    """The language to show the state's screens in."""
    return state.get("lang") or DEFAULT_LANGUAGE


def goto(state: State, screen: str) -> None:
    """Move forward to `screen`, remembering where we were for "0 Back"."""
    state["trail"].append([state["screen"], state["page"]])
    state["screen"], state["page"] = screen, 0


def instead(state: State, screen: str) -> None:
    """Show `screen` in place of the one on show: "0 Back" from it skips that one."""
    state["screen"], state["page"] = screen, 0


def back(state: State) -> None:
    """Go to the previous page, or the previous screen; on the first, stay."""
    if state["page"] > 0:
        state["page"] -= 1
    elif state["trail"]:
        state["screen"], state["page"] = state["trail"].pop()


def return_to(state: State, screen: str) -> None:
    """Go back to `screen` if it is behind us, otherwise forward to it."""
    for position in range(len(state["trail"]) - 1, -1, -1):
        if state["trail"][position][0] == screen:
            state["screen"], state["page"] = state["trail"][position]
            del state["trail"][position:]
            return
    goto(state, screen)


# The lines that may be shown on top of a list page: the widest is reserved on every page.
TOP_LINES = ("retry", "no_more", "saved")


def reserve(language: str) -> str:
    """The widest line that may sit on top of a list screen in this language."""
    return max((t(language, key) for key in TOP_LINES), key=len)


def footer(language: str, last: str = "back", more: str = "more_back") -> tuple[str, str]:
    """A list footer: `last` on the last page, `more` while a further page follows."""
    return t(language, last), t(language, more)


def only_back(state: State, entry: str, catalog: Catalog) -> Reply:
    """The answer of a screen whose only choice is "0 Back" (which `step` handles)."""
    raise Invalid("retry")


def open_chosen(state: State, entry: str, pages: Pages, listed: str, chosen: str) -> Reply:
    """On a list screen whose ids are `state[listed]`: turn the page, or keep the id of the
    line chosen as `state[chosen]` and go to the screen of that name."""
    if not state[listed]:
        raise Invalid("retry")
    index = pick(pages, state, entry)
    if index is not None:
        state[chosen] = state[listed][index]
        goto(state, chosen)
    return Reply()
