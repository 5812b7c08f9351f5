"""Deploy over SSH with the system ``ssh`` and ``rsync``.

Layout under ``DEPLOY_PATH``: ``releases/<id>/`` for each release, ``current`` a symlink to the
live one (the web server's document root points at ``current``) and ``.deploy.lock/``.
A release is uploaded as ``releases/<id>.partial``, verified, renamed, and only then is the
link replaced with ``rename(2)``, which is atomic: readers see the old site or the new one.

Remote work is done by short POSIX ``sh`` scripts sent on stdin with their arguments quoted,
so paths are never pasted into shell text.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from uchastvai.deploy import scratch
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
    local_manifest,
    new_release_id,
    partial_names,
    previous_release,
    release_ids,
    releases_to_prune,
    say,
)
from uchastvai.deploy.settings import DeployTarget

EXIT_EXISTS = 3
EXIT_NOT_LINK = 4
EXIT_NO_HASHER = 127
ITEMIZED_FILE = re.compile(r"^[<>ch.]f")
# rsync -i lines that mean "this file would change": anything but an unchanged item or a folder.
DRY_RUN_CHANGE = re.compile(r"^(\*deleting|[<>ch]f|cL|[<>ch]L)")

SCRIPT_STATE = r"""
root=$1 link=$2
mkdir -p "$root/releases" && cd "$root" || exit 1
if [ -L "$link" ]; then printf 'current %s\n' "$(readlink "$link")"
elif [ -e "$link" ]; then echo notlink; fi
for dir in releases/*; do [ -d "$dir" ] && printf 'entry %s\n' "${dir#releases/}"; done
exit 0
"""
SCRIPT_LOCK_CREATE = r"""
root=$1 lock=$2 owner=$3
mkdir -p "$root" || exit 1
if mkdir "$root/$lock" 2>/dev/null; then printf '%s\n' "$owner" > "$root/$lock/owner" || exit 1; exit 0; fi
[ -d "$root/$lock" ] && exit 3
mkdir "$root/$lock"
"""
SCRIPT_LOCK_READ = r"""cat "$1/$2/owner" 2>/dev/null; exit 0"""
SCRIPT_LOCK_AGE = r"""m=$(stat -c %Y "$1/$2" 2>/dev/null) || exit 0; echo $(( $(date +%s) - m ))"""
SCRIPT_LOCK_REMOVE = r"""
[ -z "$3" ] || grep -qF -- "$3" "$1/$2/owner" 2>/dev/null || exit 0
rm -rf "$1/$2"
"""
SCRIPT_HASH = r"""
cd "$1" || exit 1
if command -v sha256sum >/dev/null 2>&1; then find . -type f -exec sha256sum {} +
elif command -v shasum >/dev/null 2>&1; then find . -type f -exec shasum -a 256 {} +
else exit 127; fi
"""
SCRIPT_SWITCH = r"""
root=$1 release=$2 link=$3 promote=$4
cd "$root" || exit 1
if [ "$promote" = yes ]; then mv "releases/$release.partial" "releases/$release" || exit 1; fi
[ -d "releases/$release" ] || exit 1
if [ -e "$link" ] && [ ! -L "$link" ]; then exit 4; fi
ln -sfn "releases/$release" "$link.tmp" && mv -T "$link.tmp" "$link" || exit 1
shift 4
cd releases && for name in "$@"; do rm -rf -- "$name"; done
exit 0
"""
SCRIPT_REMOVE_RELEASES = r"""
cd "$1/releases" || exit 1
shift
for name in "$@"; do rm -rf -- "$name" || exit 1; done
"""


@dataclass(frozen=True)
class RemoteState:
    current: str | None
    releases: list[str]
    partials: list[str]


class SshRemote:
    """Runs scripts and rsync against one SSH target, turning failures into DeployErrors.

    Used as a context manager it shares one SSH connection between all steps (OpenSSH's
    ControlMaster): a deploy needs about ten remote steps, and each new handshake costs
    from a few hundred milliseconds to seconds on a slow link.
    """

    def __init__(self, target: DeployTarget) -> None:
        self.target = target
        self.control_dir: str | None = None

    def __enter__(self) -> Self:
        self.control_dir = str(scratch.make("ssh"))
        return self

    def __exit__(self, *exc_info: object) -> None:
        control_dir, self.control_dir = self.control_dir, None
        if control_dir:
            socket = str(Path(control_dir) / "master")
            stop = ["ssh", "-o", f"ControlPath={socket}", "-O", "exit", self.login]
            subprocess.run(stop, capture_output=True, check=False, timeout=30)
            shutil.rmtree(control_dir, ignore_errors=True)

    # --- plumbing -------------------------------------------------------------------------

    def ssh_command(self) -> list[str]:
        """ssh and its options, without the host (rsync's ``-e`` wants exactly this)."""
        target = self.target
        command = [
            "ssh",
            "-o", "BatchMode=yes",
            "-o", f"ConnectTimeout={target.connect_timeout}",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=4",
            "-o", "StrictHostKeyChecking=yes",
            "-p", str(target.effective_port),
        ]  # fmt: skip
        if target.known_hosts:
            command += ["-o", f"UserKnownHostsFile={target.known_hosts}"]
        if target.key:
            command += ["-i", str(target.key), "-o", "IdentitiesOnly=yes"]
        if self.control_dir:
            command += ["-o", "ControlMaster=auto", "-o", "ControlPersist=30"]
            command += ["-o", f"ControlPath={Path(self.control_dir) / 'master'}"]
        return command

    @property
    def login(self) -> str:
        return f"{self.target.user}@{self.target.host}" if self.target.user else self.target.host

    def run(self, script: str, *args: str, ok_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        """Run a POSIX sh script remotely; a failure becomes the matching DeployError."""
        command = [*self.ssh_command(), self.login, "sh -s -- " + shlex.join(args)]
        result = subprocess.run(
            command, input=script, capture_output=True, encoding="utf-8", errors="replace", check=False
        )
        if result.returncode not in ok_codes:
            raise self.error(result.stderr, result.returncode)
        return result

    def error(self, stderr: str, returncode: int) -> DeployError:
        return classify(
            stderr,
            host=self.target.host,
            path=self.target.path,
            detail_fallback=f"exit {returncode}",
        )

    def rsync(self, args: list[str], progress_total: int = 0, progress: Progress | None = None) -> list[str]:
        """Run rsync over our ssh; returns its itemized stdout lines."""
        command = [
            "rsync",
            "-e",
            shlex.join(self.ssh_command()),
            "--timeout=120",
            *args,
        ]
        counter = FileCounter(progress_total, progress) if progress_total else None
        lines: list[str] = []
        with tempfile.TemporaryFile("w+") as stderr:
            with subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=stderr, encoding="utf-8", errors="replace"
            ) as process:
                try:
                    for line in process.stdout or ():
                        lines.append(line.rstrip("\n"))
                        if counter and ITEMIZED_FILE.match(line):
                            counter.step()
                except BaseException:
                    process.kill()
                    raise
            if process.returncode != 0:
                stderr.seek(0)
                raise self.error(stderr.read(), process.returncode)
        if counter:
            counter.finish()
        return lines

    def remote_path(self, *parts: str) -> str:
        return f"{self.login}:" + "/".join([self.target.path, *parts])

    # --- lock (see uchastvai.deploy.lock) ---------------------------------------------------

    def create_lock(self, owner: str) -> bool:
        result = self.run(
            SCRIPT_LOCK_CREATE,
            self.target.path,
            LOCK_NAME,
            owner,
            ok_codes=(0, EXIT_EXISTS),
        )
        return result.returncode == 0

    def read_lock(self) -> str | None:
        return self.run(SCRIPT_LOCK_READ, self.target.path, LOCK_NAME).stdout.strip() or None

    def remove_lock(self, token: str = "") -> None:
        self.run(SCRIPT_LOCK_REMOVE, self.target.path, LOCK_NAME, token)

    def lock_age(self) -> float | None:
        output = self.run(SCRIPT_LOCK_AGE, self.target.path, LOCK_NAME).stdout.strip()
        return float(output) if output.lstrip("-").isdigit() else None

    # --- releases ---------------------------------------------------------------------------

    def state(self) -> RemoteState:
        lines = self.run(SCRIPT_STATE, self.target.path, self.target.current_name).stdout.splitlines()
        if "notlink" in lines:
            raise DeployError(
                Problem.NOT_SYMLINK,
                path=f"{self.target.path}/{self.target.current_name}",
            )
        current = next(
            (line.split(" ", 1)[1] for line in lines if line.startswith("current ")),
            None,
        )
        names = [line.split(" ", 1)[1] for line in lines if line.startswith("entry ")]
        current_id = current.rstrip("/").rsplit("/", 1)[-1] if current else None
        return RemoteState(current_id, release_ids(names), partial_names(names))

    def remote_hashes(self, folder: str) -> dict[str, str] | None:
        """sha256 of every file in ``folder`` computed on the server; None if it has no tool."""
        result = self.run(SCRIPT_HASH, folder, ok_codes=(0, EXIT_NO_HASHER))
        if result.returncode == EXIT_NO_HASHER:
            return None
        return parse_sha256sum(result.stdout)

    def rsync_differences(self, local_dir: Path, folder: str) -> list[str]:
        """What a checksum dry run would still change: empty when the server matches the build."""
        args = [
            "-rlpn",
            "--checksum",
            "--delete",
            "-i",
            *self.exclude_args(),
            f"{local_dir}/",
            f"{folder}/",
        ]
        return [line for line in self.rsync(args) if DRY_RUN_CHANGE.match(line)]

    def exclude_args(self) -> list[str]:
        """The lock and the host's own files (``DEPLOY_EXCLUDE``) are neither sent nor deleted."""
        return [f"--exclude={pattern}" for pattern in ("/" + LOCK_NAME, *self.target.exclude)]

    def verify(
        self,
        local_dir: Path,
        manifest: Manifest,
        release_dir: str,
        progress: Progress | None,
    ) -> None:
        """Compare what arrived with the build, by sha256 on the server if it can, else by rsync."""
        say(progress, MSG_VERIFYING, total=len(manifest.files))
        remote = self.remote_hashes(release_dir)
        if remote is not None:
            manifest.check(remote)
            return
        differences = self.rsync_differences(local_dir, f"{self.login}:{release_dir}")
        if differences:
            raise DeployError(Problem.VERIFY, count=len(differences), example=differences[0])

    def switch(self, release: str, promote: bool = False, then_remove: Sequence[str] = ()) -> None:
        """Rename the link over the old one in one round trip.

        ``promote`` first renames the verified upload to its final name; ``then_remove`` lists
        releases deleted once the switch has succeeded (pruning, or the rolled-back one).
        """
        link = self.target.current_name
        args = (
            self.target.path,
            release,
            link,
            "yes" if promote else "no",
            *then_remove,
        )
        try:
            result = self.run(SCRIPT_SWITCH, *args, ok_codes=(0, EXIT_NOT_LINK))
        except DeployError as error:
            raise DeployError(Problem.SWITCH_FAILED, detail=str(error)) from error
        if result.returncode == EXIT_NOT_LINK:
            raise DeployError(Problem.NOT_SYMLINK, path=f"{self.target.path}/{link}")

    def remove_releases(self, names: list[str]) -> None:
        if names:
            self.run(SCRIPT_REMOVE_RELEASES, self.target.path, *names)


def parse_sha256sum(output: str) -> dict[str, str]:
    """Read ``sha256sum`` lines, including its backslash-escaped form for odd file names."""
    hashes: dict[str, str] = {}
    for line in output.splitlines():
        escaped = line.startswith("\\")
        digest, _, name = line.removeprefix("\\").partition(" ")
        name = name[1:] if name[:1] in (" ", "*") else name
        if escaped:
            name = name.replace("\\n", "\n").replace("\\\\", "\\")
        if digest:
            hashes[name.removeprefix("./")] = digest.lower()
    return hashes


def deploy_releases(local_dir: Path, target: DeployTarget, keep: int, progress: Progress | None) -> str:
    """Upload a new release next to the live one, verify it, then switch the link."""
    manifest = local_manifest(local_dir)
    with SshRemote(target) as remote, deploy_lock(remote, target.lock_stale_after):
        state = remote.state()
        remote.remove_releases(state.partials)
        release = new_release_id(manifest, state.releases)
        partial = release + PARTIAL_SUFFIX
        args = [
            "-rlp",
            "--checksum",
            "--chmod=D0755,F0644",
            "--delete",
            "-ii",
            *target.rsync_args,
        ]
        if state.current in state.releases:
            args.append(f"--link-dest=../{state.current}")
        remote.rsync(
            [*args, f"{local_dir}/", remote.remote_path("releases", partial) + "/"],
            len(manifest.files),
            progress,
        )
        remote.verify(local_dir, manifest, f"{target.path}/releases/{partial}", progress)
        old = releases_to_prune([*state.releases, release], keep, {release, state.current or ""})
        remote.switch(release, promote=True, then_remove=old)
        say(progress, MSG_SWITCHED, release=release)
        if old:
            say(progress, MSG_PRUNED, releases=", ".join(old))
    return release


def rollback_releases(target: DeployTarget, progress: Progress | None) -> str:
    """Point the link at the release before the live one and drop the abandoned one.

    Dropping it keeps "previous" meaning "what was live before": a later deploy followed by
    a rollback returns to this good release, not to the one rolled back from.
    """
    with SshRemote(target) as remote, deploy_lock(remote, target.lock_stale_after):
        state = remote.state()
        release = previous_release(state.releases, state.current)
        remote.switch(release, then_remove=[state.current] if state.current else [])
        say(progress, MSG_SWITCHED, release=release)
    return release


def deploy_inplace(local_dir: Path, target: DeployTarget, progress: Progress | None) -> str:
    """For hosts without symlinks: rsync straight into the document root.

    ``--delay-updates`` puts all new files in place at the end and ``--delete-after`` removes
    old ones after that, so the window of a mixed site is short, but it is not zero.
    """
    manifest = local_manifest(local_dir)
    with SshRemote(target) as remote, deploy_lock(remote, target.lock_stale_after):
        args = [
            "-rlp",
            "--checksum",
            "--chmod=D0755,F0644",
            "--delay-updates",
            "--delete-after",
            "-ii",
        ]
        destination = remote.remote_path() + "/"
        remote.rsync(
            [
                *args,
                *remote.exclude_args(),
                *target.rsync_args,
                f"{local_dir}/",
                destination,
            ],
            len(manifest.files),
            progress,
        )
        say(progress, MSG_VERIFYING, total=len(manifest.files))
        differences = remote.rsync_differences(local_dir, destination.rstrip("/"))
        if differences:
            raise DeployError(Problem.VERIFY_LIVE, count=len(differences), example=differences[0])
    release = new_release_id(manifest, ())
    say(progress, MSG_SWITCHED, release=release)
    return release
