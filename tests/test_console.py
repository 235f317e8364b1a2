"""The console without a browser: sign-in, CSRF, the one authorisation layer, every page."""

from __future__ import annotations

import pytest
import time_machine
from flask.cli import ScriptInfo
from sqlalchemy import select
from werkzeug.security import check_password_hash

from smsgateway.cli import cli
from smsgateway.console.signin import FREE
from smsgateway.models import Posting, PostingStatus, User, Villager

from .api import (
    account,
    agency,
    employer,
    placement_setting,
    posting_body,
    registered_villager,
)
from .console import PASSWORD, console_account, form_token, sign_in, token_of


def test_sign_in_sets_a_hardened_session_cookie_and_sign_out_ends_it(app, client):
    """HttpOnly, SameSite=Lax and Secure (PUBLIC_BASE_URL is https); signed out, pages
    send you back to the sign-in form."""
    console_account(app, "li", "officer", area="yongde")
    response = sign_in(client, "li")
    assert response.status_code == 302 and response.location.endswith("/console/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert client.get("/console/").status_code == 200
    client.post("/console/sign-out", data={"csrf_token": form_token(client)})
    page = client.get("/console/")
    assert page.status_code == 302 and "/console/sign-in" in page.location


@pytest.fixture
def posting(app, client):
    """A posting awaiting vetting, and Yongde's officer `li` signed in to the console."""
    console_account(app, "li", "officer", area="yongde")
    a = agency(app, "Wanxin", "LIC-1")
    officer = account(app, "api-officer", "officer", area="yongde")
    created = client.post("/api/v1/postings", headers=officer,
                          json=posting_body(employer(app), agency_id=a)).json
    sign_in(client, "li")
    return created


def test_a_form_posted_without_its_csrf_token_is_refused(app, client, db, posting):
    """A POST without the session's token (or with another) changes nothing: 400."""
    for data in ({"decision": "publish"}, {"decision": "publish", "csrf_token": "forged"}):
        refused = client.post(f"/console/postings/{posting['id']}/vet", data=data)
        assert refused.status_code == 400
        assert "expired" in refused.get_data(as_text=True) or "过期" in refused.get_data(
            as_text=True)
    assert db.get(Posting, posting["id"]).status == PostingStatus.PENDING_VETTING
    # Signing in needs the token too.
    anonymous = app.test_client()
    assert anonymous.post("/console/sign-in", data={"name": "li", "password": PASSWORD}
                          ).status_code == 400


def test_with_its_token_the_same_form_works(app, client, db, posting):
    """The control: the token from the page publishes the posting."""
    token = form_token(client, f"/console/postings/{posting['id']}")
    done = client.post(f"/console/postings/{posting['id']}/vet",
                       data={"decision": "publish", "csrf_token": token})
    assert done.status_code == 302
    assert db.get(Posting, posting["id"]).status == PostingStatus.PUBLISHED


def _agency_of(db, name):
    return db.scalars(select(User.agency_id).where(User.name == name)).one()


def test_an_agency_opening_another_agencys_applicant_page_gets_404(app, client, db):
    """Agency B sees neither agency A's applicant, nor its posting, nor can it decide."""
    setting = placement_setting(app, client)
    console_account(app, "agency-b", "agency", agency_id=_agency_of(db, "b"))
    console_account(app, "agency-a", "agency", agency_id=_agency_of(db, "a"))
    application_id = setting["applications"][0]
    own = app.test_client()
    sign_in(own, "agency-a")
    assert own.get(f"/console/applications/{application_id}").status_code == 200
    sign_in(client, "agency-b")
    assert client.get(f"/console/applications/{application_id}").status_code == 404
    assert client.get(f"/console/postings/{setting['posting']}").status_code == 404
    token = form_token(client, "/console/postings")
    assert client.post(f"/console/applications/{application_id}/confirm",
                       data={"csrf_token": token}).status_code == 404
    # The API answers the same for the same account (one authorisation layer).
    assert client.post(f"/api/v1/applications/{application_id}/confirm", headers=setting["b"],
                       json={}).status_code == 404


def test_an_officer_cannot_open_a_villager_outside_their_area(app, client, db):
    """Yongde's villager: 200 for Yongde's officer, 404 for Fengqing's, as in the API."""
    registered_villager(app, 1)
    villager_id = db.scalars(select(Villager.id)).one()
    console_account(app, "yongde-officer", "officer", area="yongde")
    console_account(app, "fengqing-officer", "officer", area="fengqing")
    inside = app.test_client()
    sign_in(inside, "yongde-officer")
    assert inside.get(f"/console/villagers/{villager_id}").status_code == 200
    sign_in(client, "fengqing-officer")
    assert client.get(f"/console/villagers/{villager_id}").status_code == 404
    # Nor does the search find them.
    assert "村民1" not in client.get("/console/villagers?q=村民").get_data(as_text=True)
    assert "村民1" in inside.get("/console/villagers?q=村民").get_data(as_text=True)


def test_agencies_get_404_for_officers_pages(app, client):
    """A page of a role the account lacks is 404, not a hint that it exists."""
    a = agency(app, "Wanxin", "LIC-1")
    console_account(app, "wx", "agency", agency_id=a)
    sign_in(client, "wx")
    for path in ("/console/villagers", "/console/broadcasts", "/console/simulator",
                 "/console/follow-up", "/console/trainings"):
        assert client.get(path).status_code == 404, path


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(app, client):
    """A wrong password and an unknown name get the same answer, and no session."""
    console_account(app, "li", "officer", area="yongde")
    wrong_password = sign_in(client, "li", "not the password")
    unknown_name = sign_in(client, "nobody", PASSWORD)
    assert wrong_password.status_code == unknown_name.status_code == 401
    text = wrong_password.get_data(as_text=True)
    assert "用户名或密码不正确" in text
    assert text.replace("nobody", "li") == unknown_name.get_data(as_text=True).replace(
        "nobody", "li")
    assert client.get("/console/").status_code == 302


def test_repeated_failures_slow_down_and_waiting_is_the_only_way_on(app, client):
    """Past three free failures each one doubles the wait; while waiting even the right
    password is not checked; after the wait it works and the count is forgotten."""
    console_account(app, "li", "officer", area="yongde")
    with time_machine.travel(1_900_000_000, tick=False) as clock:
        for _ in range(FREE["name"]):
            assert sign_in(client, "li", "wrong").status_code == 401
        waits = []
        for _ in range(3):
            assert sign_in(client, "li", "wrong").status_code == 401
            refused = sign_in(client, "li", PASSWORD)  # right password, too early
            assert refused.status_code == 429
            waits.append(int(refused.headers["Retry-After"]))
            clock.shift(waits[-1])
        assert waits == [2, 4, 8]
        assert sign_in(client, "li", PASSWORD).status_code == 302
    # Another account from another address is not held up by li's failures.
    console_account(app, "wang", "officer", area="yongde")
    assert sign_in(app.test_client(), "wang", address="10.0.0.2").status_code == 302


def test_changing_a_password_by_cli_ends_sessions_and_stores_a_hash(app, client, db):
    """`jobline user password NAME` stores a scrypt hash; the old session is signed out."""
    console_account(app, "li", "officer", area="yongde")
    sign_in(client, "li")
    result = app.test_cli_runner().invoke(
        cli, ["user", "password", "li", "--password", "a brand new secret"],
        obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    stored = db.scalars(select(User).where(User.name == "li")).one().password_hash
    assert stored.startswith("scrypt:") and check_password_hash(stored, "a brand new secret")
    assert client.get("/console/").status_code == 302
    short = app.test_cli_runner().invoke(cli, ["user", "password", "li", "--password", "short"],
                                         obj=ScriptInfo(create_app=lambda: app))
    assert short.exit_code != 0 and "10 characters" in short.output


def test_every_page_renders_for_an_officer_in_both_languages(app, client):
    """Each page of the menu answers 200 with its words in the chosen language."""
    setting = placement_setting(app, client)
    console_account(app, "li", "officer", area="yongde")
    sign_in(client, "li")
    pages = ["/console/", "/console/villagers", "/console/villagers/new",
             "/console/villagers/import", "/console/postings", "/console/postings/new",
             f"/console/postings/{setting['posting']}",
             f"/console/applications/{setting['applications'][0]}", "/console/broadcasts",
             "/console/trainings", "/console/departures", "/console/follow-up",
             "/console/cases", "/console/agencies", "/console/simulator",
             "/console/report?month=2026-10"]
    for lang, word in (("zh", "退出"), ("en", "Sign out")):
        client.post("/console/language", data={"lang": lang, "csrf_token": form_token(client)})
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (path, response.data[:300])
            assert word in response.get_data(as_text=True), path
    assert token_of(client.get("/console/").get_data(as_text=True))
