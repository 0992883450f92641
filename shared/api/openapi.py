"""The API's OpenAPI 3.1 description, built from the same pydantic models the routes use."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from shared.api import (
    admin_routes,
    analysis_routes,
    auth_routes,
    mod_routes,
    notification_routes,
    prompt_routes,
)
from shared.services import admin, quotas, watchlist

ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {
        "type": "object", "required": ["code", "message", "details"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                       "details": {}},
    }},
}
OBJ: dict[str, Any] = {"type": "object"}
ERRORS = ("400", "401", "403", "404", "405", "409", "412", "413", "429", "503")
ANALYSIS_ID = {"name": "analysis_id", "in": "path", "required": True,
               "schema": {"type": "string", "maxLength": 64}}
USER_ID = {"name": "user_id", "in": "path", "required": True,
           "schema": {"type": "string", "maxLength": 24}}
ITEM_ID = {"name": "item_id", "in": "path", "required": True,
           "schema": {"type": "string", "maxLength": 64}}
NOTIFICATION_ID = {"name": "notification_id", "in": "path", "required": True,
                   "schema": {"type": "string", "maxLength": 200}}
PROMPT = {"name": "name", "in": "path", "required": True,
          "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,47}$"}}
ACTION = {"name": "action", "in": "path", "required": True,
          "schema": {"type": "string", "enum": list(mod_routes.ANALYSIS_ACTIONS)}}
CREATED = {"type": "object", "required": ["id", "status"],
           "properties": {"id": {"type": "string"}, "status": {"type": "string"}}}
ITEMS = {"type": "object", "required": ["items"], "properties": {"items": {"type": "array"}}}

# (method, path, tag, summary, auth, body, query model, path params, status, response schema)
Op = tuple[str, str, str, str, bool, type[BaseModel] | None, type[BaseModel] | None,
           list[dict[str, Any]], str, dict[str, Any] | None]
OPERATIONS: list[Op] = [
    ("post", "/api/auth/dev", "auth", "Dev sign-in (local only)", False,
     auth_routes.DevLogin, None, [], "200", OBJ),
    ("post", "/api/auth/telegram", "auth", "Sign in with Telegram Login Widget data", False,
     auth_routes.WidgetLogin, None, [], "200", OBJ),
    ("post", "/api/auth/telegram/webapp", "auth", "Sign in with Mini App initData", False,
     auth_routes.MiniAppLogin, None, [], "200", OBJ),
    ("get", "/api/me", "auth", "The signed-in user and their quota", True, None, None, [],
     "200", OBJ),
    ("post", "/api/analysis", "analysis", "Request an analysis (202; 200 on a repeated "
     "Idempotency-Key)", True, analysis_routes.AnalysisRequest, None, [], "202", CREATED),
    ("get", "/api/analysis", "analysis", "My analyses, newest first", True, None,
     analysis_routes.Page, [], "200", ITEMS),
    ("get", "/api/analysis/{analysis_id}", "analysis", "One analysis", True, None, None,
     [ANALYSIS_ID], "200", OBJ),
    ("post", "/api/analysis/{analysis_id}/cancel", "analysis", "Cancel an analysis", True,
     None, None, [ANALYSIS_ID], "200", OBJ),
    ("get", "/api/analysis/{analysis_id}/events", "analysis", "Live progress (SSE)", True,
     None, None, [ANALYSIS_ID], "200", None),
    ("get", "/api/watch", "watch", "My watchlist", True, None, None, [], "200", ITEMS),
    ("post", "/api/watch", "watch", "Add a watchlist item", True, watchlist.WatchInput, None,
     [], "201", OBJ),
    ("get", "/api/watch/{item_id}", "watch", "One watchlist item", True, None, None,
     [ITEM_ID], "200", OBJ),
    ("put", "/api/watch/{item_id}", "watch", "Replace a watchlist item", True,
     watchlist.WatchInput, None, [ITEM_ID], "200", OBJ),
    ("delete", "/api/watch/{item_id}", "watch", "Delete a watchlist item", True, None, None,
     [ITEM_ID], "204", None),
    ("get", "/api/notifications", "notifications", "My notifications, newest first, and the "
     "unread count", True, None, notification_routes.NotificationQuery, [], "200", ITEMS),
    ("post", "/api/notifications/{notification_id}/read", "notifications", "Mark one "
     "notification read", True, None, None, [NOTIFICATION_ID], "200", OBJ),
    ("post", "/api/notifications/read-all", "notifications", "Mark all my notifications read",
     True, None, None, [], "200", OBJ),
    ("get", "/api/notifications/events", "notifications", "Live unread count and new "
     "notifications (SSE)", True, None, None, [], "200", None),
    ("get", "/api/admin/users", "admin", "Search users", True, None, admin_routes.UserQuery,
     [], "200", ITEMS),
    ("get", "/api/admin/users/{user_id}", "admin", "One user", True, None, None, [USER_ID],
     "200", OBJ),
    ("patch", "/api/admin/users/{user_id}", "admin", "Change role, quota, ban, moderator",
     True, admin.UserChange, None, [USER_ID], "200", OBJ),
    ("get", "/api/admin/limits", "admin", "Per-role limits", True, None, None, [], "200", OBJ),
    ("put", "/api/admin/limits", "admin", "Set per-role limits", True, quotas.Limits, None,
     [], "200", OBJ),
    ("get", "/api/admin/usage", "admin", "Usage and LLM cost", True, None,
     admin_routes.UsageQuery, [], "200", OBJ),
    ("get", "/api/admin/tasks", "admin", "Recent or failed analyses, and scans", True, None,
     admin_routes.TaskQuery, [], "200", OBJ),
    ("post", "/api/admin/tasks/{analysis_id}/retry", "admin", "Retry a failed analysis", True,
     None, None, [ANALYSIS_ID], "202", CREATED),
    ("get", "/api/admin/market-sources", "admin", "Market source order", True, None, None, [],
     "200", OBJ),
    ("put", "/api/admin/market-sources", "admin", "Set market source order and enabled", True,
     admin.MarketSources, None, [], "200", OBJ),
    ("get", "/api/admin/features", "admin", "Feature flags", True, None, None, [], "200", OBJ),
    ("put", "/api/admin/features", "admin", "Set feature flags", True, admin.Features, None,
     [], "200", OBJ),
    ("get", "/api/admin/prompts", "admin", "Prompt templates and their versions", True, None,
     None, [], "200", ITEMS),
    ("get", "/api/admin/prompts/{name}", "admin", "A prompt's active (or ?version=) version",
     True, None, prompt_routes.VersionQuery, [PROMPT], "200", OBJ),
    ("post", "/api/admin/prompts/{name}/versions", "admin", "Create a prompt version (not "
     "activated)", True, prompt_routes.NewVersion, None, [PROMPT], "201", OBJ),
    ("post", "/api/admin/prompts/{name}/activate", "admin", "Activate a version (412 if the "
     "pointer changed since if_generation_match)", True, prompt_routes.Activation, None,
     [PROMPT], "200", OBJ),
    ("post", "/api/admin/prompts/{name}/rollback", "admin", "Re-activate the previous version",
     True, prompt_routes.Rollback, None, [PROMPT], "200", OBJ),
    ("post", "/api/admin/prompts-preview", "admin", "Render a template over sample values",
     True, prompt_routes.Preview, None, [], "200", OBJ),
    ("post", "/api/mod/users/{user_id}/ban", "mod", "Ban a user", True, mod_routes.Reason,
     None, [USER_ID], "200", OBJ),
    ("post", "/api/mod/users/{user_id}/unban", "mod", "Unban a user", True,
     mod_routes.Reason, None, [USER_ID], "200", OBJ),
    ("post", "/api/mod/analysis/{analysis_id}/{action}", "mod", "Flag, unflag, hide or "
     "unhide an analysis", True, mod_routes.Reason, None, [ANALYSIS_ID, ACTION], "200", OBJ),
    ("get", "/api/mod/flagged", "mod", "Flagged analyses", True, None, None, [], "200", ITEMS),
    ("get", "/api/mod/log", "mod", "The moderation log", True, None, mod_routes.LogQuery, [],
     "200", ITEMS),
    ("get", "/health", "ops", "Health", False, None, None, [], "200", OBJ),
]


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    return [{"name": name, "in": "query", "required": name in schema.get("required", []),
             "schema": prop} for name, prop in schema["properties"].items()]


def _operation(op: Op, components: dict[str, Any]) -> dict[str, Any]:
    method, path, tag, summary, auth, body, query, params, status, ok = op
    responses: dict[str, Any] = {code: {"description": "error", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for code in ERRORS}
    if ok is None:
        responses[status] = {"description": "ok"}
    else:
        responses[status] = {"description": "ok",
                             "content": {"application/json": {"schema": ok}}}
    if status == "202":
        responses["200"] = responses["202"]
    operation: dict[str, Any] = {
        "operationId": f"{method}_{path}".replace("/", "_").replace("{", "").replace("}", ""),
        "tags": [tag], "summary": summary, "responses": responses,
        "parameters": [*params, *(_query_params(query) if query else [])],
        "security": [{"bearer": []}] if auth else [],
    }
    if body is not None:
        operation["requestBody"] = {"required": method != "post" or "mod" not in path,
                                    "content": {"application/json": {
                                        "schema": _schema(body, components)}}}
    return operation


@cache
def spec() -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op[1], {})[op[0]] = _operation(op, components)
    paths["/metrics"] = {"get": {"operationId": "get_metrics", "tags": ["ops"],
                                 "summary": "Prometheus metrics (text)", "security": [],
                                 "responses": {"200": {"description": "metrics",
                                               "content": {"text/plain": {}}},
                                               "401": {"description": "no token"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ChartGenius API", "version": "1.0.0",
                 "description": "Errors are {\"error\": {\"code\", \"message\", \"details\"}}."},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }
