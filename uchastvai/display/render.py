"""Slide images for image players (MRSS): the kiosk page itself, photographed by Chromium.

The images are rendered from the kiosk HTML just written into the build's output
folder, through a small HTTP server on 127.0.0.1 (a secure origin, no file:// quirks),
by one headless Chromium that loads each orientation once and then shows one slide
after the other. Image names carry a hash of everything that is drawn, so an image
already rendered by an earlier build (kept in ``CACHE_PATH/display``) is reused as is.

Where Chromium is missing or rendering is turned off, images are skipped with a
warning: players then get feeds without images, never fake pictures.
"""

from __future__ import annotations

import functools
import logging
import shutil
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican.log import LimitFilter

from uchastvai.core.buildcache import per_build
from uchastvai.core.i18n import gettext
from uchastvai.core.written import replace_atomically
from uchastvai.display.config import ORIENTATIONS, DisplayConfig

logger = logging.getLogger(__name__)
# Pelican's loggers drop any message already logged in this process (its LimitFilter); the
# displays' warnings are given once per build by _warn_once instead, so a preview that
# builds again in the same process warns again.
for _limit in [f for f in logger.filters if isinstance(f, LimitFilter)]:
    logger.removeFilter(_limit)

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--hide-scrollbars",
    "--font-render-hinting=none",
]


@dataclass(frozen=True)
class ImageJob:
    key: str  # the slide's key
    orientation: str  # "landscape" or "portrait"
    path: str  # relative to display/, e.g. images/konsultatsia-2026-030.landscape.<hash>.png
    page: str  # the kiosk page of the orientation, relative to display/


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """The build log is for editors: no access log lines."""


@per_build
def _warn_once(message: str) -> None:
    logger.warning("%s", message)


def browser_available(config: DisplayConfig) -> str | None:
    """Why images cannot be made, or None when they can."""
    if not config.render_images:
        return "DISPLAY_RENDER_IMAGES = False"
    if not Path(config.chromium).is_file():
        return f"no browser at {config.chromium} (DISPLAY_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def _from_cache(jobs: list[ImageJob], display_dir: Path, cache_dir: Path | None) -> list[ImageJob]:
    """Copy images rendered by earlier builds; return the jobs still to do."""
    missing = []
    for job in jobs:
        cached = cache_dir / Path(job.path).name if cache_dir else None
        target = display_dir / job.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if cached and cached.is_file():
            shutil.copyfile(cached, target)
        else:
            missing.append(job)
    return missing


def _shoot(jobs: list[ImageJob], site_root: Path, display_dir: Path, config: DisplayConfig) -> None:
    """Render ``jobs`` with one browser; runs in its own thread (Playwright's sync API needs no event loop)."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/{display_dir.relative_to(site_root).as_posix()}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=config.chromium, args=BROWSER_ARGS)
            for orientation, (width, height) in ORIENTATIONS.items():
                todo = [job for job in jobs if job.orientation == orientation]
                if not todo:
                    continue
                page = browser.new_page(viewport={"width": width, "height": height}, service_workers="block")
                page.goto(f"{base}{todo[0].page}?slide={todo[0].key}")
                page.wait_for_selector("html[data-ready]", state="attached")
                for job in todo:
                    page.evaluate("key => window.uchastvaiShow(key)", job.key)
                    page.screenshot(path=str(display_dir / job.path), animations="disabled")
                page.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def render_images(jobs: list[ImageJob], display_dir: Path, config: DisplayConfig) -> list[ImageJob]:
    """Make every image of ``jobs``; return the jobs whose image exists afterwards."""
    missing = _from_cache(jobs, display_dir, config.cache_dir)
    reason = browser_available(config) if missing else None
    if reason:
        _warn_once(
            gettext("Display images were not made ({reason}); the player feeds are written without them.").format(
                reason=reason
            )
        )
        return [job for job in jobs if job not in missing]
    if missing:
        errors: list[BaseException] = []

        def run() -> None:
            try:
                _shoot(missing, display_dir.parent, display_dir, config)
            except Exception as error:  # reported below, in the build's thread
                errors.append(error)

        worker = threading.Thread(target=run, name="display-render")
        worker.start()
        worker.join()
        if errors:
            logger.warning("%s", gettext("Display images were not made: {error}").format(error=errors[0]))
            return [job for job in jobs if (display_dir / job.path).is_file() and job not in missing]
        _store_in_cache(missing, display_dir, config.cache_dir)
    prune_cache(jobs, config.cache_dir)
    return jobs


def _store_in_cache(jobs: list[ImageJob], display_dir: Path, cache_dir: Path | None) -> None:
    if cache_dir is None:
        return
    for job in jobs:
        replace_atomically(cache_dir / Path(job.path).name, (display_dir / job.path).read_bytes())


def prune_cache(jobs: list[ImageJob], cache_dir: Path | None) -> None:
    """Keep only this build's images in the cache, so it does not grow day by day."""
    if cache_dir is None or not cache_dir.is_dir():
        return
    keep = {Path(job.path).name for job in jobs}
    for old in cache_dir.glob("*.png"):
        if old.name not in keep:
            old.unlink(missing_ok=True)  # another build may have pruned it already
