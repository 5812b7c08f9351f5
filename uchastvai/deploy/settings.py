"""Where and how to publish: one :class:`DeployTarget` read from settings and the environment.

Environment variables win over settings so that CI and a scheduled rebuild can point the same
repository at a staging or production host. The FTP password is read from the environment only:
a secret in ``pelicanconf.py`` would end up in the repository.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uchastvai.deploy.errors import DeployError, Problem

METHODS = ("ssh", "rsync-inplace", "ftp", "ftps")
DEFAULT_PORTS = {"ssh": 22, "rsync-inplace": 22, "ftp": 21, "ftps": 21}


@dataclass(frozen=True)
class DeployTarget:
    """A remote site root and the way to reach it."""

    method: str
    host: str
    path: str
    user: str | None = None
    port: int | None = None
    key: Path | None = None
    known_hosts: Path | None = None
    password: str | None = field(default=None, repr=False)
    keep_releases: int = 5
    current_name: str = "current"
    exclude: tuple[str, ...] = ()
    rsync_args: tuple[str, ...] = ()
    lock_stale_after: int = 3600
    connect_timeout: int = 15
    verify_certificate: bool = True

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.method]

    @property
    def keeps_releases(self) -> bool:
        """Only the in-place method overwrites the live folder instead of keeping releases."""
        return self.method != "rsync-inplace"

    @classmethod
    def from_settings(
        cls,
        settings: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> DeployTarget:
        """Read ``DEPLOY_*`` keys from Pelican settings, overridden by environment variables."""
        settings = settings or {}
        environ = os.environ if environ is None else environ
        if settings.get("DEPLOY_PASSWORD"):
            raise DeployError(Problem.CONFIG_SECRET)

        def get(name: str, default: Any = None) -> Any:
            value = environ.get(name)
            return value if value not in (None, "") else settings.get(name, default)

        method = str(get("DEPLOY_METHOD", "ssh")).strip().lower()
        if method not in METHODS:
            raise DeployError(Problem.CONFIG_METHOD, choices=", ".join(METHODS))
        missing = [name for name in ("DEPLOY_HOST", "DEPLOY_PATH") if not get(name)]
        if method in ("ftp", "ftps"):
            missing += [] if get("DEPLOY_USER") else ["DEPLOY_USER"]
            missing += [] if environ.get("DEPLOY_PASSWORD") else ["DEPLOY_PASSWORD"]
        if missing:
            raise DeployError(Problem.CONFIG_MISSING, names=", ".join(missing))
        return cls(
            method=method,
            host=str(get("DEPLOY_HOST")),
            path=str(get("DEPLOY_PATH")).rstrip("/") or "/",
            user=get("DEPLOY_USER") or None,
            port=_int(get("DEPLOY_PORT"), "DEPLOY_PORT"),
            key=_path(get("DEPLOY_KEY")),
            known_hosts=_path(get("DEPLOY_KNOWN_HOSTS")),
            password=environ.get("DEPLOY_PASSWORD") or None,
            keep_releases=max(2, _int(get("DEPLOY_KEEP", 5), "DEPLOY_KEEP") or 5),
            current_name=str(get("DEPLOY_CURRENT", "current")).strip("/"),
            exclude=_list(get("DEPLOY_EXCLUDE")),
            rsync_args=_list(get("DEPLOY_RSYNC_ARGS"), split=shlex.split),
            lock_stale_after=_int(
                get("DEPLOY_LOCK_STALE_AFTER", 3600), "DEPLOY_LOCK_STALE_AFTER"
            )
            or 3600,
            connect_timeout=_int(get("DEPLOY_TIMEOUT", 15), "DEPLOY_TIMEOUT") or 15,
            verify_certificate=str(get("DEPLOY_FTP_VERIFY_CERT", "yes")).lower()
            not in ("0", "no", "false"),
        )


def _int(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DeployError(Problem.CONFIG_NUMBER, name=name) from None


def _path(value: Any) -> Path | None:
    return Path(value).expanduser() if value else None


def _list(value: Any, split: Any = None) -> tuple[str, ...]:
    """Accept a list from settings or a string from the environment (commas, or shell words)."""
    if not value:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(item) for item in value)
    if split is not None:
        return tuple(split(str(value)))
    return tuple(item.strip() for item in str(value).split(",") if item.strip())
