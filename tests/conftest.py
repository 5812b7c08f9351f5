"""Shared fixtures: builds of the sample site and of small test sites, in-process.

Builds run Pelican in-process into temporary folders (as the pelican-plugins tests
do) at a fixed build time, so states and countdowns are the same on every run.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from uchastvai.build import build
from uchastvai.core.dates import SOFIA

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "pelicanconf.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The moment the sample content was written for: every state occurs then.
BUILD_TIME = datetime(2026, 11, 25, 12, 0, tzinfo=SOFIA)


def fixture_settings(name: str) -> dict[str, Any]:
    """UPPERCASE names of a fixture site's settings.py, as overrides."""
    path = FIXTURES / name / "settings.py"
    spec = importlib.util.spec_from_file_location(f"fixture_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {key: value for key, value in vars(module).items() if key.isupper()}


def isolated(content: Path, output: Path, **settings: Any) -> dict[str, Any]:
    """Overrides that keep a test build to its own folders (tests run in parallel).

    Slide images need a browser and seconds per slide: only the tests about them turn them on.
    """
    return {
        "PATH": str(content),
        "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
        "DISPLAY_RENDER_IMAGES": False,
        **settings,
    }


def build_site(content: Path, output: Path, build_time: datetime = BUILD_TIME, **settings: Any) -> Path:
    """Build ``content`` into ``output`` with our settings and overrides."""
    overrides = isolated(content, output, **settings)
    build(SETTINGS, output, build_time=build_time, extra_settings=overrides)
    return output


def read_html(output: Path, url: str) -> BeautifulSoup:
    path = output / url.strip("/") / "index.html" if not url.endswith(".html") else output / url
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text_of(soup: BeautifulSoup) -> str:
    """Visible text with whitespace folded (no-break spaces kept, as money needs them)."""
    return " ".join(soup.get_text(" ").split(" ")).replace("\n", " ")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--enable-precise-memory-info",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test process (never a downloaded browser)."""
    assert Path(CHROMIUM).is_file(), "Debian's Chromium is missing: ./dev.sh test installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content of the repository, built once per test session."""
    output = tmp_path_factory.mktemp("sample") / "output"
    return build_site(ROOT / "content", output)


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A copy of the small valid test site (a second municipality), to break at will."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    return content
