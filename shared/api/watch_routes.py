"""``/api/watch``: the signed-in user's watchlist items and their alert rules."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from shared.api.requests import body, current_user
from shared.bootstrap import container
from shared.services import watchlist

bp = Blueprint("watch", __name__)


@bp.get("/api/watch")
def list_items() -> Response:
    items = watchlist.list_items(container().store, current_user())
    return jsonify({"items": [i.model_dump(mode="json") for i in items]})


@bp.post("/api/watch")
def add() -> tuple[Response, int]:
    user = current_user()
    item = watchlist.add_item(container().store, user, body(watchlist.WatchInput))
    return jsonify(item.model_dump(mode="json")), 201


@bp.get("/api/watch/<item_id>")
def read(item_id: str) -> Response:
    item = watchlist.get_item(container().store, current_user(), item_id)
    return jsonify(item.model_dump(mode="json"))


@bp.put("/api/watch/<item_id>")
def replace(item_id: str) -> Response:
    user = current_user()
    wanted = body(watchlist.WatchInput)
    item = watchlist.replace_item(container().store, user, item_id, wanted)
    return jsonify(item.model_dump(mode="json"))


@bp.delete("/api/watch/<item_id>")
def delete(item_id: str) -> tuple[str, int]:
    watchlist.delete_item(container().store, current_user(), item_id)
    return "", 204
