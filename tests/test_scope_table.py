"""Who may call what: every API route (the OpenAPI document's `OPERATIONS`) and every console
page with an id in its URL, tried as each role against a small world of two counties
(`scope_world`), with the answer each role must get.

The cases come from the route lists, not from the table: a route added without a rule here
fails `test_every_route_has_a_rule`, and its own case fails until the table says who may
call it. An answer is one of:
- `OK`: through the door. A read answers 2xx; a write answers 2xx, or 409/422 when the row's
  state or the body refuses it (an earlier role of the same case may have done it already);
  in the console a read is 200 and a write redirects back (not to the sign-in page).
- 401 (no token), 403 (the role may not), 404 (not the caller's to see, or creating in an
  area not their own). The console answers 404 for both 403 and 404, and sends someone not
  signed in to the sign-in page (`SIGN_IN`).

Each case seeds a fresh world and tries the refused roles first (a refusal changes
nothing, so the allowed roles still find the world as it was), then the allowed ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from smsgateway import api
from smsgateway.api import routes as api_routes
from smsgateway.console import routes as console_routes

from .api import posting_body
from .scope_world import ROLES, World, build, console_as

OK, SIGN_IN = "ok", "sign-in"
Rule = dict[str, Any]


def _rule(admin: Any, officer: Any, stranger: Any, owner: Any, other: Any) -> Rule:
    return {"admin": admin, "officer": officer, "stranger": stranger, "owner": owner,
            "other": other, "nobody": 401}


# admin, officer of the area, officer of another county, owning agency, another agency
STAFF_SCOPED = _rule(OK, OK, 404, 403, 403)  # staff only, and only in their area
STAFF_OPEN = _rule(OK, OK, OK, 403, 403)  # staff only; lists are scoped by their rows
EVERYONE_OPEN = _rule(OK, OK, OK, OK, OK)  # any account; lists are scoped by their rows
POSTING_SIDE = _rule(OK, OK, 404, OK, 404)  # the posting's area and its agency
DECIDING = _rule(OK, 403, 403, OK, 404)  # the posting's agency decides on applicants
ADMIN_ONLY = _rule(OK, 403, 403, 403, 403)
RECORD = _rule(OK, OK, OK, OK, 404)  # programme-wide for staff; an agency its own side

Body = Callable[[World], dict[str, Any]] | None


def _start() -> date:
    return date.today() + timedelta(days=10)


def _leaves() -> str:
    when = datetime.combine(date.today() + timedelta(days=25), datetime.min.time(),
                            ZoneInfo("Asia/Shanghai")) + timedelta(hours=9)
    return when.isoformat()


TEXT = {"text_zh": "招工信息", "text_en": "Jobs news"}
MONTH = date.today().strftime("%Y-%m")

# (method, path) -> (rule, body, query string)
API: dict[tuple[str, str], tuple[Rule, Body, str]] = {
    ("POST", "/agencies"): (STAFF_OPEN, lambda w: {
        "name": "Mengding Labour", "licence_number": "LIC-900",
        "licence_expires": "2030-01-01"}, ""),
    ("GET", "/agencies"): (EVERYONE_OPEN, None, ""),
    ("POST", "/agencies/<int:agency_id>/suspend"): (ADMIN_ONLY,
                                                    lambda w: {"suspended": True}, ""),
    ("GET", "/templates"): (ADMIN_ONLY, None, ""),
    ("PUT", "/templates"): (ADMIN_ONLY, lambda w: {"ids": {"sms_help.zh": "1110003"}}, ""),
    ("POST", "/employers"): (EVERYONE_OPEN, lambda w: {
        "name": "Dongguan Works", "city": "Dongguan", "province": "Guangdong"}, ""),
    ("GET", "/employers"): (EVERYONE_OPEN, None, ""),
    ("GET", "/agencies/<int:agency_id>/record"): (RECORD, None, ""),
    ("GET", "/employers/<int:employer_id>/record"): (RECORD, None, ""),
    ("GET", "/record-threshold"): (STAFF_SCOPED, None, "county=yongde"),
    ("PUT", "/record-threshold"): (STAFF_SCOPED, lambda w: {"county": "yongde",
                                                            "percent": 80}, ""),
    ("POST", "/broadcasts/preview"): (STAFF_SCOPED, lambda w: {
        **TEXT, "audience": {"areas": ["yongde"]}}, ""),
    ("POST", "/broadcasts"): (STAFF_SCOPED, lambda w: {
        **TEXT, "audience": {"areas": ["yongde"]}}, ""),
    ("GET", "/broadcasts"): (STAFF_OPEN, None, ""),
    ("GET", "/broadcasts/<int:broadcast_id>"): (STAFF_SCOPED, None, ""),
    ("POST", "/broadcasts/<int:broadcast_id>/cancel"): (STAFF_SCOPED, None, ""),
    ("GET", "/cases"): (EVERYONE_OPEN, None, ""),
    ("GET", "/cases/<int:case_id>"): (POSTING_SIDE, None, ""),
    ("POST", "/cases/<int:case_id>/assign"): (STAFF_SCOPED, lambda w: {
        "user_id": w.users["officer"]}, ""),
    ("POST", "/cases/<int:case_id>/status"): (STAFF_SCOPED,
                                               lambda w: {"status": "in_progress"}, ""),
    ("POST", "/departures"): (STAFF_SCOPED, lambda w: {
        "posting_id": w.ids["posting"], "leaves_at": _leaves(), "place": "Dedang",
        "escort_name": "Li Wei", "escort_phone": "13887654321"}, ""),
    ("GET", "/departures"): (EVERYONE_OPEN, None, ""),
    ("GET", "/departures/<int:departure_id>"): (POSTING_SIDE, None, ""),
    ("POST", "/departures/<int:departure_id>/move"): (STAFF_SCOPED,
                                                      lambda w: {"place": "Mengsa"}, ""),
    ("POST", "/departures/<int:departure_id>/cancel"): (STAFF_SCOPED, None, ""),
    ("POST", "/departures/<int:departure_id>/depart"): (STAFF_SCOPED, None, ""),
    ("GET", "/checkins/follow-up"): (STAFF_OPEN, None, ""),
    # Cohorts: the departure's posting's area; its agency reads
    ("GET", "/departures/<int:departure_id>/cohort"): (POSTING_SIDE, None, ""),
    ("POST", "/departures/<int:departure_id>/cohort/leaders"): (STAFF_SCOPED, lambda w: {
        "role": "squad_leader", "villager_id": w.ids["villager"]}, ""),
    ("PUT", "/departures/<int:departure_id>/cohort/schedule"): (STAFF_SCOPED, lambda w: {
        "every_months": 1, "first_report_on": _start().isoformat()}, ""),
    ("GET", "/cohorts/missed-reports"): (STAFF_OPEN, None, ""),
    ("POST", "/postings"): (POSTING_SIDE, lambda w: posting_body(
        w.ids["employer"], agency_id=w.ids["agency"], area="yongde"), ""),
    ("GET", "/postings"): (EVERYONE_OPEN, None, ""),
    ("GET", "/postings/<int:posting_id>"): (POSTING_SIDE, None, ""),
    ("POST", "/postings/<int:posting_id>/submit"): (POSTING_SIDE, None, ""),
    ("POST", "/postings/<int:posting_id>/vet"): (STAFF_SCOPED,
                                                 lambda w: {"decision": "publish"}, ""),
    ("POST", "/postings/<int:posting_id>/close"): (POSTING_SIDE, None, ""),
    ("GET", "/postings/<int:posting_id>/applications"): (POSTING_SIDE, None, ""),
    ("POST", "/applications/<int:application_id>/shortlist"): (DECIDING,
                                                               lambda w: {}, ""),
    ("POST", "/applications/<int:application_id>/confirm"): (DECIDING, lambda w: {}, ""),
    ("POST", "/applications/<int:application_id>/reject"): (DECIDING,
                                                            lambda w: {"reason": "full"}, ""),
    ("GET", "/wage-cases"): (STAFF_OPEN, None, "period=2026-10"),
    ("GET", "/reports/monthly"): (STAFF_SCOPED, None, f"month={MONTH}&area=yongde"),
    ("PUT", "/targets"): (STAFF_SCOPED, lambda w: {
        "area": "yongde", "year": 2026, "trained": 100, "placed": 50}, ""),
    ("GET", "/targets"): (STAFF_OPEN, None, ""),
    ("POST", "/trainings"): (STAFF_SCOPED, lambda w: {
        "trade": "factory", "township": "yongde.dedang", "start_date": _start().isoformat(),
        "end_date": (_start() + timedelta(days=1)).isoformat(), "capacity": 5}, ""),
    ("GET", "/trainings"): (STAFF_OPEN, None, ""),
    ("GET", "/trainings/<int:training_id>"): (STAFF_SCOPED, None, ""),
    ("POST", "/trainings/<int:training_id>/cancel"): (STAFF_SCOPED, None, ""),
    ("GET", "/trainings/<int:training_id>/enrolments"): (STAFF_SCOPED, None, ""),
    ("POST", "/enrolments/<int:enrolment_id>/status"): (STAFF_SCOPED,
                                                        lambda w: {"status": "attended"}, ""),
    ("POST", "/villagers"): (STAFF_SCOPED, lambda w: {
        "phone": "13900000123", "name": "李明", "sex": "m", "birth_year": 1990,
        "township": "yongde.dedang", "consent": True}, ""),
    ("GET", "/villagers/<int:villager_id>"): (STAFF_SCOPED, None, ""),
    ("POST", "/villagers/<int:villager_id>/erase"): (STAFF_SCOPED, None, ""),
    ("GET", "/villagers"): (STAFF_OPEN, None, ""),
    ("POST", "/villagers/<int:villager_id>/edit"): (STAFF_SCOPED, lambda w: {
        "phone": "+8613900000001", "name": "村民", "sex": "f", "birth_year": 1995,
        "township": "yongde.dedang", "consent": True}, ""),
    # A file is answered row by row: a row outside the officer's area is refused in the
    # report (nothing written), so the file's request itself goes through.
    ("POST", "/villagers/import"): (STAFF_OPEN, lambda w: {
        "csv": "phone,name,sex,birth_year,township\n13900000124,李明,m,1990,yongde.dedang\n",
        "dry_run": True, "consent": True}, ""),
    ("POST", "/recruitment-days"): (STAFF_SCOPED, lambda w: {
        "posting_id": w.ids["posting"], "township": "yongde.dedang", "place": "Dedang hall",
        "day": _start().isoformat(), "slots": [{"time": "10:00", "places": 2}]}, ""),
    ("GET", "/recruitment-days"): (EVERYONE_OPEN, None, ""),
    ("GET", "/recruitment-days/<int:day_id>"): (POSTING_SIDE, None, ""),
    ("GET", "/recruitment-days/<int:day_id>/interviews"): (POSTING_SIDE, None, ""),
    ("POST", "/recruitment-days/<int:day_id>/cancel"): (STAFF_SCOPED, lambda w: {
        "reason": "the employer cannot come"}, ""),
    ("POST", "/interviews/<int:interview_id>/outcome"): (DECIDING, lambda w: {
        "outcome": "rejected", "reason": "no experience"}, ""),
}

# (method, rule) -> (rule, form)
CONSOLE: dict[tuple[str, str], tuple[Rule, dict[str, str]]] = {
    ("GET", "/console/villagers/<int:villager_id>"): (STAFF_SCOPED, {}),
    ("POST", "/console/villagers/<int:villager_id>/erase"): (STAFF_SCOPED, {"confirm": "yes"}),
    ("POST", "/console/villagers/<int:villager_id>/sms"): (STAFF_SCOPED, {"body": "你好"}),
    ("POST", "/console/villagers/<int:villager_id>/enrol"): (STAFF_SCOPED,
                                                             {"training_id": "{training}"}),
    ("POST", "/console/villagers/<int:villager_id>/case"): (STAFF_SCOPED, {
        "category": "other", "description": "工资没有发"}),
    ("POST", "/console/villagers/<int:villager_id>/edit"): (STAFF_SCOPED, {
        "name": "村民", "sex": "f", "birth_year": "1995", "township": "yongde.dedang",
        "consent": "on"}),
    ("GET", "/console/postings/<int:posting_id>"): (POSTING_SIDE, {}),
    ("POST", "/console/postings/<int:posting_id>/vet"): (STAFF_SCOPED,
                                                         {"decision": "publish"}),
    ("POST", "/console/postings/<int:posting_id>/<any(submit, close):action>"):
        (POSTING_SIDE, {}),
    ("GET", "/console/applications/<int:application_id>"): (POSTING_SIDE, {}),
    ("POST", "/console/applications/<int:application_id>/"
             "<any(shortlist, confirm, reject):action>"): (DECIDING, {"reason": "full"}),
    ("GET", "/console/broadcasts/<int:broadcast_id>"): (STAFF_SCOPED, {}),
    ("POST", "/console/broadcasts/<int:broadcast_id>/cancel"): (STAFF_SCOPED, {}),
    ("GET", "/console/trainings/<int:training_id>"): (STAFF_SCOPED, {}),
    ("POST", "/console/trainings/<int:training_id>/cancel"): (STAFF_SCOPED, {}),
    ("POST", "/console/enrolments/<int:enrolment_id>"): (STAFF_SCOPED, {"status": "attended"}),
    ("GET", "/console/departures/<int:departure_id>"): (POSTING_SIDE, {}),
    ("POST", "/console/departures/<int:departure_id>/<any(move, cancel, depart):action>"):
        (STAFF_SCOPED, {"place": "Mengsa"}),
    ("GET", "/console/cases/<int:case_id>"): (POSTING_SIDE, {}),
    ("GET", "/console/agencies/<int:agency_id>/record"): (RECORD, {}),
    ("GET", "/console/employers/<int:employer_id>/record"): (RECORD, {}),
    ("GET", "/console/departures/<int:departure_id>/cohort"): (POSTING_SIDE, {}),
    ("POST", "/console/departures/<int:departure_id>/cohort/<any(leader, schedule):action>"):
        (STAFF_SCOPED, {"role": "squad_leader", "villager_id": "1", "every_months": "1",
                        "first_report_on": "2030-01-01"}),
    ("POST", "/console/cases/<int:case_id>/<any(assign, status):action>"):
        (STAFF_SCOPED, {"status": "in_progress", "user_id": "{officer}"}),
    ("GET", "/console/recruitment-days/<int:day_id>"): (POSTING_SIDE, {}),
    ("POST", "/console/recruitment-days/<int:day_id>/cancel"):
        (STAFF_SCOPED, {"reason": "the employer cannot come"}),
    ("POST", "/console/interviews/<int:interview_id>/outcome"):
        (DECIDING, {"outcome": "rejected", "reason": "no experience"}),
}

IDS = {"agency_id": "agency", "broadcast_id": "broadcast", "case_id": "case",
       "departure_id": "departure", "posting_id": "posting", "application_id": "application",
       "training_id": "training", "enrolment_id": "enrolment", "villager_id": "villager",
       "employer_id": "employer", "day_id": "day", "interview_id": "interview"}


def _routes() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The API's documented routes and the console's pages with an id, as registered."""
    app = Flask("routes")
    api_routes.init_app(app)
    console_routes.init_app(app)
    operations = {(o.method, o.path) for o in api.OPERATIONS}
    pages = {(method, rule.rule) for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("console.") and "<" in rule.rule
             for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})}
    return operations, pages


OPERATIONS, PAGES = _routes()


def _concrete(path: str, world: World) -> list[str]:
    """The path with the world's ids filled in, once per choice of an `any(...)` part."""
    def fill(match: re.Match[str]) -> str:
        return str(world.ids[IDS[match.group(1)]])

    path = re.sub(r"<int:(\w+)>", fill, path)
    choice = re.search(r"<any\(([^)]*)\):\w+>", path)
    if choice is None:
        return [path]
    return [path[:choice.start()] + word.strip() + path[choice.end():]
            for word in choice.group(1).split(",")]


def _order(rule: Rule) -> list[str]:
    """Refused roles first: a refusal changes nothing, so the allowed ones find the world
    as it was seeded."""
    return sorted(ROLES, key=lambda role: rule[role] == OK)


def test_every_route_has_a_rule():
    """The tables name exactly the routes there are: none missing, none stale."""
    assert set(API) == OPERATIONS
    assert set(CONSOLE) == PAGES


@pytest.mark.parametrize("method, path", sorted(OPERATIONS))
def test_api_route_answers_each_role_as_its_rule_says(app, client, method, path):
    """Each role's status for this route, on a freshly seeded world."""
    assert (method, path) in API, f"no scope rule for {method} {path}: add it to API"
    rule, body, query = API[(method, path)]
    world = build(app, client)
    [url] = _concrete(f"/api/v1{path}", world)
    url = f"{url}?{query}" if query else url
    got = {}
    for role in _order(rule):
        response = client.open(url, method=method, headers=world.heads[role],
                               json=body(world) if body else None)
        assert response.status_code < 500, (role, response.get_data(as_text=True))
        if rule[role] == OK:
            passed = (200 <= response.status_code < 300 if method == "GET"
                      else response.status_code < 300 or response.status_code in (409, 422))
            got[role] = OK if passed else response.status_code
        else:
            got[role] = response.status_code
            assert response.is_json, (role, "errors are JSON")
    assert got == rule


def _console_expected(rule: Rule) -> Rule:
    return {role: {401: SIGN_IN, 403: 404}.get(answer, answer) for role, answer in rule.items()}


@pytest.mark.parametrize("method, path", sorted(PAGES))
def test_console_page_answers_each_role_as_its_rule_says(app, client, method, path):
    """Signed in as each role (not at all: the sign-in page), each page with an id."""
    assert (method, path) in CONSOLE, f"no scope rule for {method} {path}: add it to CONSOLE"
    rule, form = CONSOLE[(method, path)]
    expected = _console_expected(rule)
    world = build(app, client)
    for url in _concrete(path, world):
        got = {}
        for role in _order(expected):
            browser, token = console_as(app, world, role)
            if method == "GET":
                response = browser.get(url)
            else:
                filled = {k: v.format(officer=world.users["officer"],
                                      training=world.ids["training"])
                          for k, v in form.items()}
                response = browser.post(url, data={"csrf_token": token, **filled})
            location = response.headers.get("Location", "")
            assert response.status_code < 500, (role, url)
            if response.status_code == 302 and "/console/sign-in" in location:
                got[role] = SIGN_IN
            elif expected[role] == OK:
                passed = (response.status_code == 200 if method == "GET"
                          else response.status_code == 302)
                got[role] = OK if passed else response.status_code
            else:
                got[role] = response.status_code
        assert got == expected, url
