"""`jobline doctor`: is this deployment ready? One line per check, and what to paste where.

Each check returns a `Finding`; the command prints them and exits non-zero when any failed.
Checks look, they never change anything (no migration, no job enqueued).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from rq import Worker
from rq.job import Job

from .messaging.gateways.registry import GATEWAYS
from .services import Services

MIN_SECRET_KEY = 32  # characters: a session-signing key shorter than this is guessable


@dataclass(frozen=True)
class Finding:
    """One check's outcome."""

    ok: bool
    name: str
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


def development() -> bool:
    """Development (`make run`) relaxes the checks that only production needs."""
    return bool(os.environ.get("JOBLINE_DEVELOPMENT"))


def check_database(svc: Services, alembic: Config) -> Finding:
    try:
        with svc.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as exc:  # any failure to connect is the finding
        return Finding(False, "database", f"unreachable ({type(exc).__name__}: {exc})")
    head = ScriptDirectory.from_config(alembic).get_current_head()
    if current != head:
        return Finding(False, "database", f"at {current or 'no revision'}, not at head {head}: "
                                          "run `jobline db upgrade`")
    return Finding(True, "database", f"reachable, migrated to head {head}")


def check_redis(svc: Services) -> Finding:
    try:
        svc.redis.ping()
        config = svc.redis.config_get("appendonly") | svc.redis.config_get("save")
    except Exception as exc:
        return Finding(False, "redis", f"unreachable ({type(exc).__name__}: {exc})")
    persistence = f"appendonly={config.get('appendonly')}, save={config.get('save')!r}"
    return Finding(True, "redis", f"reachable ({persistence}; Jobline needs no persistence: "
                                  "the database is the source of truth, the sweep rebuilds "
                                  "the queues)")


def check_secret_key(settings: Mapping[str, Any]) -> Finding:
    key = str(settings.get("SECRET_KEY") or "")
    if development():
        return Finding(True, "SECRET_KEY", "development: any key will do")
    if len(key) < MIN_SECRET_KEY:
        return Finding(False, "SECRET_KEY", f"{'unset' if not key else f'{len(key)} characters'}"
                                            f"; set at least {MIN_SECRET_KEY} random characters")
    return Finding(True, "SECRET_KEY", f"set ({len(key)} characters)")


def check_public_url(settings: Mapping[str, Any]) -> Finding:
    base = str(settings.get("PUBLIC_BASE_URL") or "")
    if development():
        return Finding(True, "PUBLIC_BASE_URL", base or "development: the request's URL")
    if not base.startswith("https://"):
        return Finding(False, "PUBLIC_BASE_URL", f"{base or 'unset'}: providers must call an "
                                                 "https:// address (and Twilio signs it)")
    return Finding(True, "PUBLIC_BASE_URL", base)


# What each provider needs set, and how `--online` asks it whether the credentials work.
CREDENTIALS = {
    "console": (),
    "twilio": ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"),
    "africastalking": ("AT_USERNAME", "AT_API_KEY"),
    "tencent": ("TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_SMS_SDK_APP_ID",
                "TENCENT_SMS_SIGN", "TENCENT_TEMPLATES", "TENCENT_CALLBACK_TOKEN"),
}


def _online_twilio(settings: Mapping[str, Any]) -> str | None:
    sid = settings["TWILIO_ACCOUNT_SID"]
    response = requests.get(f"{str(settings['TWILIO_API_BASE']).rstrip('/')}"
                            f"/2010-04-01/Accounts/{sid}.json",
                            auth=(sid, settings["TWILIO_AUTH_TOKEN"]),
                            timeout=float(settings["PROVIDER_TIMEOUT"]))
    return None if response.ok else f"Twilio answered {response.status_code}"


def _online_africastalking(settings: Mapping[str, Any]) -> str | None:
    response = requests.get(f"{str(settings['AT_API_BASE']).rstrip('/')}/version1/user",
                            params={"username": settings["AT_USERNAME"]},
                            headers={"apiKey": str(settings["AT_API_KEY"]),
                                     "Accept": "application/json"},
                            timeout=float(settings["PROVIDER_TIMEOUT"]))
    return None if response.ok else f"Africa's Talking answered {response.status_code}"


ONLINE: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "twilio": _online_twilio, "africastalking": _online_africastalking}


def check_provider(settings: Mapping[str, Any], online: bool) -> Finding:
    provider = str(settings["SMS_PROVIDER"])
    if provider not in CREDENTIALS:
        return Finding(False, "provider", f"SMS_PROVIDER={provider!r} is not one of "
                                          f"{', '.join(CREDENTIALS)}")
    missing = [name for name in CREDENTIALS[provider] if not settings.get(name)]
    if missing:
        return Finding(False, "provider", f"{provider}: {', '.join(missing)} unset")
    if provider == "console" and not development():
        return Finding(False, "provider", "console: messages are only logged, never sent")
    if online and provider in ONLINE:
        try:
            refused = ONLINE[provider](settings)
        except requests.RequestException as exc:
            refused = f"unreachable ({type(exc).__name__})"
        if refused:
            return Finding(False, "provider", f"{provider}: credentials refused: {refused}")
        return Finding(True, "provider", f"{provider}: credentials accepted")
    return Finding(True, "provider", f"{provider}: credentials set")


def check_periodic_jobs(svc: Services, job_ids: tuple[str, ...]) -> Finding:
    missing = [job_id for job_id in job_ids
               if not Job.exists(job_id, connection=svc.redis)]
    if missing:
        return Finding(False, "periodic jobs", f"not scheduled: {', '.join(missing)} "
                                               "(a worker schedules them when it starts)")
    return Finding(True, "periodic jobs", f"scheduled: {', '.join(job_ids)}")


def check_workers(svc: Services) -> Finding:
    try:
        workers = Worker.all(connection=svc.redis)
    except Exception as exc:
        return Finding(False, "workers", f"cannot ask Redis ({type(exc).__name__})")
    if not workers:
        return Finding(False, "workers", "none alive: start `jobline worker`")
    return Finding(True, "workers", f"{len(workers)} alive")


def callback_urls(settings: Mapping[str, Any]) -> Iterator[str]:
    """The URLs to paste into each provider's dashboard."""
    base = str(settings.get("PUBLIC_BASE_URL") or "https://<PUBLIC_BASE_URL>").rstrip("/")
    token = "?token=<AT_CALLBACK_TOKEN>" if settings.get("AT_CALLBACK_TOKEN") else ""
    tokens = {"africastalking": token, "tencent": "?token=<TENCENT_CALLBACK_TOKEN>"
              if settings.get("TENCENT_CALLBACK_TOKEN") else ""}
    for gateway in GATEWAYS.values():
        query = tokens.get(gateway.name, "")
        yield f"{gateway.name} inbound SMS:        {base}/sms/{gateway.name}{query}"
        yield f"{gateway.name} delivery reports:   {base}/sms/{gateway.name}/" \
              f"{gateway.status_path}{query}"
    yield f"africastalking USSD callback:   {base}/ussd{token}"
    yield f"africastalking USSD end notices: {base}/ussd/events{token}"


def run(svc: Services, alembic: Config, periodic_job_ids: tuple[str, ...],
        online: bool = False) -> list[Finding]:
    """Every check, in the order an operator fixes them."""
    settings = svc.settings
    findings = [check_database(svc, alembic), check_redis(svc), check_secret_key(settings),
                check_public_url(settings), check_provider(settings, online)]
    redis_up = findings[1].ok
    if redis_up:
        findings += [check_periodic_jobs(svc, periodic_job_ids), check_workers(svc)]
    else:
        findings += [Finding(False, "periodic jobs", "Redis unreachable"),
                     Finding(False, "workers", "Redis unreachable")]
    return findings
