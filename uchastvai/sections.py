"""Section list pages: one per content type, and one per state as a filter.

Filters are separate static pages (``/konsultatsii/otvoreni/``), so they work with
JavaScript off and can be linked and bookmarked.
"""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator

from uchastvai.catalog import SECTION_TYPES
from uchastvai.derive import STATE_SLUGS, state_label
from uchastvai.schema import CONTENT_TYPES


def section_url(type_name: str, state: str | None = None) -> str:
    """Site-relative URL of a section list, or of one state within it."""
    section = CONTENT_TYPES[type_name].section
    return f"{section}/{STATE_SLUGS[state]}/" if state else f"{section}/"


class SectionGenerator(Generator):
    """Writes the list page of each section and its state filters from the catalogue."""

    def generate_context(self) -> None:
        self.context["section_url"] = section_url

    def generate_output(self, writer: Any) -> None:
        catalog = self.context["catalog"]
        template = self.get_template("section")
        for type_name in SECTION_TYPES:
            model = CONTENT_TYPES[type_name]
            states = catalog.states(type_name)
            filters = [(state, state_label(state), section_url(type_name, state)) for state in states]
            variants = [(None, catalog.items(type_name))] + [(s, catalog.in_state(type_name, s)) for s in states]
            for state, items in variants:
                url = section_url(type_name, state)
                writer.write_file(
                    f"{url}index.html",
                    template,
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    type_name=type_name,
                    model=model,
                    items=items,
                    state=state,
                    filters=filters,
                    page_url=url,
                )
