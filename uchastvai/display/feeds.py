"""What players read: plain RSS 2.0, MRSS image playlists and JSON, all from the slides.

Written to the rules of GUIDE §6, which come from what real players accept: plain-text
titles ≤ 80 and descriptions ≤ 200 characters, a pubDate on every item (some players
crash without one), a guid, an enclosure with length and type (Xibo reads only that)
and media:content beside it, ``<ttl>15</ttl>``, ``atom:link rel="self"`` and
``<language>bg</language>``. In MRSS the guid is the image's address, whose name
carries a content hash: it changes exactly when the picture does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from uchastvai.content.sanitize import xml_text
from uchastvai.core.i18n import gettext
from uchastvai.display.config import ORIENTATIONS
from uchastvai.display.slides import Slide, plain
from uchastvai.facts.urls import absolute_url, municipality_name

TTL_MINUTES = 15
PNG = "image/png"
# Player feeds by section: the slide kinds each one carries.
SECTION_FEEDS = {
    "konsultatsii": ("consultation", "hearing"),
    "proekti": ("project",),
    "novini": ("news",),
}


DCTERMS = "http://purl.org/dc/terms/"


class _ValidityFeed(BaseExtension):
    def extend_ns(self) -> dict[str, str]:
        return {"dcterms": DCTERMS}


class ValidityEntry(BaseEntryExtension):
    """``<dcterms:valid>`` of MRSS: when the item stops being true, so players drop it themselves."""

    def __init__(self) -> None:
        self._period: tuple[datetime, datetime | None] | None = None

    def valid(self, start: datetime, end: datetime | None) -> None:
        self._period = (start, end)

    def extend_rss(self, entry: Any) -> Any:
        if self._period:
            start, end = self._period
            parts = [f"start={start.isoformat()}", *([f"end={end.isoformat()}"] if end else []), "scheme=W3C-DTF"]
            etree.SubElement(entry, f"{{{DCTERMS}}}valid").text = "; ".join(parts)
        return entry


@dataclass(frozen=True)
class SlideImage:
    orientation: str
    path: str  # relative to display/
    size: int

    @property
    def width(self) -> int:
        return ORIENTATIONS[self.orientation][0]

    @property
    def height(self) -> int:
        return ORIENTATIONS[self.orientation][1]


def display_url(settings: dict[str, Any], path: str = "") -> str:
    return absolute_url(settings, f"display/{path}")


def _feed(settings: dict[str, Any], title: str, self_path: str, build_time: datetime) -> FeedGenerator:
    """A channel with the links in feedgen's order: self first, the alternate (RSS link) last."""
    feed = FeedGenerator()
    feed.load_extension("media", rss=True, atom=False)
    feed.register_extension("dcterms", _ValidityFeed, ValidityEntry, atom=False, rss=True)
    feed.title(title)
    feed.description(gettext("Slides of the outdoor displays of %(name)s") % {"name": municipality_name(settings)})
    feed.language(settings.get("DEFAULT_LANG", "bg"))
    feed.ttl(TTL_MINUTES)
    feed.lastBuildDate(build_time)
    feed.generator("uchastvai")
    feed.link(href=display_url(settings, self_path), rel="self", type="application/rss+xml")
    feed.link(href=display_url(settings), rel="alternate")
    return feed


def _add_image(entry: Any, settings: dict[str, Any], slide: Slide, image: SlideImage) -> None:
    url = display_url(settings, image.path)
    entry.enclosure(url, str(image.size), PNG)
    entry.media.content(
        url=url,
        fileSize=str(image.size),
        type=PNG,
        medium="image",
        duration=str(slide.duration),
        width=str(image.width),
        height=str(image.height),
        group=None,
    )


def _feed_text(text: str) -> str:
    """Plain text that any XML feed can carry (no markup, no control characters)."""
    return xml_text(plain(text))


def _add_item(feed: FeedGenerator, slide: Slide, guid: str, link: str) -> Any:
    entry = feed.add_entry(order="append")
    entry.title(_feed_text(slide.title) or slide.id)  # RSS needs a title: markup alone leaves none
    entry.link(href=link)
    entry.description(_feed_text(slide.summary))
    entry.pubDate(slide.updated)
    entry.guid(guid, permalink=False)
    entry.dcterms.valid(slide.updated, slide.ends)
    return entry


def player_rss(
    slides: list[Slide],
    images: dict[str, dict[str, SlideImage]],
    *,
    settings: dict[str, Any],
    build_time: datetime,
    self_path: str,
    title: str,
) -> bytes:
    """Plain RSS 2.0 for RSS players: one item per slide, the landscape image as enclosure."""
    feed = _feed(settings, title, self_path, build_time)
    for slide in slides:
        entry = _add_item(feed, slide, slide.id, slide.url)
        image = images.get(slide.key, {}).get("landscape")
        if image:
            _add_image(entry, settings, slide, image)
    data: bytes = feed.rss_str(pretty=True)
    return data


def mrss_playlist(
    slides: list[Slide],
    images: dict[str, dict[str, SlideImage]],
    *,
    settings: dict[str, Any],
    build_time: datetime,
    orientation: str,
) -> bytes:
    """MRSS playlist of one orientation's images; the guid is the image address (content-hashed)."""
    width, height = ORIENTATIONS[orientation]
    title = gettext("{site} – display images {width}×{height}").format(
        site=settings["SITENAME"], width=width, height=height
    )
    feed = _feed(settings, title, f"mrss/{orientation}.xml", build_time)
    for slide in slides:
        image = images.get(slide.key, {}).get(orientation)
        if image is None:
            continue
        entry = _add_item(feed, slide, display_url(settings, image.path), slide.url)
        _add_image(entry, settings, slide, image)
    data: bytes = feed.rss_str(pretty=True)
    return data


def slides_json(
    slides: list[Slide],
    images: dict[str, dict[str, SlideImage]],
    *,
    settings: dict[str, Any],
    build_time: datetime,
    version: str,
    poll_seconds: int,
) -> bytes:
    """The slides for players that draw their own layout (info-beamer and the like)."""
    data = {
        "version": version,
        "generated": build_time.isoformat(),
        "lang": settings.get("DEFAULT_LANG", "bg"),
        "municipality": municipality_name(settings),
        "site": absolute_url(settings, "/"),
        "poll_seconds": poll_seconds,
        "ttl_minutes": TTL_MINUTES,
        "valid_until": min((s.ends for s in slides if s.ends), default=None),
        "kiosk": {"landscape": display_url(settings), "portrait": display_url(settings, "portrait/")},
        "slides": [
            {
                **slide.to_dict(),
                "images": {
                    orientation: {
                        "url": display_url(settings, image.path),
                        "type": PNG,
                        "width": image.width,
                        "height": image.height,
                        "size": image.size,
                    }
                    for orientation, image in images.get(slide.key, {}).items()
                },
            }
            for slide in slides
        ],
    }
    if data["valid_until"]:
        data["valid_until"] = data["valid_until"].isoformat()  # the first slide to end: fetch again by then
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
