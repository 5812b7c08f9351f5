"""Safe publishing of the built site to plain web hosting (SSH/rsync or FTP/FTPS only).

The public API, used by the project's tasks and by ``python -m uchastvai.deploy``::

    target = DeployTarget.from_settings(settings, os.environ)
    release = deploy(Path("output"), target, keep_releases=5, progress=print)
    rollback(target)

Every failure is a :class:`DeployError` whose ``str()`` is a Bulgarian sentence; the live site
is switched only as the very last step, so a failure or interruption leaves it as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from uchastvai.deploy.errors import DeployError, Problem
from uchastvai.deploy.release import Progress
from uchastvai.deploy.settings import DeployTarget

__all__ = [
    "DeployError",
    "DeployTarget",
    "Problem",
    "Status",
    "deploy",
    "rollback",
    "status",
    "unlock",
]


@dataclass(frozen=True)
class Status:
    """What the server holds: the live release (None for in-place deploys), all releases, and
    what an interrupted deploy left: its lock (who holds it) and unfinished uploads."""

    current: str | None
    releases: list[str]
    lock: str | None = None
    partial: list[str] = field(default_factory=list)


def deploy(
    local_dir: Path,
    target: DeployTarget,
    keep_releases: int | None = None,
    progress: Progress | None = None,
) -> str:
    """Publish ``local_dir`` and return the new release id (sortable: UTC time + content hash)."""
    from uchastvai.deploy import ftp, ssh  # lazy: keep `import uchastvai.deploy` light

    keep = max(2, keep_releases or target.keep_releases)
    local_dir = Path(local_dir)
    if target.method == "ssh":
        return ssh.deploy_releases(local_dir, target, keep, progress)
    if target.method == "rsync-inplace":
        return ssh.deploy_inplace(local_dir, target, progress)
    return ftp.deploy_ftp(local_dir, target, keep, progress)


def rollback(target: DeployTarget, progress: Progress | None = None) -> str:
    """Make the release before the live one live again; returns its id."""
    from uchastvai.deploy import ftp, ssh

    if target.method == "ssh":
        return ssh.rollback_releases(target, progress)
    if target.method == "rsync-inplace":
        raise DeployError(Problem.NOT_SUPPORTED, method=target.method)
    return ftp.rollback_ftp(target, progress)


def status(target: DeployTarget) -> Status:
    """The live release and the kept ones, without changing anything."""
    from uchastvai.deploy import ftp, htaccess, lock, release, ssh

    if target.method == "ssh":
        with ssh.SshRemote(target) as remote:
            state = remote.state()
            return Status(state.current, state.releases, lock.describe(remote), state.partials)
    if target.method == "rsync-inplace":
        with ssh.SshRemote(target) as remote:
            return Status(None, [], lock.describe(remote))
    ftp_remote = ftp.FtpRemote(target)
    names = ftp_remote.folder_names()
    return Status(
        htaccess.live_release(ftp_remote.htaccess_text()),
        release.release_ids(names),
        lock.describe(ftp_remote),
        release.partial_names(names),
    )


def unlock(target: DeployTarget) -> None:
    """Remove a lock left by an interrupted deploy (check first that none is running)."""
    from uchastvai.deploy import ftp, ssh

    remote = ssh.SshRemote(target) if target.method in ("ssh", "rsync-inplace") else ftp.FtpRemote(target)
    remote.remove_lock()
