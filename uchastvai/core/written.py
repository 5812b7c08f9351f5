"""Output files written without Pelican's ``Writer`` still announce themselves.

The ``Writer`` sends ``content_written`` for every page it renders; other plugins (sitemaps,
minifiers, compressors) learn of output files only that way. Every file our generators write
themselves goes through :func:`write_output` (or :func:`announce` when a library writes it).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from pelican import signals


def announce(path: Path, context: dict[str, Any]) -> None:
    """Send ``content_written`` for ``path`` as the ``Writer`` does (sender is the path as text)."""
    signals.content_written.send(str(path), context=context)


def write_output(path: Path, data: bytes | str, context: dict[str, Any]) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` in the output, creating folders, and announce it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    announce(path, context)
    return path


def replace_atomically(path: Path, data: bytes | str) -> None:
    """Write ``path`` so that readers (and the next build, after a kill or a power cut) see the
    old file or the whole new one, never half of it: a cache entry cut short would be reused
    for ever."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
