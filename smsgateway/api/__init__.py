"""The JSON API for officers and agencies under /api/v1, described by its own OpenAPI document.

Each route is declared once with `@route(...)`: the same declaration registers the Flask
view and its entry in the OpenAPI document, with the pydantic models that validate the
request and shape the response, so the document cannot drift from what the routes do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from werkzeug.datastructures import ImmutableMultiDict

from ..access import NotVisible, WrongRole, require_role, token_digest
from ..kernel.errors import Refused
from ..kernel.text import clean, clean_data, clean_pairs
from ..models import ApiToken, Role, User
from ..services import services

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


OPERATIONS: list[Operation] = []
VIEW_ROLES: dict[Callable[..., Any], tuple[Role, ...]] = {}  # what `call` checks


def call(view: Callable[..., Any], db: Session, user: User, *args: Any, **kwargs: Any) -> Any:
    """Run an API view for another caller (the console): the same role check, then the view.

    The view checks scope itself (`access`), so its rules hold for both callers.
    """
    require_role(user, VIEW_ROLES[view])
    return view(db, user, *args, **kwargs)


class ApiError(Exception):
    """An error answered as JSON: a message and, when one input is at fault, its field."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def error(status: int, message: str, field: str | None = None) -> ResponseReturnValue:
    """The JSON shape of every error."""
    return jsonify(error=message, field=field), status


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    return error(exc.status, exc.message, exc.field)


@bp.errorhandler(Refused)
def _refused(exc: Refused) -> ResponseReturnValue:
    return error(exc.status, exc.message, exc.field)


@bp.errorhandler(NotVisible)
def _not_visible(exc: NotVisible) -> ResponseReturnValue:
    return error(404, exc.message, exc.field)


@bp.errorhandler(WrongRole)
def _wrong_role(exc: WrongRole) -> ResponseReturnValue:
    return error(403, str(exc), "role")


# Ids and counts are PostgreSQL INTEGER columns: a larger number names nothing we keep, and
# PostgreSQL refuses to compare it (SQLite would take it). Checked where a number enters.
MAX_INTEGER = 2**31 - 1


def _big_integer(value: Any, field: str = "") -> str | None:
    """The field (dotted) of the first integer in a JSON document that INTEGER cannot hold."""
    if isinstance(value, int) and not isinstance(value, bool):
        return field if abs(value) > MAX_INTEGER else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        found = _big_integer(item, f"{field}.{key}" if field else str(key))
        if found is not None:
            return found
    return None


@bp.before_request
def _clean_input() -> None:
    """Query strings and path values as text every database takes (`kernel.text`); a path
    id larger than any id we keep is not found."""
    request.args = ImmutableMultiDict(clean_pairs(request.args.items(multi=True)))
    if request.view_args:
        request.view_args = {k: clean(v) if isinstance(v, str) else v
                             for k, v in request.view_args.items()}
        too_big = _big_integer(request.view_args)
        if too_big is not None:
            raise ApiError(404, f"no {too_big.removesuffix('_id')} with that id", too_big)


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
        raise ApiError(422, f"a number of at most {MAX_INTEGER} is expected", too_big)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise ApiError(422, first["msg"], field) from exc


def page_args() -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1 to 100, default 20) from the query string."""
    try:
        page, per_page = int(request.args.get("page", 1)), int(request.args.get("per_page", 20))
    except ValueError as exc:
        raise ApiError(400, "page and per_page must be whole numbers", "page") from exc
    if page < 1 or not 1 <= per_page <= 100:
        raise ApiError(400, "page starts at 1; per_page is 1 to 100", "per_page")
    return page, per_page


def route(path: str, method: str, summary: str, *, roles: tuple[Role, ...] = tuple(Role),
          body: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
          status: int = 200, paginated: bool = False,
          max_bytes: int | None = None) -> Callable[..., Any]:
    """Register a view: authenticated, role-checked, body validated, one DB transaction.

    The view is called as `view(db, user, [body,] **path_args)` and returns a model, a list
    of models with a total (paginated), or a dict. `max_bytes`: a body limit above the app's
    (which keeps webhooks small), for the routes that take files.
    """
    OPERATIONS.append(Operation(path, method, summary, roles, body, response, status, paginated))

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
                result = view(*args, **kwargs)
                if isinstance(result, Response):  # another format than JSON (CSV)
                    return result
                payload = _dump(result, paginated)
            return jsonify(payload), status

        bp.add_url_rule(path, endpoint=f"{view.__name__}", view_func=handler, methods=[method])
        VIEW_ROLES[view] = roles
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


def init_app(app: Any) -> None:
    """Register the API's views and its OpenAPI document; API paths answer errors in JSON."""
    from . import (  # noqa: F401  (they declare routes)
        agencies,
        broadcasts,
        cases,
        departures,
        openapi,
        postings,
        reports,
        targets,
        trainings,
        villagers,
    )

    app.register_blueprint(bp)

    def json_for_api(exc: Any) -> Any:
        if request.path.startswith(bp.url_prefix or "/api"):
            return error(exc.code, exc.description.split(".")[0].lower())
        return exc

    for code in (404, 405, 413):
        app.register_error_handler(code, json_for_api)
