"""An in-memory Catalog over the programme's real area and skill files, for menu tests."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from menus.types import Option

DATA = Path(__file__).resolve().parent.parent / "smsgateway" / "data"


def _option(entry: dict[str, str]) -> Option:
    """An Option from one entry of a data file."""
    return Option(entry["code"], entry["zh"], entry["en"])


def _folded(text: str) -> str:
    """Text as compared when searching: NFKC, case-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


class MenuCatalog:
    """The Catalog protocol over `areas.json` and `skills.json`; `day` is today's date."""

    def __init__(self, day: date = date(2025, 6, 1)) -> None:
        areas = json.loads((DATA / "areas.json").read_text(encoding="utf-8"))
        skills = json.loads((DATA / "skills.json").read_text(encoding="utf-8"))
        counties = areas["city"]["counties"]
        self.day = day
        self._counties = [_option(county) for county in counties]
        self._townships = {
            county["code"]: [_option(township) for township in county["townships"]]
            for county in counties
        }
        self._skills = [_option(skill) for skill in skills["skills"]]

    def counties(self) -> Sequence[Option]:
        """The counties, in file order."""
        return self._counties

    def townships(self, county: str) -> Sequence[Option]:
        """The townships of one county, in file order."""
        return self._townships.get(county, [])

    def find_townships(self, text: str) -> Sequence[tuple[Option, Option]]:
        """Townships whose name equals what was typed, else those whose name contains it."""
        wanted = _folded(text)
        if not wanted:
            return []
        pairs = [
            (county, township)
            for county in self._counties
            for township in self._townships[county.key]
        ]
        names = {id(t): (_folded(t.zh), _folded(t.en)) for _, t in pairs}
        exact = [p for p in pairs if wanted in names[id(p[1])]]
        if exact:
            return exact
        return [p for p in pairs if any(wanted in name for name in names[id(p[1])])]

    def skills(self) -> Sequence[Option]:
        """The skills, in file order."""
        return self._skills

    def today(self) -> date:
        """The date set on this catalog."""
        return self.day
