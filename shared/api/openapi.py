"""The API's OpenAPI 3.1 document, generated from the app's routes and their declarations.

It walks Flask's ``url_map`` — what the app really serves — and describes each rule with the
declaration ``@route`` recorded (``shared/api/routes.py``): the pydantic models of the body
and query (the ones the handler validates with), path parameters, role, success status and
media type. A rule without a declaration raises, so a route cannot exist outside the spec.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel

from shared.api.routes import DECLARED, Operation, Schema

ERROR: Schema = {
    "type": "object", "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "details": {}},
    }},
}
# every route can answer these (bad input, auth, roles, missing, method, conflicts, size,
# work that cannot be done, rate, unavailable); the body is always the error object above
ERRORS = ("400", "401", "403", "404", "405", "409", "412", "413", "422", "429", "503")
ROLE_NOTE = {"public": "", "user": "", "moderator": " Moderators and admins only.",
             "admin": " Admins only."}
_PARAM = re.compile(r"<(?:[a-z]+:)?([A-Za-z_][A-Za-z0-9_]*)>")


class UndeclaredRoute(RuntimeError):
    """A rule in the app's url_map that no ``@route`` declared."""


def _ref(model: type[BaseModel], components: dict[str, Any]) -> Schema:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_params(model: type[BaseModel], components: dict[str, Any]) -> list[Schema]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    required = schema.get("required", [])
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema["properties"].items()]


def _path_params(op: Operation) -> list[Schema]:
    names = _PARAM.findall(op.rule)
    return [{"name": n, "in": "path", "required": True,
             "schema": op.params.get(n, {"type": "string"})} for n in names]


def _responses(op: Operation, components: dict[str, Any]) -> dict[str, Any]:
    error = {"description": "error", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    responses: dict[str, Any] = dict.fromkeys(ERRORS, error)
    ok: dict[str, Any] = {"description": "ok"}
    if op.status != 204:
        schema = op.response
        if isinstance(schema, type):
            schema = _ref(schema, components)
        ok["content"] = {op.content: {"schema": schema} if schema is not None else {}}
    for status in (op.status, *op.also):
        responses[str(status)] = ok
    return responses


def _operation(op: Operation, path: str, components: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": f"{op.method.lower()}{re.sub(r'[^A-Za-z0-9]+', '_', path)}".rstrip("_"),
        "tags": [op.tag], "summary": op.summary + ROLE_NOTE[op.role],
        "parameters": [*_path_params(op),
                       *(_query_params(op.query, components) if op.query else [])],
        "responses": _responses(op, components),
        "security": [] if op.role == "public" else [{"bearer": []}],
    }
    if op.body is not None:
        operation["requestBody"] = {"required": op.body_required, "content": {
            "application/json": {"schema": _ref(op.body, components)}}}
    return operation


def build(app: Flask) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = DECLARED.get(rule.endpoint)
        if op is None or op.rule != rule.rule:
            raise UndeclaredRoute(f"{sorted(rule.methods or ())} {rule.rule} is served but "
                                  "not declared with shared.api.routes.route")
        path = _PARAM.sub(r"{\1}", rule.rule)
        paths.setdefault(path, {})[op.method.lower()] = _operation(op, path, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "ChartGenius API", "version": "1.0.0",
                 "description": "Errors are {\"error\": {\"code\", \"message\", \"details\"}}."},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }


def spec(app: Flask) -> dict[str, Any]:
    """The document for ``app``, built once per app (on first request, not at cold start)."""
    built: dict[str, Any] | None = app.extensions.get("chartgenius.openapi")
    if built is None:
        built = app.extensions["chartgenius.openapi"] = build(app)
    return built
