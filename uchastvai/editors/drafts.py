"""``/chernovi/``: the list of drafts in the preview, so editors find the pages they are writing.

Drafts (``draft: yes``) are built at ``/chernovi/<slug>/`` in the preview only
(``DRAFT_SAVE_AS`` is empty when publishing); without an index their addresses had to be
guessed. The index is written only when drafts are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pelican.generators import Generator

from uchastvai.content.schema import CONTENT_TYPES
from uchastvai.core.i18n import gettext
from uchastvai.editors.editors_report import source_of

DRAFTS_URL = "chernovi/"


@dataclass(frozen=True)
class DraftEntry:
    title: str
    url: str
    kind: str
    source: str


def draft_entries(contents: list[Any]) -> list[DraftEntry]:
    """Every draft with its address, kind and file, by title."""
    entries = []
    for content in contents:
        model = CONTENT_TYPES.get(content.metadata.get("type", ""))
        kind = gettext(model.label) if model else ""
        entries.append(DraftEntry(content.title, content.url, kind, source_of(content)))
    return sorted(entries, key=lambda entry: entry.title)


class DraftsGenerator(Generator):
    """Writes ``/chernovi/index.html`` in the preview."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Any) -> None:
        if not self.settings.get("DRAFT_SAVE_AS"):
            return  # the published site has no drafts
        contents = [*self.context.get("drafts", []), *self.context.get("draft_pages", [])]
        writer.write_file(
            f"{DRAFTS_URL}index.html",
            self.get_template("drafts"),
            self.context,
            relative_urls=False,
            page_url=DRAFTS_URL,
            drafts=draft_entries(contents),
        )


def add_generator(pelican: Any) -> type[Generator]:
    """Receiver of Pelican's ``get_generators`` signal."""
    return DraftsGenerator
