"""The IT staff's page /display/nastroyka/ and the version a player can be checked against."""

from __future__ import annotations

import json
from pathlib import Path

from bs4 import BeautifulSoup

SITEURL = "http://127.0.0.1:8000"


def help_page(output: Path) -> BeautifulSoup:
    return BeautifulSoup((output / "display" / "nastroyka" / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_page_covers_a_raspberry_pi_kiosk(autoescaped_sample: Path) -> None:
    page = help_page(autoescaped_sample)
    codes = [code.get_text() for code in page.select("#raspberry-pi ~ ol code")]
    (command,) = [code for code in codes if code.startswith("chromium-browser --kiosk")]
    assert command.endswith(f"{SITEURL}/display/ &")
    assert "--user-data-dir=" in command and "--incognito" not in command and "--guest" not in command
    assert "~/.config/labwc/autostart" in codes
    assert "sudo raspi-config nonint do_blanking 1" in codes
    assert "wlr-randr --output HDMI-A-1 --transform 90" in codes
    assert f"{SITEURL}/display/portrait/" in codes
    assert any(code.startswith("unclutter") for code in codes)
    text = page.get_text(" ")
    for heading in ("Xibo, Yodeck и BrightSign", "Екрани 720p и 4K", "Коя версия е на екрана?"):
        assert heading in text
    assert "--incognito" in text  # the warning against it


def test_the_version_on_screen_and_in_version_json_agree(autoescaped_sample: Path) -> None:
    display = autoescaped_sample / "display"
    version = json.loads((display / "version.json").read_bytes())
    assert version["built"] == "2026-11-25T12:00:00+02:00"
    assert version["version"] == json.loads((display / "slides.json").read_bytes())["version"]
    for path in ("index.html", "portrait/index.html"):
        kiosk = BeautifulSoup((display / path).read_text(encoding="utf-8"), "html.parser")
        assert kiosk.select_one("#stamp").get_text() == f"Версия {version['version'][:8]} от 25.11.2026 12:00"
    links = [a["href"] for a in help_page(autoescaped_sample).select("#version ~ p a")]
    assert links == [f"{SITEURL}/display/version.json"]
