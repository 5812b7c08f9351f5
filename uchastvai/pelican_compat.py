"""Every use of Pelican beyond its documented plugin API, in one place.

The plugin otherwise talks to Pelican through signals, generators and the ``Writer``.
What is left here reaches into Pelican objects; ``tests/test_pelican_compat.py`` checks
each function against the installed Pelican, so an upgrade that changes one of them
fails there, loudly and by name, instead of somewhere in a page.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from uchastvai.content.schema import ContentItem
from uchastvai.core import buildcache, written

ItemT_co = TypeVar("ItemT_co", bound=ContentItem, covariant=True)


class SiteContent(Protocol[ItemT_co]):
    """A Pelican article or page as the site uses it: Pelican's fields plus our ``item`` and ``facts``.

    ``item`` (the validated front matter, ``SiteContent[Consultation]`` for a consultation) and
    ``facts`` (derived at the build time) are attached by :func:`attach` after validation; only
    valid items reach the catalogue.
    """

    @property
    def item(self) -> ItemT_co: ...

    facts: Any
    title: str
    url: str
    date: datetime
    source_path: str
    metadata: dict[str, Any]


def raw_body(content: Any) -> str:
    """The body HTML as the reader returned it, before Pelican resolves ``{filename}`` links.

    ``Content.content`` would resolve (and only log) broken links; validation wants them
    as they were written. Pelican keeps this text in the private ``_content``.
    """
    body: str | None = content._content
    return body or ""


def freeze_url(content: Any) -> None:
    """Fix the content's URL as Pelican does for a ``URL`` metadata field (``override_url``).

    Pelican recomputes ``url`` from the URL patterns on every access; once reading is over
    it cannot change, so it is computed once.
    """
    content.override_url = content.url


def register_reader(readers: Any, reader_class: type, extensions: list[str]) -> None:
    """Make ``reader_class`` read these extensions (the ``readers_init`` pattern of Pelican's docs)."""
    for extension in extensions:
        readers.reader_classes[extension] = reader_class


def is_cached(readers: Any, path: str) -> bool:
    """Whether Pelican's reader cache holds ``path`` (the method is public but undocumented)."""
    return readers.get_cached_data(path, None) is not None


def attach(content: Any, item: ContentItem, facts: object) -> None:
    """Give a Pelican content object the site's typed item and its facts (see :class:`SiteContent`)."""
    content.item = item
    content.facts = facts


def has_item(content: Any) -> bool:
    """Whether validation attached an item (files with errors have none)."""
    return hasattr(content, "item")


def announce_written(path: Path, context: dict[str, Any]) -> None:
    """Tell other plugins about a file written without the ``Writer`` (static bytes such as the CSS).

    The ``Writer`` sends ``content_written`` for every page it renders; files we write
    ourselves send it too, so minifiers, compressors and similar plugins see them.
    """
    written.announce(path, context)


# Pelican refuses to write one file twice: FileOverwriteFailedError (a RuntimeError) since 4.10,
# a plain RuntimeError with this wording before; both name the file.
_OVERWRITE_WORDS = ("to be overwritten", "overridden twice", "Failed to overwrite")
_OVERWRITTEN_FILE = re.compile(r'"([^"]+)"|^File (.+?) is ')


def overwritten_file(error: BaseException) -> str | None:
    """The file Pelican refused to write twice, if ``error`` is that refusal (else None)."""
    message = str(error)
    if not isinstance(error, RuntimeError) or not any(words in message for words in _OVERWRITE_WORDS):
        return None
    match = _OVERWRITTEN_FILE.search(message)
    return (match.group(1) or match.group(2)) if match else message


def output_location(content: Any) -> tuple[str, str]:
    """``(url, save_as)`` of a content object or static file without touching its location.

    Pelican's ``Static.url``/``save_as`` mark the file as referenced, after which an
    ``{attach}`` link can no longer move it; reading them through ``Content``'s own
    properties computes the same values without that mark.
    """
    return _location(content, getattr(content, "override_url", None), getattr(content, "override_save_as", None))


@buildcache.per_build
def _location(content: Any, _override_url: str | None, _override_save_as: str | None) -> tuple[str, str]:
    """Computed once per object and build (Pelican formats it anew on each access; an
    ``{attach}`` link that moves the file sets both overrides, which are part of the key)."""
    from pelican.contents import Content

    return Content.url.fget(content), Content.save_as.fget(content)


def referenced_statics(context: dict[str, Any]) -> list[str]:
    """Static files whose address a page has read (Pelican's ``Static`` notes it in the
    private ``_output_location_referenced``, after which an ``{attach}`` link no longer moves
    the file), by source path."""
    statics = context.get("static_content") or {}
    return [source for source, static in statics.items() if getattr(static, "_output_location_referenced", False)]


def mark_referenced(context: dict[str, Any], sources: list[str]) -> None:
    """What :func:`referenced_statics` of another process's rendering found, noted here too."""
    statics = context.get("static_content") or {}
    for source in sources:
        if source in statics:
            statics[source]._output_location_referenced = True
