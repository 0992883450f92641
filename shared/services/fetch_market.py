"""market_fetcher's use cases: candles for a requested analysis, and market scans.

Candles come from the cache (valid until the current candle closes) or else from the
fallback chain in the order an admin set (``market_config/sources``). After every fetch the
sources' health is saved, and bans another instance learned about are applied first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from shared.errors import ChartGeniusError, NoSourceAvailable
from shared.events import AnalysisRequested, MarketFetched, MarketScanRequested
from shared.market import cache
from shared.market.chain import Fetched, fetch_with_fallback
from shared.market.health import COLLECTION as HEALTH
from shared.market.scan_pacing import paced
from shared.market.sources import CONFIG_COLLECTION, CONFIG_DOC, LIVE_SOURCES, arrange
from shared.models import Candles, Status, iso, utcnow
from shared.ports import BlobStore, Bus, DocumentStore, MarketSource
from shared.services import alerts, analyses, digest, features, screener
from shared.services.announce import announce_once

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def fetch_for_analysis(
    store: DocumentStore, bus: Bus, sources: Sequence[MarketSource],
    event: AnalysisRequested, limit: int, *, use_cache: bool = True, clock: Clock = utcnow,
) -> None:
    analysis = analyses.load(store, event.analysis_id)
    if analysis.status.terminal:
        announce_once(store, bus, analysis)  # a repeat; announces only a lost announcement
        return
    if analysis.handed_on or analysis.status is Status.analyzing:
        return  # a repeat: the candles were already handed to the analyzer
    analyses.transition(store, analysis.id, Status.fetching)
    try:
        (result,) = asyncio.run(fetch_candles(store, sources, [event.symbol], event.timeframe,
                                              limit, use_cache=use_cache, clock=clock))
    except NoSourceAvailable as exc:
        analyses.fail(store, bus, analysis.id, exc.message,
                      sources_tried=exc.details.get("tried", []))
        return
    assert isinstance(result, Fetched)  # errors are raised unless keep_errors
    fetched = result
    tried = [a.describe() for a in fetched.tried]
    bus.publish(
        MarketFetched(
            event_id=f"{analysis.id}:fetched", correlation_id=analysis.id,
            analysis_id=analysis.id, symbol=event.symbol, timeframe=event.timeframe,
            source=fetched.source, tried=tried, candles=fetched.candles,
        )
    )
    # Recorded after the publish: a crash in between re-publishes (at least once), never
    # loses the hand-over. The analyzer drops a repeat by the analysis state.
    analyses.transition(store, analysis.id, Status.fetching, source=fetched.source,
                        sources_tried=tried, handed_on=True)


def scan_market(
    store: DocumentStore, bus: Bus, sources: Sequence[MarketSource], event: MarketScanRequested,
    limit: int, *, concurrency: int = 8, use_cache: bool = True, clock: Clock = utcnow,
    blobs: BlobStore | None = None, screener_size: int = 0, screener_quote: str = "USDT",
    budget_share: float | None = 0.5,
) -> dict[str, str]:
    """A scheduled scan: fail overdue analyses, then evaluate the watchlists' alert rules.

    Every watched (symbol, timeframe) pair — only the event's symbols when it names some —
    and the event's symbols on its timeframe are fetched once each, concurrently and cache
    first; each rule is judged on its pair's latest closed candle (``alerts``). The record
    ``scans/{scan_id}`` keeps the outcome per pair and the alerts fired; a repeat rewrites it
    and fires nothing twice (decision 0060).
    """
    expired = analyses.expire_overdue(store, bus, clock())
    groups = alerts.watched(store, event.symbols)
    ranked_symbols, listed_by = _universe(store, sources, screener_size, screener_quote)
    due_digests = digest.pending(store, clock())
    pairs = sorted({*groups, *alerts.needed(groups), *(p for d in due_digests for p in d.pairs),
                    *((s, event.timeframe) for s in [*event.symbols, *ranked_symbols])})
    results = asyncio.run(_fetch_pairs(store, sources, pairs, limit, concurrency=concurrency,
                                       use_cache=use_cache, clock=clock, share=budget_share))
    candles = {p: r.candles for p, r in results.items() if isinstance(r, Fetched)}
    scan = alerts.raise_alerts(store, bus, event.scan_id, groups, candles, blobs=blobs,
                               now=clock())
    rows = [r for s in ranked_symbols if (c := candles.get((s, event.timeframe))) is not None
            and (r := screener.row(s, event.timeframe, c)) is not None]
    finished = iso(utcnow())
    if ranked_symbols:
        screener.save(store, event.scan_id, event.timeframe, rows, listed_by, finished)
    digests = digest.publish(store, bus, event.scan_id, event.timeframe, _rows_of(candles),
                             due_digests)
    outcome = {f"{s} {tf}": _outcome(r) for (s, tf), r in results.items()}
    store.set("scans", event.scan_id, {
        "timeframe": event.timeframe, "pairs": outcome,
        "symbols": {s: _outcome(results[(s, event.timeframe)]) for s in event.symbols},
        "watch_items": sum(len(items) for items in groups.values()),
        "alerts_fired": len(scan.fired), "alerts_already_fired": scan.repeats,
        "alerts_silenced": scan.silenced, "alerts_not_due": scan.cooling,
        "screener": {"universe": len(ranked_symbols), "ranked": len(rows),
                     "listed_by": listed_by},
        "digests": digests, "expired_analyses": expired, "finished_at": finished})
    return outcome


def _rows_of(candles: dict[tuple[str, str], Candles]) -> digest.RowFor:
    """A watched pair's screener row, computed the first time a digest asks for it."""
    memo: dict[tuple[str, str], dict[str, Any] | None] = {}

    def row_for(symbol: str, timeframe: str) -> dict[str, Any] | None:
        if (symbol, timeframe) not in memo:
            found = candles.get((symbol, timeframe))
            row = screener.row(symbol, timeframe, found) if found is not None else None
            memo[(symbol, timeframe)] = asdict(row) if row is not None else None
        return memo[(symbol, timeframe)]

    return row_for


def _universe(store: DocumentStore, sources: Sequence[MarketSource], size: int,
              quote: str) -> tuple[list[str], str]:
    """The screener's pairs (none when it is off), from one listing call."""
    if size <= 0:
        return [], ""
    chain = arrange(sources, store.get(CONFIG_COLLECTION, CONFIG_DOC))
    if not features.enabled(store, "FEATURE_LIVE_MARKET_SOURCES"):
        chain = [s for s in chain if s.name not in LIVE_SOURCES]

    async def listed() -> tuple[list[str], str]:
        try:
            return await screener.universe(chain, quote, size)
        finally:
            await close_and_record(store, chain)

    return asyncio.run(listed())


def _outcome(result: Fetched | Exception) -> str:
    if isinstance(result, Fetched):
        return f"served by {result.source}, last close {result.candles.close[-1]}"
    return getattr(result, "message", str(result))


async def _fetch_pairs(
    store: DocumentStore, sources: Sequence[MarketSource], pairs: list[tuple[str, str]],
    limit: int, *, concurrency: int, use_cache: bool, clock: Clock, share: float | None = None,
) -> dict[tuple[str, str], Fetched | Exception]:
    """Each pair once: one concurrent batch of symbols per timeframe."""
    results: dict[tuple[str, str], Fetched | Exception] = {}
    for timeframe in sorted({tf for _, tf in pairs}):
        symbols = [s for s, tf in pairs if tf == timeframe]
        batch = await fetch_candles(store, sources, symbols, timeframe, limit, use_cache=use_cache,
                                    clock=clock, concurrency=concurrency, keep_errors=True,
                                    share=share)
        results.update(zip(((s, timeframe) for s in symbols), batch, strict=True))
    return results


async def fetch_candles(
    store: DocumentStore, sources: Sequence[MarketSource], symbols: list[str], timeframe: str,
    limit: int, *, use_cache: bool = True, clock: Clock = utcnow, concurrency: int = 8,
    keep_errors: bool = False, share: float | None = None,
) -> list[Fetched | Exception]:
    """Candles per symbol (cache first); with ``keep_errors`` a ``NoSourceAvailable`` is
    returned in its symbol's place instead of raised; ``share`` paces the sources to that part
    of their request budgets (scans). Sources are closed at the end."""
    chain = arrange(sources, store.get(CONFIG_COLLECTION, CONFIG_DOC))
    if not features.enabled(store, "FEATURE_LIVE_MARKET_SOURCES"):
        chain = [s for s in chain if s.name not in LIVE_SOURCES]
    _apply_bans(store, chain, clock())
    chain = paced(chain, share)  # a scan takes only its share of each budget
    for source in chain:
        prepare = getattr(source, "prepare", None)
        if prepare is not None and len(symbols) > 1:
            prepare(symbols)
    gate = asyncio.Semaphore(concurrency)

    async def one(symbol: str) -> Fetched | Exception:
        async with gate:
            try:
                return await _fetch_one(store, chain, symbol, timeframe, limit,
                                        use_cache, clock)
            except ChartGeniusError as exc:  # a scan records each pair's outcome
                if not keep_errors:
                    raise
                return exc

    try:
        return list(await asyncio.gather(*(one(s) for s in symbols)))
    finally:
        await close_and_record(store, chain)


async def _fetch_one(store: DocumentStore, chain: Sequence[MarketSource], symbol: str,
                     timeframe: str, limit: int, use_cache: bool, clock: Clock) -> Fetched:
    if use_cache:
        hit = cache.load(store, symbol, timeframe, limit, clock())
        if hit is not None:
            return hit
    fetched = await fetch_with_fallback(chain, symbol, timeframe, limit)
    if use_cache:
        cache.save(store, symbol, timeframe, limit, fetched, clock())
    return fetched


async def close_and_record(store: DocumentStore, chain: Sequence[MarketSource]) -> None:
    """End the sources' sessions (they belong to this event loop) and save their health."""
    for source in chain:
        close = getattr(source, "aclose", None)
        if close is not None:
            try:
                await close()
            except Exception:  # closing must not hide the fetch's own outcome
                log.warning("closing a market source failed", extra={"source": source.name},
                            exc_info=True)
    _save_health(store, chain)


def _save_health(store: DocumentStore, chain: Sequence[MarketSource]) -> None:
    for source in chain:
        health, breaker = getattr(source, "health", None), getattr(source, "breaker", None)
        if health is not None and health.calls:  # a source without a breaker never opens
            state = breaker.state if breaker is not None else "closed"
            store.set(HEALTH, source.name, {**health.document(state),
                                            "updated_at": iso(utcnow())})


def _apply_bans(store: DocumentStore, chain: Sequence[MarketSource], now: datetime) -> None:
    """Honour a ban (HTTP 418) that any instance received, until it ends."""
    by_name = {s.name: s for s in chain if hasattr(s, "apply_ban")}
    if not by_name:
        return
    for doc in store.query(HEALTH):
        until = doc.get("banned_until")
        source = by_name.get(doc.get("source", ""))
        if source is None or not until:
            continue
        left = (datetime.fromisoformat(until.replace("Z", "+00:00")) - now).total_seconds()
        if left > 0 and source.breaker.retry_in() < left:  # type: ignore[attr-defined]
            source.apply_ban(left)  # type: ignore[attr-defined]
