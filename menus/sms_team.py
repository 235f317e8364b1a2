"""A team leader's report by SMS: `TEAM 12 OK` / `班组 12 正常`, or a count of members with a
problem and a short text: `TEAM 12 2 pay late` / `班组 12 2 工资晚发`.

The grammar, after NFKC (full-width letters and digits count as plain ones), any case:
    keyword  TEAM | 班组 | 组, then optionally one of `#`, `:`, `：`, `号`
    team     the team's number (digits), spaces around it optional
    then     an OK word (OK, 正常, 好, 都好, 一切正常, 平安, 没问题, 无): all well;
             or a count (digits, optionally followed by 人 or 个) and a short text (may be
             empty): that many members have a problem (0 means all well);
             anything else, or nothing: the usage line.
`TEAM12OK`, `组12正常`, `班组 12：2人 工资晚发` all read. The caller must lead that team in a
cohort still away (else a clear line); a count above the team's size is refused with the
size. A report answers the open round of the schedule; with none open, it is kept as an
extra report, but one saying exactly what the team's last report said is "already noted".

`answer` returns the reply and its effects, or None when the text is not a TEAM keyword.
"""

from __future__ import annotations

import re
import unicodedata

from menus.texts import t
from menus.types import Catalog, Contact, Effect, ReportTeam

Answer = tuple[str, tuple[Effect, ...]]

_KEYWORD = re.compile(r"^(?:TEAM|班组|组)\s*[#:：号]?\s*(?P<team>[0-9]{1,6})(?:\s*[:：,，]?\s*)"
                      r"(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_COUNT = re.compile(r"^(?P<count>[0-9]{1,4})\s*[人个]?\s*[:：,，]?\s*(?P<text>.*)$", re.DOTALL)
OK_WORDS = frozenset({"OK", "正常", "好", "都好", "一切正常", "平安", "没问题", "无", "ALL WELL",
                      "FINE"})
TEXT_MAX = 160  # characters of the report's text that are kept


def parse(text: str) -> tuple[int, bool, int, str] | None | str:
    """(team, all well, count, text) of a TEAM report; "usage" when it is the keyword with
    a grammar we cannot read; None when it is not the keyword at all."""
    entry = unicodedata.normalize("NFKC", text).strip()
    found = _KEYWORD.match(entry)
    if not found:
        return "usage" if entry.upper() in {"TEAM", "班组"} else None
    team, rest = int(found.group("team")), " ".join(found.group("rest").split())
    if rest.upper().rstrip(".!。！") in OK_WORDS:
        return team, True, 0, ""
    counted = _COUNT.match(rest)
    if not counted:
        return "usage"
    count, words = int(counted.group("count")), counted.group("text").strip()[:TEXT_MAX]
    return team, count == 0, count, words


def answer(text: str, lang: str, contact: Contact, catalog: Catalog) -> Answer | None:
    """The reply to a TEAM report and its effects, or None when `text` is not one."""
    parsed = parse(text)
    if parsed is None:
        return None
    if contact.profile is None:
        return t(lang, "sms_register_first"), ()
    if isinstance(parsed, str):
        return t(lang, "sms_team_usage"), ()
    team, all_well, count, words = parsed
    lead = next((lead for lead in catalog.teams_led() if lead.team == team), None)
    if lead is None:
        return t(lang, "sms_team_not_leader", team=team), ()
    if count > lead.size:
        return t(lang, "sms_team_too_many", team=team, size=lead.size), ()
    if lead.asked_at is None and lead.last == (all_well, count, words):
        return t(lang, "sms_team_already", team=team), ()
    effect = ReportTeam(lead.cohort_id, team, all_well, count, words)
    if all_well:
        return t(lang, "sms_team_ok", team=team), (effect,)
    return t(lang, "sms_team_problem", team=team, count=count), (effect,)
