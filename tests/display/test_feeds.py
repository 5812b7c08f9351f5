"""Player feeds, checked item by item against the rules of GUIDE §6, and the slide images."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import BUILD_TIME
from uchastvai.core.dates import SOFIA

MEDIA = "http://search.yahoo.com/mrss/"
ATOM = "http://www.w3.org/2005/Atom"
SITEURL = "http://127.0.0.1:8000"
RFC822_NUMERIC = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
PLAYER_FEEDS = ["rss.xml", "rss/konsultatsii.xml", "rss/proekti.xml", "rss/novini.xml"]
PLAYLISTS = {"mrss/landscape.xml": (1920, 1080), "mrss/portrait.xml": (1080, 1920)}


def channel(output: Path, path: str) -> ET.Element:
    return ET.parse(output / "display" / path).getroot().find("channel")


def local_file(output: Path, url: str) -> Path:
    assert url.startswith(f"{SITEURL}/display/images/")
    return output / url.removeprefix(f"{SITEURL}/")


@pytest.mark.parametrize("path", PLAYER_FEEDS + list(PLAYLISTS))
def test_channel_rules(sample_site_with_images: Path, path: str) -> None:
    feed = channel(sample_site_with_images, path)
    assert feed.findtext("ttl") == "15"
    assert feed.findtext("language") == "bg"
    (self_link,) = [link for link in feed.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"]
    assert self_link.get("href") == f"{SITEURL}/display/{path}"
    assert feed.findtext("link") == f"{SITEURL}/display/"
    assert RFC822_NUMERIC.match(feed.findtext("lastBuildDate"))


@pytest.mark.parametrize("path", PLAYER_FEEDS + list(PLAYLISTS))
def test_every_item_follows_the_player_rules(sample_site_with_images: Path, path: str) -> None:
    items = channel(sample_site_with_images, path).findall("item")
    assert items
    for item in items:
        title, description = item.findtext("title"), item.findtext("description")
        assert 0 < len(title) <= 80 and "<" not in title
        assert 0 < len(description) <= 200 and "<" not in description
        assert RFC822_NUMERIC.match(item.findtext("pubDate")), item.findtext("pubDate")
        assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None
        assert item.findtext("guid")
        enclosure = item.find("enclosure")
        assert enclosure.get("type") == "image/png"
        (content,) = item.findall(f"{{{MEDIA}}}content")
        assert content.get("url") == enclosure.get("url")
        assert content.get("fileSize") == enclosure.get("length")
        assert int(content.get("fileSize")) == local_file(sample_site_with_images, content.get("url")).stat().st_size
        assert content.get("type") == "image/png"
        assert content.get("medium") == "image"
        assert 12 <= int(content.get("duration")) <= 30
        assert item.find(f"{{{MEDIA}}}group") is None


def test_section_feeds_carry_only_their_section(sample_site_with_images: Path) -> None:
    links = [item.findtext("link") for item in channel(sample_site_with_images, "rss/proekti.xml").findall("item")]
    assert links and all(link.startswith(f"{SITEURL}/proekti/") for link in links)
    consultations = channel(sample_site_with_images, "rss/konsultatsii.xml").findall("item")
    assert consultations
    assert all(re.match(r"^tag:127\.0\.0\.1,2026:consultation/", item.findtext("guid")) for item in consultations)


def test_mrss_namespace_is_exactly_yahoo_media(sample_site_with_images: Path) -> None:
    text = (sample_site_with_images / "display" / "mrss" / "landscape.xml").read_text(encoding="utf-8")
    assert 'xmlns:media="http://search.yahoo.com/mrss/"' in text


@pytest.mark.parametrize(("path", "size"), PLAYLISTS.items())
def test_playlist_images_have_the_right_size_and_hashed_names(
    sample_site_with_images: Path, path: str, size: tuple
) -> None:
    for item in channel(sample_site_with_images, path).findall("item"):
        content = item.find(f"{{{MEDIA}}}content")
        image = local_file(sample_site_with_images, content.get("url"))
        with Image.open(image) as picture:
            assert picture.size == size
            assert picture.format == "PNG"
        assert (int(content.get("width")), int(content.get("height"))) == size
        # The guid is the image's address, whose name changes with the picture.
        assert item.findtext("guid") == content.get("url")
        assert re.search(r"\.[0-9a-f]{12}\.png$", image.name)


def test_without_a_browser_images_are_skipped_with_a_warning(
    small_content: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.display.conftest import build_small

    output = build_small(
        small_content, tmp_path / "out", DISPLAY_RENDER_IMAGES=True, DISPLAY_CHROMIUM="/nowhere/chromium"
    )
    assert not list((output / "display").glob("images/*.png"))
    assert not (output / "display" / "mrss" / "landscape.xml").exists()
    assert "/nowhere/chromium" in caplog.text
    items = channel(output, "rss.xml").findall("item")
    assert items and all(item.find("enclosure") is None for item in items)


def test_two_builds_of_the_same_content_are_byte_identical(small_content: Path, tmp_path: Path) -> None:
    from tests.display.conftest import build_small

    first = build_small(small_content, tmp_path / "a")
    second = build_small(small_content, tmp_path / "b")
    files = sorted(p.relative_to(first) for p in (first / "display").rglob("*") if p.is_file())
    assert files
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


DCTERMS = "http://purl.org/dc/terms/"


def validity(item: ET.Element) -> dict[str, str]:
    text = item.findtext(f"{{{DCTERMS}}}valid")
    return dict(part.strip().split("=", 1) for part in text.split(";"))


@pytest.mark.parametrize("path", ["rss.xml", "mrss/landscape.xml"])
def test_items_say_until_when_they_are_true(sample_site_with_images: Path, path: str) -> None:
    slides = json.loads((sample_site_with_images / "display" / "slides.json").read_bytes())["slides"]
    items = channel(sample_site_with_images, path).findall("item")
    ends = []
    for item in items:
        period = validity(item)
        assert period["scheme"] == "W3C-DTF"
        assert datetime.fromisoformat(period["start"]).tzinfo is not None
        if "end" in period:
            ends.append(datetime.fromisoformat(period["end"]))
    assert ends and all(end > BUILD_TIME for end in ends)
    assert len(items) == len(slides)
    assert sorted(ends) == sorted(datetime.fromisoformat(s["valid_until"]) for s in slides if s["valid_until"])


def test_slides_json_carries_the_dates_the_kiosk_uses(sample_site: Path) -> None:
    data = json.loads((sample_site / "display" / "slides.json").read_bytes())
    slides = {s["key"]: s for s in data["slides"]}
    consultation = slides["konsultatsia-2026-030"]
    assert consultation["countdown"]["period_days"] == 30
    assert consultation["valid_until"] == f"{consultation['countdown']['closes']}T23:59:59+02:00"
    hearing = slides["obsazhdane-2026-030-20261208-1730"]
    assert datetime.fromisoformat(hearing["valid_until"]) > datetime.fromisoformat("2026-12-08T17:30:00+02:00")
    news = [s for s in data["slides"] if s["kind"] == "news"]
    assert news and all(s["valid_until"].endswith("T00:00:00+02:00") for s in news)
    assert data["valid_until"] == min(s["valid_until"] for s in data["slides"] if s["valid_until"])
    assert data["ttl_minutes"] == 15


def test_what_has_ended_at_build_time_is_left_out(small_content: Path, tmp_path: Path) -> None:
    from tests.display.conftest import build_small

    late = datetime(2026, 12, 11, 9, 0, tzinfo=SOFIA)  # consultation closed 10 Dec, hearing 3 Dec, news of 10 Nov aged
    output = build_small(small_content, tmp_path / "out", build_time=late)
    slides = json.loads((output / "display" / "slides.json").read_bytes())["slides"]
    assert [s["kind"] for s in slides] == ["project", "ideas"]
    items = channel(output, "rss.xml").findall("item")
    assert len(items) == 2
    for item in items:
        period = validity(item)
        assert "end" not in period or datetime.fromisoformat(period["end"]) > late
