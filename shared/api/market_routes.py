"""``/api/market``: the sources' health, the pairs they serve and a pair's current price.

The admin's source order is edited through ``/api/admin/market-sources``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from pydantic import ConfigDict, Field

from shared.api.requests import current_user, query
from shared.api.response_schemas import PAIRS
from shared.api.routes import route
from shared.basemodel import Model
from shared.bootstrap import container
from shared.errors import NoSourceAvailable, NotFound
from shared.models import SYMBOL_SCHEMA, iso, normalize_symbol, utcnow

bp = Blueprint("market", __name__)


class PriceQuery(Model):
    model_config = ConfigDict(extra="forbid")

    symbol: str = Field(min_length=1, max_length=30, description="BASE/QUOTE, e.g. BTC/USDT",
                        json_schema_extra=SYMBOL_SCHEMA)


@route(bp, "GET", "/api/market/health", "Market sources' health")
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


@route(bp, "GET", "/api/market/price", "A pair's current price, through the source chain",
       query=PriceQuery)
def price() -> Response:
    current_user()
    symbol = normalize_symbol(query(PriceQuery).symbol)
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

    import asyncio  # here, not at the top: the api's cold start has no use for it (0.03 s)

    try:
        quote, tried = asyncio.run(run())
    except NoSourceAvailable as exc:  # a well-formed pair no source has: not found
        raise NotFound(exc.message, details=exc.details) from exc
    return jsonify({**quote.model_dump(mode="json"), "tried": tried})


@route(bp, "GET", "/api/market/pairs", "Pairs the enabled sources serve, with timeframes",
       response=PAIRS)
def pairs() -> Response:
    """Pairs the enabled sources serve (shared/market/pairs.py), for the pair input."""
    current_user()
    from shared.market.pairs import servable_pairs
    from shared.market.sources import CONFIG_COLLECTION, CONFIG_DOC, arrange

    ports = container()
    chain = arrange(ports.sources, ports.store.get(CONFIG_COLLECTION, CONFIG_DOC))
    response = jsonify({"pairs": servable_pairs(chain), "as_of": iso(utcnow())})
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
