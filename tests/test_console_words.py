"""Every value an officer reads is in their language: a crawl of every console page.

Signed in as officer, agency and admin, the crawl follows every link from the dashboard and
the navigation through a world with a row in every state (tests/console_world.py), in
Chinese and in English, and reads each page's visible text (and its placeholders, titles and
accessible names). In Chinese it fails on any Latin word but a few names (Jobline, USSD…);
in English on any code word: an enum value, an area code, a skill code, a language code.
People's own data (names, phones, message texts, typed places) is marked translate="no" and
left out; so is nothing else.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

from smsgateway.console import words
from smsgateway.kernel.areas import area_data, skills
from smsgateway.models import (
    ApplicationStatus,
    BroadcastStatus,
    CaseCategory,
    CaseStatus,
    DepartureStatus,
    EnrolmentStatus,
    MessageStatus,
    PostingStatus,
    Role,
    TrainingStatus,
)
from smsgateway.services import QUEUE_NAMES

from .console_world import MESSAGE_KINDS, build_every_state
from .scope_world import console_as

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
# Latin words a Chinese page may show: the product's name, the language switch's "English",
# and what villagers type or see on their phones.
LATIN_IN_CHINESE = {"Jobline", "English", "USSD", "CSV", "STOP", "HELP"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]|[A-Za-z]{2,}")


class VisibleText(HTMLParser):
    """The text a reader sees (and hears: accessible names, placeholders), without scripts,
    styles, the head, and elements marked translate="no" (people's own data)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []
        self.links: list[str] = []

    def hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skip = (tag in ("script", "style", "head") or values.get("translate") == "no"
                or self.hidden())
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if not skip:
            self.parts.extend(str(values[a]) for a in SHOWN_ATTRIBUTES if values.get(a))
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden() and data.strip():
            self.parts.append(data.strip())


def code_words() -> set[str]:
    """Every code a page could leak: enum values, area codes, skill codes, language codes,
    channels, message kinds, queue names."""
    found: set[str] = {"zh", "en", "ussd", "sms", "officer", "checkin", "console"}
    for enum in (PostingStatus, ApplicationStatus, EnrolmentStatus, TrainingStatus,
                 DepartureStatus, CaseStatus, CaseCategory, MessageStatus, BroadcastStatus,
                 Role):
        found |= {member.value for member in enum}
    city = area_data()["city"]
    found.add(city["code"])
    for county in city["counties"]:
        found.add(county["code"])
        found |= {t["code"] for t in county.get("townships", [])}
    found |= {s.key for s in skills()}
    found |= {k.split(":")[0] for k in MESSAGE_KINDS}
    found |= set(QUEUE_NAMES) | {"no_answer", "confirmed", "declined", "opened", "assigned"}
    return found


def english_words() -> set[str]:
    """The words the English catalogue itself uses: a code that is also one of them ('sent',
    'open') is an English word on an English page."""
    texts = [en for _, en in words.WORDS.values()]
    texts += [en for table in words.VALUES.values() for _, en in table.values()]
    texts += [s.en for s in skills()]
    return {w for text in texts for w in WORD.findall(text)}


def crawl(client, start: list[str]) -> dict[str, VisibleText]:
    """Every console page reachable by links from `start` (GET only; not the CSV or JSON
    forms, not another site)."""
    seen: dict[str, VisibleText] = {}
    todo = list(start)
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        response = client.get(path, follow_redirects=True)  # /report picks this month
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response.request.path != "/console/sign-in", path
        if response.status_code == 404 and not path.endswith("/no-such-page"):
            raise AssertionError(f"a link to {path} answers 404")
        parser = VisibleText()
        parser.feed(response.get_data(as_text=True))
        seen[path] = parser
        for href in parser.links:
            target = urlparse(urljoin("http://localhost" + path, href))
            if target.netloc != "localhost" or not target.path.startswith("/console"):
                continue
            if "format=" in target.query or target.path.endswith(".csv"):
                continue
            todo.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.fixture
def world(app, client):
    return build_every_state(app, client)


def _pages(app, world, role: str, language: str) -> dict[str, VisibleText]:
    client, _ = console_as(app, world, role)
    with client.session_transaction() as session:
        session["lang"] = language
    start = ["/console/", "/console/no-such-page"]
    if role != "owner":  # the staff pages an agency has no link to
        start += ["/console/villagers", "/console/broadcasts", "/console/trainings",
                  "/console/follow-up", "/console/agencies", "/console/simulator",
                  "/console/report"]
    return crawl(client, start)


def _offending(pages: dict[str, VisibleText], bad) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path, parser in pages.items():
        hits = {w for text in parser.parts for w in WORD.findall(text) if bad(w)}
        if hits:
            found[path] = hits
    return found


@pytest.mark.parametrize("role", ["officer", "owner", "admin"])
def test_every_console_page_in_chinese_shows_no_code_or_english_word(app, world, role):
    """In Chinese, no page shows a Latin word but the product's name and what villagers
    type (USSD, STOP…): no status, area or skill code, no untranslated English."""
    pages = _pages(app, world, role, "zh")
    assert len(pages) > (20 if role != "owner" else 8), sorted(pages)
    codes = code_words()
    offending = _offending(pages, lambda w: w not in LATIN_IN_CHINESE)
    assert offending == {}, offending
    # The crawl reached the rows in every state, and they read in Chinese.
    text = " ".join(" ".join(p.parts) for p in pages.values())
    if role != "owner":
        for kind, value in (("posting_status", "pending_vetting"),
                            ("application_status", "no_show"),
                            ("enrolment_status", "absent"), ("training_status", "cancelled"),
                            ("departure_status", "departed"), ("case_status", "in_progress"),
                            ("case_category", "ill_treatment"),
                            ("message_status", "undelivered"),
                            ("broadcast_status", "fanning_out")):
            assert words.say("zh", kind, value) in text, (kind, value)
        assert "永德县 · 德党镇" in text and "家电维修" in text
    assert not codes & {w for p in pages.values() for t in p.parts for w in WORD.findall(t)}


@pytest.mark.parametrize("role", ["officer", "owner", "admin"])
def test_every_console_page_in_english_shows_no_code_word(app, world, role):
    """In English, no page shows a code: `pending_vetting`, `yongde.dedang`, `zh`, `ussd`,
    `queued`… (a code that is also an English word of the catalogue, like 'sent', is fine)."""
    pages = _pages(app, world, role, "en")
    codes = code_words() - english_words()
    assert {"pending_vetting", "yongde.dedang", "zh", "queued", "appliance_repair",
            "ussd"} <= codes
    offending = _offending(pages, lambda w: w in codes)
    assert offending == {}, offending
    text = " ".join(" ".join(p.parts) for p in pages.values())
    if role != "owner":
        assert "Yongde County · Dedang Town" in text
        assert "awaiting vetting" in text and "waiting" in text


def test_the_crawl_fails_on_a_code_word():
    """The checks catch what they are for: a raw status or area code, and English on a
    Chinese page, are found; translated text and marked data are not."""
    parser = VisibleText()
    parser.feed('<p>状态 pending_vetting</p><p>yongde.dedang</p><td translate="no">Li Wei'
                '</td><p>已发送</p><input placeholder="phone or name"><script>x.sent</script>')
    pages = {"/p": parser}
    assert _offending(pages, lambda w: w not in LATIN_IN_CHINESE) == {
        "/p": {"pending_vetting", "yongde.dedang", "phone", "or", "name"}}
    codes = code_words() - english_words()
    assert _offending(pages, lambda w: w in codes) == {"/p": {"pending_vetting",
                                                               "yongde.dedang"}}


def test_a_shown_value_has_both_languages_for_every_state():
    """Every state of every lifecycle, every category and role has a word in both
    languages: none falls back to its code."""
    for kind, enum in (("posting_status", PostingStatus),
                       ("application_status", ApplicationStatus),
                       ("enrolment_status", EnrolmentStatus),
                       ("training_status", TrainingStatus),
                       ("departure_status", DepartureStatus), ("case_status", CaseStatus),
                       ("case_category", CaseCategory), ("message_status", MessageStatus),
                       ("broadcast_status", BroadcastStatus), ("role", Role)):
        for member in enum:
            for language in ("zh", "en"):
                shown = words.say(language, kind, member)
                assert shown != member.value or shown in english_words(), (kind, member)
                assert shown != member.value or language == "en", (kind, member)
    for kind in MESSAGE_KINDS:
        assert words.say("zh", "message_kind", kind) != kind
