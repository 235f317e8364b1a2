"""Accounts, tokens and a posting body for API tests."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from smsgateway.cli import hash_token
from smsgateway.models import Agency, ApiToken, Area, Employer, Role, User
from smsgateway.services import services


def account(app, name, role, area=None, agency_id=None):
    """A user with a fresh token; returns the Authorization header for it."""
    token = secrets.token_urlsafe(16)
    with services(app).sessions.begin() as db:
        area_id = db.scalar(select(Area.id).where(Area.code == area)) if area else None
        user = User(name=name, role=Role(role), area_id=area_id, agency_id=agency_id)
        db.add(user)
        db.flush()
        db.add(ApiToken(user_id=user.id, token_hash=hash_token(token)))
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
