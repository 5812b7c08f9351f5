"""How long an editor waits for the preview: save a file, poll the served page until it shows.

    python -m bench.preview                 # 7 edits of one news item of the sample site
    python -m bench.preview --edits 11 --port 8123

It runs the real ``invoke livereload`` (what ``./dev.sh livereload`` starts) in a scratch
copy of the project (``content/``, ``pelicanconf.py``, ``tasks.py``; the code and theme are
linked, not copied), so the repository's own content and output are never touched. Each
edit appends a unique sentence to the body of one news item; the figure is the time from
the file's write to the first answer of the preview server that contains the sentence.
Polling every 20 ms adds at most that much.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from uchastvai.core.processes import stop_gently

ROOT = Path(__file__).resolve().parent.parent
NEWS = "content/news"
POLL = 0.02


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scratch_project(folder: Path) -> None:
    """A copy of what the preview reads and writes; code and theme are the repository's."""
    shutil.copytree(ROOT / "content", folder / "content")
    for name in ("pelicanconf.py", "tasks.py"):
        shutil.copy2(ROOT / name, folder / name)
    for name in ("uchastvai", "theme"):
        (folder / name).symlink_to(ROOT / name)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, timeout: float) -> float | None:
    """Seconds until ``url`` contains ``text`` (None: not within ``timeout``)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in fetch(url):
            return time.perf_counter() - start
        time.sleep(POLL)
    return None


def page_url(base: str, item: Path) -> str:
    """The news item's address: its ``slug`` field, else its title transliterated, in the section folder."""
    from uchastvai.content.slugs import slugify

    fields = dict(
        line.split(":", 1) for line in item.read_text(encoding="utf-8").split("---")[1].splitlines() if ":" in line
    )
    slug = fields.get("slug", "").strip() or slugify(fields["title"].strip())
    return f"{base}/novini/{slug}/"


def measure(edits: int, port: int, settle: float, timeout: float) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as scratch:
        folder = Path(scratch)
        scratch_project(folder)
        item = sorted((folder / NEWS).glob("*.md"))[0]
        base = f"http://127.0.0.1:{port}"
        url = page_url(base, item)
        invoke = Path(sys.executable).with_name("invoke")
        server = subprocess.Popen(
            [str(invoke), "livereload", "--port", str(port)],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if wait_for(url, "<html", timeout=120) is None:
                raise SystemExit("the preview did not start")
            time.sleep(settle)
            waits: list[float] = []
            original = item.read_text(encoding="utf-8")
            for number in range(1, edits + 1):
                marker = f"Проверка на прегледа номер {number}."
                item.write_text(f"{original}\n{marker}\n", encoding="utf-8")
                waited = wait_for(url, marker, timeout)
                if waited is None:
                    raise SystemExit(f"edit {number}: not shown within {timeout:.0f} s")
                waits.append(waited)
                print(f"   edit {number}: {waited:.2f} s", flush=True)
                time.sleep(settle)  # let the watcher go quiet before the next save
            return waits
        finally:
            stop_gently(server)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seconds from saving a content file to the preview showing it.")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds of quiet between edits")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    waits = measure(args.edits, args.port or free_port(), args.settle, args.timeout)
    print(f"preview after a save: median {statistics.median(waits):.2f} s, worst {max(waits):.2f} s (target ≤ 1 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
