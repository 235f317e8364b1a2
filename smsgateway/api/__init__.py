"""The JSON API for officers and agencies under /api/v1, described by its own OpenAPI document.

Each route is declared once with `@route(...)`: the same declaration registers the Flask
view and its entry in the OpenAPI document, with the pydantic models that validate the
request and shape the response, so the document cannot drift from what the routes do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload
from werkzeug.datastructures import ImmutableMultiDict

from ..access import require_role, token_digest
from ..kernel.errors import Refused
from ..kernel.text import clean, clean_data, clean_pairs
from ..models import ApiToken, Role, User
from ..services import services
from ..web.ids import MAX_ID

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@dataclass(frozen=True)
class Operation:
    """One documented route."""

    path: str
    method: str
    summary: str
    roles: tuple[Role, ...]
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    paginated: bool
    query: tuple[str, ...] = ()  # the filters it takes from the query string


OPERATIONS: list[Operation] = []
VIEW_ROLES: dict[Callable[..., Any], tuple[Role, ...]] = {}  # what `call` checks


def call(view: Callable[..., Any], db: Session, user: User, *args: Any, **kwargs: Any) -> Any:
    """Run an API view for another caller (the console): the same role check, then the view.

    The view checks scope itself (`access`), so its rules hold for both callers.
    """
    require_role(user, VIEW_ROLES[view])
    return view(db, user, *args, **kwargs)


class ApiError(Refused):
    """A request the API refuses before the domain sees it (a missing token, a malformed
    body or query): the status first, as HTTP reads."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message, field, status)


def error(status: int, message: str, field: str | None = None) -> ResponseReturnValue:
    """The JSON shape of every error."""
    return jsonify(error=message, field=field), status


@bp.errorhandler(Refused)
def _refused(exc: Refused) -> ResponseReturnValue:
    """Every refusal (the domain's, the access layer's 403 and 404, the API's own 4xx)."""
    return error(exc.status, exc.message, exc.field)


def _big_integer(value: Any, field: str = "") -> str | None:
    """The field (dotted) of the first integer in a JSON document beyond what our INTEGER
    columns hold (`MAX_ID`): such a number names nothing we keep, and PostgreSQL refuses to
    compare it (SQLite would take it). Path ids are bounded by the app's `int` converter."""
    if isinstance(value, int) and not isinstance(value, bool):
        return field if abs(value) > MAX_ID else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        found = _big_integer(item, f"{field}.{key}" if field else str(key))
        if found is not None:
            return found
    return None


@bp.before_request
def _clean_input() -> None:
    """Query strings and path values as text every database takes (`kernel.text`)."""
    request.args = ImmutableMultiDict(clean_pairs(request.args.items(multi=True)))
    if request.view_args:
        request.view_args = {k: clean(v) if isinstance(v, str) else v
                             for k, v in request.view_args.items()}


def _user(db: Session) -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "an Authorization: Bearer token is required", "Authorization")
    digest = token_digest(token)
    user = db.scalars(select(User).join(ApiToken, ApiToken.user_id == User.id)
                      .where(ApiToken.token_hash == digest)
                      .options(joinedload(User.area), joinedload(User.agency))).first()
    if user is None:
        raise ApiError(401, "unknown or revoked token", "Authorization")
    return user


def _body(model: type[BaseModel]) -> BaseModel:
    data = clean_data(request.get_json(silent=True))
    if not isinstance(data, dict):
        raise ApiError(400, "the body must be a JSON object")
    too_big = _big_integer(data)
    if too_big is not None:
        raise ApiError(422, f"a number of at most {MAX_ID} is expected", too_big)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise ApiError(422, first["msg"], field) from exc


Paging = tuple[int, int]  # page (from 1), per_page
FIRST_PAGE: Paging = (1, 20)
VIEW_QUERY: dict[Callable[..., Any], tuple[str, ...]] = {}  # the filters a view takes
PAGINATED: set[Callable[..., Any]] = set()
MAX_PAGE = 1_000_000  # × 100 per page stays far inside a 64-bit OFFSET


def page_of(db: Session, query: Select[Any], paging: Paging) -> tuple[list[Any], int]:
    """One page of `query`'s rows (in its order) and how many rows there are in all: the
    paging of every list view."""
    page, per_page = paging
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return list(rows), total


def query_int(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number from a query string within [low, high], else a 400 naming it (a
    number beyond 64 bits would fail in the database instead)."""
    text = args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(high))) \
            or not low <= int(text) <= high:
        raise ApiError(400, f"{name} must be a whole number from {low} to {high}", name)
    return int(text)


def page_args(args: Mapping[str, str]) -> Paging:
    """`page` (1 to MAX_PAGE) and `per_page` (1 to 100, default 20) from a query string."""
    return query_int(args, "page", 1, 1, MAX_PAGE), query_int(args, "per_page", 20, 1, 100)


def query_args(view: Callable[..., Any], args: Mapping[str, str]) -> dict[str, Any]:
    """What a view takes from a query string: its paging (checked) and the filters it
    declares. The API route passes its request's; the console passes what its own page was
    given, explicitly (a view never reads the request itself)."""
    found: dict[str, Any] = {"paging": page_args(args)} if view in PAGINATED else {}
    return found | {name: args.get(name) for name in VIEW_QUERY.get(view, ())}


def route(path: str, method: str, summary: str, *, roles: tuple[Role, ...] = tuple(Role),
          body: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
          status: int = 200, paginated: bool = False, query: tuple[str, ...] = (),
          max_bytes: int | None = None) -> Callable[..., Any]:
    """Register a view: authenticated, role-checked, body validated, one DB transaction.

    The view is called as `view(db, user, [body,] **path_args, **query_args)` (`paging` when
    paginated, and each name of `query` from the query string) and returns a model, a list
    of models with a total (paginated), or a dict. `max_bytes`: a body limit above the app's
    (which keeps webhooks small), for the routes that take files.
    """
    OPERATIONS.append(Operation(path, method, summary, roles, body, response, status, paginated,
                                query))

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def handler(**kwargs: Any) -> ResponseReturnValue:
            if max_bytes is not None:
                request.max_content_length = max_bytes
            with services().sessions.begin() as db:
                user = _user(db)
                require_role(user, roles)
                g.user = user
                args = [db, user] + ([_body(body)] if body else [])
                result = view(*args, **kwargs, **query_args(view, request.args))
                if isinstance(result, Response):  # another format than JSON (CSV)
                    return result
                payload = _dump(result, paginated)
            return jsonify(payload), status

        bp.add_url_rule(path, endpoint=f"{view.__name__}", view_func=handler, methods=[method])
        VIEW_ROLES[view] = roles
        VIEW_QUERY[view] = query
        if paginated:
            PAGINATED.add(view)
        return view

    return decorate


def _dump(result: Any, paginated: bool) -> Any:
    if paginated:
        items, total, page, per_page = result
        return {"items": [i.model_dump(mode="json") for i in items], "total": total,
                "page": page, "per_page": per_page}
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    return result
