"""The live-transport writer against the Firestore emulator: a listener on the user's public
views (as the web app's query) sees every state and never the other user's analysis, and no
view holds a server-only field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.adapters.firestore_store import FirestoreDocumentStore
from shared.services.analysis_view import VIEWS
from tests.contract import firestore_writer

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = {"chat_id", "moderation", "moderation_flagged", "deadline_at", "announced",
            "handed_on"}
pytestmark = pytest.mark.emulator


def _listen(project: str, user_id: str, seen: list[dict]) -> object:
    from google.cloud import firestore

    client = firestore.Client(project=project)
    query = client.collection(VIEWS).where(filter=firestore.FieldFilter("user_id", "==",
                                                                        user_id))

    def on_snapshot(_docs: list, changes: list, _read_time: object) -> None:
        for change in changes:
            seen.append({"kind": change.type.name, "id": change.document.id,
                         **(change.document.to_dict() or {})})

    return query.on_snapshot(on_snapshot)


def _wait_for(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_listener_sees_each_state_of_its_own_analysis_only(firestore_env, unique) -> None:
    project = f"demo-{unique}"
    seen: list[dict] = []
    watch = _listen(project, "7101", seen)
    store = FirestoreDocumentStore(project=project)
    steps: list[dict] = []
    try:
        ids = firestore_writer.run(store, "7101", "7102", pause=0.25, then_hide=True,
                                   emit=steps.append)
        assert _wait_for(lambda: any(s["kind"] == "REMOVED" for s in seen)), seen
    finally:
        watch.unsubscribe()  # type: ignore[attr-defined]
        store.close()
    assert {s["id"] for s in seen} == {ids["analysis_id"]}
    statuses = [s["status"] for s in seen if s["kind"] != "REMOVED"]
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == \
        ["queued", "fetching", "analyzing", "completed"]
    assert all(not INTERNAL & set(s) for s in seen)
    completed = next(s for s in seen if s["status"] == "completed")
    assert completed["result"]["symbol"] == "BTC/USDT" and completed["progress"] == 100
    assert [s["step"] for s in steps] == ["created", "status", "status", "status", "hidden",
                                         "done"]
    server_doc = FirestoreDocumentStore(project=project).get("analyses", ids["analysis_id"])
    assert server_doc is not None and server_doc["moderation"]["hidden"] is True


def test_the_writer_runs_as_a_process_and_waits_for_the_listener(firestore_env,
                                                                 unique) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.contract.firestore_writer", "--project",
         f"demo-{unique}", "--pause", "0.05", "--wait"],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdin and process.stdout
    created = json.loads(process.stdout.readline())
    assert created["step"] == "created" and created["collection"] == VIEWS
    view = FirestoreDocumentStore(project=f"demo-{unique}").get(VIEWS, created["analysis_id"])
    assert view is not None and view["status"] == "queued"  # nothing moves before "go"
    time.sleep(0.3)  # the writer is blocked on its stdin: still nothing moves
    again = FirestoreDocumentStore(project=f"demo-{unique}").get(VIEWS, created["analysis_id"])
    assert again is not None and again["status"] == "queued"
    process.stdin.write("go\n")
    process.stdin.flush()
    rest = [json.loads(line) for line in process.stdout]
    assert process.wait(timeout=30) == 0
    assert [r.get("status") for r in rest if r["step"] == "status"] == [
        "fetching", "analyzing", "completed"]


def test_the_writer_refuses_to_run_without_an_emulator(monkeypatch) -> None:
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        firestore_writer.main(["--user", "1", "--other-user", "2"])
    assert exit_info.value.code == 2
