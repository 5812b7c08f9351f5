"""Memoisation that lasts one build, never longer.

The preview (``invoke livereload``) builds many times in one process: a cache kept for
the life of the process would serve a translation or a photo's size from before the
editor saved. Functions decorated with :func:`per_build` are cached like
:func:`functools.cache` and emptied when a build starts (Pelican's ``initialized``
signal, connected in :mod:`uchastvai.plugin`), so every build reads what is on disk.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

R = TypeVar("R")

_CACHES: list[functools._lru_cache_wrapper[Any]] = []


def per_build(func: Callable[..., R]) -> functools._lru_cache_wrapper[R]:
    """Cache ``func`` until the next build starts."""
    cached = functools.cache(func)
    _CACHES.append(cached)
    return cached


def clear(*_sender: object) -> None:
    """Forget everything cached by earlier builds (a signal receiver: any sender)."""
    for cached in _CACHES:
        cached.cache_clear()
