"""Stopping a server we started: asked first, killed when it does not listen."""

from __future__ import annotations

import signal
import subprocess
import sys

from uchastvai.core.processes import stop_gently

IGNORES_SIGTERM = "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"


def test_a_server_that_ends_when_asked_is_not_killed() -> None:
    process = subprocess.Popen(["sleep", "60"])
    stop_gently(process)
    assert process.returncode == -signal.SIGTERM


def test_a_server_that_ignores_the_request_is_killed_and_reaped() -> None:
    process = subprocess.Popen([sys.executable, "-c", IGNORES_SIGTERM], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    stop_gently(process, seconds=0.5)
    assert process.returncode == -signal.SIGKILL
    process.stdout.close()
