""""Training" (main menu item 3): the open sessions the villager may join, one session's
detail, and enrolling with a confirm step.

Entering the list keeps the ids it shows in the state (`trainings`), so the numbers stay
put while sessions change underneath; `training` holds the session on show, and
`enrol_refusal` why the villager may not enrol in it. Enrol is returned only after the
villager confirms and the catalog said they may.
"""

from __future__ import annotations

from menus.flow import Reply, Screen, footer, goto, language, only_back, open_chosen, reserve
from menus.jobtext import day
from menus.pages import Listing, Pages, page_of, paginate, pick
from menus.texts import t
from menus.trainingtext import detail_lines
from menus.types import ENROL_REFUSALS, Catalog, Enrol, State, Training
from menus.validate import Invalid, choice

CONFIRM = 1


def enter_trainings(state: State, catalog: Catalog) -> None:
    """Open the list of sessions open to the villager, as they stand now."""
    state["trainings"] = [training.id for training in catalog.trainings()]
    goto(state, "trainings")


def has_what_it_shows(state: State) -> bool:
    """True when a training screen's state holds the ids it needs."""
    needs = _NEEDS[state["screen"]]
    value = state.get(needs)
    if needs == "trainings":
        return isinstance(value, list) and all(isinstance(item, int) for item in value)
    if needs == "enrol_refusal":
        return value in ENROL_REFUSALS and isinstance(state.get("training"), int)
    return isinstance(value, int)


def _replace(state: State, screen: str) -> None:
    """Show `screen` in place of the current one: "0 Back" skips the screen it replaces."""
    state["screen"], state["page"] = screen, 0


# The list.


def _listed(state: State, catalog: Catalog) -> list[Training | None]:
    """The sessions of the list, in its order; None for one no longer open."""
    current = {training.id: training for training in catalog.trainings()}
    return [current.get(training_id) or catalog.training(training_id)
            for training_id in state["trainings"]]


def list_pages(state: State, catalog: Catalog) -> tuple[Pages, set[int]]:
    """The sessions, one line each (first day, trade, township), and those the caller is in."""
    lang = language(state)
    listed = _listed(state, catalog)
    lines = tuple(
        t(lang, "training_line", start=day(training.start, catalog.today(), lang),
          trade=training.trade.name(lang), township=training.township.name(lang))
        if training else t(lang, "training_gone_line")
        for training in listed
    )
    listing = Listing(t(lang, "trainings_title"), lines, footer(lang), reserve(lang),
                      mark=t(lang, "mark"), ellipsis=t(lang, "ellipsis"))
    return paginate(listing), {i for i, tr in enumerate(listed) if tr and tr.enrolled}


def render_trainings(state: State, catalog: Catalog) -> str:
    """A page of the sessions (√ those the caller is in), or a note that there are none."""
    if not state["trainings"]:
        return t(language(state), "no_trainings")
    pages, marked = list_pages(state, catalog)
    return pages.render(page_of(state, pages), marked)


def answer_trainings(state: State, entry: str, catalog: Catalog) -> Reply:
    """Open the session chosen, or turn the page."""
    return open_chosen(state, entry, list_pages(state, catalog)[0], "trainings",
                       "training")


# One session, the confirmation, and what came of it.


def _training(state: State, catalog: Catalog) -> Training | None:
    return catalog.training(state["training"])


def training_pages(state: State, training: Training, catalog: Catalog) -> Pages:
    """A session's detail; "1 Enrol" under it, or "already enrolled"."""
    lang = language(state)
    lines = detail_lines(training, lang, catalog.today())
    if training.enrolled:
        lines.append(t(lang, "training_already"))
        last = footer(lang)
    else:
        last = footer(lang, "training_footer", "more_back")
    listing = Listing("", tuple(lines), last, reserve(lang), 0, ellipsis=t(lang, "ellipsis"))
    return paginate(listing)


def render_training(state: State, catalog: Catalog) -> str:
    """The page of the session's detail on show."""
    training = _training(state, catalog)
    if training is None:
        return t(language(state), "training_gone")
    pages = training_pages(state, training, catalog)
    return pages.render(page_of(state, pages))


def answer_training(state: State, entry: str, catalog: Catalog) -> Reply:
    """Turn the page, or on the last page enrol (1) unless already enrolled."""
    training = _training(state, catalog)
    if training is None:
        raise Invalid("retry")
    pages = training_pages(state, training, catalog)
    last = page_of(state, pages) == pages.count() - 1
    if choice(entry) == CONFIRM and last and not training.enrolled:
        goto(state, "training_confirm")
        return Reply()
    pick(pages, state, entry)
    return Reply()


def render_training_confirm(state: State, catalog: Catalog) -> str:
    """Ask to confirm enrolling."""
    lang = language(state)
    training = _training(state, catalog)
    if training is None:
        return t(lang, "training_gone")
    return t(lang, "training_confirm", trade=training.trade.name(lang),
             start=day(training.start, catalog.today(), lang))


def answer_training_confirm(state: State, entry: str, catalog: Catalog) -> Reply:
    """On 1, enrol when the catalog allows it, else say why not."""
    if choice(entry) != CONFIRM or _training(state, catalog) is None:
        raise Invalid("retry")
    refusal = catalog.can_enrol(state["training"])
    if refusal is not None:
        state["enrol_refusal"] = refusal
        _replace(state, "enrol_refused")
        return Reply()
    _replace(state, "training_enrolled")
    return Reply((Enrol(state["training"]),))


def render_refused(state: State, catalog: Catalog) -> str:
    """Why the villager cannot enrol, and what they can do instead."""
    lang = language(state)
    return t(lang, "refused", reason=t(lang, f"enrol_refuse_{state['enrol_refusal']}"))


_NEEDS = {
    "trainings": "trainings",
    "training": "training",
    "training_confirm": "training",
    "training_enrolled": "training",
    "enrol_refused": "enrol_refusal",
}

SCREENS: dict[str, Screen] = {
    "trainings": Screen(render_trainings, answer_trainings),
    "training": Screen(render_training, answer_training),
    "training_confirm": Screen(render_training_confirm, answer_training_confirm),
    "training_enrolled": Screen(lambda state, catalog: t(language(state), "training_enrolled"),
                                only_back),
    "enrol_refused": Screen(render_refused, only_back),
}
