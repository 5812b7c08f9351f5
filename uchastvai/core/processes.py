"""Processes of others: whether one still runs (the test that tells a killed build's or
deploy's leftovers, such as staging folders, scratch copies and locks, from those of one that
is still working), and stopping a server we started."""

from __future__ import annotations

import os
import subprocess
from typing import Any


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists on this machine (also when it belongs to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_gently(process: subprocess.Popen[Any], seconds: float = 10) -> None:
    """Ask ``process`` to end (SIGTERM, so a server can close its files), kill it when it has
    not ended within ``seconds``, and reap it either way."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
