"""The local data folder and the files in it are the user's alone: the folder is 0700 and a
secret-bearing file is created 0600 from its first byte (``os.open`` with the mode), never
written world-readable and narrowed afterwards."""

from __future__ import annotations

import os
from pathlib import Path


def private_dir(path: Path) -> Path:
    """``path`` (and missing parents) as a folder only its owner can enter."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)  # a folder made before, by an older version or by hand
    return path


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``; the file never exists with a wider mode than 0600."""
    private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # O_CREAT's mode does not apply to a leftover file
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            descriptor = -1
            file.write(text)
    finally:
        if descriptor != -1:
            os.close(descriptor)
    os.replace(temporary, path)
