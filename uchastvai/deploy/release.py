"""Release bookkeeping shared by every method: the local manifest, ids, which ones to keep.

A release id is ``YYYYMMDDTHHMMSSZ-<hash>``: sorting ids as strings sorts them by time, so
"the previous release" and "the last N" need no remote clock or metadata file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from uchastvai.core.i18n import N_, gettext
from uchastvai.deploy.errors import DeployError, Problem

Progress = Callable[[str], None]
PARTIAL_SUFFIX = ".partial"
RELEASE_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{8}$")
STAMP = "%Y%m%dT%H%M%SZ"

MSG_UPLOADING = N_("Uploading… {done}/{total} files")
MSG_VERIFYING = N_("Verifying {total} files on the server…")
MSG_SWITCHED = N_("Release {release} is live.")
MSG_PRUNED = N_("Removed old releases: {releases}")


@dataclass(frozen=True)
class Manifest:
    """sha256 of every regular file of a build, keyed by its POSIX path relative to the build."""

    files: dict[str, str]

    @property
    def digest(self) -> str:
        """One hash for the whole build: the same build gets the same id suffix."""
        lines = "".join(f"{digest}  {path}\n" for path, digest in sorted(self.files.items()))
        return hashlib.sha256(lines.encode()).hexdigest()

    def differences(self, remote: dict[str, str]) -> list[str]:
        """Paths missing, extra or different on the remote side, sorted."""
        return sorted(path for path in self.files.keys() | remote.keys() if self.files.get(path) != remote.get(path))

    def check(self, remote: dict[str, str]) -> None:
        """Refuse to go live with anything that is not byte-for-byte the build."""
        differences = self.differences(remote)
        if differences:
            raise DeployError(Problem.VERIFY, count=len(differences), example=differences[0])


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hash_tree(root: Path) -> dict[str, str]:
    """sha256 of each regular file below ``root`` (symlinks are not followed)."""
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def local_manifest(local_dir: Path) -> Manifest:
    """The build to publish; a missing or half-written build is refused before connecting."""
    if not (local_dir / "index.html").is_file():
        raise DeployError(Problem.MISSING_BUILD, path=str(local_dir))
    return Manifest(hash_tree(local_dir))


def new_release_id(manifest: Manifest, existing: Iterable[str], now: datetime | None = None) -> str:
    """A time-stamped id that sorts after every existing release.

    Two deploys in the same second (or a clock that went back) get the newest existing stamp
    plus one second: "the previous release" must always be the one deployed before.
    """
    stamp = (now or datetime.now(UTC)).replace(microsecond=0, tzinfo=None)
    stamps = [datetime.strptime(name[:16], STAMP) for name in release_ids(existing)]
    if stamps and stamp <= max(stamps):
        stamp = max(stamps) + timedelta(seconds=1)
    return f"{stamp.strftime(STAMP)}-{manifest.digest[:8]}"


def release_ids(names: Iterable[str]) -> list[str]:
    """Finished releases among folder names, oldest first (partial uploads are not releases)."""
    return sorted(name for name in names if RELEASE_ID.match(name))


def partial_names(names: Iterable[str]) -> list[str]:
    """Leftovers of interrupted uploads: safe to delete while holding the lock."""
    return sorted(name for name in names if name.endswith(PARTIAL_SUFFIX))


def previous_release(releases: list[str], current: str | None) -> str:
    """The newest release older than the live one: what rollback switches to."""
    older = [release for release in releases if current is not None and release < current]
    if not older:
        raise DeployError(Problem.NO_PREVIOUS)
    return older[-1]


def releases_to_prune(releases: list[str], keep: int, protect: Iterable[str]) -> list[str]:
    """All but the newest ``keep`` releases, never one that is live or about to be."""
    protected = set(protect)
    newest = set(sorted(releases)[-keep:]) if keep > 0 else set()
    return [release for release in sorted(releases) if release not in newest and release not in protected]


def say(progress: Progress | None, msgid: str, **values: object) -> None:
    """Send one translated progress line to the caller, if it wants them."""
    if progress is not None:
        progress(gettext(msgid).format(**values))


class FileCounter:
    """Turns per-file tool output into throttled „Качване… 120/340 файла“ lines."""

    def __init__(self, total: int, progress: Progress | None, every: int = 25) -> None:
        self.total, self.done, self.progress, self.every = total, 0, progress, every

    def step(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self.done % self.every == 0:
            say(self.progress, MSG_UPLOADING, done=self.done, total=self.total)

    def finish(self) -> None:
        say(self.progress, MSG_UPLOADING, done=self.total, total=self.total)
