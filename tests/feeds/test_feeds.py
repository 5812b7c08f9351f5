"""Every feed parses cleanly and carries what feed readers and the RSS/Atom specs require."""

from __future__ import annotations

import email.utils
import html
import json
import shutil
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest

from tests.conftest import read_html
from tests.feeds.conftest import MAX_ENTRIES, PUBLISHED_URL, build_small, feed_files

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
