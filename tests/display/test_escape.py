"""A hostile title stays text on both kiosk pages and in every player feed (issue 11).

Built with Jinja's autoescape on, as in production: the kiosk shows the editor's text as
written, escaped exactly once; what goes to players is plain text without markup.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from tests.display.conftest import AUTOESCAPE, CSP_WATCH, build_small

HOSTILE = 'Промени <script>alert(1)</script> & „кавички“ "x"'
KEY = "konsultatsia-2026-001"
PAGES = ("display/index.html", "display/portrait/index.html")


@pytest.fixture
def hostile_site(small_content: Path, tmp_path: Path) -> Path:
    source = small_content / "consultations" / "2026-001-naredba.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace("title: Проект на Наредба за зелената система", f"title: '{HOSTILE}'", 1), encoding="utf-8"
    )
    return build_small(small_content, tmp_path / "out", **AUTOESCAPE)


def test_the_kiosk_pages_escape_the_title_exactly_once(hostile_site: Path) -> None:
    for path in PAGES:
        html = (hostile_site / path).read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        scripts = soup.find_all("script")
        assert len(scripts) == 2, scripts
        assert scripts[0].get("type") == "application/json"
        assert scripts[1].get("src", "").startswith("assets/") or scripts[1]["src"].startswith("../assets/")
        title = soup.select_one(f"#slide-{KEY} .title")
        assert title.get_text() == HOSTILE
        assert title["data-full"] == HOSTILE
        assert "&amp;amp;" not in html and "&amp;lt;" not in html and "&amp;#34;" not in html
        assert "<style" not in html and " style=" not in html  # nothing the CSP would block


def test_the_hostile_title_is_inert_in_the_browser(browser: Any, hostile_site: Path, serve: Any) -> None:
    server = serve(hostile_site)
    dialogs: list[str] = []
    for path, (width, height) in (("display/", (1920, 1080)), ("display/portrait/", (1080, 1920))):
        page = browser.new_page(viewport={"width": width, "height": height}, service_workers="block")
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.add_init_script(CSP_WATCH)
        page.goto(f"{server.url}/{path}")
        expect(page.locator("html")).to_have_attribute("data-ready", "1")
        page.evaluate("key => window.uchastvaiShow(key)", KEY)
        title = page.locator(f"#slide-{KEY} .title")
        expect(title).to_contain_text("Промени <script>alert(1)</script>")
        assert title.get_attribute("data-full") == HOSTILE
        assert page.locator("script").count() == 2
        assert dialogs == []
        assert page.evaluate("window.__csp") == []
        page.close()


def test_player_feeds_carry_the_title_as_plain_text(hostile_site: Path) -> None:
    display = hostile_site / "display"
    for path in ("rss.xml", "rss/konsultatsii.xml"):
        titles = [item.findtext("title") for item in ET.parse(display / path).getroot().iter("item")]
        hostile = [title for title in titles if title.startswith("Промени")]
        assert hostile, titles
        for title in hostile:
            assert "<" not in title and ">" not in title
            assert title == 'Промени alert(1) & „кавички“ "x"'
    slides = json.loads((display / "slides.json").read_text(encoding="utf-8"))["slides"]
    texts = [s["title"] for s in slides if s["title"].startswith("Промени")]
    assert len(texts) == 2  # the consultation and its hearing
    assert all("<" not in text for text in texts)
