"""The topic registry: topic names and their subscriber functions, from ``topics.json``.

The same file is read by the local bus and by Terraform (``infra/``), so the three cannot
drift apart silently; ``tests/unit/test_topic_registry.py`` checks that they agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGISTRY_FILE = Path(__file__).with_name("topics.json")

ANALYSIS_REQUESTED = "analysis.requested"
MARKET_SCAN = "market.scan"
MARKET_FETCHED = "market.fetched"
ANALYSIS_COMPLETED = "analysis.completed"
ANALYSIS_FAILED = "analysis.failed"
ALERT_TRIGGERED = "alert.triggered"
ADMIN_MESSAGE = "admin.message"
DIGEST_READY = "digest.ready"


@dataclass(frozen=True)
class Topic:
    name: str
    subscribers: tuple[str, ...]

    @property
    def dead_letter(self) -> str:
        return self.name + registry().dead_letter_suffix


@dataclass(frozen=True)
class Registry:
    topics: dict[str, Topic]
    dead_letter_suffix: str
    max_delivery_attempts: int

    def subscribers(self, topic: str) -> tuple[str, ...]:
        return self.topic(topic).subscribers

    def topic(self, name: str) -> Topic:
        try:
            return self.topics[name]
        except KeyError:
            raise KeyError(f"unknown topic {name!r}; known: {sorted(self.topics)}") from None


@cache
def registry() -> Registry:
    raw = json.loads(REGISTRY_FILE.read_text())
    topics = {
        name: Topic(name=name, subscribers=tuple(spec["subscribers"]))
        for name, spec in raw["topics"].items()
    }
    return Registry(
        topics=topics,
        dead_letter_suffix=raw["dead_letter_suffix"],
        max_delivery_attempts=int(raw["max_delivery_attempts"]),
    )
