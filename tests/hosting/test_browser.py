"""Chromium loads the site through real Apache and nginx with the production headers.

Nothing the Content-Security-Policy blocks may happen: every ``securitypolicyviolation`` event
and every console report of a blocked resource fails the test. The kiosk pages must also load
inside a display player's iframe on another origin, while ordinary pages refuse to be framed.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.hosting.conftest import Served
from tests.hosting.test_served import SLUG

PROJECT = "proekti/blagoustroyavane-na-krayrechnite-prostranstva-na-r-asenitsa-v-asenovgrad"

PAGES = ("/", f"/{SLUG}/", f"/{PROJECT}/", "/display/", "/display/portrait/")
# Collects the violations the page reports to itself (also those of frames: the listener is
# added to every document the context opens).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sourceFile + ':' + event.lineNumber);
});
"""


@pytest.fixture(params=["apache", "apache-ftp", "nginx"])
def site(request: pytest.FixtureRequest) -> Served:
    if request.param == "nginx":
        return request.getfixturevalue("nginx_site")
    return request.getfixturevalue("apache_sites")[request.param]


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.add_init_script(WATCH)
    yield context
    context.close()


def blocked_messages(page: Any) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return messages


def test_pages_and_search_break_no_policy(site: Served, context: Any) -> None:
    page = context.new_page()
    console = blocked_messages(page)
    violations: list[str] = []
    for path in PAGES:
        response = page.goto(site.base + path)
        assert response is not None and response.status == 200, path
        assert "Content-Security-Policy" in {name.title() for name in response.headers}
        page.wait_for_load_state("load")
        violations += [f"{path}: {text}" for text in page.evaluate("window.__violations")]
    page.goto(site.base + "/tarsene/?q=бюджет")
    page.wait_for_selector("#search-results li")
    violations += [f"search: {text}" for text in page.evaluate("window.__violations")]
    assert violations == [] and console == [], "\n".join(violations + console)


class PlayerPage(BaseHTTPRequestHandler):
    """A display player's own page on another origin, framing the address in ``?src=``."""

    def do_GET(self) -> None:
        source = html.escape(parse_qs(urlsplit(self.path).query)["src"][0])
        body = f'<!doctype html><title>player</title><iframe src="{source}"></iframe>'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def player() -> Iterator[str]:
    """Base URL of the player's page (a real server on loopback: Chromium keeps public pages
    from framing loopback addresses, so an intercepted fake origin would prove nothing)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PlayerPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("path", "framed"), [("/display/", True), ("/display/portrait/", True), ("/", False)])
def test_only_the_kiosk_loads_in_a_players_frame(
    site: Served, context: Any, player: str, path: str, framed: bool
) -> None:
    """A player on another origin frames the kiosk (frame-ancestors *); other pages refuse.
    (What the kiosk's own policy blocks inside the frame is the test above.)"""
    page = context.new_page()
    console = blocked_messages(page)
    page.goto(f"{player}?{urlencode({'src': site.base + path})}")
    page.wait_for_load_state("load")
    frame = page.frames[1]
    if framed:
        assert frame.url == site.base + path
        assert frame.evaluate("document.querySelector('main, body > *') !== null")
        assert not any("frame-ancestors" in text for text in console), console
    else:
        assert frame.url != site.base + path
        assert any("frame-ancestors" in text for text in console), console


# The width each bar is drawn at, as a share of its track, next to the value it announces. Bars
# on kiosk slides that are not showing have no layout: their fill's computed width tells (a block
# without a width, e.g. after the policy dropped an inline style, is drawn full: 100 %).
BARS = """
() => [
  ...[...document.querySelectorAll('[role=progressbar][aria-valuenow]')].map((bar) => {
    const fill = bar.firstElementChild;
    const track = bar.getBoundingClientRect().width;
    let share = -1;
    if (fill && track > 0) {
      share = fill.getBoundingClientRect().width / track * 100;
    } else if (fill) {
      const width = getComputedStyle(fill).width;
      share = width.endsWith('%') ? parseFloat(width) : width === 'auto' ? 100 : -1;
    }
    return [Number(bar.getAttribute('aria-valuenow')), Math.round(share * 10) / 10];
  }),
  ...[...document.querySelectorAll('progress, meter')].map((bar) => [Number(bar.value) / Number(bar.max || 1) * 100, Number(bar.value) / Number(bar.max || 1) * 100]),
]
"""


def test_progress_bars_are_drawn_at_their_values(site: Served, context: Any) -> None:
    """Under the production policy (no inline styles) every bar still shows its own value."""
    page = context.new_page()
    wrong: list[str] = []
    for path in PAGES:
        page.goto(site.base + path)
        page.wait_for_load_state("load")
        for value, drawn in page.evaluate(BARS):
            if not abs(value - drawn) <= 1.5:  # NaN counts as wrong
                wrong.append(f"{path}: announces {value} %, drawn at {drawn} %")
    assert wrong == [], "\n".join(wrong)
