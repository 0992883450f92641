"""``/api/admin/prompts``: the analysis prompt templates — list, versions, create, activate,
roll back, preview. Admins only.

Writes carry the generation the editor last saw (``if_generation_match``); an edit that lost
a race gets 412 and nothing is overwritten.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.admin_gate import admin_gate
from shared.api.requests import body, query, require_admin
from shared.api.routes import ITEMS, route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import Conflict
from shared.models import SYMBOL_SCHEMA, TIMEFRAME_SCHEMA
from shared.services import features, prompts

bp = Blueprint("prompts", __name__)
NAME = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,47}$"}
bp.before_request(admin_gate)


@bp.before_request
def _managed() -> None:
    """FEATURE_PROMPT_MANAGEMENT off: the analyzer uses the bundled prompts; no changes."""
    from flask import request

    if request.method == "POST" and not request.path.endswith("prompts-preview") \
            and not features.enabled(container().store, "FEATURE_PROMPT_MANAGEMENT"):
        raise Conflict("prompt management is switched off (FEATURE_PROMPT_MANAGEMENT)")


class VersionQuery(Model):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, ge=1, le=100_000)


class NewVersion(Model):
    model_config = ConfigDict(extra="forbid")

    system: str = Field(min_length=1, max_length=4000)
    template: str = Field(min_length=1, max_length=20_000)
    language: str = Field(pattern=r"^(en|ru)$")
    note: str = Field(default="", max_length=500)


class Activation(Model):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, le=100_000)
    if_generation_match: int | None = Field(default=None, ge=0)


class Rollback(Model):
    model_config = ConfigDict(extra="forbid")

    if_generation_match: int | None = Field(default=None, ge=0)


class Preview(Model):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(min_length=1, max_length=20_000)
    language: str = Field(default="en", pattern=r"^(en|ru)$")
    symbol: str | None = Field(default=None, max_length=30,
                               description="render over this pair's current indicators",
                               json_schema_extra=SYMBOL_SCHEMA)
    timeframe: str = Field(default="4h", max_length=5, json_schema_extra=TIMEFRAME_SCHEMA)


@route(bp, "GET", "/api/admin/prompts", "Prompt templates and their versions", role="admin",
       response=ITEMS)
def list_prompts() -> Response:
    require_admin()
    return jsonify({"items": prompts.list_prompts(container().blobs)})


@route(bp, "GET", "/api/admin/prompts/<name>", "A prompt's active (or ?version=) version",
       role="admin", query=VersionQuery, params={"name": NAME})
def read_prompt(name: str) -> Response:
    """The active version, or ``?version=N``, with the pointer and the template variables."""
    require_admin()
    return jsonify(prompts.read_prompt(container().blobs, name, query(VersionQuery).version))


@route(bp, "POST", "/api/admin/prompts/<name>/versions", "Create a prompt version (not "
       "activated)", role="admin", body=NewVersion, params={"name": NAME}, status=201)
def create_version(name: str) -> tuple[Response, int]:
    actor = require_admin()
    wanted = body(NewVersion)
    created = prompts.create_version(container().blobs, name, system=wanted.system,
                                     template=wanted.template, language=wanted.language,
                                     author=actor.id, note=wanted.note)
    return jsonify(created), 201


@route(bp, "POST", "/api/admin/prompts/<name>/activate", "Activate a version (412 if the "
       "pointer changed since if_generation_match)", role="admin", body=Activation,
       params={"name": NAME})
def activate(name: str) -> Response:
    actor = require_admin()
    wanted = body(Activation)
    return jsonify(prompts.activate(container().blobs, name, wanted.version, author=actor.id,
                                    if_generation_match=wanted.if_generation_match))


@route(bp, "POST", "/api/admin/prompts/<name>/rollback", "Re-activate the previous version",
       role="admin", body=Rollback, params={"name": NAME})
def rollback(name: str) -> Response:
    actor = require_admin()
    wanted = body(Rollback)
    return jsonify(prompts.rollback(container().blobs, name, author=actor.id,
                                    if_generation_match=wanted.if_generation_match))


@route(bp, "GET", "/api/admin/prompts/<name>/history", "Every version of a prompt with its "
       "author and time", role="admin", params={"name": NAME})
def history(name: str) -> Response:
    """Every version with its author, time, note and language, and the active pointer."""
    require_admin()
    return jsonify(prompts.history(container().blobs, name))


@route(bp, "POST", "/api/admin/prompts-preview", "Render a template over a pair's current "
       "indicators (symbol) or sample values", role="admin", body=Preview)
def preview() -> Response:
    """The template rendered over a real pair's current indicators (``symbol``: its newest
    completed analysis) or sample values; 400 with the reason if it cannot render."""
    require_admin()
    wanted = body(Preview)
    if wanted.symbol is None:
        return jsonify({"rendered": prompts.preview(wanted.template, wanted.language),
                        "context": {"sample": True}})
    ports = container()
    rendered, about = prompts.preview_for_pair(ports.store, wanted.template, wanted.language,
                                               wanted.symbol, wanted.timeframe)
    return jsonify({"rendered": rendered, "context": about})
