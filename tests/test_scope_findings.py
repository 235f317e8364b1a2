"""What crossed counties before the one authorisation layer, each shut now: broadcasts of
another county, audiences and previews outside the sender's area, the simulator on another
county's phones, suspending an agency, and creating things in an area not one's own."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from smsgateway.models import (
    Broadcast,
    BroadcastStatus,
    Case,
    InboundMessage,
    Posting,
    Target,
    TrainingSession,
    Villager,
)

from .api import posting_body
from .scope_world import (
    FENGQING_PHONE,
    UNREGISTERED_PHONE,
    YONGDE_PHONE,
    World,
    build,
    console_as,
    suspended,
)

TEXT = {"text_zh": "招工信息", "text_en": "Jobs news"}


@pytest.fixture
def world(app, client) -> World:
    return build(app, client)


def _count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_an_officer_neither_lists_nor_reads_nor_cancels_another_countys_broadcasts(
        app, client, world, db):
    """Fengqing's officer: an empty list, 404 on the broadcast and on cancelling it (API and
    console); it stays scheduled. Yongde's officer and the admin see it."""
    number = world.ids["broadcast"]
    stranger = world.heads["stranger"]
    listed = client.get("/api/v1/broadcasts", headers=stranger).json
    assert (listed["total"], listed["items"]) == (0, [])
    assert client.get(f"/api/v1/broadcasts/{number}", headers=stranger).status_code == 404
    cancel = client.post(f"/api/v1/broadcasts/{number}/cancel", headers=stranger)
    assert (cancel.status_code, cancel.json["field"]) == (404, "broadcast_id")
    console, token = console_as(app, world, "stranger")
    assert console.get(f"/console/broadcasts/{number}").status_code == 404
    assert console.post(f"/console/broadcasts/{number}/cancel",
                        data={"csrf_token": token}).status_code == 404
    assert f"/console/broadcasts/{number}" not in console.get(
        "/console/broadcasts").get_data(as_text=True)
    assert db.get(Broadcast, number).status != BroadcastStatus.CANCELLED
    for role in ("officer", "admin"):
        assert client.get("/api/v1/broadcasts", headers=world.heads[role]).json["total"] == 1
        assert client.get(f"/api/v1/broadcasts/{number}",
                          headers=world.heads[role]).status_code == 200


@pytest.mark.parametrize("areas", [["fengqing"], ["lincang"], ["yongde", "fengqing.fengshan"],
                                   ["atlantis"]])
def test_an_audience_outside_the_senders_area_is_refused_and_counts_nothing(
        client, world, db, areas):
    """Another county, the whole city, or one area out of two: 404 on `audience.areas` (as an
    unknown area), for the preview (no count) as for sending (nothing created)."""
    body = {**TEXT, "audience": {"areas": areas}}
    for path in ("/api/v1/broadcasts/preview", "/api/v1/broadcasts"):
        response = client.post(path, headers=world.heads["officer"], json=body)
        assert (response.status_code, response.json["field"]) == (404, "audience.areas")
        assert "recipients" not in response.json
    assert _count(db, Broadcast) == 1  # the world's own


def test_the_consoles_live_count_refuses_an_area_outside_the_senders(app, world):
    """The composer's preview in the console: 404 with the reason as JSON, no count."""
    console, token = console_as(app, world, "officer")
    response = console.post("/console/broadcasts/preview", data={
        "csrf_token": token, "text_zh": "招工信息", "areas": "fengqing"})
    assert response.status_code == 404 and response.json["field"] == "audience.areas"
    assert "recipients" not in response.json
    inside = console.post("/console/broadcasts/preview", data={
        "csrf_token": token, "text_zh": "招工信息", "areas": "yongde"})
    assert inside.status_code == 200 and inside.json["recipients"] == 1


def test_a_preview_counts_only_villagers_of_the_senders_area(client, world):
    """Yongde's officer previews their township or nothing named: Yongde's villager only;
    the admin naming the city counts both counties."""
    officer = world.heads["officer"]
    for audience in ({}, {"areas": ["yongde.dedang"]}):
        preview = client.post("/api/v1/broadcasts/preview", headers=officer,
                              json={**TEXT, "audience": audience})
        assert preview.status_code == 200 and preview.json["recipients"] == 1
    city = client.post("/api/v1/broadcasts/preview", headers=world.heads["admin"],
                       json={**TEXT, "audience": {"areas": ["lincang"]}})
    assert city.json["recipients"] == 2


def test_a_broadcast_of_another_countys_posting_is_404(client, world):
    """Fengqing's officer cannot announce Yongde's posting."""
    response = client.post("/api/v1/broadcasts/preview", headers=world.heads["stranger"],
                           json={"posting_id": world.ids["posting"]})
    assert (response.status_code, response.json["field"]) == (404, "posting_id")


def test_the_simulator_plays_only_phones_of_the_officers_area_or_unregistered(app, world, db):
    """Fengqing's officer: Yongde's villager's thread and acting as them are 404, nothing is
    received or opened; their own county's villager and a new phone play; admins play any."""
    stranger, token = console_as(app, world, "stranger")
    assert stranger.get(f"/console/simulator?phone={quote(YONGDE_PHONE)}").status_code == 404
    cases_before = _count(db, Case)
    for action in ({"action": "sms", "body": "PROBLEM 工资没有发"}, {"action": "dial"}):
        acted = stranger.post("/console/simulator", data={"csrf_token": token,
                                                          "phone": YONGDE_PHONE, **action})
        assert acted.status_code == 404
    assert db.scalar(select(func.count()).select_from(InboundMessage)
                     .where(InboundMessage.phone == YONGDE_PHONE)) == 0
    assert _count(db, Case) == cases_before
    for phone in (FENGQING_PHONE, UNREGISTERED_PHONE):
        assert stranger.get(f"/console/simulator?phone={quote(phone)}").status_code == 200
        played = stranger.post("/console/simulator", data={"csrf_token": token, "phone": phone,
                                                           "action": "sms", "body": "HELP"})
        assert played.status_code == 200
    admin, _ = console_as(app, world, "admin")
    assert admin.get(f"/console/simulator?phone={quote(YONGDE_PHONE)}").status_code == 200


@pytest.mark.parametrize("role", ["officer", "stranger", "owner"])
def test_only_an_admin_suspends_or_reinstates_an_agency(app, client, world, role):
    """An officer (even of the area the agency posts in) or an agency: 403, unchanged; the
    admin suspends and reinstates."""
    path = f"/api/v1/agencies/{world.ids['agency']}/suspend"
    refused = client.post(path, headers=world.heads[role], json={"suspended": True})
    assert refused.status_code == 403 and not suspended(app, world.ids["agency"])
    admin = world.heads["admin"]
    assert client.post(path, headers=admin, json={"suspended": True}).json["suspended"] is True
    assert client.post(path, headers=admin, json={"suspended": False}).status_code == 200
    assert not suspended(app, world.ids["agency"])


def test_creating_in_an_area_not_ones_own_is_404_and_creates_nothing(client, world, db):
    """Fengqing's officer names Yongde (a posting, a training, a villager, a target); an
    agency names another agency: 404 on the field, as for a missing one; nothing is made."""
    stranger = world.heads["stranger"]
    start = date.today() + timedelta(days=10)
    before = {m: _count(db, m) for m in (Posting, TrainingSession, Villager, Target)}
    attempts = [
        ("POST", "/api/v1/postings", stranger,
         posting_body(world.ids["employer"], agency_id=world.ids["agency"], area="yongde"),
         "area"),
        ("POST", "/api/v1/trainings", stranger,
         {"trade": "factory", "township": "yongde.dedang", "start_date": start.isoformat(),
          "end_date": (start + timedelta(days=1)).isoformat(), "capacity": 5}, "township"),
        ("POST", "/api/v1/villagers", stranger,
         {"phone": "13900000111", "name": "李明", "sex": "m", "birth_year": 1990,
          "township": "yongde.dedang", "consent": True}, "township"),
        ("PUT", "/api/v1/targets", stranger,
         {"area": "yongde", "year": 2026, "trained": 10, "placed": 5}, "area"),
        ("POST", "/api/v1/postings", world.heads["other"],
         posting_body(world.ids["employer"], agency_id=world.ids["agency"]), "agency_id"),
    ]
    for method, path, head, body, field in attempts:
        response = client.open(path, method=method, headers=head, json=body)
        assert (response.status_code, response.json["field"]) == (404, field), path
    assert {m: _count(db, m) for m in before} == before


def test_the_villager_lists_area_filter_stays_in_the_officers_area(client, world):
    """`?area=` narrows within the officer's area; another county's code is 404, like an
    unknown one, and lists nobody."""
    officer = world.heads["officer"]
    inside = client.get("/api/v1/villagers?area=yongde.dedang", headers=officer)
    assert inside.status_code == 200
    assert [v["id"] for v in inside.json["items"]] == [world.ids["villager"]]
    for code in ("fengqing", "atlantis"):
        outside = client.get(f"/api/v1/villagers?area={code}", headers=officer)
        assert (outside.status_code, outside.json["field"]) == (404, "area")
        assert "items" not in outside.json
