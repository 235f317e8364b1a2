"""Still working at N months: the one definition every figure of stability uses (the monthly
report's stability rate, the employers' and agencies' records).

A worker departed when `Application.departed_at` is set and came home when `returned_at` is.
"Still working at N months", as of an instant: departed at least N months before it, and not
come home, or come home only after departure + N months. Months are calendar months (a day
that a shorter month lacks is its last day: 31 January + 1 month is 28 or 29 February), on
SQLite as on PostgreSQL (`months_later`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from ..db import UTCDateTime
from ..models import Application


class months_later(FunctionElement[bool]):  # noqa: N801  (an SQL function's name)
    """`later > earlier + months` (calendar months), as an SQL condition; `>=` when not
    `strictly`. The months and the operator are part of the statement's text (and so of
    its cache key: compiled once per shape, like any statement)."""

    type = Boolean()
    inherit_cache = True
    name = "months_later"

    def __init__(self, later: Any, earlier: Any, months: int, strictly: bool = True) -> None:
        super().__init__(later, earlier, literal_column(str(int(months))),
                         literal_column("'>'" if strictly else "'>='"))


def _parts(element: months_later, compiler: Any, **kw: Any) -> tuple[str, str, int, str]:
    later, earlier, months, operator = (compiler.process(c, **kw) for c in element.clauses)
    return later, earlier, int(months), operator.strip("'")


@compiles(months_later)
def _months_later(element: months_later, compiler: Any, **kw: Any) -> str:
    later, earlier, n, operator = _parts(element, compiler, **kw)
    return f"({later} {operator} {earlier} + make_interval(months => {n}))"


@compiles(months_later, "sqlite")
def _months_later_sqlite(element: months_later, compiler: Any, **kw: Any) -> str:
    # SQLite's '+N months' rolls 31 Jan + 1 month over to 3 March: take the earlier of that
    # and the last day of the target month (at the same time of day), as PostgreSQL does.
    later, earlier, n, operator = _parts(element, compiler, **kw)
    rolled = f"julianday({earlier}, '+{n} months')"
    last_day = (f"julianday({earlier}, 'start of month', '+{n + 1} months', '-1 day')"
                f" + (julianday({earlier}) - julianday({earlier}, 'start of day'))")
    return f"(julianday({later}) {operator} min({rolled}, {last_day}))"


def _instant(when: datetime) -> Any:
    return literal(when, UTCDateTime())


def departed_by(months: int, as_of: datetime) -> ColumnElement[bool]:
    """Departed at least `months` months before `as_of`."""
    return and_(Application.departed_at.is_not(None),
                months_later(_instant(as_of), Application.departed_at, months, strictly=False))


def still_working(months: int, as_of: datetime) -> ColumnElement[bool]:
    """Departed at least `months` months before `as_of`, and not come home within them."""
    return and_(departed_by(months, as_of),
                or_(Application.returned_at.is_(None),
                    months_later(Application.returned_at, Application.departed_at, months)))


def stability(session: Session, group_by: Sequence[Any], months: int, as_of: datetime,
              *where: Any, joins: Sequence[tuple[Any, Any]] = ()
              ) -> dict[tuple[Any, ...], tuple[int, int]]:
    """Per group (the values of `group_by`): how many departed at least `months` months
    before `as_of`, and how many of them are still working at `months` months. `where`
    narrows the placements (a departure month, an area); `joins` are (table, on) pairs
    joined to the applications (the posting, for its agency or employer)."""
    working = func.sum(case((still_working(months, as_of), 1), else_=0))
    query = select(*group_by, func.count(), working).select_from(Application)
    for table, on in joins:
        query = query.join(table, on)
    query = query.where(departed_by(months, as_of), *where).group_by(*group_by)
    return {tuple(row[:-2]): (int(row[-2]), int(row[-1] or 0)) for row in session.execute(query)}
