"""What search engines, link previews and security researchers read about the site.

Canonical addresses, Open Graph and JSON-LD come from the same items and facts as the
pages (a hearing in the JSON-LD is the hearing on the page), with absolute links made
by :func:`uchastvai.facts.urls.absolute_url`. The generator writes ``sitemap.xml``,
``robots.txt``, ``/.well-known/security.txt`` (its expiry a year after the build, so
a site that stops being rebuilt stops claiming to be looked after) and a redirect page
for each old address an editor listed in ``aliases``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pelican.generators import Generator

from uchastvai.content.schema import CONTENT_TYPES, Consultation, Hearing, News, Project
from uchastvai.core.dates import local
from uchastvai.core.paths import PATHS
from uchastvai.core.written import write_output
from uchastvai.facts.catalog import SECTION_TYPES
from uchastvai.facts.urls import absolute_url, municipality_name
from uchastvai.outputs.incremental import pure
from uchastvai.outputs.sections import section_url

SECURITY_TXT_VALIDITY = timedelta(days=365)
# Folders that are not for search engines: drafts and the kiosk page of the displays.
ROBOTS_DISALLOW: tuple[str, ...] = (f"/{PATHS.drafts}", f"/{PATHS.display}")
SITEMAP_THEME_PAGES: tuple[str, ...] = (PATHS.archive, PATHS.propose)


def to_json_ld(data: dict[str, Any]) -> Markup:
    """A JSON-LD block's text, safe inside ``<script>``: Jinja's ``htmlsafe_json_dumps``
    writes ``<``, ``>``, ``&`` and ``'`` as ``\\u`` escapes and, with ASCII output,
    U+2028/U+2029 too, so no value can close the element or break a script parser."""
    return htmlsafe_json_dumps(data, ensure_ascii=True, separators=(",", ":"))


def organization(settings: dict[str, Any]) -> dict[str, Any]:
    """The municipality as a schema.org GovernmentOrganization."""
    municipality = settings.get("MUNICIPALITY", {})
    data: dict[str, Any] = {
        "@type": "GovernmentOrganization",
        "name": municipality_name(settings),
        "url": municipality.get("website") or absolute_url(settings, ""),
    }
    if municipality.get("email"):
        data["email"] = municipality["email"]
    if municipality.get("phone"):
        data["telephone"] = municipality["phone"]
    if municipality.get("address"):
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": municipality["address"],
            "addressLocality": municipality.get("town", ""),
            "addressCountry": "BG",
        }
    if municipality.get("coat_of_arms"):
        data["logo"] = absolute_url(settings, municipality["coat_of_arms"])
    return data


def site_json_ld(settings: dict[str, Any]) -> Markup:
    """The home page's graph: the organisation and the site with its search."""
    site = absolute_url(settings, "")
    search = absolute_url(settings, PATHS.search) + "?q={search_term_string}"
    return to_json_ld(
        {
            "@context": "https://schema.org",
            "@graph": [
                organization(settings),
                {
                    "@type": "WebSite",
                    "name": settings.get("SITENAME", ""),
                    "url": site,
                    "inLanguage": settings.get("DEFAULT_LANG", "bg"),
                    "potentialAction": {
                        "@type": "SearchAction",
                        "target": search,
                        "query-input": "required name=search_term_string",
                    },
                },
            ],
        }
    )


def iso(value: datetime) -> str:
    return local(value).isoformat()


def hearing_event(settings: dict[str, Any], content: Any, hearing: Hearing) -> dict[str, Any]:
    """A public hearing as a schema.org Event, in person and, when linked, online."""
    place = {
        "@type": "Place",
        "name": hearing.place,
        "address": {"@type": "PostalAddress", "streetAddress": hearing.address, "addressCountry": "BG"},
    }
    event: dict[str, Any] = {
        "@type": "Event",
        "name": content.title,
        "description": content.item.summary,
        "startDate": iso(hearing.start),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode"
        if hearing.online
        else "https://schema.org/OfflineEventAttendanceMode",
        "location": [place, {"@type": "VirtualLocation", "url": hearing.online}] if hearing.online else place,
        "isAccessibleForFree": True,
        "organizer": organization(settings),
        "url": absolute_url(settings, content.url),
    }
    if hearing.end:
        event["endDate"] = iso(hearing.end)
    return event


def item_json_ld(settings: dict[str, Any], content: Any) -> Markup:
    """JSON-LD of an item page: hearings as Events, news as NewsArticle, else a WebPage."""
    item = content.item
    url = absolute_url(settings, content.url)
    graph: list[dict[str, Any]] = []
    if isinstance(item, News):
        graph.append(
            {
                "@type": "NewsArticle",
                "headline": content.title,
                "description": item.summary,
                "datePublished": item.date.isoformat(),
                "inLanguage": settings.get("DEFAULT_LANG", "bg"),
                "publisher": organization(settings),
                "url": url,
            }
        )
    else:
        page: dict[str, Any] = {"@type": "WebPage", "name": content.title, "description": item.summary, "url": url}
        if isinstance(item, Project):
            page["dateModified"] = item.updated.isoformat()
        graph.append(page)
    if isinstance(item, Consultation):
        graph += [hearing_event(settings, content, hearing) for hearing in item.hearings]
    return to_json_ld({"@context": "https://schema.org", "@graph": graph})


def canonical(settings: dict[str, Any], path: str) -> str:
    return absolute_url(settings, path)


# --------------------------------------------------------------------------- files


def lastmod(content: Any) -> str | None:
    """The date an item last changed, where the content says it (never the build's clock)."""
    item = content.item
    if isinstance(item, Project):
        return item.updated.isoformat()
    if isinstance(item, News):
        return item.date.isoformat()
    return None


def sitemap_urls(catalog: Any) -> list[tuple[str, str | None]]:
    """(site-relative URL, lastmod) of every page worth finding, in a stable order."""
    urls: list[tuple[str, str | None]] = [("", None)]
    urls += [(section_url(type_name), None) for type_name in SECTION_TYPES]
    urls += [(path, None) for path in SITEMAP_THEME_PAGES]
    for type_name in (*SECTION_TYPES, "page"):
        urls += [(content.url, lastmod(content)) for content in catalog.items(type_name)]
    return sorted(set(urls))


def sitemap_xml(settings: dict[str, Any], catalog: Any) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, modified in sitemap_urls(catalog):
        tail = f"<lastmod>{modified}</lastmod>" if modified else ""
        lines.append(f"  <url><loc>{escape(absolute_url(settings, path))}</loc>{tail}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(settings: dict[str, Any]) -> str:
    disallow = "".join(f"Disallow: {path}\n" for path in ROBOTS_DISALLOW)
    return f"User-agent: *\n{disallow}\nSitemap: {absolute_url(settings, 'sitemap.xml')}\n"


def security_txt(settings: dict[str, Any], build_time: datetime) -> str:
    """RFC 9116: who to tell about a vulnerability, valid for a year after the build."""
    municipality = settings.get("MUNICIPALITY", {})
    contact = settings.get("SECURITY_CONTACT") or f"mailto:{municipality.get('email', '')}"
    expires = (build_time + SECURITY_TXT_VALIDITY).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"Contact: {contact}\n"
        f"Expires: {expires}\n"
        "Preferred-Languages: bg, en\n"
        f"Canonical: {absolute_url(settings, '.well-known/security.txt')}\n"
    )


def alias_paths(content: Any) -> list[str]:
    """Old site-relative addresses of an item, in the folder of its section."""
    section = CONTENT_TYPES[content.item.type_name].section
    prefix = f"{section}/" if section else ""
    return [f"{prefix}{alias}/" for alias in content.item.aliases]


class SeoGenerator(Generator):
    """Puts the SEO helpers into the templates' context and writes the SEO files."""

    def generate_context(self) -> None:
        settings = self.settings
        self.context["canonical"] = pure(lambda path: canonical(settings, path))
        self.context["item_json_ld"] = pure(lambda content: item_json_ld(settings, content))
        self.context["site_json_ld"] = pure(lambda: site_json_ld(settings))

    def generate_output(self, writer: Any) -> None:
        catalog = self.context["catalog"]
        output = Path(self.output_path)
        write_output(output / "sitemap.xml", sitemap_xml(self.settings, catalog), self.context)
        write_output(output / "robots.txt", robots_txt(self.settings), self.context)
        security = security_txt(self.settings, self.context["build_time"])
        write_output(output / ".well-known" / "security.txt", security, self.context)
        template = self.get_template("redirect")
        for type_name in (*SECTION_TYPES, "page"):
            for content in catalog.items(type_name):
                for path in alias_paths(content):
                    writer.write_file(f"{path}index.html", template, self.context, relative_urls=False, target=content)
