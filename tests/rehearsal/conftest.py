"""The deploy rehearsal: every function staged as deploy.sh stages it, in its own Python 3.12
venv installed from its lock alone, under functions-framework with the production settings,
against the Firestore emulator (its REST API through ``FirestoreRestFront``), fake-gcs-server,
a fake Pub/Sub publisher, fake exchanges, a fake Vertex AI, a fake OAuth token endpoint and a
recording Bot API.

Started once per session (about 10 s when the venvs are cached under ``.tools/rehearsal``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.contract import emulators
from tests.contract.firestore_rest_front import FirestoreRestFront
from tests.integration.fake_exchanges import running_fake_exchanges
from tests.integration.fake_llm_servers import Script, fake_server
from tests.rehearsal import staging
from tests.rehearsal.fake_google import Recorder, google_and_telegram, service_account_key
from tests.rehearsal.fake_pubsub import FakePublisher
from tests.rehearsal.production import BUCKET, PROJECT, production_env

FUNCTIONS = ("api", "telegram_webhook", "market_fetcher", "analyzer", "notifier")


@dataclass
class Rehearsal:
    functions: dict[str, staging.Running]
    pubsub: FakePublisher
    bot: Recorder
    llm: Script
    store: Any  # FirestoreDocumentStore on the emulator
    blobs: Any  # google.cloud.storage.Bucket on fake-gcs-server

    def url(self, name: str) -> str:
        return self.functions[name].url


def _google_clients(hosts: dict[str, str]) -> tuple[Any, Any]:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import firestore, storage

    from shared.adapters.firestore_listen import FirestoreListeners
    from shared.adapters.firestore_store import FirestoreDocumentStore

    saved = os.environ.get("FIRESTORE_EMULATOR_HOST")
    os.environ["FIRESTORE_EMULATOR_HOST"] = hosts["firestore"]
    try:
        client = firestore.Client(project=PROJECT)
    finally:
        if saved is None:
            os.environ.pop("FIRESTORE_EMULATOR_HOST")
        else:
            os.environ["FIRESTORE_EMULATOR_HOST"] = saved
    gcs = storage.Client(project=PROJECT, credentials=AnonymousCredentials(),
                         client_options={"api_endpoint": f"http://{hosts['gcs']}"})
    store = FirestoreDocumentStore(PROJECT, url=hosts["firestore_rest"],
                                   listeners=FirestoreListeners(PROJECT, client))
    return store, gcs.create_bucket(BUCKET)


def _prepare(tmp: Path) -> dict[str, tuple[Path, Path]]:
    staged = staging.build_archives(tmp)
    assert sorted(staged) == sorted(FUNCTIONS)
    with ThreadPoolExecutor(max_workers=len(staged)) as pool:
        venvs = {name: pool.submit(staging.function_venv, name, folder)
                 for name, folder in staged.items()}
        return {name: (staged[name], venv.result()) for name, venv in venvs.items()}


@pytest.fixture(scope="session")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rehearsal]:
    work = tmp_path_factory.mktemp("rehearsal")
    with ExitStack() as stack, ThreadPoolExecutor(max_workers=1) as pool:
        prepared = pool.submit(_prepare, work)  # builds the venvs while the fakes start
        try:
            firestore = emulators.start_firestore(work)
            stack.callback(firestore.stop)
            gcs = emulators.start_fake_gcs(work)
            stack.callback(gcs.stop)
        except emulators.EmulatorUnavailable as exc:
            pytest.fail(str(exc), pytrace=False)
        front = FirestoreRestFront(firestore.host).start()
        stack.callback(front.stop)
        pubsub = FakePublisher().start()
        stack.callback(pubsub.stop)
        exchanges = stack.enter_context(running_fake_exchanges())
        llm_url, llm = stack.enter_context(fake_server())
        google_url, bot = stack.enter_context(google_and_telegram())
        hosts = {"firestore": firestore.host, "firestore_rest": front.url, "gcs": gcs.host,
                 "pubsub": pubsub.host,
                 "llm": llm_url, "binance": exchanges.url("binance"), "google": google_url}
        key_file = service_account_key(work / "key.json", PROJECT, f"{google_url}/token")
        store, bucket = _google_clients(hosts)
        env = production_env(hosts, key_file)
        try:
            ready = prepared.result()
        except staging.StagingFailed as exc:
            pytest.fail(str(exc), pytrace=False)
        running = {name: staging.start(name, folder, venv, env, work)
                   for name, (folder, venv) in ready.items()}
        stack.callback(lambda: [process.stop() for process in running.values()])
        stack.callback(lambda: [process.interrupt() for process in running.values()])
        for process in running.values():
            try:
                staging.wait_until_listening(process)
            except staging.StagingFailed as exc:
                pytest.fail(str(exc), pytrace=False)
        yield Rehearsal(running, pubsub, bot, llm, store, bucket)
