"""The benchmark: our site against vanilla Pelican on the same synthetic corpus.

    python -m bench.run                        # 1k, 5k and 20k items (about 10 minutes)
    python -m bench.run --sizes 1000           # one size
    python -m bench.run --sizes 5000 --no-vanilla --rebuild-sizes ""
    python -m bench.run --sizes 20000 --rebuild-sizes 20000

For each size it generates the corpus (bench/corpus.py) and, in the same run, builds:

- **vanilla**: stock Pelican with its default settings (``python -m pelican content -o out``,
  no settings file) on the plain-Markdown twin of the corpus;
- **ours, cold**: ``python -m uchastvai.build`` with the site's own ``pelicanconf.py`` (only
  the content, theme and cache folders pointed at the corpus), an empty cache;
- **ours, rebuilds** with the cache on: nothing changed, one item edited, one item added
  (by default at 1k and 5k only, where the target is set; 20k rebuilds take minutes).

Every build runs in a fresh process; the figures are wall time, peak memory, files and
bytes written, and the largest HTML page. Whatever the plugin currently produces (pages,
feeds, calendars, data, display) is what gets measured.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench import corpus
from bench.measure import Output, Run, run, survey

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIME = corpus.BUILD_TIME.strftime("%Y-%m-%dT%H:%M")
PAGE_LIMIT = 200 * 1024
SETTINGS = '''"""Benchmark settings: the site's own settings, pointed at the synthetic corpus."""
import sys

sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F403

PATH = {content!r}
THEME = {theme!r}
CACHE_PATH = {cache!r}
# Rebuilds are measured with Pelican's content cache on (the cold build starts with it empty).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
'''


@dataclass
class Measured:
    label: str
    run: Run
    output: Output | None


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes: equal digests, byte-identical sites."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_ours(work: Path, output: Path) -> Run:
    command = [sys.executable, "-m", "uchastvai.build", "--settings", str(work / "settings.py")]
    return run([*command, "--output", str(output), "--build-time", BUILD_TIME], cwd=work)


def build_vanilla(work: Path, content: Path, output: Path) -> Run:
    """Stock Pelican, default settings: run from an empty folder so no pelicanconf.py is found."""
    empty = work / "vanilla-cwd"
    empty.mkdir(exist_ok=True)
    return run([sys.executable, "-m", "pelican", str(content), "-o", str(output)], cwd=empty)


def checked(label: str, result: Run, output: Path | None) -> Measured:
    if result.returncode != 0:
        raise SystemExit(f"{label} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return Measured(label, result, survey(output) if output else None)


def bench_size(items: int, seed: int, work: Path, vanilla: bool, rebuild: bool) -> list[Measured]:
    """Every measurement of one corpus size."""
    work.mkdir(parents=True, exist_ok=True)
    ours_content, vanilla_content, cache = work / "content", work / "vanilla-content", work / "cache"
    started = time.perf_counter()
    counts = corpus.generate(items, seed, ours_content, vanilla_content if vanilla else None)
    print(f"\n== {items} items ({', '.join(f'{k} {v}' for k, v in counts.items())}, + 4 pages)", flush=True)
    print(f"   corpus generated in {time.perf_counter() - started:.1f} s", flush=True)
    settings = SETTINGS.format(root=str(ROOT), content=str(ours_content), theme=str(ROOT / "theme"), cache=str(cache))
    (work / "settings.py").write_text(settings, encoding="utf-8")
    results: list[Measured] = []
    if vanilla:
        shutil.rmtree(work / "vanilla-output", ignore_errors=True)
        results.append(
            checked("vanilla", build_vanilla(work, vanilla_content, work / "vanilla-output"), work / "vanilla-output")
        )
        report(results[-1])
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(work / "output", ignore_errors=True)
    results.append(checked("ours cold", build_ours(work, work / "output"), work / "output"))
    report(results[-1])
    if not rebuild:
        return results
    cold_digest = tree_digest(work / "output")
    results.append(checked("ours rebuild, nothing changed", build_ours(work, work / "output"), work / "output"))
    same = tree_digest(work / "output") == cold_digest
    report(results[-1], f"output byte-identical to the cold build: {'yes' if same else 'NO'}")
    corpus.edit_one(ours_content)
    results.append(checked("ours rebuild, one item edited", build_ours(work, work / "output"), None))
    report(results[-1])
    corpus.add_one(ours_content)
    results.append(checked("ours rebuild, one item added", build_ours(work, work / "output"), None))
    report(results[-1])
    return results


def report(measured: Measured, note: str = "") -> None:
    result, output = measured.run, measured.output
    line = (
        f"   {measured.label:<31} {result.wall:7.1f} s (CPU {result.cpu:6.1f} s)  peak RSS {mib(result.peak_rss):>6} MiB"
        f" (process tree {mib(result.peak_tree_rss):>6} MiB)"
    )
    if output:
        size, page = output.largest_page
        line += f"  {output.files:>6} files {mib(output.bytes):>7} MiB  largest page {size / 1024:.0f} KiB ({page})"
    print(line + (f"\n   {note}" if note else ""), flush=True)


def summary(items: int, results: list[Measured]) -> None:
    by_label = {m.label: m for m in results}
    cold = by_label["ours cold"]
    lines = []
    if "vanilla" in by_label:
        ratio = cold.run.wall / by_label["vanilla"].run.wall
        cpu_ratio = cold.run.cpu / by_label["vanilla"].run.cpu
        lines.append(f"wall time ours/vanilla {ratio:.2f} (target ≤ 1.00 at 5000), CPU time {cpu_ratio:.2f}")
    lines.append(f"peak memory ours {mib(cold.run.peak_tree_rss)} MiB (target ≤ 1024 at 20000)")
    if cold.output:
        size, page = cold.output.largest_page
        lines.append(f"largest page {size / 1024:.0f} KiB, {page} (target ≤ 200)")
    for label in ("ours rebuild, nothing changed", "ours rebuild, one item edited", "ours rebuild, one item added"):
        if label in by_label:
            share = by_label[label].run.wall / cold.run.wall
            cpu_share = by_label[label].run.cpu / cold.run.cpu
            lines.append(
                f"{label.removeprefix('ours ')}: {share:.0%} of cold, CPU {cpu_share:.0%} (target ≤ 25% for an edit at 5000)"
            )
    print(f"-- {items}: " + "\n   ".join(lines), flush=True)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    versions = ", ".join(f"{name} {version(name)}" for name in ("pelican", "markdown", "jinja2", "pydantic"))
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} GiB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {versions}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build speed, memory and output of our site against vanilla Pelican.")
    parser.add_argument("--sizes", default="1000,5000,20000", help="comma-separated item counts")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="scratch folder (kept)")
    parser.add_argument("--no-vanilla", dest="vanilla", action="store_false")
    parser.add_argument("--rebuild-sizes", default="1000,5000", help="sizes at which rebuilds are measured")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"build time {BUILD_TIME} (Europe/Sofia), seed {args.seed}, load average {os.getloadavg()[0]:.1f}")
    if os.getloadavg()[0] > 0.5:
        print("   note: other work is running on this machine; compare CPU times, wall times are noisy")
    started = time.perf_counter()
    rebuild_sizes = {int(size) for size in args.rebuild_sizes.split(",") if size}
    for items in (int(size) for size in args.sizes.split(",")):
        results = bench_size(items, args.seed, args.work / str(items), args.vanilla, items in rebuild_sizes)
        summary(items, results)
    print(f"\nload average {os.getloadavg()[0]:.1f}; benchmark finished in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
