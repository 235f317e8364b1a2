"""The console tells you what happened: a notice after an action, an error next to the field
that caused it (with what was typed kept), display names, a sign-in page that says whom to
ask, a favicon."""

from __future__ import annotations

import re

from flask.cli import ScriptInfo
from sqlalchemy import select

from smsgateway.cli import cli
from smsgateway.models import Application, ApplicationStatus, Posting, User
from smsgateway.services import services

from .api import agency, employer, posting_body
from .console import console_account, form_token, sign_in
from .console_world import build_every_state
from .scope_world import console_as


def _officer(app, client, display_name=None):
    user_id = console_account(app, "li", "officer", area="yongde")
    if display_name:
        with services(app).sessions.begin() as db:
            db.get(User, user_id).display_name = display_name
    sign_in(client, "li")
    return user_id


def _posting_form(app, **changes):
    body = posting_body(employer(app), agency_id=agency(app, "万鑫劳务", "LIC-1"), **changes)
    body.pop("skills_required", None)
    return {k: str(v) for k, v in body.items() if not isinstance(v, bool)}


def test_creating_a_posting_shows_a_notice_with_its_status(app, client, db):
    """After saving a posting the page says it was saved and where it stands."""
    _officer(app, client)
    form = _posting_form(app)
    form["csrf_token"] = form_token(client, "/console/postings/new")
    saved = client.post("/console/postings/new", data=form, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert saved.status_code == 200 and saved.request.path.startswith("/console/postings/")
    assert re.search(r'<p class="flash info" role="status">岗位已保存：待审核。</p>', page)
    assert db.scalar(select(Posting.id)) is not None


def test_a_refused_form_shows_the_error_next_to_its_field_and_keeps_what_was_typed(app,
                                                                                    client,
                                                                                    db):
    """A province that is not one: the form comes back with the message beside that field
    (role=alert), the other fields as typed, and nothing written."""
    _officer(app, client)
    form = _posting_form(app, destination_province="Atlantis", title_zh="保安员")
    form["csrf_token"] = form_token(client, "/console/postings/new")
    back = client.post("/console/postings/new", data=form, follow_redirects=True,
                       headers={"Referer": "http://localhost/console/postings/new"})
    page = back.get_data(as_text=True)
    assert back.request.path == "/console/postings/new"
    field = re.search(r'<input name="destination_province"[^>]*> <span class="error '
                      r'field-error" id="error-destination_province" role="alert">([^<]+)'
                      r'</span>', page)
    assert field and "province" in field.group(1), page
    assert 'value="Atlantis"' in page and 'value="保安员"' in page
    assert 'id="error-title_zh"' not in page
    assert db.scalar(select(Posting.id)) is None
    # Shown once: the next visit is a clean form.
    again = client.get("/console/postings/new").get_data(as_text=True)
    assert "error-destination_province" not in again and "Atlantis" not in again


def test_the_header_shows_the_display_name_not_the_user_name(app, client):
    """The header names the person (and their role in words), not the account."""
    _officer(app, client, display_name="李永德")
    header = client.get("/console/villagers").get_data(as_text=True)
    who = re.search(r'<span class="who">(.*?)</span>\s*<form', header, re.S)
    assert who and "李永德" in who.group(1) and "工作人员" in who.group(1)
    assert ">li<" not in who.group(1)


def test_the_sign_in_page_says_whom_to_ask_and_no_shell_command(app_factory):
    """A locked-out officer is told to ask the county's administrator (and who that is when
    CONSOLE_HELP_CONTACT says so), never to run a command."""
    plain = app_factory().test_client().get("/console/sign-in").get_data(as_text=True)
    assert "jobline user" not in plain and "管理员" in plain
    helped = app_factory(CONSOLE_HELP_CONTACT="县人社局 张老师 0883-1234567").test_client()
    page = helped.get("/console/sign-in").get_data(as_text=True)
    assert "管理员联系方式：县人社局 张老师 0883-1234567" in page


def test_a_favicon_is_linked_and_served(app, client):
    """Every page links the icon; /favicon.ico (what a browser asks first) leads to it."""
    page = client.get("/console/sign-in").get_data(as_text=True)
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link
    with client.get(link.group(1)) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")
    with client.get("/favicon.ico") as asked:
        assert asked.status_code == 301 and asked.location.endswith(link.group(1))


def test_the_cli_sets_and_changes_a_display_name(app, db):
    """`jobline user create --display-name` and `jobline user rename`."""
    def invoke(*args):
        return app.test_cli_runner().invoke(cli, list(args),
                                            obj=ScriptInfo(create_app=lambda: app))
    made = invoke("user", "create", "--name", "wang", "--role", "admin",
                  "--display-name", " 王管理 ")
    assert made.exit_code == 0, made.output
    assert db.scalars(select(User.display_name).where(User.name == "wang")).one() == "王管理"
    renamed = invoke("user", "rename", "wang", "王芳")
    assert renamed.exit_code == 0 and "王芳" in renamed.output
    db.expire_all()
    assert db.scalars(select(User.display_name).where(User.name == "wang")).one() == "王芳"
    assert invoke("user", "rename", "nobody", "x").exit_code != 0
    assert invoke("user", "rename", "wang", "长" * 81).exit_code != 0


def test_a_field_error_reads_in_the_console_language(app, client, db):
    """What the API's models say of a field comes back in the officer's language."""
    _officer(app, client)
    form = _posting_form(app, hours_per_day="eight")
    form["csrf_token"] = form_token(client, "/console/postings/new")
    back = client.post("/console/postings/new", data=form, follow_redirects=True,
                       headers={"Referer": "http://localhost/console/postings/new"})
    page = back.get_data(as_text=True)
    assert 'id="error-hours_per_day" role="alert">请填写整数。</span>' in page
    assert 'value="eight"' in page
    assert db.scalar(select(Posting.id)) is None


def test_rejecting_an_applicant_without_a_reason_says_so_beside_the_reason(app, client, db):
    """The agency's reject form without a reason: the message sits by the reason field and
    the application stays as it was."""
    world = build_every_state(app, client)
    agency_client, token = console_as(app, world, "owner")
    application_id = world.ids["application"]
    back = agency_client.post(f"/console/applications/{application_id}/reject",
                              data={"csrf_token": token, "reason": " "}, follow_redirects=True)
    page = back.get_data(as_text=True)
    assert 'id="error-reason" role="alert">拒绝需要写明原因。</span>' in page
    assert db.get(Application, application_id).status == ApplicationStatus.INTERESTED
