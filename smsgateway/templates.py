"""Message templates: every SMS Jobline sends as fixed catalogue text with numbered variables.

Providers in mainland China send only approved templates: fixed wording with numbered
variables (`{1}`, `{2}`), each within a per-variable limit (`VARIABLE_LIMIT`). A template here is a
catalogue text (`menus.texts`) whose named fields become numbered variables in the order
they first appear: `注册成功！谢谢您，{name}。…` is submitted as `注册成功！谢谢您，{1}。…`.
`templated(lang, key, **values)` builds a message's text where it is written, cutting each
value to the limit first, and keeps the template's key, language and values with the
message (the outbox's `template` column), so a templated provider sends exactly that text.

`TEMPLATES` lists each template with the message kind it is sent as and, per variable, the
longest value it can take (`jobline templates export` prints them for approval).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from menus.texts import CATALOGUES, DEFAULT_LANGUAGE, t
from menus.validate import NAME_MAX

# Characters one variable's value may have. Domestic providers limit each variable of a
# notification template, by account type; 35 is the limit we build to (check the one your
# account was given when its templates are approved, and lower this if it is smaller).
VARIABLE_LIMIT = 35
NAME_LIMIT = NAME_MAX  # a villager's name is never cut


@dataclass(frozen=True)
class Templated:
    """A message's text and the template it was built from."""

    text: str
    key: str
    lang: str
    values: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """What the outbox keeps: `{"key", "lang", "values"}`."""
        return {"key": self.key, "lang": self.lang, "values": list(self.values)}


@dataclass(frozen=True)
class Template:
    """One template to submit: the kind of message, and the longest value of each variable
    (by field name; a field the text builder cuts is at most `VARIABLE_LIMIT`)."""

    kind: str
    longest: dict[str, int] = field(default_factory=dict)


# Every template Jobline sends, by catalogue key.
TEMPLATES: dict[str, Template] = {
    "sms_registered": Template("registration", {"name": NAME_LIMIT}),
    "sms_registered_by_officer": Template("registration", {"name": NAME_LIMIT}),
    "ussd_dropped_register": Template("ussd_dropped", {"code": VARIABLE_LIMIT}),
    "ussd_dropped_edit": Template("ussd_dropped", {"code": VARIABLE_LIMIT}),
    "sms_family_named": Template("family", {"name": NAME_LIMIT}),
    "sms_family_departed": Template("family", {"name": NAME_LIMIT, "city": VARIABLE_LIMIT}),
    "sms_family_arrived": Template("family", {"name": NAME_LIMIT, "city": VARIABLE_LIMIT}),
    "sms_checkin": Template("checkin", {"title": VARIABLE_LIMIT}),
    "sms_checkin_reminder": Template("checkin"),
    "sms_case_opened": Template("case", {"number": 8}),
    "wechat_code_sms": Template("wechat_code", {"code": 6}),
    # Applications (postings/applications.py): the agency's decisions, a rejection's reason
    "sms_application_shortlisted": Template("application", {
        "title": VARIABLE_LIMIT, "job": 8, "code": 12}),
    "sms_application_confirmed": Template("application", {
        "title": VARIABLE_LIMIT, "job": 8, "code": 12}),
    "sms_application_rejected": Template("application", {
        "title": VARIABLE_LIMIT, "job": 8, "reason": VARIABLE_LIMIT}),
    "sms_training_cancelled": Template("training-cancelled", {
        "id": 8, "trade": VARIABLE_LIMIT, "dates": VARIABLE_LIMIT}),
    # Job alerts (postings/core.py alert_text) and training texts (menus/trainingtext.py),
    # written as text and recognised; a training's place is its township and county
    "sms_job_alert": Template("alert", {
        "job": 8, "title": VARIABLE_LIMIT, "place": VARIABLE_LIMIT, "wage_min": 6,
        "wage_max": 6, "code": 12}),
    "sms_training_notice": Template("training", {
        "id": 8, "trade": VARIABLE_LIMIT, "place": VARIABLE_LIMIT, "dates": VARIABLE_LIMIT}),
    "sms_training_reminder": Template("training-reminder", {
        "trade": VARIABLE_LIMIT, "place": VARIABLE_LIMIT, "dates": VARIABLE_LIMIT}),
    "sms_enrol_lost": Template("training-lost", {
        "id": 8, "trade": VARIABLE_LIMIT, "dates": VARIABLE_LIMIT}),
    "sms_enrolled": Template("reply", {
        "id": 8, "trade": VARIABLE_LIMIT, "place": VARIABLE_LIMIT, "dates": VARIABLE_LIMIT}),
    # Keyword replies of the SMS conversation that are one catalogue text
    "sms_opted_out": Template("opt_out"),
    "sms_opted_in": Template("reply"),
    "sms_still_opted_out": Template("reply"),
    "sms_help": Template("reply"),
    "sms_unknown": Template("reply"),
    "sms_already": Template("reply", {"name": NAME_LIMIT}),
    "sms_checkin_well": Template("reply"),
    "sms_checkin_problem": Template("reply"),
    "sms_checkin_home": Template("reply"),
    "sms_ask_resume": Template("reply"),
    "sms_ask_name": Template("reply"),
    "sms_ask_sex": Template("reply"),
    "sms_ask_birth_year": Template("reply"),
    "sms_ask_township": Template("reply", {"example": VARIABLE_LIMIT}),
    "sms_ask_outside": Template("reply"),
    "sms_no_jobs": Template("reply"),
    "sms_no_jobs_register": Template("reply"),
    "sms_not_a_job": Template("reply", {"id": 12}),
    "sms_number_usage": Template("reply", {"word": 8}),
    "sms_problem_register_first": Template("reply"),
    "sms_ask_problem_description": Template("reply"),
    # Departures (followup/departures.py); `when` is a short local date and time
    "sms_departure_reminder": Template("departure_reminder", {
        "title": VARIABLE_LIMIT, "when": 20, "place": VARIABLE_LIMIT, "escort": NAME_LIMIT,
        "phone": 16}),
    "sms_departure_moved": Template("departure_moved", {
        "title": VARIABLE_LIMIT, "when": 20, "place": VARIABLE_LIMIT}),
    "sms_departure_cancelled": Template("departure_cancelled", {
        "title": VARIABLE_LIMIT, "when": 20}),
}


def fields(key: str, lang: str) -> list[str]:
    """The named fields of a catalogue text, in the order they first appear."""
    names: list[str] = []
    for _, name, _, _ in string.Formatter().parse(CATALOGUES[lang][key]):
        if name and name not in names:
            names.append(name)
    return names


def wording(key: str, lang: str) -> str:
    """The text to submit: the catalogue text with `{1}`, `{2}`… for its fields."""
    numbers = {name: f"{{{n}}}" for n, name in enumerate(fields(key, lang), 1)}
    return CATALOGUES[lang][key].format(**numbers)


def cut(value: object, limit: int = VARIABLE_LIMIT) -> str:
    """A variable's value within the provider's limit."""
    return str(value)[:limit]


def templated(lang: str | None, key: str, **values: object) -> Templated:
    """The message built from template `key` in `lang` (unknown or None: the default
    language, as `t` does), each value cut to the limit."""
    lang = lang if lang in CATALOGUES else DEFAULT_LANGUAGE
    assert lang is not None
    if key not in TEMPLATES:
        raise KeyError(f"{key} is not a template")
    kept = {name: cut(value, TEMPLATES[key].longest.get(name, VARIABLE_LIMIT))
            for name, value in values.items()}
    names = fields(key, lang)
    return Templated(t(lang, key, **kept), key, lang, tuple(kept[name] for name in names))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Each template's catalogue text as a pattern whose groups are its fields."""
    found = []
    for key in TEMPLATES:
        for lang, texts in CATALOGUES.items():
            pattern, seen = "", set()
            for literal, name, _, _ in string.Formatter().parse(texts[key]):
                pattern += re.escape(literal)
                if name:
                    pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
                    seen.add(name)
            found.append((key, lang, re.compile(pattern, re.DOTALL)))
    return tuple(found)


def recognise(text: str) -> Templated | None:
    """The template a text was built from when exactly one template's wording gives it
    (its values read back from the text): messages written as plain text (the
    conversation's keyword replies, departure notices) are kept with their template too."""
    found = []
    for key, lang, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            values = tuple(match.group(name) for name in fields(key, lang))
            found.append(Templated(text, key, lang, values))
    return found[0] if len(found) == 1 else None


def export() -> list[dict[str, Any]]:
    """What to submit for approval: per template and language, its kind, wording and the
    longest value of each numbered variable."""
    rows = []
    for key, template in TEMPLATES.items():
        for lang in CATALOGUES:
            variables = [{"number": n, "field": name,
                          "longest": template.longest.get(name, VARIABLE_LIMIT)}
                         for n, name in enumerate(fields(key, lang), 1)]
            rows.append({"template": f"{key}.{lang}", "kind": template.kind, "language": lang,
                         "wording": wording(key, lang), "variables": variables})
    return rows
