"""The sample site built and served over HTTP, and a browser to look at it.

The site is built with SITEURL pointing at the local server, so every absolute link
(stylesheet, search bundle, images) is fetched from it, as on the real host. The
browser is Debian's Chromium, driven by Playwright; nothing is downloaded.
"""

from __future__ import annotations

import functools
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site
from uchastvai.hosting import SITE_CSP

HERE = Path(__file__).resolve().parent
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# One page of every type the theme renders, at its site-relative address.
PAGES: dict[str, str] = {
    "home": "",
    "consultation_open": "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/",
    "consultation_decided": "konsultatsii/aktualizatsia-na-plana-za-integrirano-razvitie-na-obshtina-asenovgrad-2021-2027/",
    "project_2014_2020": "proekti/tehnicheska-pomosht-za-obshtina-asenovgrad/",
    "project_in_progress": "proekti/blagoustroyavane-na-krayrechnite-prostranstva-na-r-asenitsa-v-asenovgrad/",
    "idea": "idei/pomosht-v-doma-za-samotnite-vazrastni-hora-v-selata/",
    "ideas": "idei/",
    "news": "novini/pokana-za-publichno-obsazhdane-na-byudzheta-8-dekemvri-17-30-ch/",
    "page": "dostapnost/",
    "section": "konsultatsii/",
    "section_state": "konsultatsii/otvoreni/",
    "section_year": "novini/godina/2026/",
    "archive": "arhiv/",
    "search": "tarsene/",
    "propose": "predlozhi-ideya/",
    "not_found": "404.html",
}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def site_csp() -> str:
    """The site-wide Content-Security-Policy that Apache and nginx send (uchastvai.hosting)."""
    return SITE_CSP


class PolicyHandler(QuietHandler):
    """Sends the production policy, so every browser test runs under it (plain http: no upgrade)."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", site_csp().replace("; upgrade-insecure-requests", ""))
        super().end_headers()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, output folder) of the sample site built for a local port, served with the site's CSP."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    output = build_site(ROOT / "content", tmp_path_factory.mktemp("served") / "output", SITEURL=base)
    handler = functools.partial(PolicyHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base, output
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The Nu HTML Checker, installed from the lock file on first use (``npm ci``)."""
    if not VNU_JAR.exists():
        assert shutil.which("npm"), "npm is missing: ./dev.sh test installs it"
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True)
    assert shutil.which("java"), "java is missing: ./dev.sh test installs it"
    return VNU_JAR
