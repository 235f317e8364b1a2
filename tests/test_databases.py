"""Where SQLite and PostgreSQL differ in what we rely on: each side as the README says it is.

The suite runs on both; these tests name the database they are on where the answers differ.
Locking is tried by the concurrent tests (test_api_applications, test_training,
test_ussd_sessions), NUL and other odd text by test_odd_text.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import case, literal, select, text

from smsgateway.db import UTCDateTime, make_engine, utcnow
from smsgateway.figures import stability
from smsgateway.models import InboundMessage
from smsgateway.services import services

from .api import account, agency, employer

BEYOND_INTEGER = 2**31  # one more than PostgreSQL's INTEGER holds; SQLite holds 64 bits


def test_an_id_beyond_postgresqls_integer_is_not_found_on_both(app, client):
    officer = account(app, "o", "officer", area="yongde")
    for path in (f"/api/v1/postings/{BEYOND_INTEGER}", f"/api/v1/villagers/{BEYOND_INTEGER}",
                 f"/api/v1/postings/{2**64}"):
        response = client.get(path, headers=officer)
        assert response.status_code == 404, (path, response.json)
        assert response.is_json and response.json["error"]  # the API's JSON, not a 500 page


def test_a_number_beyond_postgresqls_integer_in_a_body_is_refused_on_both(app, client):
    admin = account(app, "admin", "admin")
    employer(app)
    agency(app, "永德劳务", "YD-001")
    for body, field in (({"audience": {}, "posting_id": BEYOND_INTEGER}, "posting_id"),
                        ({"audience": {"age_min": -BEYOND_INTEGER}}, "audience.age_min")):
        response = client.post("/api/v1/broadcasts/preview", headers=admin, json=body)
        assert response.status_code == 422, response.json
        assert response.json["field"] == field


def test_case_insensitive_search_folds_unicode_on_both(app, client):
    """PostgreSQL's `lower()` folds É; SQLite's folds only A-Z, so ours replaces it there."""
    officer = account(app, "o", "officer", area="yongde")
    response = client.post("/api/v1/villagers", headers=officer, json={
        "phone": "139 0000 0101", "name": "ÉLISE", "sex": "f", "birth_year": 1990,
        "township": "德党镇", "consent": True})
    assert response.status_code == 201, response.json

    def found(typed: str) -> bool:
        answer = client.get(f"/api/v1/villagers?q={quote(typed)}", headers=officer).json
        return [v["name"] for v in answer["items"]] == ["ÉLISE"]

    assert all(found(typed) for typed in ("lise", "LISE", "ÉLISE", "élise", "E\u0301lise"))


def test_times_come_back_in_utc_whatever_zone_they_were_written_in(app, db):
    """PostgreSQL keeps timestamptz, SQLite keeps text without a zone: both give back UTC."""
    beijing = timezone(timedelta(hours=8))
    written = datetime(2026, 11, 30, 8, 0, tzinfo=beijing)
    with services(app).sessions.begin() as session:
        session.add(InboundMessage(gateway="twilio", provider_message_id="SMtz",
                                   phone="+8613812345678", body="HELP", received_at=written))
    kept = db.scalars(select(InboundMessage.received_at)).one()
    assert kept == written and kept.utcoffset() == timedelta(0) and kept.hour == 0
    later = db.scalars(select(InboundMessage.id).where(
        InboundMessage.received_at > datetime(2026, 11, 30, 7, 59, tzinfo=beijing))).all()
    assert len(later) == 1  # compared as instants on both


def test_postgresql_refuses_nul_in_text_so_the_edges_remove_it(app):
    """Why `kernel.text.clean` exists: the same insert that SQLite takes fails on PostgreSQL."""
    engine = services(app).engine
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            try:
                connection.execute(text("SELECT CAST(:s AS text)"), {"s": "A\x00B"})
            except Exception as exc:  # psycopg: "PostgreSQL text fields cannot contain NUL"
                assert "NUL" in str(exc)
            else:
                raise AssertionError("PostgreSQL took a NUL")
        else:
            assert connection.execute(text("SELECT :s"), {"s": "A\x00B"}).scalar() == "A\x00B"


def test_utcnow_is_aware():
    assert utcnow().tzinfo is not None and UTCDateTime().impl.timezone


def test_months_are_added_in_utc_whatever_the_postgresql_sessions_time_zone(
        database_url, monkeypatch):
    """`figures.stability.months_later` adds calendar months to UTC instants on SQLite; on
    PostgreSQL it adds them in the session's TimeZone, which the server's configuration or
    PGTZ may set to Asia/Shanghai: 31 March 07:00 local + 3 months would then be 30 June
    07:00 local, not 30 June 23:00 UTC, and the report's stability rate would differ from
    SQLite's for a worker home on 30 June at noon. Our engines pin every session to UTC."""
    monkeypatch.setenv("PGTZ", "Asia/Shanghai")  # as a libpq client's environment may say
    engine = make_engine(database_url)
    local = ZoneInfo("Asia/Shanghai")
    left = literal(datetime(2027, 3, 31, 7, tzinfo=local), UTCDateTime())
    home = literal(datetime(2027, 6, 30, 12, tzinfo=local), UTCDateTime())
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                assert connection.execute(text("SHOW TIME ZONE")).scalar() == "UTC"
            later = connection.execute(select(case(
                (stability.months_later(home, left, 3), 1), else_=0))).scalar()
    finally:
        engine.dispose()
    assert later == 0  # 30 June 04:00 UTC is within 30 March 23:00 UTC + 3 months


def test_postgresql_sessions_run_without_jit_compilation(database_url):
    """PostgreSQL compiles a query whose estimated cost passes jit_above_cost: for the
    report's counts over a month (milliseconds each) the compiling costs more than it saves
    (bench/report.py), so our engines turn it off, whatever the server's configuration."""
    if not database_url.startswith("postgresql"):
        pytest.skip("JIT compilation is PostgreSQL's")
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar() == "off"
            connection.rollback()
        with engine.connect() as connection:  # a pooled connection keeps it
            assert connection.execute(text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()


def test_readers_take_no_transaction_on_postgresql_and_writers_still_do(app):
    """A reading session (`svc.readers`: a USSD step's menu data, the metrics' counts) runs
    each statement on its own on PostgreSQL, without the round trips of BEGIN and COMMIT;
    on SQLite it begins a transaction that takes no writer's lock. The connection it used,
    given back to the pool, is a writer's again: a writing session's statements wait for
    its commit."""
    svc = services(app)
    postgresql = svc.engine.dialect.name == "postgresql"
    with svc.readers() as db:
        assert db.execute(select(literal(1))).scalar() == 1
        raw = db.connection().connection.dbapi_connection
        if postgresql:
            assert raw.info.transaction_status == TransactionStatus.IDLE
        else:
            assert raw.in_transaction
    for _ in range(3):  # whichever pooled connection a writer gets
        with svc.sessions() as db:
            db.execute(select(literal(1)))
            raw = db.connection().connection.dbapi_connection
            if postgresql:
                assert raw.info.transaction_status == TransactionStatus.INTRANS
            else:
                assert raw.in_transaction
