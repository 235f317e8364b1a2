"""POST /ussd as Africa's Talking calls it: fields, tokens, history suffixes, failures."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from menus.budget import fits_ussd
from smsgateway.models import Contact, InboundMessage, Message, Villager

from .sign import ussd_form

PHONE = "+8613812345678"


def _post(client, form, query=""):
    return client.post("/ussd" + query, data=urlencode(form),
                       content_type="application/x-www-form-urlencoded")


def _stored(db):
    db.expire_all()
    return tuple(db.scalar(select(func.count()).select_from(t))
                 for t in (Contact, Villager, Message, InboundMessage))


def test_dial_in_answers_con_with_a_screen_that_fits(client, db):
    """First request (empty text): 200, text/plain, `CON ` and a screen within budget."""
    response = _post(client, ussd_form("s1", PHONE, ""))
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert body.startswith("CON ") and fits_ussd(body[4:])
    assert _stored(db) == (0, 0, 0, 0)


@pytest.mark.parametrize("missing", ["sessionId", "phoneNumber", "text", "serviceCode"])
def test_missing_field_is_a_400_that_stores_nothing(client, db, missing):
    """A post without one of AT's fields is not a USSD request."""
    form = ussd_form("s1", PHONE, "")
    del form[missing]
    response = _post(client, form)
    assert response.status_code == 400
    assert missing in response.get_data(as_text=True)
    assert _stored(db) == (0, 0, 0, 0)


def test_phone_that_is_not_a_number_gets_an_end_and_stores_nothing(client, db):
    """An authenticated request always answers 200: an unparseable phone gets END, no rows."""
    response = _post(client, ussd_form("s1", "not-a-phone", ""))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.startswith("END ") and fits_ussd(body[4:])
    assert _stored(db) == (0, 0, 0, 0)


def test_huge_text_gets_a_clear_end_and_stores_nothing(client, db):
    """A history far beyond what a session can type: END with a reason, nothing kept."""
    response = _post(client, ussd_form("s1", PHONE, "1*" * 3000))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.startswith("END ") and fits_ussd(body[4:])
    assert _stored(db) == (0, 0, 0, 0)


def test_body_over_the_webhook_limit_is_413(client, db):
    """An oversize body is refused before it is read."""
    response = _post(client, ussd_form("s1", PHONE, "x" * 70_000))
    assert response.status_code == 413
    assert _stored(db) == (0, 0, 0, 0)


@pytest.mark.parametrize("odd", ["\u202e\u0000", "%ff%fe", "\U0001f600" * 5, "\ufeff", "\u200b"])
def test_odd_unicode_as_input_gets_a_retry_screen_and_stores_nothing(client, db, odd):
    """Control, bidi, invalid UTF-8, emoji, zero-width: the same screen again, within budget."""
    first = _post(client, ussd_form("s1", PHONE, "")).get_data(as_text=True)
    response = client.post("/ussd", data="sessionId=s1&serviceCode=%2A384%23&phoneNumber="
                           "%2B8613812345678&networkCode=46000&text=" + odd,
                           content_type="application/x-www-form-urlencoded")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.startswith("CON ") and fits_ussd(body[4:])
    assert first[4:].splitlines()[-1] in body  # still the same screen
    assert _stored(db) == (0, 0, 0, 0)


def test_a_repeated_request_shows_the_same_screen_without_acting_twice(client):
    """AT resending the same text (a retry) gets the screen it got before."""
    _post(client, ussd_form("s1", PHONE, ""))
    once = _post(client, ussd_form("s1", PHONE, "2")).get_data(as_text=True)
    again = _post(client, ussd_form("s1", PHONE, "2")).get_data(as_text=True)
    assert once == again


def test_text_that_does_not_extend_the_history_ends_the_session(client):
    """A history that contradicts what the session saw is not guessed at: END and redial."""
    _post(client, ussd_form("s1", PHONE, ""))
    _post(client, ussd_form("s1", PHONE, "2"))
    response = _post(client, ussd_form("s1", PHONE, "1*5"))
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("END ")


def test_callback_token_is_enforced_when_set(app_factory):
    """With AT_CALLBACK_TOKEN set: no token or a wrong one is 403; the right one works."""
    client = app_factory(AT_CALLBACK_TOKEN="s3cret").test_client()
    assert _post(client, ussd_form("s1", PHONE, "")).status_code == 403
    assert _post(client, ussd_form("s1", PHONE, ""), "?token=wrong").status_code == 403
    assert _post(client, ussd_form("s1", PHONE, ""), "?token=s3cret").status_code == 200


def test_internal_failure_still_answers_200_with_an_end_apology(app_factory, caplog):
    """The database is unreachable: the phone gets END and an apology, the error is logged."""
    client = app_factory(DATABASE_URL="sqlite:////nonexistent/folder/jobline.db").test_client()
    response = _post(client, ussd_form("s1", PHONE, ""))
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.startswith("END ") and fits_ussd(body[4:])
    assert any("USSD session s1 failed" in r.getMessage() for r in caplog.records)


def test_without_a_callback_token_africas_talking_routes_refuse_outside_development(
        app_factory, monkeypatch):
    """AT signs nothing: a production app with no AT_CALLBACK_TOKEN answers 403."""
    monkeypatch.delenv("JOBLINE_DEVELOPMENT", raising=False)
    client = app_factory(TESTING=False).test_client()
    assert _post(client, ussd_form("s1", PHONE, "")).status_code == 403
    assert client.post("/sms/africastalking/delivery",
                       data={"id": "ATXid_1", "status": "Success"}).status_code == 403


def test_a_step_that_only_reads_does_not_wait_for_sqlites_write_lock(client, db, database_url):
    """On SQLite the menu reads under a plain BEGIN: while another connection holds the write
    lock, dialling in and opening the job list still answer at once (they would otherwise
    wait for the lock and end in an apology)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    import sqlite3

    db.add(Contact(phone=PHONE, language="zh"))  # the menu, not the language choice
    db.commit()
    writer = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        first = _post(client, ussd_form("s-lock", PHONE, "")).get_data(as_text=True)
        jobs = _post(client, ussd_form("s-lock", PHONE, "1")).get_data(as_text=True)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert first.startswith("CON ") and jobs.startswith("CON ")
    assert jobs != first  # the menu moved on to the jobs screen


def test_a_session_id_with_a_newline_cannot_forge_a_log_line(client, caplog):
    """The sessionId is logged (here: with a phone that is not one); its newline arrives
    escaped (and its carriage return removed at the edge), so the forged text stays inside
    our one line."""
    forged = "s1\nINFO smsgateway.messaging.outbox payment sent\r"
    with caplog.at_level(logging.WARNING, logger="smsgateway.web.ussd"):
        response = _post(client, ussd_form(forged, "not-a-phone", ""))
    assert response.status_code == 200
    [record] = [r for r in caplog.records if r.name == "smsgateway.web.ussd"]
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "\n" not in line and "\r" not in line
    # the newline arrives escaped; the carriage return is gone already (kernel.text cleans
    # every USSD value before it is logged)
    assert "s1\\nINFO smsgateway.messaging.outbox payment sent:" in line
