"""Photos are published in the sizes screens need, with their dimensions in the page."""

from __future__ import annotations

from PIL import Image

from tests.conftest import build_site, fixture_settings, read_html
from uchastvai.content.images import describe


def add_photo(content, width: int = 2000, height: int = 1000) -> None:
    folder = content / "images" / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (30, 120, 60)).save(folder / "park.jpg", quality=90)
    project = content / "projects" / "park.md"
    text = project.read_text(encoding="utf-8")
    photo = "images:\n  - file: images/projects/park.jpg\n    alt: Алея в парка\n    caption: Новата алея\n"
    project.write_text(text.replace("budget:", photo + "budget:", 1), encoding="utf-8")


def test_photo_gets_webp_copies_never_wider_than_the_original(tmp_path, small_site):
    add_photo(small_site)
    output = build_site(small_site, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    copies = sorted((output / "images" / "projects").glob("park-*.webp"))
    sizes = sorted(Image.open(path).size for path in copies)
    assert sizes == [(480, 240), (960, 480), (1440, 720), (2000, 1000)]


def test_img_has_srcset_sizes_and_dimensions(tmp_path, small_site):
    add_photo(small_site)
    output = build_site(small_site, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    img = read_html(output, "proekti/obnovyavane-na-tsentralnia-park/").find("img", alt="Алея в парка")
    assert (img["width"], img["height"]) == ("2000", "1000")
    assert img["srcset"].count("w, ") == 3 and img["srcset"].endswith("2000w")
    assert img["loading"] == "lazy"
    for candidate in img["srcset"].split(", "):
        url = candidate.split(" ")[0].replace("https://uchastvai.primerno.example/", "")
        assert (output / url).is_file()


def test_a_replaced_photo_gets_new_addresses(tmp_path):
    (tmp_path / "images").mkdir()
    Image.new("RGB", (600, 400), "red").save(tmp_path / "images" / "a.png")
    first = describe(str(tmp_path), "images/a.png")
    Image.new("RGB", (600, 400), "blue").save(tmp_path / "images" / "a.png")
    describe.cache_clear()
    second = describe(str(tmp_path), "images/a.png")
    assert {v.url for v in first.variants}.isdisjoint({v.url for v in second.variants})


def test_svg_size_comes_from_the_file(sample_site):
    img = read_html(sample_site, "proekti/tehnicheska-pomosht-za-obshtina-asenovgrad/").find("figure").find("img")
    assert img["width"] and img["height"]
    assert "srcset" not in img.attrs
