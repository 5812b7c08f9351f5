"""Lighthouse scores of the home page and a project page (a benchmark, not a test).

Builds the sample site for a local address, serves it, runs Lighthouse 12.8 (Node 20)
with Debian's Chromium, and prints the four category scores of each page.

    npm ci --prefix bench          # once (package-lock.json in bench/)
    python bench/lighthouse.py [--preset desktop]

The budget of the issue: accessibility and best practices 100, performance at least 95.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
PAGES = {
    "home": "",
    "project (seed)": "proekti/tehnicheska-pomosht-za-obshtina-asenovgrad/",
    "consultation": "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"


COMPRESSED = (".html", ".css", ".js", ".svg", ".json", ".xml", ".txt")


class Compressing(SimpleHTTPRequestHandler):
    """Serves text gzip-compressed, as hosting/.htaccess (mod_deflate) and nginx.conf do."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSED or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(output: Path, base: str) -> None:
    sys.path.insert(0, str(ROOT))
    from uchastvai.build import build as build_site
    from uchastvai.core.dates import SOFIA

    os.chdir(ROOT)
    build_site(
        ROOT / "pelicanconf.py", output, datetime(2026, 11, 25, 12, 0, tzinfo=SOFIA), extra_settings={"SITEURL": base}
    )


def scores(url: str, preset: str | None) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset:
        command.append(f"--preset={preset}")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, capture_output=True, encoding="utf-8", env=env, check=True)
    report = json.loads(result.stdout)
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=["desktop"], default=None, help="mobile (default) or desktop")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("Run first: npm ci --prefix bench", file=sys.stderr)
        return 1
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "site"
        build(output, base)
        server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Compressing, directory=str(output)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            print(f"Lighthouse ({args.preset or 'mobile'}): " + " / ".join(CATEGORIES))
            for name, path in PAGES.items():
                result = scores(f"{base}/{path}", args.preset)
                print(f"{name:16} " + "  ".join(f"{result[c]:3d}" for c in CATEGORIES))
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
