"""Work shared between this process and one forked child, on both cores.

Rendering the item pages is the largest single-core part of a build (thousands of Jinja
renders, each a few milliseconds) and the second core is idle meanwhile: the Markdown
workers are done and the search indexer waits for these very pages. A forked child
starts with everything the build has computed (settings, templates, content, catalogue),
does every other task and sends back, through a pipe, what the parent must know of each
(a page's recorded lookups), and what its work changed that later work depends on. Its
files are written into the same folder.

A task the child did not report (it failed, it was killed) is done again in this process,
so an error is raised here exactly where a build in one process would raise it; when this
process fails too, the error of whichever task comes first in ``tasks`` is raised. No child is
forked for a few tasks, on one core, or when another thread runs (a fork copies only the
calling thread, and a lock another thread held would never be released); where the system
cannot fork (no memory, no process left), this process does every task.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

MINIMUM_TASKS = 32  # below this, a fork (copying the page tables of a large process) costs more than it saves


def usable_cores() -> int:
    """The cores this process may run on: a container or ``taskset`` may allow fewer than the
    machine has, and a second process on the same core only adds the cost of the fork."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and usable_cores() > 1 and threading.active_count() == 1


def share(
    tasks: Sequence[T],
    here: Callable[[T], None],
    there: Callable[[T], R],
    adopt: Callable[[T, R], None],
    *,
    after_there: Callable[[], Any] = lambda: None,
    adopt_after: Callable[[Any], None] = lambda _: None,
) -> None:
    """Do every task: ``here`` in this process, or ``there`` in the child, whose (picklable)
    result this process ``adopt``\\ s. ``after_there`` runs in the child once its tasks are done;
    its result is given to ``adopt_after`` here before any task is adopted."""
    forked = _forked_with_pipe() if len(tasks) >= MINIMUM_TASKS and can_fork() else None
    if forked is None:
        for task in tasks:
            here(task)
        return
    child, reading, writing, parent, mask = forked  # with Ctrl-C held back in both, see _forked_with_pipe
    mine, theirs = tasks[0::2], tasks[1::2]
    if child == 0:  # pragma: no cover - the child's coverage is not collected; its results are checked
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the parent's to handle: it kills this child
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(reading)
        _work_in_child(theirs, there, after_there, writing, parent)
    reaped = False
    error: tuple[int, Exception] | None = None  # this process's failed task, by its place in ``tasks``
    try:
        os.close(writing)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C held since the fork arrives here
        for position, task in enumerate(mine):
            try:
                here(task)
            except Exception as failure:  # raised below, unless the child failed on an earlier task
                error = (2 * position, failure)
                break
        with os.fdopen(reading, "rb") as pipe:
            reading = -1
            payload = pipe.read()
        os.waitpid(child, 0)
        reaped = True
    finally:
        if not reaped:  # an error or an interrupt here: the child stops too, and is reaped
            with contextlib.suppress(ProcessLookupError, ChildProcessError):  # reaped just before the interrupt
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
            if reading >= 0:
                os.close(reading)
    results, after = _unpacked(payload)
    if error is not None:
        _raise_the_first(error, theirs, {index for index, _ in results}, here)
    adopt_after(after)
    done = set()
    for index, result in results:
        adopt(theirs[index], result)
        done.add(index)
    if len(done) < len(theirs):
        logger.debug("the child did %d of %d tasks; the rest are done here", len(done), len(theirs))
    for index, task in enumerate(theirs):
        if index not in done:
            here(task)


def _raise_the_first(
    error: tuple[int, Exception], theirs: Sequence[T], reported: set[int], here: Callable[[T], None]
) -> None:
    """Raise the error a build in one process would have raised: the child's tasks that come
    before this process's failed one and that it did not report are done here, in order (the
    first that fails raises its own error), then this process's error is raised."""
    failed_at, failure = error
    for index, task in enumerate(theirs):
        if 2 * index + 1 > failed_at:
            break
        if index not in reported:
            here(task)
    raise failure


class _Fork(NamedTuple):
    child: int  # as os.fork returns it: 0 in the child
    reading: int
    writing: int
    parent: int
    mask: set[int | signal.Signals]  # the signal mask to restore once the child is in hand


def _forked_with_pipe() -> _Fork | None:
    """Fork a child joined to this process by a pipe; None when the system has no descriptor, memory
    or process left for it, and this process then does every task.

    Ctrl-C (SIGINT) is held back from the fork on, so that it arrives in this process only
    once the child is known to the code that stops it, and never in the child before it
    ignores it (it would run the build's clean-up a second time).
    """
    sys.stdout.flush()  # what is buffered now must not be written twice, by both processes
    sys.stderr.flush()
    try:
        reading, writing = os.pipe()
    except OSError:
        return None
    parent = os.getpid()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        child = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(reading)
        os.close(writing)
        return None
    return _Fork(child, reading, writing, parent, mask)


def _work_in_child(
    tasks: Sequence[T], there: Callable[[T], R], after: Callable[[], Any], writing: int, parent: int
) -> None:
    """Do the tasks until one fails or the parent is gone (a killed build: its folder may soon
    be another build's), send what was done, and leave without any clean-up of the parent's
    (no ``atexit``, no ``finally`` of the parent's frames)."""
    results: list[tuple[int, R]] = []
    try:
        try:
            for index, task in enumerate(tasks):
                if os.getppid() != parent:
                    break
                results.append((index, there(task)))
        except BaseException:  # the parent does this task again and raises its error
            pass
        payload = pickle.dumps((results, after()), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(payload)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(0)


def _unpacked(payload: bytes) -> tuple[list[tuple[int, Any]], Any]:
    try:
        results, after = pickle.loads(payload)
    except Exception:  # nothing or a cut payload: the child died; every task is done here
        return [], None
    return results, after
