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
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from uchastvai.dates import event_datetime, local, long_date, start_of_day
from uchastvai.derive import eu_publicity
from uchastvai.display.config import DisplayConfig
from uchastvai.i18n import gettext
from uchastvai.money import format_money
from uchastvai.schema import WaysToRespond
from uchastvai.sections import section_url
from uchastvai.urls import absolute_url, stable_id

TITLE_LIMIT = 80  # GUIDE §6: plain-text titles of player feeds
LINE_LIMIT = 120  # one body line on screen at 56 px, at most two rows in portrait
SUMMARY_LIMIT = 200  # GUIDE §6: descriptions of player feeds


def shorten(text: str, limit: int) -> str:
    """``text`` folded to one line and cut at a word boundary with „…“ if longer than ``limit``."""
    folded = " ".join(text.split())
    if len(folded) <= limit:
        return folded
    cut = folded[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return f"{cut}…"


@dataclass(frozen=True)
class ProgressBar:
    label: str  # what is measured: time, money or milestones (never unlabelled)
    percent: int
    detail: str


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
    lines: tuple[str, ...] = ()
    progress: tuple[ProgressBar, ...] = ()
    eu: EuBlock | None = None

    @property
    def summary(self) -> str:
        """Plain-text description for player feeds: the facts of the slide, ≤ 200 characters."""
        return shorten(" · ".join(part for part in (self.highlight, *self.lines, *self._bars()) if part), SUMMARY_LIMIT)

    def _bars(self) -> list[str]:
        return [f"{bar.label}: {bar.percent}%" for bar in self.progress]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["updated"] = self.updated.isoformat()
        data["lines"] = list(self.lines)
        data["progress"] = [asdict(bar) for bar in self.progress]
        data["summary"] = self.summary
        return data

    def digest(self) -> str:
        """Hash of everything shown, so that a changed slide gets new image names."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def site_tag(settings: dict[str, Any], name: str) -> str:
    """A tag URI, in the form of :func:`uchastvai.urls.stable_id`, for slides not about one item."""
    domain = urlsplit(settings["SITEURL"]).hostname or "localhost"
    return f"tag:{domain},{settings.get('ID_DATE', '2026')}:display/{name}"


def _key(*parts: str) -> str:
    text = "-".join(parts).lower()
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text).strip("-")


# --------------------------------------------------------------------------- one slide per item


def respond_lines(respond: WaysToRespond) -> list[str]:
    """How to respond, shortest channel first: the e-mail address, then the other channels named."""
    lines = []
    if respond.email:
        lines.append(gettext("By e-mail: {address}").format(address=respond.email))
    others = [
        gettext(WaysToRespond.model_fields[name].title or name).lower()
        for name in ("post", "in_person")
        if getattr(respond, name)
    ]
    if respond.strategy_bg:
        others.append(urlsplit(respond.strategy_bg).hostname or respond.strategy_bg)  # the portal by its name
    if others:
        lines.append(gettext("Also: {channels}").format(channels=", ".join(others)))
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
            gettext("Proposals until {date} inclusive").format(date=long_date(item.closes)),
            *respond_lines(item.respond),
        ),
    )


def hearing_slide(content: Any, hearing: Any, settings: dict[str, Any], config: DisplayConfig) -> Slide:
    item = content.item
    stamp = hearing.start.strftime("%Y-%m-%dT%H:%M")
    lines = [shorten(hearing.place, LINE_LIMIT), shorten(hearing.address, LINE_LIMIT)]
    if hearing.online:
        lines.append(gettext("You can also follow it online."))
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
    )


def progress_bars(facts: Any) -> tuple[ProgressBar, ...]:
    """The project's progress, each bar saying what it measures; money in euro only (room on screen)."""
    bars = []
    for progress in facts.progress:
        detail = progress.detail
        if progress.basis == "money":
            detail = gettext("{paid} of {total}").format(
                paid=format_money(facts.paid.eur, "EUR"), total=format_money(facts.total.eur, "EUR")
            )
        bars.append(ProgressBar(progress.label, progress.percent, detail))
    return tuple(bars)


def eu_block(item: Any) -> EuBlock | None:
    """The project's EU publicity (declared once, :func:`uchastvai.derive.eu_publicity`), sized for a slide."""
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
        progress=progress_bars(content.facts),
        eu=eu_block(item),
    )


def news_slide(content: Any, settings: dict[str, Any], config: DisplayConfig) -> Slide:
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
        lines=(shorten(item.summary, 170),),
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
            gettext("Write to {email}").format(email=municipality["email"]),
            shorten(gettext("or come to: {place}").format(place=municipality["information_centre"]), LINE_LIMIT),
        ),
    )


def default_slide(settings: dict[str, Any], config: DisplayConfig, build_time: datetime) -> Slide:
    """Shown when there is nothing else: who we are and where to read more, never a blank screen."""
    municipality = settings["MUNICIPALITY"]
    host = urlsplit(settings["SITEURL"]).netloc or settings["SITEURL"]
    return Slide(
        id=site_tag(settings, "default"),
        key="obshtina",
        kind="default",
        kicker=municipality["name"],
        title=shorten(settings["SITENAME"], TITLE_LIMIT),
        url=absolute_url(settings, "/"),
        duration=config.duration("default"),
        updated=start_of_day(local(build_time).date()),
        highlight=host,
        lines=(gettext("Public consultations, projects and ideas of %(name)s") % {"name": municipality["name"]},),
    )


def build_slides(catalog: Any, settings: dict[str, Any], config: DisplayConfig) -> list[Slide]:
    """All slides in the configured order; the default slide alone when there is nothing to show."""
    groups: dict[str, list[Slide]] = {
        "consultations": [consultation_slide(c, settings, config) for c in catalog.open_consultations],
        "hearings": [
            hearing_slide(c, h, settings, config) for c, h in catalog.upcoming_hearings[: config.hearings_count]
        ],
        "projects": [project_slide(c, settings, config) for c in catalog.projects_in_progress],
        "news": [news_slide(c, settings, config) for c in catalog.latest_news(config.news_count)],
    }
    if not any(slide for group in config.order if group != "ideas" for slide in groups.get(group, [])):
        return [default_slide(settings, config, catalog.build_time)]
    groups["ideas"] = [ideas_slide(settings, config, catalog.build_time)]
    return [slide for group in config.order for slide in groups[group]]


def version_of(slides: list[Slide], *parts: str) -> str:
    """The version of the display: changes when any slide or any asset changes."""
    digest = hashlib.sha256()
    for slide in slides:
        digest.update(slide.digest().encode())
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()[:16]
