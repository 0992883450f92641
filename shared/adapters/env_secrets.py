"""Secrets from environment variables, which is also how Cloud Functions mounts them.

Locally, a secret that is not set can be generated once and kept in a file under the data
folder (the JWT signing key, so that tokens survive a restart).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from pathlib import Path

from shared import log
from shared.adapters.private_files import write_private


class EnvSecrets:
    def __init__(self, generated_file: Path | None = None, generate: tuple[str, ...] = ()) -> None:
        self._file = generated_file
        self._generate = set(generate)
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        value = os.environ.get(name)
        if value:
            log.remember_secret(value)
            return value
        if self._file is None or name not in self._generate:
            return None
        with self._lock:
            stored = json.loads(self._file.read_text()) if self._file.exists() else {}
            if name not in stored:
                stored[name] = secrets.token_urlsafe(48)
                write_private(self._file, json.dumps(stored))  # 0600 from the start
            log.remember_secret(str(stored[name]))
            return str(stored[name])
