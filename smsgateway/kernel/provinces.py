"""China's 34 provincial-level divisions (`data/provinces.json`): the only values a posting's
`destination_province` may hold.

A province is typed by an agency and shown to officers, summed in the monthly report and
written into its CSV; free text there (misspellings, `=HYPERLINK(...)`) split the report's
figures and reached spreadsheets. So it is checked where it is stored and kept in one
canonical form: the English name ("Guangdong", "Inner Mongolia", "Hong Kong") — a stable key
that also stays GSM-7 should an English SMS ever show it. Accepted: the Chinese name
(广东省), the Chinese name without its suffix (广东, 内蒙古, 广西), the English name and a few
common English spellings (Xizang, Macau), compared without case, width or spaces.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent.parent / "data" / "provinces.json"


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split()).replace("-", "")


@cache
def provinces() -> tuple[dict[str, Any], ...]:
    """Every division: zh, en, short (Chinese without suffix), aliases, kind."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(data["provinces"])


@cache
def _names() -> dict[str, str]:
    found: dict[str, str] = {}
    for p in provinces():
        for name in (p["zh"], p["en"], p["short"], *p["aliases"]):
            found[_key(name)] = p["en"]
    return found


def canonical_province(text: str) -> str | None:
    """The canonical (English) name of the division `text` names, or None if it names none."""
    return _names().get(_key(text))


# --- Cities: each province's prefecture-level divisions (issue 17) ---------------------------
# A posting's `destination_city` holds a city's English name, one of its province's: English
# texts show it as it is (GSM-7), Chinese ones the Chinese short name (东莞), both from here.


def _province(canonical: str) -> dict[str, Any] | None:
    return next((p for p in provinces() if p["en"] == canonical), None)


def cities(province: str) -> tuple[dict[str, Any], ...]:
    """The prefecture-level cities of a province (named by its canonical English name)."""
    found = _province(province)
    return tuple(found["cities"]) if found else ()


def canonical_city(province: str, text: str) -> str | None:
    """The English name of the city of `province` that `text` names (Chinese with or
    without its suffix, or English), or None if it names none of that province's cities."""
    wanted = _key(text)
    for city in cities(province):
        if wanted in {_key(city["zh"]), _key(city["en"]), _key(city["short"])}:
            return str(city["en"])
    return None


@lru_cache(maxsize=1024)  # every job a list shows, every step: the same few cities
def city_names(city: str, province: str) -> tuple[str, str]:
    """(Chinese, English) names a villager reads for a stored city; a city not in the
    gazetteer (a posting from before it) reads as it was typed in both."""
    canonical = canonical_province(province) or province
    found = canonical_city(canonical, city)
    for entry in cities(canonical):
        if entry["en"] == found:
            return str(entry["short"]), str(entry["en"])
    return city, city
