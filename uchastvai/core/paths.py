"""Site-relative addresses of the site's own sections, declared once.

Latin folder names by the official transliteration. Python (generators, sitemap,
robots.txt, feeds) and the templates (the Jinja global ``paths``) read these, so a
section moves by changing one line. The content sections' folders (``konsultatsii/``,
...) are declared with their content types in :mod:`uchastvai.content.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SitePaths:
    """Each address ends with ``/`` (a folder with an ``index.html``) unless it is a file."""

    search: str = "tarsene/"
    archive: str = "arhiv/"
    propose: str = "predlozhi-ideya/"
    subscribe: str = "abonament/"
    data: str = "danni/"
    drafts: str = "chernovi/"
    display: str = "display/"
    feeds: str = "feeds/"
    calendars: str = "kalendar/"
    help: str = "pomosht/"
    not_found: str = "404.html"
    year_facet: str = "godina/"
    area_facet: str = "mesto/"


PATHS = SitePaths()
