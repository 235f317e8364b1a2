"""A small known history for the monthly report, worked out by hand (shared by the report
API's tests and the console's).

The history (local time, Asia/Shanghai; the report is for 2026-10):

- A, a man of Yongde · Dedang: registered 10-05, trained 10-10, departed 10-15 to Dongguan
  (outside the province, 4000-5000 a month, 12 months); a check-in answered 10-25; a case
  opened 10-26 and resolved 10-30.
- B, a woman of Dedang: registered 10-31 23:30 (still October), trained 10-12; confirmed,
  not departed.
- C, a woman of Yongde · Yongkang: registered 11-01 00:30 (November, though UTC says
  October 31).
- D, a man of Fengqing · Fengshan: registered 09-10, trained 10-20, departed 10-16 within
  the city (3000 a month, 6 months), came home 10-28.
- E, a man of Yongkang: registered 08-01, trained 09-03, departed 09-05 (the year's
  figures, not the month's).

Targets 2026: Yongde trained 10, placed 4; the city trained 100, placed 50.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from smsgateway.models import (
    Application,
    ApplicationStatus,
    Area,
    Case,
    CaseEvent,
    CaseStatus,
    CheckIn,
    Contact,
    Destination,
    Enrolment,
    EnrolmentStatus,
    Posting,
    PostingStatus,
    Sex,
    Target,
    TrainingSession,
    Villager,
)

from .api import account, agency, employer

LOCAL = ZoneInfo("Asia/Shanghai")


def at(text):
    """A local time as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


def build_history(app, db):
    """Write the history (module docstring); returns API headers of an admin and of Yongde's
    officer."""
    areas = {a.code: a for a in db.scalars(select(Area))}
    agency_id, employer_id = agency(app, "Wanxin", "LIC-9"), employer(app)

    def posting(destination, province, wage_min, wage_max, months):
        row = Posting(title_zh="岗位", title_en="Job", employer_id=employer_id,
                      agency_id=agency_id, area_id=areas["yongde"].id, trade="factory",
                      destination_city="X", destination_province=province,
                      destination=destination, wage_min=wage_min, wage_max=wage_max,
                      hours_per_day=8, days_per_week=6, contract_months=months, positions=9,
                      deadline=date(2026, 12, 31), status=PostingStatus.PUBLISHED)
        db.add(row)
        return row

    far = posting(Destination.OUTSIDE_PROVINCE, "Guangdong", 4000, 5000, 12)
    near = posting(Destination.WITHIN_CITY, "Yunnan", 3000, 3000, 6)
    course = TrainingSession(trade="factory", township_id=areas["yongde.dedang"].id,
                             start_date=date(2026, 8, 1), end_date=date(2026, 10, 30),
                             capacity=20)
    db.add(course)
    people = {}
    for n, (name, sex, township, registered) in enumerate([
            ("A", Sex.MALE, "yongde.dedang", "2026-10-05T09:00"),
            ("B", Sex.FEMALE, "yongde.dedang", "2026-10-31T23:30"),
            ("C", Sex.FEMALE, "yongde.yongkang", "2026-11-01T00:30"),
            ("D", Sex.MALE, "fengqing.fengshan", "2026-09-10T09:00"),
            ("E", Sex.MALE, "yongde.yongkang", "2026-08-01T09:00")]):
        contact = Contact(phone=f"+8613900001{n:03d}", language="zh")
        villager = Villager(contact=contact, name=name, sex=sex, birth_year=1990,
                            township_id=areas[township].id, registered_via="sms",
                            created_at=at(registered))
        db.add_all([contact, villager])
        people[name] = villager
    db.flush()
    for name, completed in (("A", "2026-10-10"), ("B", "2026-10-12"), ("D", "2026-10-20"),
                            ("E", "2026-09-03")):
        db.add(Enrolment(session_id=course.id, villager_id=people[name].id,
                         township_id=people[name].township_id, via="sms",
                         status=EnrolmentStatus.COMPLETED, completed_at=at(f"{completed}T16:00")))

    def placement(name, job, status, departed=None, returned=None):
        row = Application(posting=job, villager=people[name], status=status, via="sms",
                          township_id=people[name].township_id,
                          departed_at=at(departed) if departed else None,
                          returned_at=at(returned) if returned else None)
        db.add(row)
        return row

    a = placement("A", far, ApplicationStatus.DEPARTED, "2026-10-15T06:00")
    placement("B", far, ApplicationStatus.CONFIRMED)
    placement("D", near, ApplicationStatus.DEPARTED, "2026-10-16T06:00", "2026-10-28T12:00")
    placement("E", near, ApplicationStatus.DEPARTED, "2026-09-05T06:00")
    db.flush()
    db.add(CheckIn(application_id=a.id, number=0, due_at=at("2026-10-18T10:00"),
                   sent_at=at("2026-10-18T10:00"), last_sent_at=at("2026-10-18T10:00"),
                   answer=1, answered_at=at("2026-10-25T10:00"),
                   closed_at=at("2026-10-25T10:00")))
    case = Case(villager=people["A"], area_id=people["A"].township_id, category="wages_unpaid",
                description="no pay", via="sms", status=CaseStatus.RESOLVED,
                created_at=at("2026-10-26T10:00"))
    db.add(case)
    db.flush()
    db.add_all([CaseEvent(case_id=case.id, at=at("2026-10-26T10:00"), action="opened",
                          status=CaseStatus.OPEN),
                CaseEvent(case_id=case.id, at=at("2026-10-30T10:00"), action="status",
                          status=CaseStatus.RESOLVED)])
    db.add_all([Target(area_id=areas["yongde"].id, year=2026, trained=10, placed=4),
                Target(area_id=areas["lincang"].id, year=2026, trained=100, placed=50)])
    db.commit()
    return {"admin": account(app, "admin", "admin"),
            "yongde": account(app, "o", "officer", area="yongde")}


ZERO = dict.fromkeys(("registered", "trained_men", "trained_women", "placed",
                      "placed_within_city", "placed_in_province", "placed_outside_province",
                      "confirmed_waiting", "checkins_answered", "returned", "cases_opened",
                      "cases_resolved", "income"), 0)
DEDANG = {**ZERO, "registered": 2, "trained_men": 1, "trained_women": 1, "placed": 1,
          "placed_outside_province": 1, "confirmed_waiting": 1, "checkins_answered": 1,
          "cases_opened": 1, "cases_resolved": 1, "income": 54_000}  # 4500 × 12
FENGSHAN = {**ZERO, "trained_men": 1, "placed": 1, "placed_within_city": 1, "returned": 1,
            "income": 18_000}  # 3000 × 6


def figures_of(row):
    """The month's figures of a report line (JSON)."""
    return {k: row[k] for k in ZERO}
