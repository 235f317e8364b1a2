"""Accounts, tokens, a posting body, villagers and their applications for API tests."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from menus.types import Profile
from smsgateway.access import token_digest
from smsgateway.models import Agency, ApiToken, Area, Contact, Employer, Posting, Role, User
from smsgateway.postings import applications
from smsgateway.services import services
from smsgateway.villagers.records import contact_for, register


def account(app, name, role, area=None, agency_id=None):
    """A user with a fresh token; returns the Authorization header for it."""
    token = secrets.token_urlsafe(16)
    with services(app).sessions.begin() as db:
        area_id = db.scalar(select(Area.id).where(Area.code == area)) if area else None
        user = User(name=name, role=Role(role), area_id=area_id, agency_id=agency_id)
        db.add(user)
        db.flush()
        db.add(ApiToken(user_id=user.id, token_hash=token_digest(token)))
    return {"Authorization": f"Bearer {token}"}


def agency(app, name, licence, expires=date(2030, 1, 1), suspended=False):
    """An agency row; returns its id."""
    with services(app).sessions.begin() as db:
        row = Agency(name=name, licence_number=licence, licence_expires=expires,
                     suspended=suspended)
        db.add(row)
        db.flush()
        return row.id


def employer(app, name="东莞华荣电子有限公司", city="Dongguan", province="Guangdong"):
    """An employer row; returns its id."""
    with services(app).sessions.begin() as db:
        row = Employer(name=name, city=city, province=province, contact="HR 0769-1234567")
        db.add(row)
        db.flush()
        return row.id


def posting_body(employer_id, agency_id=None, **changes):
    """A posting that passes vetting, changed as the test needs."""
    today = date.today()
    body = {
        "title_zh": "电子厂普工", "title_en": "Electronics factory worker",
        "employer_id": employer_id, "area": "yongde", "trade": "factory",
        "destination_city": "Dongguan", "destination_province": "Guangdong",
        "wage_min": 4000, "wage_max": 5500, "hours_per_day": 8, "days_per_week": 6,
        "contract_months": 12, "positions": 5, "food": True, "housing": True,
        "worker_fee": 0, "travel_advance": True,
        "departure_date": (today + timedelta(days=30)).isoformat(),
        "deadline": (today + timedelta(days=20)).isoformat(),
    }
    if agency_id is not None:
        body["agency_id"] = agency_id
    body.update(changes)
    return body


def registered_villager(app, n, language="zh"):
    """A registered villager of Yongde (no confirmation SMS); returns the phone."""
    phone = f"+86139000{n:05d}"
    with services(app).sessions.begin() as db:
        register(db, contact_for(db, phone),
                 Profile(f"村民{n}", "f", 1995, "yongde", "yongde.dedang", ("factory",), True,
                         True, language), via="ussd", channel="console", notify=False)
    return phone


def published(app, client, who, officer, positions=5):
    """A posting created by `who` and published by `officer`; returns its id."""
    body = posting_body(employer(app), positions=positions)
    posting = client.post("/api/v1/postings", headers=who, json=body).json
    client.post(f"/api/v1/postings/{posting['id']}/vet", headers=officer,
                json={"decision": "publish"})
    return posting["id"]


def applied(app, posting_id, phone):
    """The villager of `phone` applies to the posting; returns the application's id."""
    with services(app).sessions.begin() as db:
        contact = db.scalars(select(Contact).where(Contact.phone == phone)).one()
        posting = db.get(Posting, posting_id)
        return applications.apply(db, contact.villager, posting, "sms",
                                  posting.deadline).id


def placement_setting(app, client):
    """Agency A's published posting with three applicants (villager 0 and 2 read English,
    1 Chinese); agency B and Yongde's officer. Returns their headers and the ids."""
    a = agency(app, "Wanxin Labour Service", "LIC-001")
    b = agency(app, "Hanxian Agency", "LIC-002")
    heads = {"a": account(app, "a", "agency", agency_id=a),
             "b": account(app, "b", "agency", agency_id=b),
             "officer": account(app, "o", "officer", area="yongde")}
    posting_id = published(app, client, heads["a"], heads["officer"])
    phones = [registered_villager(app, n, "zh" if n % 2 else "en") for n in range(3)]
    ids = [applied(app, posting_id, phone) for phone in phones]
    return {**heads, "posting": posting_id, "phones": phones, "applications": ids}
