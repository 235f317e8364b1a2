"""API list views take their paging and filters as arguments: the API route passes its
query string's, the console passes its page's explicitly; a view reads no request."""

from __future__ import annotations

from smsgateway import api
from smsgateway.api import postings as api_postings
from smsgateway.models import User
from smsgateway.services import services

from .scope_world import build, console_as


def test_a_list_view_reads_no_request_but_its_arguments(app, client):
    """Called with no request at all, a list view pages and filters as it is told."""
    world = build(app, client)
    with app.app_context(), services(app).sessions.begin() as db:
        admin = db.get(User, world.users["admin"])
        items, total, page, per_page = api.call(api_postings.list_postings, db, admin,
                                                paging=(1, 5), status="published")
        assert (total, page, per_page, items[0].id) == (1, 1, 5, world.ids["posting"])
        assert api.call(api_postings.list_postings, db, admin, status="closed")[1] == 0


def test_the_console_and_the_api_page_and_filter_alike(app, client):
    """`?status=` and `?per_page=` reach the view from the API and the console page alike;
    a bad page number is the same 400 error in the API and a message in the console."""
    world = build(app, client)
    head = world.heads["admin"]
    assert client.get("/api/v1/postings?status=closed", headers=head).json["total"] == 0
    listed = client.get("/api/v1/postings?status=published&per_page=3", headers=head).json
    assert (listed["total"], listed["per_page"]) == (1, 3)
    assert client.get("/api/v1/postings?page=0", headers=head).status_code == 400
    browser, _ = console_as(app, world, "admin")
    shown = browser.get("/console/postings?status=closed").get_data(as_text=True)
    assert f"/console/postings/{world.ids['posting']}\"" not in shown
    shown = browser.get("/console/postings?status=published").get_data(as_text=True)
    assert f"/console/postings/{world.ids['posting']}\"" in shown
