"""The editors' report printed by ``invoke check``: what needs attention this week.

Validation says what is wrong in the files; this report says what is due: open
consultations and their deadlines, hearings in the coming days, closed consultations
still without справка, projects whose information is getting old, and problems in the
built pages (broken internal links, images without alternative text).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from uchastvai.catalog import Catalog
from uchastvai.dates import event_datetime, local, short_date
from uchastvai.i18n import gettext, ngettext

SOON_DAYS = 7
STALE_PROJECT_DAYS = 90


@dataclass
class PageProblems:
    broken_links: list[tuple[str, str]] = field(default_factory=list)  # (page, link)
    missing_alt: list[tuple[str, str]] = field(default_factory=list)  # (page, image src)


def _target_exists(output: Path, path: str) -> bool:
    target = output / unquote(path).lstrip("/")
    return target.is_file() or (target / "index.html").is_file()


def _site_path(link_path: str, page: str) -> str:
    """A link's path from the site root, resolving links relative to the page."""
    if link_path.startswith("/"):
        return link_path
    return posixpath.normpath(posixpath.join(posixpath.dirname("/" + page), link_path))


def check_pages(output: Path, site_url: str) -> PageProblems:
    """Internal links that lead nowhere and images without alt text, in every built page."""
    problems = PageProblems()
    site = urlsplit(site_url)
    for page in sorted(output.rglob("*.html")):
        shown = str(page.relative_to(output))
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for anchor in soup.find_all(["a", "link", "img", "script"]):
            link = anchor.get("href") or anchor.get("src")
            if not link or link.startswith(("#", "mailto:", "tel:", "data:")):
                continue
            parts = urlsplit(link)
            if parts.netloc and parts.netloc != site.netloc:
                continue
            path = _site_path(parts.path, shown)
            if parts.path and not _target_exists(output, path):
                problems.broken_links.append((shown, link))
        for image in soup.select("main img"):
            if image.get("alt") is None or (not image.get("alt").strip() and image.get("role") != "presentation"):
                problems.missing_alt.append((shown, image.get("src", "")))
    return problems


def _section(title: str, lines: list[str], empty: str) -> list[str]:
    return ["", f"== {title} ==", *(lines or [f"  {empty}"])]


def editors_report(catalog: Catalog, pages: PageProblems) -> str:
    """The report as text, in the editors' language."""
    now = local(catalog.build_time)
    today = now.date()
    soon = today + timedelta(days=SOON_DAYS)
    lines = [gettext("Editors' report as of {moment}").format(moment=event_datetime(now))]

    open_lines = [
        f"  {c.item.id} · {c.facts.countdown} · {gettext('until')} {short_date(c.item.closes)} · {c.title}"
        for c in catalog.open_consultations
    ]
    lines += _section(gettext("Open consultations"), open_lines, gettext("none"))

    due = [
        f"  {short_date(c.item.closes)} · {gettext('last day for proposals')} · {c.item.id} {c.title}"
        for c in catalog.open_consultations
        if c.item.closes <= soon
    ]
    due += [
        f"  {event_datetime(h.start)} · {gettext('public hearing')} · {c.item.id} {c.title}"
        for c, h in catalog.upcoming_hearings
        if h.start.date() <= soon
    ]
    lines += _section(gettext("Due in the next 7 days"), sorted(due), gettext("none"))

    waiting = []
    for content in catalog.in_state("consultation", "closed"):
        days = (today - content.item.closes).days
        flag = " !" if days > 30 else ""
        waiting.append(
            f" {flag or ' '} {content.item.id} · "
            + ngettext("closed {n} day ago", "closed {n} days ago", days).format(n=days)
            + f" · {content.title}"
        )
    lines += _section(gettext("Closed, справка not yet published (! = over 30 days)"), waiting, gettext("none"))

    stale = []
    for content in catalog.projects:
        if content.facts.state.value in ("in_progress", "contracted"):
            age = (today - content.item.updated).days
            if age > STALE_PROJECT_DAYS:
                stale.append(
                    f"  {content.item.code} · "
                    + ngettext("updated {n} day ago", "updated {n} days ago", age).format(n=age)
                    + f" · {content.title}"
                )
    lines += _section(gettext("Projects not updated for 90 days"), stale, gettext("none"))

    lines += _section(
        gettext("Broken links"), [f"  {page}: {link}" for page, link in pages.broken_links], gettext("none")
    )
    lines += _section(
        gettext("Images without alternative text"),
        [f"  {page}: {src}" for page, src in pages.missing_alt],
        gettext("none"),
    )
    return "\n".join(lines)
