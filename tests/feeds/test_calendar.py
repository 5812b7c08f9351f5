"""The .ics files round-trip through icalendar, with stable unique UIDs, time zone and reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from icalendar import Calendar

from tests.conftest import ROOT, build_site, read_html
from tests.feeds.conftest import PUBLISHED_URL
from uchastvai.core.dates import SOFIA

BUDGET = "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/"
WITHDRAWN_ID = "2026-016"


def load(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def uids(calendar: Calendar) -> list[str]:
    return [str(event["UID"]) for event in calendar.walk("VEVENT")]


def test_every_calendar_round_trips_with_unique_uids(published_site: Path) -> None:
    paths = list(published_site.rglob("*.ics"))
    assert len(paths) == 1 + len(list(published_site.glob("konsultatsii/*/kalendar.ics")))
    for path in paths:
        calendar = load(path)
        assert calendar.to_ical() == Calendar.from_ical(calendar.to_ical()).to_ical()
        assert len(uids(calendar)) == len(set(uids(calendar))), path
        assert str(calendar["METHOD"]) == "PUBLISH" and calendar["PRODID"]


def test_the_site_calendar_has_each_deadline_and_hearing(published_site: Path) -> None:
    calendar = load(published_site / "kalendar/konsultatsii.ics")
    all_uids = set(uids(calendar))
    host = PUBLISHED_URL.split("://")[1]
    assert f"tag:{host},2026:consultation/2026-030/deadline" in all_uids
    assert f"tag:{host},2026:consultation/2026-030/hearing/2026-12-08" in all_uids
    assert len([uid for uid in all_uids if uid.endswith("/deadline")]) == 8


def test_uids_are_the_same_in_the_site_calendar_the_item_calendar_and_the_feed(published_site: Path) -> None:
    item = set(uids(load(published_site / f"{BUDGET}kalendar.ics")))
    assert item <= set(uids(load(published_site / "kalendar/konsultatsii.ics")))
    feed = (published_site / f"{BUDGET}feed.atom").read_text(encoding="utf-8")
    hearing_uid = next(uid for uid in item if "/hearing/" in uid)
    assert f"<id>{hearing_uid}</id>" in feed


def test_uids_are_stable_across_builds_and_dtstamp_is_the_last_change(published_site: Path, tmp_path: Path) -> None:
    """DTSTAMP is the consultation's last change (RFC 5545 without METHOD), never the build time:
    a calendar whose consultations did not change is the same file in the next build."""
    later = build_site(
        ROOT / "content",
        tmp_path / "later",
        build_time=datetime(2026, 12, 1, 9, 0, tzinfo=SOFIA),
        SITEURL=PUBLISHED_URL,
    )
    before, after = load(published_site / "kalendar/konsultatsii.ics"), load(later / "kalendar/konsultatsii.ics")
    assert uids(before) == uids(after)
    first_build = datetime.fromisoformat("2026-11-25T10:00:00+00:00")
    stamps = {event["UID"]: event["DTSTAMP"].dt for event in before.walk("VEVENT")}
    later_stamps = {event["UID"]: event["DTSTAMP"].dt for event in after.walk("VEVENT")}
    assert first_build not in stamps.values()
    assert len(set(stamps.values())) > 1  # each consultation its own
    unchanged = [uid for uid in stamps if stamps[uid] == later_stamps[uid]]
    assert 0 < len(unchanged) < len(stamps)  # some consultations changed in the week between, most not


def test_hearings_are_in_sofia_time_with_a_vtimezone_place_and_url(published_site: Path) -> None:
    calendar = load(published_site / f"{BUDGET}kalendar.ics")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Sofia"]
    hearing = next(event for event in calendar.walk("VEVENT") if "/hearing/" in str(event["UID"]))
    assert hearing["DTSTART"].params["TZID"] == "Europe/Sofia"
    assert hearing["DTSTART"].dt.isoformat() == "2026-12-08T17:30:00+02:00"
    assert hearing["DTEND"].dt - hearing["DTSTART"].dt == timedelta(hours=2)
    assert "бул. „България“ № 19" in str(hearing["LOCATION"])
    assert str(hearing["URL"]) == f"{PUBLISHED_URL}/{BUDGET}"
    assert "https://video.asenovgrad.example/byudzhet-2027" in str(hearing["DESCRIPTION"])


def test_deadlines_are_all_day_with_reminders_before(published_site: Path) -> None:
    calendar = load(published_site / f"{BUDGET}kalendar.ics")
    deadline = next(event for event in calendar.walk("VEVENT") if str(event["UID"]).endswith("/deadline"))
    assert deadline["DTSTART"].dt == date(2026, 12, 16)
    assert deadline["DTEND"].dt == date(2026, 12, 17)
    triggers = sorted(alarm["TRIGGER"].dt for alarm in deadline.walk("VALARM"))
    assert triggers and all(trigger < timedelta(0) for trigger in triggers)
    assert "budzhet@asenovgrad.example" in str(deadline["DESCRIPTION"])


def test_a_withdrawn_consultation_is_cancelled_in_calendars(published_site: Path) -> None:
    calendar = load(published_site / "kalendar/konsultatsii.ics")
    statuses = {str(event["UID"]): str(event["STATUS"]) for event in calendar.walk("VEVENT")}
    withdrawn = [status for uid, status in statuses.items() if f"/{WITHDRAWN_ID}/" in uid]
    assert withdrawn and set(withdrawn) == {"CANCELLED"}
    assert {status for uid, status in statuses.items() if f"/{WITHDRAWN_ID}/" not in uid} == {"CONFIRMED"}


def test_the_consultation_page_links_to_its_calendar_and_the_subscription(published_site: Path) -> None:
    hrefs = {a["href"] for a in read_html(published_site, BUDGET).select("a[href]")}
    assert f"{PUBLISHED_URL}/{BUDGET}kalendar.ics" in hrefs
    assert f"webcal://{PUBLISHED_URL.split('://')[1]}/kalendar/konsultatsii.ics" in hrefs


def test_control_characters_never_reach_a_calendar_line() -> None:
    """RFC 5545 text allows no control characters; the calendar drops them whatever the reader let through."""
    from types import SimpleNamespace

    from tests.factories import CONSULTATION, make
    from uchastvai.content.schema import Consultation
    from uchastvai.outputs.calendar import consultation_events, new_calendar

    control = "\x00\x01\x0b\x1b\x7f\x85"
    item = Consultation.model_validate(
        make(
            CONSULTATION,
            title=f"Наредба{control}",
            summary=f"Кратко{control}\r\nвтори ред",
            hearings=[{"start": "2026-12-03 18:00", "place": f"Зала{control}", "address": "ул. „Първа“"}],
        )
    )
    content = SimpleNamespace(item=item, url="konsultatsii/naredba/", source_path="content/consultations/x.md")
    settings = {"SITEURL": PUBLISHED_URL, "SITENAME": "Сайт", "MUNICIPALITY": {"name": "Община"}}
    stamp = datetime(2026, 11, 25, 10, 0, tzinfo=SOFIA)
    events = consultation_events(settings, content, stamp)
    data = new_calendar(settings, uid="u", name=item.title, description="d", url=PUBLISHED_URL, events=events).to_ical()
    assert not set(control) & set(data.decode("utf-8"))
    parsed = Calendar.from_ical(data)
    assert str(parsed["X-WR-CALNAME"]) == "Наредба"
    assert any(str(event.get("LOCATION", "")).startswith("Зала,") for event in parsed.walk("VEVENT"))


@given(
    titles=st.lists(st.text(min_size=1, max_size=120), min_size=0, max_size=4),
    hearing_years=st.lists(st.integers(min_value=2015, max_value=2035), max_size=3),
)
@hypothesis_settings(max_examples=25, deadline=None)
def test_the_site_calendar_assembled_from_kept_events_is_the_calendar_made_at_once(
    titles: list[str], hearing_years: list[int]
) -> None:
    """The calendar of every consultation is assembled from each consultation's events kept
    between builds; it must be byte for byte the calendar icalendar makes of all of them."""
    from types import SimpleNamespace

    from tests.factories import CONSULTATION, make
    from uchastvai.content.schema import Consultation
    from uchastvai.outputs.calendar import _shell, assemble, consultation_events, new_calendar, serialise

    settings = {"SITEURL": PUBLISHED_URL, "SITENAME": "Сайт", "MUNICIPALITY": {"name": "Община"}}
    stamp = datetime(2026, 11, 25, 10, 0, tzinfo=SOFIA)
    per_item = []
    for number, title in enumerate(titles):
        hearings = [
            {
                "start": f"{year}-0{1 + (number + i) % 9}-1{i} 18:00",
                "place": "Зала „Съединение“",
                "address": "ул. „Първа“ 1",
            }
            for i, year in enumerate(hearing_years[: number + 1])
        ]
        item = Consultation.model_validate(make(CONSULTATION, id=f"2026-{number + 1:03}", hearings=hearings))
        item = item.model_copy(update={"title": title or "x"})
        content = SimpleNamespace(item=item, url=f"konsultatsii/k{number}/", source_path=f"content/x{number}.md")
        per_item.append(consultation_events(settings, content, stamp))
    names = {"uid": "u", "name": "Всички", "description": "Срокове", "url": PUBLISHED_URL}
    made = new_calendar(settings, **names, events=[event for events in per_item for event in events]).to_ical()
    assembled = assemble(_shell(settings, **names), [serialise(events) for events in per_item])
    assert assembled == made
