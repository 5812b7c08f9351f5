"""Absolute URLs and stable identifiers, shared by feeds, calendars, data and displays.

An item's identifier must never change when its text is corrected, so it is built from
what editors do not edit after publication: the site's domain, the content type and
the item's number or code (or, for news and pages, the source file's name).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from uchastvai.content.schema import Consultation, ContentItem, Idea, Project


def municipality_name(settings: dict[str, Any]) -> str:
    """Who publishes the site: ``MUNICIPALITY["name"]``, else the site's name (the one fallback)."""
    name: str = (settings.get("MUNICIPALITY") or {}).get("name") or settings.get("SITENAME", "")
    return name


def absolute_url(settings: dict[str, Any], path: str) -> str:
    """``path`` (site-relative, as Pelican's ``content.url``) under SITEURL."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings['SITEURL'].rstrip('/')}/{path.lstrip('/')}"


def item_key(item: ContentItem, source_path: str) -> str:
    """The part of an identifier that names one item: number, code or file name."""
    if isinstance(item, (Consultation, Idea)):
        return item.id
    if isinstance(item, Project):
        return item.code
    return Path(source_path).stem


# What RFC 4151 allows unencoded in the specific part of a tag URI besides letters, digits
# and -._~ (pchar, "/" and "?"); everything else, Cyrillic included, is percent-encoded.
_TAG_SAFE = "/?:@!$&'()*+,;="


def tag_uri(settings: dict[str, Any], specific: str) -> str:
    """``tag:<domain>,<ID_DATE>:<specific>``, valid whatever ``specific`` holds (``И-1`` → ``%D0%98-1``).

    Encoding is one-to-one, so two items never share an identifier, and a part that was
    already valid is kept as it is.
    """
    domain = urlsplit(settings["SITEURL"]).hostname or "localhost"
    year = settings.get("ID_DATE", "2026")
    return f"tag:{domain},{year}:{quote(specific, safe=_TAG_SAFE)}"


def stable_id(settings: dict[str, Any], content: Any, suffix: str = "") -> str:
    """A tag URI (RFC 4151) such as ``tag:uchastvai.example,2026:consultation/2026-014``.

    The date is the site-wide ``ID_DATE`` setting (when the site started using its
    domain), so the identifier stays the same when an item's text, slug, dates or the
    build change; ``suffix`` names an event within the item (a hearing, a document).
    """
    key = item_key(content.item, content.source_path)
    tail = f"/{suffix}" if suffix else ""
    return tag_uri(settings, f"{content.item.type_name}/{key}{tail}")
