"""The clock port: what "now" is for a service. Services take ``clock: Clock = utcnow`` so
that tests move time (``tests/fakes.ManualClock``) instead of sleeping for it to pass."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]  # timezone-aware UTC
