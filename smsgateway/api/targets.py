"""Annual targets per area: how many people to train and to place (the report's plan)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from .. import access
from ..access import STAFF
from ..models import Area, Target, User
from . import FIRST_PAGE, ApiError, Paging, page_of, route
from .schemas import TargetIn, TargetOut


def target_out(target: Target) -> TargetOut:
    return TargetOut(area=target.area.code, year=target.year, trained=target.trained,
                     placed=target.placed, updated_at=target.updated_at)


@route("/targets", "PUT", "Set an area's targets for a year", roles=STAFF, body=TargetIn,
       response=TargetOut)
def set_target(db: Session, user: User, body: TargetIn) -> TargetOut:
    """An officer sets the targets of their area and the areas below it; an admin, any."""
    area = access.area(db, user, body.area)
    target = db.scalars(select(Target).where(Target.area_id == area.id,
                                             Target.year == body.year)).first()
    if target is None:
        target = Target(area=area, year=body.year)
        db.add(target)
    target.trained, target.placed, target.set_by_id = body.trained, body.placed, user.id
    db.flush()
    return target_out(target)


@route("/targets", "GET", "List targets (?year=, ?area=)", roles=STAFF, response=TargetOut,
       paginated=True, query=("year", "area"))
def list_targets(db: Session, user: User, paging: Paging = FIRST_PAGE, year: str | None = None,
                 area: str | None = None) -> tuple[list[TargetOut], int, int, int]:
    """The targets the caller may see, by year (latest first) and area."""
    page, per_page = paging
    query = select(Target).join(Target.area).where(access.targets_seen(db, user))
    if year:
        if not (year.isascii() and year.isdigit() and len(year) <= 4):
            raise ApiError(400, "year must be a number such as 2026", "year")
        query = query.where(Target.year == int(year))
    if area:
        query = query.where(Area.code == area)
    rows, total = page_of(db, query.options(joinedload(Target.area))
                          .order_by(Target.year.desc(), Area.code), paging)
    return [target_out(t) for t in rows], total, page, per_page
