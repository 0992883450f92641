"""``/api/market``: the sources' health and a pair's current price.

The admin's source order is edited through ``/api/admin/market-sources``."""

from __future__ import annotations

import asyncio
from typing import Any

from flask import Blueprint, Response, jsonify, request

from shared.api.requests import current_user
from shared.bootstrap import container
from shared.errors import InvalidInput
from shared.models import iso, normalize_symbol, utcnow

bp = Blueprint("market", __name__)


@bp.get("/api/market/health")
def health() -> Response:
    current_user()
    from shared.market.health import COLLECTION, empty_document

    ports = container()
    saved = {doc["_id"]: doc for doc in ports.store.query(COLLECTION)}
    chain = [source.name for source in ports.sources]
    rows: list[dict[str, Any]] = []
    for name in chain:
        doc = saved.get(name) or empty_document(name)
        doc.pop("_id", None)
        rows.append(doc)
    return jsonify({"sources": rows, "as_of": iso(utcnow())})


@bp.get("/api/market/price")
def price() -> Response:
    current_user()
    raw = request.args.get("symbol", "")
    if not raw:
        raise InvalidInput("add ?symbol=BASE/QUOTE, e.g. ?symbol=BTC/USDT",
                           details={"field": "symbol"})
    symbol = normalize_symbol(raw)
    from shared.market.quotes import price_with_fallback
    from shared.market.sources import CONFIG_COLLECTION, CONFIG_DOC, arrange
    from shared.services.fetch_market import close_and_record

    ports = container()
    chain = arrange(ports.sources, ports.store.get(CONFIG_COLLECTION, CONFIG_DOC))

    async def run() -> Any:
        try:
            return await price_with_fallback(chain, symbol)
        finally:
            await close_and_record(ports.store, chain)

    quote, tried = asyncio.run(run())
    return jsonify({**quote.model_dump(mode="json"), "tried": tried})
