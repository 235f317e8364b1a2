"""SMS problem reports: `PROBLEM` / `投诉` starts a few questions (category by number,
description, anonymous yes or no); `PROBLEM 1 no pay since May` / `投诉 1 五月起没发工资`
reports at once (not anonymous).

A report that is not complete in one message starts the questions, which ask only for what
is missing (what the villager already wrote is kept) and then whether to stay anonymous.
The conversation state is `{"flow": "problem", "lang": ..., "ask": <question>, "draft":
{...}}`. The report itself is ReportProblem; its reply is empty because the SMS that
opening the case sends (with the case's number) is the answer.
"""

from __future__ import annotations

import re

from menus.problem import category_name, parse_category, parse_description
from menus.sms_reply import reply
from menus.texts import DEFAULT_LANGUAGE, t
from menus.types import CASE_CATEGORIES, Contact, Effect, ReportProblem, State, Step
from menus.validate import Invalid, parse_yes_no

FLOW = "problem"
QUESTIONS = ("category", "description", "anonymous")

_KEYWORD = re.compile(r"^(?:PROBLEM(?![A-Za-z])|投诉)[\s:：,，.#]*(?P<rest>.*)$",
                      re.IGNORECASE | re.DOTALL)
_NUMBERED = re.compile(r"^(?P<number>[0-9]+)(?![0-9])[\s:：,，.、]*(?P<description>.*)$",
                       re.DOTALL)


def start(text: str, lang: str, contact: Contact, kept: State,
          effects: tuple[Effect, ...]) -> Step | None:
    """The answer to `PROBLEM …` (`text` already `clean`ed), or None when it is not that.

    A phone that is not registered is told to register first; `kept` (a registration
    under way) stays as it was.
    """
    found = _KEYWORD.match(text)
    if not found:
        return None
    if contact.profile is None:
        return reply(t(lang, "sms_problem_register_first"), kept, effects)
    rest = found.group("rest").strip()
    numbered = _NUMBERED.match(rest)
    draft: dict[str, object] = {}
    wrong: Invalid | None = None
    if numbered:
        try:
            draft["category"] = parse_category(numbered.group("number"))
        except Invalid as refused:
            wrong = refused
        rest = numbered.group("description")
    if rest.strip():
        draft["description"] = parse_description(rest)
    if wrong is None and {"category", "description"} <= draft.keys():
        return _report({**draft, "anonymous": False}, effects)  # the one-line form
    state: State = {"flow": FLOW, "lang": lang, "ask": _missing(draft), "draft": draft}
    top = t(lang, wrong.reason, **wrong.details) if wrong else t(lang, "sms_problem_intro")
    return reply(f"{top}\n{question(state)}", state, effects)


def question(state: State) -> str:
    """The question the report is waiting on."""
    lang = state.get("lang") or DEFAULT_LANGUAGE
    ask = state.get("ask") if state.get("ask") in QUESTIONS else QUESTIONS[0]
    if ask == "category":
        choices = [t(lang, "sms_problem_choice", number=n, name=category_name(lang, c))
                   for n, c in enumerate(CASE_CATEGORIES, 1)]
        return t(lang, "sms_ask_problem_category", choices=t(lang, "list_sep").join(choices))
    return t(lang, f"sms_ask_problem_{ask}")


def waits_for_text(state: State) -> bool:
    """True while the report waits for the description: any words are taken as it, even
    ones that begin like a keyword ("注册时交了500元押金")."""
    return state.get("flow") == FLOW and state.get("ask") == "description"


def answer(state: State, text: str, contact: Contact, effects: tuple[Effect, ...]) -> Step:
    """Take the answer to the pending question; ask it again with the reason if wrong."""
    lang = state["lang"]
    if contact.profile is None:
        return reply(t(lang, "sms_problem_register_first"), {}, effects)
    if not _usable(state):  # not what this module writes: start the questions afresh
        state = {"flow": FLOW, "lang": lang, "ask": QUESTIONS[0], "draft": {}}
        return reply(f"{t(lang, 'sms_problem_intro')}\n{question(state)}", state, effects)
    state = {**state, "draft": dict(state["draft"])}
    ask = state["ask"]
    try:
        if ask == "category":
            state["draft"]["category"] = parse_category(text)
        elif ask == "description":
            state["draft"]["description"] = parse_description(text)
        else:
            state["draft"]["anonymous"] = parse_yes_no(text)
    except Invalid as wrong:
        return reply(f"{t(lang, wrong.reason, **wrong.details)}\n{question(state)}", state,
                     effects)
    missing = _missing(state["draft"])
    if missing == "done":
        return _report(state["draft"], effects)
    state["ask"] = missing
    return reply(question(state), state, effects)


def _usable(state: State) -> bool:
    """True when a stored state has the shape `start` and `answer` write."""
    draft = state.get("draft")
    return (isinstance(draft, dict) and state.get("ask") in QUESTIONS
            and draft.get("category", CASE_CATEGORIES[0]) in CASE_CATEGORIES
            and isinstance(draft.get("description", ""), str)
            and isinstance(draft.get("anonymous", False), bool))


def _missing(draft: dict[str, object]) -> str:
    """The first question not answered yet, or "done"."""
    return next((ask for ask in QUESTIONS if ask not in draft), "done")


def _report(draft: dict[str, object], effects: tuple[Effect, ...]) -> Step:
    """The report is complete: open the case (its SMS, with the number, is the answer)."""
    category, description = str(draft["category"]), str(draft["description"])
    return reply("", {}, (*effects, ReportProblem(category, description,
                                                  bool(draft["anonymous"]))))
