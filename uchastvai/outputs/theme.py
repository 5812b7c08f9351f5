"""The citizens' theme: its own pages, its assets and the files around it, wired in one place.

Pages that come from no Markdown file (search, archive, „Предложи идея“, 404 and the
year and area filters of the section lists) are written by :class:`ThemePagesGenerator`
from the catalogue. The stylesheet gets the municipality's colours from the settings
and a content hash in its name, so the pages need no inline style (a strict
Content-Security-Policy) and browsers may cache it for a year.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator
from pelican.paginator import Paginator

from uchastvai import pelican_compat
from uchastvai.content import images
from uchastvai.content.schema import CONTENT_TYPES
from uchastvai.content.slugs import slugify
from uchastvai.core.paths import PATHS
from uchastvai.facts.catalog import SECTION_TYPES, Catalog, Content
from uchastvai.outputs import search, seo
from uchastvai.outputs.incremental import pure
from uchastvai.outputs.sections import state_filters

# Site-relative addresses of the theme's own pages (Latin, by the official transliteration).
THEME_PAGES: dict[str, str] = {
    "search": PATHS.search,
    "archive": PATHS.archive,
    "propose": PATHS.propose,
    "not_found": PATHS.not_found,
}
# Static files published under a content-hashed name; the CSS ends with the colours.
ASSETS: tuple[str, ...] = ("css/site.css", "js/search.js")
ROOT_FILES: tuple[str, ...] = ("img/favicon.ico",)


def theme_url(name: str) -> str:
    return THEME_PAGES[name]


@dataclass(frozen=True)
class Asset:
    """A static file with the name it is published under."""

    name: str
    url: str
    data: bytes


def colour_rules(municipality: dict[str, Any]) -> str:
    """The municipality's colours as CSS custom properties (the CSS has neutral defaults)."""
    colours = municipality.get("colours") or {}
    declarations = "".join(f"--{name}:{value};" for name, value in sorted(colours.items()))
    return f":root{{{declarations}}}\n" if declarations else ""


def hashed_name(name: str, data: bytes) -> str:
    """``css/site.css`` → ``assets/site.1a2b3c4d.css``: a new name whenever the content changes."""
    path = Path(name)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"assets/{path.stem}.{digest}{path.suffix}"


def load_assets(static_dir: Path, settings: dict[str, Any]) -> dict[str, Asset]:
    assets: dict[str, Asset] = {}
    for name in ASSETS:
        data = (static_dir / name).read_bytes()
        if name.endswith(".css"):
            data = data + colour_rules(settings.get("MUNICIPALITY", {})).encode()
        assets[name] = Asset(name, hashed_name(name, data), data)
    return assets


@dataclass(frozen=True)
class Facet:
    """One value of a filter of a section list (a year, an area) and its page."""

    value: str
    label: str
    url: str


def year_of(content: Content) -> str | None:
    date = getattr(content, "date", None)
    return str(date.year) if date and date.year > 1970 else None


def area_of(content: Content) -> str | None:
    return getattr(content.item, "area", None)


def facets(catalog: Catalog, type_name: str) -> dict[str, list[Facet]]:
    """Years (newest first) and areas (alphabetical) present in a section."""
    section = CONTENT_TYPES[type_name].section
    items = catalog.items(type_name)
    years = sorted({y for y in map(year_of, items) if y}, reverse=True)
    areas: dict[str, str] = {}
    for area in sorted({a for a in map(area_of, items) if a}):
        areas.setdefault(area_slug(area), area)  # areas written differently but with one address share its page
    return {
        "year": [Facet(y, y, f"{section}/{PATHS.year_facet}{y}/") for y in years],
        "area": [Facet(a, a, f"{section}/{PATHS.area_facet}{slug}/") for slug, a in areas.items()],
    }


@functools.lru_cache(maxsize=4096)
def area_slug(area: str) -> str:
    """The address part of an area, computed once per name (facet pages test every item)."""
    return slugify(area)


def _facet_key(kind: str, value: str) -> tuple[str, str]:
    return (kind, value if kind == "year" else area_slug(value))


def facet_groups(catalog: Catalog, type_name: str) -> dict[tuple[str, str], list[Content]]:
    """The items of each year and area of a section, in the section's order, in one pass."""
    groups: dict[tuple[str, str], list[Content]] = {}
    for content in catalog.items(type_name):
        if year := year_of(content):
            groups.setdefault(("year", year), []).append(content)
        if area := area_of(content):
            groups.setdefault(("area", area_slug(area)), []).append(content)
    return groups


ARCHIVE_PAGE_SIZE = 200


def archive_years(catalog: Catalog) -> list[tuple[str, list[Content]]]:
    """Every item of every section by year, newest first: the list that needs no search."""
    by_year: dict[str, list[Content]] = {}
    for type_name in SECTION_TYPES:
        for content in catalog.items(type_name):
            by_year.setdefault(year_of(content) or "", []).append(content)
    for items in by_year.values():
        items.sort(key=lambda content: (content.date, content.title), reverse=True)
    return sorted(by_year.items(), key=lambda pair: pair[0], reverse=True)


class ThemePagesGenerator(Generator):
    """Writes the theme's own pages and assets; their addresses reach every template."""

    def generate_context(self) -> None:
        self.assets = load_assets(Path(self.theme) / "static", self.settings)
        self.context["theme_url"] = pure(theme_url)
        self.context["asset_url"] = pure(lambda name: self.assets[name].url)  # the theme is in every key
        known: dict[str, dict[str, list[Facet]]] = {}

        def section_facets(type_name: str) -> dict[str, list[Facet]]:
            """Once per section and build: every list page of the section asks (and replays) it.
            A plain function, not ``functools.cache``: the output cache records calls only of
            functions (``incremental._is_function``)."""
            if type_name not in known:
                known[type_name] = facets(self.context["catalog"], type_name)
            return known[type_name]

        self.context["section_facets"] = self.section_facets = section_facets

    def generate_output(self, writer: Any) -> None:
        output = Path(self.output_path)
        for asset in self.assets.values():
            target = output / asset.url
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(asset.data)
            pelican_compat.announce_written(target, self.context)
        for name in ROOT_FILES:
            target = output / Path(name).name
            shutil.copyfile(Path(self.theme) / "static" / name, target)
            pelican_compat.announce_written(target, self.context)
        catalog = self.context["catalog"]
        self._write(writer, "search", "search")
        self._write_archive(writer, archive_years(catalog))
        self._write(writer, "propose", "propose")
        self._write(writer, "not_found", "404")
        for type_name in SECTION_TYPES:
            self._write_facets(writer, catalog, type_name)

    def _write(self, writer: Any, page: str, template: str, **kwargs: Any) -> None:
        url = THEME_PAGES[page]
        save_as = url if url.endswith(".html") else f"{url}index.html"
        writer.write_file(
            save_as, self.get_template(template), self.context, relative_urls=False, page_url=url, **kwargs
        )

    def _write_archive(self, writer: Any, years: list[tuple[str, list[Content]]]) -> None:
        """An index of years, then each year on its own pages, so no page grows with the archive."""
        base = THEME_PAGES["archive"]
        index = [(year, len(items), f"{base}{year}/") for year, items in years]
        self._write(writer, "archive", "archive", years=index)
        template = self.get_template("archive")
        for year, items in years:
            chunks = [items[start : start + ARCHIVE_PAGE_SIZE] for start in range(0, len(items), ARCHIVE_PAGE_SIZE)]
            urls = [f"{base}{year}/"] + [f"{base}{year}/page/{number}/" for number in range(2, len(chunks) + 1)]
            for number, (chunk, url) in enumerate(zip(chunks, urls, strict=True), start=1):
                writer.write_file(
                    f"{url}index.html",
                    template,
                    self.context,
                    relative_urls=False,
                    page_url=url,
                    year=year,
                    items=chunk,
                    page_number=number,
                    page_urls=urls,
                )

    def _write_facets(self, writer: Any, catalog: Catalog, type_name: str) -> None:
        """Each year and area of a section, split into pages like the section lists (a year
        of news at national scale would otherwise exceed the page-weight limit)."""
        template = self.get_template("section")
        filters = state_filters(catalog, type_name)
        page_size = int(self.settings.get("SECTION_PAGE_SIZE") or 0)
        groups = facet_groups(catalog, type_name)
        for kind, values in self.section_facets(type_name).items():
            for facet in values:
                items = groups.get(_facet_key(kind, facet.value), [])
                paginator = Paginator(f"{facet.url}index.html", facet.url, items, self.settings, page_size)
                for number in paginator.page_range:
                    page = paginator.page(number)
                    writer.write_file(
                        page.save_as,
                        template,
                        self.context,
                        relative_urls=False,
                        type_name=type_name,
                        model=CONTENT_TYPES[type_name],
                        items=page.object_list,
                        state=None,
                        facet=(kind, facet.label),
                        filters=filters,
                        page_url=page.url,
                        pagination=page,
                    )


def theme_generators(pelican: Any) -> Iterable[type[Generator]]:
    return (ThemePagesGenerator, seo.SeoGenerator, images.ImagesGenerator)


def connect_signals() -> None:
    """Everything the theme adds to a build; called from :func:`uchastvai.plugin.connect_signals`."""
    signals.get_generators.connect(theme_generators)
    signals.page_writer_finalized.connect(search.start_indexing)
    signals.finalized.connect(search.index_site)
