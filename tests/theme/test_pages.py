"""What citizens find on the theme's pages: EU publicity, ways to propose an idea, lists, language."""

from __future__ import annotations

import filecmp
from urllib.parse import parse_qs, unquote, urlsplit

from tests.conftest import ROOT, build_site, fixture_settings, read_html, text_of

SEED = "proekti/tehnicheska-pomosht-za-obshtina-asenovgrad/"


def test_2014_2020_project_shows_emblem_union_fund_and_programme(sample_site):
    block = read_html(sample_site, SEED).find(class_="eu-block")
    text = text_of(block)
    assert block.find("img")["alt"] == "Флаг на Европейския съюз"
    assert "Европейски съюз" in text
    assert "Европейски фонд за регионално развитие" in text
    assert "Оперативна програма „Региони в растеж“ 2014-2020" in text
    assert "чрез Европейския фонд за регионално развитие" in text


def test_2021_2027_project_is_co_funded_by_the_union(tmp_path, small_site):
    output = build_site(small_site, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    block = read_html(output, "proekti/obnovyavane-na-tsentralnia-park/").find(class_="eu-block")
    assert "Съфинансирано от Европейския съюз" in text_of(block)


def test_nationally_funded_project_has_no_eu_block(sample_site):
    national = [
        p for p in (sample_site / "proekti").iterdir() if "remont-na-kmetstvoto" in p.name or "kmetstvo" in p.name
    ]
    assert national
    assert read_html(sample_site, f"proekti/{national[0].name}/").find(class_="eu-block") is None


def test_eu_block_is_visible_without_scrolling_on_a_phone(served_site, browser):
    base, _ = served_site
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{base}/{SEED}")
    box = page.locator(".eu-block").bounding_box()
    assert box["y"] + box["height"] <= 740
    page.close()


def test_money_is_in_euro_first_with_the_contract_currency(sample_site):
    money = text_of(read_html(sample_site, SEED).find(class_="money"))
    assert "91\xa0899,60\xa0€ (179\xa0740,00\xa0лв.)" in money


def test_progress_says_what_it_measures(sample_site):
    labels = [p.get_text(" ", strip=True) for p in read_html(sample_site, SEED).select(".progress-label strong")]
    assert labels == ["По изминалото време", "По изплатените средства", "По изпълнените етапи"]


def test_propose_page_prefills_an_email_with_the_idea_questions(sample_site):
    page = read_html(sample_site, "predlozhi-ideya/")
    mailto = next(a["href"] for a in page.find_all("a") if a["href"].startswith("mailto:"))
    parts = urlsplit(mailto)
    assert parts.path == "obshtina@asenovgrad.example"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Проектна идея"]
    body = unquote(query["body"][0])
    for question in ("Заглавие на идеята:", "Къде (град, село, улица или квартал):", "Вашето име:"):
        assert question in body
    text = text_of(page)
    assert "Център за административно обслужване" in text  # in person
    assert "бул. „България“ № 19" in text  # by post


def test_archive_lists_every_item_by_year(sample_site):
    index = read_html(sample_site, "arhiv/")
    years = [a.get_text() for a in index.select(".archive-years a")]
    assert "2026" in years
    assert years == sorted(years, reverse=True)
    links = set()
    for year in years:
        links |= {a["href"] for a in read_html(sample_site, f"arhiv/{year}/").select(".archive-list a")}
    assert len(links) == 8 + 5 + 3 + 5


def test_sections_filter_by_year_and_area(sample_site):
    page = read_html(sample_site, "proekti/")
    area_links = page.find("nav", attrs={"aria-label": "Филтър по територия"}).find_all("a")
    assert len(area_links) > 1
    first = area_links[0]
    filtered = read_html(sample_site, first["href"].split("127.0.0.1:8000/")[1])
    assert first.get_text() in filtered.find("h1").get_text()
    assert filtered.select(".card")


def test_not_found_page_is_not_indexed_and_links_home(sample_site):
    page = read_html(sample_site, "404.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("link", rel="stylesheet")["href"].startswith("http://127.0.0.1:8000/assets/site.")


def test_every_page_links_the_accessibility_statement_and_privacy(sample_site):
    for url in ("", SEED, "konsultatsii/", "predlozhi-ideya/", "404.html"):
        footer = read_html(sample_site, url).find("footer")
        hrefs = {a["href"] for a in footer.find_all("a")}
        assert "http://127.0.0.1:8000/dostapnost/" in hrefs
        assert "http://127.0.0.1:8000/poveritelnost/" in hrefs


def test_colours_come_from_the_settings_and_pages_have_no_inline_style(tmp_path, small_site):
    output = build_site(small_site, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    css = next((output / "assets").glob("site.*.css")).read_text(encoding="utf-8")
    assert css.rstrip().endswith(":root{--accent:#aa5500;--primary:#224466;}")
    home = read_html(output, "")
    assert home.find("style") is None
    assert not home.select("[style]")


def test_same_content_and_build_time_give_identical_output(tmp_path):
    first = build_site(ROOT / "content", tmp_path / "a")
    second = build_site(ROOT / "content", tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert mismatch == [] and errors == []


def test_english_interface_from_the_english_catalogue(tmp_path, small_site):
    output = build_site(
        small_site, tmp_path / "out", SEARCH_ENABLED=False, DEFAULT_LANG="en", **fixture_settings("site")
    )
    home = read_html(output, "")
    assert home.find("html")["lang"] == "en"
    assert home.find("a", class_="skip-link").get_text() == "Skip to content"
    assert home.find("nav", attrs={"aria-label": "Main menu"}) is not None
    assert home.find("h1").get_text() == "Have your say"
    search = read_html(output, "tarsene/").find("form", id="search-form")
    assert search["data-none"] == "Nothing found for “{query}”."
