"""Search that understands Bulgarian word forms and works from the search page."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import build_site, fixture_settings
from tests.theme.conftest import QuietHandler, free_port
from uchastvai.outputs import search
from uchastvai.outputs.search import build_index

FIND = """async (query) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(query);
  return Promise.all(search.results.map((r) => r.data().then((d) => d.url)));
}"""


def html_page(text: str) -> str:
    return (
        '<!DOCTYPE html><html lang="bg"><head><meta charset="utf-8"><title>т</title></head>'
        f"<body><main data-pagefind-body><p>{text}</p></main></body></html>"
    )


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()


def found(browser, folder: Path, stemmer: str | None, query: str) -> list[str]:
    build_index(folder, stemmer)
    with serve(folder) as base:
        page = browser.new_page()
        page.goto(f"{base}/edinstveno.html")
        urls = page.evaluate(FIND, query)
        page.close()
    return urls


@pytest.fixture
def two_word_forms(tmp_path: Path) -> Path:
    """One page with the singular, one with an unrelated word."""
    (tmp_path / "edinstveno.html").write_text(html_page("Обществена консултация за бюджета"), encoding="utf-8")
    (tmp_path / "drugo.html").write_text(html_page("Ремонт на улица"), encoding="utf-8")
    return tmp_path


def test_plural_finds_the_singular_with_the_russian_stemmer(browser, two_word_forms):
    assert found(browser, two_word_forms, "ru", "консултации") == ["/edinstveno.html"]


def test_without_a_stemmer_the_plural_finds_nothing(browser, two_word_forms):
    """Why the index is built with the Russian stemmer: Pagefind has none for Bulgarian."""
    assert found(browser, two_word_forms, None, "консултации") == []


def test_the_search_page_lists_results_and_announces_their_number(served_site, browser):
    base, _ = served_site
    page = browser.new_page()
    page.goto(f"{base}/tarsene/")
    assert page.is_hidden("#search-nojs")
    page.fill("#search-q", "бюджета")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li")
    status = page.inner_text("#search-status")
    assert "резултат" in status and "„бюджета“" in status
    links = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")
    assert f"{base}/konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/" in links
    assert "q=%D0%B1" in page.url  # the address can be bookmarked and shared
    page.close()


def test_without_javascript_the_search_page_points_to_the_archive(served_site, browser):
    base, _ = served_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/tarsene/?q=бюджет")
    assert page.is_visible("#search-nojs")
    assert page.get_attribute("#search-nojs a", "href") == f"{base}/arhiv/"
    context.close()


def test_only_item_pages_are_indexed(served_site):
    _, output = served_site
    home = (output / "index.html").read_text(encoding="utf-8")
    consultation = (
        output / "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina/index.html"
    ).read_text(encoding="utf-8")
    assert "data-pagefind-body" not in home
    assert "data-pagefind-body" in consultation
    assert (output / "pagefind" / "pagefind.js").is_file()


def search_from_the_page(page, base: str, query: str) -> list[str]:
    """Search on the search page; the URLs of every request the query made."""
    page.goto(f"{base}/tarsene/")
    page.wait_for_load_state("networkidle")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.fill("#search-q", query)
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-status:has-text('„')")
    page.wait_for_load_state("networkidle")
    return requests


def test_a_query_costs_at_most_fifteen_requests_and_more_results_load_on_demand(served_site, browser):
    base, _ = served_site
    page = browser.new_page()
    requests = search_from_the_page(page, base, "консултации")
    assert len(requests) <= 15, requests
    status = page.inner_text("#search-status")
    total = int(status.split()[0])
    assert total > 8 and page.locator("#search-results li").count() == 8
    assert page.is_visible("#search-more")
    shown = 8
    while shown < total:
        page.click("#search-more")
        shown = min(shown + 8, total)
        page.wait_for_selector(f"#search-results li:nth-child({shown})")
    assert page.locator("#search-results li").count() == total
    page.wait_for_selector("#search-more", state="hidden")
    page.close()


def test_the_more_button_is_hidden_when_everything_is_shown(served_site, browser):
    base, _ = served_site
    page = browser.new_page()
    search_from_the_page(page, base, "бюджета")
    assert 0 < page.locator("#search-results li").count() < 8
    assert page.is_hidden("#search-more")
    page.close()


def test_excerpts_skip_the_sample_notice_and_the_eu_block(served_site, browser):
    base, _ = served_site
    page = browser.new_page()
    search_from_the_page(page, base, "Европейски")
    excerpts = page.eval_on_selector_all("#search-results li p", "ps => ps.map(p => p.textContent)")
    assert excerpts
    notice = "Този материал е написан, за да покаже"  # the sample notice of every sample item
    assert not any(notice in text or "Европейски съюз Европейски" in text for text in excerpts)
    page.close()


def test_an_unknown_abbreviation_finds_nothing_instead_of_every_page(served_site, browser):
    """Pagefind backs off an unknown word to its longest indexed prefix („ЕФРР“ to „е“)."""
    base, _ = served_site
    page = browser.new_page()
    search_from_the_page(page, base, "ЕФРР")
    assert page.locator("#search-results li").count() == 0
    assert "„ЕФРР“" in page.inner_text("#search-status")
    assert page.is_hidden("#search-more")
    page.close()


def test_a_failing_indexer_fails_the_build_and_leaves_the_output_as_it_was(small_site, tmp_path, monkeypatch):
    """The indexer runs beside the rest of the build; the build still waits for its verdict."""
    output = tmp_path / "out"
    output.mkdir()
    (output / "old.html").write_text("the last good site", encoding="utf-8")
    failing = [sys.executable, "-c", "import sys; sys.exit('pagefind: broken')"]
    monkeypatch.setattr(search, "pagefind_command", lambda *args: failing)
    with pytest.raises(search.SearchIndexFailed, match="pagefind: broken"):
        build_site(small_site, output, **fixture_settings("site"))
    assert [path.name for path in output.iterdir()] == ["old.html"]
    assert search._running == {}


def test_the_indexer_sees_only_the_item_and_page_folders(tmp_path):
    command = search.pagefind_command(tmp_path, "ru", search.item_folders())
    pattern = command[command.index("--glob") + 1]
    assert pattern == "{*,idei/*,konsultatsii/*,novini/*,proekti/*}/index.html"
