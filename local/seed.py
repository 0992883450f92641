"""First-run seeding: a demo user, the prompts, the feature flags and warm replay data, so an
analysis works at once."""

from __future__ import annotations

import logging
import threading

from shared.bootstrap import Container
from shared.market.replay import ReplaySource
from shared.models import Role
from shared.services import features
from shared.services.users import ensure_user

log = logging.getLogger(__name__)
DEMO_TELEGRAM_ID = 1


def seed(ports: Container) -> None:
    ensure_user(ports.store, DEMO_TELEGRAM_ID, role=Role.admin)
    ports.prompts.seed_defaults()  # analysis engine: default EN/RU prompt templates
    features.seed(ports.store)  # the FEATURE_* flags, as settings the admin panel switches
    threading.Thread(target=_warm, args=(ports,), name="warm-replay", daemon=True).start()


def _warm(ports: Container) -> None:
    """Parse the bundled candles once in the background (the first analysis is then fast)."""
    for source in ports.sources:
        if not isinstance(source, ReplaySource):
            continue
        for symbol in source.symbols():
            for timeframe in ("1d", "4h"):
                if source.supports(symbol, timeframe):
                    source.candles(symbol, timeframe, ports.settings.candles_limit)
    log.info("replay data warmed")
