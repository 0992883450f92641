"""The web app's Firestore live source (web/src/live/firestore.ts) against the Firestore
emulator: the TypeScript module runs under Vitest in Node and listens, while this test moves
an analysis queued → fetching → analyzing → completed with the production writers
(tests/contract/firestore_writer.py: the Firestore adapter and the services, which keep the
public views in ``analyses_public``), the other user's analysis moving in step, and then adds
a notification for each user.

The two sides take turns through a handshake file (one JSON line per thing the listener saw):
each state is written only after the listener reported the one before, so nothing depends
on timing and no state can be coalesced away."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from shared.adapters.firestore_store import FirestoreDocumentStore
from shared.services import inbox
from shared.services.analysis_view import VIEWS
from tests.contract import emulators, firestore_writer

WEB = emulators.ROOT / "web"
PROJECT = "demo-chartgenius-web"
DEADLINE_SECONDS = 90.0


class Listener:
    """The Vitest process and what it reported so far."""

    def __init__(self, handshake: Path) -> None:
        self.handshake = handshake
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, vitest: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen([vitest, "run"], cwd=WEB, env=env,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)

    def lines(self) -> list[dict]:
        if not self.handshake.exists():
            return []
        return [json.loads(line) for line in self.handshake.read_text().splitlines() if line]

    def wait_for(self, wanted: dict, deadline: float) -> None:
        assert self.process is not None
        while not any(wanted.items() <= line.items() for line in self.lines()):
            if self.process.poll() is not None:
                raise AssertionError(f"the listener exited before reporting {wanted}: "
                                     f"{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the listener never reported {wanted}; it saw "
                                     f"{self.lines()}")
            time.sleep(0.02)

    def output(self) -> str:
        if self.process is None or self.process.poll() is None or self.process.stdout is None:
            return "(still running)"
        return self.process.stdout.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)


def notification(event_id: str, user_id: str, analysis_id: str, created_at: str) -> dict:
    return {"event_id": event_id, "user_id": user_id, "kind": "analysis.completed",
            "title": "BTC/USDT 1d", "body": "completed", "read": False,
            "analysis_id": analysis_id, "created_at": created_at}


@pytest.fixture
def vitest() -> str:
    binary = WEB / "node_modules" / ".bin" / "vitest"
    if not binary.exists() or shutil.which("node") is None:
        pytest.fail("the web app's packages are missing: run `make web` (npm ci)", pytrace=False)
    return str(binary)


def test_the_web_listener_sees_each_state_and_only_its_own_documents(
        firestore_env: emulators.Emulator, vitest: str, tmp_path: Path) -> None:
    store = FirestoreDocumentStore(PROJECT)
    listener = Listener(tmp_path / "handshake.jsonl")
    deadline = time.monotonic() + DEADLINE_SECONDS
    ids: dict[str, object] = {}

    def emit(step: dict[str, object]) -> None:
        if step["step"] == "created":
            ids.update(step)
        elif step["step"] == "status":  # written: go on once the listener has seen it
            listener.wait_for({"status": step["status"]}, deadline)

    def attach() -> None:  # both analyses are queued; the listener starts now
        user = str(ids["user_id"])
        store.set("inboxes", user, {"user_id": user, "unread": 0, "latest_at": ""})
        listener.start(vitest, {
            **{k: v for k, v in os.environ.items() if k != "FIRESTORE_EMULATOR_HOST"},
            "FIRESTORE_EMULATOR_PORT": str(firestore_env.port), "FIRESTORE_PROJECT": PROJECT,
            "LIVE_HANDSHAKE": str(listener.handshake), "LIVE_USER": user,
            "LIVE_ANALYSIS": str(ids["analysis_id"]), "LIVE_NOTIFICATION": "n-mine"})
        listener.wait_for({"inbox": "connected"}, deadline)
        listener.wait_for({"status": "queued"}, deadline)

    try:
        made = firestore_writer.run(store, "7001", "7002", pause=0, wait=attach, emit=emit)
        mine, theirs = made["analysis_id"], made["other_analysis_id"]
        at = "2026-01-01T00:00:05+00:00"
        store.set("notifications", "n-theirs", notification("n-theirs", "7002", theirs, at))
        store.set("notifications", "n-mine", notification("n-mine", "7001", mine, at))
        inbox.bump(store, "7001", at)
        listener.wait_for({"done": True}, deadline)
        assert listener.process is not None
        assert listener.process.wait(timeout=30) == 0, listener.output()
    finally:
        listener.stop()
        store.close()
    seen = listener.lines()
    assert [line["status"] for line in seen if "status" in line] == [
        "queued", "fetching", "analyzing", "completed"]
    assert [line["notification"] for line in seen if "notification" in line] == ["n-mine"]
    view = FirestoreDocumentStore(PROJECT).get(VIEWS, mine)
    assert view is not None
    (final,) = [line for line in seen if "final" in line]
    assert final["final"] == {"id": mine, "signal": view["result"]["signal"],
                              "summary": view["result"]["summary"]}
