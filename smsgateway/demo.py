"""Demo data: the seed city's areas, its agencies, an employer, postings and a few villagers.

Loaded idempotently; the agencies and the employer are the ones the seed report names.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from menus.types import Profile

from .console.signin import hash_password
from .db import utcnow
from .kernel.areas import load_areas
from .kernel.errors import Refused
from .models import Agency, Area, Contact, Employer, Posting, PostingStatus, Role, User
from .postings.core import destination_of, new_code
from .villagers.records import contact_for, register

# Made-up people in real townships of the seed's counties.
VILLAGERS = [
    ("+8613800000001", Profile("李秀英", "f", 2001, "yongde", "yongde.dedang",
                               ("domestic", "catering"), True, True, "zh")),
    ("+8613800000002", Profile("张建国", "m", 1990, "fengqing", "fengqing.fengshan",
                               ("driving", "construction"), True, True, "zh")),
    ("+8613800000003", Profile("Ai Lan", "f", 1998, "cangyuan", "cangyuan.mengdong",
                               ("folk_dance",), False, True, "en")),
    ("+8613800000004", Profile("王强", "m", 1985, "gengma", "gengma.mengding",
                               ("electrician", "appliance_repair"), False, True, "zh")),
]


def _postings(session: Session) -> int:
    """Two agencies, an employer and two published postings, once."""
    if session.scalar(select(Agency.id).where(Agency.licence_number == "LC-2026-017")):
        return 0
    wanxin = Agency(name="万鑫劳务服务公司", name_en="Wanxin Labour Service",
                    licence_number="LC-2026-017", licence_expires=date(2028, 12, 31),
                    phone="+8608832123456")
    hanxian = Agency(name="汉仙劳务输出中介", name_en="Hanxian Labour Export",
                     licence_number="LC-2026-018", licence_expires=date(2028, 6, 30))
    huarong = Employer(name="东莞华荣电子有限公司", name_en="Dongguan Huarong Electronics",
                       city="东莞", province="广东", contact="人事部 0769-8888 0000")
    kunming = Employer(name="昆明滇池酒店", city="昆明", province="云南",  # English: pinyin
                       contact="0871-6000 0000")
    yongde = session.scalars(select(Area).where(Area.code == "yongde")).one()
    city = session.scalars(select(Area).where(Area.code == "lincang")).one()
    today = date.today()
    common = dict(hours_per_day=8, days_per_week=6, contract_months=12, worker_fee=0,
                  status=PostingStatus.PUBLISHED, published_at=utcnow(),
                  deadline=today + timedelta(days=30), departure_date=today + timedelta(days=40))
    session.add_all([
        Posting(title_zh="电子厂普工", title_en="Electronics factory worker", employer=huarong,
                agency=wanxin, area=yongde, trade="factory", destination_city="Dongguan",
                destination_province="Guangdong", destination=destination_of("东莞", "广东"),
                wage_min=4200, wage_max=5500, positions=40, age_min=18, age_max=35, food=True,
                housing=True, travel_advance=True, verification_code=new_code(session), **common),
        Posting(title_zh="酒店服务员", title_en="Hotel attendant", employer=kunming,
                agency=hanxian, area=city, trade="catering", destination_city="Kunming",
                destination_province="Yunnan", destination=destination_of("昆明", "云南"),
                wage_min=3200, wage_max=3800, positions=10, food=True, housing=True,
                verification_code=new_code(session), **common),
    ])
    session.flush()
    return 2


def load_demo(session: Session) -> str:
    """Load the demo; no SMS goes to demo people (no confirmations, no job alerts)."""
    new_areas = load_areas(session)
    new_postings = _postings(session)
    new_villagers = 0
    for phone, profile in VILLAGERS:
        if session.scalars(select(Contact).where(Contact.phone == phone)).first():
            continue
        contact = contact_for(session, phone)
        register(session, contact, profile, via="officer", channel="console", notify=False)
        new_villagers += 1
    return (f"areas: {new_areas} new; postings: {new_postings} new; "
            f"villagers: {new_villagers} new")


# Sign-ins for a newcomer trying `make run`: development only (`load_demo_accounts`).
# name, role, the officer's area or the agency's licence, password, what the account is
DEMO_ACCOUNTS = [
    ("demo-officer", Role.OFFICER, "yongde", "officer-demo-2026", "永德县 Yongde county officer"),
    ("demo-agency", Role.AGENCY, "LC-2026-017", "agency-demo-2026", "万鑫 Wanxin agency"),
    ("demo-admin", Role.ADMIN, None, "admin-demo-2026", "administrator"),
]


def load_demo_accounts(session: Session, development: bool) -> list[tuple[str, str, str]]:
    """The demo's console accounts with their passwords, made (or their passwords set back)
    so the sign-ins printed are true; returns (name, password, what) for each. Refused
    outside development: a production database never gets a known password."""
    if not development:
        raise Refused("demo accounts are for development only (JOBLINE_DEVELOPMENT=1, set by "
                      "`make run`); create real accounts with `jobline user create`")
    shown = []
    for name, role, where, password, what in DEMO_ACCOUNTS:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            user = User(name=name, role=role)
            session.add(user)
        if role == Role.OFFICER:
            user.area_id = session.scalars(select(Area.id).where(Area.code == where)).one()
        elif role == Role.AGENCY:
            user.agency_id = session.scalars(select(Agency.id)
                                             .where(Agency.licence_number == where)).one()
        user.password_hash = hash_password(password)
        shown.append((name, password, what))
    session.flush()
    return shown
