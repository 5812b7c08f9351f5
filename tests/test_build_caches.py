"""A second build in the same process (the preview) sees what changed on disk, like a cold build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import build_site, fixture_settings, read_html
from uchastvai.core import buildcache, i18n, written

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


def _cut(path: Path, keep: float) -> None:
    """What a build killed while Pelican wrote its cache leaves: the file's first bytes."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("keep", [0.0, 0.5], ids=["empty", "half"])
def test_a_content_cache_cut_short_by_a_killed_build_is_read_again(
    tmp_path: Path, small_site: Path, compressed: bool, keep: float
) -> None:
    settings = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True, "GZIP_CACHE": compressed}
    first = build_site(small_site, tmp_path / "output", SEARCH_ENABLED=False, **fixture_settings("site"), **settings)
    cache_files = sorted((tmp_path / "output-cache").glob("*/*Generator-Readers"))
    assert [path.name for path in cache_files] == ["ArticlesGenerator-Readers", "PagesGenerator-Readers"]
    expected = {path.relative_to(first): path.read_bytes() for path in first.rglob("*.html")}
    for path in cache_files:
        _cut(path, keep)

    again = build_site(small_site, tmp_path / "output", SEARCH_ENABLED=False, **fixture_settings("site"), **settings)
    assert {path.relative_to(again): path.read_bytes() for path in again.rglob("*.html")} == expected
    assert all(path.stat().st_size > 100 for path in cache_files)  # written whole again


def test_a_cache_file_is_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "qr" / "code.svg"
    written.replace_atomically(target, "<svg>old</svg>")

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(written.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        written.replace_atomically(target, "<svg>new</svg>" * 1000)
    assert target.read_text(encoding="utf-8") == "<svg>old</svg>"
    assert [path.name for path in target.parent.iterdir()] == ["code.svg"]  # no half-written neighbour
