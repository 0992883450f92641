"""A circuit breaker per source, on an injected clock.

``closed``: calls go through; ``failure_threshold`` failures in a row open it. ``open``: no
call until ``cooldown`` has passed (or, after a ban, until the ban ends). ``half_open``: one
probe call goes through; its success closes the breaker, its failure opens it again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

State = Literal["closed", "open", "half_open"]
Clock = Callable[[], float]


@dataclass
class CircuitBreaker:
    clock: Clock
    failure_threshold: int = 5
    cooldown: float = 60.0
    failures: int = 0
    opened_until: float = 0.0
    _state: State = "closed"
    _probing: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def state(self) -> State:
        with self._lock:
            return self._current()

    def _current(self) -> State:
        if self._state == "open" and self.clock() >= self.opened_until:
            self._state, self._probing = "half_open", False
        return self._state

    def allow(self) -> bool:
        """Whether a call may go now; in half-open only the one probe may."""
        with self._lock:
            state = self._current()
            if state == "closed":
                return True
            if state == "half_open" and not self._probing:
                self._probing = True
                return True
            return False

    def retry_in(self) -> float:
        with self._lock:
            return max(0.0, self.opened_until - self.clock()) if self._current() == "open" else 0.0

    def success(self) -> None:
        with self._lock:
            self._state, self.failures, self._probing = "closed", 0, False

    def release(self) -> None:
        """The call let through has ended: if it was the half-open probe and gave no verdict
        (a cancellation, an error nobody classified), the next call may probe."""
        with self._lock:
            if self._current() == "half_open":
                self._probing = False

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self._current() == "half_open" or self.failures >= self.failure_threshold:
                self._open_for(self.cooldown)

    def ban(self, seconds: float) -> None:
        """Open until the source's ban ends (HTTP 418), however long that is."""
        with self._lock:
            self._open_for(max(seconds, self.cooldown))

    def _open_for(self, seconds: float) -> None:
        self._state, self._probing = "open", False
        self.opened_until = max(self.opened_until, self.clock() + seconds)
