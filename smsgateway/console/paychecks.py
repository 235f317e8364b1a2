"""The wage cases page: the pay checks' wage cases and their CSV for the labour
inspection (the API's own view through `api.call`: the same roles and scope)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from .. import api
from ..access import STAFF
from ..api import paychecks as api_paychecks
from ..models import User
from . import page


@page("/wage-cases", roles=STAFF)
def wage_cases(db: Session, user: User) -> ResponseReturnValue:
    """The wage cases the officer may see (`period` filter); `format=csv` downloads them."""
    found = api.call(api_paychecks.list_wage_cases, db, user,
                     **api.query_args(api_paychecks.list_wage_cases, request.args))
    if isinstance(found, Response):
        return found
    return render_template("console/wage_cases.html", items=found.items,
                           period=request.args.get("period", ""))
