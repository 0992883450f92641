"""``python -m local.scan``: run a market scan now on the local system (``make run``).

Publishes ``market.scan`` on the local bus (the running host's workers pick it up within
half a second), waits for the ``scans/{id}`` record and prints it: the pairs fetched, the
alerts fired, the analyses the sweep failed. With no symbols every watched pair is scanned.

The local host also publishes one every ``CHARTGENIUS_SCAN_SECONDS`` (``periodic_scan``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime

from shared.bootstrap import container
from shared.events import MarketScanRequested
from shared.models import utcnow


def scan_request(scan_id: str, symbols: list[str] | None = None,
                 timeframe: str = "4h") -> MarketScanRequested:
    """The message the scheduler sends; its event id follows the scan id, so publishing the
    same scan twice is a duplicate delivery, not a second scan."""
    return MarketScanRequested(event_id=f"{scan_id}:requested", correlation_id=scan_id,
                               scan_id=scan_id, symbols=symbols or [], timeframe=timeframe)


def periodic_scan(now: datetime, every_seconds: int) -> MarketScanRequested:
    """The local schedule's scan for the time bucket ``now`` falls in."""
    bucket = int(now.timestamp()) // every_seconds
    return scan_request(f"local-{every_seconds}s-{bucket}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run a market scan on the local system.")
    parser.add_argument("symbols", nargs="*", help="pairs to scan (default: every watched)")
    parser.add_argument("--timeframe", default="4h", help="timeframe for the named pairs")
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to wait for it")
    args = parser.parse_args(argv)
    ports = container()
    event = scan_request(f"manual-{utcnow():%Y%m%dT%H%M%S%f}", args.symbols, args.timeframe)
    ports.bus.publish(event)
    sys.stdout.write(f"published market.scan {event.scan_id}\n")
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        record = ports.store.get("scans", event.scan_id)
        if record is not None:
            sys.stdout.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
            return 0
        time.sleep(0.5)
    sys.stdout.write("no scan record yet: is `make run` running on this data folder?\n")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
