"""Local temporary folders of a deploy, removed on every exit path.

A ``with`` block removes its folder on success, on errors and on Ctrl+C or SIGTERM (the command
line turns SIGTERM into KeyboardInterrupt). A SIGKILL or a power cut leaves no chance to clean
up, so every folder carries the deploy's process id in its name, and the next deploy on this
computer removes the folders of processes that no longer run.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from uchastvai.core.processes import pid_alive

PREFIX = "uchastvai-deploy-"
NAME = re.compile(re.escape(PREFIX) + r"(\d+)-")


def make(kind: str) -> Path:
    """A new private folder named after this process, after clearing dead deploys' leftovers."""
    sweep()
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{kind}-"))


@contextmanager
def folder(kind: str) -> Iterator[Path]:
    """A temporary folder for the ``with`` block."""
    path = make(kind)
    try:
        yield path
    finally:
        remove(path)


def remove(path: Path, attempts: int = 20) -> None:
    """Remove ``path`` even while a child killed by the same signal still finishes a write in it."""
    for _ in range(attempts):
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            return
        time.sleep(0.1)


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the folders of deploys that were killed; returns what was removed."""
    base = root or Path(tempfile.gettempdir())
    removed = []
    for path in base.glob(PREFIX + "*"):
        match = NAME.match(path.name)
        if match and path.is_dir() and not pid_alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
