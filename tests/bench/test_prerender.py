"""Markdown converted by worker processes is the same HTML the reader makes itself."""

from __future__ import annotations

from pathlib import Path

from bench import corpus
from tests.conftest import SETTINGS
from uchastvai.build import load_settings
from uchastvai.content.reader import markdown_converter, render_body
from uchastvai.prerender import Prerendered


def markdown_settings() -> dict:
    """The site's own Markdown settings, as Pelican completes them."""
    return load_settings(SETTINGS, {})["MARKDOWN"]


def test_workers_give_the_same_html_as_the_reader(tmp_path: Path) -> None:
    corpus.generate(120, seed=5, ours=tmp_path / "content")
    paths = sorted(str(path) for path in (tmp_path / "content").rglob("*.md"))
    settings = markdown_settings()
    prerendered = Prerendered(paths, settings, processes=2)
    converter = markdown_converter(settings)
    for path in paths:
        assert prerendered.take(path) == render_body(converter, Path(path).read_text(encoding="utf-8"))


def test_a_path_not_handed_to_the_workers_is_left_to_the_reader(tmp_path: Path) -> None:
    page = tmp_path / "a.md"
    page.write_text("---\ntitle: А\n---\nТекст\n", encoding="utf-8")
    prerendered = Prerendered([str(page)], markdown_settings(), processes=1)
    assert prerendered.take(str(tmp_path / "other.md")) is None
    assert prerendered.take(str(page)) == "<p>Текст</p>"
    assert prerendered.take(str(page)) is None  # taken once
