"""Approved template ids by API: admins read every template with its id and set ids in a
table that wins over the TENCENT_TEMPLATES file; an unknown template or a malformed id is
422 and changes nothing; the sender uses the table's id."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from smsgateway.models import Contact, MessageStatus, TemplateApproval
from smsgateway.services import services
from smsgateway.templates import TEMPLATES, templated

from .api import account
from .conftest import run_worker
from .console import console_account, form_token, sign_in
from .test_tencent import SERIAL, _expect_send_sms, _queue, _rows, send_sms_answers

FILE_IDS = {"sms_registered.zh": "1110001", "sms_help.zh": "1110003"}


@pytest.fixture
def tencent(app_factory, httpserver, tmp_path):
    """Tencent as the provider, its SDK pointed at the local server, ids in a file."""
    path = tmp_path / "tencent-templates.json"
    path.write_text(json.dumps(FILE_IDS), encoding="utf-8")
    return app_factory(SMS_PROVIDER="tencent", TENCENT_SECRET_ID="AKIDtest",
                       TENCENT_SECRET_KEY="secret", TENCENT_SMS_SDK_APP_ID="1400000001",
                       TENCENT_SMS_SIGN="临沧务工", TENCENT_CALLBACK_TOKEN="t",
                       TENCENT_SMS_ENDPOINT=httpserver.url_for("/").rstrip("/"),
                       TENCENT_TEMPLATES=str(path), PROVIDER_TIMEOUT=5.0)


def _by_name(response):
    return {item["template"]: item for item in response.json["items"]}


def _table(app):
    with services(app).sessions() as db:
        return {(r.template, r.language): r.approved_id
                for r in db.scalars(select(TemplateApproval))}


def test_an_admin_lists_every_template_and_its_ids_set_here_win_over_the_files(tencent):
    """GET: every template in both languages, with the file's ids (source file); PUT sets
    ids (source api, winning over the file); null removes one and the file's applies again."""
    client, admin = tencent.test_client(), account(tencent, "root", "admin")
    listed = client.get("/api/v1/templates", headers=admin)
    assert listed.status_code == 200, listed.json
    items = _by_name(listed)
    assert set(items) == {f"{key}.{lang}" for key in TEMPLATES for lang in ("zh", "en")}
    assert (items["sms_help.zh"]["approved_id"], items["sms_help.zh"]["source"]) == (
        "1110003", "file")
    assert (items["sms_help.en"]["approved_id"], items["sms_help.en"]["source"]) == (None, None)
    assert items["sms_registered.zh"]["wording"].startswith("注册成功！谢谢您，{1}。")
    assert items["sms_registered.zh"]["kind"] == "registration"

    put = client.put("/api/v1/templates", headers=admin,
                     json={"ids": {"sms_help.zh": "2220003", "sms_help.en": "2220004"}})
    assert put.status_code == 200, put.json
    items = _by_name(put)
    assert (items["sms_help.zh"]["approved_id"], items["sms_help.zh"]["source"]) == (
        "2220003", "api")
    assert items["sms_help.en"]["approved_id"] == "2220004"
    assert items["sms_registered.zh"]["source"] == "file"
    again = client.put("/api/v1/templates", headers=admin,
                       json={"ids": {"sms_help.zh": "2220005"}})
    assert _by_name(again)["sms_help.zh"]["approved_id"] == "2220005"
    assert _table(tencent) == {("sms_help", "zh"): "2220005", ("sms_help", "en"): "2220004"}

    removed = client.put("/api/v1/templates", headers=admin, json={"ids": {"sms_help.zh": None}})
    assert (_by_name(removed)["sms_help.zh"]["approved_id"],
            _by_name(removed)["sms_help.zh"]["source"]) == ("1110003", "file")
    assert _table(tencent) == {("sms_help", "en"): "2220004"}


@pytest.mark.parametrize("ids", [
    {"sms_help.zh": "2220003", "sms_newsletter.zh": "1"},  # no such template
    {"sms_help.fr": "2220003"},  # no such language
    {"registration.zh": "2220003"},  # a kind, not a template
    {"sms_help.zh": "2220003", "sms_help.en": "ABC-12"},  # not an id
    {"sms_help.zh": ""},
])
def test_an_unknown_template_or_a_malformed_id_is_422_and_changes_nothing(tencent, ids):
    """All or nothing: a good id in the same body is not set either."""
    client, admin = tencent.test_client(), account(tencent, "root", "admin")
    response = client.put("/api/v1/templates", headers=admin, json={"ids": ids})
    assert response.status_code == 422, response.json
    assert response.json["error"]
    assert _table(tencent) == {}


def test_officers_and_agencies_may_neither_read_nor_set_template_ids(tencent):
    """Admins only: 403 for an officer and an agency, and nothing is written."""
    client = tencent.test_client()
    for head in (account(tencent, "o", "officer", area="yongde"),
                 account(tencent, "a", "agency")):
        assert client.get("/api/v1/templates", headers=head).status_code == 403
        assert client.put("/api/v1/templates", headers=head,
                          json={"ids": {"sms_help.zh": "2220003"}}).status_code == 403
    assert client.get("/api/v1/templates").status_code == 401
    assert _table(tencent) == {}


def test_the_sender_uses_the_id_set_by_api_over_the_files(tencent, httpserver):
    """A message of a template the file maps goes with the table's id once one is set; a
    template only the table maps goes too."""
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    client, admin = tencent.test_client(), account(tencent, "root", "admin")
    assert client.put("/api/v1/templates", headers=admin, json={"ids": {
        "sms_registered.zh": "3330001", "wechat_code_sms.zh": "3330002"}}).status_code == 200
    _queue(tencent, templated("zh", "sms_registered", name="李明"))
    _queue(tencent, templated("zh", "wechat_code_sms", code="123456"), kind="wechat_code",
           phone="+8613800138099")
    run_worker(tencent)
    assert sorted(request.get_json()["TemplateId"] for request, _ in httpserver.log) == [
        "3330001", "3330002"]
    assert [(m.status, m.provider_message_id) for m in _rows(tencent)] == [
        (MessageStatus.SENT, SERIAL)] * 2
    with services(tencent).sessions() as db:
        assert len(db.scalars(select(Contact)).all()) == 2


def test_an_admin_sets_and_removes_an_id_in_the_console_and_others_find_no_page(tencent):
    """The console's form sets one template's id (the table, as the API does) and an empty
    id removes it; an unknown template comes back with the reason and writes nothing; an
    officer finds no such page."""
    console_account(tencent, "root", "admin")
    client = tencent.test_client()
    sign_in(client, "root")
    token = form_token(client)
    page = client.get("/console/templates")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "sms_help.zh" in text and "1110003" in text and "报备内容" in text
    done = client.post("/console/templates", data={
        "csrf_token": token, "template": "sms_help.en", "approved_id": "4440004"},
        follow_redirects=True)
    assert "已保存 sms_help.en 的模板编号" in done.get_data(as_text=True)
    assert _table(tencent) == {("sms_help", "en"): "4440004"}
    wrong = client.post("/console/templates", data={
        "csrf_token": token, "template": "sms_newsletter.zh", "approved_id": "4440005"},
        headers={"Referer": "http://localhost/console/templates"}, follow_redirects=True)
    assert wrong.request.path == "/console/templates"
    assert "no template &#39;sms_newsletter.zh&#39;" in wrong.get_data(as_text=True)
    assert _table(tencent) == {("sms_help", "en"): "4440004"}
    client.post("/console/templates", data={"csrf_token": token, "template": "sms_help.en",
                                            "approved_id": ""})
    assert _table(tencent) == {}

    console_account(tencent, "li", "officer", area="yongde")
    officer = tencent.test_client()
    sign_in(officer, "li")
    assert officer.get("/console/templates").status_code == 404
    assert officer.post("/console/templates", data={
        "csrf_token": form_token(officer), "template": "sms_help.en",
        "approved_id": "4440006"}).status_code == 404
    assert _table(tencent) == {}
