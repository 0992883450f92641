"""How an API route is declared: once, with everything the OpenAPI document says about it.

Every route of the API app is added with ``@route`` — never ``bp.get``/``bp.route`` — so
that the spec (``/api/openapi.json``, built by ``shared/api/openapi.py``) lists it with the
very models the handler validates with. A rule in Flask's ``url_map`` without a declaration
makes the spec refuse to build, and ``tests/unit/test_route_declarations.py`` fails::

    from flask import Blueprint
    from shared.api.routes import ID, route

    bp = Blueprint("watch", __name__)          # the blueprint's name is the spec's tag

    @route(bp, "PUT", "/api/watch/<item_id>", "Replace a watchlist item",
           body=WatchInput, params={"item_id": ID})
    def replace(item_id: str) -> Response:
        user = current_user()                  # already checked by the declared role
        wanted = body(WatchInput)              # the declared model, validated strictly
        ...

``role`` is who may call it (``public``, ``user``, ``moderator``, ``admin``): the decorator
checks it before the handler runs, so the spec's security cannot differ from the code.
``query`` is the pydantic model of the query string, ``status`` the success status
(``also`` lists other success statuses), ``response`` the JSON schema (or model) of the
success body, ``content`` its media type. Error statuses are documented for every route.

Bodies are validated strictly (``requests.body``). ``tests/e2e/test_openapi_fuzz.py`` runs
schemathesis with every check, including "a schema-valid request is accepted": when a
validator accepts less than the field's type, say so in the schema — ``Symbol`` /
``Timeframe`` from ``shared.models`` (or ``json_schema_extra=SYMBOL_SCHEMA`` /
``TIMEFRAME_SCHEMA`` on a plain ``str``), a ``pattern``, an ``enum`` — so the spec never
promises what the handler refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Literal, TypeVar

from flask import Blueprint
from pydantic import BaseModel

from shared.api import requests

Role = Literal["public", "user", "moderator", "admin"]
Schema = dict[str, Any]
F = TypeVar("F", bound=Callable[..., Any])

OBJECT: Schema = {"type": "object"}
ITEMS: Schema = {"type": "object", "required": ["items"],
                 "properties": {"items": {"type": "array"}}}
# A document id in a path: what the handlers accept (anything else is a 404).
ID: Schema = {"type": "string", "pattern": "^[A-Za-z0-9]{1,64}$"}
USER_ID: Schema = {"type": "string", "pattern": "^[0-9]{1,19}$"}
CREATED: Schema = {"type": "object", "required": ["id", "status"],
                   "properties": {"id": {"type": "string"}, "status": {"type": "string"}}}


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str  # Flask's form: /api/watch/<item_id>
    summary: str
    tag: str
    role: Role
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    params: dict[str, Schema] = field(default_factory=dict)
    status: int = 200
    also: tuple[int, ...] = ()
    response: Schema | type[BaseModel] | None = None
    content: str = "application/json"


# endpoint ("blueprint.function") → its declaration
DECLARED: dict[str, Operation] = {}


def route(bp: Blueprint, method: str, rule: str, summary: str, *, role: Role = "user",
          body: type[BaseModel] | None = None, body_required: bool = True,
          query: type[BaseModel] | None = None, params: dict[str, Schema] | None = None,
          status: int = 200, also: tuple[int, ...] = (),
          response: Schema | type[BaseModel] | None = OBJECT,
          content: str = "application/json") -> Callable[[F], F]:
    """Register ``rule`` for ``method`` on ``bp`` and declare it for the spec."""

    def register(view: F) -> F:
        op = Operation(method.upper(), rule, summary, bp.name, role, body, body_required,
                       query, dict(params or {}), status, also, response, content)
        DECLARED[f"{bp.name}.{view.__name__}"] = op
        guarded = _guarded(view, role)
        bp.add_url_rule(rule, view.__name__, guarded, methods=[op.method])
        return guarded

    return register


def _guarded(view: F, role: Role) -> F:
    if role == "public":
        return view

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        {"user": requests.current_user, "moderator": requests.require_moderator,
         "admin": requests.require_admin}[role]()
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]
