"""The displays name the municipality through the one fallback (uchastvai.facts.urls.municipality_name),
and warn once per build, not once per process (the preview builds many times in one process)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.conftest import BUILD_TIME
from uchastvai.core import buildcache
from uchastvai.display import render
from uchastvai.display.config import DisplayConfig
from uchastvai.display.feeds import player_rss, slides_json
from uchastvai.display.slides import default_slide

SITENAME = "Участвай – Примерно"


@pytest.fixture(params=[{}, {"MUNICIPALITY": {"town": "Примерно"}}, {"MUNICIPALITY": {"name": ""}}])
def unnamed(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings whose municipality has no name (left out, or empty): the site's name stands for it."""
    return {"SITEURL": "https://uchastvai.primerno.example", "SITENAME": SITENAME, **request.param}


def test_the_default_slide_falls_back_to_the_site_name(unnamed: dict[str, Any]) -> None:
    slide = default_slide(unnamed, DisplayConfig(), BUILD_TIME)
    assert slide.kicker == SITENAME
    assert SITENAME in slide.lines[0].text


def test_the_player_feeds_fall_back_to_the_site_name(unnamed: dict[str, Any]) -> None:
    slide = default_slide(unnamed, DisplayConfig(), BUILD_TIME)
    data = json.loads(slides_json([slide], {}, settings=unnamed, build_time=BUILD_TIME, version="1", poll_seconds=300))
    assert data["municipality"] == SITENAME
    rss = player_rss([slide], {}, settings=unnamed, build_time=BUILD_TIME, self_path="rss.xml", title="t")
    assert f"<description>Слайдове на външните дисплеи на {SITENAME}</description>" in rss.decode("utf-8")


def test_a_display_warning_is_given_again_in_the_next_build(caplog: pytest.LogCaptureFixture) -> None:
    message = "Display images were not made (test); the player feeds are written without them."
    with caplog.at_level(logging.WARNING, logger=render.logger.name):
        buildcache.clear()
        render._warn_once(message)
        render._warn_once(message)
        buildcache.clear()  # a new build starts (Pelican's initialized signal)
        render._warn_once(message)
    assert [record.getMessage() for record in caplog.records] == [message, message]
