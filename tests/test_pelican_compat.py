"""The few places we reach into Pelican (uchastvai.pelican_compat) still work with the installed Pelican.

Each test names the Pelican internal it relies on: after an upgrade, a failure here says
which adapter function to rewrite.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pelican
from pelican import signals
from pelican.contents import Article
from pelican.readers import Readers
from pelican.settings import DEFAULT_CONFIG

from uchastvai import pelican_compat
from uchastvai.content.reader import FrontMatterReader
from uchastvai.core.dates import SOFIA

DATE = datetime(2026, 1, 1, tzinfo=SOFIA)


def settings(tmp_path: Path) -> dict[str, Any]:
    return {**DEFAULT_CONFIG, "PATH": str(tmp_path), "CACHE_PATH": str(tmp_path / "cache")}


def test_the_raw_body_is_the_readers_html_before_links_are_resolved(tmp_path: Path) -> None:
    body = '<p><a href="{filename}/missing.md">x</a></p>'
    article = Article(body, metadata={"title": "T", "date": DATE}, settings=settings(tmp_path))
    assert pelican_compat.raw_body(article) == body  # Content._content


def test_a_frozen_url_survives_a_changed_url_pattern(tmp_path: Path) -> None:
    article = Article("", metadata={"title": "T", "slug": "t", "date": DATE}, settings=settings(tmp_path))
    before = article.url
    pelican_compat.freeze_url(article)  # Content.override_url
    article.settings = {**article.settings, "ARTICLE_URL": "elsewhere/{slug}/"}
    assert article.url == before


def test_a_static_whose_address_was_read_is_known_and_can_be_marked_so(tmp_path: Path) -> None:
    """Pelican's Static no longer moves to an {attach} link's folder once its address was read."""
    from pelican.contents import Static

    def statics() -> dict[str, Static]:
        return {
            name: Static("", metadata={"title": name}, settings=settings(tmp_path), source_path=str(tmp_path / name))
            for name in ("a.pdf", "b.pdf")
        }

    context: dict[str, Any] = {"static_content": statics()}
    assert pelican_compat.referenced_statics(context) == []
    assert context["static_content"]["a.pdf"].url  # reading the address marks it
    assert pelican_compat.referenced_statics(context) == ["a.pdf"]

    elsewhere: dict[str, Any] = {"static_content": statics()}
    pelican_compat.mark_referenced(elsewhere, ["a.pdf"])
    assert pelican_compat.referenced_statics(elsewhere) == ["a.pdf"]
    page = Article("", metadata={"title": "T", "slug": "t", "date": DATE}, settings=settings(tmp_path))
    page.source_path = str(tmp_path / "sub" / "t.md")
    page.override_save_as = "sub/t/index.html"
    for static in elsewhere["static_content"].values():
        static.attach_to(page)
    where = {name: pelican_compat.output_location(s)[1] for name, s in elsewhere["static_content"].items()}
    assert where == {"a.pdf": "a.pdf", "b.pdf": "sub/t/b.pdf"}  # the marked one stays, the other moves


def test_a_registered_reader_reads_markdown(tmp_path: Path) -> None:
    readers = Readers(settings(tmp_path))
    pelican_compat.register_reader(readers, FrontMatterReader, ["md"])  # Readers.reader_classes
    assert readers.reader_classes["md"] is FrontMatterReader


def test_the_reader_cache_answers_whether_a_file_is_cached(tmp_path: Path) -> None:
    cached = {
        **settings(tmp_path),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "reader",
    }
    readers = Readers(cached, cache_name="articles")
    path = str(tmp_path / "a.md")
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    assert not pelican_compat.is_cached(readers, path)  # FileStampDataCacher.get_cached_data
    readers.cache_data(path, ("html", {}))
    assert pelican_compat.is_cached(readers, path)


def test_written_files_are_announced_with_pelicans_signal(tmp_path: Path) -> None:
    heard: list[str] = []

    def listen(path: str, context: dict[str, Any]) -> None:
        heard.append(path)

    signals.content_written.connect(listen)
    try:
        pelican_compat.announce_written(tmp_path / "site.css", {})
    finally:
        signals.content_written.disconnect(listen)
    assert heard == [str(tmp_path / "site.css")]


def test_pelican_is_within_the_supported_range() -> None:
    """pyproject.toml's range; widen it only after the tests pass at the new version."""
    major, minor = (int(part) for part in pelican.__version__.split(".")[:2])
    assert (4, 9) <= (major, minor) < (5, 0), pelican.__version__


def test_a_refused_second_write_names_its_file_in_every_supported_pelican() -> None:
    """4.10+ raises FileOverwriteFailedError with the name quoted; 4.9 a RuntimeError without quotes."""
    from uchastvai.pelican_compat import overwritten_file

    newer = RuntimeError('Failed to overwrite "/out/novini/index.html" a second time (was previously overwritten)')
    older = RuntimeError("File /out/novini/index.html is to be overwritten")

    assert overwritten_file(newer) == "/out/novini/index.html"
    assert overwritten_file(older) == "/out/novini/index.html"
    assert overwritten_file(RuntimeError("something else")) is None
    assert overwritten_file(ValueError("File /x is to be overwritten")) is None
