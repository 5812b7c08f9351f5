"""The benchmark: our site against vanilla Pelican on the same synthetic corpus.

    python -m bench.run                        # 1k and 5k items, rebuilds, the preview
    python -m bench.run --sizes 1000,5000,20000   # with 20k (add --rebuild-sizes 1000,5000,20000 for its rebuilds)
    python -m bench.run --sizes 1000           # one size
    python -m bench.run --sizes 5000 --no-vanilla --rebuild-sizes "" --no-preview

For each size it generates the corpus (bench/corpus.py) and, in the same run, builds:

- **vanilla**: stock Pelican with its default settings (``python -m pelican content -o out``,
  no settings file) on the plain-Markdown twin of the corpus;
- **ours, cold**: ``python -m uchastvai.build`` with the site's own ``pelicanconf.py`` (only
  the content, theme and cache folders pointed at the corpus), the cache emptied except
  for the slide images (the target counts them served from their cache; an unmeasured
  build fills that cache first if it is empty; ``--no-slides`` builds without them);
- **ours, rebuilds** with the cache on: nothing changed, one item edited, one item added,
  then the next day with nothing changed (by default at 1k and 5k, where the target is set);
- **preview**: ``bench.preview`` (save a file of the sample site, poll the served page).

Every build runs in a fresh process; the figures are wall time, CPU time, peak memory
(largest process, and the whole process tree), files and bytes written, and the largest
HTML page. Whatever the plugin currently produces (pages, feeds, calendars, data, search,
display) is what gets measured. The run ends with one Markdown table of everything, ready
for ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path

from bench import corpus, preview
from bench.measure import Output, Run, run, survey

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIME = corpus.BUILD_TIME.strftime("%Y-%m-%dT%H:%M")
NEXT_DAY = (corpus.BUILD_TIME + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
SLIDES_CACHE = "display"  # the slide images' folder inside the build's cache folder
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
    items: int = 0


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def tree_digest(folder: Path) -> str:
    """One hash of every file's path and bytes and of every folder's path: equal digests,
    byte-identical sites (an empty folder left behind answers 403 instead of 404)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"/")
    return digest.hexdigest()


def build_ours(work: Path, output: Path, build_time: str = BUILD_TIME, slides: bool = True) -> Run:
    command = [sys.executable, "-m", "uchastvai.build", "--settings", str(work / "settings.py")]
    env = dict(os.environ, UCHASTVAI_SLIDE_IMAGES="1" if slides else "0")
    return run([*command, "--output", str(output), "--build-time", build_time], cwd=work, env=env)


def empty_cache(cache: Path) -> None:
    """Everything a cold build must not find (content, templates), but the slide images."""
    for entry in cache.glob("*/*") if cache.is_dir() else []:
        if entry.name == SLIDES_CACHE:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def build_vanilla(work: Path, content: Path, output: Path) -> Run:
    """Stock Pelican, default settings: run from an empty folder so no pelicanconf.py is found."""
    empty = work / "vanilla-cwd"
    empty.mkdir(exist_ok=True)
    return run([sys.executable, "-m", "pelican", str(content), "-o", str(output)], cwd=empty)


def checked(label: str, result: Run, output: Path | None) -> Measured:
    if result.returncode != 0:
        raise SystemExit(f"{label} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return Measured(label, result, survey(output) if output else None)


def bench_size(items: int, seed: int, work: Path, *, vanilla: bool, rebuild: bool, slides: bool) -> list[Measured]:
    """Every measurement of one corpus size."""
    work.mkdir(parents=True, exist_ok=True)
    ours_content, vanilla_content, cache = work / "content", work / "vanilla-content", work / "cache"
    started = time.perf_counter()
    counts = corpus.generate(items, seed, ours_content, vanilla_content if vanilla else None)
    print(f"\n== {items} items ({', '.join(f'{k} {v}' for k, v in counts.items())}, + 4 pages)", flush=True)
    print(f"   corpus generated in {time.perf_counter() - started:.1f} s", flush=True)
    settings = SETTINGS.format(root=str(ROOT), content=str(ours_content), theme=str(ROOT / "theme"), cache=str(cache))
    (work / "settings.py").write_text(settings, encoding="utf-8")
    if slides:  # the cache keeps only the latest day's slides: an earlier run may have ended on the next day
        print("   filling the slide image cache for the build time (not measured)…", flush=True)
        checked("slide images", build_ours(work, work / "output"), None)
    results: list[Measured] = []

    def measured(label: str, result: Run, output: Path | None) -> Measured:
        results.append(checked(label, result, output))
        results[-1].items = items
        return results[-1]

    if vanilla:
        shutil.rmtree(work / "vanilla-output", ignore_errors=True)
        report(
            measured("vanilla", build_vanilla(work, vanilla_content, work / "vanilla-output"), work / "vanilla-output")
        )
    empty_cache(cache)
    remove_outputs(work / "output")
    report(measured("ours cold", build_ours(work, work / "output", slides=slides), work / "output"))
    if not rebuild:
        return results
    cold_digest = tree_digest(work / "output")
    unchanged = measured(
        "ours rebuild, nothing changed", build_ours(work, work / "output", slides=slides), work / "output"
    )
    same = tree_digest(work / "output") == cold_digest
    report(unchanged, f"output byte-identical to the cold build: {'yes' if same else 'NO'}")
    corpus.edit_one(ours_content)
    report(measured("ours rebuild, one item edited", build_ours(work, work / "output", slides=slides), None))
    corpus.add_one(ours_content)
    report(measured("ours rebuild, one item added", build_ours(work, work / "output", slides=slides), None))
    # Last: the day's slide images and states move, which the other rebuilds must not see.
    next_day = build_ours(work, work / "output", NEXT_DAY, slides)
    report(measured("ours rebuild, next day", next_day, None))
    # Not measured: the same content and day built from an empty folder, for comparison.
    empty_cache(cache)
    remove_outputs(work / "cold-output")
    checked("cold build of the last state", build_ours(work, work / "cold-output", NEXT_DAY, slides), None)
    same = tree_digest(work / "output") == tree_digest(work / "cold-output")
    print(f"   after the four rebuilds, output byte-identical to a cold build: {'yes' if same else 'NO'}", flush=True)
    return results


def remove_outputs(output: Path) -> None:
    """An output and the spare beside it (uchastvai.build keeps the one before for rebuilds)."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(output.with_name(f".{output.name}.spare"), ignore_errors=True)


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


REBUILDS = (
    "ours rebuild, nothing changed",
    "ours rebuild, one item edited",
    "ours rebuild, one item added",
    "ours rebuild, next day",
)


def summary(items: int, results: list[Measured]) -> None:
    by_label = {m.label: m for m in results}
    cold = by_label["ours cold"]
    lines = []
    if "vanilla" in by_label:
        ratio = cold.run.wall / by_label["vanilla"].run.wall
        cpu_ratio = cold.run.cpu / by_label["vanilla"].run.cpu
        lines.append(f"wall time ours/vanilla {ratio:.2f} (target ≤ 1.00 at 5000), CPU time {cpu_ratio:.2f}")
    lines.append(
        f"peak memory ours {mib(cold.run.peak_tree_rss)} MiB, every process (target ≤ 300 at 5000, ≤ 1024 at 20000)"
    )
    if cold.output:
        size, page = cold.output.largest_page
        lines.append(f"largest page {size / 1024:.0f} KiB, {page} (target ≤ 200)")
    for label in REBUILDS:
        if label in by_label:
            share = by_label[label].run.wall / cold.run.wall
            cpu_share = by_label[label].run.cpu / cold.run.cpu
            lines.append(
                f"{label.removeprefix('ours ')}: {share:.0%} of cold, CPU {cpu_share:.0%} (target ≤ 25% at 5000)"
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


def markdown_table(results: list[Measured], preview_waits: list[float]) -> str:
    """Every figure of the run as one table for bench/README.md."""
    rows = [
        "| items | build | wall s | CPU s | peak RSS MiB, largest process | peak RSS MiB, all processes "
        "| files | output MiB | largest page |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for measured in results:
        result, output = measured.run, measured.output
        files = f"{output.files:,}".replace(",", " ") if output else ""
        size = mib(output.bytes) if output else ""
        page = f"{output.largest_page[0] / 1024:.0f} KiB ({output.largest_page[1]})" if output else ""
        items = f"{measured.items:,}".replace(",", " ")
        rows.append(
            f"| {items} | {measured.label} | {result.wall:.1f} | {result.cpu:.1f} | {mib(result.peak_rss)} "
            f"| {mib(result.peak_tree_rss)} | {files} | {size} | {page} |"
        )
    if preview_waits:
        rows.append(
            f"\nPreview after saving one file of the sample site: median {statistics.median(preview_waits):.2f} s, "
            f"worst {max(preview_waits):.2f} s ({len(preview_waits)} edits)."
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build speed, memory and output of our site against vanilla Pelican.")
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated item counts (20000 is optional)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="scratch folder (kept)")
    parser.add_argument("--no-vanilla", dest="vanilla", action="store_false")
    parser.add_argument("--rebuild-sizes", default="1000,5000", help="sizes at which rebuilds are measured")
    parser.add_argument("--no-slides", dest="slides", action="store_false", help="build without slide images")
    parser.add_argument("--no-preview", dest="preview", action="store_false", help="skip the preview measurement")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"build time {BUILD_TIME} (Europe/Sofia), seed {args.seed}, load average {os.getloadavg()[0]:.1f}")
    if os.getloadavg()[0] > 0.5:
        print("   note: other work is running on this machine; compare CPU times, wall times are noisy")
    started = time.perf_counter()
    rebuild_sizes = {int(size) for size in args.rebuild_sizes.split(",") if size}
    everything: list[Measured] = []
    for items in (int(size) for size in args.sizes.split(",")):
        work = args.work / str(items)
        results = bench_size(
            items, args.seed, work, vanilla=args.vanilla, rebuild=items in rebuild_sizes, slides=args.slides
        )
        summary(items, results)
        everything += results
    waits: list[float] = []
    if args.preview:
        print("\n== preview of the sample site (bench.preview)", flush=True)
        waits = preview.measure(edits=7, port=preview.free_port(), settle=2.0, timeout=60.0)
    print(f"\nload average {os.getloadavg()[0]:.1f}; benchmark finished in {time.perf_counter() - started:.0f} s")
    print("\n" + markdown_table(everything, waits))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
