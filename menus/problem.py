""""Report a problem" (main menu item 4): category, description, anonymity, confirm.

The answers so far live in the state's `problem` dict (`category`, `description`,
`anonymous`). Confirming returns ReportProblem; the case gets its number only when the
gateway applies that effect, after this step. So the last screen (`problem_sent`, END)
says the number comes by SMS, and a gateway that knows the number shows `reported(...)`
in its place (smsgateway.web.ussd does): the villager sees the number on the screen and
has it in the SMS that open_case sends.
"""

from __future__ import annotations

from collections.abc import Sequence

from menus.budget import fits_ussd
from menus.flow import Reply, Screen, goto, language, reserve
from menus.pages import clip
from menus.texts import t
from menus.types import CASE_CATEGORIES, DESCRIPTION_MAX, Catalog, ReportProblem, State
from menus.validate import Invalid, choice, parse_yes_no

SEND = 1
# A USSD reply carries at most 182 GSM characters (fewer in UCS-2): ask no more than that.
USSD_DESCRIPTION_MAX = 160


def enter_problem(state: State) -> None:
    """Open "Report a problem" with nothing answered yet."""
    state["problem"] = {}
    goto(state, "problem_category")


def category_name(lang: str, category: str) -> str:
    """A category's name in the language."""
    return t(lang, f"case_{category}")


def parse_category(text: str) -> str:
    """A category from its number (1-6)."""
    number = choice(text)
    if number is None or not 1 <= number <= len(CASE_CATEGORIES):
        raise Invalid("problem_category_bad", count=len(CASE_CATEGORIES))
    return CASE_CATEGORIES[number - 1]


def parse_description(text: str, most: int | None = None) -> str:
    """What the villager wrote, as written but for runs of spaces and line breaks (no
    NFKC: "，" stays "，"); refused when empty or longer than `most`; without `most`, kept
    whole up to DESCRIPTION_MAX characters (what a case holds)."""
    entry = " ".join(text.split())
    if not entry:
        raise Invalid("problem_description_empty")
    if most is not None and len(entry) > most:
        raise Invalid("problem_description_long", max=most)
    return entry[:DESCRIPTION_MAX]


def reported(lang: str, numbers: Sequence[int]) -> str:
    """The last USSD screen once the gateway applied ReportProblem: the case's number, or
    (no case opened: the phone is not registered) a request to register first."""
    if numbers:
        return t(lang, "problem_reported", number=numbers[-1])
    return t(lang, "problem_not_registered")


def has_what_it_shows(state: State) -> bool:
    """True when the state holds the answers the problem screen on show needs."""
    problem = state.get("problem")
    if not isinstance(problem, dict) or state.get("profile") is None:
        return False
    needs = _NEEDS[state["screen"]]
    return all(key in problem for key in needs) and (
        "category" not in needs or problem["category"] in CASE_CATEGORIES)


# The screens.


def render_category(state: State, catalog: Catalog) -> str:
    """The categories, numbered."""
    lang = language(state)
    lines = [f"{n} {category_name(lang, c)}" for n, c in enumerate(CASE_CATEGORIES, 1)]
    return "\n".join([t(lang, "problem_title"), *lines, t(lang, "back")])


def answer_category(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the category; ask for the description."""
    state["problem"] = {"category": parse_category(entry)}
    goto(state, "problem_describe")
    return Reply()


def answer_describe(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take the description (not empty, within one USSD reply); ask about anonymity."""
    state["problem"]["description"] = parse_description(entry, USSD_DESCRIPTION_MAX)
    goto(state, "problem_anonymous")
    return Reply()


def answer_anonymous(state: State, entry: str, catalog: Catalog) -> Reply:
    """Take yes (anonymous) or no; show the report to confirm."""
    state["problem"]["anonymous"] = parse_yes_no(entry)
    goto(state, "problem_confirm")
    return Reply()


def render_confirm(state: State, catalog: Catalog) -> str:
    """The report to confirm, the description clipped to fit under a retry line."""
    lang, problem = language(state), state["problem"]
    values = {"category": category_name(lang, problem["category"]),
              "anonymous": t(lang, "yes" if problem["anonymous"] else "no")}
    footer, top = t(lang, "problem_confirm_footer"), reserve(lang)

    def screen(description: str) -> str:
        return f"{t(lang, 'problem_confirm', description=description, **values)}\n{footer}"

    shown = clip(problem["description"], lambda d: fits_ussd(f"{top}\n{screen(d)}"),
                 t(lang, "ellipsis"))
    return screen(shown)


def answer_confirm(state: State, entry: str, catalog: Catalog) -> Reply:
    """On 1, send the report."""
    if choice(entry) != SEND:
        raise Invalid("retry")
    problem = state["problem"]
    state["screen"], state["page"] = "problem_sent", 0
    return Reply((ReportProblem(problem["category"], problem["description"],
                                problem["anonymous"]),))


def _ended(state: State, entry: str, catalog: Catalog) -> Reply:
    """The last screen ends the session: it takes no answer."""
    raise Invalid("retry")


# The answers each screen needs in `state["problem"]`.
_NEEDS: dict[str, tuple[str, ...]] = {
    "problem_category": (),
    "problem_describe": ("category",),
    "problem_anonymous": ("category", "description"),
    "problem_confirm": ("category", "description", "anonymous"),
    "problem_sent": (),
}

SCREENS: dict[str, Screen] = {
    "problem_category": Screen(render_category, answer_category),
    "problem_describe": Screen(lambda state, catalog: t(language(state), "problem_describe"),
                               answer_describe),
    "problem_anonymous": Screen(lambda state, catalog: t(language(state), "problem_anonymous"),
                                answer_anonymous),
    "problem_confirm": Screen(render_confirm, answer_confirm),
    "problem_sent": Screen(lambda state, catalog: t(language(state), "problem_sent"), _ended,
                           end=True),
}
