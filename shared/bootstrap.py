"""Wiring: builds the adapters the settings ask for, once per instance, lazily.

Each port is built once even when several request threads ask a new instance for it at once
(``shared.built_once``).

Services take ports as arguments; entry points get them from ``container()``. Google client
libraries are imported only when a Google adapter is chosen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from shared.built_once import built_once
from shared.config import Settings, settings
from shared.ports import LLM, BlobStore, Bus, DocumentStore, MarketSource, Messenger, Secrets

if TYPE_CHECKING:
    from shared.prompts.store import PromptStore

LOCAL_GENERATED_SECRETS = ("JWT_SIGNING_KEY", "TELEGRAM_WEBHOOK_SECRET")


@dataclass
class Container:
    settings: Settings
    _overrides: dict[str, object] = field(default_factory=dict)

    def override(self, **ports: object) -> Container:
        """Replace ports (tests and the local host use this)."""
        for name, value in ports.items():
            self.__dict__[name] = value
        return self

    @property
    def _data_dir(self) -> Path:
        """The embedded adapters' folder, private to its owner (0700)."""
        from shared.adapters.private_files import private_dir

        return private_dir(self.settings.data_dir)

    @built_once
    def store(self) -> DocumentStore:
        if self.settings.store == "firestore":
            from shared.adapters.firestore_store import FirestoreDocumentStore

            return FirestoreDocumentStore(project=self.settings.project)
        from shared.adapters.sqlite_store import SqliteDocumentStore

        return SqliteDocumentStore(self._data_dir / "store.sqlite3")

    @built_once
    def bus(self) -> Bus:
        if self.settings.bus == "pubsub":
            from shared.adapters.pubsub_bus import PubSubBus

            return PubSubBus(project=self.settings.project)
        from shared.adapters.local_bus import LocalBus

        return LocalBus(self._data_dir / "bus.sqlite3", project=self.settings.project,
                        lease_seconds=self.settings.bus_lease_seconds)

    @built_once
    def blobs(self) -> BlobStore:
        if self.settings.blobs == "gcs":
            from shared.adapters.gcs_blobs import GcsBlobStore

            return GcsBlobStore(bucket=self.settings.bucket, project=self.settings.project)
        from shared.adapters.folder_blobs import FolderBlobStore

        return FolderBlobStore(self._data_dir / "blobs")

    @built_once
    def secrets(self) -> Secrets:
        if self.settings.env == "production":
            from shared.adapters.secret_manager import SecretManagerSecrets

            return SecretManagerSecrets(project=self.settings.project)
        from shared.adapters.env_secrets import EnvSecrets

        return EnvSecrets(self._data_dir / "local-secrets.json", LOCAL_GENERATED_SECRETS)

    @built_once
    def sources(self) -> list[MarketSource]:
        from shared.market.budget import shared_budgets
        from shared.market.sources import build_sources

        # request budgets in the store: every instance together keeps a source's allowance
        return build_sources(self.settings, self.secrets, budgets=shared_budgets(self.store))

    @built_once
    def messenger(self) -> Messenger | None:
        """The Telegram Bot API, or None when no bot is configured (no token or no URL)."""
        from shared.adapters.telegram_api import build_messenger

        return build_messenger(self.settings, self.secrets)

    @built_once
    def llm(self) -> LLM:
        from shared.llm.providers import build_chain

        return build_chain(self.settings, self.secrets)

    @built_once
    def prompts(self) -> PromptStore:
        from shared.prompts.store import PromptStore

        return PromptStore(self.blobs)


_lock = threading.Lock()
_container: Container | None = None


def container() -> Container:
    global _container
    with _lock:
        if _container is None:
            _container = Container(settings())
        return _container


def reset(new: Container | None = None) -> None:
    """Forget the current wiring (tests build their own)."""
    global _container
    with _lock:
        _container = new
