"""Runs every benchmark and prints its figures (``make bench``)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cold_import, e2e_latency  # noqa: E402

if __name__ == "__main__":
    cold_import.main()
    e2e_latency.main()
