"""Fixtures for the contract suites: the Google emulators, started once per session.

An emulator starts only when a test of its adapter runs, on a free loopback port, and is
stopped when the session ends. Each test points the Google clients at it through the
environment (``FIRESTORE_EMULATOR_HOST``, ``STORAGE_EMULATOR_HOST``) and uses its own
collection prefix or bucket, so tests never see each other's data. A missing emulator fails
the test with the command that installs it; it is never skipped silently.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shared.ports import BlobStore, DocumentStore
from tests.contract import emulators
from tests.contract.firestore_rest_front import FirestoreRestFront


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "skip_on(adapter, reason): skip the case that runs against that adapter"
    )
    config.addinivalue_line(
        "markers", "xfail_on(adapter, reason): strict xfail for that adapter (a gap to fix)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Apply ``skip_on`` / ``xfail_on`` to the parametrized case of the named adapter."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        adapters = {v for v in callspec.params.values() if isinstance(v, str)} if callspec else ()
        for mark in item.iter_markers("skip_on"):
            if mark.args[0] in adapters:
                item.add_marker(pytest.mark.skip(reason=mark.args[1]))
        for mark in item.iter_markers("xfail_on"):
            if mark.args[0] in adapters:
                item.add_marker(pytest.mark.xfail(strict=True, reason=mark.args[1]))


def _start(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[emulators.Emulator]:
    log_dir = tmp_path_factory.mktemp(f"{kind}-emulator")
    starter = emulators.start_firestore if kind == "firestore" else emulators.start_fake_gcs
    try:
        emulator = starter(log_dir)
    except emulators.EmulatorUnavailable as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:  # outside the except block, so the message stands alone
        pytest.fail(problem, pytrace=False)
    yield emulator
    emulator.stop()


@pytest.fixture(scope="session")
def firestore_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[emulators.Emulator]:
    yield from _start("firestore", tmp_path_factory)


@pytest.fixture(scope="session")
def gcs_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[emulators.Emulator]:
    yield from _start("gcs", tmp_path_factory)


@pytest.fixture(scope="session")
def firestore_rest(firestore_emulator: emulators.Emulator) -> Iterator[FirestoreRestFront]:
    """Firestore's REST API over the emulator (which speaks gRPC only)."""
    front = FirestoreRestFront(firestore_emulator.host).start()
    yield front
    front.stop()


@pytest.fixture
def firestore_env(
    firestore_emulator: emulators.Emulator, firestore_rest: FirestoreRestFront,
    monkeypatch: pytest.MonkeyPatch,
) -> emulators.Emulator:
    """The Firestore adapters of this test talk to the emulator: the REST calls through its
    REST front, the gRPC listeners to the emulator itself."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_emulator.host)
    monkeypatch.setenv("CHARTGENIUS_FIRESTORE_URL", firestore_rest.url)
    return firestore_emulator


@pytest.fixture
def gcs_env(
    gcs_emulator: emulators.Emulator, monkeypatch: pytest.MonkeyPatch
) -> emulators.Emulator:
    """The Cloud Storage client of this test talks to the emulator."""
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://{gcs_emulator.host}")
    return gcs_emulator


@pytest.fixture
def unique() -> str:
    """A short name no other test uses (collection prefixes, bucket names)."""
    return "t" + uuid.uuid4().hex[:12]


# -- the adapters each contract runs against -----------------------------------------------
@pytest.fixture(params=["sqlite", pytest.param("firestore", marks=pytest.mark.emulator)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DocumentStore]:
    if request.param == "sqlite":
        from shared.adapters.sqlite_store import SqliteDocumentStore

        sqlite = SqliteDocumentStore(tmp_path / "store.sqlite3", poll_seconds=0.05)
        yield sqlite
        sqlite.close()
        return
    request.getfixturevalue("firestore_env")
    from shared.adapters.firestore_store import FirestoreDocumentStore

    firestore = FirestoreDocumentStore(project="chartgenius-test")
    yield firestore
    firestore.close()


@pytest.fixture
def col(unique: str) -> Callable[[str], str]:
    """This test's own name for a collection path (the root collection gets a prefix)."""
    return lambda path: f"{unique}-{path}"


@pytest.fixture(params=["folder", pytest.param("gcs", marks=pytest.mark.emulator)])
def blobs(request: pytest.FixtureRequest, tmp_path: Path, unique: str) -> BlobStore:
    if request.param == "folder":
        from shared.adapters.folder_blobs import FolderBlobStore

        return FolderBlobStore(tmp_path / "blobs")
    request.getfixturevalue("gcs_env")
    from google.cloud import storage

    storage.Client(project="chartgenius-test").create_bucket(unique)  # one bucket per test
    from shared.adapters.gcs_blobs import GcsBlobStore

    return GcsBlobStore(bucket=unique, project="chartgenius-test")
