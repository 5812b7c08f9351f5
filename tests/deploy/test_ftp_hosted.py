"""FTP and FTPS deploys to Pure-FTPd, then requests through Apache, as on a shared host.

And the leftovers of interrupted deploys: locks without an owner, temporary copies of the site,
unfinished uploads, and the TLS 1.3 truncation of lftp uploads.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from pyftpdlib.filesystems import AbstractedFS

from tests.deploy.conftest import FtpServer, Hosted, cli, cli_background, cli_env, page, wait_until
from tests.hosting.test_served import fetch
from uchastvai import hosting
from uchastvai.deploy import DeployError, Problem, deploy, rollback, status
from uchastvai.deploy.lock import LOCK_NAME
from uchastvai.deploy.scratch import PREFIX

BIG = 300_000  # over the 112 KiB where FTPS uploads used to be cut


def site(builds, version: str, big: bytes) -> Path:
    """A build with the site's real .htaccess, its own 404 page and a large file."""
    return builds(
        version,
        {".htaccess": hosting.htaccess(), "404.html": f"not found {version}\n", "media/big.bin": big},
    )


@pytest.mark.parametrize("method", ["ftp", "ftps"])
def test_a_deploy_to_pure_ftpd_is_served_by_apache(hosted: Hosted, builds, method: str) -> None:
    target = hosted.target(method=method, exclude=("/google0123.html",))
    hosted.host_file(".well-known/acme-challenge/token", "acme\n")
    hosted.host_file("google0123.html", "google-site-verification\n")
    big = os.urandom(BIG)
    first = deploy(site(builds, "v1", big), target)

    code, headers, body = fetch(hosted.base, "/about/")
    assert (code, body.decode()) == (200, page("v1", "about/index.html"))
    assert headers["Content-Security-Policy"] == hosting.SITE_CSP
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert fetch(hosted.base, "/media/big.bin")[2] == big  # whole, over FTPS too
    code, headers, _ = fetch(hosted.base, "/consultations/2026-014")
    assert (code, headers["Location"]) == (301, f"{hosted.base}/consultations/2026-014/")
    assert fetch(hosted.base, "/.well-known/acme-challenge/token")[2] == b"acme\n"
    assert fetch(hosted.base, "/google0123.html")[2] == b"google-site-verification\n"
    for hidden in ("/releases/", f"/releases/{first}/index.html", "/no-such-page"):
        code, _, body = fetch(hosted.base, hidden)
        assert (code, body) == (404, b"not found v1\n"), hidden

    deploy(site(builds, "v2", big), target)
    assert fetch(hosted.base, "/news/1.html")[2].decode() == page("v2", "news/1.html")
    if method == "ftp":  # rollback is the same over FTPS: one run of it is enough
        assert rollback(target) == first
        assert fetch(hosted.base, "/news/1.html")[2].decode() == page("v1", "news/1.html")


def test_ftps_uploads_whole_files_to_a_slow_tls_server(ftp_factory, builds) -> None:
    """lftp over TLS 1.3 cut every file over 112 KiB to 114 688 bytes on this server, exit 0."""
    slow = ftp_factory(tls=True, read_limit=200_000)
    files = {f"media/big-{n}.bin": os.urandom(BIG + n) for n in range(3)}
    release = deploy(builds("v1", files), slow.target(method="ftps", verify_certificate=False))

    for name, data in files.items():
        assert (slow.root / "releases" / release / name).read_bytes() == data


def owner_less_lock(root: Path, age: float) -> None:
    """The lock folder of a deploy killed between ``mkdir`` and writing its owner file."""
    lock = root / LOCK_NAME
    lock.mkdir(parents=True)
    stamp = time.time() - age
    os.utime(lock, (stamp, stamp))


def test_a_lock_without_owner_expires_like_any_stale_lock(ftp: FtpServer, builds) -> None:
    target = ftp.target(lock_stale_after=600)
    owner_less_lock(ftp.root, age=60)
    with pytest.raises(DeployError) as error:
        deploy(builds("v1"), target)
    assert error.value.problem is Problem.LOCK_HELD

    os.utime(ftp.root / LOCK_NAME, (time.time() - 3600, time.time() - 3600))
    release = deploy(builds("v1"), target)

    assert ftp.live_release() == release and not (ftp.root / LOCK_NAME).exists()


def test_an_ssh_lock_without_owner_expires_too(sshd, tmp_path: Path, builds) -> None:
    root = tmp_path / "srv"
    target = sshd.target(root, lock_stale_after=600)
    owner_less_lock(root, age=60)
    with pytest.raises(DeployError):
        deploy(builds("v1"), target)
    os.utime(root / LOCK_NAME, (time.time() - 3600, time.time() - 3600))

    assert deploy(builds("v1"), target) in os.readlink(root / "current")


class SlowDownloadFS(AbstractedFS):
    """Serves the uploaded media files back only after a pause, so the deploy is surely in its
    verification (its local copy under way) when the test kills it, whatever the machine's speed."""

    def open(self, filename: str, mode: str) -> Any:
        if "r" in mode and "/media/" in filename:
            time.sleep(1)
        return super().open(filename, mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob(PREFIX + "*"))


@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_killed_verification_leaves_no_copy_of_the_site(ftp_factory, builds, tmp_path: Path, kill) -> None:
    """SIGTERM cleans up at once; after SIGKILL the next deploy removes the dead one's copy."""
    slow = ftp_factory(fs=SlowDownloadFS)  # the verification waits on the server until the test has killed it
    target = slow.target()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = cli_env(target, TMPDIR=str(scratch))
    build = builds("v1", {f"media/photo-{n:02}.jpg": os.urandom(40_000) for n in range(20)})
    victim = cli_background("deploy", str(build), env=env)
    wait_until(lambda: any(path.is_dir() for path in scratch.glob(PREFIX + "*-verify-*/media")), 30, "the check")
    os.killpg(victim.pid, kill)
    victim.wait(timeout=15)

    if kill == signal.SIGTERM:
        assert victim.returncode == 130 and leftovers(scratch) == []
    else:
        assert any("-verify-" in name for name in leftovers(scratch))
        assert cli("deploy", str(build), env=env).returncode == 0
        assert leftovers(scratch) == []


def test_status_reports_a_leftover_lock_and_an_unfinished_upload(ftp: FtpServer, builds) -> None:
    target = ftp.target()
    deploy(builds("v1"), target)
    (ftp.root / "releases" / "20990101T000000Z-0000abcd.partial").mkdir()
    (ftp.root / LOCK_NAME).mkdir()
    owner = {"host": "build-server", "pid": 4242, "user": "ci", "started": time.time(), "token": "t"}
    (ftp.root / LOCK_NAME / "owner").write_text(json.dumps(owner), encoding="utf-8")

    state = status(target)
    shown = cli("status", env=cli_env(target))

    assert state.partial == ["20990101T000000Z-0000abcd.partial"] and "ci@build-server" in (state.lock or "")
    assert "Сървърът е заключен от публикуване: ci@build-server, PID 4242" in shown.stdout
    assert "Недовършено качване от прекъснато публикуване" in shown.stdout
    assert "20990101T000000Z-0000abcd.partial" in shown.stdout


def test_ssh_status_reports_a_leftover_lock_and_an_unfinished_upload(sshd, tmp_path: Path, builds) -> None:
    root = tmp_path / "srv"
    target = sshd.target(root)
    deploy(builds("v1"), target)
    (root / "releases" / "20990101T000000Z-0000abcd.partial").mkdir()
    owner_less_lock(root, age=120)

    state = status(target)

    assert state.partial == ["20990101T000000Z-0000abcd.partial"]
    assert state.lock == "? (2 min)"
