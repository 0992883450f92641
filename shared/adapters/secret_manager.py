"""Secrets in production: secret environment variables first, then Secret Manager.

Cloud Functions mounts each secret a function is granted as an environment variable, so
``get`` reads the environment first and asks Secret Manager (``versions/latest``) only for a
name that is not mounted. Values are cached per instance, and a missing or unreadable
secret is cached as ``None``. Values never reach a log; names may. The Google libraries are
imported by the first name that is not mounted, so an instance whose secrets are all mounted
never loads them (decision 0117).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from typing import Any

from shared.errors import InvalidInput, TransientError

log = logging.getLogger(__name__)

_NAME = re.compile(r"[A-Za-z0-9_-]{1,255}")


class SecretManagerSecrets:
    def __init__(self, project: str, client: Any = None, *, timeout_seconds: float = 10.0) -> None:
        self.project = project
        self._client = client
        self._timeout = timeout_seconds
        self._cache: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def _secret_manager(self) -> Any:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    from google.cloud import secretmanager

                    self._client = secretmanager.SecretManagerServiceClient()
        return self._client

    def get(self, name: str) -> str | None:
        mounted = os.environ.get(name)
        if mounted:
            return mounted
        with self._lock:
            if name in self._cache:
                return self._cache[name]
        value = self._fetch(name)
        with self._lock:
            self._cache[name] = value
        return value

    def _fetch(self, name: str) -> str | None:
        if not _NAME.fullmatch(name):
            raise InvalidInput(f"bad secret name {name!r}")
        from google.api_core import exceptions as google_errors

        path = f"projects/{self.project}/secrets/{name}/versions/latest"
        transient = (google_errors.ServiceUnavailable, google_errors.DeadlineExceeded,
                     google_errors.InternalServerError, google_errors.TooManyRequests,
                     google_errors.RetryError)
        try:
            response = self._secret_manager().access_secret_version(
                name=path, timeout=self._timeout
            )
        except google_errors.NotFound:
            log.info("secret not set", extra={"secret": name})
            return None
        except (google_errors.PermissionDenied, google_errors.FailedPrecondition) as exc:
            # Least privilege: a function is granted only the secrets it uses; a disabled
            # or destroyed version reads as FailedPrecondition.
            log.warning("secret not readable", extra={"secret": name, "reason": exc.message})
            return None
        except transient as exc:
            raise TransientError(f"Secret Manager did not answer for {name}: {exc}") from exc
        data: bytes = response.payload.data
        return data.decode("utf-8")
