"""Publishing over SSH into release folders with an atomic ``current`` link (GUIDE §8).

The server is a real sshd on 127.0.0.1; the "web server" reads ``<root>/current/...``.
"""

from __future__ import annotations

import http.server
import os
import signal
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

import pytest

from tests.deploy.conftest import (
    PAGES,
    Sshd,
    cli,
    cli_background,
    cli_env,
    output_of,
    page,
    version_of,
    wait_until,
)
from uchastvai.deploy import DeployError, Problem, deploy, rollback, status
from uchastvai.deploy import ssh as ssh_module
from uchastvai.deploy.lock import LOCK_NAME


def live(root: Path, name: str = "index.html") -> str:
    return (root / "current" / name).read_text(encoding="utf-8")


def release_folders(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "releases").iterdir())


def test_first_deploy_publishes_the_build_behind_the_current_link(sshd: Sshd, tmp_path: Path, builds) -> None:
    root = tmp_path / "site"
    lines: list[str] = []

    release = deploy(builds("v1"), sshd.target(root), progress=lines.append)

    assert os.readlink(root / "current") == f"releases/{release}"
    assert live(root) == page("v1", "index.html")
    assert (root / "current/.well-known/security.txt").exists(), "dot folders are published too"
    assert release_folders(root) == [release]
    assert not (root / LOCK_NAME).exists(), "the lock is released after a deploy"
    assert f"Качване… {len(PAGES) + 2}/{len(PAGES) + 2} файла" in lines
    assert f"Изданието {release} е публикувано." in lines


def test_redeploy_switches_to_the_new_release_and_reuses_unchanged_files(sshd: Sshd, tmp_path: Path, builds) -> None:
    root, target = tmp_path / "site", sshd.target(tmp_path / "site")
    first = deploy(builds("v1"), target)
    second = deploy(builds("v2"), target)

    assert second > first, "release ids sort by time"
    assert live(root) == page("v2", "index.html")
    assert status(target).current == second
    unchanged = ".well-known/security.txt"
    first_inode = (root / "releases" / first / unchanged).stat().st_ino
    assert (root / "releases" / second / unchanged).stat().st_ino == first_inode, "rsync --link-dest hard-links"


def test_rollback_serves_the_previous_release_again(sshd: Sshd, tmp_path: Path, builds) -> None:
    root, target = tmp_path / "site", sshd.target(tmp_path / "site")
    first = deploy(builds("v1"), target)
    deploy(builds("v2"), target)

    assert rollback(target) == first
    assert live(root, "news/1.html") == page("v1", "news/1.html")
    assert release_folders(root) == [first], "the abandoned release is dropped"
    with pytest.raises(DeployError) as error:
        rollback(target)
    assert error.value.problem is Problem.NO_PREVIOUS
    assert str(error.value) == "Няма по-ранно издание, към което да се върне сайтът."


def test_only_the_last_n_releases_are_kept(sshd: Sshd, tmp_path: Path, builds) -> None:
    root, target = tmp_path / "site", sshd.target(tmp_path / "site")
    releases = [deploy(builds(f"v{n}"), target, keep_releases=3) for n in range(1, 6)]

    assert release_folders(root) == releases[-3:]
    assert live(root) == page("v5", "index.html")


def test_after_rollback_and_a_new_deploy_rollback_returns_to_the_good_release(
    sshd: Sshd, tmp_path: Path, builds
) -> None:
    target = sshd.target(tmp_path / "site")
    good = deploy(builds("v1"), target, keep_releases=2)
    deploy(builds("v2-broken"), target, keep_releases=2)
    rollback(target)
    newest = deploy(builds("v3"), target, keep_releases=2)

    assert status(target).releases == [good, newest]
    assert rollback(target) == good


def test_a_corrupted_upload_is_not_switched_live(sshd: Sshd, tmp_path: Path, builds, monkeypatch) -> None:
    root, target = tmp_path / "site", sshd.target(tmp_path / "site")
    deploy(builds("v1"), target)
    real_rsync = ssh_module.SshRemote.rsync

    def rsync_then_damage(self, args, *rest, **kwargs):
        lines = real_rsync(self, args, *rest, **kwargs)
        for upload in (root / "releases").glob("*.partial"):
            (upload / "news/2.html").write_text("damaged on the way")
        return lines

    monkeypatch.setattr(ssh_module.SshRemote, "rsync", rsync_then_damage)
    with pytest.raises(DeployError) as error:
        deploy(builds("v2"), target)

    assert error.value.problem is Problem.VERIFY
    assert "news/2.html" in str(error.value) and "Работещият сайт не е променен" in str(error.value)
    assert live(root) == page("v1", "index.html")


def test_a_second_deploy_waits_its_turn_and_a_polite_kill_releases_the_lock(sshd: Sshd, tmp_path: Path, builds) -> None:
    root, target = tmp_path / "site", sshd.target(tmp_path / "site")
    deploy(builds("v1"), target)
    slow = cli_background(
        "deploy",
        str(large_build(builds)),
        env=cli_env(target, DEPLOY_RSYNC_ARGS="--bwlimit=300"),
    )
    try:
        wait_until(
            lambda: any((root / "releases").glob("*.partial/*")),
            20,
            "the slow upload to start",
        )
        with pytest.raises(DeployError) as error:
            deploy(builds("v3"), target)
        assert error.value.problem is Problem.LOCK_HELD
        assert "В момента тече друго публикуване" in str(error.value)
        assert f"PID {slow.pid}" in str(error.value)
    finally:
        slow.send_signal(signal.SIGTERM)
        slow.wait(timeout=20)
        _, stderr = output_of(slow)

    assert slow.returncode == 130 and "Прекъснато" in stderr and "Traceback" not in stderr
    assert not (root / LOCK_NAME).exists(), "SIGTERM unwinds and unlocks"
    assert live(root) == page("v1", "index.html")


def test_a_deploy_killed_during_upload_leaves_the_live_site_as_it_was(sshd: Sshd, tmp_path: Path, builds) -> None:
    root, target = tmp_path / "site", sshd.target(tmp_path / "site")
    before = deploy(builds("v1"), target)
    victim = cli_background(
        "deploy",
        str(large_build(builds)),
        env=cli_env(target, DEPLOY_RSYNC_ARGS="--bwlimit=300"),
    )
    wait_until(lambda: any((root / "releases").glob("*.partial/*")), 20, "the upload to start")
    os.killpg(victim.pid, signal.SIGKILL)  # a power cut: deploy, rsync and ssh die at once
    victim.wait(timeout=10)

    assert os.readlink(root / "current") == f"releases/{before}"
    assert live(root) == page("v1", "index.html")
    assert (root / LOCK_NAME).exists(), "nobody was left to unlock"

    after = deploy(builds("v3"), target)  # the dead owner's lock is taken over

    assert live(root) == page("v3", "index.html")
    assert release_folders(root) == [before, after], "the partial upload was cleaned away"


def test_readers_see_only_complete_pages_of_deployed_versions_during_deploys(
    sshd: Sshd, tmp_path: Path, builds
) -> None:
    """Every fetched page is complete and from a deployed build, and versions never go back.

    A page can come from the build before or after a switch, but a reader never gets a 404, a
    truncated page, or an old page after having seen a newer one (what an in-place upload does).
    """
    root, target = tmp_path / "site", sshd.target(tmp_path / "site")
    versions = [f"v{n}" for n in range(1, 7)]
    deploy(builds(versions[0]), target, keep_releases=2)
    handler = partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen: list[tuple[str, str | None, int]] = []
    done = threading.Event()

    def read_pages() -> None:
        deadline = time.monotonic() + 60
        while not done.is_set() and time.monotonic() < deadline:
            for name in PAGES:
                seen.append(fetch(f"http://127.0.0.1:{server.server_port}/current/{name}", name))

    reader = threading.Thread(target=read_pages)
    reader.start()
    try:
        for version in versions[1:]:
            deploy(builds(version), target, keep_releases=2)
    finally:
        done.set()
        reader.join(timeout=30)
        server.shutdown()
        server.server_close()

    assert len(seen) > 100, "the reader ran throughout the deploys"
    assert all(status == 200 for _, _, status in seen), "no 404 or error during a switch"
    assert all(version in versions for _, version, _ in seen), "every page complete and from a real build"
    order = [versions.index(version) for _, version, _ in seen]
    assert order == sorted(order), "no page of an older build after a newer one"
    assert {versions[0], versions[-1]} <= {version for _, version, _ in seen}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def fetch(url: str, name: str) -> tuple[str, str | None, int]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return name, version_of(response.read().decode()), response.status
    except urllib.error.HTTPError as error:
        return name, None, error.code


def large_build(builds) -> Path:
    """About 3 MB of incompressible files: slow enough with --bwlimit to interrupt midway."""
    return builds("v2", {f"media/photo-{n:03}.jpg": os.urandom(40_000) for n in range(80)})


def test_the_current_link_must_not_be_a_real_folder(sshd: Sshd, tmp_path: Path, builds) -> None:
    root = tmp_path / "site"
    (root / "current").mkdir(parents=True)
    (root / "current/index.html").write_text("the old hand-made site")

    with pytest.raises(DeployError) as error:
        deploy(builds("v1"), sshd.target(root))

    assert error.value.problem is Problem.NOT_SYMLINK
    assert (root / "current/index.html").read_text(encoding="utf-8") == "the old hand-made site"


def test_a_missing_build_is_refused_before_connecting(sshd: Sshd, tmp_path: Path) -> None:
    result = cli("deploy", str(tmp_path / "output"), env=cli_env(sshd.target(tmp_path / "site")))

    assert result.returncode == 1
    assert "липсва или е непълен (няма index.html)" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_wrong_key_gets_a_bulgarian_login_message(sshd: Sshd, tmp_path: Path, builds) -> None:
    target = sshd.target(tmp_path / "site", key=sshd.stranger_key)

    result = cli("deploy", str(builds("v1")), env=cli_env(target))

    assert result.returncode == 1
    assert result.stderr.strip() == "Сървърът 127.0.0.1 отказа влизането: грешен потребител, ключ или парола."


def test_an_unreachable_host_gets_a_bulgarian_message(sshd: Sshd, tmp_path: Path, builds) -> None:
    closed_port = free_closed_port()
    target = sshd.target(tmp_path / "site", port=closed_port)

    result = cli("deploy", str(builds("v1")), env=cli_env(target))

    assert result.returncode == 1
    assert "Сървърът 127.0.0.1 е недостъпен" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_host_key_is_not_trusted_blindly(sshd: Sshd, tmp_path: Path, builds) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("")

    with pytest.raises(DeployError) as error:
        deploy(builds("v1"), sshd.target(tmp_path / "site", known_hosts=empty))

    assert error.value.problem is Problem.HOST_KEY


def free_closed_port() -> int:
    from tests.deploy.conftest import free_port

    return free_port()
