"""The Firestore adapter's REST side: outages, lost transaction races, tokens, odd names.

It runs against the emulator through its REST front (``firestore_rest_front``), which can
require a token and answer injected errors.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.adapters.firestore_store import FirestoreDocumentStore
from shared.adapters.google_tokens import MetadataTokens
from shared.errors import TransientError
from tests.conftest import ROOT
from tests.contract import emulators
from tests.contract.firestore_rest_front import FirestoreRestFront
from tests.loopback_http import JsonHandler, LoopbackHttp
from tests.rehearsal.production import production_env

pytestmark = pytest.mark.emulator
PROJECT = "chartgenius-test"


@pytest.fixture
def front(firestore_rest: FirestoreRestFront) -> Iterator[FirestoreRestFront]:
    firestore_rest.faults.clear()
    firestore_rest.calls.clear()
    firestore_rest.bodies.clear()
    yield firestore_rest
    firestore_rest.faults.clear()


@pytest.fixture
def store(front: FirestoreRestFront, firestore_env: emulators.Emulator,
          ) -> Iterator[tuple[FirestoreDocumentStore, list[float]]]:
    slept: list[float] = []
    rest = FirestoreDocumentStore(PROJECT, url=front.url, sleep=slept.append)
    yield rest, slept
    rest.close()


def test_an_unreachable_firestore_is_transient() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = FirestoreDocumentStore(PROJECT, url=f"http://127.0.0.1:{port}")
    for call in (lambda: down.get("c", "d"), lambda: down.create("c", "d", {"a": 1}),
                 lambda: down.set("c", "d", {}), lambda: down.delete("c", "d"),
                 lambda: down.query("c"), lambda: down.transact("c", "d", lambda _: {"a": 1})):
        with pytest.raises(TransientError):
            call()


def test_unavailable_is_transient_and_the_next_call_works(store, front, unique) -> None:
    rest, _ = store
    front.faults.append("UNAVAILABLE")
    with pytest.raises(TransientError):
        rest.set(f"{unique}-c", "d", {"a": 1})
    rest.set(f"{unique}-c", "d", {"a": 1})
    assert rest.get(f"{unique}-c", "d") == {"a": 1}


def test_a_lost_transaction_race_runs_the_change_again(store, front, unique) -> None:
    rest, slept = store
    rest.set(f"{unique}-c", "d", {"n": 1})
    seen: list[int] = []

    def bump(doc):
        seen.append(doc["n"])
        if len(seen) == 1:  # the commit of this first attempt loses the race
            front.faults.append("ABORTED")
        return {"n": doc["n"] + 1}

    assert rest.transact(f"{unique}-c", "d", bump) == {"n": 2}
    assert seen == [1, 1] and len(slept) == 1
    assert rest.get(f"{unique}-c", "d") == {"n": 2}
    begins = [json.loads(body)["newTransaction"] for (_, path), body
              in zip(front.calls, front.bodies, strict=True)
              if path.endswith(":batchGet") and "newTransaction" in json.loads(body)]
    assert len(begins) == 2  # each attempt began its transaction with its read
    assert begins[0] == {"readWrite": {}} and begins[1]["readWrite"]["retryTransaction"]
    assert not any(path.endswith(":beginTransaction") for _, path in front.calls)


def test_a_transaction_that_always_loses_gives_up_as_transient(store, front, unique) -> None:
    rest, slept = store

    def bump(doc):
        front.faults.append("ABORTED")
        return {"n": 1}

    with pytest.raises(TransientError, match="contended"):
        rest.transact(f"{unique}-c", "d", bump)
    assert len(slept) == 4
    assert rest.get(f"{unique}-c", "d") is None


def test_odd_ids_and_field_names_round_trip(store, unique) -> None:
    """Odd field names are quoted in masks, filters and orders like google-cloud-firestore
    quotes them (tests/unit/test_firestore_values.py); the emulator reads only plain names
    there, so here they appear in documents only."""
    rest, _ = store
    collection = f"{unique}-odd"
    doc = {"a.b": 1, "sp ace": "x", "t-ck": True, "ü": 1, "n": 1}
    for doc_id in ("BTC:USDT 4h", "a%2Fb", "ünï?#&", "x.y"):
        rest.create(collection, doc_id, doc)
        assert rest.get(collection, doc_id) == doc
    rest.set(collection, "x.y", {"n": 2}, merge=True)
    rest.update(collection, "x.y", {"n": 3})
    assert rest.get(collection, "x.y") == {**doc, "n": 3}
    assert [doc["_id"] for doc in rest.query(collection, [("n", "==", 3)])] == ["x.y"]
    assert [doc["_id"] for doc in rest.query(collection, [("n", "<", 3)], order_by="n")] == [
        "BTC:USDT 4h", "a%2Fb", "ünï?#&"]
    rest.delete(collection, "ünï?#&")
    assert rest.get(collection, "ünï?#&") is None


def test_large_integers_and_nested_values_round_trip(store, unique) -> None:
    rest, _ = store
    doc = {"big": 2**53 - 1, "neg": -(2**31), "f": 0.1, "nested": {"l": [1, "a", None, {"k": []}]},
           "empty": {}, "none": None}
    rest.set(f"{unique}-v", "d", doc)
    assert rest.get(f"{unique}-v", "d") == doc


class MetadataServer:
    """The metadata server's token endpoint: a new token on every fetch."""

    def __init__(self, lifetime: int = 3599) -> None:
        self.issued: list[str] = []
        self.lifetime = lifetime
        server = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:
                if self.headers.get("Metadata-Flavor") != "Google":
                    self.send_response(403)
                    self.end_headers()
                    return
                server.issued.append(f"token-{len(server.issued) + 1}")
                self.reply(200, {"access_token": server.issued[-1], "token_type": "Bearer",
                                 "expires_in": server.lifetime})

        self._http = LoopbackHttp(Handler)
        self.host, self.stop = self._http.host, self._http.stop


def test_the_service_account_token_is_fetched_once_and_renewed_before_expiry(
    firestore_emulator: emulators.Emulator, unique: str,
) -> None:
    metadata = MetadataServer(lifetime=600)
    guarded = FirestoreRestFront(firestore_emulator.host, token="token-1").start()
    now = [1000.0]
    tokens = MetadataTokens(metadata.host, clock=lambda: now[0])
    rest = FirestoreDocumentStore(PROJECT, url=guarded.url, tokens=tokens)
    try:
        rest.set(f"{unique}-t", "d", {"a": 1})
        assert rest.get(f"{unique}-t", "d") == {"a": 1}
        assert metadata.issued == ["token-1"]  # one fetch for both calls
        guarded.token = "token-2"
        now[0] += 600 - 60  # a minute before expiry: renewed before it is refused
        assert rest.get(f"{unique}-t", "d") == {"a": 1}
        assert metadata.issued == ["token-1", "token-2"]
        guarded.token = "token-3"  # revoked early: the 401 makes it fetch a new one, once
        assert rest.get(f"{unique}-t", "d") == {"a": 1}
        assert metadata.issued == ["token-1", "token-2", "token-3"]
    finally:
        rest.close()
        guarded.stop()
        metadata.stop()


FIRST_REQUEST = """
import json, sys
import functions_framework
name, signature, path, body, headers = json.loads(sys.argv[1])
app = functions_framework.create_app(name, f"functions/{name}/main.py", signature)
client = app.test_client()
answer = client.post(path, data=body.encode(), headers=headers) if body else client.get(path)
print(json.dumps({"status": answer.status_code, "modules": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("function", ["api", "notifier"])
def test_a_first_request_reads_firestore_without_the_grpc_client(
        function: str, firestore_rest: FirestoreRestFront, firestore_emulator: emulators.Emulator,
        tmp_path: Path) -> None:
    """The first request reads Firestore over REST: no gRPC, google-auth or ``requests``
    import (about 0.4 s of a cold start); only a listener would load them."""
    from bench.cold_start import first_request

    path, body, headers = first_request(function)
    request = [function, "http" if function == "api" else "cloudevent", path, body.decode(),
               headers]
    nowhere = "http://127.0.0.1:9"  # nothing else is reached
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARTGENIUS_")}
    env.update(production_env({"firestore": firestore_emulator.host,
                               "firestore_rest": firestore_rest.url, "gcs": "127.0.0.1:9",
                               "pubsub": "127.0.0.1:9", "llm": nowhere, "binance": nowhere,
                               "google": nowhere}, tmp_path / "no-key.json"),
               PYTHONPATH=str(ROOT), CHARTGENIUS_DATA_DIR=str(tmp_path))
    firestore_rest.calls.clear()
    firestore_rest.bodies.clear()
    probed = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, "-c", FIRST_REQUEST, json.dumps(request)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120, check=True)
    answer = json.loads(probed.stdout.splitlines()[-1])
    assert answer["status"] == 200, probed.stderr[-2000:]
    heavy = [name for name in ("google.cloud.firestore", "grpc", "google.auth", "requests",
                               "urllib3", "google.api_core", "google.cloud.storage")
             if name in answer["modules"]]
    assert not heavy, f"the first request of {function} imported {heavy}"
    assert firestore_rest.calls, "the first request did not reach Firestore"
