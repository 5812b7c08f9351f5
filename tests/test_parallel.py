"""Work shared with a forked child: every task done exactly once, errors raised here."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from uchastvai.outputs import parallel


@pytest.fixture(autouse=True)
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test runner's own threads would otherwise keep the work in one process."""
    monkeypatch.setattr(parallel, "can_fork", lambda: True)


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The children forked during the test, as their process ids."""
    children: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return children


class Log:
    def __init__(self) -> None:
        self.here: list[int] = []
        self.adopted: dict[int, tuple[int, int]] = {}
        self.after: object = "not called"

    def do_here(self, task: int) -> None:
        self.here.append(task)

    def adopt(self, task: int, result: tuple[int, int]) -> None:
        self.adopted[task] = result


def test_every_other_task_is_done_by_a_child_and_adopted_here() -> None:
    log = Log()
    parent = os.getpid()
    parallel.share(
        list(range(100)),
        log.do_here,
        lambda task: (task * 2, os.getpid()),
        log.adopt,
        after_there=lambda: "from the child",
        adopt_after=lambda value: setattr(log, "after", value),
    )
    assert log.here == list(range(0, 100, 2))
    assert sorted(log.adopted) == list(range(1, 100, 2))
    assert all(result == task * 2 and pid != parent for task, (result, pid) in log.adopted.items())
    assert log.after == "from the child"


def test_a_task_the_child_fails_on_and_those_after_it_are_done_here() -> None:
    log = Log()

    def there(task: int) -> tuple[int, int]:
        if task == 51:
            raise ValueError(task)
        return task, 0

    parallel.share(list(range(100)), log.do_here, there, log.adopt)
    assert sorted(log.adopted) == list(range(1, 51, 2))
    assert sorted(log.here) == sorted(set(range(0, 100, 2)) | set(range(51, 100, 2)))


def test_a_child_that_dies_leaves_all_its_tasks_to_this_process() -> None:
    log = Log()
    parallel.share(list(range(40)), log.do_here, lambda task: os._exit(3), log.adopt)
    assert log.adopted == {}
    assert sorted(log.here) == list(range(40))


def test_an_error_here_is_raised_and_the_child_is_stopped(forked: list[int]) -> None:
    def here(task: int) -> None:
        if task == 10:
            raise RuntimeError("here")

    with pytest.raises(RuntimeError, match="here"):
        parallel.share(list(range(40)), here, lambda task: task, lambda task, result: None)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # reaped: no child left behind


def test_few_tasks_are_done_here_without_a_child() -> None:
    log = Log()
    parallel.share(list(range(parallel.MINIMUM_TASKS - 1)), log.do_here, lambda task: (task, 0), log.adopt)
    assert log.here == list(range(parallel.MINIMUM_TASKS - 1))
    assert log.adopted == {}


def test_the_child_stops_when_the_build_that_forked_it_is_killed(tmp_path: Path) -> None:
    """A killed build's folder may soon be another build's: its child must not write on."""
    done = tmp_path / "done"
    done.mkdir()
    build = os.fork()
    if build == 0:  # pragma: no cover - the build, killed below
        parallel.share(
            list(range(400)),
            lambda task: time.sleep(60),
            lambda task: ((done / str(task)).touch(), time.sleep(0.02)),
            lambda task, result: None,
        )
        os._exit(0)
    deadline = time.monotonic() + 10
    while not any(done.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(build, signal.SIGKILL)
    os.waitpid(build, 0)
    time.sleep(0.5)
    count = len(list(done.iterdir()))
    time.sleep(0.5)
    assert 0 < count < 200
    assert len(list(done.iterdir())) == count


def test_without_a_fork_everything_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """No memory or process left for a copy (a small server): the build goes on in one process."""

    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    descriptors = len(os.listdir("/proc/self/fd"))
    log = Log()
    parallel.share(list(range(40)), log.do_here, lambda task: (task, 0), log.adopt)
    assert log.here == list(range(40)) and log.adopted == {}
    assert len(os.listdir("/proc/self/fd")) == descriptors  # the pipe made for the child is closed


def test_a_process_allowed_one_core_does_not_fork() -> None:
    """``taskset`` or a container's CPU set allows fewer cores than the machine has."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child; its answer is checked here
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        os.write(writing, bytes([parallel.usable_cores()]))
        os._exit(0)
    os.close(writing)
    answer = os.read(reading, 1)
    os.close(reading)
    os.waitpid(child, 0)
    assert answer == bytes([1])
    assert parallel.usable_cores() == len(os.sched_getaffinity(0))


def test_ctrl_c_in_the_child_is_left_to_the_build_that_forked_it() -> None:
    """The terminal sends Ctrl-C to both processes: the child carries on (the parent, which
    gets it too, stops it), so it never runs the build's clean-up itself."""
    log = Log()

    def there(task: int) -> tuple[int, int]:
        if task == 1:
            os.kill(os.getpid(), signal.SIGINT)
        return task, os.getpid()

    parallel.share(list(range(40)), log.do_here, there, log.adopt)
    assert sorted(log.adopted) == list(range(1, 40, 2))
    assert sorted(log.here) == list(range(0, 40, 2))


def test_ctrl_c_in_the_build_stops_and_reaps_the_child(forked: list[int]) -> None:
    def here(task: int) -> None:
        if task == 4:
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        parallel.share(list(range(40)), here, lambda task: time.sleep(0.05), lambda task, result: None)
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())  # the mask is as it was


@pytest.mark.parametrize(("broken", "raised"), [((3, 10), "task 3"), ((13, 10), "task 10")])
def test_with_two_failing_tasks_the_first_in_order_is_raised(broken: tuple[int, int], raised: str) -> None:
    """As in one process: the error of the task that comes first, whichever process met it."""
    done_here: list[int] = []

    def do(task: int) -> tuple[int, int]:
        if task in broken:
            raise RuntimeError(f"task {task}")
        return task, 0

    def here(task: int) -> None:
        do(task)
        done_here.append(task)

    with pytest.raises(RuntimeError, match=f"^{raised}$"):
        parallel.share(list(range(40)), here, do, lambda task, result: None)
    assert max(done_here) < 10  # nothing after this process's own failure
