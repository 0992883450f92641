"""``/api/digest``: the signed-in user's daily digest preference (the web's toggle; the bot's
``/digest`` sets the same document)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from shared.api.requests import body, current_user
from shared.api.routes import route
from shared.bootstrap import container
from shared.services import digest

bp = Blueprint("digest", __name__)


@route(bp, "GET", "/api/digest", "Your daily digest preference",
       response=digest.DigestPrefs)
def read() -> Response:
    user = current_user()
    return jsonify(digest.load(container().store, user.id).model_dump())


@route(bp, "PUT", "/api/digest", "Turn your daily digest on or off, at your local hour",
       body=digest.DigestPrefs, response=digest.DigestPrefs)
def replace() -> Response:
    user = current_user()
    wanted = body(digest.DigestPrefs)
    return jsonify(digest.save(container().store, user.id, wanted).model_dump())
