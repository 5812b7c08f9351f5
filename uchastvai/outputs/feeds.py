"""Atom and RSS 2.0 feeds, made with feedgen from the catalogue (Pelican's own feeds are off).

Three layers, so the display work can reuse the first two:

* generic helpers: :func:`new_feed` (self link first, alternate link last, language,
  author, a ``lastBuildDate`` taken from the build time, never from the clock),
  :func:`add_entry`, :func:`newest_first`, :func:`safe_html` (nh3, absolute links) and
  :func:`write_feed`;
* the timeline of an item (:func:`timeline`): publication, each hearing announced, each
  dated document, the справка, the decision ... derived from the item's data, each event
  with a stable identifier (:func:`uchastvai.facts.urls.stable_id` plus a suffix that names the
  event, never its text), so correcting a typo never makes a reader show an entry twice;
* the site's feeds (:class:`FeedGenerator`): everything, each section, consultations open
  now (bounded lists, one entry per item) and one feed per consultation and per project
  (the item's full history, one entry per event).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator as _FeedGen
from markupsafe import Markup, escape
from pelican.generators import Generator

from uchastvai.content.sanitize import sanitized, xml_text
from uchastvai.content.schema import CONTENT_TYPES, Consultation, Document, DocumentType, Hearing, Idea, News, Project
from uchastvai.content.vocabulary import ConsultationState
from uchastvai.core.dates import end_of_day, event_datetime, local, long_date, start_of_day
from uchastvai.core.i18n import gettext
from uchastvai.core.money import Money
from uchastvai.core.paths import PATHS
from uchastvai.core.written import announce
from uchastvai.facts.derive import Progress, project_progress, project_state
from uchastvai.facts.urls import absolute_url, municipality_name, stable_id, tag_uri
from uchastvai.outputs.filters import field_label, label
from uchastvai.outputs.incremental import AsRead, OutputFiles, output_files, pure, remembered

FEED_FORMATS: dict[str, str] = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
SITE_FEED = f"{PATHS.feeds}vsichko"
OPEN_FEED = f"{PATHS.feeds}{ConsultationState.OPEN.slug}-{Consultation.section}"
SUBSCRIBE_PAGE = PATHS.subscribe
FEED_SECTIONS = ("consultation", "project", "idea", "news")
ITEM_FEED_TYPES = ("consultation", "project")
DEFAULT_MAX_ENTRIES = 50

# --------------------------------------------------------------------------- generic helpers


@dataclass(frozen=True)
class Entry:
    """One feed entry, ready to write: ``html`` is already sanitised."""

    id: str
    title: str
    link: str
    published: datetime
    updated: datetime
    html: str
    categories: tuple[str, ...] = ()


def safe_html(html: str, base_url: str) -> str:
    """HTML a feed reader may show: no scripts or handlers, every link and image absolute.

    Feed readers resolve relative links against the feed, not the page, so links that
    work on the site break in a reader; nh3 rewrites them while it sanitises.
    """

    def absolute(element: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            return urljoin(base_url, value)
        return value

    return nh3.clean(html, attribute_filter=absolute)


class HtmlTitles(BaseEntryExtension):  # feedgen is untyped
    """Atom titles declared ``type="html"`` and escaped for it, so a title that mentions
    „<script>“ shows exactly that in every reader, and the W3C validator finds no
    undeclared markup (ContainsUndeclaredHTML) whatever editors write. RSS titles stay
    plain text, as the RSS Profile asks (RSS has no way to declare them).
    """

    def extend_atom(self, element: Any) -> Any:
        for title in element.findall("title"):  # feedgen leaves the Atom namespace to the root's default
            title.text = html.escape(title.text or "", quote=False)
            title.set("type", "html")
        return element


def site_tag(settings: dict[str, Any], name: str) -> str:
    """A tag URI for something of the whole site (a feed), like :func:`stable_id` for items."""
    return tag_uri(settings, name)


def new_feed(
    settings: dict[str, Any],
    *,
    title: str,
    description: str,
    path: str,
    page: str,
    feed_id: str,
    updated: datetime,
    kind: str,
) -> _FeedGen:
    """A feedgen feed with what every client expects, whichever kind it is written as.

    ``path`` is the site-relative feed file, ``page`` the HTML page it mirrors. feedgen
    makes the RSS channel link from the *last* ``link()`` call, so ``self`` goes first
    and the alternate page last. ``updated`` dates the feed: its newest entry's update
    (never ``now``, nor the build time: a feed whose entries did not change stays the same).
    """
    municipality = settings.get("MUNICIPALITY", {})
    feed = _FeedGen()
    feed.register_extension("html_titles", HtmlTitles, HtmlTitles, atom=True, rss=False)
    feed.id(feed_id)
    feed.title(xml_text(title))
    feed.subtitle(xml_text(description))
    feed.language(settings.get("DEFAULT_LANG", "bg"))
    feed.author({"name": municipality_name(settings)})
    if municipality.get("email"):
        feed.managingEditor(f"{municipality['email']} ({municipality_name(settings)})".strip())
    feed.link(href=absolute_url(settings, path), rel="self", type=FEED_FORMATS[kind])
    feed.link(href=absolute_url(settings, page), rel="alternate", type="text/html")
    feed.lastBuildDate(local(updated))
    feed.generator(settings["SITENAME"], uri=absolute_url(settings, ""))
    feed.rights(settings.get("FEED_RIGHTS", municipality_name(settings)))
    return feed


def add_entry(feed: _FeedGen, entry: Entry) -> None:
    """Add ``entry`` at the end (feedgen prepends by default, which would reverse our order)."""
    item = feed.add_entry(order="append")
    item.id(entry.id)
    item.guid(entry.id, permalink=False)
    item.title(xml_text(entry.title))
    item.link(href=entry.link, rel="alternate", type="text/html")
    item.published(entry.published)
    item.updated(entry.updated)
    item.content(xml_text(entry.html), type="html")
    for category in entry.categories:
        item.category(term=xml_text(category))


def newest_first(entries: Iterable[Entry], limit: int | None = None) -> list[Entry]:
    """Newest change first (ties by publication, then id, so the order is reproducible)."""
    ordered = sorted(entries, key=lambda e: (e.updated, e.published, e.id), reverse=True)
    return ordered if limit is None else ordered[:limit]


def distinct_updates(entries: list[Entry]) -> list[Entry]:
    """``entries`` (newest first) with no two ``updated`` in the same second.

    Events of one day all happen at its start; the W3C validator warns about entries
    that share an ``updated`` (DuplicateUpdated) and readers cannot order them. Walking
    from the oldest, a tie moves one second after the entry before it: the order is
    kept, nothing is dated before it happened, and the same entries give the same times.
    """
    result: list[Entry] = []
    previous: datetime | None = None
    for entry in reversed(entries):
        updated = entry.updated
        if previous is not None and updated.replace(microsecond=0) <= previous.replace(microsecond=0):
            updated = previous.replace(microsecond=0) + timedelta(seconds=1)
        previous = updated
        result.append(replace(entry, updated=updated))
    return result[::-1]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def feed_bytes(feed: _FeedGen, kind: str) -> bytes:
    """``feed`` as an Atom or RSS 2.0 document."""
    data: bytes = feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
    return data


def max_entries(settings: dict[str, Any]) -> int:
    """The bound of the list feeds: Pelican's own ``FEED_MAX_ITEMS`` setting, else 50."""
    return int(settings.get("FEED_MAX_ITEMS") or DEFAULT_MAX_ENTRIES)


# --------------------------------------------------------------------------- HTML of an entry


def fact_list(rows: Iterable[tuple[str, str | Markup]]) -> Markup:
    """Key facts as a definition list; plain strings are escaped, Markup kept."""
    items = "".join(f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>" for name, value in rows if value)
    return Markup(f"<dl>{items}</dl>") if items else Markup("")  # escape(), not Markup.format: 4x faster


def link_list(links: Iterable[tuple[str, str]]) -> Markup:
    items = "".join(f'<li><a href="{escape(url)}">{escape(text)}</a></li>' for text, url in links)
    return Markup(f"<ul>{items}</ul>") if items else Markup("")


def paragraph(text: str | None) -> Markup:
    return Markup(f"<p>{escape(text)}</p>") if text else Markup("")


# --------------------------------------------------------------------------- timeline of an item


@dataclass
class Event:
    """Something that happened to an item, as a feed entry tells it."""

    key: str  # suffix of the stable id: names the event, never its text
    when: datetime
    title: str
    facts: list[tuple[str, str | Markup]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def at_start(day: date) -> datetime:
    return start_of_day(day)


def _document_key(document: Document) -> str:
    """The file's name: editors correct titles and types, rarely the file."""
    target = document.file or urlsplit(document.url or "").path or document.title
    return Path(target).stem or "document"


def unique_keys(keys: list[str]) -> list[str]:
    """``x``, ``x-2``, ``x-3`` ... so two events never share an identifier."""
    seen: dict[str, int] = {}
    result = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        result.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return result


def hearing_keys(hearings: list[Hearing]) -> list[tuple[str, Hearing]]:
    """``hearing/2026-12-08`` per hearing, in time order: a corrected hour or place keeps it.

    Shared by feeds and calendars, so a calendar event and the feed entry that announced
    it have the same identifier.
    """
    ordered = sorted(hearings, key=lambda hearing: hearing.start)
    keys = unique_keys([f"hearing/{hearing.start.date().isoformat()}" for hearing in ordered])
    return list(zip(keys, ordered, strict=True))


def document_link(settings: dict[str, Any], document: Document) -> tuple[str, str]:
    target = absolute_url(settings, document.file) if document.file else document.url or ""
    return (f"{document.title} ({gettext(document.type.label)})", target)


def _documents_on(
    settings: dict[str, Any], documents: Iterable[Document], test: Callable[[Document], bool]
) -> list[tuple[str, str]]:
    return [document_link(settings, document) for document in documents if test(document)]


def hearing_facts(hearing: Hearing) -> list[tuple[str, str | Markup]]:
    online = Markup('<a href="{0}">{0}</a>').format(hearing.online) if hearing.online else ""
    return [
        (field_label(Hearing, "start"), event_datetime(hearing.start)),
        (field_label(Hearing, "place"), hearing.place),
        (field_label(Hearing, "address"), hearing.address),
        (field_label(Hearing, "accessibility"), hearing.accessibility or ""),
        (field_label(Hearing, "online"), online),
    ]


def consultation_timeline(settings: dict[str, Any], content: Any) -> list[Event]:
    """Publication, hearings, the end of the period, справка, decision, withdrawal, documents."""
    item: Consultation = content.item
    outcome = item.outcome
    handled = {DocumentType.REPORT, DocumentType.DECISION}
    events = [
        Event(
            "published",
            at_start(item.opens),
            gettext("Published for consultation: {title}").format(title=item.title),
            [
                (field_label(item, "id"), item.id),
                (field_label(item, "kind"), label(item.kind)),
                (field_label(item, "act"), item.act),
                (field_label(item, "unit"), item.unit),
                (field_label(item, "closes"), long_date(item.closes)),
            ],
            _documents_on(
                settings,
                item.documents,
                lambda d: d.type not in handled and (d.date is None or d.date <= item.opens),
            ),
        )
    ]
    for key, hearing in hearing_keys(item.hearings):
        announced = hearing.announced or item.opens
        title = gettext("Public hearing on {when}").format(when=event_datetime(hearing.start))
        events.append(Event(key, at_start(announced), title, hearing_facts(hearing)))
    if not item.withdrawn or item.withdrawn.date > item.closes:
        events.append(Event("closed", end_of_day(item.closes), gettext("The period for proposals has ended")))
    report_docs = [d for d in item.documents if d.type == DocumentType.REPORT]
    report_day = (outcome.report_date if outcome else None) or next((d.date for d in report_docs if d.date), None)
    if report_day:
        facts = []
        if outcome:
            facts = [
                (field_label(outcome, "proposals_received"), str(outcome.proposals_received)),
                (field_label(outcome, "proposals_accepted"), str(outcome.proposals_accepted)),
            ]
        links = [document_link(settings, d) for d in report_docs]
        events.append(Event("report", at_start(report_day), gettext("Report on the proposals published"), facts, links))
    if outcome and outcome.decision:
        decision = outcome.decision
        links = [document_link(settings, d) for d in item.documents if d.type == DocumentType.DECISION]
        if decision.url:
            links.append((field_label(decision, "url"), decision.url))
        title = gettext("Decision No. {number} of the municipal council").format(number=decision.number)
        facts = [(field_label(decision, "date"), long_date(decision.date))]
        events.append(Event("decision", at_start(decision.date), title, facts, links))
    if item.withdrawn:
        facts = [(field_label(item.withdrawn, "reason"), item.withdrawn.reason)]
        events.append(Event("withdrawn", at_start(item.withdrawn.date), gettext("Consultation withdrawn"), facts))
    later = [d for d in item.documents if d.type not in handled and d.date and d.date > item.opens]
    events += _document_events(settings, later)
    return events


def _document_events(settings: dict[str, Any], documents: list[Document]) -> list[Event]:
    keys = unique_keys([f"document/{_document_key(d)}" for d in documents])
    return [
        Event(
            key,
            at_start(document.date),
            gettext("Document added: {title}").format(title=document.title),
            [(field_label(Document, "type"), gettext(document.type.label))],
            [document_link(settings, document)],
        )
        for key, document in zip(keys, documents, strict=True)
        if document.date
    ]


def project_timeline(settings: dict[str, Any], content: Any) -> list[Event]:
    """Contract, start, milestones done, updates, completion or termination, documents."""
    item: Project = content.item
    facts = content.facts
    events = [
        Event(
            "contract",
            at_start(item.contract.date),
            gettext("Contract signed: {title}").format(title=item.title),
            [
                (field_label(item, "code"), item.code),
                (field_label(item, "programme"), item.programme),
                (field_label(item, "fund"), label(item.fund)),
                (field_label(item.budget, "total"), facts.total.display()),
            ],
        ),
        Event("start", at_start(item.start), gettext("Work on the project starts")),
    ]
    dated_milestones = [m for m in facts.milestones if m.done]
    keys = unique_keys([f"milestone/{m.date.isoformat()}" for m in dated_milestones])
    events += [Event(k, at_start(m.date), m.title) for k, m in zip(keys, dated_milestones, strict=True)]
    money = [(field_label(item.budget, "paid"), facts.paid.display())]
    money += [(p.label, f"{p.percent}% ({p.detail})") for p in progress_at_update(item, facts)]
    events.append(
        Event(f"update/{item.updated.isoformat()}", at_start(item.updated), gettext("Progress update"), money)
    )
    if item.completed_on:
        events.append(Event("completed", at_start(item.completed_on), gettext("Project completed")))
    if item.terminated:
        reason = [(field_label(item.terminated, "reason"), item.terminated.reason)]
        events.append(Event("terminated", at_start(item.terminated.date), gettext("Project terminated"), reason))
    events += _document_events(settings, [d for d in item.documents if d.date])
    return events


def progress_at_update(item: Project, facts: Any) -> list[Progress]:
    """Progress as of the update that reported it: an entry dated that day must not count the
    days elapsed since (it would change every day under an unchanged date in feed readers)."""
    updated = at_start(item.updated)
    return project_progress(item, project_state(item, updated), updated, facts.paid, facts.total)


TIMELINES: dict[str, Callable[[dict[str, Any], Any], list[Event]]] = {
    "consultation": consultation_timeline,
    "project": project_timeline,
}


def all_events(settings: dict[str, Any], content: Any) -> list[Event]:
    """Every event of an item, past and future, in no particular order."""
    builder = TIMELINES.get(content.item.type_name)
    return builder(settings, content) if builder else []


def timeline(settings: dict[str, Any], content: Any, build_time: datetime) -> list[Event]:
    """What has happened to an item by ``build_time``, newest first (future events wait)."""
    past = [event for event in all_events(settings, content) if event.when <= local(build_time)]
    return sorted(past, key=lambda event: (event.when, event.key), reverse=True)


@dataclass(frozen=True)
class Moments:
    """When an item changes, past and future, as its file says: a function of the item as
    read, so it is kept between builds (:func:`remembered`) instead of building every
    item's timeline each night only to learn its dates."""

    published: datetime
    answered: datetime | None  # an idea's answer
    events: tuple[tuple[str, datetime], ...]  # (key, when) of each event of :func:`timeline`


def moments(settings: dict[str, Any], content: Any) -> Moments:
    return remembered(settings, ("moments", AsRead(content)), functools.partial(_moments, settings, content))


def _moments(settings: dict[str, Any], content: Any) -> Moments:
    item = content.item
    events = all_events(settings, content)
    answered = at_start(item.answer.date) if isinstance(item, Idea) and item.answer else None
    return Moments(published_at(content), answered, tuple((event.key, event.when) for event in events))


def past_events(settings: dict[str, Any], content: Any, build_time: datetime) -> tuple[tuple[str, datetime], ...]:
    """``(key, when)`` of the events of :func:`timeline` at ``build_time``, in its order."""
    now = local(build_time)
    past = [(key, when) for key, when in moments(settings, content).events if when <= now]
    return tuple(sorted(past, key=lambda pair: (pair[1], pair[0]), reverse=True))


def published_at(content: Any) -> datetime:
    """When an item became public: a consultation's publication, a contract, a received idea."""
    item = content.item
    day = {
        "consultation": lambda: item.opens,
        "project": lambda: item.contract.date,
        "idea": lambda: item.received,
        "news": lambda: item.date,
    }[item.type_name]()
    return at_start(day)


def last_change(settings: dict[str, Any], content: Any, build_time: datetime) -> datetime:
    """The newest event of the item, or its publication: what ``updated`` says."""
    known = moments(settings, content)
    now = local(build_time)
    times = [known.published] + [when for _key, when in known.events if when <= now]
    if known.answered is not None:
        times.append(known.answered)
    # An item not yet published (a consultation announced ahead, in the calendars) has not changed since.
    return max((moment for moment in times if moment <= now), default=min(times))


# --------------------------------------------------------------------------- entries of the site


def key_facts(content: Any) -> list[tuple[str, str | Markup]]:
    """The facts a subscriber needs without opening the page: state, deadline, amounts."""
    item, facts = content.item, content.facts
    if isinstance(item, Consultation):
        rows = [
            (gettext("State"), facts.state_label),
            (field_label(item, "id"), item.id),
            (field_label(item, "closes"), long_date(item.closes)),
        ]
        rows += [(gettext("Public hearing"), f"{event_datetime(h.start)}, {h.place}") for h in facts.upcoming_hearings]
        if item.outcome:
            rows.append((field_label(item.outcome, "proposals_received"), str(item.outcome.proposals_received)))
            rows.append((field_label(item.outcome, "proposals_accepted"), str(item.outcome.proposals_accepted)))
        return rows
    if isinstance(item, Project):
        return [
            (gettext("State"), facts.state_label),
            (field_label(item, "code"), item.code),
            (field_label(item, "programme"), item.programme),
            (field_label(item.budget, "total"), facts.total.display()),
            (gettext("Grant"), facts.grant.display()),
            (field_label(item.budget, "paid"), facts.paid.display()),
        ]
    if isinstance(item, Idea):
        cost: Money | None = facts.cost
        return [
            (gettext("State"), facts.state_label),
            (field_label(item, "id"), item.id),
            (field_label(item, "area"), item.area),
            (field_label(item, "category"), item.category),
            (field_label(item, "estimated_cost"), cost.display() if cost else ""),
            (field_label(item, "answer"), item.answer.text if item.answer else ""),
        ]
    return []


def item_entry(settings: dict[str, Any], content: Any, build_time: datetime) -> Entry:
    """One entry per item for the list feeds: summary, key facts, its latest event."""
    page = absolute_url(settings, content.url)
    parts = [paragraph(content.item.summary), fact_list(key_facts(content))]
    events = timeline(settings, content, build_time)
    if events:
        latest = events[0]
        parts.append(paragraph(gettext("Latest: {what} ({day})").format(what=latest.title, day=long_date(latest.when))))
    if isinstance(content.item, News):
        parts.append(sanitized(content.content))
    html = safe_html(str(Markup("").join(parts)), page)
    section = gettext(CONTENT_TYPES[content.item.type_name].label)
    return Entry(
        id=stable_id(settings, content),
        title=content.title,
        link=page,
        published=published_at(content),
        updated=last_change(settings, content, build_time),
        html=html,
        categories=(section,),
    )


def event_entry(settings: dict[str, Any], content: Any, event: Event) -> Entry:
    """One entry per event for an item's own feed."""
    page = absolute_url(settings, content.url)
    html = Markup("").join([fact_list(event.facts), link_list(event.links)]) or paragraph(content.item.summary)
    return Entry(
        id=stable_id(settings, content, event.key),
        title=event.title,
        link=page,
        published=event.when,
        updated=event.when,
        html=safe_html(str(html), page),
    )


def is_public(content: Any, build_time: datetime) -> bool:
    """Feeds announce an item from its publication date (a consultation's ``opens``)."""
    return published_at(content) <= local(build_time)


# --------------------------------------------------------------------------- the site's feeds


@dataclass(frozen=True)
class FeedInfo:
    """A published feed: ``path`` without extension; written as ``.atom`` and ``.rss``."""

    path: str
    title: str
    description: str
    page: str
    feed_id: str

    def url(self, settings: dict[str, Any], kind: str) -> str:
        return absolute_url(settings, f"{self.path}.{kind}")


def site_feed(settings: dict[str, Any]) -> FeedInfo:
    return FeedInfo(
        SITE_FEED,
        f"{settings['SITENAME']}: {gettext('everything')}",
        gettext("New and changed consultations, projects, ideas and news of {name}").format(name=_name(settings)),
        "",
        site_tag(settings, "feed/all"),
    )


def section_feed(settings: dict[str, Any], type_name: str) -> FeedInfo:
    model = CONTENT_TYPES[type_name]
    plural = gettext(model.label_plural)
    return FeedInfo(
        f"{PATHS.feeds}{model.section}",
        f"{settings['SITENAME']}: {plural}",
        gettext("{what} of {name}: new and changed").format(what=plural, name=_name(settings)),
        f"{model.section}/",
        site_tag(settings, f"feed/{type_name}"),
    )


def open_feed(settings: dict[str, Any]) -> FeedInfo:
    return FeedInfo(
        OPEN_FEED,
        f"{settings['SITENAME']}: {gettext('consultations open now')}",
        gettext("Public consultations of {name} that accept proposals now").format(name=_name(settings)),
        f"{Consultation.section}/{ConsultationState.OPEN.slug}/",
        site_tag(settings, "feed/consultation/open"),
    )


def item_feed(settings: dict[str, Any], content: Any) -> FeedInfo:
    """The feed of one consultation or project, next to its page: ``…/<slug>/feed``."""
    label_text = gettext(CONTENT_TYPES[content.item.type_name].label)
    return FeedInfo(
        f"{content.url}feed",
        f"{content.title} – {label_text}",
        gettext("Everything that happens to this item, from publication to the decision"),
        content.url,
        stable_id(settings, content, "feed"),
    )


def _name(settings: dict[str, Any]) -> str:
    return municipality_name(settings)


def list_feeds(settings: dict[str, Any]) -> list[FeedInfo]:
    """The site-wide, section and open-consultation feeds, in the order the page lists them."""
    return [site_feed(settings), open_feed(settings)] + [section_feed(settings, t) for t in FEED_SECTIONS]


@dataclass(frozen=True)
class FeedLink:
    """An autodiscovery ``<link rel="alternate">`` of a page."""

    title: str
    url: str
    type: str


def page_feeds(
    settings: dict[str, Any], article: Any = None, type_name: str | None = None, state: str | None = None
) -> list[FeedLink]:
    """The feeds of a page, most specific first (readers offer the first one)."""
    infos: list[FeedInfo] = []
    item = getattr(article, "item", None)
    if item is not None and item.type_name in ITEM_FEED_TYPES:
        infos.append(item_feed(settings, article))
    if item is not None:
        type_name = item.type_name
    if type_name == "consultation" and state == "open":
        infos.append(open_feed(settings))
    if type_name in FEED_SECTIONS:
        infos.append(section_feed(settings, type_name))
    infos.append(site_feed(settings))
    return [
        FeedLink(f"{info.title} ({kind.upper() if kind == 'rss' else 'Atom'})", info.url(settings, kind), mime)
        for info in infos
        for kind, mime in FEED_FORMATS.items()
    ]


def feed_document(settings: dict[str, Any], info: FeedInfo, entries: list[Entry], kind: str, empty: datetime) -> bytes:
    """One feed as Atom or RSS 2.0; dated by its newest entry, ``empty`` when it has none."""
    entries = distinct_updates(entries)
    feed = new_feed(
        settings,
        title=info.title,
        description=info.description,
        path=f"{info.path}.{kind}",
        page=info.page,
        feed_id=info.feed_id,
        updated=max((entry.updated for entry in entries), default=empty),
        kind=kind,
    )
    for entry in entries:
        add_entry(feed, entry)
    return feed_bytes(feed, kind)


def _document(
    settings: dict[str, Any], info: FeedInfo, entries: Callable[[], list[Entry]], kind: str, empty: datetime
) -> bytes:
    return feed_document(settings, info, entries(), kind, empty)


def write_both(
    settings: dict[str, Any],
    files: OutputFiles,
    info: FeedInfo,
    *,
    inputs: Any,
    make_entries: Callable[[], list[Entry]],
    build_time: datetime,
) -> list[Path]:
    """Write one feed as Atom and as RSS 2.0 with the same entries.

    ``inputs`` is everything the entries are made of (the items and their changes):
    where the build reuses earlier output, a feed with the same inputs is not made again.
    """
    made: list[list[Entry]] = []

    def entries() -> list[Entry]:
        if not made:
            made.append(make_entries())
        return made[0]

    empty = build_time if not inputs else EPOCH  # only an empty feed is dated by the build
    written = []
    for kind in FEED_FORMATS:
        name = f"{info.path}.{kind}"
        key = ("feed", kind, info, inputs, empty)
        written.append(files(name, key, functools.partial(_document, settings, info, entries, kind, empty)))
    return written


def write_site_feeds(settings: dict[str, Any], catalog: Any, output: Path) -> list[Path]:
    """Every feed of the site; returns the files written (or reused from an earlier build)."""
    build_time = catalog.build_time
    limit = max_entries(settings)
    files = output_files(settings, output)

    changed: dict[int, datetime] = {}

    def order(content: Any) -> tuple[datetime, datetime, str]:
        """:func:`newest_first`'s key, without building the entry's HTML."""
        if id(content) not in changed:
            changed[id(content)] = last_change(settings, content, build_time)
        return changed[id(content)], published_at(content), stable_id(settings, content)

    def newest(contents: Iterable[Any]) -> list[Any]:
        """The ``limit`` newest public items: only their entries are built (HTML, sanitising)."""
        public = [c for c in contents if is_public(c, build_time)]
        return sorted(public, key=order, reverse=True)[:limit]

    def list_feed(info: FeedInfo, contents: Iterable[Any]) -> list[Path]:
        shown = newest(contents)
        inputs = [(content, changed[id(content)]) for content in shown]
        return write_both(
            settings,
            files,
            info,
            inputs=inputs,
            make_entries=lambda: [item_entry(settings, c, build_time) for c in shown],
            build_time=build_time,
        )

    written = list_feed(site_feed(settings), (c for t in FEED_SECTIONS for c in catalog.items(t)))
    written += list_feed(open_feed(settings), catalog.open_consultations)
    for type_name in FEED_SECTIONS:
        written += list_feed(section_feed(settings, type_name), catalog.items(type_name))
    for type_name in ITEM_FEED_TYPES:
        for content in catalog.items(type_name):
            past = past_events(settings, content, build_time)
            written += write_both(
                settings,
                files,
                item_feed(settings, content),
                # The entries show no fact of the day: the item as read and which events are past.
                inputs=[AsRead(content), past] if past else [],
                make_entries=functools.partial(event_entries, settings, content, build_time),
                build_time=build_time,
            )
    return written


def event_entries(settings: dict[str, Any], content: Any, build_time: datetime) -> list[Entry]:
    """The entries of an item's own feed: what happened to it by ``build_time``, newest first."""
    return newest_first(event_entry(settings, content, event) for event in timeline(settings, content, build_time))


class FeedGenerator(Generator):
    """Writes every feed and the page that lists them (``/abonament/``)."""

    def generate_context(self) -> None:
        settings = self.settings
        self.context["page_feeds"] = pure(
            lambda article=None, type_name=None, state=None: page_feeds(settings, article, type_name, state)
        )
        self.context["item_feed_urls"] = pure(
            lambda content: {kind: item_feed(settings, content).url(settings, kind) for kind in FEED_FORMATS}
        )

    def generate_output(self, writer: Any) -> None:
        catalog = self.context["catalog"]
        for path in write_site_feeds(self.settings, catalog, Path(self.output_path)):
            # feed_written would need Pelican's feedgenerator object; feedgen writes these
            announce(path, self.context)
        writer.write_file(
            f"{SUBSCRIBE_PAGE}index.html",
            self.get_template("feeds"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            feeds=[feed_row(self.settings, info) for info in list_feeds(self.settings)],
            item_feeds={
                type_name: [
                    feed_row(self.settings, item_feed(self.settings, c)) for c in current[:SUBSCRIBE_PAGE_ITEMS]
                ]
                for type_name, current in current_items(catalog).items()
            },
            page_url=SUBSCRIBE_PAGE,
        )


SUBSCRIBE_PAGE_ITEMS = 50  # the page stays light; every item page links its own feed


def current_items(catalog: Any) -> dict[str, list[Any]]:
    """What people follow now: consultations open or coming up, projects under way."""
    return {
        "consultation": catalog.open_consultations + catalog.in_state("consultation", "upcoming"),
        "project": catalog.projects_in_progress + catalog.in_state("project", "contracted"),
    }


def feed_row(settings: dict[str, Any], info: FeedInfo) -> dict[str, str]:
    """What the subscription page shows of a feed: its names and both addresses."""
    return {
        "title": info.title,
        "description": info.description,
        "page": absolute_url(settings, info.page),
        **{kind: info.url(settings, kind) for kind in FEED_FORMATS},
    }
