"""Odd text at every edge: stored as the same text on SQLite and PostgreSQL, never a 500.

Each edge (the SMS webhooks of both gateways, the USSD callback, API bodies, query strings
and path values, CSV imports) is fed the same table: NUL, a lone surrogate (from a JSON
escape, or as bytes that are not UTF-8), control characters, RTL marks, emoji and a
decomposed accent. Forms carry bytes: a lone surrogate there is invalid UTF-8, which the
form decoder (werkzeug) keeps as its percent escapes, plain text; JSON carries it as an
escape, which `clean` makes U+FFFD.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from redis import Redis
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from smsgateway.kernel.text import clean
from smsgateway.models import InboundMessage, Posting, Villager
from smsgateway.villagers.labour_files import read_rows

from .api import account, agency, employer, posting_body
from .conftest import TWILIO_TOKEN
from .console import console_account, form_token, sign_in
from .sign import PUBLIC_BASE_URL, at_sms, twilio_sms, ussd_form

PHONE = "+8613812345678"
FFFD = "\ufffd"
RTL = "\u200f"  # RIGHT-TO-LEFT MARK: a format character, kept
LTR = "\u200e"

# (case, sent, stored from a form, stored from JSON); None: as in the form
CASES = [
    ("nul", "A\x00B", "AB", None),
    ("lone surrogate", "A\ud800B", "A%ED%A0%80B", f"A{FFFD}B"),
    ("control characters", "A\x07B\x1b[0m\x7fC\x85D\r\nE\tF", "AB[0mCD\nE\tF", None),
    ("RTL marks", f"{RTL}عامل{LTR} 12", f"{RTL}عامل{LTR} 12", None),
    ("emoji", "招工👍🏽👨‍👩‍👧", "招工👍🏽👨‍👩‍👧", None),
    ("decomposed accent", "Cafe\u0301", "Caf\u00e9", None),
]
IDS = [case[0] for case in CASES]


def _form_bytes(form: dict[str, str]) -> bytes:
    """A form as a client sends it: UTF-8, a lone surrogate as the (invalid) bytes it'd be."""
    return "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}"
                    for k, v in form.items()).encode()


def _post_form(client, path: str, form: dict[str, str], **kwargs):
    return client.post(path, data=_form_bytes(form),
                       content_type="application/x-www-form-urlencoded", **kwargs)


def _kept_body(db) -> str:
    db.expire_all()
    return db.scalars(select(InboundMessage.body)).one()


@pytest.mark.parametrize(("case", "sent", "stored", "_json"), CASES, ids=IDS)
def test_africastalking_sms_with_odd_text_is_kept_clean(client, db, case, sent, stored, _json):
    response = _post_form(client, "/sms/africastalking", at_sms("at-odd", PHONE, sent))
    assert response.status_code == 200, response.data
    expected = stored.replace("AB", "A@B") if case == "nul" else stored
    assert _kept_body(db) == expected


@pytest.mark.parametrize(("case", "sent", "stored", "_json"), CASES, ids=IDS)
def test_twilio_sms_with_odd_text_is_kept_clean(client, db, case, sent, stored, _json):
    form = twilio_sms("SModd", PHONE, sent)
    # Twilio signs the text it sends; a lone surrogate cannot be sent as text, so the
    # signature is over what our form decoder reads.
    read = {k: v.replace("\ud800", "%ED%A0%80") for k, v in form.items()}
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(
        PUBLIC_BASE_URL + "/sms/twilio", read)
    response = _post_form(client, "/sms/twilio", form,
                          headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200, response.data
    assert _kept_body(db) == stored  # Twilio decodes `@` itself: a NUL is only removed


def test_a_nul_from_africastalking_is_an_at_sign_only_in_a_gsm_body(client, db):
    """`@` is GSM-7 code 0; in a Chinese (UCS-2) body a NUL is no `@`, and is removed."""
    _post_form(client, "/sms/africastalking", at_sms("at-1", PHONE, "HELP\x00"))
    _post_form(client, "/sms/africastalking", at_sms("at-2", PHONE, "李\x00明"))
    db.expire_all()
    assert db.scalars(select(InboundMessage.body).order_by(InboundMessage.id)).all() == [
        "HELP@", "李明"]


def test_an_sms_registration_with_a_nul_in_it_registers(client, db):
    """A NUL in the middle of an SMS registration is read like the same text without."""
    response = _post_form(client, "/sms/africastalking",
                          at_sms("at-1", PHONE, "注册 李\x00明，男，1990，博尚镇"))
    assert response.status_code == 200, response.data
    db.expire_all()
    villager = db.scalars(select(Villager)).one()
    assert villager.name == "李明"


@pytest.mark.parametrize(("case", "sent", "stored", "_json"), CASES, ids=IDS)
def test_ussd_with_odd_text_is_answered_and_kept_clean(app, client, case, sent, stored, _json):
    response = _post_form(client, "/ussd", ussd_form(f"u\x00{sent}", PHONE, sent))
    assert response.status_code == 200, response.data
    assert response.get_data(as_text=True)[:4] in ("CON ", "END ")
    session_id = f"u{stored}"
    raw = Redis.from_url(app.config["REDIS_URL"]).get(f"ussd:session:{session_id}")
    assert raw is not None and json.loads(raw)["seen"] == stored


@pytest.mark.parametrize(("case", "sent", "stored", "from_json"), CASES, ids=IDS)
def test_api_body_with_odd_text_is_stored_clean(app, client, db, case, sent, stored,
                                                from_json):
    admin = account(app, "admin", "admin")
    body = posting_body(employer(app), agency(app, "永德劳务", "YD-001"),
                        title_zh=f"电子厂{sent}", draft=True)
    response = client.post("/api/v1/postings", headers=admin, json=body)
    assert response.status_code == 201, response.json
    expected = f"电子厂{from_json or stored}"
    assert response.json["title_zh"] == expected
    db.expire_all()
    assert db.scalars(select(Posting.title_zh)).one() == expected


@pytest.mark.parametrize(("case", "sent", "stored", "from_json"), CASES, ids=IDS)
def test_api_query_and_path_with_odd_text_answer_without_a_server_error(
        app, client, case, sent, stored, from_json):
    officer = account(app, "o", "officer", area="yongde")
    query = quote(sent.encode("utf-8", "surrogatepass"))
    for path in (f"/api/v1/villagers?q={query}", f"/api/v1/postings?status={query}",
                 f"/api/v1/cases?status={query}", f"/api/v1/villagers?area={query}",
                 f"/api/v1/agencies/{query}"):
        response = client.get(path, headers=officer)
        assert response.status_code < 500, (path, response.json)
        assert response.is_json, path


def test_a_search_finds_a_name_however_its_accents_were_typed(app, client):
    """The query is NFC like the stored name: a decomposed é finds the composed one."""
    officer = account(app, "o", "officer", area="yongde")
    response = client.post("/api/v1/villagers", headers=officer, json={
        "phone": "139 0000 0101", "name": "Jose\u0301", "sex": "m", "birth_year": 1990,
        "township": "德党镇", "consent": True})
    assert response.status_code == 201, response.json
    assert response.json["name"] == "Jos\u00e9"
    for typed in ("Jose\u0301", "jos\u00e9", "JOS\u00c9\x00"):
        found = client.get(f"/api/v1/villagers?q={quote(typed)}", headers=officer).json
        assert [v["name"] for v in found["items"]] == ["Jos\u00e9"], typed


NAMES = [  # (case, name cell sent, the name stored; None: refused with a clear reason)
    ("nul", "李\x00明", "李明"),
    ("lone surrogate", "李\ud800明", None),  # U+FFFD is no letter
    ("control characters", "李\x07\x1b明\x7f", "李明"),
    ("RTL marks", f"{RTL}عامل", None),  # a format character is no letter either
    ("emoji", "李明👍", None),
    ("decomposed accent", "Jose\u0301", "Jos\u00e9"),
]


@pytest.mark.parametrize(("case", "name", "stored"), NAMES, ids=[n[0] for n in NAMES])
def test_csv_import_with_odd_text_stores_clean_names_or_refuses_the_row(
        app, client, db, case, name, stored):
    officer = account(app, "o", "officer", area="yongde")
    text = f"phone,name,sex,birth_year,township\n13900000101,{name},男,1990,德党镇\n"
    response = client.post("/api/v1/villagers/import", headers=officer,
                           json={"csv": text, "dry_run": False, "consent": True})
    assert response.status_code == 200, response.json
    [row] = response.json["rows"]
    db.expire_all()
    names = db.scalars(select(Villager.name)).all()
    if stored is None:
        assert row["action"] == "refuse" and row["reasons"] and names == []
    else:
        assert row["action"] == "create" and names == [stored]


def test_a_csv_file_read_from_the_console_form_is_cleaned_cell_by_cell():
    """The console's import form reaches the reader without the API's body cleaning."""
    text = "phone,姓名\x00,sex,birth_year,township\n13900000101,李\x00明,男,1990,德党镇\n"
    [(line, cells)] = read_rows(text)
    assert (line, cells["name"]) == (2, "李明")


@pytest.mark.parametrize(("case", "sent", "stored", "from_json"), CASES, ids=IDS)
def test_clean_is_what_every_edge_applies(case, sent, stored, from_json):
    """The table through `clean` itself: one function, idempotent."""
    assert clean(sent) == (from_json or stored)
    assert clean(clean(sent)) == clean(sent)


@pytest.mark.parametrize(("case", "sent", "stored", "_json"), CASES, ids=IDS)
def test_an_sms_from_the_console_simulator_with_odd_text_is_kept_clean(
        app, client, db, case, sent, stored, _json):
    """The console's forms are an edge too: the simulator's SMS reaches the conversation."""
    console_account(app, "o", "officer", area="yongde")
    assert sign_in(client, "o").status_code == 302
    form = {"csrf_token": form_token(client, "/console/simulator"), "action": "sms",
            "phone": PHONE, "body": f"HELP {sent}"}
    response = _post_form(client, "/console/simulator", form)
    assert response.status_code == 200
    assert _kept_body(db) == f"HELP {stored}"


def test_wechat_text_is_kept_clean(app_factory, db):
    """WeChat's XML cannot carry NUL, other controls or lone surrogates (XML 1.0 refuses
    them, so such a body is a 400): what it can carry (a decomposed accent, emoji, RTL
    marks, CR LF) is cleaned like every other edge's before it is kept."""
    from smsgateway.kernel.text import clean as clean_text

    from .test_wechat import AES_KEY, APP_ID, TOKEN, Follower, _link, text_xml

    app = app_factory(WECHAT_TOKEN=TOKEN, WECHAT_AES_KEY=AES_KEY, WECHAT_APP_ID=APP_ID)
    follower = Follower(app.test_client(), "o-odd-text")
    _link(app, follower, PHONE)
    sent = f"Cafe\u0301 招工👍🏽 {RTL}عامل{LTR}\r\nHELP"
    status, _ = follower.post(text_xml(follower.openid, sent, 6200000000000009999))
    assert status == 200
    db.expire_all()
    kept = db.scalars(select(InboundMessage.body).where(
        InboundMessage.provider_message_id == "wx-6200000000000009999")).one()
    assert kept == f"Caf\u00e9 招工👍🏽 {RTL}عامل{LTR}\nHELP" == clean_text(sent)
    status, _ = follower.post(text_xml(follower.openid, "A\x00B", 6200000000000009998))
    assert status == 400
