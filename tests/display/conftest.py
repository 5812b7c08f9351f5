"""Fixtures of the display tests: small sites to change, a local web server, one browser.

The kiosk page is always loaded from http://127.0.0.1 (a secure context, so the
service worker runs), served by a server the test starts and may stop.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, build_site, fixture_settings
from uchastvai.hosting import KIOSK_CSP  # the production policy of the kiosk pages: no inline styles or scripts


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", KIOSK_CSP)
        super().end_headers()


class Server:
    """A web server for one folder, with the production CSP, that a test can stop as a failing host would."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.running = False


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[Server] = []

    def start(folder: Path) -> Server:
        servers.append(Server(folder))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def build_small(content: Path, output: Path, **settings: Any) -> Path:
    """Build the small fixture site (another municipality) with display settings for tests."""
    options = {**fixture_settings("site"), "DISPLAY_RENDER_IMAGES": False, **settings}
    return build_site(content, output, **options)


@pytest.fixture
def small_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    return content


# Collects the CSP violations of a page from its first script on.
CSP_WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));"
)
AUTOESCAPE = {
    "JINJA_ENVIRONMENT": {
        "trim_blocks": True,
        "lstrip_blocks": True,
        "extensions": ["jinja2.ext.i18n"],
        "autoescape": True,
    }
}


@pytest.fixture(scope="session")
def sample_site_with_images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built with its slide images rendered (other tests skip them for speed)."""
    output = tmp_path_factory.mktemp("sample-images") / "output"
    return build_site(ROOT / "content", output, DISPLAY_RENDER_IMAGES=True)


@pytest.fixture(scope="session")
def autoescaped_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content built once, with Jinja's autoescape on as in production, slide images off."""
    return build_site(ROOT / "content", tmp_path_factory.mktemp("kiosk") / "output", **AUTOESCAPE)


@pytest.fixture(scope="session")
def sample_server(autoescaped_sample: Path) -> Iterator[Server]:
    server = Server(autoescaped_sample)
    yield server
    server.stop()
