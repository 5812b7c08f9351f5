"""The catalogue: every validated item of the site, with its facts, in one place.

Built once per build after validation; templates, feeds, calendars, open data and the
displays read it instead of walking Pelican's lists themselves.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, cast

from uchastvai.content.schema import Consultation, ContentItem, Hearing, Idea, News, Page, Project
from uchastvai.content.vocabulary import STATES, ConsultationState, ProjectState, State
from uchastvai.core.dates import local
from uchastvai.pelican_compat import SiteContent

SECTION_TYPES = ("consultation", "project", "idea", "news")
ItemT = TypeVar("ItemT", bound=ContentItem)
# An item of any type, as the section lists and filters see it.
Content = SiteContent[ContentItem]


@dataclass(frozen=True)
class Link:
    """Another item as a link shows it."""

    title: str
    url: str


@dataclass
class Catalog:
    """Pelican content objects that carry ``.item`` (the typed front matter) and ``.facts``."""

    build_time: datetime
    by_type: dict[str, list[Content]] = field(default_factory=dict)

    @classmethod
    def from_contents(cls, contents: Iterable[Content], build_time: datetime) -> Catalog:
        catalog = cls(build_time=build_time, by_type={name: [] for name in (*SECTION_TYPES, "page")})
        for content in contents:
            catalog.by_type.setdefault(content.item.type_name, []).append(content)
        for name, items in catalog.by_type.items():
            items.sort(key=cls._sort_key(name))
        return catalog

    @staticmethod
    def _sort_key(type_name: str) -> Any:
        if type_name == "page":
            return lambda content: (content.item.order, content.item.title)
        if type_name == "consultation":
            return lambda content: (content.item.opens, content.item.id)
        return lambda content: (content.date, content.item.title)

    # -- lists, newest first where time matters

    def _section(self, model: type[ItemT]) -> list[SiteContent[ItemT]]:
        """A section's items, newest first, typed by its model (``by_type`` is filled by type name)."""
        return cast("list[SiteContent[ItemT]]", list(reversed(self.by_type[model.type_name])))

    @property
    def consultations(self) -> list[SiteContent[Consultation]]:
        return self._section(Consultation)

    @property
    def projects(self) -> list[SiteContent[Project]]:
        return self._section(Project)

    @property
    def ideas(self) -> list[SiteContent[Idea]]:
        return self._section(Idea)

    @property
    def news(self) -> list[SiteContent[News]]:
        return self._section(News)

    @property
    def pages(self) -> list[SiteContent[Page]]:
        return cast("list[SiteContent[Page]]", self.by_type["page"])

    def items(self, type_name: str) -> list[Content]:
        return list(reversed(self.by_type.get(type_name, []))) if type_name != "page" else self.by_type["page"]

    def in_state(self, type_name: str, state: State | str) -> list[Content]:
        return [content for content in self.items(type_name) if _state_of(content) == state]

    def states(self, type_name: str) -> list[State]:
        """The states present in a section, in the order of the life cycle."""
        present = {_state_of(content) for content in self.items(type_name)}
        vocabulary = STATES.get(type_name)
        return [state for state in vocabulary.in_order() if state in present] if vocabulary else []

    def current(self, type_name: str) -> list[Content]:
        """Items in a current state (open or upcoming, contracted or under way, ...), newest first."""
        return [content for content in self.items(type_name) if getattr(_state_of(content), "is_current", False)]

    # -- what the home page and the displays show

    @property
    def open_consultations(self) -> list[SiteContent[Consultation]]:
        """Open now, the nearest deadline first."""
        open_now = [c for c in self.consultations if _state_of(c) == ConsultationState.OPEN]
        return sorted(open_now, key=lambda content: content.item.closes)

    @property
    def upcoming_hearings(self) -> list[tuple[SiteContent[Consultation], Hearing]]:
        """(consultation, hearing) pairs still to come, soonest first."""
        pairs = [(content, hearing) for content in self.consultations for hearing in content.facts.upcoming_hearings]
        return sorted(pairs, key=lambda pair: pair[1].start)

    @property
    def projects_in_progress(self) -> list[SiteContent[Project]]:
        return [content for content in self.projects if _state_of(content) == ProjectState.IN_PROGRESS]

    def latest_news(self, count: int = 5) -> list[SiteContent[News]]:
        return self.news[:count]

    @functools.cached_property
    def _by_identifier(self) -> dict[str, Content]:
        """Numbers and codes are unique (validation checks it), so one dict answers every look-up."""
        index: dict[str, Content] = {content.item.code: content for content in self.projects}
        for numbered in (self.ideas, self.consultations):
            index.update({content.item.id: content for content in numbered})
        return index

    def find(self, identifier: str) -> Content | None:
        """A consultation or idea by number, a project by code."""
        return self._by_identifier.get(identifier)

    def link(self, identifier: str) -> Link | None:
        """Title and address of an item by number or code: all a page shows of an item it links,
        so the page does not depend on the rest of it (a rebuild renders it again only when these change)."""
        content = self.find(identifier)
        return Link(content.title, content.url) if content is not None else None

    @property
    def today(self) -> date:
        return local(self.build_time).date()


def _state_of(content: Content) -> State | None:
    state: State | None = getattr(content.facts, "state", None)
    return state
