"""`invoke publish` and `invoke rollback`: the documented commands, end to end.

The sample site is checked strictly, built with the publishing settings and deployed to
a real sshd and a real FTP server on 127.0.0.1; a site that fails the check is never
deployed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import BUILD_TIME, ROOT
from tests.deploy.conftest import FtpServer, Sshd, cli_env

BROKEN = ROOT / "tests" / "broken" / "consultations" / "period-of-13-days.md"


def invoke(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The task as an editor runs it; each test builds into its own folder and cache."""
    env = {**env, "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp())), "UCHASTVAI_SLIDE_IMAGES": "0"}
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_publish_and_rollback_over_ssh(sshd: Sshd, tmp_path: Path) -> None:
    env = cli_env(sshd.target(tmp_path / "site"), SITEURL="https://uchastvai.example")
    first = invoke("publish", "--output", str(tmp_path / "build"), env=env)
    assert first.returncode == 0, first.stderr
    live = tmp_path / "site" / "current"
    assert "https://uchastvai.example/" in (live / "index.html").read_text(encoding="utf-8")
    first_release = live.resolve().name
    second = invoke("publish", "--output", str(tmp_path / "build"), env=env)
    assert second.returncode == 0, second.stderr
    assert live.resolve().name != first_release
    back = invoke("rollback", env=env)
    assert back.returncode == 0, back.stderr
    assert live.resolve().name == first_release


def test_publish_over_ftp(ftp: FtpServer, tmp_path: Path) -> None:
    result = invoke("publish", "--output", str(tmp_path / "build"), env=cli_env(ftp.target()))
    assert result.returncode == 0, result.stderr
    assert "Участвай" in ftp.served("index.html")


def test_a_site_that_fails_the_check_is_never_deployed(sshd: Sshd, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copy(BROKEN, content / "consultations" / BROKEN.name)
    result = invoke(
        "publish",
        "--content",
        str(content),
        "--output",
        str(tmp_path / "build"),
        env=cli_env(sshd.target(tmp_path / "site")),
    )
    assert result.returncode == 2
    assert "срокът за предложения е 13 дни" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
