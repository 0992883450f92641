"""Fakes written against the ports."""

from __future__ import annotations

import threading

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
