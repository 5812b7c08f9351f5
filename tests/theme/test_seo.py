"""Canonical addresses, link previews, structured data and the files crawlers read."""

from __future__ import annotations

import json
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import BUILD_TIME, build_site, fixture_settings, read_html
from uchastvai.content.vocabulary import STATES

BUDGET = "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/"
SITEURL = "http://127.0.0.1:8000"


def json_ld(soup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


def test_item_page_has_canonical_and_open_graph(sample_site):
    page = read_html(sample_site, BUDGET)
    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/{BUDGET}"
    og = {tag["property"]: tag["content"] for tag in page.find_all("meta", property=True)}
    assert og["og:url"] == f"{SITEURL}/{BUDGET}"
    assert og["og:title"].startswith("Проект на бюджет на Община Асеновград за 2027 година")
    assert og["og:locale"] == "bg_BG"
    assert og["og:description"] == page.find("meta", attrs={"name": "description"})["content"]


def test_hearing_is_a_schema_org_event_with_place_and_time(sample_site):
    graph = json_ld(read_html(sample_site, BUDGET))["@graph"]
    (event,) = [node for node in graph if node["@type"] == "Event"]
    assert event["startDate"] == "2026-12-08T17:30:00+02:00"
    assert event["endDate"] == "2026-12-08T19:30:00+02:00"
    place, online = event["location"]
    assert place["name"] == "Заседателна зала на Общински съвет – Асеновград"
    assert online == {"@type": "VirtualLocation", "url": "https://video.asenovgrad.example/byudzhet-2027"}
    assert event["eventAttendanceMode"].endswith("MixedEventAttendanceMode")


def test_home_describes_the_municipality_from_the_settings(tmp_path, small_site):
    output = build_site(small_site, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    graph = json_ld(read_html(output, ""))["@graph"]
    organisation = graph[0]
    assert organisation["@type"] == "GovernmentOrganization"
    assert organisation["name"] == "Община Примерно"
    assert organisation["address"]["addressLocality"] == "Примерно"
    assert graph[1]["potentialAction"]["target"] == "https://uchastvai.primerno.example/tarsene/?q={search_term_string}"


def test_sitemap_lists_every_item_once_with_absolute_addresses(sample_site):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") == len(set(sitemap.split("<loc>"))) - 1
    assert f"<loc>{SITEURL}/{BUDGET}</loc>" in sitemap
    assert (
        f"<loc>{SITEURL}/proekti/tehnicheska-pomosht-za-obshtina-asenovgrad/</loc><lastmod>2026-11-10</lastmod>"
        in sitemap
    )
    for type_name, folder in (
        ("consultation", "konsultatsii"),
        ("project", "proekti"),
        ("idea", "idei"),
        ("news", "novini"),
    ):
        lists = {state.slug for state in STATES.get(type_name, ())} | {"godina", "mesto", "page"}
        items = [
            p.name for p in (sample_site / folder).iterdir() if (p / "index.html").exists() and p.name not in lists
        ]
        assert items
        missing = [name for name in items if f"<loc>{SITEURL}/{folder}/{name}/</loc>" not in sitemap]
        assert missing == [], folder


def test_robots_and_security_txt(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    assert "Disallow: /chernovi/" in robots
    security = (sample_site / ".well-known" / "security.txt").read_text(encoding="utf-8")
    fields = dict(line.split(": ", 1) for line in security.splitlines())
    assert fields["Contact"] == "mailto:obshtina@asenovgrad.example"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert (expires - BUILD_TIME).days == 365
    assert fields["Canonical"] == f"{SITEURL}/.well-known/security.txt"


def test_a_renamed_item_redirects_from_its_old_address(tmp_path, small_site):
    project = small_site / "projects" / "park.md"
    text = project.read_text(encoding="utf-8")
    project.write_text(
        text.replace("title: Обновяване", "aliases:\n  - stariyat-park\ntitle: Обновяване", 1), encoding="utf-8"
    )
    output = build_site(small_site, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    redirect = read_html(output, "proekti/stariyat-park/")
    target = "https://uchastvai.primerno.example/proekti/obnovyavane-na-tsentralnia-park/"
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
    assert redirect.find("link", rel="canonical")["href"] == target
    assert redirect.find("meta", attrs={"name": "robots"})["content"] == "noindex"


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_json_ld_of_any_text_cannot_leave_its_script_element(text: str) -> None:
    """htmlsafe_json_dumps: no ``<``, ``>``, ``&``, U+2028/2029 raw, and the data comes back intact."""
    from uchastvai.outputs.seo import to_json_ld

    block = str(to_json_ld({"name": text}))
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(block) == {"name": text}
