"""Demo data: the seed city's areas and a few villagers, loaded idempotently."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from menus.types import Profile

from .areas import load_areas
from .models import Contact
from .villagers import contact_for, register

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


def load_demo(session: Session) -> str:
    """Load areas and demo villagers; registration SMS are not sent for demo people."""
    new_areas = load_areas(session)
    new_villagers = 0
    for phone, profile in VILLAGERS:
        if session.scalars(select(Contact).where(Contact.phone == phone)).first():
            continue
        contact = contact_for(session, phone)
        register(session, contact, profile, via="officer", channel="console", notify=False)
        new_villagers += 1
    return f"areas: {new_areas} new; villagers: {new_villagers} new"
