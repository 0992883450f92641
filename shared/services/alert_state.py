"""Whether a rule that holds alerts now: once per crossing, a cooldown, a snooze, a mute.

Each rule has a state document ``alert_rules/{rule key}`` (the key names the item, the
rule's place and its content, so an edited rule starts afresh), written with merge so the
scan's fields and the buttons' fields never overwrite each other:

- ``candle_ms``, ``holding``, ``before``: the last judged candle, whether the rule held on it
  and on the candle before (a repeated scan of the same candle compares with ``before``);
- ``fired_ms``: the candle of the last alert;
- ``snoozed_until`` (ISO time) and ``muted``: set from the alert's buttons.

Cross rules (RSI above/below, MACD and EMA crosses, multi-timeframe AND rules) alert once per
crossing: when they hold and did not on the previous candle; ``cooldown_candles`` also spaces
them. Level rules (price above/below, % change, trend) alert at most once per
``cooldown_candles`` candles (default ``DEFAULT_LEVEL_COOLDOWN``) while they hold. A rule
judged for the first time that already holds alerts once (decision 0121).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.models import iso
from shared.ports import DocumentStore

COLLECTION = "alert_rules"
DEFAULT_LEVEL_COOLDOWN = 24
CROSS_KINDS = frozenset({"rsi_above", "rsi_below", "macd_cross", "ema_cross", "all"})


def rule_dump(rule: Any) -> dict[str, Any]:
    """The rule as stored and digested (unset options left out, so old digests hold)."""
    return rule.model_dump(mode="json", exclude_none=True)  # type: ignore[no-any-return]


def rule_key(item_id: str, index: int, rule: Any) -> str:
    digest = hashlib.sha256(json.dumps(rule_dump(rule), sort_keys=True).encode()).hexdigest()
    return f"{item_id}-{index}-{digest[:8]}"


@dataclass(frozen=True)
class RuleState:
    candle_ms: int | None = None
    holding: bool = False
    before: bool = False
    fired_ms: int | None = None
    snoozed_until: str | None = None
    muted: bool = False

    @classmethod
    def of(cls, doc: dict[str, Any] | None) -> RuleState:
        doc = doc or {}
        return cls(doc.get("candle_ms"), bool(doc.get("holding")), bool(doc.get("before")),
                   doc.get("fired_ms"), doc.get("snoozed_until"), bool(doc.get("muted")))

    def held_before(self, candle_ms: int) -> bool | None:
        """Whether the rule held on the candle before ``candle_ms`` (None: never judged)."""
        if self.candle_ms is None:
            return None
        return self.before if self.candle_ms == candle_ms else self.holding

    def silenced(self, now: datetime) -> bool:
        if self.muted:
            return True
        return bool(self.snoozed_until) and datetime.fromisoformat(
            str(self.snoozed_until).replace("Z", "+00:00")) > now


def load(store: DocumentStore, key: str) -> RuleState:
    return RuleState.of(store.get(COLLECTION, key))


def due(rule: Any, state: RuleState, candle_ms: int, before: bool, candle_span_ms: int) -> bool:
    """Whether a rule that holds on ``candle_ms`` alerts (snooze and mute aside)."""
    cooldown = getattr(rule, "cooldown_candles", None)
    if rule.kind in CROSS_KINDS:
        if before:
            return False
    else:
        cooldown = cooldown or DEFAULT_LEVEL_COOLDOWN
    if state.fired_ms is None or cooldown is None:
        return True
    return (candle_ms - state.fired_ms) >= cooldown * candle_span_ms


def judged(store: DocumentStore, key: str, user_id: str, state: RuleState, candle_ms: int,
           holding: bool, before: bool) -> None:
    """Record what the rule was on this candle (only when that changed)."""
    if state.candle_ms == candle_ms and state.holding == holding:
        return
    store.set(COLLECTION, key, {"user_id": user_id, "candle_ms": candle_ms,
                                "holding": holding, "before": before}, merge=True)


def fired(store: DocumentStore, key: str, user_id: str, candle_ms: int) -> None:
    store.set(COLLECTION, key, {"user_id": user_id, "fired_ms": candle_ms}, merge=True)


def snooze(store: DocumentStore, key: str, user_id: str, until: datetime) -> None:
    store.set(COLLECTION, key, {"user_id": user_id, "snoozed_until": iso(until)}, merge=True)


def mute(store: DocumentStore, key: str, user_id: str, muted: bool = True) -> None:
    store.set(COLLECTION, key, {"user_id": user_id, "muted": muted}, merge=True)
