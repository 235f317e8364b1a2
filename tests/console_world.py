"""A console world with a row in every state a page can show: the scope tests' world
(tests/scope_world.py) and, in Yongde, postings, applications, enrolments, trainings,
departures, cases, messages and broadcasts in each state of their lifecycles, every case
category, and messages of every kind with Jobline's own failure reasons.

Rows are made through the API or the domain where that is how they are made; a state only a
long story reaches (a filled posting, a departed roster) is then set on the row directly.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from menus.types import Profile
from smsgateway.followup import cases
from smsgateway.models import (
    ApplicationStatus,
    Broadcast,
    BroadcastStatus,
    Case,
    CaseCategory,
    CaseStatus,
    Contact,
    Departure,
    DepartureStatus,
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageStatus,
    Posting,
    PostingStatus,
    TrainingSession,
    TrainingStatus,
    User,
)
from smsgateway.postings import applications
from smsgateway.services import services
from smsgateway.training import sessions as trainings
from smsgateway.villagers.records import contact_for, register

from .api import posting_body
from .scope_world import World, build

# Every kind of message Jobline writes, and the reasons it gives a failed one.
MESSAGE_KINDS = ("reply", "registration", "opt_out", "broadcast", "application", "family",
                 "ussd_dropped", "case", "checkin", "erased", "training-cancelled:1",
                 "training-lost:1", "apply-lost:abc", "departure_reminder")
FAILURES = ("the broadcast was cancelled", "the villager opted out before it was sent",
            "the worker stopped mid-send; not resent, to never send twice",
            "gave up after 5 attempts: timeout",
            "20 identical texts to this phone within 300 s: not sent")


def _villager(db, n: int, language: str, via: str):
    contact = contact_for(db, f"+86139100{n:05d}")
    villager = register(db, contact, Profile(f"村民{n}", "m" if n % 2 else "f", 1990,
                                             "yongde", "yongde.dedang",
                                             ("factory", "appliance_repair"), True, True,
                                             language), via=via, channel="console",
                        notify=False)
    db.flush()
    return villager


def build_every_state(app: Flask, client: FlaskClient) -> World:
    """The scope world, then a row in every state; display names for the accounts."""
    world = build(app, client)
    owner = world.heads["owner"]
    ids: dict[str, int] = {}
    for status in PostingStatus:
        made = client.post("/api/v1/postings", headers=owner,
                           json=posting_body(world.ids["employer"], area="yongde.dedang",
                                             draft=True))
        assert made.status_code == 201, made.json
        ids[f"posting_{status.value}"] = made.json["id"]
    start = date.today() + timedelta(days=5)
    cancelled = client.post("/api/v1/trainings", headers=world.heads["officer"], json={
        "trade": "appliance_repair", "township": "yongde.dedang",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=1)).isoformat(),
        "capacity": 10})
    assert cancelled.status_code == 201, cancelled.json
    leaves = datetime.combine(date.today() + timedelta(days=30), datetime.min.time(),
                              ZoneInfo("Asia/Shanghai")) + timedelta(hours=9)
    for status in (DepartureStatus.CANCELLED, DepartureStatus.DEPARTED):
        made = client.post("/api/v1/departures", headers=world.heads["officer"], json={
            "posting_id": world.ids["posting"], "leaves_at": leaves.isoformat(),
            "place": "德党客运站", "escort_name": "李伟", "escort_phone": "13887654321"})
        assert made.status_code == 201, made.json
        ids[f"departure_{status.value}"] = made.json["id"]
    for status in BroadcastStatus:
        made = client.post("/api/v1/broadcasts", headers=world.heads["officer"],
                           json={"text_zh": f"通知 {status.value}"})
        assert made.status_code == 201, made.json
        ids[f"broadcast_{status.value}"] = made.json["id"]

    with services(app).sessions.begin() as db:
        for status in PostingStatus:
            found = db.get(Posting, ids[f"posting_{status.value}"])
            assert found is not None
            found.status = status
            if status == PostingStatus.REJECTED:
                found.rejection_reasons = ["工资低于标准"]
        db.get(TrainingSession, cancelled.json["id"]).status = TrainingStatus.CANCELLED
        for status in (DepartureStatus.CANCELLED, DepartureStatus.DEPARTED):
            db.get(Departure, ids[f"departure_{status.value}"]).status = status
        for status in BroadcastStatus:
            db.get(Broadcast, ids[f"broadcast_{status.value}"]).status = status

        posting = db.get(Posting, world.ids["posting"])
        session = db.get(TrainingSession, world.ids["training"])
        assert posting is not None and session is not None
        vias = ("ussd", "sms", "officer")
        for n, status in enumerate(ApplicationStatus):
            villager = _villager(db, n, "en" if n % 2 else "zh", vias[n % 3])
            application = applications.apply(db, villager, posting, vias[n % 2],
                                             posting.deadline)
            db.flush()
            application.status = status
        for n, status in enumerate(EnrolmentStatus):
            villager = _villager(db, 20 + n, "zh", "ussd")
            enrolment = trainings.enrol(db, villager, session, "sms", date.today())
            db.flush()
            db.get(Enrolment, enrolment.id).status = status
        reporter = _villager(db, 40, "zh", "sms")
        for n, category in enumerate(CaseCategory):
            status = list(CaseStatus)[n % len(CaseStatus)]
            case = cases.open_case(db, reporter, category.value, "工资没有发", False, "sms",
                                   "console", None)
            db.flush()
            found_case = db.get(Case, case.id)
            assert found_case is not None
            found_case.status = status
        contact = db.scalars(select(Contact).where(Contact.phone == "+8613900000001")).one()
        kinds = list(MESSAGE_KINDS)
        for n, status in enumerate(list(MessageStatus) * 3):
            failed = status == MessageStatus.FAILED
            db.add(Message(contact_id=contact.id, phone=contact.phone, body="您好",
                           segments=1, kind=kinds[n % len(kinds)], channel="console",
                           status=status, sent_at=None,
                           error_reason=FAILURES[n % len(FAILURES)] if failed else None))
        for key, shown in (("admin", "王管理"), ("officer", "李永德"), ("owner", "万鑫小张")):
            user = db.get(User, world.users[key])
            assert user is not None
            user.display_name = shown
        first_case = db.get(Case, world.ids["case"])
        assert first_case is not None
        first_case.assigned_to_id = world.users["officer"]
    world.ids.update(ids)
    return world
