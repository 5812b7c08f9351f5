"""``rsync-inplace``: for hosts that forbid symlinks, rsync straight into the document root.

Nearly atomic (new files appear together at the end, deletions after that), never a rollback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.conftest import Sshd, page
from uchastvai.deploy import DeployError, Problem, deploy, rollback
from uchastvai.deploy.lock import LOCK_NAME


def files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def test_deploy_and_redeploy_delete_removed_files_but_keep_the_hosts_own(sshd: Sshd, tmp_path: Path, builds) -> None:
    docroot = tmp_path / "public_html"
    (docroot / "cgi-bin").mkdir(parents=True)
    (docroot / "cgi-bin/host-script.pl").write_text("# the hosting company's\n")
    target = sshd.target(docroot, method="rsync-inplace", exclude=("/cgi-bin/",))

    deploy(builds("v1", {"news/old.html": page("v1", "news/old.html")}), target)
    assert (docroot / "news/old.html").exists()

    deploy(builds("v2"), target)

    assert (docroot / "index.html").read_text(encoding="utf-8") == page("v2", "index.html")
    assert not (docroot / "news/old.html").exists(), "files gone from the build are deleted"
    assert (docroot / "cgi-bin/host-script.pl").exists(), "DEPLOY_EXCLUDE protects the host's files"
    assert not (docroot / LOCK_NAME).exists()
    assert not any(".~tmp~" in name for name in files(docroot)), "no --delay-updates leftovers"


def test_rollback_is_refused_with_a_reason(sshd: Sshd, tmp_path: Path) -> None:
    with pytest.raises(DeployError) as error:
        rollback(sshd.target(tmp_path / "public_html", method="rsync-inplace"))

    assert error.value.problem is Problem.NOT_SUPPORTED
    assert "не пази издания" in str(error.value)
