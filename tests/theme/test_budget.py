"""Page weight budgets for citizens on old phones and prepaid data.

Measured in the browser: every request a page makes on load (HTML, CSS, JS, images,
icons), and the gzip size of the HTML, CSS and JavaScript, as a host that compresses
them would send them.
"""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit

import pytest

from tests.theme.conftest import PAGES

MAX_TRANSFER = 100 * 1024  # HTML + CSS + JS, compressed
MAX_JS = 20 * 1024
MAX_REQUESTS = 15
COUNTED_TYPES = ("document", "stylesheet", "script")


def load(browser, url: str) -> list[tuple[str, str, int]]:
    """(URL, resource type, gzip size) of every response while ``url`` loads."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    responses = []

    def keep(response) -> None:
        responses.append(response)

    page.on("response", keep)
    page.goto(url, wait_until="networkidle")
    seen = []
    for response in responses:
        body = response.body() if response.status < 300 else b""
        seen.append((response.url, response.request.resource_type, len(gzip.compress(body, 9))))
    page.close()
    return seen


@pytest.mark.parametrize("name", PAGES)
def test_page_stays_within_the_budget(served_site, browser, name):
    base, _ = served_site
    requests = load(browser, f"{base}/{PAGES[name]}")
    own_host = urlsplit(base).netloc
    assert {urlsplit(u).netloc for u, _, _ in requests} == {own_host}
    assert len(requests) <= MAX_REQUESTS, [u for u, _, _ in requests]
    assert sum(size for _, kind, size in requests if kind in COUNTED_TYPES) <= MAX_TRANSFER
    assert sum(size for _, kind, size in requests if kind == "script") <= MAX_JS


# A search is an action, not a page load: Pagefind's own script and worker (~25 KB),
# its WebAssembly (~70 KB) and the index chunks are fetched only when someone searches.
SEARCH_MAX_TRANSFER = 200 * 1024
SEARCH_MAX_REQUESTS = 25


def test_one_search_stays_on_the_site_and_within_its_budget(served_site, browser):
    base, _ = served_site
    requests = load(browser, f"{base}/tarsene/?q=бюджет")
    assert {urlsplit(u).netloc for u, _, _ in requests} == {urlsplit(base).netloc}
    assert len(requests) <= SEARCH_MAX_REQUESTS, [u for u, _, _ in requests]
    assert sum(size for _, _, size in requests) <= SEARCH_MAX_TRANSFER
