"""Broadcasts on a templated provider (Tencent): the officer picks a broadcast template and
fills its variables; the preview shows the final text and its cost; values are cut to the
provider's limit where the text is built; the SDK sends the approved template. Free text is
refused there, and stays as it was on the other providers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from menus.budget import sms_segments
from menus.texts import t
from smsgateway.models import Broadcast, Message, MessageStatus
from smsgateway.templates import VARIABLE_LIMIT

from .api import account, registered_villager
from .conftest import run_worker
from .console import console_account, sign_in, token_of
from .test_tencent import _expect_send_sms, send_sms_answers

MEETING = {"name": "meeting",
           "zh": {"date": "12月3日", "time": "上午9点", "place": "德党镇政府会议室"},
           "en": {"date": "3 Dec", "time": "9:00", "place": "Dedang town hall"}}
TEMPLATE_IDS = {"sms_broadcast_meeting.zh": "2220001", "sms_broadcast_meeting.en": "2220002"}


@pytest.fixture
def tencent_app(app_factory, httpserver, tmp_path):
    """Tencent through its SDK to the local server, the meeting template approved."""
    ids = tmp_path / "tencent-templates.json"
    ids.write_text(json.dumps(TEMPLATE_IDS), encoding="utf-8")
    return app_factory(SMS_PROVIDER="tencent", TENCENT_SECRET_ID="AKIDtest",
                       TENCENT_SECRET_KEY="secret", TENCENT_SMS_SDK_APP_ID="1400000001",
                       TENCENT_SMS_SIGN="临沧务工",
                       TENCENT_SMS_ENDPOINT=httpserver.url_for("/").rstrip("/"),
                       TENCENT_TEMPLATES=str(ids), PROVIDER_TIMEOUT=5.0,
                       SMS_SEGMENT_PRICE=0.04)


def test_the_preview_shows_the_filled_template_and_its_cost(tencent_app):
    """Two Chinese readers and one English: each language's final text, its segments, and
    the cost (segments × recipients × price)."""
    for n, lang in enumerate(("zh", "zh", "en")):
        registered_villager(tencent_app, n, lang)
    admin = account(tencent_app, "admin", "admin")
    preview = tencent_app.test_client().post("/api/v1/broadcasts/preview", headers=admin,
                                             json={"template": MEETING}).json
    zh = t("zh", "sms_broadcast_meeting", **MEETING["zh"])
    en = t("en", "sms_broadcast_meeting", **MEETING["en"])
    assert preview["languages"]["zh"]["text"] == zh
    assert preview["languages"]["en"]["text"] == en
    assert preview["languages"]["en"]["segments_per_message"] == sms_segments(en) == 1
    total = 2 * sms_segments(zh) + 1 * sms_segments(en)
    assert preview["total_segments"] == total
    assert preview["estimated_cost"] == round(total * 0.04, 2)


def test_a_value_longer_than_the_limit_is_cut_where_the_text_is_built(tencent_app):
    """A place of 50 characters goes as its first 35, in the preview and in the template."""
    registered_villager(tencent_app, 0, "en")
    admin = account(tencent_app, "admin", "admin")
    place = "Dedang township government, second floor meeting room"
    body = {"template": {"name": "meeting", "en": {**MEETING["en"], "place": place}}}
    preview = tencent_app.test_client().post("/api/v1/broadcasts/preview", headers=admin,
                                             json=body).json
    cut = place[:VARIABLE_LIMIT]
    assert preview["languages"]["en"]["text"] == t("en", "sms_broadcast_meeting",
                                                   **{**MEETING["en"], "place": cut})
    assert place not in preview["languages"]["en"]["text"]


def test_a_templated_broadcast_goes_as_the_approved_template(tencent_app, httpserver, db):
    """Sent through the SDK: template 2220001 with the values in order for the Chinese
    reader, 2220002 for the English one; the broadcast is done."""
    _expect_send_sms(httpserver, send_sms_answers(("Ok", "send success")))
    zh_phone = registered_villager(tencent_app, 0, "zh")
    en_phone = registered_villager(tencent_app, 1, "en")
    admin = account(tencent_app, "admin", "admin")
    client = tencent_app.test_client()
    created = client.post("/api/v1/broadcasts", headers=admin, json={"template": MEETING})
    assert created.status_code == 201, created.json
    assert created.json["text_zh"] == t("zh", "sms_broadcast_meeting", **MEETING["zh"])
    run_worker(tencent_app)
    sent = {r.get_json()["PhoneNumberSet"][0]: r.get_json() for r, _ in httpserver.log}
    assert sent[zh_phone]["TemplateId"] == "2220001"
    assert sent[zh_phone]["TemplateParamSet"] == ["12月3日", "上午9点", "德党镇政府会议室"]
    assert sent[en_phone]["TemplateId"] == "2220002"
    assert sent[en_phone]["TemplateParamSet"] == ["Dedang town hall", "3 Dec", "9:00"]
    assert {m.status for m in db.scalars(select(Message))} == {MessageStatus.SENT}
    shown = client.get(f"/api/v1/broadcasts/{created.json['id']}", headers=admin).json
    assert shown["status"] == "done" and shown["template"]["name"] == "meeting"


@pytest.mark.parametrize("body, field", [
    ({"text_zh": "明天开会"}, "template"),
    ({"template": {"name": "party", "zh": {"text": "x"}}}, "template.name"),
    ({"template": {"name": "meeting", "zh": {"date": "12月3日", "place": "镇政府"}}},
     "template.zh.time"),
    ({"template": {"name": "notice"}}, "template.zh"),
])
def test_free_text_or_a_bad_template_is_refused_there_and_nothing_is_stored(
        tencent_app, db, body, field):
    """On Tencent: free text, an unknown template, a missing variable, no values: 422
    naming what is wrong, and no broadcast."""
    registered_villager(tencent_app, 0, "zh")
    admin = account(tencent_app, "admin", "admin")
    response = tencent_app.test_client().post("/api/v1/broadcasts", headers=admin, json=body)
    assert response.status_code == 422, response.json
    assert response.json["field"] == field
    assert db.scalar(select(func.count()).select_from(Broadcast)) == 0


def test_elsewhere_a_broadcast_stays_free_text(app, client, db):
    """On the console provider (as on Twilio and Africa's Talking) free text goes as it is,
    with no template kept."""
    registered_villager(app, 0, "zh")
    admin = account(app, "admin", "admin")
    created = client.post("/api/v1/broadcasts", headers=admin, json={"text_zh": "明天开会"})
    assert created.status_code == 201, created.json
    run_worker(app)
    [row] = db.scalars(select(Message)).all()
    assert (row.body, row.template, row.status) == ("明天开会", None, MessageStatus.SENT)


def test_the_console_picks_a_template_and_previews_its_final_text(tencent_app, db):
    """On Tencent the composer offers the templates (no free-text box); the preview answers
    the meeting's final text; sending stores the broadcast with its template."""
    registered_villager(tencent_app, 0, "zh")
    console_account(tencent_app, "li", "officer", area="yongde")
    client = tencent_app.test_client()
    assert sign_in(client, "li").status_code == 302
    page = client.get("/console/broadcasts").get_data(as_text=True)
    assert 'name="template"' in page and 'name="text_zh"' not in page
    assert 'name="tpl-meeting-zh-place"' in page
    form = {"csrf_token": token_of(page), "template": "meeting",
            **{f"tpl-meeting-zh-{k}": v for k, v in MEETING["zh"].items()}}
    preview = client.post("/console/broadcasts/preview", data=form,
                          headers={"X-CSRF-Token": form["csrf_token"]})
    assert preview.status_code == 200, preview.get_data(as_text=True)
    assert preview.json["languages"]["zh"]["text"] == t("zh", "sms_broadcast_meeting",
                                                        **MEETING["zh"])
    sent = client.post("/console/broadcasts/send", data=form)
    assert sent.status_code == 302
    [broadcast] = db.scalars(select(Broadcast)).all()
    assert broadcast.template == {"name": "meeting", "zh": MEETING["zh"]}
