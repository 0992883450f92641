"""The web app's Firestore live source (web/src/live/firestore.ts) against the Firestore
emulator: the TypeScript module runs under Vitest in Node and listens, while this test writes
with the Python client the functions use, moving one analysis queued → fetching → analyzing →
completed and adding a notification for its owner and one for another user.

The two sides take turns through a handshake file (one JSON line per thing the listener saw),
so each write waits for the listener to report the state before — deterministic, no sleeps."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from shared.adapters.firestore_store import FirestoreDocumentStore
from tests.contract import emulators

WEB = emulators.ROOT / "web"
PROJECT = "chartgenius-web-test"
DEADLINE_SECONDS = 60.0


class Listener:
    """The Vitest process and what it reported so far."""

    def __init__(self, process: subprocess.Popen[bytes], handshake: Path) -> None:
        self.process, self.handshake = process, handshake

    def lines(self) -> list[dict]:
        if not self.handshake.exists():
            return []
        return [json.loads(line) for line in self.handshake.read_text().splitlines() if line]

    def wait_for(self, wanted: dict, deadline: float) -> None:
        while wanted not in self.lines():
            if self.process.poll() is not None:
                raise AssertionError(f"the listener exited before reporting {wanted}: "
                                     f"{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the listener never reported {wanted}; it saw "
                                     f"{self.lines()}\n{self.output()}")
            time.sleep(0.02)

    def output(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        out = self.process.stdout.read() if self.process.stdout else b""
        return out.decode(errors="replace")[-4000:]


def analysis(analysis_id: str, user_id: str, status: str, progress: int) -> dict:
    history = [{"status": s, "at": f"2026-01-01T00:00:0{i}+00:00"}
               for i, s in enumerate(["queued", "fetching", "analyzing", "completed"])]
    upto = [h["status"] for h in history].index(status) + 1
    return {"id": analysis_id, "user_id": user_id, "symbol": "BTC/USDT", "timeframe": "4h",
            "language": "en", "status": status, "progress": progress, "chat_id": 555,
            "created_at": "2026-01-01T00:00:00+00:00", "updated_at": history[upto - 1]["at"],
            "history": history[:upto], "sources_tried": ["replay"], "error": None,
            "result": {"signal": "buy", "summary": "up"} if status == "completed" else None}


def notification(event_id: str, user_id: str, analysis_id: str) -> dict:
    return {"event_id": event_id, "user_id": user_id, "kind": "analysis.completed",
            "title": "BTC/USDT 4h: buy", "body": "done", "read": False,
            "analysis_id": analysis_id, "created_at": "2026-01-01T00:00:05+00:00"}


@pytest.fixture
def vitest() -> str:
    binary = WEB / "node_modules" / ".bin" / "vitest"
    if not binary.exists() or shutil.which("node") is None:
        pytest.fail("the web app's packages are missing: run `make web` (npm ci)", pytrace=False)
    return str(binary)


def test_the_web_listener_sees_each_state_and_only_its_own_documents(
        firestore_env: emulators.Emulator, vitest: str, tmp_path: Path) -> None:
    store = FirestoreDocumentStore(PROJECT)
    mine, theirs = "web-a1", "web-b1"
    store.set("analyses", mine, analysis(mine, "u1", "queued", 0))
    store.set("analyses", theirs, analysis(theirs, "u2", "queued", 0))
    store.set("inboxes", "u1", {"user_id": "u1", "unread": 0, "latest_at": ""})
    handshake = tmp_path / "handshake.jsonl"
    env = {**os.environ, "FIRESTORE_EMULATOR_PORT": str(firestore_env.port),
           "FIRESTORE_PROJECT": PROJECT, "LIVE_HANDSHAKE": str(handshake), "LIVE_USER": "u1",
           "LIVE_ANALYSIS": mine, "LIVE_NOTIFICATION": "n-mine"}
    env.pop("FIRESTORE_EMULATOR_HOST", None)  # the web SDK is pointed at it explicitly
    process = subprocess.Popen([vitest, "run"], cwd=WEB, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    listener = Listener(process, handshake)
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        listener.wait_for({"inbox": "connected"}, deadline)
        listener.wait_for({"status": "queued"}, deadline)
        for status, progress in (("fetching", 20), ("analyzing", 60), ("completed", 100)):
            store.set("analyses", theirs, analysis(theirs, "u2", status, progress))
            store.set("analyses", mine, analysis(mine, "u1", status, progress))
            listener.wait_for({"status": status}, deadline)
        store.set("notifications", "n-theirs", notification("n-theirs", "u2", theirs))
        store.set("notifications", "n-mine", notification("n-mine", "u1", mine))
        store.set("inboxes", "u1", {"user_id": "u1", "unread": 1,
                                    "latest_at": "2026-01-01T00:00:05+00:00"})
        listener.wait_for({"done": True}, deadline)
        assert process.wait(timeout=max(1.0, deadline - time.monotonic())) == 0, \
            listener.output()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    seen = listener.lines()
    assert [line["status"] for line in seen if "status" in line] == [
        "queued", "fetching", "analyzing", "completed"]
    assert [line["notification"] for line in seen if "notification" in line] == ["n-mine"]
