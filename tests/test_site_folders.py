"""An item cannot take an address the site writes itself, and a damaged image is a content
error: both once stopped the build with a traceback (Pelican's FileOverwriteFailedError,
Pillow's UnidentifiedImageError) instead of a message an editor can act on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, build_site
from uchastvai.plugin import ContentInvalid

BROKEN = Path(__file__).parent / "broken"


def site_with(tmp_path: Path, *files: str) -> Path:
    """The small valid site plus some files of the broken corpus."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    for name in files:
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BROKEN / name, content / name)
    return content


def rendered(failure: ContentInvalid) -> list[tuple[str, str]]:
    return [(problem.source, problem.render()) for problem in failure.problems]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "pages/title-that-is-a-section.md",
            "Грешка, ред 2, поле „Заглавие“ (title): адресът „novini/“ е папка на самия сайт; задайте друг slug.",
        ),
        (
            "news/slug-of-a-list-page.md",
            "Грешка, ред 5, поле „Адрес (slug)“ (slug): адресът „novini/page/“ е папка на самия сайт; "
            "задайте друг slug.",
        ),
    ],
)
def test_an_address_of_the_site_itself_is_a_content_error(tmp_path: Path, name: str, message: str) -> None:
    content = site_with(tmp_path, name)
    with pytest.raises(ContentInvalid) as stopped:
        build_site(content, tmp_path / "output")
    assert rendered(stopped.value) == [(f"content/{name}", message)]


@pytest.mark.parametrize("slug", ["konsultatsii", "feeds", "display", "admin", "danni", "kalendar", "tarsene"])
def test_every_folder_of_the_site_is_reserved_for_pages(tmp_path: Path, slug: str) -> None:
    content = site_with(tmp_path)
    (content / "pages" / f"{slug}.md").write_text(
        f"---\ntitle: Страница\nsummary: Кратко резюме.\nslug: {slug}\n---\nТекст.\n", encoding="utf-8"
    )
    with pytest.raises(ContentInvalid) as stopped:
        build_site(content, tmp_path / "output")
    assert [p.code for p in stopped.value.problems] == ["reserved_url"]
    assert stopped.value.problems[0].source == f"content/pages/{slug}.md"


def test_a_state_filter_is_reserved_inside_its_section(tmp_path: Path) -> None:
    content = site_with(tmp_path)
    source = content / "consultations" / "2026-001-naredba.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("---\n", "---\nslug: otvoreni\n", 1), encoding="utf-8")
    with pytest.raises(ContentInvalid) as stopped:
        build_site(content, tmp_path / "output")
    assert [(p.code, p.found) for p in stopped.value.problems] == [("reserved_url", "konsultatsii/otvoreni/")]


def test_an_address_written_twice_otherwise_is_a_content_error_too(tmp_path: Path) -> None:
    """A clash validation cannot foresee (here: settings that save every page to one file)."""
    content = site_with(tmp_path, "pages/title-that-is-a-section.md")
    (content / "pages" / "title-that-is-a-section.md").unlink()
    (content / "pages" / "vtora.md").write_text(
        "---\ntitle: Втора страница\nsummary: Кратко резюме.\n---\nТекст.\n", encoding="utf-8"
    )
    with pytest.raises(ContentInvalid) as stopped:
        build_site(content, tmp_path / "output", PAGE_SAVE_AS="edna/index.html")
    [problem] = stopped.value.problems
    assert problem.source.startswith("content/pages/")
    assert problem.render() == "Грешка: адресът „edna/“ би бил записан два пъти; задайте друг slug."
    assert not (tmp_path / "output").exists()


def test_a_damaged_image_is_a_content_error_naming_file_and_image(tmp_path: Path) -> None:
    name = "pages/image-that-is-not-an-image.md"
    content = site_with(tmp_path, name, "images/povredena-snimka.jpg")
    with pytest.raises(ContentInvalid) as stopped:
        build_site(content, tmp_path / "output")
    assert rendered(stopped.value) == [
        (
            f"content/{name}",
            "Грешка, ред 6, поле „Изображения › № 1 › Файл с изображение“ (images.0.file): изображението "
            "„images/povredena-snimka.jpg“ не може да бъде отворено; запишете го отново като JPEG или PNG.",
        )
    ]


def test_a_damaged_image_no_item_shows_is_copied_and_the_site_built(tmp_path: Path) -> None:
    content = site_with(tmp_path, "images/povredena-snimka.jpg")
    output = build_site(content, tmp_path / "output")
    assert (output / "images" / "povredena-snimka.jpg").is_file()
