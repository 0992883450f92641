"""Watchlist alerts: every enabled watch item's rules, judged on the latest closed candle.

``scan_market`` (market.scan) asks ``watched`` for the items grouped by (symbol, timeframe)
and ``needed`` for the other timeframes their AND rules read, fetches each pair once, and
hands the candles to ``raise_alerts``.

A rule fires on a candle, not on a scan: the alert id is the rule's key (item, index,
content) and the open time of the candle it fired on. A record ``alerts/{alert id}`` is
created after the ``AlertTriggered`` is published, and a rule whose record exists is skipped
— so a repeated scan, a duplicate delivery or the next scan within the same candle never
alerts twice (decision 0060). Whether a rule that holds alerts at all — once per crossing, a
cooldown, a snooze, a mute — is ``alert_state``'s (decision 0121). Each alert carries its
reasons, the engine's view of the pair now (signal, nearest levels) and a chart.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import ValidationError

from shared.errors import Conflict
from shared.events import AlertTriggered
from shared.models import TIMEFRAMES, Candles, iso, utcnow
from shared.ports import BlobStore, Bus, DocumentStore
from shared.services import alert_state, watchlist
from shared.services.alert_rules import AnyRule, Closes, Firing, Market, evaluate
from shared.services.alert_snapshot import PairView
from shared.services.watchlist import AllOf, WatchItem

log = logging.getLogger(__name__)
COLLECTION = "alerts"
Pair = tuple[str, str]  # (symbol, timeframe)
__all__ = ["Closes", "alert_id", "closed", "evaluate", "raise_alerts", "watched"]


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


def needed(groups: dict[Pair, list[WatchItem]]) -> set[Pair]:
    """The other (symbol, timeframe) pairs the items' AND rules read."""
    return {(item.symbol, c.timeframe) for items in groups.values() for item in items
            for rule in item.rules if isinstance(rule, AllOf)
            for c in rule.conditions if c.timeframe and c.timeframe != item.timeframe}


def closed(candles: Candles) -> Candles:
    """The candles without the running one: rules judge only closed candles."""
    if not candles.unfinished_last:
        return candles
    columns = ("timestamps", "open", "high", "low", "close", "volume")
    return Candles(**{name: getattr(candles, name)[:-1] for name in columns})


def alert_id(item_id: str, index: int, rule: AnyRule, candle_ms: int) -> str:
    """Deterministic: the same rule on the same candle is the same alert. The rule's digest
    makes an edited rule a new one."""
    return f"{alert_state.rule_key(item_id, index, rule)}-{candle_ms}"


@dataclass
class Scan:
    """What one scan did with the alerts."""

    scan_id: str
    fired: list[str] = field(default_factory=list)
    repeats: int = 0  # already fired on this candle
    silenced: int = 0  # held, but snoozed or muted
    cooling: int = 0  # held, but not a new crossing or within the cooldown


def raise_alerts(store: DocumentStore, bus: Bus, scan_id: str,
                 groups: dict[Pair, list[WatchItem]], candles: dict[Pair, Candles], *,
                 blobs: BlobStore | None = None, now: datetime | None = None) -> Scan:
    """Judge every item on its pair's candles; publish each alert that is due, once."""
    scan, moment = Scan(scan_id), now or utcnow()
    for (symbol, timeframe), items in groups.items():
        found = candles.get((symbol, timeframe))
        latest = closed(found) if found is not None else None
        if latest is None or not len(latest):
            continue  # the pair could not be fetched: the scan record says why
        series = {tf: Closes.of(closed(c)) for (s, tf), c in candles.items()
                  if s == symbol and tf != timeframe}
        market = Market(timeframe, {**series, timeframe: Closes.of(latest)})
        view = PairView(symbol, timeframe, latest, blobs)
        for item in items:
            for index, rule in enumerate(item.rules):
                _judge(store, bus, scan, item, index, rule, market, view, moment)
    return scan


def _judge(store: DocumentStore, bus: Bus, scan: Scan, item: WatchItem, index: int,
           rule: AnyRule, market: Market, view: PairView, now: datetime) -> None:
    key = alert_state.rule_key(item.id, index, rule)
    candle_ms = view.candles.timestamps[-1]
    firing = evaluate(rule, market)
    state = alert_state.load(store, key)
    before = state.held_before(candle_ms)
    if before is None:  # never judged: a rule that holds when added alerts once, then re-arms
        before = False
    if firing is not None:
        the_id = f"{key}-{candle_ms}"
        span_ms = int(TIMEFRAMES[item.timeframe].total_seconds() * 1000)
        if store.get(COLLECTION, the_id) is not None:
            scan.repeats += 1
        elif state.silenced(now):
            scan.silenced += 1
        elif alert_state.due(rule, state, candle_ms, before, span_ms):
            _fire(store, bus, scan, item, index, rule, firing, view, key)
            alert_state.fired(store, key, item.user_id, candle_ms)
        else:
            scan.cooling += 1
    alert_state.judged(store, key, item.user_id, state, candle_ms, firing is not None, before)


def _fire(store: DocumentStore, bus: Bus, scan: Scan, item: WatchItem, index: int,
          rule: AnyRule, firing: Firing, view: PairView, key: str) -> None:
    candle_ms = view.candles.timestamps[-1]
    the_id = f"{key}-{candle_ms}"
    candle_time = datetime.fromtimestamp(candle_ms / 1000, UTC)
    message = (f"{firing.text} (candle of {candle_time:%Y-%m-%d %H:%M} UTC)"
               + (f" — {item.note}" if item.note else ""))
    engine = view.engine()
    event = AlertTriggered(
        event_id=f"{the_id}:triggered", correlation_id=scan.scan_id, alert_id=the_id,
        user_id=item.user_id, symbol=item.symbol, timeframe=item.timeframe, message=message,
        reasons=[r.dump() for r in firing.reasons], candle_time=candle_time, rule_key=key,
        note=item.note, chart=view.chart(), **engine)
    bus.publish(event)
    record = {
        "user_id": item.user_id, "kind": "alert.triggered", "item_id": item.id,
        "rule_index": index, "rule": alert_state.rule_dump(rule), "rule_key": key,
        "value": firing.value, "symbol": item.symbol, "timeframe": item.timeframe,
        "candle_time": iso(candle_time), "title": f"{item.symbol} {item.timeframe}: alert",
        "body": message, "note": item.note, "event": event.model_dump(mode="json"),
        "event_id": event.event_id, "scan_id": scan.scan_id, "created_at": iso(utcnow()),
    }
    try:
        store.create(COLLECTION, the_id, record)
    except Conflict:
        pass  # a concurrent delivery of the scan recorded it; the notifier drops the repeat
    scan.fired.append(the_id)
