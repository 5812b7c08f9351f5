"""One deploy at a time: a lock folder on the server, created with an atomic ``mkdir``.

Both SSH and FTP servers create a folder atomically or fail because it exists, so the same
rules serve both. The folder holds who took the lock; a lock whose owner process is gone
(same machine) or that is older than ``stale_after`` seconds is taken over, so a deploy
killed by a power cut does not block the next scheduled rebuild forever. A lock folder
without a readable owner file (a deploy killed between ``mkdir`` and writing the owner)
expires the same way, by the age of the folder on the server.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Protocol

from uchastvai.core.processes import pid_alive
from uchastvai.deploy.errors import DeployError, Problem

LOCK_NAME = ".deploy.lock"


class LockStore(Protocol):
    """The three remote operations a lock needs."""

    def create_lock(self, owner: str) -> bool:
        """Create the lock folder with ``owner`` inside; False if it already exists."""

    def read_lock(self) -> str | None:
        """The owner text of an existing lock, or None if there is none (or it is unreadable)."""

    def remove_lock(self, token: str = "") -> None:
        """Delete the lock folder; with ``token``, only if the owner text contains it."""

    def lock_age(self) -> float | None:
        """Seconds since the lock folder was last changed on the server; None if unknown."""


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    user: str
    started: float
    token: str

    @classmethod
    def me(cls) -> Owner:
        return cls(socket.gethostname(), os.getpid(), _user(), time.time(), uuid.uuid4().hex)

    def dumps(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def loads(cls, text: str | None) -> Owner | None:
        try:
            return cls(**json.loads(text or ""))
        except (ValueError, TypeError):
            return None

    def describe(self) -> str:
        started = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.started))
        return f"{self.user}@{self.host}, PID {self.pid}, {started}"

    def is_stale(self, stale_after: float, now: float | None = None) -> bool:
        """Dead on this machine, or older than any deploy could honestly take."""
        if (now or time.time()) - self.started > stale_after:
            return True
        return self.host == socket.gethostname() and not pid_alive(self.pid)


@contextmanager
def deploy_lock(store: LockStore, stale_after: float) -> Iterator[Owner]:
    """Hold the server's deploy lock for the ``with`` block, or fail with LOCK_HELD."""
    owner = acquire(store, stale_after)
    try:
        yield owner
    except BaseException:
        with suppress(DeployError):  # keep the original failure, not a second one while unlocking
            release(store, owner)
        raise
    release(store, owner)


def acquire(store: LockStore, stale_after: float) -> Owner:
    owner = Owner.me()
    if store.create_lock(owner.dumps()):
        return owner
    holder = Owner.loads(store.read_lock())
    if is_stale(store, holder, stale_after):
        # A dead deploy's lock: take it over. Two deploys breaking the same stale lock in the
        # same instant could both succeed; that needs two crashed-and-restarted deploys at once.
        store.remove_lock()
        if store.create_lock(owner.dumps()):
            return owner
        holder = Owner.loads(store.read_lock())
    raise DeployError(Problem.LOCK_HELD, owner=holder.describe() if holder else "?")


def is_stale(store: LockStore, holder: Owner | None, stale_after: float) -> bool:
    """A lock may be taken over when its owner is dead or, with no owner file, when it is old."""
    if holder is not None:
        return holder.is_stale(stale_after)
    age = store.lock_age()
    return age is not None and age > stale_after


def describe(store: LockStore) -> str | None:
    """Who holds the server's lock, for ``status``; None when there is no lock."""
    text = store.read_lock()
    holder = Owner.loads(text)
    if holder is not None:
        return holder.describe()
    age = store.lock_age()
    return None if age is None else f"? ({int(age // 60)} min)"


def release(store: LockStore, owner: Owner) -> None:
    """Remove the lock only if it is still ours (it may have been broken as stale)."""
    store.remove_lock(owner.token)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"
