"""Every file the build writes into the output announces itself, as Pelican's ``Writer`` does.

Other plugins (sitemaps, minifiers, compressors) learn of output files only through
``content_written`` and ``feed_written``; a file written with ``open()`` behind their back is
invisible to them. Files Pelican copies itself (static files) send nothing in Pelican either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from tests.conftest import build_site

# What is in the output without a signal, each for its reason:
STATIC_PREFIXES = (
    "images/",  # content images: Pelican's StaticGenerator copies them and sends no signal
    "documents/",  # content documents (PDFs ...): copied as static files the same way
    "theme/",  # the theme's static folder: Pelican copies it (THEME_STATIC_PATHS) and sends no signal;
    # the fingerprinted copies our theme generator writes beside it are announced
    "pagefind/",  # the search index: written by the Pagefind binary, outside Python
    "admin/",  # the web editor: written on Pelican's `finalized` signal, after every generator, when
    # no generator context exists any more; its bundle (Decap's JS and WASM) is copied as is
)
STATIC_FILES = {
    "release.json",  # written by build.py after Pelican ran: no plugin listens any more, and it is
    # a deploy record about the build, not a page of the site
}


def _relative(sender: str, output: Path) -> str:
    """The announced path inside the output (builds write into a staging folder next to it)."""
    path = Path(sender).resolve()
    parent = output.parent.resolve()
    inside = path.relative_to(parent)
    return Path(*inside.parts[1:]).as_posix()


def test_every_output_file_is_announced(small_site: Path, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("UCHASTVAI_SLIDE_IMAGES", "0")
    announced: list[str] = []

    def receive(sender: str, **kwargs: Any) -> None:
        assert "context" in kwargs
        announced.append(str(sender))

    signals.content_written.connect(receive, weak=False)
    signals.feed_written.connect(receive, weak=False)
    output = tmp_path / "output"
    try:
        build_site(small_site, output)
    finally:
        signals.content_written.disconnect(receive)
        signals.feed_written.disconnect(receive)
    names = {_relative(sender, output) for sender in announced}
    silent = sorted(
        path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if path.is_file()
        and path.relative_to(output).as_posix() not in names
        and path.relative_to(output).as_posix() not in STATIC_FILES
        and not path.relative_to(output).as_posix().startswith(STATIC_PREFIXES)
    )
    assert silent == [], "\n".join(silent)
    assert "index.html" in names and "sitemap.xml" in names
