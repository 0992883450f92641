"""The BlobStore contract: the folder store and Cloud Storage (on fake-gcs-server) alike."""

from __future__ import annotations

import threading

import pytest
from google.api_core import exceptions as google_errors

from shared.adapters.gcs_blobs import GcsBlobStore
from shared.errors import InvalidInput, PreconditionFailed, TransientError
from shared.ports import BlobStore


def test_adapter_implements_the_port(blobs: BlobStore) -> None:
    assert isinstance(blobs, BlobStore)


def test_put_then_get(blobs: BlobStore) -> None:
    generation = blobs.put("charts/a1.png", b"\x89PNG data", "image/png")
    blob = blobs.get("charts/a1.png")
    assert blob is not None
    assert (blob.data, blob.content_type, blob.generation) == (
        b"\x89PNG data",
        "image/png",
        generation,
    )
    assert isinstance(generation, int) and generation > 0


def test_bytes_round_trip_and_default_content_type(blobs: BlobStore) -> None:
    everything = bytes(range(256)) * 64
    blobs.put("raw/all-bytes", everything)
    blobs.put("raw/empty", b"")
    got, empty = blobs.get("raw/all-bytes"), blobs.get("raw/empty")
    assert got is not None and empty is not None
    assert got.data == everything and got.content_type == "application/octet-stream"
    assert empty.data == b""


def test_get_missing_is_none(blobs: BlobStore) -> None:
    assert blobs.get("nope/missing.txt") is None


def test_overwrite_gets_a_new_generation(blobs: BlobStore) -> None:
    first = blobs.put("prompts/analysis.md", b"v1", "text/markdown")
    second = blobs.put("prompts/analysis.md", b"v2", "text/markdown")
    assert second > first
    blob = blobs.get("prompts/analysis.md")
    assert blob is not None and (blob.data, blob.generation) == (b"v2", second)


def test_generation_zero_creates_only(blobs: BlobStore) -> None:
    generation = blobs.put("prompts/p.md", b"first", if_generation_match=0)
    with pytest.raises(PreconditionFailed):
        blobs.put("prompts/p.md", b"second", if_generation_match=0)
    blob = blobs.get("prompts/p.md")
    assert blob is not None and (blob.data, blob.generation) == (b"first", generation)


def test_matching_generation_writes_and_stale_fails(blobs: BlobStore) -> None:
    first = blobs.put("prompts/p.md", b"v1")
    second = blobs.put("prompts/p.md", b"v2", if_generation_match=first)
    with pytest.raises(PreconditionFailed):
        blobs.put("prompts/p.md", b"stale edit", if_generation_match=first)
    blob = blobs.get("prompts/p.md")
    assert blob is not None and (blob.data, blob.generation) == (b"v2", second)


def test_a_generation_on_a_missing_blob_fails(blobs: BlobStore) -> None:
    with pytest.raises(PreconditionFailed):
        blobs.put("prompts/none.md", b"x", if_generation_match=12345)
    assert blobs.get("prompts/none.md") is None


def test_racing_editors_on_one_generation_one_wins(blobs: BlobStore) -> None:
    base = blobs.put("prompts/race.md", b"base")
    outcomes: list[str] = []
    lock = threading.Lock()

    def edit(index: int) -> None:
        try:
            blobs.put("prompts/race.md", f"edit {index}".encode(), if_generation_match=base)
            result = "won"
        except PreconditionFailed:
            result = "lost"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=edit, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["lost"] * 5 + ["won"]


def test_delete_is_idempotent_and_frees_the_name(blobs: BlobStore) -> None:
    blobs.put("charts/old.png", b"x", "image/png")
    blobs.delete("charts/old.png")
    blobs.delete("charts/old.png")
    blobs.delete("charts/never-was.png")
    assert blobs.get("charts/old.png") is None
    assert "charts/old.png" not in blobs.list("charts/")
    blobs.put("charts/old.png", b"y", if_generation_match=0)  # create-only works again


def test_list_by_prefix_sorted(blobs: BlobStore) -> None:
    for path in [
        "charts/b.png",
        "charts/a.png",
        "charts/2025/c.png",
        "chartsx/d.png",
        "prompts/p.md",
    ]:
        blobs.put(path, b".")
    assert blobs.list("charts/") == ["charts/2025/c.png", "charts/a.png", "charts/b.png"]
    assert blobs.list("charts") == [
        "charts/2025/c.png",
        "charts/a.png",
        "charts/b.png",
        "chartsx/d.png",
    ]
    assert blobs.list("") == [
        "charts/2025/c.png",
        "charts/a.png",
        "charts/b.png",
        "chartsx/d.png",
        "prompts/p.md",
    ]
    assert blobs.list("nothing/") == []


@pytest.mark.parametrize("path", ["", "/etc/passwd", "../outside", "charts/../../x"])
def test_bad_paths_are_refused(blobs: BlobStore, path: str) -> None:
    with pytest.raises(InvalidInput):
        blobs.put(path, b"x")
    with pytest.raises(InvalidInput):
        blobs.get(path)


class DownStorage:
    """A Cloud Storage client whose every request fails for now (HTTP 503)."""

    def bucket(self, name: str) -> DownStorage:
        return self

    def blob(self, path: str) -> DownStorage:
        return self

    def delete(self, *args: object, **kwargs: object) -> None:
        raise google_errors.ServiceUnavailable("backend unavailable")

    upload_from_string = download_as_bytes = list_blobs = delete


def test_cloud_storage_outage_is_transient() -> None:
    blobs = GcsBlobStore("bucket", "chartgenius-test", client=DownStorage())
    for call in (lambda: blobs.put("a", b"x"), lambda: blobs.get("a"), lambda: blobs.delete("a"),
                 lambda: blobs.list("")):  # fmt: skip
        with pytest.raises(TransientError):
            call()
