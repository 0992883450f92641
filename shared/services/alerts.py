"""Watchlist alerts: every enabled watch item's rules, evaluated on the latest closed candle.

``scan_market`` (market.scan) asks ``watched`` for the items to evaluate grouped by
(symbol, timeframe), fetches each pair once, and hands the candles to ``raise_alerts``.

A rule fires on a candle, not on a scan: the alert id is derived from the item, the rule's
index and content, and the open time of the candle it fired on. A record
``alerts/{alert id}`` is created after the ``AlertTriggered`` is published, and a rule whose
record exists is skipped — so a repeated scan, a duplicate delivery or the next scan within
the same candle never alerts twice. A crash between the publish and the record publishes
again with the same event id, which the notifier drops (decision 0060).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from shared.errors import Conflict
from shared.events import AlertTriggered
from shared.models import Candles, iso, utcnow
from shared.ports import Bus, DocumentStore
from shared.services import watchlist
from shared.services.watchlist import (
    ChangePercent,
    MacdCross,
    PriceAbove,
    PriceBelow,
    RsiAbove,
    RsiBelow,
    WatchItem,
)

log = logging.getLogger(__name__)
COLLECTION = "alerts"
Pair = tuple[str, str]  # (symbol, timeframe)
AnyRule = PriceAbove | PriceBelow | ChangePercent | RsiAbove | RsiBelow | MacdCross


@dataclass(frozen=True)
class Firing:
    """A rule that holds on the latest closed candle: the measured value and what it means."""

    value: float
    text: str


def watched(store: DocumentStore, symbols: Sequence[str] = ()) -> dict[Pair, list[WatchItem]]:
    """Enabled items with rules, of every user, grouped by pair; only ``symbols`` if given."""
    wanted = set(symbols)
    groups: dict[Pair, list[WatchItem]] = {}
    for doc in store.query(watchlist.COLLECTION, [("enabled", "==", True)]):
        try:
            item = WatchItem.model_validate({k: v for k, v in doc.items() if k != "_id"})
        except ValidationError:
            log.warning("skipping an invalid watch item", extra={"item_id": doc.get("_id")})
            continue
        if item.rules and (not wanted or item.symbol in wanted):
            groups.setdefault((item.symbol, item.timeframe), []).append(item)
    return groups


def closed(candles: Candles) -> Candles:
    """The candles without the running one: rules judge only closed candles."""
    if not candles.unfinished_last:
        return candles
    columns = ("timestamps", "open", "high", "low", "close", "volume")
    return Candles(**{name: getattr(candles, name)[:-1] for name in columns})


class Closes:
    """The closes of one pair, with RSI and MACD computed once however many rules ask."""

    def __init__(self, candles: Candles) -> None:
        self.values = candles.close
        self._memo: dict[str, Any] = {}

    def rsi(self, period: int) -> list[float]:
        key = f"rsi{period}"
        if key not in self._memo:
            import talib  # the scan's path only: market_fetcher's analyses never need it

            self._memo[key] = _finite(talib.RSI(self._array(), timeperiod=period))
        return self._memo[key]  # type: ignore[no-any-return]

    def macd(self) -> tuple[list[float], list[float]]:
        if "macd" not in self._memo:
            import talib

            line, signal, _ = talib.MACD(self._array(), fastperiod=12, slowperiod=26,
                                         signalperiod=9)
            self._memo["macd"] = (_finite(line), _finite(signal))
        return self._memo["macd"]  # type: ignore[no-any-return]

    def _array(self) -> Any:
        import numpy as np

        return np.asarray(self.values, dtype=float)


def _finite(series: Any) -> list[float]:
    return [float(x) for x in series if not math.isnan(x)]


def evaluate(rule: AnyRule, closes: Closes) -> Firing | None:
    """Whether ``rule`` holds on the last of ``closes`` (closed candles, oldest first)."""
    if not closes.values:
        return None
    if isinstance(rule, PriceAbove | PriceBelow):
        return _price(rule, closes.values)
    if isinstance(rule, ChangePercent):
        return _change(rule, closes.values)
    if isinstance(rule, RsiAbove | RsiBelow):
        return _rsi(rule, closes)
    return _macd(rule, closes)


def _price(rule: PriceAbove | PriceBelow, close: list[float]) -> Firing | None:
    above = isinstance(rule, PriceAbove)
    last, side = close[-1], "above" if above else "below"
    if (last <= rule.price) if above else (last >= rule.price):
        return None
    prev = close[-2] if len(close) > 1 else None
    crossed = prev is not None and ((prev <= rule.price) if above else (prev >= rule.price))
    how = f"crossed {side}" if crossed else f"is {side}"
    return Firing(last, f"price {how} {num(rule.price)}: closed at {num(last)}")


def _change(rule: ChangePercent, close: list[float]) -> Firing | None:
    if len(close) <= rule.window or close[-1 - rule.window] <= 0:
        return None
    start, last = close[-1 - rule.window], close[-1]
    change = (last / start - 1) * 100
    if (change < rule.percent) if rule.percent >= 0 else (change > rule.percent):
        return None
    span = "1 candle" if rule.window == 1 else f"{rule.window} candles"
    return Firing(round(change, 4), f"moved {change:+.2f}% over {span} ({num(start)} → "
                                    f"{num(last)}), threshold {rule.percent:+g}%")


def _rsi(rule: RsiAbove | RsiBelow, closes: Closes) -> Firing | None:
    series = closes.rsi(rule.period)
    if not series:
        return None
    above, rsi = isinstance(rule, RsiAbove), series[-1]
    if (rsi <= rule.value) if above else (rsi >= rule.value):
        return None
    side = "above" if above else "below"
    return Firing(round(rsi, 2), f"RSI({rule.period}) is {rsi:.1f}, {side} {rule.value:g}")


def _macd(rule: MacdCross, closes: Closes) -> Firing | None:
    line, signal = closes.macd()
    if len(line) < 2 or len(signal) < 2:
        return None
    before, now = line[-2] - signal[-2], line[-1] - signal[-1]
    if before <= 0 < now:
        direction, side = "bullish", "above"
    elif before >= 0 > now:
        direction, side = "bearish", "below"
    else:
        return None
    if rule.direction not in ("any", direction):
        return None
    return Firing(round(line[-1], 6), f"MACD crossed {side} its signal line ({direction}): "
                                      f"MACD {num(line[-1])}, signal {num(signal[-1])}")


def num(value: float) -> str:
    return f"{value:,.8g}"


def alert_id(item_id: str, index: int, rule: AnyRule, candle_ms: int) -> str:
    """Deterministic: the same rule on the same candle is the same alert. The rule's digest
    makes an edited rule a new one."""
    digest = hashlib.sha256(json.dumps(rule.model_dump(mode="json"), sort_keys=True)
                            .encode()).hexdigest()[:8]
    return f"{item_id}-{index}-{digest}-{candle_ms}"


@dataclass
class Scan:
    """What one scan did with the alerts: fired now, and already fired on this candle."""

    scan_id: str
    fired: list[str] = field(default_factory=list)
    repeats: int = 0


def raise_alerts(store: DocumentStore, bus: Bus, scan_id: str,
                 groups: dict[Pair, list[WatchItem]], candles: dict[Pair, Candles]) -> Scan:
    """Evaluate every item on its pair's candles; publish each alert that fires, once."""
    scan = Scan(scan_id)
    for pair, items in groups.items():
        found = candles.get(pair)
        if found is None:
            continue  # the pair could not be fetched: the scan record says why
        latest = closed(found)
        if not len(latest):
            continue
        closes = Closes(latest)
        for item in items:
            for index, rule in enumerate(item.rules):
                firing = evaluate(rule, closes)
                if firing is not None:
                    _fire(store, bus, scan, item, index, rule, firing, latest.timestamps[-1])
    return scan


def _fire(store: DocumentStore, bus: Bus, scan: Scan, item: WatchItem, index: int,
          rule: AnyRule, firing: Firing, candle_ms: int) -> None:
    key = alert_id(item.id, index, rule, candle_ms)
    if store.get(COLLECTION, key) is not None:
        scan.repeats += 1
        return
    candle_time = datetime.fromtimestamp(candle_ms / 1000, UTC)
    message = (f"{firing.text} (candle of {candle_time:%Y-%m-%d %H:%M} UTC)"
               + (f" — {item.note}" if item.note else ""))
    bus.publish(AlertTriggered(
        event_id=f"{key}:triggered", correlation_id=scan.scan_id, alert_id=key,
        user_id=item.user_id, symbol=item.symbol, timeframe=item.timeframe, message=message))
    record = {
        "user_id": item.user_id, "kind": "alert.triggered", "item_id": item.id,
        "rule_index": index, "rule": rule.model_dump(mode="json"), "value": firing.value,
        "symbol": item.symbol, "timeframe": item.timeframe, "candle_time": iso(candle_time),
        "title": f"{item.symbol} {item.timeframe}: alert", "body": message,
        "event_id": f"{key}:triggered", "scan_id": scan.scan_id, "created_at": iso(utcnow()),
    }
    try:
        store.create(COLLECTION, key, record)
    except Conflict:
        pass  # a concurrent delivery of the scan recorded it; the notifier drops the repeat
    scan.fired.append(key)
