"""A cached property that builds its value once per instance, even when threads ask together.

``functools.cached_property`` lost its lock in Python 3.12, the functions' runtime: two
request threads that ask a fresh instance for the same port at the same moment each build
one (two Firestore clients, two Pub/Sub publishers, or two SQLite stores racing to create
one file). ``built_once`` takes a per-instance re-entrant lock, so a port whose builder asks
for another port (the market sources need the store and the secrets) does not deadlock, and
reads the cached value without the lock once it exists.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")
_LOCK = "_built_once_lock"


class built_once(Generic[T]):  # noqa: N801 - used as a decorator, like cached_property
    def __init__(self, build: Callable[[Any], T]) -> None:
        self.build = build
        self.name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> built_once[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | built_once[T]:
        if instance is None:
            return self
        cache = instance.__dict__
        if self.name in cache:  # built (or overridden) already: no lock
            return cache[self.name]  # type: ignore[no-any-return]
        lock = cache.setdefault(_LOCK, threading.RLock())  # setdefault is atomic
        with lock:
            if self.name not in cache:
                cache[self.name] = self.build(instance)
            return cache[self.name]  # type: ignore[no-any-return]
