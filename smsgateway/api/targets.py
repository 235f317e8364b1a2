"""Annual targets per area: how many people to train and to place (the report's plan)."""

from __future__ import annotations

from flask import request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..access import STAFF, area_scope
from ..models import Area, Target, User
from . import ApiError, page_args, route
from .schemas import TargetIn, TargetOut


def target_out(target: Target) -> TargetOut:
    return TargetOut(area=target.area.code, year=target.year, trained=target.trained,
                     placed=target.placed, updated_at=target.updated_at)


@route("/targets", "PUT", "Set an area's targets for a year", roles=STAFF, body=TargetIn,
       response=TargetOut)
def set_target(db: Session, user: User, body: TargetIn) -> TargetOut:
    """An officer sets the targets of their area and the areas below it; an admin, any."""
    area = db.scalars(select(Area).where(Area.code == body.area)).first()
    allowed = area_scope(db, user)
    if area is None or (allowed is not None and area.id not in allowed):
        raise ApiError(404, "no such area", "area")
    target = db.scalars(select(Target).where(Target.area_id == area.id,
                                             Target.year == body.year)).first()
    if target is None:
        target = Target(area=area, year=body.year)
        db.add(target)
    target.trained, target.placed, target.set_by_id = body.trained, body.placed, user.id
    db.flush()
    return target_out(target)


@route("/targets", "GET", "List targets (?year=, ?area=)", roles=STAFF, response=TargetOut,
       paginated=True)
def list_targets(db: Session, user: User) -> tuple[list[TargetOut], int, int, int]:
    """The targets the caller may see, by year (latest first) and area."""
    page, per_page = page_args()
    query = select(Target).join(Target.area)
    allowed = area_scope(db, user)
    if allowed is not None:
        query = query.where(Target.area_id.in_(allowed))
    if request.args.get("year"):
        if not (request.args["year"].isascii() and request.args["year"].isdigit()
                and len(request.args["year"]) <= 4):
            raise ApiError(400, "year must be a number such as 2026", "year")
        query = query.where(Target.year == int(request.args["year"]))
    if request.args.get("area"):
        query = query.where(Area.code == request.args["area"])
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(query.options(joinedload(Target.area))
                      .order_by(Target.year.desc(), Area.code)
                      .limit(per_page).offset((page - 1) * per_page)).all()
    return [target_out(t) for t in rows], total, page, per_page
