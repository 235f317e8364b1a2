"""The USSD conversation: a session begins, takes one input at a time, and may resume.

The gateway keeps `Step.state` between inputs (it is JSON-ready) and passes only the
villager's newest entry. When `Step.end` is true the session is over and `Step.state`
is `{}`: nothing is left to keep.
"""

from __future__ import annotations

import copy

from menus import flow, interviews, paychecks
from menus.flow import Reply, Screen, fresh, goto, language, return_to
from menus.jobs import SCREENS as JOB_SCREENS
from menus.jobs import enter_applications, enter_jobs, has_what_it_shows
from menus.problem import SCREENS as PROBLEM_SCREENS
from menus.problem import enter_problem
from menus.problem import has_what_it_shows as problem_has_what_it_shows
from menus.profile import SCREENS as PROFILE_SCREENS
from menus.registration import FIELDS
from menus.registration import SCREENS as REGISTRATION_SCREENS
from menus.texts import t
from menus.training import SCREENS as TRAINING_SCREENS
from menus.training import enter_trainings
from menus.training import has_what_it_shows as training_has_what_it_shows
from menus.types import (
    LANGUAGES,
    Catalog,
    Contact,
    Effect,
    Profile,
    SetLanguage,
    State,
    Step,
)
from menus.validate import Invalid, choice, clean

BACK = 0
RESUMABLE = frozenset([*FIELDS, "summary"])


def begin(contact: Contact, catalog: Catalog) -> Step:
    """The first screen of a new session for this phone."""
    lang = contact.language or (contact.profile.language if contact.profile else None)
    if contact.profile is not None:
        screen = "menu"
    elif lang is None:
        screen = "language"
    else:
        screen = "welcome"
    state = fresh(screen, lang, contact.profile)
    if screen == "menu" and interviews.waiting(catalog):  # an invitation waits: shown first
        goto(state, "interview")
    elif screen == "menu" and paychecks.waiting(catalog):  # so does an unanswered pay check
        paychecks.enter(state, catalog)
    return _show(state, catalog)


def step(state: State, text: str, catalog: Catalog) -> Step:
    """One new input from the villager on the state's screen."""
    if not _usable(state):
        return _restart(state, catalog)
    moved = copy.deepcopy(state)
    if clean(text) == str(BACK):
        flow.back(moved)
        return _show(moved, catalog)
    try:
        reply = SCREENS[moved["screen"]].answer(moved, text, catalog)
    except Invalid as wrong:
        return _show(copy.deepcopy(state), catalog, _retry_line(state, wrong))
    notice = t(language(moved), reply.notice) if reply.notice else None
    return _show(moved, catalog, notice, reply.effects)


def resume(saved: State, catalog: Catalog) -> Step:
    """Offer a villager who redialled to continue the saved session or start over."""
    if _usable(saved) and saved["screen"] == "resume":
        saved = saved["saved"]
    if not (_usable(saved) and is_resumable(saved)):
        return _restart(saved, catalog)
    state = {**fresh("resume", saved["lang"], None), "saved": copy.deepcopy(saved)}
    return _show(state, catalog)


def dropped(state: State) -> tuple[str, str, dict[str, object]] | None:
    """What a session cut off mid-registration or mid-edit leaves: its mode ("register" or
    "edit"), its language and the fields answered so far (the screen on show is not).

    None when the session was not registering or editing the profile.
    """
    if _usable(state) and state["screen"] == "resume":
        state = state["saved"]
    if not (_usable(state) and is_resumable(state)):
        return None
    draft = {key: value for key, value in state["draft"].items()
             if FIELD_OF.get(key) not in (None, state["screen"])}
    return state["mode"], language(state), draft


# The registration screen that answers each key of a draft.
FIELD_OF = {"name": "name", "sex": "sex", "birth_year": "birth_year", "county": "county",
            "township": "township", "skills": "skills", "outside_province": "outside",
            "sms_consent": "consent"}


def is_resumable(state: State) -> bool:
    """True when the state is in the middle of registering or editing the profile."""
    if not isinstance(state, dict):
        return False
    if state.get("screen") == "resume":
        saved = state.get("saved")
        return isinstance(saved, dict) and is_resumable(saved)
    return state.get("screen") in RESUMABLE


# Rendering.


def _show(
    state: State, catalog: Catalog, top: str | None = None, effects: tuple[Effect, ...] = ()
) -> Step:
    """The step that shows the state's screen, with an optional line on top."""
    screen = SCREENS[state["screen"]]
    text = screen.render(state, catalog)
    if top:
        text = f"{top}\n{text}"
    if screen.end:
        return Step(text, {}, tuple(effects), end=True)
    return Step(text, state, tuple(effects))


def _retry_line(state: State, wrong: Invalid) -> str:
    """The short line that says an input was refused; in both languages before one is chosen."""
    languages = LANGUAGES if state["lang"] is None else (state["lang"],)
    return " ".join(t(lang, wrong.reason, **wrong.details) for lang in languages)


def _usable(state: object) -> bool:
    """True when a state (from storage) has the shape this module writes."""
    if not isinstance(state, dict):
        return False
    try:
        return (
            state["screen"] in SCREENS
            and state["lang"] in (None, *LANGUAGES)
            and isinstance(state["page"], int)
            and all(entry[0] in SCREENS for entry in state["trail"])
            and isinstance(state["draft"], dict)
            and (state["profile"] is None or isinstance(state["profile"], dict))
            and _has_what_it_shows(state)
        )
    except (KeyError, TypeError, IndexError):
        return False


def _has_what_it_shows(state: State) -> bool:
    """True when the data the state's screen displays is there."""
    screen = state["screen"]
    if screen in ("menu", "profile", "registered"):
        return state["profile"] is not None
    if screen in JOB_SCREENS:
        return state["profile"] is not None and has_what_it_shows(state)
    if screen in TRAINING_SCREENS:
        return state["profile"] is not None and training_has_what_it_shows(state)
    if screen in PROBLEM_SCREENS:
        return problem_has_what_it_shows(state)
    if screen in interviews.SCREENS:
        return state["profile"] is not None
    if screen in paychecks.SCREENS:
        return state["profile"] is not None and paychecks.has_what_it_shows(state)
    if screen == "township":
        return "county" in state["draft"]
    if screen == "summary":
        return all(k in state["draft"] for k in _PROFILE_KEYS)
    if screen == "resume":
        return _usable(state.get("saved"))
    return True


_PROFILE_KEYS = ("name", "sex", "birth_year", "county", "township", "skills")


def _restart(state: object, catalog: Catalog) -> Step:
    """Begin afresh from whatever a broken or finished state still tells about the phone."""
    saved = state if isinstance(state, dict) else {}
    lang = saved.get("lang") if saved.get("lang") in LANGUAGES else None
    try:
        profile = Profile.from_json(saved["profile"]) if saved.get("profile") else None
    except (TypeError, ValueError):
        profile = None
    return begin(Contact(language=lang, profile=profile), catalog)


# Screens of the session itself: language, welcome, main menu, resume.


def render_language(state: State, catalog: Catalog) -> str:
    """The language choice, readable in both languages."""
    title = " ".join(t(lang, "choose_language") for lang in LANGUAGES)
    names = [f"{n} {t(lang, 'language_name')}" for n, lang in enumerate(LANGUAGES, 1)]
    lines = [title, *names]
    if state["trail"]:
        lines.append(t(language(state), "back"))
    return "\n".join(lines)


def answer_language(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the language; go on to the menu, or the welcome when not registered."""
    number = choice(entry)
    if number is None or not 1 <= number <= len(LANGUAGES):
        raise Invalid("retry")
    state["lang"] = LANGUAGES[number - 1]
    if state["profile"] is not None:
        state["profile"]["language"] = state["lang"]
    return_to(state, "menu" if state["profile"] is not None else "welcome")
    return Reply((SetLanguage(state["lang"]),))


def answer_welcome(state: State, entry: str, catalog: Catalog) -> Reply:
    """Start registering (1) or change the language (2)."""
    number = choice(entry)
    if number == 1:
        state["mode"] = "register"
        goto(state, "name")
    elif number == 2:
        goto(state, "language")
    else:
        raise Invalid("retry")
    return Reply()


def answer_menu(state: State, entry: str, catalog: Catalog) -> Reply:
    """Open the main menu item chosen."""
    number = choice(entry)
    if number == 1:
        enter_jobs(state, catalog)
    elif number == 2:
        enter_applications(state, catalog)
    elif number == 3:
        enter_trainings(state, catalog)
    elif number == 4:  # Report a problem
        enter_problem(state)
    elif number == 5:
        goto(state, "profile")
    elif number == 6:
        goto(state, "language")
    else:
        raise Invalid("retry")
    return Reply()



def answer_resume(state: State, entry: str, catalog: Catalog) -> Reply:
    """Continue the saved session (1) or start over (2)."""
    number = choice(entry)
    saved = state["saved"]
    if number == 1:
        resumed = saved
    elif number == 2:
        profile = Profile.from_json(saved["profile"]) if saved["profile"] else None
        first = "menu" if profile else "welcome" if saved["lang"] else "language"
        resumed = fresh(first, saved["lang"], profile)
    else:
        raise Invalid("retry")
    state.clear()
    state.update(resumed)
    return Reply()


def _fixed(key: str) -> Screen:
    """A screen that shows one text of the catalogue."""
    return Screen(lambda state, catalog: t(language(state), key), _ANSWERS[key])


_ANSWERS = {"welcome": answer_welcome, "menu": answer_menu, "resume": answer_resume}

SCREENS: dict[str, Screen] = {
    "language": Screen(render_language, answer_language),
    "welcome": _fixed("welcome"),
    "menu": _fixed("menu"),
    "resume": _fixed("resume"),
    **REGISTRATION_SCREENS,
    **PROFILE_SCREENS,
    **JOB_SCREENS,
    **TRAINING_SCREENS,
    **PROBLEM_SCREENS,
    **interviews.SCREENS,
    **paychecks.SCREENS,
}
