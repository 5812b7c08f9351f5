"""The editors' report printed by ``invoke check``: what needs attention, most urgent first.

Validation says what is wrong in the files; this report says what is due: overdue work
first (a справка still missing a month after the period closed, a project not updated for
three months), then what falls due within seven days (last days for proposals, hearings),
then what is coming. Every entry names the content file and line to open, not a built
page: editors work on files. Problems in the built pages (broken internal links, images
without alternative text) are traced back to the file that produced the page.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from uchastvai.core.dates import event_datetime, local, short_date
from uchastvai.core.i18n import N_, gettext, ngettext
from uchastvai.facts.catalog import Catalog

SOON_DAYS = 7
STALE_PROJECT_DAYS = 90
REPORT_DUE_DAYS = 30  # a справка is expected within a month of the period's end
# Built folders that are not public pages: drafts are checked when they are published, the
# web editor is not a page of the site.
SKIPPED_FOLDERS = ("chernovi", "admin", "pagefind")


@dataclass
class PageProblems:
    broken_links: list[tuple[str, str]] = field(default_factory=list)  # (page, link)
    missing_alt: list[tuple[str, str]] = field(default_factory=list)  # (page, image src)


@dataclass(order=True)
class Task:
    """One thing to do, with the day it is due and the file (and line) where it is done."""

    due: date
    text: str
    source: str = ""
    line: int | None = None

    def render(self, lang: str = "bg") -> list[str]:
        where = self.source
        if self.source and self.line:
            where = gettext(N_("{file}, line {line}"), lang).format(file=self.source, line=self.line)
        return [f"  {self.text}", *([f"      → {where}"] if where else [])]


def _target_exists(output: Path, path: str) -> bool:
    target = output / unquote(path).lstrip("/")
    return target.is_file() or (target / "index.html").is_file()


def _site_path(link_path: str, page: str) -> str:
    """A link's path from the site root, resolving links relative to the page."""
    if link_path.startswith("/"):
        return link_path
    return posixpath.normpath(posixpath.join(posixpath.dirname("/" + page), link_path))


def _public_pages(output: Path) -> Iterable[Path]:
    for page in sorted(output.rglob("*.html")):
        if page.relative_to(output).parts[0] not in SKIPPED_FOLDERS:
            yield page


def check_pages(output: Path, site_url: str) -> PageProblems:
    """Internal links that lead nowhere and images without alt text, in every public built page."""
    problems = PageProblems()
    site = urlsplit(site_url)
    for page in _public_pages(output):
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


# --------------------------------------------------------------------------- where to edit


def source_of(content: Any) -> str:
    """The content file as the editor sees it in the project: content/consultations/x.md."""
    root = Path(content.settings["PATH"]).resolve().parent
    return os.path.relpath(content.source_path, root).replace(os.sep, "/")


def line_of(content: Any, *paths: str) -> int | None:
    """The line of the first of ``paths`` (dotted field paths) that the file has."""
    lines = content.metadata.get("front_matter_lines", {})
    return next((lines[path] for path in paths if path in lines), None)


def page_sources(catalog: Catalog) -> dict[str, tuple[str, Path]]:
    """Built page (``konsultatsii/x/index.html``) → the content file that made it (shown, real path)."""
    sources: dict[str, tuple[str, Path]] = {}
    for type_name in ("consultation", "project", "idea", "news", "page"):
        for content in catalog.items(type_name):
            page = f"{content.url.strip('/')}/index.html".lstrip("/")
            sources[page] = (source_of(content), Path(content.source_path))
    return sources


def _body_line(content_file: Path, needle: str) -> int | None:
    """The line of a file that contains ``needle`` (a link written in the text)."""
    try:
        lines = content_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((number for number, text in enumerate(lines, 1) if needle in text), None)


# --------------------------------------------------------------------------- what is due


def due_tasks(catalog: Catalog) -> tuple[list[Task], list[Task], list[Task]]:
    """(overdue, due within seven days, coming later), each sorted by date."""
    today = local(catalog.build_time).date()
    soon = today + timedelta(days=SOON_DAYS)
    overdue: list[Task] = []
    this_week: list[Task] = []
    later: list[Task] = []
    for content in catalog.open_consultations:
        item = content.item
        if item.closes <= soon:
            text = f"{short_date(item.closes)} · {gettext('last day for proposals')} · {item.id} {content.title}"
            this_week.append(Task(item.closes, text, source_of(content), line_of(content, "closes")))
    for content, hearing in catalog.upcoming_hearings:
        if hearing.start.date() <= soon:
            index = content.item.hearings.index(hearing)
            text = f"{event_datetime(hearing.start)} · {gettext('public hearing')} · {content.item.id} {content.title}"
            this_week.append(
                Task(hearing.start.date(), text, source_of(content), line_of(content, f"hearings.{index}.start"))
            )
    for closed in catalog.in_state("consultation", "closed"):
        days = (today - closed.item.closes).days
        due = closed.item.closes + timedelta(days=REPORT_DUE_DAYS)
        text = (
            f"{closed.item.id} · "
            + ngettext("closed {n} day ago", "closed {n} days ago", days).format(n=days)
            + f" · {gettext(N_('publish the справка (outcome)'))} · {closed.title}"
        )
        task = Task(due, text, source_of(closed), line_of(closed, "outcome", "closes"))
        (overdue if due < today else this_week if due <= soon else later).append(task)
    for project in catalog.projects:
        if project.facts.state.value in ("in_progress", "contracted"):
            age = (today - project.item.updated).days
            due = project.item.updated + timedelta(days=STALE_PROJECT_DAYS)
            if due <= soon:
                text = (
                    f"{project.item.code} · "
                    + ngettext("updated {n} day ago", "updated {n} days ago", age).format(n=age)
                    + f" · {project.title}"
                )
                task = Task(due, text, source_of(project), line_of(project, "updated"))
                (overdue if due < today else this_week).append(task)
    return sorted(overdue), sorted(this_week), sorted(later)


def _section(title: str, lines: list[str], empty: str) -> list[str]:
    return ["", f"== {title} ==", *(lines or [f"  {empty}"])]


def _tasks(tasks: list[Task]) -> list[str]:
    return [line for task in tasks for line in task.render()]


def page_tasks(catalog: Catalog, pages: PageProblems) -> tuple[list[Task], list[Task]]:
    """Broken links and images without alt text, each with the content file that makes the page."""
    sources = page_sources(catalog)

    def task(page: str, target: str) -> Task:
        source, path = sources.get(page, ("", None))
        line = _body_line(path, target) if path else None
        shown = f"/{page.removesuffix('index.html')}"
        text = f"{shown}: {target}"
        if not source:
            text += " · " + gettext(N_("a page of the site itself (not a content file)"))
        return Task(date.min, text, source, line)

    broken = [task(page, link) for page, link in pages.broken_links]
    missing = [task(page, src) for page, src in pages.missing_alt]
    return broken, missing


def editors_report(catalog: Catalog, pages: PageProblems) -> str:
    """The report as text, in the editors' language: overdue first, then the next seven days."""
    now = local(catalog.build_time)
    lines = [gettext("Editors' report as of {moment}").format(moment=event_datetime(now))]
    overdue, this_week, later = due_tasks(catalog)
    none = gettext("none")
    lines += _section(gettext(N_("Overdue")), _tasks(overdue), none)
    lines += _section(gettext("Due in the next 7 days"), _tasks(this_week), none)
    lines += _section(gettext(N_("Coming later")), _tasks(later), none)
    open_lines = [
        f"  {c.item.id} · {c.facts.countdown} · {gettext('until')} {short_date(c.item.closes)} · {c.title}"
        for c in catalog.open_consultations
    ]
    lines += _section(gettext("Open consultations"), open_lines, none)
    broken, missing = page_tasks(catalog, pages)
    lines += _section(gettext("Broken links"), _tasks(broken), none)
    lines += _section(gettext("Images without alternative text"), _tasks(missing), none)
    return "\n".join(lines)
