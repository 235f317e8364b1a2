"""Integers beyond 64 bits, in a path, a query string or a body, are a client's mistake: a
4xx (JSON in the API, the console's page in the console), never a 500 from the database."""

from __future__ import annotations

import re

import pytest

from smsgateway.api import OPERATIONS
from smsgateway.console.words import WORDS

from .api import account, agency, employer, posting_body
from .console import console_account, form_token, sign_in

HUGE = "1000000000000000000000000000000"
JUST_OVER = str(2**31)  # one past the INTEGER id columns (PostgreSQL fails there)
BEYOND_64 = str(2**63)
NOT_FOUND = WORDS["error_not_found"][0]  # the console's page, in Chinese by default


def _filled(path: str, number: str) -> str:
    """A route's path with every id `number` and every `<any(a, b):x>` its first choice."""
    path = re.sub(r"<int:\w+>", number, path)
    return re.sub(r"<any\(\s*([^,)\s]+)[^>]*>", r"\1", path)


@pytest.fixture
def admin(app):
    return account(app, "admin", "admin")


@pytest.mark.parametrize("number", [HUGE, BEYOND_64, JUST_OVER])
def test_every_api_route_with_an_id_answers_404_json_for_an_id_out_of_range(client, admin,
                                                                              number):
    """Generated from the route list, so a new route with an id is covered too."""
    with_ids = [op for op in OPERATIONS if "<int:" in op.path]
    assert with_ids
    for op in with_ids:
        response = client.open("/api/v1" + _filled(op.path, number), method=op.method,
                               headers=admin, json={})
        assert response.status_code == 404, (op.path, response.status_code)
        assert response.is_json and "error" in response.json, op.path


def test_the_largest_id_is_simply_not_found(client, admin):
    """2**31 - 1 is a valid id: the query runs and finds nothing."""
    response = client.get(f"/api/v1/postings/{2**31 - 1}", headers=admin)
    assert response.status_code == 404 and response.is_json


@pytest.mark.parametrize("query, field", [
    ("page=9223372036854775807", "page"), (f"page={HUGE}", "page"),
    (f"per_page={HUGE}", "per_page"), ("page=2147483648", "page"), ("page=0", "page"),
    ("page=-1", "page"),
    ("page=1_0", "page"), ("page=٣", "page"), ("per_page=101", "per_page"),
])
def test_a_page_beyond_bounds_is_a_400_naming_the_field(client, admin, query, field):
    for path in ("/api/v1/postings", "/api/v1/cases", "/api/v1/broadcasts"):
        response = client.get(f"{path}?{query}", headers=admin)
        assert (response.status_code, response.json["field"]) == (400, field), (path, query)


def test_a_year_beyond_bounds_is_a_400(client, admin):
    response = client.get(f"/api/v1/targets?year={HUGE}", headers=admin)
    assert (response.status_code, response.json["field"]) == (400, "year")


def test_ids_in_bodies_out_of_range_are_a_422_naming_the_field(app, client, admin):
    officer = account(app, "o", "officer", area="yongde")
    agency_id = agency(app, "Wanxin", "LIC-1")
    huge = 2**31
    cases = [
        ("/api/v1/postings", admin, posting_body(huge, agency_id=agency_id), "employer_id"),
        ("/api/v1/postings", admin, posting_body(employer(app), agency_id=huge), "agency_id"),
        ("/api/v1/departures", officer,
         {"posting_id": huge, "leaves_at": "2030-01-01T08:00:00+08:00", "place": "x",
          "escort_name": "x", "escort_phone": "123"}, "posting_id"),
        ("/api/v1/broadcasts", officer, {"text_zh": "你好", "posting_id": huge}, "posting_id"),
        ("/api/v1/broadcasts", officer,
         {"text_zh": "你好", "audience": {"application_status": "confirmed",
                                         "posting_id": huge}}, "audience.posting_id"),
    ]
    for path, who, body, field in cases:
        response = client.post(path, headers=who, json=body)
        assert (response.status_code, response.json["field"]) == (422, field), (path, field)
    response = client.post("/api/v1/cases/1/assign", headers=admin, json={"user_id": huge})
    assert response.status_code in (404, 422) and response.is_json  # no case 1: 404 first


@pytest.mark.parametrize("number", [HUGE, JUST_OVER])
def test_console_pages_with_an_id_out_of_range_show_the_consoles_not_found_page(app, client,
                                                                              number):
    """Every console page with an id (GET, or POST with the form's token): 404 before any
    query, shown as the console's own page in the account's language."""
    console_account(app, "admin", "admin")
    assert sign_in(client, "admin").status_code == 302
    token = form_token(client)
    rules = [r for r in app.url_map.iter_rules()
             if r.endpoint.startswith("console.") and "<int:" in r.rule]
    assert rules
    for rule in rules:
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = client.open(_filled(rule.rule, number), method=method,
                               headers={"X-CSRF-Token": token})
        assert response.status_code == 404, (rule.rule, response.status_code)
        assert NOT_FOUND in response.get_data(as_text=True), rule.rule


def test_a_missing_record_shows_the_consoles_not_found_page_with_the_account(app, client):
    """An id in range but not there: the query runs, rolls back, and the console's 404 page
    renders after it (no second failure on the rolled-back account)."""
    console_account(app, "admin", "admin")
    sign_in(client, "admin")
    for path in (f"/console/postings/{2**31 - 1}", f"/console/cases/{2**31 - 1}",
                 "/console/no-such-page"):
        response = client.get(path)
        assert response.status_code == 404 and NOT_FOUND in response.get_data(as_text=True)


def test_a_console_list_with_a_page_out_of_range_says_so(app, client):
    """`?page=` beyond bounds on a console list: the API's message, shown, not a 500."""
    console_account(app, "admin", "admin")
    sign_in(client, "admin")
    response = client.get(f"/console/cases?page={HUGE}", follow_redirects=True)
    assert response.status_code == 200
    assert "page must be a whole number" in response.get_data(as_text=True)
