"""Stable slide images (issues 13 and 14): a picture, its name and its MRSS guid change only
when what the slide shows changes, and a rebuild with unchanged slides renders no PNG.

One build renders the small site's images (cold cache); the other builds reuse its cache
as the nightly rebuild does, and record what the renderer is asked to draw.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import BUILD_TIME, FIXTURES
from tests.display.conftest import CSP_WATCH, build_small
from uchastvai.core.dates import long_date
from uchastvai.display import render

MEDIA = "http://search.yahoo.com/mrss/"


def images_of(output: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (output / "display" / "images").glob("*.png")}


def guids(output: Path, orientation: str) -> list[str]:
    channel = ET.parse(output / "display" / "mrss" / f"{orientation}.xml").getroot().find("channel")
    return [item.findtext("guid") for item in channel.findall("item")]


@pytest.fixture(scope="module")
def day_one(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small site built with its images on the first day; its image cache is kept for the next builds."""
    root = tmp_path_factory.mktemp("images")
    content = root / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    cache = root / "cache"
    output = build_small(content, root / "day1", DISPLAY_RENDER_IMAGES=True, CACHE_PATH=str(cache))
    return {"content": content, "cache": cache, "output": output, "root": root}


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The image paths the renderer is asked to draw during the test."""
    asked: list[str] = []
    shoot = render._shoot

    def recording(jobs: list[render.ImageJob], *args: Any) -> None:
        asked.extend(job.path for job in jobs)
        shoot(jobs, *args)

    monkeypatch.setattr(render, "_shoot", recording)
    return asked


def rebuild(day_one: dict[str, Path], name: str, days: int, content: Path | None = None) -> Path:
    return build_small(
        content or day_one["content"],
        day_one["root"] / name,
        build_time=BUILD_TIME + timedelta(days=days),
        DISPLAY_RENDER_IMAGES=True,
        CACHE_PATH=str(day_one["cache"]),
    )


def test_the_next_day_with_unchanged_content_renders_no_image(day_one: dict[str, Path], drawn: list[str]) -> None:
    first = images_of(day_one["output"])
    assert len(first) == 2 * len(json.loads((day_one["output"] / "display" / "slides.json").read_bytes())["slides"])
    second_output = rebuild(day_one, "day2", days=1)
    assert drawn == []
    assert images_of(second_output) == first  # same names, same bytes
    for orientation in ("landscape", "portrait"):
        assert guids(second_output, orientation) == guids(day_one["output"], orientation)
    version = json.loads((second_output / "display" / "version.json").read_bytes())
    assert version["version"] == json.loads((day_one["output"] / "display" / "version.json").read_bytes())["version"]
    assert version["built"].startswith("2026-11-26")


def test_a_changed_slide_alone_gets_a_new_image(day_one: dict[str, Path], drawn: list[str], tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(day_one["content"], content)
    news = content / "news" / "otkrivane.md"
    news.write_text(
        news.read_text(encoding="utf-8").replace("Започна обсъждането", "Започна общественото обсъждане"),
        encoding="utf-8",
    )
    output = rebuild(day_one, "changed", days=1, content=content)
    assert sorted(drawn) == sorted(f"images/{name}" for name in images_of(output) if name.startswith("novina-"))
    assert len(drawn) == 2
    first, second = images_of(day_one["output"]), images_of(output)
    assert {name for name in second if name not in first} == {Path(path).name for path in drawn}


def test_a_still_image_shows_no_date_of_the_build(browser: Any, day_one: dict[str, Path], serve: Any) -> None:
    """What a still image shows (the renderer's ?slide= view): no clock, countdown, build stamp or build date."""
    server = serve(day_one["output"])
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, service_workers="block")
    page.add_init_script(CSP_WATCH)
    page.goto(f"{server.url}/display/?slide=konsultatsia-2026-001")
    expect(page.locator("html")).to_have_class("landscape still")
    text = page.locator("body").inner_text()
    assert "Проект на Наредба за зелената система" in text
    assert long_date(BUILD_TIME) not in text and "25.11.2026" not in text
    assert "остават" not in text and "последен ден" not in text
    assert page.evaluate("window.__csp") == []
    page.close()


def test_qr_codes_are_cached_with_the_slides(day_one: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The next build draws no QR code again, and the cache holds only the codes of the current slides."""
    from uchastvai.display import qr

    drawn_codes: list[str] = []
    make = qr.qr_svg
    monkeypatch.setattr(qr, "qr_svg", lambda url, *args: drawn_codes.append(url) or make(url, *args))
    rebuild(day_one, "qr-before", days=1)  # the cache as the day before left it (other tests change content)
    drawn_codes.clear()
    output = rebuild(day_one, "qr", days=2)
    assert drawn_codes == []
    slides = json.loads((output / "display" / "slides.json").read_bytes())["slides"]
    cached = sorted(day_one["cache"].rglob("display/qr/*.svg"))
    addresses = {slide["url"] for slide in slides} | {"https://uchastvai.primerno.example/"}  # + the default slide
    assert len(cached) == len(addresses) == 5
