"""``/api/watch``: the signed-in user's watchlist items and their alert rules."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from shared.api.requests import body, current_user
from shared.api.routes import ID, ITEMS, route
from shared.bootstrap import container
from shared.services import watchlist

bp = Blueprint("watch", __name__)


@route(bp, "GET", "/api/watch", "My watchlist", response=ITEMS)
def list_items() -> Response:
    items = watchlist.list_items(container().store, current_user())
    return jsonify({"items": [i.model_dump(mode="json") for i in items]})


@route(bp, "POST", "/api/watch", "Add a watchlist item", body=watchlist.WatchInput, status=201)
def add() -> tuple[Response, int]:
    user = current_user()
    item = watchlist.add_item(container().store, user, body(watchlist.WatchInput))
    return jsonify(item.model_dump(mode="json")), 201


@route(bp, "GET", "/api/watch/<item_id>", "One watchlist item", params={"item_id": ID})
def read(item_id: str) -> Response:
    item = watchlist.get_item(container().store, current_user(), item_id)
    return jsonify(item.model_dump(mode="json"))


@route(bp, "PUT", "/api/watch/<item_id>", "Replace a watchlist item",
       body=watchlist.WatchInput, params={"item_id": ID})
def replace(item_id: str) -> Response:
    user = current_user()
    wanted = body(watchlist.WatchInput)
    item = watchlist.replace_item(container().store, user, item_id, wanted)
    return jsonify(item.model_dump(mode="json"))


@route(bp, "DELETE", "/api/watch/<item_id>", "Delete a watchlist item", params={"item_id": ID},
       status=204, response=None)
def delete(item_id: str) -> tuple[str, int]:
    watchlist.delete_item(container().store, current_user(), item_id)
    return "", 204
