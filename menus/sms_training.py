"""SMS training keywords: TRAIN/培训 lists the open sessions with their numbers, TRAIN 5/培训 5
enrols.

`answer` takes the villager's text (already `clean`ed) and returns the reply and its
effects, or None when the text is not a training keyword. Like the job keywords it keeps
no conversation state: TRAIN 5 enrols at once (Enrol) after the catalog said it may.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from menus.sms_reply import echo, first_fitting
from menus.texts import t
from menus.trainingtext import enrolled, span
from menus.types import Catalog, Contact, Effect, Enrol

Answer = tuple[str, tuple[Effect, ...]]

_KEYWORD = re.compile(r"^(?P<word>TRAINING|TRAIN|培训)(?:[\s#:+.\-]*(?P<arg>.*))?$", re.DOTALL)
_NUMBER = re.compile(r"[0-9]+")
TOP = 3  # sessions listed by TRAIN
NUMBER_MAX = 9  # digits of the longest session number looked up


def answer(text: str, lang: str, contact: Contact, catalog: Catalog) -> Answer | None:
    """The reply to a training keyword and its effects, or None when `text` is not one."""
    found = _KEYWORD.match(text.upper())
    if not found:
        return None
    arg = " ".join((found.group("arg") or "").split())
    if arg and not _NUMBER.fullmatch(arg):
        return None  # "TRAIN DRIVER…": not a keyword after all
    if contact.profile is None:
        return t(lang, "sms_train_register_first"), ()
    if not arg:
        return _list(lang, catalog), ()
    if len(arg) > NUMBER_MAX:
        return t(lang, "sms_not_a_training", id=echo(arg, 12)), ()
    return _enrol(int(arg), lang, catalog)


def _list(lang: str, catalog: Catalog) -> str:
    """The soonest sessions open to the villager with their numbers, and how to enrol."""
    trainings = list(catalog.trainings())
    if not trainings:
        return t(lang, "sms_no_trainings")
    today = catalog.today()

    def candidates() -> Iterator[str]:
        for count in range(min(TOP, len(trainings)), 0, -1):
            lines = [t(lang, "sms_trainings_title")]
            for training in trainings[:count]:
                key = "sms_training_line_mine" if training.enrolled else "sms_training_line"
                lines.append(t(lang, key, id=training.id, trade=training.trade.name(lang),
                               township=training.township.name(lang),
                               dates=span(training, today, lang), left=training.places_left))
            if count < len(trainings):
                lines.append(t(lang, "sms_trainings_more", count=len(trainings)))
            first = next((tr for tr in trainings[:count] if not tr.enrolled), trainings[0])
            lines.append(t(lang, "sms_trainings_hint", id=first.id))
            yield "\n".join(lines)

    return first_fitting(candidates())


def _enrol(training_id: int, lang: str, catalog: Catalog) -> Answer:
    """Enrol in a session, or say why not and what to do instead."""
    training = catalog.training(training_id)
    if training is None:
        return t(lang, "sms_not_a_training", id=training_id), ()
    refusal = catalog.can_enrol(training_id)
    if refusal is not None:
        reason = t(lang, f"enrol_refuse_{refusal}")
        return t(lang, "sms_enrol_refused", id=training_id, reason=reason), ()
    return enrolled(training, lang, catalog.today()), (Enrol(training_id),)
