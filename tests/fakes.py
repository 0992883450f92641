"""Fakes written against the ports."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from shared.events import Event


class RecordingBus:
    """A Bus that keeps what was published, for handlers tested one at a time."""

    def __init__(self) -> None:
        self.published: list[Event] = []
        self._lock = threading.Lock()

    def publish(self, event: Event) -> str:
        with self._lock:
            self.published.append(event)
            return f"m{len(self.published)}"

    def take(self) -> list[Event]:
        with self._lock:
            taken, self.published = self.published, []
            return taken


class ManualClock:
    """A clock for services (``shared.clock.Clock``) that tests move: each reading is
    ``step`` later than the one before, and ``advance`` jumps."""

    def __init__(self, start: datetime | None = None,
                 step: timedelta = timedelta(milliseconds=1)) -> None:
        self.now = start or datetime(2026, 1, 1, tzinfo=UTC)
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by
