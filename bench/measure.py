"""Run one command and measure it: wall time, peak memory, the output it left.

Each build runs in its own process, so imports, caches and garbage of one build never
flatter the next. Memory is measured two ways, because the build may use worker
processes: the kernel's peak resident set of the largest process (``wait4``), and the
peak of the whole process tree's resident sets summed, sampled every 50 ms (shared
copy-on-write pages of forked workers are counted once per process, so this errs high).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds of user + system time, the process and its reaped children
    peak_rss: int  # bytes, largest single process (kernel figure)
    peak_tree_rss: int  # bytes, whole process tree, sampled
    returncode: int
    stderr: str


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid``, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def _sample_tree(pid: int, stop: threading.Event, peak: list[int]) -> None:
    """Sum the tree's RSS every 50 ms; look for new children every 0.5 s (scanning /proc costs CPU)."""
    children: list[int] = []
    tick = 0
    while not stop.wait(0.05):
        if tick % 10 == 0:
            children = _children(pid)
        tick += 1
        peak[0] = max(peak[0], _rss(pid) + sum(_rss(child) for child in children))


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to its end; stdout is dropped, stderr kept for the report."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=_sample_tree, args=(process.pid, stop, peak), daemon=True)
    sampler.start()
    stderr_chunks: list[str] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    sampler.join()
    reader.join()
    peak_single = usage.ru_maxrss * 1024  # KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, peak_single, max(peak[0], peak_single), process.returncode, "".join(stderr_chunks))


@dataclass
class Output:
    files: int
    bytes: int
    html_pages: int
    largest_page: tuple[int, str]  # bytes, path


def survey(folder: Path) -> Output:
    """Files and bytes under ``folder``, and its largest HTML page."""
    files = total = pages = 0
    largest = (0, "")
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        files += 1
        total += size
        if path.suffix == ".html":
            pages += 1
            largest = max(largest, (size, path.relative_to(folder).as_posix()))
    return Output(files, total, pages, largest)
