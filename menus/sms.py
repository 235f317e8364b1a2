"""Inbound SMS: keywords, the question-and-answer registration and the one-line form.

`handle` answers one message; the job keywords (JOBS, JOB 12, APPLY 12, MY, WITHDRAW 12,
VERIFY code) are answered by `menus.sms_jobs`, the training keywords (TRAIN, TRAIN 5) by
`menus.sms_training`; neither keeps state of its own.
`Step.screen` is the reply ("" sends none) and
`Step.state` the conversation to keep: `{}` when there is none (or it just ended),
otherwise `{"flow": "register", "lang": ..., "ask": <question>, "draft": {...}}`
with, while the villager picks among several townships, `"matches"`; or a problem
report's questions, `{"flow": "problem", ...}` (menus.sms_problem: PROBLEM / 投诉).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial

from menus import sms_arrival, sms_problem, sms_team
from menus.departures import answer as answer_departures
from menus.interviews import answer as answer_interviews
from menus.paychecks import answer as answer_pay_check
from menus.promises import answer as answer_promises
from menus.sms_jobs import answer as answer_jobs
from menus.sms_reply import echo, fits, reply
from menus.sms_training import answer as answer_training
from menus.texts import DEFAULT_LANGUAGE, t
from menus.types import (
    Catalog,
    Contact,
    Effect,
    Erase,
    OptIn,
    Option,
    OptOut,
    Profile,
    Register,
    SetLanguage,
    State,
    Step,
)
from menus.validate import (
    Invalid,
    choice,
    clean,
    parse_birth_year,
    parse_name,
    parse_sex,
    parse_yes_no,
)

OPT_OUT = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "退订", "TD"}
)
OPT_IN = frozenset({"START", "UNSTOP", "订阅"})
HELP = frozenset({"HELP", "INFO", "帮助"})
REGISTER = frozenset({"REG", "注册"})
ERASE = frozenset({"DELETE", "注销"})  # erase my data (China's PIPL: deletion on request)
ERASE_YES = frozenset({"YES", "是"})
ERASE_FLOW = "erase"  # waiting for YES; the gateway keeps it ERASE_CONFIRM_SECONDS only
CHINESE_KEYWORDS = frozenset({"TD"})  # ASCII, yet a Chinese villager's word (退订)

_FORM = re.compile(r"^(?:REG\s+|注册\s*)(?P<fields>\S.*)$", re.IGNORECASE | re.DOTALL)
_FORM_SEPARATORS = re.compile(r"[,，、]")
_NUMBER_SEPARATORS = re.compile(r"[\s,，、;；]+")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_LETTER = re.compile(r"[A-Za-z]")

FLOWS = frozenset({"register", sms_problem.FLOW, ERASE_FLOW})  # the conversations kept
QUESTIONS = ("name", "sex", "birth_year", "township", "skills", "outside")
RESUME = "resume"  # the question of a registration a dropped USSD session handed over
_DRAFT_KEY = {"outside": "outside_province"}  # the draft's key of a question, when not its name
MAX_MATCHES = 8
_PROFILE_FIELDS = ("name", "sex", "birth_year", "county", "township", "skills",
                   "outside_province")


def handle(state: State | None, text: str, contact: Contact, catalog: Catalog) -> Step:
    """Answer one inbound SMS."""
    state = state if isinstance(state, dict) and state.get("flow") in FLOWS else {}
    lang, effects = _language(contact, state, text)
    word = clean(text).upper()
    if state.get("flow") == ERASE_FLOW:
        if word in ERASE_YES:
            return reply("", {}, (*effects, Erase()))
        state = {}  # anything else cancels the erasure and is answered as usual
    if word in ERASE:
        if contact.profile is None:
            return reply(t(lang, "sms_erase_unregistered"), {}, effects)
        return reply(t(lang, "sms_erase_confirm"), {"flow": ERASE_FLOW, "lang": lang}, effects)
    if word in OPT_OUT:
        return reply(t(lang, "sms_opted_out"), {}, (*effects, OptOut()))
    if word in OPT_IN or (word == "YES" and contact.opted_out):
        return reply(t(lang, "sms_opted_in"), state, (*effects, OptIn()))
    if word in HELP:
        return reply(_with_question(t(lang, "sms_help"), state, catalog), state, effects)
    if contact.opted_out:
        return reply(t(lang, "sms_still_opted_out"), {}, effects)
    if sms_problem.waits_for_text(state):
        return sms_problem.answer({**state, "lang": lang}, text, contact, effects)
    form = _FORM.match(clean(text))
    if word in REGISTER or form:
        if contact.profile is not None:
            return reply(t(lang, "sms_already", name=contact.profile.name), {}, effects)
        if form:
            return _one_line(form.group("fields"), lang, catalog, effects)
        return _start(lang, catalog, effects)
    problem = sms_problem.start(clean(text), lang, contact, state, effects)
    if problem is not None:
        return problem
    jobs = answer_jobs(clean(text), lang, contact, catalog)
    if jobs is not None:
        return reply(jobs[0], state, (*effects, *jobs[1]))
    training = answer_training(clean(text), lang, contact, catalog)
    if training is not None:
        return reply(training[0], state, (*effects, *training[1]))
    team = sms_team.answer(clean(text), lang, contact, catalog)  # TEAM 12 OK (cohorts)
    if team is not None:
        return reply(team[0], state, (*effects, *team[1]))
    if state.get("flow") == sms_problem.FLOW:
        return sms_problem.answer({**state, "lang": lang}, text, contact, effects)
    if not state:  # a registration under way takes its own numbers and yes/no first
        after = _open_question(clean(text), lang, contact, catalog) \
            or answer_departures(clean(text), lang, contact, catalog)
        if after is not None:
            return reply(after[0], {}, (*effects, *after[1]))
    if state.get("flow") == "register" and contact.profile is not None:
        return reply(t(lang, "sms_already", name=contact.profile.name), {}, effects)
    if state:
        return _answer(state, text, catalog, effects)
    return reply(t(lang, "sms_unknown"), {}, effects)


def _open_question(text: str, lang: str, contact: Contact, catalog: Catalog
                   ) -> tuple[str, tuple[Effect, ...]] | None:
    """A digit (or a pay check's amount) answers the open question asked last, of those put
    to this phone: a pay check, an arrival's promise question, the question to a worker's
    family, an invitation to a recruitment day (`tests/test_menus_open_questions.py`). A pay
    check and a promise question also yield to a check-in sent after them (their catalogue
    methods return None then, and `answer_departures` takes the check-in's digit).
    """
    asked = [(question.asked_at, answer) for question, answer in (
        (catalog.open_pay_check(), partial(answer_pay_check, text, lang, contact, catalog)),
        (catalog.open_promise(), partial(answer_promises, text, lang, contact, catalog)),
        (catalog.family_question(),
         partial(sms_arrival.answer, text, contact.language or "", catalog)),
        (catalog.open_interview(), partial(answer_interviews, text, lang, contact, catalog)),
    ) if question is not None]
    for _, answer in sorted(asked, key=lambda pair: pair[0], reverse=True):
        found = answer()
        if found is not None:
            return found
    return None


def take_over(draft: dict[str, object], lang: str) -> State:
    """The SMS conversation that finishes a registration begun by USSD and cut off: it waits
    for `1`, then asks only the questions `draft` (the USSD answers) leaves open."""
    return {"flow": "register", "lang": lang, "ask": RESUME, "draft": dict(draft)}


def _missing(draft: dict[str, object]) -> str:
    """The first question the draft has no answer to, or "done"."""
    for ask in QUESTIONS:
        if _DRAFT_KEY.get(ask, ask) not in draft:
            return ask
    return "done"


def _resume(state: State, text: str, catalog: Catalog, effects: tuple[Effect, ...]) -> Step:
    """`1` goes on with the first open question (or registers when none is); else ask again."""
    if choice(text) != 1:
        return reply(_question(state, catalog), state, effects)
    state["ask"] = _missing(state["draft"])
    if state["ask"] == "done":
        return _registered(state, effects)
    return reply(_question(state, catalog), state, effects)


def _language(contact: Contact, state: State, text: str) -> tuple[str, tuple[Effect, ...]]:
    """The reply's language, and SetLanguage when it was inferred from the text."""
    if contact.language:
        return contact.language, ()
    if state.get("lang"):
        return str(state["lang"]), ()
    entry = clean(text)
    if _CJK.search(entry) or entry.upper() in CHINESE_KEYWORDS:
        return "zh", (SetLanguage("zh"),)
    if entry.isascii() and _LETTER.search(entry):
        return "en", (SetLanguage("en"),)
    return DEFAULT_LANGUAGE, ()


# The question-and-answer registration.


def _start(lang: str, catalog: Catalog, effects: tuple[Effect, ...]) -> Step:
    """Begin the questions with the first one."""
    state: State = {"flow": "register", "lang": lang, "ask": QUESTIONS[0], "draft": {}}
    return reply(f"{t(lang, 'sms_reg_intro')}\n{_question(state, catalog)}", state, effects)


def _question(state: State, catalog: Catalog) -> str:
    """The question the conversation is waiting on."""
    if state.get("flow") == sms_problem.FLOW:
        return sms_problem.question(state)
    lang, ask = state["lang"], state["ask"]
    if ask == "township" and state.get("matches"):
        lines = [f"{n} {label}" for n, (_, _, label) in enumerate(state["matches"], 1)]
        return "\n".join([t(lang, "sms_pick_township"), *lines])
    if ask == "township":
        example = catalog.townships(catalog.counties()[0].key)[0].name(lang)
        return t(lang, "sms_ask_township", example=example)
    if ask == "skills":
        return _skills_question(lang, catalog)[0]
    return t(lang, f"sms_ask_{ask}")


def _skills_question(lang: str, catalog: Catalog) -> tuple[str, int]:
    """The skills question with as many numbered skills as fit, and how many that is."""
    question, listed = t(lang, "sms_ask_skills"), 0
    widest_reason = t(lang, "skills_bad", count=len(catalog.skills()))
    for number, skill in enumerate(catalog.skills(), 1):
        longer = f"{question} {number} {skill.name(lang)}"
        if not fits(f"{widest_reason}\n{longer}"):
            break
        question, listed = longer, number
    return question, listed


def _with_question(text: str, state: State, catalog: Catalog) -> str:
    """A reply followed by the pending question, or a pointer to it if both do not fit."""
    if not state:
        return text
    again = f"{text}\n{_question(state, catalog)}"
    more = "sms_problem_continue" if state.get("flow") == sms_problem.FLOW else "sms_continue"
    return again if fits(again) else f"{text}\n{t(state['lang'], more)}"


def _answer(state: State, text: str, catalog: Catalog, effects: tuple[Effect, ...]) -> Step:
    """Take the answer to the pending question; ask it again with the reason if wrong."""
    state = {**state, "draft": dict(state.get("draft", {}))}
    if state.get("ask") == RESUME and state.get("lang"):
        return _resume(state, text, catalog, effects)
    if state.get("ask") not in QUESTIONS:
        return _start(state.get("lang") or DEFAULT_LANGUAGE, catalog, effects)
    lang = state["lang"]
    try:
        _ANSWERS[state["ask"]](state, text, catalog)
    except Invalid as wrong:
        reason = t(lang, wrong.reason, **wrong.details)
        return reply(f"{reason}\n{_question(state, catalog)}", state, effects)
    if state["ask"] == "done":
        return _registered(state, effects)
    return reply(_question(state, catalog), state, effects)


def _next(state: State) -> None:
    """Move on to the following question."""
    position = QUESTIONS.index(state["ask"])
    state["ask"] = QUESTIONS[position + 1] if position + 1 < len(QUESTIONS) else "done"


def _answer_name(state: State, text: str, catalog: Catalog) -> None:
    """The villager's name."""
    state["draft"]["name"] = parse_name(text)
    _next(state)


def _answer_sex(state: State, text: str, catalog: Catalog) -> None:
    """The villager's sex."""
    state["draft"]["sex"] = parse_sex(text)
    _next(state)


def _answer_birth_year(state: State, text: str, catalog: Catalog) -> None:
    """The villager's year of birth."""
    state["draft"]["birth_year"] = parse_birth_year(text, catalog.today())
    _next(state)


def _answer_township(state: State, text: str, catalog: Catalog) -> None:
    """A number from the list of matches, or a township name to look up."""
    matches = state.pop("matches", None)
    number = choice(text)
    if matches and number is not None:
        if not 1 <= number <= len(matches):
            state["matches"] = matches
            raise Invalid("retry")
        county, township, _ = matches[number - 1]
    else:
        found = _find(text, state["lang"], catalog)
        if len(found) > 1:
            state["matches"] = [[c.key, w.key, _place(c, w, state["lang"])] for c, w in found]
            return
        county, township = found[0][0].key, found[0][1].key
    state["draft"].update(county=county, township=township)
    _next(state)


def _find(text: str, lang: str, catalog: Catalog) -> Sequence[tuple[Option, Option]]:
    """The townships matching a typed name: at least one, and few enough to list."""
    entry = clean(text)
    found = catalog.find_townships(entry) if entry else []
    if not found:
        raise Invalid("township_missing", text=echo(text))
    if len(found) > MAX_MATCHES:
        raise Invalid("township_too_many")
    return found


def _place(county: Option, township: Option, lang: str) -> str:
    """A township named with its county, to tell namesakes apart."""
    return t(lang, "summary_place", county=county.name(lang), township=township.name(lang))


def _answer_skills(state: State, text: str, catalog: Catalog) -> None:
    """Skill numbers separated by spaces or commas, or 0 for none."""
    listed = _skills_question(state["lang"], catalog)[1]
    tokens = [token for token in _NUMBER_SEPARATORS.split(clean(text)) if token]
    if tokens == ["0"]:
        numbers: list[int] = []
    elif tokens and all(token.isascii() and token.isdigit() for token in tokens):
        numbers = sorted({int(token) for token in tokens})
    else:
        raise Invalid("skills_bad", count=listed)
    if not all(1 <= number <= listed for number in numbers):
        raise Invalid("skills_bad", count=listed)
    state["draft"]["skills"] = [catalog.skills()[number - 1].key for number in numbers]
    _next(state)


def _answer_outside(state: State, text: str, catalog: Catalog) -> None:
    """Whether the villager would work outside the province."""
    state["draft"]["outside_province"] = parse_yes_no(text)
    _next(state)


_ANSWERS: dict[str, Callable[[State, str, Catalog], None]] = {
    "name": _answer_name,
    "sex": _answer_sex,
    "birth_year": _answer_birth_year,
    "township": _answer_township,
    "skills": _answer_skills,
    "outside": _answer_outside,
}


def _registered(state: State, effects: tuple[Effect, ...]) -> Step:
    """The end of the questions: register the villager."""
    lang = state["lang"]
    draft = {key: state["draft"][key] for key in _PROFILE_FIELDS if key in state["draft"]}
    profile = Profile.from_json({**draft, "sms_consent": True, "language": lang})
    text = t(lang, "sms_registered", name=profile.name)
    return reply(text, {}, (*effects, Register(profile)))


# The one-line form: REG name, sex, year of birth, township.


def _one_line(fields: str, lang: str, catalog: Catalog, effects: tuple[Effect, ...]) -> Step:
    """Register at once from one message, or say which fields are wrong."""
    parts = [part.strip() for part in _FORM_SEPARATORS.split(fields)]
    if len(parts) != 4 or not all(parts):
        example = catalog.townships(catalog.counties()[0].key)[0].name(lang)
        return reply(t(lang, "sms_form_format", example=example), {}, effects)
    name, sex, year, place = parts
    reasons: list[str] = []
    checks: list[Callable[[], object]] = [
        lambda: parse_name(name),
        lambda: parse_sex(sex),
        lambda: parse_birth_year(year, catalog.today()),
        lambda: _one_township(place, lang, catalog),
    ]
    for check in checks:
        try:
            check()
        except Invalid as wrong:
            reasons.append(t(lang, wrong.reason, **wrong.details))
    if reasons:
        text = t(lang, "sms_form_wrong", reasons=t(lang, "sms_reason_sep").join(reasons))
        return reply(text, {}, effects)
    county, township = _one_township(place, lang, catalog)
    profile = Profile(
        name=parse_name(name),
        sex=parse_sex(sex),
        birth_year=parse_birth_year(year, catalog.today()),
        county=county,
        township=township,
        sms_consent=True,
        language=lang,
    )
    return reply(t(lang, "sms_registered", name=profile.name), {}, (*effects, Register(profile)))


def _one_township(text: str, lang: str, catalog: Catalog) -> tuple[str, str]:
    """The one township a typed name stands for; refused if none or several match."""
    found = _find(text, lang, catalog)
    if len(found) > 1:
        names = t(lang, "list_sep").join(_place(c, w, lang) for c, w in found[:3])
        raise Invalid("township_many", names=names)
    return found[0][0].key, found[0][1].key
