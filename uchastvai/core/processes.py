"""Whether a process still runs: the test that tells a killed build's or deploy's leftovers
(staging folders, scratch copies, locks) from those of one that is still working."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists on this machine (also when it belongs to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
