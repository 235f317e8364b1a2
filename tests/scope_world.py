"""A small world for the scope tests: two counties, an officer in each, two agencies, and in
Yongde a posting, an application, a training with an enrolment, a departure, a case, a
broadcast and villagers (with one villager in Fengqing too).

Every account has an API token and can be signed into the console (`console_as`), so that
each role can be tried against every route and page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from menus.types import Profile
from smsgateway.access import token_digest
from smsgateway.console import password_mark
from smsgateway.followup import cases
from smsgateway.models import (
    Agency,
    ApiToken,
    Area,
    Contact,
    Interview,
    InterviewStatus,
    Posting,
    Role,
    TrainingSession,
    User,
)
from smsgateway.postings import applications
from smsgateway.services import services
from smsgateway.training import sessions as trainings
from smsgateway.villagers.records import contact_for, register

from .api import agency, employer, posting_body

ROLES = ("admin", "officer", "stranger", "owner", "other", "nobody")
"""admin; the officer of Yongde (the area); the officer of Fengqing (another county); the
agency owning the posting; another agency; no token (not signed in)."""

YONGDE_PHONE, FENGQING_PHONE, SPARE_PHONE = "+8613900000001", "+8613900000002", "+8613900000003"
UNREGISTERED_PHONE = "+8613900000099"


@dataclass
class World:
    """The ids of the seeded rows and every role's API headers and user id."""

    heads: dict[str, dict[str, str]] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


def _user(app: Flask, world: World, key: str, role: str, area: str | None = None,
          agency_id: int | None = None) -> None:
    token = secrets.token_urlsafe(16)
    with services(app).sessions.begin() as db:
        area_id = db.scalar(select(Area.id).where(Area.code == area)) if area else None
        user = User(name=f"user-{key}", role=Role(role), area_id=area_id, agency_id=agency_id)
        db.add(user)
        db.flush()
        db.add(ApiToken(user_id=user.id, token_hash=token_digest(token)))
        world.users[key] = user.id
    world.heads[key] = {"Authorization": f"Bearer {token}"}


def _villager(app: Flask, phone: str, county: str, township: str) -> int:
    with services(app).sessions.begin() as db:
        villager = register(db, contact_for(db, phone),
                            Profile("村民", "f", 1995, county, township, ("factory",), True,
                                    True, "zh"), via="ussd", channel="console", notify=False)
        db.flush()
        return villager.id


def build(app: Flask, client: FlaskClient) -> World:
    """Seed the world through the API where that is how rows are made, else directly."""
    world = World()
    world.ids["agency"] = agency(app, "Wanxin Labour Service", "LIC-001")
    world.ids["other_agency"] = agency(app, "Hanxian Agency", "LIC-002")
    _user(app, world, "admin", "admin")
    _user(app, world, "officer", "officer", area="yongde")
    _user(app, world, "stranger", "officer", area="fengqing")
    _user(app, world, "owner", "agency", agency_id=world.ids["agency"])
    _user(app, world, "other", "agency", agency_id=world.ids["other_agency"])
    world.heads["nobody"] = {}
    world.ids["employer"] = employer(app)

    officer = world.heads["officer"]
    posting = client.post("/api/v1/postings", headers=world.heads["owner"],
                          json=posting_body(world.ids["employer"], area="yongde"))
    assert posting.status_code == 201, posting.json
    world.ids["posting"] = posting.json["id"]
    vetted = client.post(f"/api/v1/postings/{world.ids['posting']}/vet", headers=officer,
                         json={"decision": "publish"})
    assert vetted.status_code == 200, vetted.json

    world.ids["villager"] = _villager(app, YONGDE_PHONE, "yongde", "yongde.dedang")
    world.ids["fengqing_villager"] = _villager(app, FENGQING_PHONE, "fengqing",
                                               "fengqing.fengshan")
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == YONGDE_PHONE)).one()
        found = db.get(Posting, world.ids["posting"])
        assert found is not None and contact.villager is not None
        application = applications.apply(db, contact.villager, found, "sms", found.deadline)
        db.flush()
        world.ids["application"] = application.id
        case = cases.open_case(db, contact.villager, "wages_unpaid", "工资没有发", False,
                               "sms", "console", application)
        world.ids["case"] = case.id

    start = date.today() + timedelta(days=10)
    training = client.post("/api/v1/trainings", headers=officer, json={
        "trade": "factory", "township": "yongde.dedang", "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=2)).isoformat(), "capacity": 20})
    assert training.status_code == 201, training.json
    world.ids["training"] = training.json["id"]
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == YONGDE_PHONE)).one()
        session = db.get(TrainingSession, training.json["id"])
        assert session is not None and contact.villager is not None
        world.ids["enrolment"] = trainings.enrol(db, contact.villager, session, "sms",
                                                 date.today()).id

    leaves = datetime.combine(date.today() + timedelta(days=20), datetime.min.time(),
                              ZoneInfo("Asia/Shanghai")) + timedelta(hours=9)
    departure = client.post("/api/v1/departures", headers=officer, json={
        "posting_id": world.ids["posting"], "leaves_at": leaves.isoformat(),
        "place": "Dedang bus station", "escort_name": "Li Wei", "escort_phone": "13887654321"})
    assert departure.status_code == 201, departure.json
    world.ids["departure"] = departure.json["id"]

    broadcast = client.post("/api/v1/broadcasts", headers=officer, json={
        "text_zh": "德党镇招工信息", "text_en": "Jobs news for Dedang"})
    assert broadcast.status_code == 201, broadcast.json
    world.ids["broadcast"] = broadcast.json["id"]

    day = client.post("/api/v1/recruitment-days", headers=officer, json={
        "posting_id": world.ids["posting"], "township": "yongde.dedang", "place": "Town hall",
        "day": (date.today() + timedelta(days=5)).isoformat(),
        "slots": [{"time": "09:00", "places": 3}]})
    assert day.status_code == 201, day.json
    world.ids["day"] = day.json["id"]
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == YONGDE_PHONE)).one()
        assert contact.villager is not None
        interview = Interview(day_id=day.json["id"], villager_id=contact.villager.id,
                              status=InterviewStatus.BOOKED,
                              application_id=world.ids["application"])
        db.add(interview)
        db.flush()
        world.ids["interview"] = interview.id
    return world


def console_as(app: Flask, world: World, role: str) -> tuple[FlaskClient, str]:
    """A console client signed in as `role` (its session set as signing in sets it), and
    its CSRF token; `nobody` is not signed in."""
    client = app.test_client()
    token = secrets.token_urlsafe(16)
    with client.session_transaction() as session:
        session["csrf"] = token
        if role != "nobody":
            with services(app).sessions() as db:
                user = db.get(User, world.users[role])
                assert user is not None
                session["user_id"], session["pw"] = user.id, password_mark(user)
    return client, token


def suspended(app: Flask, agency_id: int) -> bool:
    """Whether the agency is suspended now."""
    with services(app).sessions() as db:
        found = db.get(Agency, agency_id)
        assert found is not None
        return found.suspended
