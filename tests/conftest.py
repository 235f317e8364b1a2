"""Fixtures: a migrated database (SQLite or PostgreSQL), a real Redis, apps, clients, workers.

`make test` starts throwaway servers and sets JOBLINE_TEST_DATABASE_URL and
JOBLINE_TEST_REDIS_URL; the suite runs once per database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from redis import Redis
from rq import Worker
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from smsgateway import create_app, jobcontext
from smsgateway.cli import alembic_config
from smsgateway.db import Base
from smsgateway.kernel.areas import load_areas
from smsgateway.services import QUEUE_NAMES, services

TWILIO_TOKEN = "test-twilio-auth-token"
PUBLIC_BASE_URL = "https://jobline.example.org"
KEPT_TABLES = {"areas", "alembic_version"}  # loaded once per run; every other table is emptied


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("JOBLINE_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'jobline_test.sqlite3'}"


def _drop_everything(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to head by Alembic, with the programme's areas loaded."""
    url = _database_url(tmp_path_factory)
    _drop_everything(url)
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        load_areas(session)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The throwaway Redis that `make test` started."""
    url = os.environ.get("JOBLINE_TEST_REDIS_URL")
    if not url:
        pytest.fail("JOBLINE_TEST_REDIS_URL is not set: run the suite with `make test`")
    return url


def make_app(database_url: str, redis_url: str, **overrides: Any) -> Flask:
    """An app on the test database and Redis, Twilio-signed at PUBLIC_BASE_URL."""
    settings = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test",
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_FROM": "+15005550006",
        "SMS_PROVIDER": "console",
        "AT_CALLBACK_TOKEN": None,
        "QUIET_HOURS": "",  # tests that need quiet hours set their own
    }
    settings.update(overrides)
    return create_app(settings)


@pytest.fixture
def app_factory(database_url: str, redis_url: str) -> Iterator[Any]:
    """Build apps with settings of the test's choosing; cleans the database and Redis after."""
    built: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = make_app(database_url, redis_url, **overrides)
        built.append(app)
        jobcontext.install(app)
        return app

    Redis.from_url(redis_url).flushdb()
    yield build
    for app in built:
        if app.config["DATABASE_URL"] == database_url:
            _empty_tables(app)
        services(app).engine.dispose()
    Redis.from_url(redis_url).flushdb()


def _empty_tables(app: Flask) -> None:
    """Every table but the kept ones emptied, ids starting from 1 again on both databases
    (SQLite reuses them by itself; PostgreSQL's sequences are restarted), so that texts
    naming an id are as long in every test, however many ran before."""
    engine = services(app).engine
    emptied = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # DELETE, children first, and each emptied table's id sequence set back: one
            # round trip of 2 ms, where TRUNCATE … RESTART IDENTITY took 135 ms a test
            # (a new file for each of the 34 tables).
            connection.exec_driver_sql("; ".join(
                [f'DELETE FROM "{t.name}"' for t in emptied]
                + [f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), 1, false)"
                   for t in emptied if "id" in t.c]))
        else:
            for table in emptied:
                connection.execute(table.delete())


@pytest.fixture
def app(app_factory: Any) -> Flask:
    """The default app: console provider, Twilio signatures checked."""
    return app_factory()  # type: ignore[no-any-return]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask, database_url: str) -> Iterator[Session]:
    """A session for looking at what the app stored.

    It has an engine of its own, without the app's BEGIN IMMEDIATE on SQLite, so that
    looking never holds the write lock the app's requests and workers need.
    """
    engine = create_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def httpserver() -> Iterator[HTTPServer]:
    """A provider server of the test's own, threaded, so a hanging answer delays nothing else."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def twilio_app(app_factory: Any, httpserver: HTTPServer) -> Flask:
    """An app sending through Twilio's SDK to the local provider server."""
    return app_factory(  # type: ignore[no-any-return]
        SMS_PROVIDER="twilio", TWILIO_API_BASE=httpserver.url_for("/").rstrip("/"),
        PROVIDER_TIMEOUT=10.0)


def run_worker(app: Flask) -> int:
    """Run a real RQ worker in burst mode on the app's queues; returns how many jobs ran."""
    jobcontext.install(app)
    svc = services(app)
    worker = Worker([svc.queue(name) for name in QUEUE_NAMES], connection=svc.redis)
    worker.work(burst=True)
    return worker.successful_job_count + worker.failed_job_count
