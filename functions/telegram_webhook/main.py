"""telegram_webhook: Telegram's updates (HTTP function). Answers fast; work goes on the bus.

A wrong or missing secret token gets 401 and nothing else happens. The answer's body may hold
one Bot API method (the inline reply), which Telegram executes.
"""

import functions_framework
from flask import Request, Response, jsonify

import shared.startup  # noqa: F401  (first: no garbage collection until the first answer)
from shared import log
from shared.api.body_limits import BodyTooLarge, buffer_body, loads
from shared.bootstrap import container
from shared.bot.webhook import SECRET_HEADER, check_secret, handle_update
from shared.config import settings
from shared.errors import InvalidInput, Unauthorized

settings()  # refuses to start without an explicit CHARTGENIUS_ENV

log.setup()


@functions_framework.http
def telegram_webhook(request: Request) -> Response | tuple[Response, int]:
    with log.traced(request.headers):  # the trace in every line of this update
        return _answer(request)


def _answer(request: Request) -> Response | tuple[Response, int]:
    ports = container()
    try:  # the body bounded on the stream before the secret is even read (413), then JSON
        data = buffer_body(request.environ, ports.settings.max_body_bytes)
        check_secret(ports, request.headers.get(SECRET_HEADER))
        reply = handle_update(ports, loads(data) if data else None)
    except BodyTooLarge as exc:
        return jsonify({"error": {"code": "request_entity_too_large", "message": str(exc)}}), 413
    except Unauthorized as exc:
        return jsonify({"error": {"code": exc.code, "message": exc.message}}), 401
    except InvalidInput as exc:
        return jsonify({"error": {"code": exc.code, "message": exc.message}}), 400
    return jsonify(reply or {})
