"""One WSGI application for the local system.

``/api/*``, ``/health`` and ``/metrics`` go to the ``api`` function, ``/telegram/webhook``
to ``telegram_webhook``, everything else to the built web app in ``web/dist`` (``make web``):
a file when there is one, else ``index.html`` (the app's own routes, e.g. ``/analysis/<id>``).
The local bus delivers messages to the event functions in the background, and a sweeper fails
analyses that passed their deadline. Every ``CHARTGENIUS_SCAN_SECONDS`` (0: never) a market scan is
published, as Cloud Scheduler does in production, so watchlist alerts fire locally.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from flask import Flask

from local.functions import InProcessDelivery, load_all
from local.scan import periodic_scan
from local.static import WEB_DIST, StaticApp
from local.telegram_sink import PREFIX as SINK_PREFIX
from local.telegram_sink import TOKEN_FILE as SINK_TOKEN_FILE
from local.telegram_sink import TelegramSink
from shared.adapters.local_bus import LocalBus
from shared.adapters.private_files import write_private
from shared.api.body_limits import BodyLimit
from shared.bootstrap import Container
from shared.bot.webhook import SECRET_HEADER, SECRET_NAME
from shared.models import utcnow
from shared.services.analyses import expire_overdue
from shared.services.track_record import refresh_after_scan

log = logging.getLogger(__name__)
API_PREFIXES = ("/api/", "/health", "/metrics")
SINK_BODY_BYTES = 10 * 1024 * 1024  # the Bot API's own photo limit (charts are uploaded)


class Host:
    def __init__(self, ports: Container, *, sweep_seconds: float = 5.0) -> None:
        self.ports = ports
        self.apps: dict[str, Flask] = load_all()
        if not isinstance(ports.bus, LocalBus):
            raise RuntimeError("the local host runs on the local bus")
        self.bus: LocalBus = ports.bus
        self.bus.dead_letter_to = "notifier"  # as infra/modules/topics pushes dead letters
        self._sweep_seconds = sweep_seconds
        self._stop = threading.Event()
        self.static = StaticApp(WEB_DIST)
        # telegram: the local Bot API sink, and a way to post updates to the webhook
        self.telegram_sink = TelegramSink(webhook=self._post_update)
        write_private(ports.settings.data_dir / SINK_TOKEN_FILE, self.telegram_sink.control_token)
        # every body bounded on the stream before any app sees it (chunked included)
        self._limited = BodyLimit(self._route, self._body_limit)

    def _post_update(self, update: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        secret = self.ports.secrets.get(SECRET_NAME) or ""
        answer = self.apps["telegram_webhook"].test_client().post(
            "/", json=update, headers={SECRET_HEADER: secret})
        return answer.status_code, answer.get_json(silent=True) or {}

    def start(self) -> None:
        self.bus.start(InProcessDelivery(self.apps))
        threading.Thread(target=self._sweep, name="deadline-sweeper", daemon=True).start()
        if self.ports.settings.scan_seconds > 0:  # scans: the local Cloud Scheduler
            threading.Thread(target=self._scan, name="market-scan", daemon=True).start()
        if self.ports.settings.track_record_pairs:  # the track record: at once, then daily
            threading.Thread(target=self._track_records, name="track-record",
                             daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self.bus.stop()

    def _sweep(self) -> None:
        while not self._stop.wait(self._sweep_seconds):
            try:
                expired = expire_overdue(self.ports.store, self.bus)
                if expired:
                    log.warning("analyses timed out", extra={"ids": expired})
            except Exception:  # the sweeper must outlive a bad pass
                log.exception("deadline sweep failed")

    def _scan(self) -> None:
        every = self.ports.settings.scan_seconds
        while not self._stop.wait(every):
            try:
                self.bus.publish(periodic_scan(utcnow(), every))
            except Exception:  # the schedule must outlive a bad pass
                log.exception("publishing the periodic market scan failed")

    def _track_records(self) -> None:
        every = self.ports.settings.track_record_hours * 3600
        while True:
            try:
                refresh_after_scan(self.ports)
            except Exception:  # the schedule must outlive a bad pass
                log.exception("refreshing the track records failed")
            if self._stop.wait(every):
                return

    def _body_limit(self, path: str) -> int:
        return SINK_BODY_BYTES if path.startswith(SINK_PREFIX) else \
            self.ports.settings.max_body_bytes

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return self._limited(environ, start_response)

    def _route(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path.startswith(API_PREFIXES) or path in ("/health", "/metrics"):
            return self.apps["api"](environ, start_response)
        if path == "/telegram/webhook":
            return self.apps["telegram_webhook"](environ, start_response)
        if path.startswith(SINK_PREFIX):
            return self.telegram_sink(environ, start_response)
        return self.static(environ, start_response)
