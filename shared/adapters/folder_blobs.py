"""The embedded BlobStore: files in a folder, with generations like Cloud Storage's.

Each blob ``p`` is stored as ``p`` with a sidecar ``p.meta.json`` holding its generation and
content type. A process-wide lock plus ``flock`` make the precondition check and the write
one step, so two editors racing on the same generation cannot both win.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared.adapters.blob_paths import checked
from shared.errors import InvalidInput, PreconditionFailed
from shared.ports import Blob

_META = ".meta.json"


class FolderBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._last_generation = 0

    def _file(self, path: str) -> Path:
        pure = checked(path)
        if path.endswith(_META):  # the sidecar files are this store's own
            raise InvalidInput(f"bad blob path {path!r}")
        return self.root.joinpath(*pure.parts)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock, open(self.root / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _meta(self, file: Path) -> dict[str, object] | None:
        meta = file.with_name(file.name + _META)
        if not file.exists() or not meta.exists():
            return None
        return json.loads(meta.read_text())  # type: ignore[no-any-return]

    def _next_generation(self) -> int:
        generation = max(time.time_ns() // 1000, self._last_generation + 1)
        self._last_generation = generation
        return generation

    def put(
        self,
        path: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        *,
        if_generation_match: int | None = None,
    ) -> int:
        file = self._file(path)
        with self._locked():
            meta = self._meta(file)
            current = int(meta["generation"]) if meta else 0  # type: ignore[call-overload]
            if if_generation_match is not None and if_generation_match != current:
                raise PreconditionFailed(
                    f"{path} is at generation {current}, not {if_generation_match}",
                    details={"generation": current},
                )
            generation = self._next_generation()
            file.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(file, data)
            _atomic_write(
                file.with_name(file.name + _META),
                json.dumps({"generation": generation, "content_type": content_type}).encode(),
            )
            return generation

    def get(self, path: str) -> Blob | None:
        file = self._file(path)
        with self._locked():
            meta = self._meta(file)
            if meta is None:
                return None
            return Blob(
                data=file.read_bytes(),
                content_type=str(meta["content_type"]),
                generation=int(meta["generation"]),  # type: ignore[call-overload]
            )

    def delete(self, path: str) -> None:
        file = self._file(path)
        with self._locked():
            file.with_name(file.name + _META).unlink(missing_ok=True)
            file.unlink(missing_ok=True)

    def list(self, prefix: str) -> list[str]:
        found = []
        for file in self.root.rglob("*"):
            rel = file.relative_to(self.root).as_posix()
            if file.is_file() and not rel.endswith(_META) and rel != ".lock":
                if rel.startswith(prefix) and file.with_name(file.name + _META).exists():
                    found.append(rel)
        return sorted(found)


def _atomic_write(file: Path, data: bytes) -> None:
    tmp = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, file)
