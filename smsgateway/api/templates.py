"""Approved template ids of a templated SMS provider (Tencent), by API: admins only.

`GET /templates` lists every template in every language (what `jobline templates export`
prints) with its approved id and where the id comes from; `PUT /templates` sets ids (or
removes them with null) in the table, which wins over the TENCENT_TEMPLATES file.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from sqlalchemy.orm import Session

from .. import access
from ..access import TEMPLATE_KEEPERS
from ..db import utcnow
from ..messaging import approvals
from ..models import User
from ..services import services
from ..templates import export
from . import route
from .schemas import Model


class TemplateVariableOut(Model):
    number: int
    field: str
    longest: int


class TemplateOut(Model):
    template: str = Field(description="<template>.<language>, as `templates export` names it")
    kind: str
    language: str
    wording: str = Field(description="what to submit for approval, with {1}, {2}…")
    variables: list[TemplateVariableOut]
    approved_id: str | None = Field(description="the id the provider approved; null: none "
                                                "(a message of it fails as no_template)")
    source: Literal["api", "file"] | None = Field(
        description="api: set here (wins over the file); file: TENCENT_TEMPLATES")


class TemplatesOut(Model):
    items: list[TemplateOut]


class TemplateIdsIn(Model):
    ids: Annotated[dict[str, Annotated[str, Field(max_length=20)] | None],
                   Field(min_length=1, max_length=500)] = Field(
        description='{"sms_registered.zh": "1234567", …}; null removes the id set here '
                    "(the file's, if any, applies again); templates not named are unchanged")


def _listed(db: Session) -> TemplatesOut:
    table = approvals.table_ids(db)
    files = approvals.file_ids(services().settings)
    items = []
    for row in export():
        name = row["template"]
        source: Literal["api", "file"] | None = (
            "api" if name in table else "file" if name in files else None)
        items.append(TemplateOut(**row, approved_id=table.get(name) or files.get(name),
                                 source=source))
    return TemplatesOut(items=items)


@route("/templates", "GET", "Every message template with its approved id (admins only)",
       roles=TEMPLATE_KEEPERS, response=TemplatesOut)
def list_templates(db: Session, user: User) -> TemplatesOut:
    """Each template and language: its wording, variables and approved id."""
    access.may_keep_templates(user)
    return _listed(db)


@route("/templates", "PUT", "Set approved template ids (admins only); unknown template: 422",
       roles=TEMPLATE_KEEPERS, body=TemplateIdsIn, response=TemplatesOut)
def put_templates(db: Session, user: User, body: TemplateIdsIn) -> TemplatesOut:
    """Set each named template's id in the table (null removes it); all or nothing."""
    access.may_keep_templates(user)
    approvals.set_ids(db, body.ids, user, utcnow())
    return _listed(db)
