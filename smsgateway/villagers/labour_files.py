"""Labour-service files: officers register villagers on their behalf, one at a time or a CSV
of a township's paper records, every row validated before anything is written.

A file is planned first: each row is to `create` a villager, `update` one (the phone is
registered and something differs), leave one `unchanged`, or is `refused` with reasons. A
dry run stops there. A real run writes all the rows in one transaction, or none when any
row is refused; importing the same file again changes nothing (its rows are `unchanged`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberType
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from menus import types as m
from menus.texts import t
from menus.validate import Invalid, parse_birth_year, parse_name, parse_sex, parse_yes_no

from ..db import utcnow
from ..kernel.areas import fold, skills
from ..kernel.phones import BadPhone, to_e164
from ..kernel.text import clean
from ..messaging.outbox import add_message
from ..models import Area, AreaLevel, Contact, User, Villager
from ..templates import templated
from .records import contact_for, profile_of, register

MAX_ROWS = 20_000
# Column names a township clerk may use, in either language; values may be either too.
COLUMNS = {
    "phone": ("phone", "电话", "手机", "手机号"),
    "name": ("name", "姓名"),
    "sex": ("sex", "性别"),
    "birth_year": ("birth_year", "出生年份", "出生年"),
    "township": ("township", "乡镇"),
    "skills": ("skills", "技能"),
    "outside_province": ("outside_province", "愿意出省"),
    "language": ("language", "语言"),
}
REQUIRED = ("phone", "name", "sex", "birth_year", "township")
OPTIONAL = ("skills", "outside_province", "language")
LANGUAGES = {"zh": "zh", "中文": "zh", "chinese": "zh", "en": "en", "english": "en", "英文": "en"}
SKILL_SEPARATORS = (";", "；", "、", "|")


class BadFile(ValueError):
    """The file as a whole cannot be read (no header, a missing column, too many rows)."""


@dataclass
class Row:
    """One row's plan: what it would do, or why it is refused."""

    line: int  # the line of the file (the header is line 1)
    phone: str | None
    action: str = "refuse"  # create | update | unchanged | refuse
    reasons: list[str] = field(default_factory=list)
    profile: m.Profile | None = None
    blank: frozenset[str] = frozenset()  # optional columns left empty: kept as they are

    def report(self) -> dict[str, Any]:
        """The row as the API reports it."""
        return {"line": self.line, "phone": self.phone, "action": self.action,
                "reasons": self.reasons}


class Townships:
    """The programme's townships by code and by name (Chinese or English, folded)."""

    def __init__(self, session: Session) -> None:
        rows = session.scalars(select(Area).where(Area.level == AreaLevel.TOWNSHIP)
                               .options(selectinload(Area.parent))).all()
        self.by_id = {a.id: a for a in rows}
        self.by_key: dict[str, list[Area]] = {}
        for area in rows:
            for key in {fold(area.code), fold(area.name_zh), fold(area.name_en)}:
                self.by_key.setdefault(key, []).append(area)

    def find(self, text: str) -> Area:
        """The township a cell names; ValueError says why not."""
        found = self.by_key.get(fold(text), [])
        if not found:
            raise ValueError(f"unknown township {text!r}")
        if len(found) > 1:
            raise ValueError(f"township {text!r} is in several counties: use its code")
        return found[0]


def _mobile(cell: str, region: str) -> str:
    """A mobile number in E.164: the records are of people we will text."""
    phone = to_e164(cell, region)
    kind = phonenumbers.number_type(phonenumbers.parse(phone))
    if kind not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise BadPhone(f"{cell!r} is not a mobile phone number")
    return phone


def _skill_codes(cell: str) -> tuple[str, ...]:
    keys = {fold(k): s.key for s in skills() for k in (s.key, s.zh, s.en)}
    for separator in SKILL_SEPARATORS:
        cell = cell.replace(separator, ",")
    codes = []
    for part in (p for p in cell.split(",") if p.strip()):
        if fold(part) not in keys:
            raise ValueError(f"unknown skill {part.strip()!r}")
        codes.append(keys[fold(part)])
    return tuple(sorted(set(codes)))  # as a villager's skills are kept


def _profile(cells: dict[str, str], townships: Townships, today: date
             ) -> tuple[m.Profile | None, list[str]]:
    """The profile a row describes, or the reasons it cannot be used (all of them)."""
    reasons: list[str] = []
    values: dict[str, Any] = {}
    for column in REQUIRED:
        if not cells.get(column, "").strip():
            reasons.append(f"{column} is missing")
    readers: dict[str, Callable[[str], Any]] = {
        "name": parse_name, "sex": parse_sex,
        "birth_year": lambda v: parse_birth_year(v, today),
        "township": townships.find, "skills": _skill_codes,
        "outside_province": lambda v: parse_yes_no(v) if v.strip() else None,
        "language": lambda v: LANGUAGES[fold(v)] if v.strip() else m.Profile.language,
    }
    for column, read in readers.items():
        cell = cells.get(column, "")
        if column in REQUIRED and not cell.strip():
            continue
        try:
            values[column] = read(cell)
        except Invalid as bad:
            reasons.append(f"{column}: {t('en', bad.reason, **bad.details).splitlines()[0]}")
        except (ValueError, KeyError) as bad:
            reasons.append(f"{column}: {bad}" if column != "language"
                           else f"language: {cell!r} is not zh or en")
    if reasons:
        return None, reasons
    township = values["township"]
    return m.Profile(
        name=values["name"], sex=values["sex"], birth_year=values["birth_year"],
        county=township.parent.code, township=township.code, skills=values["skills"],
        outside_province=values["outside_province"], sms_consent=True,
        language=values["language"]), []


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (line, cells by our column names); BadFile when unreadable."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header:
        raise BadFile("the file is empty: its first line must name the columns")
    names = {fold(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
    columns = [names.get(fold(clean(h))) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise BadFile(f"missing columns: {', '.join(missing)}")
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise BadFile(f"more than {MAX_ROWS} rows: split the file")
        rows.append((reader.line_num, {c: clean(v).strip()
                                       for c, v in zip(columns, cells, strict=False)
                                       if c is not None}))
    return rows


OUTSIDE = "township is outside your area"  # a file's row; one registration answers 404


def plan(session: Session, rows: list[tuple[int, dict[str, str]]], area_ids: set[int] | None,
         today: date, region: str) -> list[Row]:
    """What importing the rows (`read_rows`) would do, row by row (nothing is written).

    `area_ids`: the areas the officer may register in (None: anywhere).
    """
    townships = Townships(session)
    planned: list[Row] = []
    seen: dict[str, int] = {}
    parsed = []
    for line, cells in rows:
        row = Row(line, None)
        try:
            row.phone = _mobile(cells.get("phone", ""), region)
        except BadPhone as bad:
            row.reasons.append(f"phone: {bad}")
        profile, reasons = _profile(cells, townships, today)
        row.reasons += reasons
        if row.phone in seen:
            row.reasons.append(f"phone repeats line {seen[row.phone]}")
        elif row.phone:
            seen[row.phone] = line
        if profile and area_ids is not None:
            area = townships.find(profile.township)
            if area.id not in area_ids:
                row.reasons.append(OUTSIDE)
        row.profile = profile if not row.reasons else None
        row.blank = frozenset(c for c in OPTIONAL if not cells.get(c, "").strip())
        parsed.append(row)
    existing = _registered(session, [r.phone for r in parsed if r.phone])
    for row in parsed:
        villager = existing.get(row.phone or "")
        if row.reasons:
            row.action = "refuse"
        elif villager is None:
            row.action = "create"
        elif area_ids is not None and villager.township_id not in area_ids:
            row.action, row.reasons = "refuse", ["already registered in another area"]
        else:
            assert row.profile is not None
            kept = profile_of(villager, villager.contact.language or m.Profile.language)
            # What the file leaves empty, and the villager's own SMS choice, stay as they are.
            row.profile = replace(row.profile, sms_consent=kept.sms_consent,
                                  **{c: getattr(kept, c) for c in row.blank})
            row.action = "unchanged" if kept == row.profile else "update"
        planned.append(row)
    return planned


def _registered(session: Session, phones: list[str]) -> dict[str, Villager]:
    found: dict[str, Villager] = {}
    for start in range(0, len(phones), 500):
        query = (select(Villager).join(Contact).where(Contact.phone.in_(phones[start:start + 500]))
                 .options(selectinload(Villager.skills), selectinload(Villager.contact),
                          selectinload(Villager.township).selectinload(Area.parent)))
        found.update({v.contact.phone: v for v in session.scalars(query)})
    return found


def carry_out(session: Session, rows: list[Row], user: User, channel: str) -> list[Villager]:
    """Write the planned rows (none may be refused): create and update villagers, record who
    vouched for their consent, and tell each new one by SMS. Returns those written."""
    assert not any(r.action == "refuse" for r in rows)
    now = utcnow()
    written = []
    for row in rows:
        if row.action not in ("create", "update"):
            continue
        assert row.phone is not None and row.profile is not None
        contact = contact_for(session, row.phone)
        villager = register(session, contact, row.profile, via="officer", channel=channel,
                            notify=False)
        villager.registered_by_id, villager.consent_recorded_at = user.id, now
        written.append(villager)
        if row.action == "create":
            add_message(session, contact, templated(row.profile.language,
                                                    "sms_registered_by_officer",
                                                    name=villager.name), kind="registration",
                        channel=channel)
    return written
