"""Publishing to FTP-only hosting: release folders switched by one renamed .htaccess (GUIDE §8).

The server is pyftpdlib on 127.0.0.1; ``FtpServer.served`` answers like Apache would, by
following the root .htaccess to the release folder it names.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.deploy.conftest import (
    FtpServer,
    FullDiskFS,
    cli,
    cli_background,
    cli_env,
    page,
    wait_until,
)
from uchastvai.deploy import (
    DeployError,
    DeployTarget,
    Problem,
    deploy,
    rollback,
    status,
)
from uchastvai.deploy import ftp as ftp_module
from uchastvai.deploy.lock import LOCK_NAME


def test_deploy_uploads_a_release_folder_and_points_the_htaccess_at_it(ftp: FtpServer, builds) -> None:
    lines: list[str] = []

    release = deploy(builds("v1"), ftp.target(), progress=lines.append)

    assert ftp.live_release() == release
    assert ftp.served("index.html") == page("v1", "index.html")
    assert ftp.served(".well-known/security.txt").startswith("Contact:")
    assert sorted(path.name for path in (ftp.root / "releases").iterdir()) == [release]
    assert not (ftp.root / LOCK_NAME).exists()
    assert "Проверка на 7 файла на сървъра…" in lines


def test_redeploy_and_rollback(ftp: FtpServer, builds) -> None:
    target = ftp.target()
    first = deploy(builds("v1"), target)
    second = deploy(builds("v2"), target)
    assert ftp.served("news/1.html") == page("v2", "news/1.html")
    assert status(target).current == second

    assert rollback(target) == first
    assert ftp.served("news/1.html") == page("v1", "news/1.html")
    assert status(target).releases == [first]


def test_old_releases_are_pruned_and_the_hosts_own_htaccess_lines_are_kept(ftp: FtpServer, builds) -> None:
    ftp.root.mkdir()
    (ftp.root / ".htaccess").write_text("# php -- BEGIN cPanel-generated handler\nAddHandler php81 .php\n")
    target = ftp.target()
    releases = [deploy(builds(f"v{n}"), target, keep_releases=2) for n in range(1, 4)]

    assert status(target).releases == releases[-2:]
    assert "AddHandler php81 .php" in (ftp.root / ".htaccess").read_text(encoding="utf-8")
    assert ftp.served("index.html") == page("v3", "index.html")


def test_a_corrupted_upload_is_not_switched_live(ftp: FtpServer, builds, monkeypatch) -> None:
    target = ftp.target()
    first = deploy(builds("v1"), target)
    real_upload = ftp_module.FtpRemote.upload

    def upload_then_damage(self, local_dir, folder, *rest):
        real_upload(self, local_dir, folder, *rest)
        (ftp.root / folder / "about/index.html").write_text("same size? no: damaged")

    monkeypatch.setattr(ftp_module.FtpRemote, "upload", upload_then_damage)
    with pytest.raises(DeployError) as error:
        deploy(builds("v2"), target)

    assert error.value.problem is Problem.VERIFY and "about/index.html" in str(error.value)
    assert ftp.live_release() == first
    assert ftp.served("about/index.html") == page("v1", "about/index.html")


def test_a_deploy_killed_during_upload_leaves_the_live_site_as_it_was(ftp_factory, builds) -> None:
    slow = ftp_factory(read_limit=200_000)
    target = slow.target()
    first = deploy(builds("v1"), target)
    big = builds("v2", {f"media/photo-{n:02}.jpg": os.urandom(40_000) for n in range(40)})
    victim = cli_background("deploy", str(big), env=cli_env(target))
    wait_until(
        lambda: any((slow.root / "releases").glob("*.partial/*")),
        20,
        "the upload to start",
    )
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)

    assert slow.live_release() == first
    assert slow.served("index.html") == page("v1", "index.html")

    second = deploy(builds("v3"), target)  # takes over the dead deploy's lock, clears its upload

    assert slow.served("index.html") == page("v3", "index.html")
    assert sorted(path.name for path in (slow.root / "releases").iterdir()) == [
        first,
        second,
    ]


def test_a_wrong_password_gets_a_bulgarian_login_message(ftp: FtpServer, builds) -> None:
    result = cli("deploy", str(builds("v1")), env=cli_env(ftp.target(password="wrong")))

    assert result.returncode == 1
    assert result.stderr.strip() == "Сървърът 127.0.0.1 отказа влизането: грешен потребител, ключ или парола."


def test_a_read_only_account_gets_a_permission_message(ftp_factory, builds) -> None:
    read_only = ftp_factory(perm="elr")

    with pytest.raises(DeployError) as error:
        deploy(builds("v1"), read_only.target(path="/"))

    assert error.value.problem is Problem.PERMISSION
    assert str(error.value) == "Няма права за запис в / на сървъра 127.0.0.1."


def test_a_full_disk_gets_a_bulgarian_message_and_the_site_stays(ftp_factory, builds) -> None:
    full = ftp_factory(fs=FullDiskFS)

    with pytest.raises(DeployError) as error:
        deploy(builds("v1"), full.target())

    assert error.value.problem is Problem.DISK_FULL
    assert "няма свободно място" in str(error.value)
    assert not (full.root / ".htaccess").exists()


def test_an_unreachable_ftp_server_gets_a_bulgarian_message(ftp: FtpServer, builds) -> None:
    from tests.deploy.conftest import free_port

    result = cli("deploy", str(builds("v1")), env=cli_env(ftp.target(port=free_port())))

    assert result.returncode == 1
    assert "Сървърът 127.0.0.1 е недостъпен" in result.stderr and "Traceback" not in result.stderr


def test_the_password_is_read_only_from_the_environment(ftp: FtpServer) -> None:
    settings = {
        "DEPLOY_METHOD": "ftp",
        "DEPLOY_HOST": "h",
        "DEPLOY_PATH": "/",
        "DEPLOY_USER": "u",
    }

    with pytest.raises(DeployError) as error:
        DeployTarget.from_settings({**settings, "DEPLOY_PASSWORD": "in-the-repo"}, environ={})
    assert error.value.problem is Problem.CONFIG_SECRET
    target = DeployTarget.from_settings(settings, environ={"DEPLOY_PASSWORD": "from-env"})
    assert target.password == "from-env" and "from-env" not in repr(target)


def test_deploy_never_touches_the_password_on_the_command_line(ftp: FtpServer) -> None:
    command, env = ftp_module.FtpRemote(ftp.target()).command(["ls"])
    assert all("test-only-secret" not in part for part in command)
    assert env["LFTP_PASSWORD"] == "test-only-secret"
