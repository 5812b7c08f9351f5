"""Every feed parses cleanly and carries what feed readers and the RSS/Atom specs require."""

from __future__ import annotations

import email.utils
import html
import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from markupsafe import Markup

from tests.conftest import read_html
from tests.feeds.conftest import MAX_ENTRIES, PUBLISHED_URL, build_small, feed_files
from uchastvai.content.sanitize import xml_text
from uchastvai.core.dates import SOFIA
from uchastvai.facts.urls import tag_uri
from uchastvai.outputs.feeds import (
    FEED_FORMATS,
    Entry,
    FeedInfo,
    distinct_updates,
    fact_list,
    feed_document,
    link_list,
    newest_first,
    paragraph,
)

ATOM = "{http://www.w3.org/2005/Atom}"
BUDGET = "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/"
DECIDED = "konsultatsii/aktualizatsia-na-plana-za-integrirano-razvitie-na-obshtina-asenovgrad-2021-2027/"


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def rfc822(text: str) -> datetime:
    """An RFC 822 date with a numeric offset, as RSS 2.0 requires."""
    value = email.utils.parsedate_to_datetime(text)
    assert value.tzinfo is not None, text
    assert text[-5] in "+-" and text[-4:].isdigit(), text
    return value


def test_the_site_has_every_promised_feed(published_site: Path) -> None:
    names = {p.relative_to(published_site).as_posix() for p in feed_files(published_site)}
    for stem in ("vsichko", "konsultatsii", "proekti", "idei", "novini", "otvoreni-konsultatsii"):
        assert {f"feeds/{stem}.atom", f"feeds/{stem}.rss"} <= names
    assert {f"{BUDGET}feed.atom", f"{BUDGET}feed.rss"} <= names
    assert any(name.startswith("proekti/") and name.endswith("/feed.atom") for name in names)


def test_every_feed_parses_without_errors_in_bulgarian_with_a_self_link(published_site: Path) -> None:
    for path in feed_files(published_site):
        feed = parse(path).feed
        assert feed.language == "bg", path
        assert feed.title and feed.get("subtitle"), path
        links = {link.rel: link.href for link in feed.links}
        assert links["self"] == f"{PUBLISHED_URL}/{path.relative_to(published_site).as_posix()}"
        assert links["alternate"].startswith(PUBLISHED_URL)


def test_rss_items_follow_rss_2_rules(published_site: Path) -> None:
    for path in published_site.rglob("*.rss"):
        channel = ElementTree.parse(path).getroot().find("channel")
        assert channel.findtext("link").startswith(PUBLISHED_URL), "channel link is the page, not the feed"
        rfc822(channel.findtext("lastBuildDate"))
        for item in channel.findall("item"):
            assert item.findtext("title") and item.findtext("link").startswith(PUBLISHED_URL)
            assert item.find("guid").get("isPermaLink") == "false" and item.findtext("guid").startswith("tag:")
            rfc822(item.findtext("pubDate"))


def test_atom_entries_follow_rfc_4287(published_site: Path) -> None:
    for path in published_site.rglob("*.atom"):
        root = ElementTree.parse(path).getroot()
        assert root.findtext(f"{ATOM}id").startswith("tag:")
        assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")).tzinfo is not None
        assert root.find(f"{ATOM}author/{ATOM}name").text, "feed-level author covers every entry"
        ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
        assert len(ids) == len(set(ids)), path
        for entry in root.findall(f"{ATOM}entry"):
            assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")).tzinfo is not None
            assert entry.find(f"{ATOM}content").get("type") == "html"


def test_entries_are_newest_first(published_site: Path) -> None:
    for path in published_site.rglob("*.atom"):
        updated = [entry.updated_parsed for entry in parse(path).entries]
        assert updated == sorted(updated, reverse=True), path


def test_list_feeds_are_bounded_while_item_feeds_keep_the_whole_history(published_site: Path) -> None:
    assert len(parse(published_site / "feeds/vsichko.atom").entries) == MAX_ENTRIES
    history = parse(published_site / f"{DECIDED}feed.atom").entries
    assert len(history) > MAX_ENTRIES


def test_a_published_build_has_no_localhost_anywhere(published_site: Path) -> None:
    for path in [*feed_files(published_site), *published_site.rglob("*.ics"), *published_site.rglob("*.json")]:
        text = path.read_text(encoding="utf-8")
        assert "127.0.0.1" not in text and "localhost" not in text, path


def test_an_item_feed_tells_its_history_from_the_data(published_site: Path) -> None:
    entries = parse(published_site / f"{DECIDED}feed.atom").entries
    by_suffix = {entry.id.split("consultation/2026-012/")[1]: entry for entry in entries}
    assert {"published", "closed", "report", "decision"} <= by_suffix.keys()
    assert {key for key in by_suffix if key.startswith("hearing/")} == {"hearing/2026-04-28", "hearing/2026-05-06"}
    assert by_suffix["report"].updated.startswith("2026-06-02")
    assert by_suffix["decision"].updated.startswith("2026-06-25")
    assert "812" in by_suffix["decision"].title
    assert "spravka-piro-aktualizatsia.pdf" in by_suffix["report"].content[0].value


def test_a_hearing_is_announced_in_the_item_feed_with_place_and_online_link(published_site: Path) -> None:
    entries = parse(published_site / f"{BUDGET}feed.atom").entries
    hearing = next(entry for entry in entries if entry.id.endswith("/hearing/2026-12-08"))
    content = html.unescape(hearing.content[0].value)
    assert "бул. „България“ № 19" in content and "https://video.asenovgrad.example/byudzhet-2027" in content


def test_list_entries_carry_the_key_facts(published_site: Path) -> None:
    entries = {entry.id: entry for entry in parse(published_site / "feeds/proekti.atom").entries}
    entry = next(e for e in entries.values() if "BG16FFPR003-2.001-0042-C01" in e.content[0].value)
    text = html.unescape(entry.content[0].value)
    assert "1\u00a0284\u00a0560,00\u00a0€" in text  # total, formatted as on the page
    assert "Открита" not in text and "В изпълнение" in text


def test_the_open_feed_lists_exactly_the_open_consultations(published_site: Path) -> None:
    data = json.loads((published_site / "danni/konsultatsii.json").read_text(encoding="utf-8"))
    open_ids = {record["guid"] for record in data["items"] if record["state"] == "open"}
    assert open_ids
    assert {entry.id for entry in parse(published_site / "feeds/otvoreni-konsultatsii.atom").entries} == open_ids


def test_upcoming_consultations_are_not_announced_before_publication(published_site: Path) -> None:
    data = json.loads((published_site / "danni/konsultatsii.json").read_text(encoding="utf-8"))
    upcoming = {record["guid"] for record in data["items"] if record["state"] == "upcoming"}
    listed = {entry.id for entry in parse(published_site / "feeds/konsultatsii.atom").entries}
    assert upcoming and not upcoming & listed


def test_pages_announce_their_feeds_most_specific_first(published_site: Path) -> None:
    page = read_html(published_site, BUDGET)
    hrefs = [link["href"] for link in page.select('head link[rel="alternate"]')]
    assert hrefs[0] == f"{PUBLISHED_URL}/{BUDGET}feed.atom"
    assert f"{PUBLISHED_URL}/feeds/konsultatsii.atom" in hrefs
    assert f"{PUBLISHED_URL}/feeds/vsichko.atom" in hrefs
    open_list = read_html(published_site, "konsultatsii/otvoreni/")
    assert (
        open_list.select_one('head link[rel="alternate"]')["href"]
        == f"{PUBLISHED_URL}/feeds/otvoreni-konsultatsii.atom"
    )
    home = read_html(published_site, "/")
    assert home.select_one('head link[rel="alternate"]')["href"] == f"{PUBLISHED_URL}/feeds/vsichko.atom"


def test_the_subscription_page_lists_the_site_feeds_and_those_of_current_items(published_site: Path) -> None:
    page = read_html(published_site, "abonament/")
    hrefs = {a["href"] for a in page.select("a[href]")}
    for path in feed_files(published_site):
        relative = path.relative_to(published_site).as_posix()
        if relative.startswith("feeds/"):
            assert f"{PUBLISHED_URL}/{relative}" in hrefs, path
    # Open and upcoming consultations, projects under way or about to start: their own feeds.
    for slug in (
        "proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina",
        "nova-naredba-za-otglezhdaneto-na-domashni-kucheta",
    ):
        assert f"{PUBLISHED_URL}/konsultatsii/{slug}/feed.atom" in hrefs
    # Finished items keep their feeds on their own pages, not on this one (it stays light).
    assert not any("tehnicheska-pomosht" in href for href in hrefs)
    assert "Как да се абонирате" in page.get_text()
    assert f"webcal://{PUBLISHED_URL.split('://')[1]}/kalendar/konsultatsii.ics" in hrefs


def test_correcting_the_text_keeps_every_identifier(small_site: Path, tmp_path: Path) -> None:
    first = build_small(small_site, tmp_path / "first")
    source = small_site / "consultations/2026-001-naredba.md"
    text = source.read_text(encoding="utf-8")
    corrected = text.replace(
        "Проект на Наредба за зелената система", "Проект на Наредба за зелената система (поправен)"
    )
    corrected = corrected.replace("Зала 1", "Зала 2").replace("18:00", "18:30")
    source.write_text(corrected, encoding="utf-8")
    second = build_small(small_site, tmp_path / "second")
    for feed in ("feeds/vsichko.atom", "feeds/konsultatsii.rss"):
        before, after = parse(first / feed), parse(second / feed)
        assert [e.id for e in before.entries] == [e.id for e in after.entries]
        assert [e.title for e in before.entries] != [e.title for e in after.entries]
    (old_feed,), (new_feed,) = first.glob("konsultatsii/*/feed.atom"), second.glob("konsultatsii/*/feed.atom")
    old, new = parse(old_feed), parse(new_feed)
    assert old.feed.id == new.feed.id
    assert [e.id for e in old.entries] == [e.id for e in new.entries]
    assert any(e.id.endswith("/hearing/2026-12-03") for e in new.entries), "a corrected hour keeps the hearing's id"


def test_entry_html_is_sanitised_and_links_are_absolute(small_site: Path, tmp_path: Path) -> None:
    news = small_site / "news/otkrivane.md"
    news.write_text(
        news.read_text(encoding="utf-8")
        + '\n<script>alert(1)</script>\n\n[Проектът](../../konsultatsii/) и <a href="#x" onclick="steal()">котва</a>\n',
        encoding="utf-8",
    )
    output = build_small(small_site, tmp_path / "out")
    content = parse(output / "feeds/novini.atom").entries[0].content[0].value
    assert "<script" not in content and "onclick" not in content and "alert(1)" not in content
    assert 'href="https://uchastvai.primerno.example/konsultatsii/"' in content
    assert 'href="https://uchastvai.primerno.example/novini/' in content  # the anchor, resolved against the page


def test_same_content_and_build_time_give_identical_files(small_site: Path, tmp_path: Path) -> None:
    first = build_small(small_site, tmp_path / "a")
    copy = tmp_path / "content-copy"
    shutil.copytree(small_site, copy)
    second = build_small(copy, tmp_path / "b")
    outputs = [*feed_files(first), *first.rglob("*.ics"), *first.glob("danni/**/*.*")]
    assert outputs
    for path in outputs:
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_the_feeds_name_the_municipality_of_the_settings(small_site: Path, tmp_path: Path, kind: str) -> None:
    output = build_small(small_site, tmp_path / "out")
    feed = parse(output / f"feeds/vsichko.{kind}").feed
    assert "Примерно" in feed.title and "Асеновград" not in (output / f"feeds/vsichko.{kind}").read_text("utf-8")


# RFC 4151 tagURI without fragment: "tag:" (DNSname / emailAddress) "," date ":" *(pchar / "/" / "?").
_DNS_COMP = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_DNS = rf"{_DNS_COMP}(?:\.{_DNS_COMP})*"
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
TAG_URI = re.compile(rf"tag:(?:{_DNS}|[A-Za-z0-9._-]+@{_DNS}),\d{{4}}(?:-\d{{2}}(?:-\d{{2}})?)?:(?:{_PCHAR}|[/?])*")


def test_every_identifier_is_a_valid_tag_uri(published_site: Path) -> None:
    """Ideas are numbered „И-2026-001“: Cyrillic is percent-encoded, not written raw (issue 11)."""
    ids = []
    for path in published_site.rglob("*.atom"):
        root = ElementTree.parse(path).getroot()
        ids += [root.findtext(f"{ATOM}id")] + [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    for path in published_site.rglob("*.rss"):
        ids += [item.findtext("guid") for item in ElementTree.parse(path).getroot().iter("item")]
    assert any("idea/%D0%98-" in value for value in ids), "the sample's ideas are in the feeds"
    assert [value for value in ids if not TAG_URI.fullmatch(value)] == []


def test_no_two_entries_of_a_feed_share_an_updated_instant(published_site: Path) -> None:
    """The W3C validator warns (DuplicateUpdated) when they do; several events of one day are common."""
    for path in published_site.rglob("*.atom"):
        updated = [
            datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
            for entry in ElementTree.parse(path).getroot().findall(f"{ATOM}entry")
        ]
        assert len(updated) == len(set(updated)), path
        for entry in ElementTree.parse(path).getroot().findall(f"{ATOM}entry"):
            published = datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
            assert published <= datetime.fromisoformat(entry.findtext(f"{ATOM}updated")), path


def _entry(key: str, when: datetime) -> Entry:
    return Entry(
        id=f"tag:x.example,2026:{key}", title=key, link="https://x.example/", published=when, updated=when, html=""
    )


def test_ties_move_forward_by_a_second_keeping_the_order() -> None:
    day = datetime(2026, 11, 10, tzinfo=SOFIA)
    entries = newest_first(
        [_entry("a", day), _entry("b", day), _entry("c", day), _entry("d", day + timedelta(seconds=1))]
    )
    moved = distinct_updates(entries)
    assert [e.id for e in moved] == [e.id for e in entries]
    times = [e.updated for e in moved]
    assert times == sorted(set(times), reverse=True)
    assert all(after.updated >= before.updated for before, after in zip(entries, moved, strict=True))
    assert distinct_updates(entries) == moved
    assert distinct_updates(moved) == moved, "times already distinct are kept"


def test_tag_uris_encode_what_rfc_4151_does_not_allow_one_to_one() -> None:
    settings = {"SITEURL": "https://uchastvai.primerno.example", "ID_DATE": "2026"}
    assert tag_uri(settings, "consultation/2026-014") == "tag:uchastvai.primerno.example,2026:consultation/2026-014"
    specifics = ["idea/И-2026-001", "idea/I-2026-001", 'news/а б#%<>"', "news/а%20б", "x/\u0301\U0001f600"]
    uris = [tag_uri(settings, specific) for specific in specifics]
    assert all(TAG_URI.fullmatch(uri) for uri in uris), uris
    assert len(set(uris)) == len(uris)
    assert uris[0] == "tag:uchastvai.primerno.example,2026:idea/%D0%98-2026-001"


CONTROL = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\ufffe"


def test_control_characters_in_text_never_crash_or_break_feeds_and_calendars(small_site: Path, tmp_path: Path) -> None:
    """A quoted title may carry escapes (``"\\v"``) and a body raw control characters (issue 11)."""
    for name in ("consultations/2026-001-naredba.md", "news/otkrivane.md"):
        source = small_site / name
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^title: (.*)$", r'title: "\1 \\v\\x01\\e\\x7f\\x85\\u0000"', text, count=1, flags=re.M)
        text = text.replace("    place: Зала 1", '    place: "Зала\\x0b1"')
        source.write_text(text + "\nТяло" + CONTROL + "край.\n", encoding="utf-8")
    output = build_small(small_site, tmp_path / "out")
    for path in feed_files(output):
        assert not set(CONTROL) & set(path.read_text(encoding="utf-8")), path
        parse(path)
    for path in output.rglob("*.ics"):
        calendar = Calendar.from_ical(path.read_bytes())
        for event in calendar.walk("VEVENT"):
            assert not set(CONTROL) & set(str(event["SUMMARY"]) + str(event.get("LOCATION", ""))), path


def write_both(
    settings: dict[str, Any], folder: Path, info: FeedInfo, entries: list[Entry], day: datetime
) -> list[Path]:
    """Both documents of one feed, as the build writes them."""
    paths = []
    for kind in FEED_FORMATS:
        path = folder / f"{info.path}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(feed_document(settings, info, entries, kind, day))
        paths.append(path)
    return paths


def test_the_feed_writer_drops_control_characters_by_itself(tmp_path: Path) -> None:
    """Defence in depth: whatever the reader lets through, lxml never sees a character XML forbids."""
    settings = {"SITEURL": "https://x.example", "SITENAME": "Сайт", "MUNICIPALITY": {"name": "Община"}}
    info = FeedInfo("feeds/test", f"Заглавие{CONTROL}", f"Описание{CONTROL}", "", tag_uri(settings, "feed/test"))
    day = datetime(2026, 11, 10, tzinfo=SOFIA)
    entry = Entry(
        id=tag_uri(settings, "news/ж"),
        title=f"Новина{CONTROL}",
        link="https://x.example/n/",
        published=day,
        updated=day,
        html=f"<p>Текст{CONTROL}</p>",
        categories=(f"Новини{CONTROL}",),
    )
    for path in write_both(settings, tmp_path, info, [entry], day):
        text = path.read_text(encoding="utf-8")
        assert not set(CONTROL) & set(text), path
        parsed = parse(path)
        assert parsed.entries[0].title == "Новина" and parsed.feed.title == "Заглавие"


def test_atom_titles_are_declared_html_and_show_markup_as_text(tmp_path: Path) -> None:
    """A title that mentions „<script>“ is that text in a reader, and no undeclared HTML for the validator."""
    settings = {"SITEURL": "https://x.example", "SITENAME": "Сайт & <b>", "MUNICIPALITY": {"name": "Община"}}
    title = 'Промени <script>alert(1)</script> & "кавички" <b onevil="1">'
    info = FeedInfo("feeds/test", f"Емисия: {title}", "Описание", "", tag_uri(settings, "feed/test"))
    day = datetime(2026, 11, 10, tzinfo=SOFIA)
    entry = Entry(tag_uri(settings, "news/x"), title, "https://x.example/n/", day, day, "<p>Текст</p>")
    atom, rss = write_both(settings, tmp_path, info, [entry], day)
    root = ElementTree.parse(atom).getroot()
    titles = [root.find(f"{ATOM}title"), root.find(f"{ATOM}entry/{ATOM}title")]
    assert [element.get("type") for element in titles] == ["html", "html"]
    assert [html.unescape(element.text) for element in titles] == [f"Емисия: {title}", title]
    shown = parse(atom).entries[0]  # a reader gets HTML that says the text
    assert shown.title_detail.type == "text/html" and html.unescape(shown.title) == title
    assert ElementTree.parse(rss).getroot().findtext("channel/item/title") == title


@given(st.lists(st.text(st.characters(exclude_categories=("Cs",))), min_size=1, max_size=5))
def test_any_specific_part_gives_a_valid_tag_uri_of_its_own(specifics: list[str]) -> None:
    settings = {"SITEURL": "https://uchastvai.primerno.example", "ID_DATE": "2026"}
    uris = {specific: tag_uri(settings, specific) for specific in specifics}
    assert all(TAG_URI.fullmatch(uri) for uri in uris.values())
    assert len(set(uris.values())) == len(uris)


@given(st.lists(st.datetimes(timezones=st.just(SOFIA)), max_size=30))
def test_any_dates_give_distinct_ordered_updates_never_earlier(moments: list[datetime]) -> None:
    entries = newest_first([_entry(f"e{number}", moment) for number, moment in enumerate(moments)])
    moved = distinct_updates(entries)
    seconds = [entry.updated.replace(microsecond=0) for entry in moved]
    assert len(set(seconds)) == len(seconds)
    assert seconds == sorted(seconds, reverse=True)
    assert all(after.updated >= before.updated for before, after in zip(entries, moved, strict=True))


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_xml_text_is_always_accepted_by_the_feed_writer(text: str) -> None:
    from lxml import etree

    etree.Element("title").text = xml_text(text)  # raises on anything XML 1.0 forbids
    assert set(xml_text(text)) <= set(text)


def test_a_progress_update_tells_the_progress_of_its_own_day_and_stays_the_same_the_next_day() -> None:
    """An entry dated the day of an update must not count the days elapsed since: it would
    change every day under the same date (feed readers would not show it, or show it again)."""
    from types import SimpleNamespace

    from tests.factories import PROJECT, make
    from uchastvai.content.schema import Project
    from uchastvai.core.dates import SOFIA
    from uchastvai.facts.derive import derive
    from uchastvai.outputs.feeds import project_timeline

    data = make(PROJECT, start="2026-01-01", end="2027-12-31", updated="2026-10-01")
    data["contract"]["date"] = "2025-12-01"
    item = Project.model_validate(data)

    def update_event(day: int) -> list[tuple[str, str]]:
        facts = derive(item, datetime(2026, 11, day, 12, tzinfo=SOFIA), Path("."))
        content = SimpleNamespace(item=item, facts=facts, url="proekti/p/", source_path="content/projects/p.md")
        (event,) = [
            e for e in project_timeline({"SITEURL": "https://x.example"}, content) if e.key.startswith("update/")
        ]
        return [(str(name), str(value)) for name, value in event.facts]

    assert update_event(25) == update_event(26)
    assert ("По изминалото време", "37% (273 от 729 дни)") in update_event(25)


@given(
    hearing_days=st.lists(st.integers(min_value=-40, max_value=40), max_size=3),
    document_days=st.lists(st.integers(min_value=-40, max_value=60), max_size=3),
    answer_day=st.one_of(st.none(), st.integers(min_value=-40, max_value=40)),
    build_day=st.integers(min_value=-60, max_value=90),
)
def test_kept_moments_give_the_timeline_s_past_and_last_change(
    hearing_days: list[int], document_days: list[int], answer_day: int | None, build_day: int
) -> None:
    """``last_change`` and the item feeds' keys come from each item's moments, kept between
    builds; they must say what building the whole timeline at that build time says."""
    from datetime import date
    from types import SimpleNamespace

    from tests.factories import CONSULTATION, IDEA, make
    from uchastvai.content.schema import Consultation, Idea
    from uchastvai.outputs.feeds import at_start, last_change, past_events, published_at, timeline

    opens = date(2026, 11, 10)

    def day(offset: int) -> str:
        return (opens + timedelta(days=offset)).isoformat()

    consultation = Consultation.model_validate(
        make(
            CONSULTATION,
            hearings=[
                {"start": f"{day(d)} 18:00", "place": "Зала", "address": "ул. „Първа“ 1", "announced": day(min(d, 0))}
                for d in hearing_days
            ],
            documents=[
                *CONSULTATION["documents"],
                *(
                    {"type": "other", "title": f"Документ {n}", "url": f"https://x.example/{n}.pdf", "date": day(d)}
                    for n, d in enumerate(document_days)
                ),
            ],
        )
    )
    answer = None if answer_day is None else {"text": "Отговор.", "date": day(answer_day)}
    idea = Idea.model_validate(make(IDEA, received=day(-5), answer=answer, state="accepted" if answer else "received"))
    settings = {"SITEURL": PUBLISHED_URL}
    build_time = datetime(2026, 11, 10, 12, tzinfo=SOFIA) + timedelta(days=build_day)
    for item in (consultation, idea):
        content = SimpleNamespace(item=item, url="x/", source_path="content/x.md")
        events = timeline(settings, content, build_time)
        assert past_events(settings, content, build_time) == tuple((e.key, e.when) for e in events)
        times = [published_at(content)] + [e.when for e in events]
        if isinstance(item, Idea) and item.answer:
            times.append(at_start(item.answer.date))
        expected = max((t for t in times if t <= build_time), default=min(times))
        assert last_change(settings, content, build_time) == expected


TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1)


@given(st.lists(st.tuples(TEXT, TEXT), max_size=4), TEXT)
def test_the_html_of_an_entry_shows_every_fact_as_text(rows: list[tuple[str, str]], summary: str) -> None:
    """Names, values, link texts and addresses are escaped; Markup a fact carries is kept.
    (Control characters are left out: every HTML parser, feed readers' too, normalises them.)"""
    kept = Markup("<time>3 декември</time>")
    markup = fact_list([*rows, ("Дата", kept)]) + link_list(rows) + paragraph(summary)
    soup = BeautifulSoup(str(markup), "html.parser")
    assert [dt.get_text() for dt in soup.find_all("dt")] == [name for name, _ in rows] + ["Дата"]
    assert [dd.get_text() for dd in soup.find_all("dd")][:-1] == [value for _, value in rows]
    assert soup.find_all("dd")[-1].time is not None
    assert [(a.get_text(), a["href"]) for a in soup.find_all("a")] == rows
    assert soup.find_all("p")[-1].get_text() == summary
