"""OAuth access tokens for the Google REST calls the adapters make themselves.

- On Cloud Functions (no ``GOOGLE_APPLICATION_CREDENTIALS``) the token comes from the metadata
  server, as google-auth's Compute Engine credentials get it, with one plain HTTP call: the
  function's service account, no library import on the cold path (decision 0117).
  ``GCE_METADATA_HOST`` overrides the server, as it does for google-auth.
- Anywhere else (an operator's machine with a key file or ``gcloud auth``) google-auth finds
  the credentials, imported only then.
- An emulator takes the fixed token ``owner``.

A token is reused until a minute before it expires; ``invalidate`` drops it after a 401.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC
from typing import Any, Protocol

from shared.adapters.http_connections import Connections
from shared.errors import PermanentError, TransientError

SCOPE = "https://www.googleapis.com/auth/cloud-platform"
METADATA_HOST = "metadata.google.internal"
TOKEN_PATH = "/computeMetadata/v1/instance/service-accounts/default/token"  # noqa: S105
EARLY = 60.0  # seconds before expiry that a token is renewed


class Tokens(Protocol):
    def token(self) -> str: ...

    def invalidate(self) -> None: ...


class EmulatorTokens:
    def token(self) -> str:
        return "owner"

    def invalidate(self) -> None:
        return None


class _Cached:
    """A token kept until ``EARLY`` seconds before its expiry, fetched by ``_fetch``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._value = ""
        self._until = 0.0

    def token(self) -> str:
        with self._lock:
            if not self._value or self._clock() >= self._until:
                value, lifetime = self._fetch()
                self._value, self._until = value, self._clock() + max(lifetime - EARLY, 0.0)
            return self._value

    def invalidate(self) -> None:
        with self._lock:
            self._value = ""

    def _fetch(self) -> tuple[str, float]:
        raise NotImplementedError


class MetadataTokens(_Cached):
    """The service account's token from the metadata server."""

    def __init__(self, host: str | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(clock)
        self._server = Connections(f"http://{host or METADATA_HOST}", timeout=5.0, max_idle=1)

    def _fetch(self) -> tuple[str, float]:
        reply = self._server.request("GET", TOKEN_PATH, headers={"Metadata-Flavor": "Google"})
        if reply.status >= 500 or reply.status == 429:
            raise TransientError(f"metadata server answered {reply.status}")
        if reply.status != 200:
            raise PermanentError(f"no service-account token from the metadata server "
                                 f"(HTTP {reply.status})")
        try:
            body = json.loads(reply.body)
            return str(body["access_token"]), float(body.get("expires_in", 0))
        except (ValueError, KeyError, TypeError):
            raise TransientError("the metadata server's token answer is malformed") from None


class GoogleAuthTokens(_Cached):
    """Whatever google-auth's default credentials are (key file, gcloud user, …)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(clock)
        self._credentials: Any = None

    def _fetch(self) -> tuple[str, float]:
        import google.auth
        import google.auth.transport.requests
        from google.auth import exceptions

        try:
            if self._credentials is None:
                self._credentials, _ = google.auth.default(scopes=[SCOPE])
            self._credentials.refresh(google.auth.transport.requests.Request())
        except exceptions.TransportError as exc:
            raise TransientError(f"no Google token for now: {exc}") from None
        except exceptions.GoogleAuthError as exc:
            raise PermanentError(f"no Google credentials: {exc}") from None
        expiry = self._credentials.expiry  # naive, in UTC
        lifetime = (3600.0 if expiry is None
                    else expiry.replace(tzinfo=UTC).timestamp() - time.time())
        return str(self._credentials.token), lifetime


def default_tokens(emulated: bool) -> Tokens:
    if emulated:
        return EmulatorTokens()
    if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        return GoogleAuthTokens()
    return MetadataTokens(os.environ.get("GCE_METADATA_HOST"))
