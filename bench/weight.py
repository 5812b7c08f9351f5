"""Page weight of the built site: bytes per page, requests, the heaviest pages.

    python -m bench.weight                 # builds the sample site (content/) first
    python -m bench.weight --site output   # an already built site

A page's weight is its HTML plus every same-site resource a browser fetches to show it
(stylesheets, scripts, images, icons; not the documents it links to), each counted once
per page, as a first visit with an empty cache would load them. Sizes are given raw and
gzip-compressed (what most hosts send for text). Third-party requests are counted
separately: the site should make none (GUIDE §7).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.corpus import BUILD_TIME, ROOT

TEXT_SUFFIXES = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt"}


class _Resources(HTMLParser):
    """URLs of what a browser fetches to render the page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("img", "script", "source", "iframe", "video", "audio") and values.get("src"):
            self.urls.append(values["src"])
        if tag == "link" and values.get("href"):
            rel = (values.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "manifest", "apple-touch-icon"} & set(rel):
                self.urls.append(values["href"])


@dataclass
class PageWeight:
    path: str
    html: int
    html_gzip: int
    resources: dict[str, int] = field(default_factory=dict)  # site path -> bytes
    resources_gzip: int = 0
    third_party: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html + sum(self.resources.values())

    @property
    def total_gzip(self) -> int:
        return self.html_gzip + self.resources_gzip

    @property
    def requests(self) -> int:
        return 1 + len(self.resources) + len(self.third_party)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def site_url_of(site: Path) -> str:
    """The site's base URL, read from the home page's links (SITEURL differs per build)."""
    home = (site / "index.html").read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(home)
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme and "/theme/" in parts.path:
            return f"{parts.scheme}://{parts.netloc}"
    return ""


def weigh(site: Path, page: Path, site_url: str) -> PageWeight:
    data = page.read_bytes()
    relative = page.relative_to(site).as_posix()
    weight = PageWeight(relative, len(data), gzip_size(data))
    parser = _Resources()
    parser.feed(data.decode("utf-8"))
    page_url = f"{site_url}/{relative}"
    for url in dict.fromkeys(parser.urls):
        absolute = urljoin(page_url, url)
        if site_url and not absolute.startswith(site_url + "/"):
            weight.third_party.append(absolute)
            continue
        target = site / urlsplit(absolute).path.removeprefix(urlsplit(site_url).path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            weight.missing.append(url)
            continue
        body = target.read_bytes()
        weight.resources[target.relative_to(site).as_posix()] = len(body)
        weight.resources_gzip += gzip_size(body) if target.suffix in TEXT_SUFFIXES else len(body)
    return weight


def kib(size: float) -> str:
    return f"{size / 1024:.1f} KiB"


def report(site: Path, top: int = 10) -> list[PageWeight]:
    site_url = site_url_of(site)
    weights = [weigh(site, page, site_url) for page in sorted(site.rglob("*.html"))]
    totals = [w.total for w in weights]
    print(f"site: {site} ({len(weights)} HTML pages, base {site_url or '?'})")
    print(
        f"weight per page: median {kib(statistics.median(totals))}, "
        f"median gzip {kib(statistics.median(w.total_gzip for w in weights))}, "
        f"largest {kib(max(totals))}; requests per page: max {max(w.requests for w in weights)}"
    )
    print(
        f"third-party requests: {sum(len(w.third_party) for w in weights)}; missing resources: "
        f"{sum(len(w.missing) for w in weights)}"
    )
    print(f"\nheaviest {top} pages:  total (gzip) | HTML (gzip) | requests")
    for w in sorted(weights, key=lambda w: w.total, reverse=True)[:top]:
        print(
            f"  {w.path:<60} {kib(w.total):>10} ({kib(w.total_gzip):>10}) | {kib(w.html):>10} "
            f"({kib(w.html_gzip):>9}) | {w.requests}"
        )
    for w in weights:
        for url in w.third_party + w.missing:
            print(f"  ! {w.path}: {url}")
    return weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Page weight of a built site.")
    parser.add_argument("--site", type=Path, default=None, help="built site (default: build content/ now)")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    if args.site:
        report(args.site, args.top)
        return 0
    from uchastvai.build import build

    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        build(ROOT / "pelicanconf.py", output, BUILD_TIME, extra_settings={"CACHE_PATH": str(Path(folder) / "cache")})
        report(output, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
