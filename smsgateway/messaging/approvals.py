"""Approved template ids: the TENCENT_TEMPLATES file, and the table the API and the console
set (`template_approvals`), which wins over the file for a template it names.

Ids are kept per template and language, as `templates export` lists them
(`sms_registered.zh`): a kind of message has several wordings, each approved on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from menus.texts import CATALOGUES

from ..kernel.errors import Refused
from ..models import TemplateApproval, User
from ..templates import TEMPLATES
from .gateways.tencent import load_templates

APPROVED_ID = re.compile(r"^[0-9]{1,20}$")  # Tencent's template ids are numbers


def split_name(name: str) -> tuple[str, str]:
    """`sms_registered.zh` → (`sms_registered`, `zh`); Refused (422) when either is unknown."""
    template, _, language = name.rpartition(".")
    if template not in TEMPLATES or language not in CATALOGUES:
        raise Refused(f"no template {name!r}: names are <template>.<language> as `jobline "
                      "templates export` lists them, e.g. sms_registered.zh", field=name,
                      status=422)
    return template, language


def table_ids(db: Session) -> dict[str, str]:
    """The ids set through the API or the console, by `<template>.<language>`."""
    return {f"{row.template}.{row.language}": row.approved_id
            for row in db.scalars(select(TemplateApproval))}


def file_ids(settings: Mapping[str, Any]) -> dict[str, str]:
    """The ids of the TENCENT_TEMPLATES file (none when unset)."""
    return load_templates(settings.get("TENCENT_TEMPLATES"))


def approved_id(db: Session, template: str, language: str) -> str | None:
    """The table's id for this template in this language (the file's is the sender's own)."""
    return db.scalar(select(TemplateApproval.approved_id).where(
        TemplateApproval.template == template, TemplateApproval.language == language))


def set_ids(db: Session, ids: Mapping[str, str | None], user: User, now: datetime) -> None:
    """Set (or, with None, remove) the table's id of each named template; every name and id
    is checked before anything is written (a bad one: Refused 422, nothing changed)."""
    checked: list[tuple[str, str, str | None]] = []
    for name, value in ids.items():
        template, language = split_name(name)
        if value is not None and not APPROVED_ID.match(value):
            raise Refused(f"{name}: an approved template id is its number (1 to 20 digits)",
                          field=name, status=422)
        checked.append((template, language, value))
    for template, language, value in checked:
        row = db.scalars(select(TemplateApproval).where(
            TemplateApproval.template == template, TemplateApproval.language == language)
        ).first()
        if value is None:
            db.execute(delete(TemplateApproval).where(TemplateApproval.template == template,
                                                      TemplateApproval.language == language))
        elif row is None:
            db.add(TemplateApproval(template=template, language=language, approved_id=value,
                                    set_by_id=user.id, set_at=now))
        else:
            row.approved_id, row.set_by_id, row.set_at = value, user.id, now
    db.flush()
