"""The `jobline` console script: users, demo data, the worker."""

from __future__ import annotations

import hashlib
from datetime import date

from flask.cli import ScriptInfo
from sqlalchemy import func, select

from smsgateway.cli import cli
from smsgateway.messaging.outbox import add_message
from smsgateway.models import (
    Agency,
    ApiToken,
    Area,
    Contact,
    Message,
    MessageStatus,
    Posting,
    User,
    Villager,
)
from smsgateway.services import services

from .console import sign_in


def _invoke(app, *args):
    return app.test_cli_runner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_user_create_with_token_prints_it_last_and_stores_only_its_hash(app, db):
    """`--token` prints a token on the last line; the database holds its SHA-256, not it."""
    result = _invoke(app, "user", "create", "--name", "Officer Li", "--role", "officer",
                     "--area", "fengqing", "--token")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    user = db.scalars(select(User)).one()
    assert (user.name, user.role.value, user.area.code) == ("Officer Li", "officer", "fengqing")
    stored = db.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() != token


def test_agency_user_is_linked_by_licence_number(app, db):
    """`--agency LICENCE` links an agency account to its agency."""
    with services(app).sessions.begin() as session:
        session.add(Agency(name="Wanxin", licence_number="LC-1", licence_expires=date(2030, 1, 1)))
    result = _invoke(app, "user", "create", "--name", "wx", "--role", "agency", "--agency", "LC-1")
    assert result.exit_code == 0, result.output
    assert db.scalars(select(User)).one().agency.licence_number == "LC-1"
    refused = _invoke(app, "user", "create", "--name", "x", "--role", "agency")
    assert refused.exit_code != 0 and "--agency" in refused.output


def test_user_create_refuses_an_officer_without_an_area_and_an_unknown_area(app, db):
    """An officer is scoped to an area: missing or unknown, nothing is created."""
    missing = _invoke(app, "user", "create", "--name", "A", "--role", "officer")
    unknown = _invoke(app, "user", "create", "--name", "B", "--role", "officer", "--area", "mars")
    assert missing.exit_code != 0 and "--area" in missing.output
    assert unknown.exit_code != 0 and "mars" in unknown.output
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_demo_loads_villagers_once_and_sends_them_nothing(app, db):
    """Running `demo` twice leaves four villagers, the areas unchanged, and no outbox rows."""
    areas = db.scalar(select(func.count()).select_from(Area))
    for _ in range(2):
        result = _invoke(app, "demo")
        assert result.exit_code == 0, result.output
    assert db.scalar(select(func.count()).select_from(Villager)) == 4
    assert db.scalar(select(func.count()).select_from(Posting)) == 2
    assert all(p.verification_code for p in db.scalars(select(Posting)))
    assert db.scalar(select(func.count()).select_from(Area)) == areas
    assert db.scalar(select(func.count()).select_from(Message)) == 0


def test_worker_burst_sends_what_is_queued_and_stops(app, db):
    """`jobline worker --burst` works off the messages queue, then returns."""
    with services(app).sessions.begin() as session:
        contact = Contact(phone="+8613800000009")
        session.add(contact)
        message = add_message(session, contact, "hello", kind="broadcast", channel="console")
    result = _invoke(app, "worker", "--burst")
    assert result.exit_code == 0, result.output
    assert db.get(Message, message.id).status == MessageStatus.SENT


def test_demo_accounts_are_made_in_development_and_sign_in(app, db, monkeypatch):
    """`demo --accounts` under JOBLINE_DEVELOPMENT: an officer of Yongde, a Wanxin agency
    user and an admin, each signing in with the password printed; twice, still three."""
    monkeypatch.setenv("JOBLINE_DEVELOPMENT", "1")
    for _ in range(2):
        result = _invoke(app, "demo", "--accounts")
        assert result.exit_code == 0, result.output
    printed = dict(line.removeprefix("sign-in: ").split("  (")[0].split(" / ")
                   for line in result.output.splitlines() if line.startswith("sign-in: "))
    users = {u.name: u for u in db.scalars(select(User))}
    assert set(printed) == set(users) == {"demo-officer", "demo-agency", "demo-admin"}
    assert users["demo-officer"].area.code == "yongde"
    assert users["demo-agency"].agency.licence_number == "LC-2026-017"
    assert users["demo-admin"].role.value == "admin"
    for name, password in printed.items():
        signed = sign_in(app.test_client(), name, password)
        assert signed.status_code == 302 and "sign-in" not in signed.location, name


def test_demo_accounts_are_refused_outside_development(app, db, monkeypatch):
    """Without JOBLINE_DEVELOPMENT (production), `demo --accounts` fails and writes nothing:
    no account, and not the demo data either."""
    monkeypatch.delenv("JOBLINE_DEVELOPMENT", raising=False)
    result = _invoke(app, "demo", "--accounts")
    assert result.exit_code != 0 and "development only" in result.output
    assert db.scalar(select(func.count()).select_from(User)) == 0
    assert db.scalar(select(func.count()).select_from(Villager)) == 0
