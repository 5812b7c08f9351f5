"""The scheduling files in hosting/, checked by the programs that read them.

systemd's own ``systemd-analyze verify`` loads the service and the timer (with the install
folder moved to a temporary one, since it checks that the command exists), Debian's cron
checks the crontab (``crontab -n``: a dry run that installs nothing), and the command both
run is handed to invoke, which refuses unknown tasks and options.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

HOSTING = ROOT / "hosting"
INSTALLED = "/srv/uchastvai"


def require(binary: str) -> str:
    found = shutil.which(binary)
    if not found:
        pytest.fail(f"{binary} is missing: ./dev.sh test installs it (systemd, cron)")
    return found


def unit_value(text: str, key: str) -> str:
    [value] = re.findall(rf"^{key}=(.*)$", text, flags=re.MULTILINE)
    return value


def test_systemd_accepts_the_service_and_the_timer(tmp_path: Path) -> None:
    analyze = require("systemd-analyze")
    install = tmp_path / "srv"
    (install / ".venv" / "bin").mkdir(parents=True)
    (install / ".venv" / "bin" / "invoke").symlink_to(ROOT / ".venv" / "bin" / "invoke")
    units = tmp_path / "units"
    units.mkdir()
    for name in ("uchastvai-rebuild.service", "uchastvai-rebuild.timer"):
        text = (HOSTING / name).read_text(encoding="utf-8")
        (units / name).write_text(text.replace(INSTALLED, str(install)), encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", "--man=no", "uchastvai-rebuild.timer", "uchastvai-rebuild.service"],
        cwd=units,
        capture_output=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""  # unknown keys are only warned about: none allowed
    timer = (HOSTING / "uchastvai-rebuild.timer").read_text(encoding="utf-8")
    calendar = subprocess.run(
        [analyze, "calendar", unit_value(timer, "OnCalendar")], capture_output=True, encoding="utf-8", check=False
    )
    assert calendar.returncode == 0, calendar.stderr
    assert "00:05:00 Europe/Sofia" in calendar.stdout


def run_with_help(command: str) -> subprocess.CompletedProcess[str]:
    """Run an installed ``…/.venv/bin/invoke <task> <options>`` from this checkout, asking only for help."""
    program, *args = shlex.split(command)
    assert program.endswith("/.venv/bin/invoke"), command
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "invoke"), *args, "--help"],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )


def test_the_service_runs_the_nightly_task_with_the_pull() -> None:
    service = (HOSTING / "uchastvai-rebuild.service").read_text(encoding="utf-8")
    command = unit_value(service, "ExecStart")
    assert shlex.split(command)[1:] == ["nightly", "--pull"]
    result = run_with_help(command)
    assert result.returncode == 0, result.stderr
    assert "--pull" in result.stdout


def test_cron_accepts_the_crontab_and_its_command_is_the_nightly_task() -> None:
    crontab = require("crontab")
    checked = subprocess.run(
        [crontab, "-n", str(HOSTING / "crontab.example")], capture_output=True, encoding="utf-8", check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert "successfully checked" in checked.stdout + checked.stderr
    [command] = re.findall(r"\.venv/bin/invoke [^;']*", (HOSTING / "crontab.example").read_text(encoding="utf-8"))
    result = run_with_help(f"{INSTALLED}/{command}")
    assert result.returncode == 0, result.stderr
    assert shlex.split(command)[1:] == ["nightly", "--pull"]


def test_cron_refuses_a_broken_crontab(tmp_path: Path) -> None:
    """The checker is real: a bad minute field is refused."""
    broken = tmp_path / "crontab"
    broken.write_text(
        (HOSTING / "crontab.example").read_text(encoding="utf-8").replace("\n5 0 ", "\n65 0 "), encoding="utf-8"
    )
    checked = subprocess.run(
        [require("crontab"), "-n", str(broken)], capture_output=True, encoding="utf-8", check=False
    )
    assert checked.returncode != 0
