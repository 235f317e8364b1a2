"""`GET /api/v1/openapi.json`, generated from the declared routes and their models."""

from __future__ import annotations

import re
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel

from . import OPERATIONS, Operation, bp

ERROR = {"type": "object", "required": ["error"],
         "properties": {"error": {"type": "string"}, "field": {"type": ["string", "null"]}}}


def _path(flask_path: str) -> tuple[str, list[str]]:
    """`/postings/<int:posting_id>` → `/postings/{posting_id}` and its parameters."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", flask_path)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", flask_path), names


def _ref(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        schemas[name] = definition
    schemas[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _operation(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    _, names = _path(op.path)
    params = [{"name": n, "in": "path", "required": True, "schema": {"type": "integer"}}
              for n in names]
    if op.paginated:
        params += [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                   {"name": "per_page", "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]
    params += [{"name": n, "in": "query", "schema": {"type": "string"}} for n in op.query]
    body = _ref(op.response, schemas) if op.response else {"type": "object"}
    if op.paginated:
        body = {"type": "object", "required": ["items", "total", "page", "per_page"],
                "properties": {"items": {"type": "array", "items": body},
                               "total": {"type": "integer"}, "page": {"type": "integer"},
                               "per_page": {"type": "integer"}}}
    errors = {str(code): {"description": text, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}
        for code, text in ((400, "bad request"), (401, "no or unknown token"),
                           (403, "not allowed"), (404, "not found or not yours"),
                           (409, "conflicts with the current state"),
                           (422, "invalid field"))}
    operation: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{op.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', op.path.lower())}",
        "description": f"Roles: {', '.join(r.value for r in op.roles)}.",
        "parameters": params,
        "responses": {str(op.status): {"description": "ok", "content": {
            "application/json": {"schema": body}}}, **errors},
    }
    if op.body:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _ref(op.body, schemas)}}}
    return operation


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API."""
    schemas: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        path, _ = _path(op.path)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Jobline API", "version": "1",
                 "description": "Officers vet postings; agencies confirm shortlists."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    }


@bp.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    """The document itself (no token needed)."""
    return jsonify(document())
