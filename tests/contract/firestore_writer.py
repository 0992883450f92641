"""Moves analyses through their states in a Firestore emulator, for live-transport tests.

It writes the way production does: the Firestore adapter (``FirestoreDocumentStore``) and the
services (``request_analysis``, ``analyses.transition``, a real rule-based result over the
bundled candles), so the public views (``analyses_public/{id}``) a browser listens to are the
ones production writes. Two users: the one the listener signs in as, and another whose
analysis moves in step and must never reach that listener. The web app's Vitest test runs it
as a process (docs/web-api.md); ``test_firestore_writer.py`` runs it too.

    FIRESTORE_EMULATOR_HOST=127.0.0.1:PORT .venv/bin/python -m tests.contract.firestore_writer \\
        --project demo-chartgenius --user 7001 --other-user 7002 --pause 0.3 --wait

One JSON line per step on stdout: ``created`` (ids, users, collection), then ``status`` for
``fetching``, ``analyzing``, ``completed``, then ``hidden`` with ``--then-hide``, then
``done``. With ``--wait`` it reads one line from stdin after ``created``, so the listener can
attach before anything moves. Exit status 0 on success; errors go to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from shared.adapters.firestore_store import FirestoreDocumentStore
from shared.events import MarketFetched
from shared.llm.rule_based import RuleBasedAnalyst
from shared.market.replay import ReplaySource
from shared.models import Role, Status, utcnow
from shared.ports import DocumentStore
from shared.services import analyses, moderation, users
from shared.services.analysis_view import VIEWS
from shared.services.analyze import build_result
from shared.services.request_analysis import request_analysis
from tests.fakes import RecordingBus

REPLAY = Path(__file__).resolve().parents[2] / "data" / "ohlcv"
SYMBOL, TIMEFRAME = "BTC/USDT", "1d"
Emit = Callable[[dict[str, object]], None]


def _emit(step: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(step) + "\n")
    sys.stdout.flush()


def _completed_fields(analysis_id: str) -> dict[str, object]:
    candles = ReplaySource(REPLAY).candles(SYMBOL, TIMEFRAME, 300)
    event = MarketFetched(correlation_id=analysis_id, analysis_id=analysis_id, symbol=SYMBOL,
                          timeframe=TIMEFRAME, source="replay", candles=candles)
    result, _ = build_result(event, RuleBasedAnalyst(), "en")
    return {"result": result.model_dump(mode="json")}


def run(store: DocumentStore, user_id: str, other_user_id: str, *, pause: float,
        wait: Callable[[], None] | None = None, then_hide: bool = False,
        emit: Emit = _emit) -> dict[str, str]:
    """The whole script against ``store``; returns the two analysis ids."""
    bus = RecordingBus()
    made = {}
    for who in (user_id, other_user_id):
        users.ensure_user(store, int(who))
        analysis, _ = request_analysis(store, bus, user_id=who, symbol=SYMBOL,
                                       timeframe=TIMEFRAME, deadline_seconds=600,
                                       enforce_quota=False)
        made[who] = analysis.id
    mine, theirs = made[user_id], made[other_user_id]
    emit({"step": "created", "analysis_id": mine, "other_analysis_id": theirs,
          "user_id": user_id, "other_user_id": other_user_id, "collection": VIEWS})
    if wait is not None:
        wait()
    steps: list[tuple[Status, dict[str, object]]] = [
        (Status.fetching, {}), (Status.analyzing, {"source": "replay"}),
        (Status.completed, _completed_fields(mine)),
    ]
    for status, fields in steps:
        time.sleep(pause)
        analyses.transition(store, theirs, status, **fields)  # the other user's, first
        analyses.transition(store, mine, status, **fields)
        emit({"step": "status", "analysis_id": mine, "status": status.value})
    if then_hide:
        time.sleep(pause)
        actor = users.ensure_user(store, 1, role=Role.admin)
        moderation.mark_analysis(store, actor, mine, "hide", "live transport test")
        emit({"step": "hidden", "analysis_id": mine})
    emit({"step": "done", "analysis_id": mine, "at": utcnow().isoformat()})
    return {"analysis_id": mine, "other_analysis_id": theirs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", default="demo-chartgenius")
    parser.add_argument("--user", default="7001", help="the listener's user id (digits)")
    parser.add_argument("--other-user", default="7002", help="another user id (digits)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between states")
    parser.add_argument("--wait", action="store_true", help="read a line from stdin first")
    parser.add_argument("--then-hide", action="store_true",
                        help="finally hide the analysis as a moderator would")
    args = parser.parse_args(argv)
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        parser.error("set FIRESTORE_EMULATOR_HOST=127.0.0.1:<port> (never a real project)")
    if not (args.user.isdigit() and args.other_user.isdigit()) or args.user == args.other_user:
        parser.error("--user and --other-user are two different Telegram ids (digits)")
    store = FirestoreDocumentStore(project=args.project)
    try:
        run(store, args.user, args.other_user, pause=args.pause, then_hide=args.then_hide,
            wait=(lambda: sys.stdin.readline()) if args.wait else None)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
