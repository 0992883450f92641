"""The blob path rule every BlobStore adapter enforces (the contract tests check it)."""

from __future__ import annotations

from pathlib import PurePosixPath

from shared.errors import InvalidInput


def checked(path: str) -> PurePosixPath:
    """The path as parts; empty, absolute and ``..`` paths are refused."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts:
        raise InvalidInput(f"bad blob path {path!r}")
    return pure
