"""The published track record: recomputed on a schedule by the walk-forward backtester, stored
in ``track_records/{BASE-QUOTE}_{timeframe}``, read by the API and attached to each result.

The history is every closed candle a source can give: all of replay's bundled history, or the
last ``HISTORY_LIMIT`` candles through the source chain in production. A record younger than
``max_age`` is kept (the market scan that triggers a refresh runs every few minutes); a
recomputation from the same candles writes the same document (idempotent).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from shared.errors import ChartGeniusError
from shared.market.closed import close_time, split
from shared.models import Candles, iso, utcnow
from shared.ports import DocumentStore, MarketSource
from shared.trackrecord import COLLECTION, doc_id

log = logging.getLogger(__name__)
HISTORY_LIMIT = 1000


def parse_pairs(entries: Sequence[str]) -> list[tuple[str, str]]:
    """``["BTC/USDT 1d", …]`` → ``[("BTC/USDT", "1d"), …]``."""
    out = []
    for entry in entries:
        symbol, _, timeframe = entry.strip().partition(" ")
        out.append((symbol, timeframe.strip()))
    return out


def history(sources: Sequence[MarketSource], symbol: str, timeframe: str,
            store: DocumentStore) -> tuple[Candles, str]:
    """The closed candles of the pair and the source's name."""
    for source in sources:
        whole = getattr(source, "candles", None)  # replay: the whole bundled history
        if whole is not None and source.supports(symbol, timeframe):
            return split(whole(symbol, timeframe, 10**7)).closed, source.name
    from shared.services.fetch_market import fetch_candles

    (fetched,) = asyncio.run(fetch_candles(store, sources, [symbol], timeframe, HISTORY_LIMIT,
                                           use_cache=False))
    assert not isinstance(fetched, Exception)  # raised unless keep_errors
    return split(fetched.candles).closed, fetched.source


def compute(candles: Candles, symbol: str, timeframe: str, source: str,
            now: datetime) -> dict[str, Any]:
    """The stored document: the walk-forward record, its span as close times, and the
    calibration's out-of-sample check for the timeframe."""
    import numpy as np  # the backtester's stack: only the scheduled refresh pays for it

    from shared.backtest.walk import History, track_record
    from shared.indicators import calibration

    record = track_record(History(np.asarray(candles.timestamps, dtype=np.int64),
                                  np.asarray(candles.close, dtype=float)), timeframe)
    for key in ("first_candle", "last_candle"):
        if key in record:
            record[f"{key}_at"] = iso(close_time(record.pop(key), timeframe))
    return {"symbol": symbol, "timeframe": timeframe, "source": source,
            "computed_at": iso(now), "horizon": calibration.HORIZON, "record": record,
            "calibration": calibration.maps().get("checks", {}).get(timeframe)}


def stored(store: DocumentStore, symbol: str, timeframe: str) -> dict[str, Any] | None:
    return store.get(COLLECTION, doc_id(symbol, timeframe))


def _fresh(doc: dict[str, Any] | None, now: datetime, max_age: timedelta) -> bool:
    if not doc or "computed_at" not in doc:
        return False
    computed = datetime.fromisoformat(str(doc["computed_at"]).replace("Z", "+00:00"))
    return now - computed < max_age


def refresh(store: DocumentStore, sources: Sequence[MarketSource], pairs: Sequence[str], *,
            max_age: timedelta = timedelta(hours=24), now: datetime | None = None) -> list[str]:
    """Recompute the records older than ``max_age``; returns the pairs recomputed. A pair no
    source serves is logged and skipped (the others still refresh)."""
    moment = now or utcnow()
    done = []
    for symbol, timeframe in parse_pairs(pairs):
        if _fresh(stored(store, symbol, timeframe), moment, max_age):
            continue
        try:
            candles, source = history(sources, symbol, timeframe, store)
        except ChartGeniusError as exc:  # one pair's data must not stop the others' records
            log.warning("no history for the track record; kept the stored one",
                        extra={"symbol": symbol, "timeframe": timeframe,
                               "reason": exc.message})
            continue
        store.set(COLLECTION, doc_id(symbol, timeframe),
                  compute(candles, symbol, timeframe, source, moment))
        done.append(f"{symbol} {timeframe}")
    return done


def refresh_after_scan(ports: Any, scanned: object = None) -> list[str]:
    """After a scheduled scan (or on the local host's schedule): refresh the aged records of
    the configured pairs. ``scanned`` is the scan's outcome, passed through unused so the
    scan runs first."""
    settings = ports.settings
    done = refresh(ports.store, ports.sources, settings.track_record_pairs,
                   max_age=timedelta(hours=settings.track_record_hours))
    if done:
        log.info("track records recomputed", extra={"pairs": done})
    return done
