"""Compile each Jinja template once, not once per generator and build.

Pelican gives every generator its own Jinja environment, and each compiles the templates
it uses (``base.html`` and ``_macros.html`` a dozen times a build); compiling was about a
tenth of a cold 1 000-item build and half of a preview rebuild of the sample site. A
bytecode cache shared by those environments keeps each compiled template, in memory for
the process (the preview rebuilds in-process) and in ``CACHE_PATH`` for the next build.

A compiled template depends on its source and on the environment's syntax settings and
extensions; the key holds the source's checksum (Jinja's) and a fingerprint of those
settings, and Jinja's own header holds the Python version, so a changed template, theme
setting or interpreter never meets stale bytecode.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from uchastvai.core.written import replace_atomically

_SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "autoescape",
    "is_async",
)


def environment_fingerprint(environment: Environment) -> str:
    """What besides the source decides the compiled code: syntax, extensions, filters and tests."""
    parts = [repr(getattr(environment, name, None)) for name in _SYNTAX]
    parts += sorted(environment.extensions)
    parts += [*sorted(environment.filters), "|", *sorted(environment.tests)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates in memory, and in ``folder`` when one is given."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.memory: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = self.get_cache_key(f"{environment_fingerprint(environment)}:{name}", filename)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def _path(self, key: str) -> Path | None:
        return self.folder / f"{key}.jinja" if self.folder else None

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.memory.get(bucket.key)
        path = self._path(bucket.key)
        if data is None and path is not None and path.is_file():
            data = path.read_bytes()
        if data is not None:
            bucket.bytecode_from_string(data)  # ignores data of another Python or source checksum

    def dump_bytecode(self, bucket: Bucket) -> None:
        data = bucket.bytecode_to_string()
        self.memory[bucket.key] = data
        path = self._path(bucket.key)
        if path is None:
            return
        replace_atomically(path, data)  # readers never see half a file


_caches: dict[str, SharedBytecodeCache] = {}


def bytecode_cache(settings: dict[str, Any]) -> SharedBytecodeCache:
    """The process's cache for this build's ``CACHE_PATH`` (memory only without a cache folder)."""
    using_cache = settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")
    folder = Path(settings["CACHE_PATH"], "templates") if using_cache and settings.get("CACHE_PATH") else None
    key = str(folder)
    if key not in _caches:
        _caches[key] = SharedBytecodeCache(folder)
    return _caches[key]
