"""The production BlobStore: one Cloud Storage bucket.

Generations are Cloud Storage's own object generations, so ``if_generation_match`` is the
service's precondition (``0`` = create only); a failed one (HTTP 412) raises
``PreconditionFailed``. A read takes the data, content type and generation from the one
download response, so they always belong together. The client (and ``google.cloud.storage``)
is created on first use, and the Google libraries (with ``requests``) are imported then too,
not with this module: a notifier that is handed the store but sends no chart never loads them.
This module is imported only when the settings choose Cloud Storage.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shared.adapters.blob_paths import checked
from shared.errors import InvalidInput, NotFound, PermanentError, PreconditionFailed, TransientError
from shared.ports import Blob


class GcsBlobStore:
    def __init__(self, bucket: str, project: str, client: Any = None) -> None:
        self.bucket_name = bucket
        self.project = project
        self._client = client
        self._bucket: Any = None
        self._lock = threading.Lock()

    def _objects(self) -> Any:
        """The bucket handle (no request is made); the client is created once, lazily."""
        if self._bucket is None:
            with self._lock:
                if self._client is None:  # the library too: ~0.06 s a first message may not need
                    from google.cloud.storage import Client

                    self._client = Client(project=self.project)
                if self._bucket is None:
                    self._bucket = self._client.bucket(self.bucket_name)
        return self._bucket

    def _blob(self, path: str) -> Any:
        checked(path)
        return self._objects().blob(path)

    def put(
        self,
        path: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        *,
        if_generation_match: int | None = None,
    ) -> int:
        blob = self._blob(path)
        with _translated(path):
            blob.upload_from_string(
                data, content_type=content_type, if_generation_match=if_generation_match
            )
        return int(blob.generation)

    def get(self, path: str) -> Blob | None:
        blob = self._blob(path)
        try:
            with _translated(path):
                data = blob.download_as_bytes()
        except NotFound:
            return None
        return Blob(
            data=data,
            content_type=blob.content_type or "application/octet-stream",
            generation=int(blob.generation),
        )

    def delete(self, path: str) -> None:
        blob = self._blob(path)
        try:
            with _translated(path):
                blob.delete()
        except NotFound:
            pass  # already gone: deleting is idempotent, as in the folder store

    def list(self, prefix: str) -> list[str]:
        bucket = self._objects()
        with _translated(f"list {prefix!r}"):
            return sorted(blob.name for blob in bucket.list_blobs(prefix=prefix or None))


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """Google API errors become the product's error tree."""
    import requests
    from google.api_core import exceptions as google_errors

    transient = (google_errors.ServiceUnavailable, google_errors.DeadlineExceeded,
                 google_errors.InternalServerError, google_errors.TooManyRequests,
                 google_errors.GatewayTimeout, google_errors.RetryError,
                 requests.ConnectionError, requests.Timeout)
    try:
        yield
    except google_errors.PreconditionFailed as exc:
        raise PreconditionFailed(f"{what}: generation precondition failed") from exc
    except google_errors.NotFound as exc:
        raise NotFound(f"{what} does not exist") from exc
    except (google_errors.Forbidden, google_errors.Unauthorized) as exc:
        raise PermanentError(f"{what}: Cloud Storage refused access: {exc.message}") from exc
    except google_errors.BadRequest as exc:
        raise InvalidInput(f"{what}: {exc.message}") from exc
    except transient as exc:
        raise TransientError(f"{what}: Cloud Storage: {exc}") from exc
