"""Prompt versions in the blob store: ``prompts/<name>/<version>`` (JSON: system, template,
language, author, created_at, note) and ``prompts/<name>/active`` (the active version and the
versions it replaced). Every write carries a generation precondition, so two editors racing
cannot both win: the loser gets ``PreconditionFailed`` and nothing is overwritten."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from shared.errors import InvalidInput, NotFound, PreconditionFailed
from shared.models import iso, utcnow
from shared.ports import BlobStore
from shared.prompts.renderer import render
from shared.prompts.variables import market_states

DEFAULTS = {"analysis-en": "en", "analysis-ru": "ru"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_JSON = "application/json"


@dataclass(frozen=True)
class PromptVersion:
    name: str
    version: int
    system: str
    template: str
    language: str
    author: str
    created_at: str
    note: str = ""


@dataclass(frozen=True)
class Pointer:
    version: int
    previous: list[int]
    activated_by: str
    activated_at: str
    generation: int


def analysis_prompt(language: str) -> str:
    return f"analysis-{language}" if f"analysis-{language}" in DEFAULTS else "analysis-en"


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidInput(f"prompt name {name!r} must be lowercase letters, digits and -",
                           details={"field": "name"})
    return name


def default_version(name: str) -> PromptVersion:
    """The default template bundled with the package (version 1 of a fresh store)."""
    files = resources.files("shared.prompts") / "defaults"
    return PromptVersion(name=name, version=1, language=DEFAULTS[name], author="chartgenius",
                         system=(files / f"{name}.system.txt").read_text("utf-8").strip(),
                         template=(files / f"{name}.j2").read_text("utf-8"),
                         created_at="2025-01-01T00:00:00Z", note="default")


class PromptStore:
    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs
        self._seeded = False

    def _put(self, path: str, data: dict[str, Any], generation: int) -> int:
        body = json.dumps(data, ensure_ascii=False).encode()
        return self.blobs.put(path, body, _JSON, if_generation_match=generation)

    def seed_defaults(self) -> list[str]:
        """Version 1 of each default template, active, where the store has none. Idempotent."""
        seeded = []
        for name in DEFAULTS:
            try:
                self._put(f"prompts/{name}/1", vars(default_version(name)), 0)
                seeded.append(name)
            except PreconditionFailed:
                pass
            if self.pointer(name) is None:
                try:
                    self._write_pointer(name, 1, [], "chartgenius", 0)
                except PreconditionFailed:
                    pass
        self._seeded = True
        return seeded

    def ensure_defaults(self) -> None:
        """``seed_defaults`` once in this store's lifetime (defaults are never deleted)."""
        if not self._seeded:
            self.seed_defaults()

    def versions(self, name: str) -> list[int]:
        found = (p.rsplit("/", 1)[1] for p in self.blobs.list(f"prompts/{_check_name(name)}/"))
        return sorted(int(v) for v in found if v.isdigit())

    def names(self) -> list[str]:
        return sorted({p.split("/")[1] for p in self.blobs.list("prompts/") if p.count("/") == 2})

    def get(self, name: str, version: int) -> PromptVersion:
        blob = self.blobs.get(f"prompts/{_check_name(name)}/{version}")
        if blob is None:
            raise NotFound(f"prompt {name} has no version {version}")
        return PromptVersion(**json.loads(blob.data))

    def pointer(self, name: str) -> Pointer | None:
        blob = self.blobs.get(f"prompts/{_check_name(name)}/active")
        if blob is None:
            return None
        return Pointer(**json.loads(blob.data), generation=blob.generation)

    def active(self, name: str) -> PromptVersion:
        """The active version; a default prompt is seeded on first use."""
        pointer = self.pointer(name)
        if pointer is None and name in DEFAULTS:
            self.seed_defaults()
            pointer = self.pointer(name)
        if pointer is None:
            raise NotFound(f"prompt {name} has no active version")
        return self.get(name, pointer.version)

    def create(self, name: str, *, system: str, template: str, language: str, author: str,
               note: str = "") -> PromptVersion:
        """A new version (the next number). Not activated. A rival creating the same number
        first makes this raise ``PreconditionFailed``."""
        for state in market_states(language):  # refuses a template that cannot render
            render(template, state)  # within its limits in any of these markets
        number = max(self.versions(name), default=0) + 1
        version = PromptVersion(name=name, version=number, system=system, template=template,
                                language=language, author=author, created_at=iso(utcnow()),
                                note=note)
        self._put(f"prompts/{name}/{number}", vars(version), 0)
        return version

    def _write_pointer(self, name: str, version: int, previous: list[int], author: str,
                       generation: int) -> Pointer:
        data = {"version": version, "previous": previous, "activated_by": author,
                "activated_at": iso(utcnow())}
        new = self._put(f"prompts/{name}/active", data, generation)
        return Pointer(**data, generation=new)  # type: ignore[arg-type]

    def activate(self, name: str, version: int, *, author: str,
                 if_generation_match: int | None = None) -> Pointer:
        """Make ``version`` active. ``if_generation_match`` is the pointer generation the
        editor saw; without it the one read now is used (still safe against a racing write)."""
        self.get(name, version)
        current = self.pointer(name)
        generation = current.generation if current else 0
        if if_generation_match is not None and if_generation_match != generation:
            raise PreconditionFailed(f"prompt {name} changed since generation "
                                     f"{if_generation_match}", details={"generation": generation})
        previous = [*current.previous, current.version][-20:] if current else []
        return self._write_pointer(name, version, previous, author, generation)

    def rollback(self, name: str, *, author: str,
                 if_generation_match: int | None = None) -> Pointer:
        """Re-activate the version that was active before the current one."""
        current = self.pointer(name)
        if current is None or not current.previous:
            raise NotFound(f"prompt {name} has no earlier version to roll back to")
        generation = current.generation
        if if_generation_match is not None and if_generation_match != generation:
            raise PreconditionFailed(f"prompt {name} changed since generation "
                                     f"{if_generation_match}", details={"generation": generation})
        return self._write_pointer(name, current.previous[-1], current.previous[:-1], author,
                                   generation)
