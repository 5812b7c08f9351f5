"""Section list pages: one per content type, and one per state as a filter.

Filters are separate static pages (``/konsultatsii/otvoreni/``), so they work with
JavaScript off and can be linked and bookmarked. Long lists are split into pages of
``SECTION_PAGE_SIZE`` items (``/novini/page/2/``, Pelican's ``PAGINATION_PATTERNS``), so a
national archive of 20,000 items still gives list pages of a few dozen kilobytes.
"""

from __future__ import annotations

from typing import Any

from pelican.generators import Generator
from pelican.paginator import Paginator

from uchastvai.content.schema import CONTENT_TYPES
from uchastvai.content.vocabulary import State, find_state
from uchastvai.facts.catalog import SECTION_TYPES, Catalog
from uchastvai.facts.derive import state_label
from uchastvai.outputs.incremental import pure


def section_url(type_name: str, state: State | str | None = None) -> str:
    """Site-relative URL of a section list, or of one state within it (a member or its value)."""
    section = CONTENT_TYPES[type_name].section
    if not state:
        return f"{section}/"
    return f"{section}/{find_state(type_name, state).slug}/"


def state_filters(catalog: Catalog, type_name: str) -> list[tuple[State, str, str]]:
    """(state, label, URL) of each state present in a section: the filter links of its lists."""
    return [(state, state_label(state), section_url(type_name, state)) for state in catalog.states(type_name)]


class SectionGenerator(Generator):
    """Writes the list page of each section and its state filters from the catalogue."""

    def generate_context(self) -> None:
        self.context["section_url"] = pure(section_url)

    def generate_output(self, writer: Any) -> None:
        catalog = self.context["catalog"]
        template = self.get_template("section")
        for type_name in SECTION_TYPES:
            model = CONTENT_TYPES[type_name]
            states = catalog.states(type_name)
            if type_name == "consultation" and "open" not in states:
                states = [*states, "open"]  # the feeds page links to it always: an empty list, not a 404
            filters = state_filters(catalog, type_name)
            variants = [(None, catalog.items(type_name))] + [(s, catalog.in_state(type_name, s)) for s in states]
            for state, items in variants:
                url = section_url(type_name, state)
                paginator = Paginator(f"{url}index.html", url, items, self.settings, self.page_size)
                for number in paginator.page_range:
                    page = paginator.page(number)
                    writer.write_file(
                        page.save_as,
                        template,
                        self.context,
                        relative_urls=self.settings["RELATIVE_URLS"],
                        type_name=type_name,
                        model=model,
                        items=page.object_list,
                        state=state,
                        filters=filters,
                        page_url=page.url,
                        pagination=page,
                    )

    @property
    def page_size(self) -> int:
        """Items per list page (0: everything on one page)."""
        return int(self.settings.get("SECTION_PAGE_SIZE") or 0)
