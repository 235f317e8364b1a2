"""The conversation's catalog (`menus.types.Catalog`) over the database."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from menus.types import Option

from .areas import skills
from .models import Area, AreaLevel


def _option(area: Area) -> Option:
    return Option(area.code, area.name_zh, area.name_en)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


class DbCatalog:
    """Areas from the database, skills from the catalogue file, today in the programme's zone."""

    def __init__(self, session: Session, timezone: str) -> None:
        self.session = session
        self.zone = ZoneInfo(timezone)

    def counties(self) -> Sequence[Option]:
        query = select(Area).where(Area.level == AreaLevel.COUNTY).order_by(Area.position)
        return [_option(a) for a in self.session.scalars(query)]

    def townships(self, county: str) -> Sequence[Option]:
        parent = select(Area.id).where(Area.code == county).scalar_subquery()
        query = select(Area).where(Area.parent_id == parent).order_by(Area.position)
        return [_option(a) for a in self.session.scalars(query)]

    def find_townships(self, text: str) -> Sequence[tuple[Option, Option]]:
        wanted = _fold(text)
        if not wanted:
            return []
        query = (
            select(Area)
            .where(Area.level == AreaLevel.TOWNSHIP)
            .options(joinedload(Area.parent))
            .order_by(Area.parent_id, Area.position)
        )
        exact, partial = [], []
        for township in self.session.scalars(query):
            assert township.parent is not None
            pair = (_option(township.parent), _option(township))
            names = (_fold(township.name_zh), _fold(township.name_en))
            if wanted in names:
                exact.append(pair)
            elif any(n.startswith(wanted) or n in wanted for n in names):
                partial.append(pair)  # "凤山" for 凤山镇, or "凤庆县凤山镇" naming the county too
        return exact or partial

    def skills(self) -> Sequence[Option]:
        return skills()

    def today(self) -> date:
        return datetime.now(self.zone).date()
