"""``/api/analysis``: request an analysis, read it, list mine, cancel it, follow it live."""

from __future__ import annotations

import base64
import binascii
import re

from flask import Blueprint, Response, jsonify, request
from pydantic import ConfigDict, Field

from shared import metrics
from shared.api.live import STREAMS, stream_analysis
from shared.api.requests import body, current_user, query
from shared.api.response_schemas import HISTORY
from shared.api.routes import CREATED, ID, route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import Conflict, InvalidInput, NotFound
from shared.models import (
    SYMBOL_SCHEMA,
    TIMEFRAME_SCHEMA,
    Analysis,
    Language,
    Role,
    Status,
    Symbol,
    User,
)
from shared.services import analyses, features, moderation
from shared.services.request_analysis import request_analysis

bp = Blueprint("analysis", __name__)
CANCELLED = "cancelled by the user"
CANCELLED_BY_STAFF = "cancelled by a moderator"
_CURSOR = re.compile(r"^[0-9T:.Z-]{10,40}$")


class AnalysisRequest(Model):
    model_config = ConfigDict(extra="forbid")

    symbol: str = Field(min_length=1, max_length=30, json_schema_extra=SYMBOL_SCHEMA)
    timeframe: str = Field(min_length=1, max_length=5, json_schema_extra=TIMEFRAME_SCHEMA)
    language: Language | None = None


class Page(Model):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=80,
                               description="next_cursor of the previous page",
                               json_schema_extra={"pattern": _CURSOR.pattern})
    symbol: Symbol | None = Field(default=None, max_length=30,
                                  description="only this pair (BTC/USDT, btcusdt...)")


def is_staff(user: User) -> bool:
    return user.role is Role.admin or user.moderator


def owned_analysis(user: User, analysis_id: str) -> Analysis:
    """The analysis if this user may see it; 404 otherwise (no hint that it exists)."""
    missing = NotFound(f"analysis {analysis_id} does not exist")
    if not analysis_id.isalnum() or len(analysis_id) > 64:
        raise missing
    ports = container()
    doc = ports.store.get(analyses.COLLECTION, analysis_id)
    if doc is None:
        raise missing
    analysis = Analysis.model_validate(doc)
    hidden = bool((doc.get("moderation") or {}).get("hidden"))
    if not is_staff(user) and (analysis.user_id != user.id or hidden):
        raise missing
    return analyses.expire_if_overdue(ports.store, ports.bus, analysis)


def _decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    if _CURSOR.match(cursor):  # the cursor is the last item's created_at
        return cursor
    try:  # the base64 form given out before
        text = base64.urlsafe_b64decode(cursor.encode() + b"==").decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not _CURSOR.match(text):
        raise InvalidInput("cursor is not one this API gave out", details={"field": "cursor"})
    return text


@route(bp, "POST", "/api/analysis", "Request an analysis (202; 200 on a repeated "
       "Idempotency-Key)", body=AnalysisRequest, status=202, also=(200,), response=CREATED)
def create() -> tuple[Response, int, dict[str, str]]:
    user = current_user()
    wanted = body(AnalysisRequest)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key) <= 200:
        raise InvalidInput("Idempotency-Key must be 1 to 200 characters")
    ports = container()
    analysis, created = request_analysis(
        ports.store, ports.bus, user_id=user.id, symbol=wanted.symbol,
        timeframe=wanted.timeframe, language=(wanted.language or user.language).value,
        deadline_seconds=ports.settings.analysis_deadline_seconds, idempotency_key=key,
    )
    if created:
        metrics.ANALYSES.inc(1.0, Status.queued.value)
    status = 202 if created else 200
    if created and not features.enabled(ports.store, "FEATURE_ASYNC_ANALYSIS"):
        # synchronous mode: answer with the outcome (still 202 if the deadline passed)
        analysis = analyses.wait_final(ports.store, analysis.id,
                                       ports.settings.analysis_deadline_seconds)
        status = 200 if analysis.status.terminal else 202
    location = f"/api/analysis/{analysis.id}"
    payload = {"id": analysis.id, "status": analysis.status.value,
               "links": {"self": location, "events": f"{location}/events"}}
    return jsonify(payload), status, {"Location": location}


@route(bp, "GET", "/api/analysis", "My analyses, newest first (?symbol= one pair; ?cursor= "
       "the previous page's next_cursor)", query=Page, response=HISTORY)
def list_mine() -> Response:
    """Newest first. The cursor is a ``created_at < t`` filter rather than a store cursor,
    so paging works the same on Firestore, its emulator (which ignores cursors) and SQLite."""
    user = current_user()
    page = query(Page)
    filters: list[tuple[str, str, object]] = [("user_id", "==", user.id)]
    if page.symbol:
        filters.append(("symbol", "==", page.symbol))
    before = _decode_cursor(page.cursor)
    if before:
        filters.append(("created_at", "<", before))
    docs = container().store.query(analyses.COLLECTION, filters,  # type: ignore[arg-type]
                                   order_by="created_at", descending=True,
                                   limit=page.limit + 1)
    visible = [d for d in docs if not (d.get("moderation") or {}).get("hidden")]
    items = [Analysis.model_validate(d).public() for d in visible[: page.limit]]
    following = None
    if len(docs) > page.limit:
        last = docs[page.limit - 1]["created_at"]
        following = str(last)  # a UTC timestamp ending in Z: safe in a URL as it is
    return jsonify({"items": items, "next_cursor": following})


@route(bp, "GET", "/api/analysis/<analysis_id>", "One analysis", params={"analysis_id": ID})
def read(analysis_id: str) -> Response:
    return jsonify(owned_analysis(current_user(), analysis_id).public())


@route(bp, "POST", "/api/analysis/<analysis_id>/cancel", "Cancel an analysis",
       params={"analysis_id": ID})
def cancel(analysis_id: str) -> Response:
    user = current_user()
    analysis = owned_analysis(user, analysis_id)
    store = container().store
    by_staff = analysis.user_id != user.id  # a moderator or admin acting on someone's
    if by_staff:
        moderation.check_may_act_on_owner(store, user, analysis.user_id)
    if analysis.status.terminal or not analyses.transition(
            store, analysis.id, Status.failed, error=CANCELLED_BY_STAFF if by_staff else CANCELLED):
        raise Conflict(f"analysis {analysis.id} has already finished",
                       details={"status": analysis.status.value})
    if by_staff:
        moderation.record(store, user, "cancel", f"analysis:{analysis.id}", None,
                          owner=analysis.user_id)
    metrics.ANALYSES.inc(1.0, "cancelled")
    return jsonify(analyses.load(store, analysis.id).public())


@route(bp, "GET", "/api/analysis/<analysis_id>/events", "Live progress (SSE)",
       params={"analysis_id": ID}, response=None, content="text/event-stream")
def events(analysis_id: str) -> Response:
    user = current_user()
    analysis = owned_analysis(user, analysis_id)
    return Response(
        STREAMS.open(user.id, stream_analysis(container().store, analysis.id)),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
