"""The programme's areas and skills catalogue, from the data files under `data/`."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from menus.types import Option

from ..models import Area, AreaLevel

DATA = Path(__file__).parent.parent / "data"


def fold(text: str) -> str:
    """Text as compared with names: NFKC (full-width to half-width), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


@cache
def area_data() -> dict[str, Any]:
    """The city → county → township tree of `data/areas.json`."""
    data: dict[str, Any] = json.loads((DATA / "areas.json").read_text(encoding="utf-8"))
    return data


@cache
def skills() -> tuple[Option, ...]:
    """The skills catalogue of `data/skills.json`, in display order."""
    data = json.loads((DATA / "skills.json").read_text(encoding="utf-8"))
    return tuple(Option(s["code"], s["zh"], s["en"]) for s in data["skills"])


def load_areas(session: Session, data: dict[str, Any] | None = None) -> int:
    """Insert or update the areas of the data file; returns how many were new."""
    data = data or area_data()
    existing = {a.code: a for a in session.scalars(select(Area))}
    added = 0

    def upsert(node: dict[str, Any], level: AreaLevel, parent: Area | None, position: int) -> Area:
        nonlocal added
        area = existing.get(node["code"])
        if area is None:
            area = Area(code=node["code"], level=level)
            session.add(area)
            added += 1
        area.level, area.parent = level, parent
        area.name_zh, area.name_en, area.position = node["zh"], node["en"], position
        return area

    city = upsert(data["city"], AreaLevel.CITY, None, 0)
    for i, county_node in enumerate(data["city"]["counties"]):
        county = upsert(county_node, AreaLevel.COUNTY, city, i)
        for j, township_node in enumerate(county_node["townships"]):
            upsert(township_node, AreaLevel.TOWNSHIP, county, j)
    session.flush()
    return added


def area_ids_under(session: Session, area_id: int) -> set[int]:
    """The area and every area below it (the tree is small: about a hundred rows)."""
    children: dict[int | None, list[int]] = {}
    for area_id_, parent_id in session.execute(select(Area.id, Area.parent_id)):
        children.setdefault(parent_id, []).append(area_id_)
    found, todo = set(), [area_id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children.get(current, []))
    return found
