"""Ids as the databases hold them: 1 to 2**31 - 1 (the tables' ids are INTEGER columns).

A larger number reaching a query fails in the database or the driver (PostgreSQL: "integer
out of range" beyond 2**31 - 1; SQLite: an OverflowError beyond 64 bits) and answered 500.
So every edge bounds ids before any query: the app's `int` URL converter (every `<int:…>`
route, API and console: a path id out of range is simply not found, 404) and the API's body
schemas (`api.schemas.Id`: a 422 naming the field).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; raise it with the columns if they become BIGINT


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to 1..MAX_ID (a bound may still be given: `<int(max=9):n>`)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
