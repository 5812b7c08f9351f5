"""Deploy to FTP/FTPS-only hosting with the system ``lftp``.

Layout under ``DEPLOY_PATH`` (the document root): ``releases/<id>/`` per release and a root
``.htaccess`` whose rewrite points at the live one (see :mod:`uchastvai.deploy.htaccess`).
Order of work: upload to ``releases/<id>.partial``, download it back and compare sha256 with the
build, rename to ``releases/<id>``, and only then rename a new ``.htaccess`` over the old one.
An interruption before that rename leaves the live site untouched.

One lftp process per step, commands joined with ``&&``: lftp 4.9's ``cmd:fail-exit`` hangs
instead of exiting, and separate runs keep each step's error output apart.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from uchastvai.deploy import htaccess, scratch
from uchastvai.deploy.errors import DeployError, Problem, classify
from uchastvai.deploy.lock import LOCK_NAME, deploy_lock
from uchastvai.deploy.release import (
    MSG_PRUNED,
    MSG_SWITCHED,
    MSG_VERIFYING,
    PARTIAL_SUFFIX,
    FileCounter,
    Manifest,
    Progress,
    hash_tree,
    local_manifest,
    new_release_id,
    partial_names,
    previous_release,
    release_ids,
    releases_to_prune,
    say,
)
from uchastvai.deploy.settings import DeployTarget

HTACCESS = ".htaccess"
HTACCESS_NEW = ".htaccess.uchastvai-new"
TLS_PRIORITY = "NORMAL:-VERS-TLS1.3"
TRANSFERRING = re.compile(r"^Transferring file ")
LISTED_TIME = re.compile(r"(\d+) " + re.escape(LOCK_NAME) + r"/?$", re.MULTILINE)


def quote(text: str) -> str:
    """Quote one argument for lftp's command parser."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class FtpRemote:
    """Runs lftp command chains inside ``DEPLOY_PATH`` and maps failures to DeployErrors."""

    def __init__(self, target: DeployTarget) -> None:
        self.target = target

    def preamble(self) -> list[str]:
        target = self.target
        tls = target.method == "ftps"
        settings = {
            "net:max-retries": "2",
            "net:timeout": str(target.connect_timeout),
            "net:reconnect-interval-base": "2",
            "ftp:ssl-allow": "yes" if tls else "no",
            "ftp:ssl-force": "yes" if tls else "no",
            "ftp:ssl-protect-data": "yes" if tls else "no",
            "ssl:verify-certificate": "yes" if target.verify_certificate else "no",
            "ftp:list-options": "-a",
            "mirror:parallel-transfer-count": "3",
        }
        if tls:
            # lftp 4.9 (GnuTLS) over TLS 1.3 silently truncates uploads to a server that reads
            # slowly: files over ~112 KiB arrived as 114 688 bytes and lftp exited 0 (see
            # tests/deploy/test_ftp_hosted.py; lftp issue 666). Over TLS 1.2 every file arrives whole.
            settings["ssl:priority"] = quote(TLS_PRIORITY)
        lines = [f"set {name} {value}" for name, value in settings.items()]
        opener = f"open --env-password -u {quote(target.user or '')} -p {target.effective_port} {quote(target.host)}"
        return [
            *lines,
            f"{opener} && mkdir -p -f {quote(target.path)} && cd {quote(target.path)}",
        ]

    def command(self, steps: list[str]) -> tuple[list[str], dict[str, str]]:
        *settings, connect = self.preamble()
        script = "\n".join([*settings, " && ".join([connect, *steps])])
        env = {**os.environ, "LFTP_PASSWORD": self.target.password or ""}
        return ["lftp", "-c", script], env

    def run(self, *steps: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command, env = self.command(list(steps))
        result = subprocess.run(
            command,
            env=env,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if check and result.returncode != 0:
            raise classify(
                result.stderr,
                host=self.target.host,
                path=self.target.path,
                detail_fallback="lftp",
            )
        return result

    def put_text(self, text: str, remote_name: str, *then: str) -> None:
        """Upload ``text`` as ``remote_name`` and run ``then`` in the same session."""
        with scratch.folder("put") as folder:
            path = folder / "upload.txt"
            path.write_text(text, encoding="utf-8")
            self.run(f"put {quote(str(path))} -o {quote(remote_name)}", *then)

    # --- lock ------------------------------------------------------------------------------

    def create_lock(self, owner: str) -> bool:
        made = self.run(f"mkdir {quote(LOCK_NAME)}", check=False)
        if made.returncode != 0:
            if self.run(f"cls -1d {quote(LOCK_NAME)}", check=False).returncode == 0:
                return False
            raise classify(
                made.stderr,
                host=self.target.host,
                path=self.target.path,
                detail_fallback="mkdir",
            )
        self.put_text(owner, f"{LOCK_NAME}/owner")
        return True

    def read_lock(self) -> str | None:
        result = self.run(f"cat {quote(LOCK_NAME + '/owner')}", check=False)
        return result.stdout.strip() or None if result.returncode == 0 else None

    def remove_lock(self, token: str = "") -> None:
        if token and token not in (self.read_lock() or ""):
            return
        self.run(f"rm -r {quote(LOCK_NAME)}")

    def lock_age(self) -> float | None:
        """From the server's listing (MLSD times are UTC seconds): no clock of its own needed."""
        listing = self.run(f"cls -ld --time-style=%s {quote(LOCK_NAME)}", check=False)
        match = LISTED_TIME.search(listing.stdout) if listing.returncode == 0 else None
        return time.time() - int(match.group(1)) if match else None

    # --- releases --------------------------------------------------------------------------

    def folder_names(self) -> list[str]:
        listing = self.run("mkdir -p -f releases", "cls -1 releases/").stdout
        return [line.rstrip("/").rsplit("/", 1)[-1] for line in listing.splitlines() if line.strip()]

    def htaccess_text(self) -> str:
        result = self.run(f"cat {HTACCESS}", check=False)
        return result.stdout if result.returncode == 0 else ""

    def upload(self, local_dir: Path, folder: str, total: int, progress: Progress | None) -> None:
        """``mirror --reverse`` into a fresh folder, so every file is sent (no same-second skips)."""
        mirror = f"mirror --reverse --no-perms --verbose=1 {quote(str(local_dir))} {quote(folder)}"
        command, env = self.command([mirror])
        counter = FileCounter(total, progress)
        with tempfile.TemporaryFile("w+") as stderr:
            with subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                encoding="utf-8",
                errors="replace",
            ) as process:
                try:
                    for line in process.stdout or ():
                        if TRANSFERRING.match(line):
                            counter.step()
                except BaseException:
                    process.kill()
                    raise
            stderr.seek(0)
            errors = stderr.read()
        if process.returncode != 0:  # warnings on stderr alone are not failures
            raise classify(
                errors,
                host=self.target.host,
                path=self.target.path,
                detail_fallback="mirror",
            )
        counter.finish()

    def download_hashes(self, folder: str) -> dict[str, str]:
        """Fetch the uploaded folder back and hash it: FTP cannot hash on the server."""
        with scratch.folder("verify") as copy:
            self.run(f"mirror --no-perms {quote(folder)} {quote(str(copy))}")
            return hash_tree(copy)

    def switch(self, release: str) -> None:
        """Rename a new ``.htaccess`` over the old one: the one step that changes the live site."""
        text = htaccess.render(release, self.htaccess_text(), self.target.exclude)
        try:
            self.put_text(text, HTACCESS_NEW, f"mv {HTACCESS_NEW} {HTACCESS}")
        except DeployError as error:
            raise DeployError(Problem.SWITCH_FAILED, detail=str(error)) from error

    def remove_releases(self, names: list[str]) -> None:
        if names:
            self.run(*(f"rm -r {quote('releases/' + name)}" for name in names))


def deploy_ftp(local_dir: Path, target: DeployTarget, keep: int, progress: Progress | None) -> str:
    """Upload, verify, promote, switch, prune: in that order, so a failure leaves the live site as it was."""
    manifest = local_manifest(local_dir)
    remote = FtpRemote(target)
    with deploy_lock(remote, target.lock_stale_after):
        names = remote.folder_names()
        current = htaccess.live_release(remote.htaccess_text())
        remote.remove_releases(partial_names(names))
        release = new_release_id(manifest, names)
        partial = f"releases/{release}{PARTIAL_SUFFIX}"
        remote.upload(local_dir, partial, len(manifest.files), progress)
        verify(remote, manifest, partial, progress)
        remote.run(f"mv {quote(partial)} {quote('releases/' + release)}")
        remote.switch(release)
        say(progress, MSG_SWITCHED, release=release)
        old = releases_to_prune([*release_ids(names), release], keep, {release, current or ""})
        if old:
            remote.remove_releases(old)
            say(progress, MSG_PRUNED, releases=", ".join(old))
    return release


def verify(remote: FtpRemote, manifest: Manifest, folder: str, progress: Progress | None) -> None:
    say(progress, MSG_VERIFYING, total=len(manifest.files))
    manifest.check(remote.download_hashes(folder))


def rollback_ftp(target: DeployTarget, progress: Progress | None) -> str:
    """Rewrite the ``.htaccess`` to the release before the live one; drop the abandoned one."""
    remote = FtpRemote(target)
    with deploy_lock(remote, target.lock_stale_after):
        releases = release_ids(remote.folder_names())
        current = htaccess.live_release(remote.htaccess_text())
        release = previous_release(releases, current)
        remote.switch(release)
        say(progress, MSG_SWITCHED, release=release)
        remote.remove_releases([current] if current in releases else [])
    return release
