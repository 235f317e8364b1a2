"""The `jobline` console script: a Flask CLI group over the app."""

from __future__ import annotations

import importlib
import json
import os
import secrets
import sys
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from dotenv import load_dotenv
from flask import Flask, current_app
from flask.cli import FlaskGroup
from sqlalchemy import select

from . import create_app, jobcontext
from . import doctor as checks
from .access import token_digest
from .console.signin import hash_password
from .demo import load_demo, load_demo_accounts
from .doctor import development
from .kernel.errors import Refused
from .messaging import jobpaths
from .models import Agency, ApiToken, Area, Role, User
from .periodic_jobs import ensure_periodic_jobs, make_worker
from .services import QUEUE_NAMES, Services, services
from .templates import export

ROOT = Path(__file__).resolve().parent.parent


def _create_app() -> Flask:
    load_dotenv()
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False,
             load_dotenv=False)
def cli() -> None:
    """Jobline: the SMS and USSD line of the labour-export programme."""


def alembic_config(url: str) -> Config:
    """Alembic's configuration for the project's migrations, pointed at `url`."""
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply the migrations up to REVISION."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"database at {revision}")


@cli.group()
def user() -> None:
    """Accounts of officers, agencies and administrators."""


@user.command("create")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--area", "area_code", help="area code an officer is scoped to, e.g. fengqing")
@click.option("--agency", "licence", help="licence number of an agency account's agency")
@click.option("--token", "with_token", is_flag=True, help="print a new API token as the last line")
@click.option("--display-name", help="the name the console shows, e.g. 李明 (default: --name)")
def user_create(name: str, role: str, area_code: str | None, licence: str | None,
                with_token: bool, display_name: str | None = None) -> None:
    """Create an account; with --token, print its API token (shown once, stored hashed)."""
    if role == Role.OFFICER and not area_code:
        raise click.UsageError("an officer needs --area")
    if role == Role.AGENCY and not licence:
        raise click.UsageError("an agency account needs --agency LICENCE_NUMBER")
    with services().sessions.begin() as session:
        agency = None
        if licence:
            agency = session.scalars(select(Agency).where(Agency.licence_number == licence)).first()
            if agency is None:
                raise click.BadParameter(f"no agency with licence {licence!r}",
                                         param_hint="--agency")
        area = None
        if area_code:
            area = session.scalars(select(Area).where(Area.code == area_code)).first()
            if area is None:
                raise click.BadParameter(f"no area with code {area_code!r}", param_hint="--area")
        if session.scalars(select(User).where(User.name == name)).first():
            raise click.BadParameter(f"a user named {name!r} exists", param_hint="--name")
        account = User(name=name, role=Role(role), area=area, agency=agency,
                       display_name=_display_name(display_name))
        session.add(account)
        token = secrets.token_urlsafe(32)
        if with_token:
            session.add(ApiToken(user=account, token_hash=token_digest(token)))
    click.echo(f"created {role} {name}")
    if with_token:
        click.echo(token)


@user.command("password")
@click.argument("name")
@click.password_option(help="the new password (asked twice when not given)")
def user_password(name: str, password: str) -> None:
    """Set the console password of the account NAME (kept as a scrypt hash); the account's
    console sessions signed in with the old one end."""
    try:
        hashed = hash_password(password)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--password") from exc
    with services().sessions.begin() as session:
        account = session.scalars(select(User).where(User.name == name)).first()
        if account is None:
            raise click.BadParameter(f"no user named {name!r}", param_hint="NAME")
        account.password_hash = hashed
    click.echo(f"password set for {name}")


def _display_name(text: str | None) -> str | None:
    """A display name as given (trimmed; empty: none), at most 80 characters."""
    shown = (text or "").strip()
    if len(shown) > 80:
        raise click.BadParameter("at most 80 characters", param_hint="--display-name")
    return shown or None


@user.command("rename")
@click.argument("name")
@click.argument("display_name")
def user_rename(name: str, display_name: str) -> None:
    """Set the display name the console shows for the account NAME ('' removes it)."""
    shown = _display_name(display_name)
    with services().sessions.begin() as session:
        account = session.scalars(select(User).where(User.name == name)).first()
        if account is None:
            raise click.BadParameter(f"no user named {name!r}", param_hint="NAME")
        account.display_name = shown
    click.echo(f"{name} is shown as {shown or name}")


def start_periodic_jobs(svc: Services) -> None:
    """Queue the periodic jobs that are not queued, scheduled or running; each run schedules
    the next under the same id (several workers keep one schedule), and a running worker
    re-establishes any that go missing (`smsgateway.periodic_jobs`)."""
    ensure_periodic_jobs(svc, settle=0)


@cli.command()
@click.option("--burst", is_flag=True, help="work until the queues are empty, then stop")
def worker(burst: bool) -> None:
    """Run an RQ worker with the scheduler on the project's queues, `schedules` first."""
    jobcontext.install(current_app._get_current_object())  # type: ignore[attr-defined]
    svc = services()
    for path in jobpaths.ALL:  # imported once here, not again in every forked work-horse
        importlib.import_module(path.rpartition(".")[0])
    if not burst:  # the sweep keeps itself scheduled from here on
        start_periodic_jobs(svc)
    make_worker(svc, QUEUE_NAMES, keep_periodic=not burst).work(burst=burst, with_scheduler=True)


@cli.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True,
              help="address:port to listen on (behind the web server)")
@click.option("--workers", default=2, show_default=True, help="web processes")
def web(bind: str, workers: int) -> None:
    """Run the web process (gunicorn) on the app these settings build."""

    # With LOG_FORMAT=json the app writes each request's access line itself, as JSON.
    json_logs = str(current_app.config.get("LOG_FORMAT") or "").lower() == "json"
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", bind,
                              "--workers", str(workers), "--chdir", str(ROOT),
                              *([] if json_logs else ["--access-logfile", "-"])])


@cli.command()
@click.option("--accounts", is_flag=True, help="also demo console accounts with passwords "
              "(development only: refused unless JOBLINE_DEVELOPMENT=1)")
def demo(accounts: bool) -> None:
    """Load the demo areas and villagers (safe to run again)."""
    with services().sessions.begin() as session:
        summary = load_demo(session)
        try:
            sign_ins = load_demo_accounts(session, development()) if accounts else []
        except Refused as exc:
            raise click.ClickException(exc.message) from None
    click.echo(summary)
    for name, password, what in sign_ins:
        click.echo(f"sign-in: {name} / {password}  ({what})")


@cli.command()
@click.option("--online", is_flag=True, help="also ask the SMS provider whether the "
                                               "credentials are accepted")
def doctor(online: bool) -> None:
    """Check this deployment: database, Redis, secrets, provider, schedules, workers; print
    the callback URLs for the providers' dashboards. Exits 1 when a check fails."""
    svc = services()
    findings = checks.run(svc, alembic_config(svc.settings["DATABASE_URL"]),
                          tuple(job_id for job_id, _, _ in jobpaths.PERIODIC), online)
    for finding in findings:
        click.echo(finding.line())
    click.echo("\nCallback URLs to paste into the providers' dashboards:")
    for line in checks.callback_urls(svc.settings):
        click.echo(f"  {line}")
    if not all(f.ok for f in findings):
        raise SystemExit(1)


@cli.group()
def templates() -> None:
    """Message templates, for providers that send approved templates only (Tencent)."""


@templates.command("export")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of text")
def templates_export(as_json: bool) -> None:
    """Print what to submit for approval: each template's name, kind, language, wording (with
    {1}, {2}…) and its variables' longest values. Map the approved ids in TENCENT_TEMPLATES."""
    rows = export()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        variables = ", ".join(f"{{{v['number']}}} {v['field']} ≤ {v['longest']} characters"
                              for v in row["variables"]) or "no variables"
        click.echo(f"{row['template']}  kind={row['kind']}  language={row['language']}\n"
                   f"  {row['wording']}\n  {variables}\n")
