"""A second build in the same process (the preview) sees what changed on disk, like a cold build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import build_site, fixture_settings, read_html
from uchastvai.core import buildcache, i18n

SKIP_LINK = 'msgstr "Към основното съдържание"'


@pytest.fixture
def own_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the catalogues this test may edit; the real ones are read again afterwards."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    yield locale / "bg" / "LC_MESSAGES" / "messages.po"
    buildcache.clear()


def put_photo(content: Path, width: int, height: int, colour: str) -> None:
    folder = content / "images" / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), colour).save(folder / "park.jpg", quality=90)


def add_photo_to_project(content: Path) -> None:
    project = content / "projects" / "park.md"
    photo = "images:\n  - file: images/projects/park.jpg\n    alt: Алея в парка\n"
    project.write_text(project.read_text(encoding="utf-8").replace("budget:", photo + "budget:", 1), encoding="utf-8")


def build(content: Path, output: Path) -> Path:
    return build_site(content, output, SEARCH_ENABLED=False, **fixture_settings("site"))


def test_a_changed_translation_and_a_replaced_photo_reach_the_next_build(
    tmp_path: Path, small_site: Path, own_catalogue: Path
) -> None:
    add_photo_to_project(small_site)
    put_photo(small_site, 2000, 1000, "green")
    first = build(small_site, tmp_path / "first")
    page = "proekti/obnovyavane-na-tsentralnia-park/"
    assert read_html(first, page).find("a", class_="skip-link").text == "Към основното съдържание"
    first_img = read_html(first, page).find("img", alt="Алея в парка")
    assert first_img["width"] == "2000"

    own_catalogue.write_text(
        own_catalogue.read_text(encoding="utf-8").replace(SKIP_LINK, 'msgstr "Към съдържанието"'), encoding="utf-8"
    )
    put_photo(small_site, 1200, 600, "blue")
    second = build(small_site, tmp_path / "second")

    assert read_html(second, page).find("a", class_="skip-link").text == "Към съдържанието"
    img = read_html(second, page).find("img", alt="Алея в парка")
    assert (img["width"], img["height"]) == ("1200", "600")
    assert img["srcset"] != first_img["srcset"]
    for candidate in img["srcset"].split(", "):
        url = candidate.split(" ")[0].replace("https://uchastvai.primerno.example/", "")
        assert (second / url).is_file()
