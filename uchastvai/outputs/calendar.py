"""iCalendar files of consultation deadlines and public hearings (RFC 5545, icalendar).

One calendar of every consultation (to subscribe to) and one per consultation (to add
once from its page). Each deadline and hearing has a UID from :func:`stable_id` with the
same suffix as the feed entry that announced it, so a corrected hour moves the event in
a subscriber's calendar instead of adding a second one. Hearings are in Europe/Sofia
with its VTIMEZONE; deadlines are all-day events with reminders three days and one day
before (strategy.bg reminds three days before the end). DTSTAMP is the consultation's
last change, so the same content gives the same bytes; each consultation's events are
serialised once and kept between builds, and both calendars are assembled from them
(:func:`new_calendar` makes the same bytes at once: the tests compare the two). Text values
lose the control characters RFC 5545 does not allow (:func:`uchastvai.content.sanitize.xml_text`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vDuration
from icalendar.enums import STATUS, TRANSP
from pelican.generators import Generator

from uchastvai.content.sanitize import xml_text
from uchastvai.content.schema import Consultation, Hearing, WaysToRespond
from uchastvai.core.dates import SOFIA, local
from uchastvai.core.i18n import gettext
from uchastvai.core.paths import PATHS
from uchastvai.core.written import announce
from uchastvai.facts.urls import absolute_url, municipality_name, stable_id
from uchastvai.outputs.feeds import hearing_keys, last_change, site_tag
from uchastvai.outputs.filters import field_label
from uchastvai.outputs.incremental import AsRead, output_files, pure, remembered

CALENDAR_PATH = f"{PATHS.calendars}{Consultation.section}.ics"
ITEM_CALENDAR = "kalendar.ics"
CALENDAR_TYPE = "text/calendar"
REFRESH = timedelta(hours=12)
# Relative to the start (00:00) of an all-day deadline: 09:00 three days and one day before.
DEADLINE_REMINDERS = (-timedelta(days=2, hours=15), -timedelta(hours=15))
HEARING_REMINDERS = (-timedelta(days=1),)
UTC = ZoneInfo("UTC")


def item_calendar_path(content: Any) -> str:
    """``konsultatsii/<slug>/kalendar.ics``: next to the page it belongs to."""
    return f"{content.url}{ITEM_CALENDAR}"


def reminder(uid: str, before: timedelta, text: str) -> Alarm:
    """A display alarm; its UID is derived from the event's, so output stays reproducible."""
    alarm = Alarm.new(uid=f"{uid}/alarm{int(before.total_seconds())}", description=xml_text(text))
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", before)
    return alarm


def _status(content: Any) -> STATUS:
    return STATUS.CANCELLED if content.item.withdrawn else STATUS.CONFIRMED


def deadline_event(settings: dict[str, Any], content: Any, stamp: datetime) -> Event:
    """The last day for proposals, all day (it counts in full until 23:59:59 Sofia time)."""
    item: Consultation = content.item
    uid = stable_id(settings, content, "deadline")
    page = absolute_url(settings, content.url)
    summary = gettext("Last day for proposals: {title}").format(title=item.title)
    ways = [
        f"{field_label(WaysToRespond, name)}: {value}"
        for name in WaysToRespond.model_fields
        if (value := getattr(item.respond, name))
    ]
    description = "\n\n".join([item.summary, field_label(item, "respond") + ":", *ways, page])
    event = Event.new(
        uid=uid,
        stamp=stamp,
        start=item.closes,
        end=item.closes + timedelta(days=1),
        summary=xml_text(summary),
        description=xml_text(description),
        url=page,
        status=_status(content),
        transparency=TRANSP.TRANSPARENT,
        categories=[gettext(Consultation.label)],
    )
    for before in DEADLINE_REMINDERS:
        event.add_component(reminder(uid, before, summary))
    return event


def hearing_event(settings: dict[str, Any], content: Any, key: str, hearing: Hearing, stamp: datetime) -> Event:
    """A public hearing at its place and time in Europe/Sofia, with the online link if any."""
    uid = stable_id(settings, content, key)
    page = absolute_url(settings, content.url)
    summary = gettext("Public hearing: {title}").format(title=content.item.title)
    lines = [content.item.summary, hearing.accessibility, hearing.online, page]
    event = Event.new(
        uid=uid,
        stamp=stamp,
        start=local(hearing.start),
        end=local(hearing.end) if hearing.end else None,
        summary=xml_text(summary),
        description=xml_text("\n\n".join(line for line in lines if line)),
        location=xml_text(f"{hearing.place}, {hearing.address}"),
        url=page,
        status=_status(content),
        categories=[gettext(Consultation.label)],
    )
    for before in HEARING_REMINDERS:
        event.add_component(reminder(uid, before, summary))
    return event


def consultation_events(settings: dict[str, Any], content: Any, stamp: datetime) -> list[Event]:
    """The deadline and every hearing of one consultation."""
    events = [deadline_event(settings, content, stamp)]
    events += [hearing_event(settings, content, key, h, stamp) for key, h in hearing_keys(content.item.hearings)]
    return events


def one_line(text: str) -> str:
    """Calendar-level names are single lines: icalendar does not escape line breaks in them."""
    return " ".join(xml_text(text).split())


def _shell(settings: dict[str, Any], *, uid: str, name: str, description: str, url: str) -> Calendar:
    """A published calendar's own properties, without events or time zones."""
    calendar = Calendar.new(
        uid=uid,
        prodid=f"-//{settings['SITENAME']}//uchastvai//{settings.get('DEFAULT_LANG', 'bg').upper()}",
        name=one_line(name),
        description=one_line(description),
        url=url,
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=REFRESH,
    )
    calendar.add("x-wr-timezone", str(SOFIA))
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def _timezone_range(years: Iterable[int]) -> tuple[date, date] | None:
    """Whole years, so each VTIMEZONE has both of the year's transitions."""
    years = list(years)
    return (date(min(years), 1, 1), date(max(years) + 1, 1, 1)) if years else None


def new_calendar(
    settings: dict[str, Any], *, uid: str, name: str, description: str, url: str, events: Iterable[Event]
) -> Calendar:
    """A published calendar with its time zones, for subscription or a one-off import."""
    events = list(events)
    calendar = _shell(settings, uid=uid, name=name, description=description, url=url)
    calendar.subcomponents.extend(events)
    span = _timezone_range(event.start.year for event in events)
    if span:
        calendar.add_missing_timezones(first_date=span[0], last_date=span[1])
    return calendar


@dataclass(frozen=True)
class SerialisedEvents:
    """One consultation's events as iCalendar text, with what the calendar around them needs:
    kept between builds, so the calendar of every consultation is assembled, not re-made."""

    text: bytes
    years: tuple[int, ...]
    tzids: tuple[str, ...]


def serialise(events: list[Event]) -> SerialisedEvents:
    probe = Calendar()
    probe.subcomponents.extend(events)
    return SerialisedEvents(
        b"".join(bytes(event.to_ical()) for event in events),
        tuple(sorted({event.start.year for event in events})),
        tuple(sorted(probe.get_used_tzids() - {"UTC"})),
    )


CALENDAR_END = b"END:VCALENDAR\r\n"


def assemble(shell: Calendar, parts: list[SerialisedEvents]) -> bytes:
    """The bytes of ``shell`` holding the events of ``parts``, as :func:`new_calendar` writes
    them: time zones first, then the events in order (a component's lines do not depend on
    the calendar around it)."""
    span = _timezone_range(year for part in parts for year in part.years)
    if span:
        for tzid in sorted({tzid for part in parts for tzid in part.tzids}):
            with contextlib.suppress(ValueError):  # unknown zones are left out, as add_missing_timezones does
                shell.add_component(Timezone.from_tzid(tzid, first_date=span[0], last_date=span[1]))
    head = bytes(shell.to_ical())
    if not head.endswith(CALENDAR_END):
        raise ValueError("unexpected end of an iCalendar object")
    return head[: -len(CALENDAR_END)] + b"".join(part.text for part in parts) + CALENDAR_END


def _municipality(settings: dict[str, Any]) -> str:
    return municipality_name(settings)


def write_calendars(settings: dict[str, Any], catalog: Any, output: Path) -> list[Path]:
    """The calendar of all consultations and one per consultation; returns the files written.

    Each event is stamped (``DTSTAMP``) with the last change of its consultation, which for
    a calendar without ``METHOD`` means its last modification (RFC 5545, 3.8.7.2): a
    calendar whose consultation did not change stays byte for byte the same.
    """
    build_time = catalog.build_time
    files = output_files(settings, output)
    consultations = list(reversed(catalog.consultations))  # oldest first: diffs stay small
    stamps = {id(c): local(last_change(settings, c, build_time)).astimezone(UTC) for c in consultations}

    def events(content: Any) -> SerialisedEvents:
        stamp = stamps[id(content)]
        return remembered(
            settings,
            ("calendar events", AsRead(content), stamp),
            lambda: serialise(consultation_events(settings, content, stamp)),
        )

    def everything() -> bytes:
        shell = _shell(
            settings,
            uid=site_tag(settings, "calendar/consultation"),
            name=gettext("Public consultations: {name}").format(name=_municipality(settings)),
            description=gettext("Deadlines for proposals and public hearings of {name}").format(
                name=_municipality(settings)
            ),
            url=absolute_url(settings, f"{Consultation.section}/"),
        )
        return assemble(shell, [events(c) for c in consultations])

    def one(content: Any) -> bytes:
        shell = _shell(
            settings,
            uid=stable_id(settings, content, "calendar"),
            name=content.item.title,
            description=gettext("Deadline for proposals and public hearings of this consultation"),
            url=absolute_url(settings, content.url),
        )
        return assemble(shell, [events(content)])

    inputs = [(AsRead(c), stamps[id(c)]) for c in consultations]  # events show no fact of the day
    written = [files(CALENDAR_PATH, ("calendar", inputs), everything)]
    for content in consultations:
        path = item_calendar_path(content)
        written.append(files(path, ("calendar", AsRead(content), stamps[id(content)]), functools.partial(one, content)))
    return written


def webcal_url(settings: dict[str, Any], path: str) -> str:
    """The same file as ``webcal://``, which makes calendar apps offer to subscribe."""
    url = absolute_url(settings, path)
    return "webcal://" + url.split("://", 1)[1]


class CalendarGenerator(Generator):
    """Writes the .ics files; templates get their URLs through ``calendar_links``."""

    def generate_context(self) -> None:
        settings = self.settings
        self.context["calendar_links"] = pure(lambda content=None: calendar_links(settings, content))

    def generate_output(self, writer: Any) -> None:
        for path in write_calendars(self.settings, self.context["catalog"], Path(self.output_path)):
            announce(path, self.context)


def calendar_links(settings: dict[str, Any], content: Any = None) -> dict[str, str]:
    """Download and subscription addresses for the page of ``content`` (or the whole site)."""
    links = {"all": absolute_url(settings, CALENDAR_PATH), "subscribe": webcal_url(settings, CALENDAR_PATH)}
    if content is not None and getattr(content, "item", None) is not None and content.item.type_name == "consultation":
        links["item"] = absolute_url(settings, item_calendar_path(content))
    return links
