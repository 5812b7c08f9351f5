"""Builds shared by the feed, calendar and open-data tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site, fixture_settings

PUBLISHED_URL = "https://uchastvai.asenovgrad.example"
MAX_ENTRIES = 3


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample content as published: the real address and a short bound on list feeds."""
    output = tmp_path_factory.mktemp("published") / "output"
    return build_site(ROOT / "content", output, SITEURL=PUBLISHED_URL, FEED_MAX_ITEMS=MAX_ENTRIES)


def build_small(content: Path, output: Path) -> Path:
    """The small site of the second municipality, with its own settings."""
    return build_site(content, output, **fixture_settings("site"))


def feed_files(output: Path) -> list[Path]:
    return sorted([*output.rglob("*.atom"), *output.rglob("*.rss")])
