"""Prompt version use cases for the admin API: list, read, create, activate, roll back,
preview. Writes carry the generation the editor saw; a stale one raises
``PreconditionFailed`` (HTTP 412) and a lost create race raises it too."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from weakref import WeakKeyDictionary

from shared.errors import InvalidInput
from shared.ports import BlobStore, DocumentStore
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


def history(blobs: BlobStore, name: str) -> dict[str, Any]:
    """Every version (newest first) with author, time, note and language; the pointer."""
    store = _store(blobs)
    versions = []
    for number in sorted(store.versions(name), reverse=True):
        found = asdict(store.get(name, number))
        versions.append({k: found[k] for k in ("version", "author", "created_at", "note",
                                               "language", "system", "template")})
    pointer = store.pointer(name)
    return {"name": name, "versions": versions, "active": asdict(pointer) if pointer else None}


def preview_for_pair(store: DocumentStore, template: str, language: str, symbol: str,
                     timeframe: str) -> tuple[str, dict[str, Any]]:
    """The template rendered over ``symbol``'s current indicators: those of its newest
    completed analysis on ``timeframe`` (the API keeps TA-Lib out of its build; the analysis
    holds every variable a template may use). ``NotFound`` when the pair has none yet."""
    from shared.errors import NotFound
    from shared.models import AnalysisResult, check_timeframe, iso, normalize_symbol
    from shared.prompts.variables import context_of

    symbol, timeframe = normalize_symbol(symbol), check_timeframe(timeframe)
    docs = store.query("analyses", [("symbol", "==", symbol), ("status", "==", "completed")],
                       order_by="updated_at", descending=True, limit=20)
    found = next((d for d in docs if d.get("timeframe") == timeframe and d.get("result")), None)
    if found is None:
        raise NotFound(f"no completed {symbol} {timeframe} analysis to preview with yet; "
                       "request one first")
    result = AnalysisResult.model_validate(found["result"])
    # an AnalysisResult carries the same fields as the Technicals it was made from
    rendered = render(template, context_of(result, symbol, timeframe,  # type: ignore[arg-type]
                                           language))
    return rendered, {"sample": False, "symbol": symbol, "timeframe": timeframe,
                      "analysis_id": found["_id"], "as_of": iso(result.as_of),
                      "price": result.price, "source": result.source}
