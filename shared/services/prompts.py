"""Prompt version use cases for the admin API: list, read, create, activate, roll back,
preview. Writes carry the generation the editor saw; a stale one raises
``PreconditionFailed`` (HTTP 412) and a lost create race raises it too."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from weakref import WeakKeyDictionary

from shared.errors import InvalidInput
from shared.ports import BlobStore
from shared.prompts.renderer import render
from shared.prompts.store import PromptStore
from shared.prompts.variables import VARIABLES, sample_context

LANGUAGES = ("en", "ru")


_stores: WeakKeyDictionary[BlobStore, PromptStore] = WeakKeyDictionary()


def _store(blobs: BlobStore) -> PromptStore:
    """This blob store's prompt store, with the bundled defaults present (seeded once), so
    version numbers start after them."""
    store = _stores.get(blobs)
    if store is None:
        store = _stores[blobs] = PromptStore(blobs)
    store.ensure_defaults()
    return store


def list_prompts(blobs: BlobStore) -> list[dict[str, Any]]:
    store = _store(blobs)
    out = []
    for name in store.names():
        pointer = store.pointer(name)
        out.append({"name": name, "versions": store.versions(name),
                    "active": asdict(pointer) if pointer else None})
    return out


def read_prompt(blobs: BlobStore, name: str, version: int | None = None) -> dict[str, Any]:
    store = _store(blobs)
    chosen = store.get(name, version) if version is not None else store.active(name)
    pointer = store.pointer(name)
    return {**asdict(chosen), "active": asdict(pointer) if pointer else None,
            "variables": list(VARIABLES)}


def create_version(blobs: BlobStore, name: str, *, system: str, template: str, language: str,
                   author: str, note: str = "") -> dict[str, Any]:
    if language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}",
                           details={"field": "language"})
    if not system.strip() or len(system) > 4000 or not template.strip() or len(template) > 20000:
        raise InvalidInput("system (≤ 4,000 chars) and template (≤ 20,000) are required")
    version = _store(blobs).create(name, system=system, template=template, language=language,
                                   author=author, note=note)
    return asdict(version)


def activate(blobs: BlobStore, name: str, version: int, *, author: str,
             if_generation_match: int | None) -> dict[str, Any]:
    return asdict(_store(blobs).activate(name, version, author=author,
                                         if_generation_match=if_generation_match))


def rollback(blobs: BlobStore, name: str, *, author: str,
             if_generation_match: int | None) -> dict[str, Any]:
    return asdict(_store(blobs).rollback(name, author=author,
                                         if_generation_match=if_generation_match))


def preview(template: str, language: str = "en") -> str:
    """The template rendered over the sample context (raises ``InvalidInput`` if broken)."""
    return render(template, sample_context(language))
