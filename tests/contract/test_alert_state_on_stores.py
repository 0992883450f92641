"""Alert rule state and the digest's once-per-day record on the SQLite store and on
Firestore's emulator alike: merge writes from the scan and from the buttons never overwrite
each other, a cooldown holds over consecutive candles, a snooze silences, and a digest is
published once per user and local day however often the scan runs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from shared.events import AlertTriggered, DigestReady
from shared.models import Candles
from shared.ports import DocumentStore
from shared.services import alert_state, alerts, digest, watchlist
from tests.fakes import RecordingBus

HOUR_MS = 3_600_000


def candles(count: int) -> Candles:
    closes = [100.0 + 0.01 * i for i in range(count)]
    return Candles(timestamps=[1_700_000_000_000 // HOUR_MS * HOUR_MS + i * HOUR_MS
                               for i in range(count)], open=closes, high=closes, low=closes,
                   close=closes, volume=[1.0] * count)


def test_cooldown_and_snooze_hold_on_each_store(store: DocumentStore) -> None:
    user = uuid.uuid4().hex[:10]
    item = watchlist.WatchItem.model_validate({
        "id": uuid.uuid4().hex, "user_id": user, "symbol": "BTC/USDT", "timeframe": "1h",
        "rules": [{"kind": "price_above", "price": 50, "cooldown_candles": 2}],
        "created_at": "t", "updated_at": "t"})
    groups = {("BTC/USDT", "1h"): [item]}
    bus, fired = RecordingBus(), []
    now = datetime(2026, 3, 1, tzinfo=UTC)
    for count in range(60, 66):
        for _ in range(2):  # every scan runs twice on the same candle
            alerts.raise_alerts(store, bus, "s", groups, {("BTC/USDT", "1h"): candles(count)},
                                now=now)
        fired.append(sum(isinstance(e, AlertTriggered) for e in bus.take()))
    assert fired == [1, 0, 1, 0, 1, 0]  # once per two candles, never twice on one
    key = alert_state.rule_key(item.id, 0, item.rules[0])
    alert_state.snooze(store, key, user, now + timedelta(days=1))
    for count in range(66, 70):
        alerts.raise_alerts(store, bus, "s", groups, {("BTC/USDT", "1h"): candles(count)},
                            now=now)
    assert bus.take() == []  # snoozed for the day
    state = alert_state.load(store, key)
    assert state.snoozed_until is not None and state.fired_ms is not None  # both kept
    assert state.candle_ms == candles(69).timestamps[-1]


def test_a_digest_is_published_once_per_local_day_on_each_store(store: DocumentStore) -> None:
    user = "9" + uuid.uuid4().hex[:9]
    digest.save(store, user, digest.DigestPrefs(enabled=True, hour=7, utc_offset_minutes=120))
    bus = RecordingBus()
    at = datetime(2026, 3, 1, 5, 10, tzinfo=UTC)  # 07:10 at UTC+2
    for minutes in (0, 0, 20, 45):  # repeated and later scans in the same hour
        due = [d for d in digest.pending(store, at + timedelta(minutes=minutes))
               if d.user_id == user]
        digest.publish(store, bus, "scan", "4h", lambda s, tf: None, due)
    mine = [e for e in bus.take() if isinstance(e, DigestReady) and e.user_id == user]
    assert [e.local_date for e in mine] == ["2026-03-01"]
    due = [d for d in digest.pending(store, at + timedelta(days=1)) if d.user_id == user]
    assert [d.local_date for d in due] == ["2026-03-02"]
