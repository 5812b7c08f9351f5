"""The slides: one data model that the kiosk page, the images and every player feed read.

A slide says one thing a passer-by can take in within 12–30 seconds from 3–5 m: a
kicker (what kind of thing), a short title, one highlighted fact (the countdown, the
hearing's day and time), two or three short lines and, for projects, labelled progress
bars and the EU publicity block of the programme period. Everything is plain text,
already shortened, so that no player has to cut HTML or guess.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from uchastvai.content.schema import WaysToRespond
from uchastvai.core.dates import end_of_day, event_datetime, local, long_date, start_of_day
from uchastvai.core.i18n import gettext
from uchastvai.core.money import format_money
from uchastvai.display.config import DisplayConfig
from uchastvai.facts.derive import eu_publicity
from uchastvai.facts.urls import absolute_url, municipality_name, stable_id
from uchastvai.outputs.sections import section_url

TITLE_LIMIT = 80  # GUIDE §6: plain-text titles of player feeds
LINE_LIMIT = 120  # one body line on screen at 56 px, at most two rows in portrait
SUMMARY_LIMIT = 200  # GUIDE §6: descriptions of player feeds


_TAG = re.compile(r"<[^<>]*>")


def plain(text: str) -> str:
    """Text for players that may treat it as HTML (GUIDE §6: plain text): no tags, no angle brackets.

    The kiosk page shows the editor's text as written (escaped by Jinja); what leaves the
    site for other programs carries nothing that any of them could read as markup.
    """
    return " ".join(_TAG.sub(" ", text).replace("<", " ").replace(">", " ").split())


def shorten(text: str, limit: int) -> str:
    """``text`` folded to one line and cut at a word boundary with „…“ if longer than ``limit``."""
    folded = " ".join(text.split())
    if len(folded) <= limit:
        return folded
    words = folded[: limit - 1].rsplit(" ", 1)[0].split(" ")
    while len(words) > 2 and len(words[-1].rstrip(".,;:–-")) <= 2:  # not on „на“, „в“, „р.“
        words.pop()
    return f"{' '.join(words).rstrip(' ,;:–-')}…"


# What must stay visible on each kind of slide, at every supported screen size (issue 13):
# the roles of its lines, besides the title. The kiosk's layout may drop any other line.
REQUIRED_LINES: dict[str, tuple[str, ...]] = {
    "consultation": ("title", "deadline", "email", "post"),
    "hearing": ("title", "time", "place", "address"),
    "project": ("title", "progress", "eu"),
    "news": ("title",),
    "ideas": ("title", "email"),
    "default": ("title", "site"),
}


@dataclass(frozen=True)
class Line:
    """One body line of a slide and what it is (its role decides whether it may be dropped)."""

    text: str
    role: str = "more"

    @property
    def required(self) -> bool:
        return self.role != "more"


@dataclass(frozen=True)
class Countdown:
    """What the kiosk needs to count the days itself: the last day (counts in full) and the period."""

    closes: date
    period: int


@dataclass(frozen=True)
class ProgressBar:
    label: str  # what is measured: time, money or milestones (never unlabelled)
    percent: int
    detail: str
    starts: date | None = None  # set on the time bar: the kiosk moves it by its own clock
    ends: date | None = None

    @property
    def live(self) -> bool:
        """A bar that changes with the date alone: kept by the kiosk, left out of still images."""
        return self.starts is not None


@dataclass(frozen=True)
class EuBlock:
    """The EU publicity block required for the project's programme period (GUIDE §2)."""

    period: str
    statement: str  # „Европейски съюз“ (2014-2020) or „Съфинансирано от Европейския съюз“ (2021-2027)
    fund: str  # empty where the period's rules do not ask for it
    programme: str


@dataclass(frozen=True)
class Slide:
    id: str  # stable identifier (tag URI) of what the slide is about
    key: str  # file-name part: Latin letters, digits and hyphens
    kind: str
    kicker: str
    title: str
    url: str  # absolute address of the full page (the QR code's target)
    duration: int  # seconds on screen
    updated: datetime  # when the thing the slide shows was published or last changed
    highlight: str = ""
    lines: tuple[Line, ...] = ()
    progress: tuple[ProgressBar, ...] = ()
    eu: EuBlock | None = None
    ends: datetime | None = None  # the moment the slide stops being true and leaves the rotation
    countdown: Countdown | None = None  # set where the highlight is a countdown the kiosk keeps itself

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines)

    @property
    def required(self) -> tuple[str, ...]:
        return REQUIRED_LINES[self.kind]

    @property
    def summary(self) -> str:
        """Plain-text description for player feeds: the facts of the slide, ≤ 200 characters."""
        parts = (self.highlight, *self.texts, *self._bars())
        return shorten(" · ".join(part for part in parts if part), SUMMARY_LIMIT)

    def still_highlight(self) -> str:
        """The highlight a still image shows: none where it is a countdown (it would be wrong tomorrow)."""
        return "" if self.countdown else self.highlight

    def _bars(self) -> list[str]:
        return [f"{bar.label}: {bar.percent}%" for bar in self.progress]

    def to_dict(self) -> dict[str, Any]:
        """The slide as data for players (slides.json): every text plain, the dates ISO 8601."""
        data = asdict(self)
        for name in ("kicker", "title", "highlight"):
            data[name] = plain(data[name])
        data["updated"] = self.updated.isoformat()
        data["lines"] = [plain(text) for text in self.texts]
        data["line_roles"] = [line.role for line in self.lines]
        data["required"] = list(self.required)
        data["progress"] = [
            {**asdict(bar), "starts": _iso(bar.starts), "ends": _iso(bar.ends)} for bar in self.progress
        ]
        data["summary"] = plain(self.summary)
        data["valid_until"] = self.ends.isoformat() if self.ends else None
        data["countdown"] = (
            {"closes": self.countdown.closes.isoformat(), "period_days": self.countdown.period}
            if self.countdown
            else None
        )
        data.pop("ends")
        return data

    def shown(self) -> dict[str, Any]:
        """What a still image of the slide shows: no dates of the build, no countdown."""
        return {
            "kind": self.kind,
            "kicker": self.kicker,
            "title": self.title,
            "url": self.url,
            "highlight": self.still_highlight(),
            "lines": [asdict(line) for line in self.lines],
            "progress": [[bar.label, bar.percent] for bar in self.progress if not bar.live],
            "eu": asdict(self.eu) if self.eu else None,
        }

    def digest(self) -> str:
        """Hash of what the slide shows, so that its image name changes exactly when the picture does."""
        return hashlib.sha256(json.dumps(self.shown(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def is_over(self, moment: datetime) -> bool:
        return self.ends is not None and moment >= self.ends


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def site_tag(settings: dict[str, Any], name: str) -> str:
    """A tag URI, in the form of :func:`uchastvai.facts.urls.stable_id`, for slides not about one item."""
    domain = urlsplit(settings["SITEURL"]).hostname or "localhost"
    return f"tag:{domain},{settings.get('ID_DATE', '2026')}:display/{name}"


def _key(*parts: str) -> str:
    text = "-".join(parts).lower()
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text).strip("-")


# --------------------------------------------------------------------------- one slide per item


def respond_lines(respond: WaysToRespond) -> list[Line]:
    """How to respond: the e-mail and the postal address in full, then the other channels named."""
    lines = []
    if respond.email:
        lines.append(Line(gettext("By e-mail: {address}").format(address=respond.email), "email"))
    if respond.post:
        lines.append(Line(gettext("By post: {address}").format(address=shorten(respond.post, LINE_LIMIT)), "post"))
    in_person = WaysToRespond.model_fields["in_person"].title or ""  # the field's title, a catalogue msgid
    others = [gettext(in_person).lower()] if respond.in_person else []
    if respond.strategy_bg:
        others.append(urlsplit(respond.strategy_bg).hostname or respond.strategy_bg)  # the portal by its name
    if others:
        lines.append(Line(gettext("Also: {channels}").format(channels=", ".join(others))))
    return lines


def consultation_slide(content: Any, settings: dict[str, Any], config: DisplayConfig) -> Slide:
    item, facts = content.item, content.facts
    return Slide(
        id=stable_id(settings, content),
        key=_key("konsultatsia", item.id),
        kind="consultation",
        kicker=gettext("Public consultation No. {number}").format(number=item.id),
        title=shorten(content.title, TITLE_LIMIT),
        url=absolute_url(settings, content.url),
        duration=config.duration("consultation"),
        updated=start_of_day(item.opens),
        highlight=facts.countdown,
        lines=(
            Line(gettext("Proposals until {date} inclusive").format(date=long_date(item.closes)), "deadline"),
            *respond_lines(item.respond),
        ),
        ends=end_of_day(item.closes),
        countdown=Countdown(item.closes, facts.period_days),
    )


def hearing_slide(content: Any, hearing: Any, settings: dict[str, Any], config: DisplayConfig) -> Slide:
    item = content.item
    stamp = hearing.start.strftime("%Y-%m-%dT%H:%M")
    lines = [Line(shorten(hearing.place, LINE_LIMIT), "place"), Line(shorten(hearing.address, LINE_LIMIT), "address")]
    if hearing.online:
        lines.append(Line(gettext("You can also follow it online."), "online"))
    return Slide(
        id=stable_id(settings, content, f"hearing/{stamp}"),
        key=_key("obsazhdane", item.id, hearing.start.strftime("%Y%m%d-%H%M")),
        kind="hearing",
        kicker=gettext("Public hearing"),
        title=shorten(content.title, TITLE_LIMIT),
        url=absolute_url(settings, content.url),
        duration=config.duration("hearing"),
        updated=start_of_day(hearing.announced or item.opens),
        highlight=event_datetime(hearing.start),
        lines=tuple(lines),
        ends=local(hearing.end or hearing.start),
    )


def progress_bars(facts: Any, item: Any) -> tuple[ProgressBar, ...]:
    """The project's progress, each bar saying what it measures; money in euro only (room on screen)."""
    bars = []
    for progress in facts.progress:
        if progress.basis == "time":
            bars.append(ProgressBar(progress.label, progress.percent, progress.detail, item.start, item.end))
            continue
        detail = progress.detail
        if progress.basis == "money":
            detail = gettext("{paid} of {total}").format(
                paid=format_money(facts.paid.eur, "EUR"), total=format_money(facts.total.eur, "EUR")
            )
        bars.append(ProgressBar(progress.label, progress.percent, detail))
    return tuple(bars)


def eu_block(item: Any) -> EuBlock | None:
    """The project's EU publicity (declared once, :func:`uchastvai.facts.derive.eu_publicity`), sized for a slide."""
    eu = eu_publicity(item)
    return EuBlock(eu.period.value, eu.emblem, eu.fund, item.programme) if eu else None


def project_slide(content: Any, settings: dict[str, Any], config: DisplayConfig) -> Slide:
    item = content.item
    return Slide(
        id=stable_id(settings, content),
        key=_key("proekt", item.code),
        kind="project",
        kicker=gettext("Project in progress · {place}").format(place=item.area or item.code),
        title=shorten(content.title, TITLE_LIMIT),
        url=absolute_url(settings, content.url),
        duration=config.duration("project"),
        updated=start_of_day(item.updated),
        progress=progress_bars(content.facts, item),
        eu=eu_block(item),
        ends=end_of_day(item.end),
    )


def news_slide(content: Any, settings: dict[str, Any], config: DisplayConfig) -> Slide:
    """A news item, on screen for ``DISPLAY_NEWS_DAYS`` days after its date."""
    item = content.item
    return Slide(
        id=stable_id(settings, content),
        key=_key("novina", content.source_path.rsplit("/", 1)[-1].removesuffix(".md")),
        kind="news",
        kicker=gettext("News · {date}").format(date=long_date(item.date)),
        title=shorten(content.title, TITLE_LIMIT),
        url=absolute_url(settings, content.url),
        duration=config.duration("news"),
        updated=start_of_day(item.date),
        lines=(Line(shorten(item.summary, 170)),),
        ends=start_of_day(item.date + timedelta(days=config.news_days)),
    )


# --------------------------------------------------------------------------- slides about the site


def ideas_slide(settings: dict[str, Any], config: DisplayConfig, build_time: datetime) -> Slide:
    municipality = settings["MUNICIPALITY"]
    return Slide(
        id=site_tag(settings, "ideas"),
        key="idei",
        kind="ideas",
        kicker=gettext("Project ideas"),
        title=gettext("What should {town} do next? Propose an idea.").format(town=municipality["town"]),
        url=absolute_url(settings, section_url("idea")),
        duration=config.duration("ideas"),
        updated=start_of_day(local(build_time).date()),
        lines=(
            Line(gettext("Write to {email}").format(email=municipality["email"]), "email"),
            Line(shorten(gettext("or come to: {place}").format(place=municipality["information_centre"]), LINE_LIMIT)),
        ),
    )


def default_slide(settings: dict[str, Any], config: DisplayConfig, build_time: datetime) -> Slide:
    """Shown when there is nothing else: who we are and where to read more, never a blank screen."""
    name = municipality_name(settings)
    host = urlsplit(settings["SITEURL"]).netloc or settings["SITEURL"]
    return Slide(
        id=site_tag(settings, "default"),
        key="obshtina",
        kind="default",
        kicker=name,
        title=shorten(settings["SITENAME"], TITLE_LIMIT),
        url=absolute_url(settings, "/"),
        duration=config.duration("default"),
        updated=start_of_day(local(build_time).date()),
        highlight=host,
        lines=(Line(gettext("Public consultations, projects and ideas of %(name)s") % {"name": name}),),
    )


def _projects(catalog: Any) -> list[Any]:
    """Projects in progress, the most recently active first (so a bound keeps the live ones)."""
    return sorted(catalog.projects_in_progress, key=lambda content: content.item.updated, reverse=True)


def build_slides(catalog: Any, settings: dict[str, Any], config: DisplayConfig) -> list[Slide]:
    """All slides still true at build time, in the configured order, each group within its bound.

    The default slide alone when there is nothing to show.
    """
    now = catalog.build_time
    limit = config.limit
    groups: dict[str, list[Slide]] = {
        "consultations": [consultation_slide(c, settings, config) for c in catalog.open_consultations],
        "hearings": [hearing_slide(c, h, settings, config) for c, h in catalog.upcoming_hearings],
        "projects": [project_slide(c, settings, config) for c in _projects(catalog)[: limit("projects")]],
        "news": [news_slide(c, settings, config) for c in catalog.latest_news(limit("news"))],
    }
    groups = {name: [s for s in group if not s.is_over(now)][: limit(name)] for name, group in groups.items()}
    if not any(slide for group in config.order if group != "ideas" for slide in groups.get(group, [])):
        return [default_slide(settings, config, now)]
    groups["ideas"] = [ideas_slide(settings, config, now)]
    return [slide for group in config.order for slide in groups[group]]


def version_of(slides: list[Slide], *parts: str) -> str:
    """The version of the display: changes when any slide, its dates or any asset changes.

    The build date is not part of it: the kiosk counts days itself, so a rebuild on the next
    day with unchanged content is the same version and players fetch nothing.
    """
    digest = hashlib.sha256()
    for slide in slides:
        dates = [slide.ends.isoformat() if slide.ends else "", asdict(slide.countdown) if slide.countdown else None]
        digest.update(slide.digest().encode())
        digest.update(json.dumps(dates, default=str).encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()[:16]
