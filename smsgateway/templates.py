"""Message templates: every SMS Jobline sends as fixed catalogue text with numbered variables.

Providers in mainland China send only approved templates: fixed wording with numbered
variables (`{1}`, `{2}`), each within a per-variable limit (`VARIABLE_LIMIT`). A template here is a
catalogue text (`menus.texts`) whose named fields become numbered variables in the order
they first appear: `注册成功！谢谢您，{name}。…` is submitted as `注册成功！谢谢您，{1}。…`.
`templated(lang, key, **values)` builds a message's text where it is written, cutting each
value to the limit first (and free texts further, until the text fits its segment cap:
`menus.capped`), and keeps the template's key, language and values with the
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

from menus.capped import fitting
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
    # False for a carrier whose wording is mostly variables (`sms_reply_composed`): built
    # explicitly, never recognised in a plain text (its wording would match almost any).
    recognised: bool = True


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
    # Broadcasts on a templated provider: an officer picks one and fills it
    # (smsgateway/broadcasts/wording.py); `date` and `time` as the officer writes them
    "sms_broadcast_notice": Template("broadcast", {"text": VARIABLE_LIMIT}),
    "sms_broadcast_meeting": Template("broadcast", {
        "date": 20, "time": 12, "place": VARIABLE_LIMIT}),
    "sms_broadcast_training": Template("broadcast", {
        "trade": VARIABLE_LIMIT, "date": 20, "place": VARIABLE_LIMIT}),
    # Cohorts (followup/cohorts.py): leaders told their role, team reports asked and chased,
    # the family asked about an unanswered arrival; the replies to TEAM and to the family's digit
    "sms_leader_squad": Template("cohort", {"when": 12, "city": 20}),
    "sms_leader_vice_squad": Template("cohort", {"when": 12, "city": 20}),
    "sms_leader_team": Template("cohort", {"city": 20, "team": 2, "size": 3}),
    "sms_team_report_due": Template("team-report", {"team": 2}),
    "sms_team_report_chase": Template("team-report", {"team": 2}),
    "sms_family_heard_question": Template("family", {"name": NAME_LIMIT, "city": 20}),
    "sms_team_ok": Template("reply", {"team": 2}),
    "sms_team_problem": Template("reply", {"team": 2, "count": 3}),
    "sms_team_already": Template("reply", {"team": 2}),
    "sms_team_usage": Template("reply"),
    "sms_team_not_leader": Template("reply", {"team": 9}),
    "sms_team_too_many": Template("reply", {"team": 2, "size": 3}),
    "sms_family_heard_yes": Template("reply", {"name": NAME_LIMIT}),
    "sms_family_heard_no": Template("reply", {"name": NAME_LIMIT}),
    "sms_family_heard_already": Template("reply", {"name": NAME_LIMIT}),
    # Pay checks (followup/paychecks.py); `month` is "10月" / "September"
    "sms_pay_check": Template("paycheck", {"month": 9}),
    "sms_pay_check_reminder": Template("paycheck", {"month": 9}),
    # Recruitment days (postings/recruitment_days.py); `date` a short local date, `time` HH:MM
    "sms_interview_invite": Template("interview-invite", {
        "title": VARIABLE_LIMIT, "place": VARIABLE_LIMIT, "date": 12}),
    "sms_interview_reminder": Template("interview-reminder", {
        "title": VARIABLE_LIMIT, "time": 5, "place": VARIABLE_LIMIT}),
    "sms_interview_lost": Template("interview-lost", {"time": 5}),
    "sms_interview_cancelled": Template("interview-cancelled", {
        "title": VARIABLE_LIMIT, "place": VARIABLE_LIMIT, "date": 12}),
    "sms_interview_booked": Template("reply", {"date": 12, "time": 5, "place": VARIABLE_LIMIT}),
    "sms_interview_already": Template("reply", {"date": 12, "time": 5, "place": VARIABLE_LIMIT}),
}

# --- Templates for every message (issue 14) ---
# A composed reply of the conversation (a question after its reason, a numbered list, a
# registration's first question after its introduction: a text no single template gives) is
# carried on a templated provider in COMPOSED_PARTS numbered parts of at most VARIABLE_LIMIT
# characters each, after a fixed prefix (`composed`); unused parts are empty. A reply is at
# most SMS_REPLY_MAX_SEGMENTS segments (459 GSM-7 or 201 UCS-2 characters): 14 parts hold it.
COMPOSED_PARTS = 14
COMPOSED_KEY = "sms_reply_composed"
TEMPLATES.update({
    # Case moves (followup/cases.py), with the officer's note as one variable
    "sms_case_in_progress": Template("case", {"number": 8}),
    "sms_case_resolved": Template("case", {"number": 8}),
    "sms_case_closed": Template("case", {"number": 8}),
    "sms_case_in_progress_note": Template("case", {"number": 8, "note": VARIABLE_LIMIT}),
    "sms_case_resolved_note": Template("case", {"number": 8, "note": VARIABLE_LIMIT}),
    "sms_case_closed_note": Template("case", {"number": 8, "note": VARIABLE_LIMIT}),
    # An application a race refused (conversation/effects.py), one template per reason
    **{f"sms_apply_lost_{reason}": Template("apply-lost", {"id": 8, "title": VARIABLE_LIMIT})
       for reason in ("not_registered", "closed", "not_eligible", "already_applied", "full")},
    # The farewell after an erasure (villagers/erasure.py)
    "sms_erased": Template("erased"),
    COMPOSED_KEY: Template("reply", {f"p{n}": VARIABLE_LIMIT
                                     for n in range(1, COMPOSED_PARTS + 1)}, recognised=False),
})


def composed(lang: str | None, text: str) -> Templated:
    """A conversation reply no single template gives, as the composed carrier: the text in
    parts of VARIABLE_LIMIT characters (nothing of it is lost; a longer text than the parts
    hold, which the reply budget prevents, is cut)."""
    parts = [text[i:i + VARIABLE_LIMIT] for i in range(0, len(text), VARIABLE_LIMIT)]
    parts = (parts + [""] * COMPOSED_PARTS)[:COMPOSED_PARTS]
    return templated(lang, COMPOSED_KEY, **{f"p{n}": part for n, part in enumerate(parts, 1)})


def free_text(lang: str | None, key: str, name: str, text: str, **values: object
              ) -> tuple[Templated, bool]:
    """Template `key` carrying an officer's free `text` as its variable `name`, and whether
    the text had to be cut to the variable's limit (to tell the officer)."""
    text = " ".join(text.split())
    message = templated(lang, key, **{name: text}, **values)
    return message, message.values[fields(key, message.lang).index(name)] != text
# --- end Templates for every message ---


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
    kept = {name: str(value) for name, value in fitting(lang, key, kept).items()}
    names = fields(key, lang)
    return Templated(t(lang, key, **kept), key, lang, tuple(kept[name] for name in names))


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """Each template's catalogue text as a pattern whose groups are its fields."""
    found = []
    for key, template in TEMPLATES.items():
        if not template.recognised:
            continue
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
