"""The kiosk is true by the player's own clock, online or offline (issue 13).

The page is built at one date, the server is stopped, and Playwright's clock moves the
player's time across a deadline, a hearing and a news expiry: the countdowns follow, what
has ended leaves the rotation, and when nothing is left the default slide shows. A week
without a rebuild shows what a rebuild on that day would show.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.conftest import BUILD_TIME, ROOT, build_site
from tests.display.conftest import AUTOESCAPE, CSP_WATCH, build_small
from uchastvai.core.dates import SOFIA
from uchastvai.core.i18n import gettext, ngettext

LEFT = ("{left} of {period} day left", "{left} of {period} days left")


def countdown(closes: str, period: int, moment: datetime) -> str:
    """The build's own wording (derive.countdown_text) for a consultation open at ``moment``."""
    left = (datetime.fromisoformat(closes).date() - moment.astimezone(SOFIA).date()).days
    return gettext("last day today") if left == 0 else ngettext(*LEFT, left).format(left=left, period=period)


def slides_of(output: Path) -> list[dict[str, Any]]:
    return json.loads((output / "display" / "slides.json").read_text(encoding="utf-8"))["slides"]


class Player:
    """A kiosk page in its own browser context, with Playwright's clock as the player's clock."""

    def __init__(self, browser: Any, url: str, start: datetime) -> None:
        self.context = browser.new_context(viewport={"width": 1920, "height": 1080})
        self.page = self.context.new_page()
        self.page.add_init_script(CSP_WATCH)
        self.page.clock.install(time=start)
        self.page.goto(url)
        expect(self.page.locator("html")).to_have_attribute("data-ready", "1")
        self.page.evaluate(
            """() => navigator.serviceWorker.controller !== null || new Promise(done =>
                navigator.serviceWorker.addEventListener('controllerchange', () => done(true)))"""
        )
        # From here on the player's time moves only when the test moves it: no race with the rotation.
        self.now = start + timedelta(minutes=1)
        self.page.clock.pause_at(self.now)

    def advance_to(self, moment: datetime) -> None:
        """Jump the player's clock (as after a night switched off): due timers fire once."""
        self.page.clock.fast_forward(int((moment - self.now).total_seconds() * 1000))
        self.now = moment

    def shown_in_rotation(self) -> list[str]:
        """The slides a passer-by sees in one full round, in page order from the first."""
        order = self.page.eval_on_selector_all(".slide", "slides => slides.map(s => s.dataset.key)")
        count = len(self.page.evaluate("window.uchastvaiDisplay.rotation()"))
        seen = []
        for _ in range(count):
            seen.append(self.page.eval_on_selector(".slide:not([hidden])", "slide => slide.dataset.key"))
            self.page.evaluate("window.uchastvaiDisplay.next()")
        assert len(set(seen)) == len(seen), seen
        first = seen.index(min(seen, key=order.index))
        return seen[first:] + seen[:first]

    def highlight(self, key: str) -> str:
        return self.page.locator(f"#slide-{key} .highlight").text_content() or ""

    def close(self) -> None:
        assert self.page.evaluate("window.__csp") == []
        self.context.close()


def expected_rotation(slides: list[dict[str, Any]], moment: datetime) -> list[str]:
    """What is still true at ``moment``, by the dates each slide declares in slides.json."""
    live = [s for s in slides if not (s["valid_until"] and datetime.fromisoformat(s["valid_until"]) <= moment)]
    if not any(s["kind"] not in ("ideas", "default") for s in live):
        return ["obshtina"]
    return [s["key"] for s in live if s["kind"] != "default"]


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SOFIA)


def test_countdown_plurals_match_the_catalogue(browser: Any, sample_server: Any) -> None:
    page = browser.new_page(service_workers="block")
    page.goto(f"{sample_server.url}/display/")
    expect(page.locator("html")).to_have_attribute("data-ready", "1")
    shown = page.evaluate("() => Array.from({length: 400}, (_, n) => window.uchastvaiCountdown(n, 30))")
    expected = [countdown("2027-01-01", 30, datetime(2027, 1, 1, tzinfo=SOFIA) - timedelta(days=n)) for n in range(400)]
    assert shown == expected
    assert shown[:3] == ["последен ден днес", "остава 1 от 30 дни", "остават 2 от 30 дни"]
    page.close()


def test_offline_the_kiosk_follows_its_own_clock_across_deadline_hearing_and_news(
    browser: Any, autoescaped_sample: Path, tmp_path: Path, serve: Any
) -> None:
    output = tmp_path / "site"
    shutil.copytree(autoescaped_sample, output)
    server = serve(output)
    slides = slides_of(output)
    player = Player(browser, f"{server.url}/display/", BUILD_TIME)
    consultations = {s["key"]: s["countdown"] for s in slides if s["kind"] == "consultation"}
    assert player.highlight("konsultatsia-2026-029") == "остават 9 от 30 дни"
    server.stop()

    steps = [
        at(11, 26, 19, 31),  # the hearing of 26 November is over (18:00–19:30): it leaves
        at(12, 4, 9, 0),  # the last day of consultation 2026-029
        at(12, 5, 0, 1),  # 2026-029 has closed
        at(12, 10, 0, 1),  # the news of 10 November is 30 days old
        at(12, 20, 12, 0),
    ]
    for moment in steps:
        player.advance_to(moment)
        expected = expected_rotation(slides, moment)
        assert player.shown_in_rotation() == expected, moment
        for key, data in consultations.items():
            if key in expected:
                assert player.highlight(key) == countdown(data["closes"], data["period_days"], moment), (key, moment)
    assert "obsazhdane-2026-029-20261126-1800" not in expected_rotation(slides, steps[0])
    assert "konsultatsia-2026-029" not in expected_rotation(slides, steps[2])
    assert "novina-2026-11-10-vanshnite-displei-pokazvat-konsultatsiite" not in expected_rotation(slides, steps[3])

    # Reloaded offline from the service worker's cache, the page is just as true.
    player.page.reload()
    expect(player.page.locator("html")).to_have_attribute("data-ready", "1")
    assert player.page.evaluate("window.uchastvaiDisplay.rotation()") == expected_rotation(slides, steps[-1])
    player.close()


def test_a_week_without_rebuild_shows_what_a_rebuild_would(
    browser: Any, autoescaped_sample: Path, tmp_path: Path, serve: Any
) -> None:
    week_later = BUILD_TIME + timedelta(days=7)
    rebuilt = build_site(ROOT / "content", tmp_path / "rebuilt", build_time=week_later, **AUTOESCAPE)
    truth = {s["key"]: s for s in slides_of(rebuilt)}
    output = tmp_path / "site"
    shutil.copytree(autoescaped_sample, output)
    server = serve(output)
    player = Player(browser, f"{server.url}/display/", BUILD_TIME)
    server.stop()
    player.advance_to(week_later)
    old_keys = [s["key"] for s in slides_of(output)]
    shown = player.shown_in_rotation()
    assert shown == [key for key in old_keys if key in truth and key != "obshtina"]
    consultations = [key for key in shown if truth[key]["kind"] == "consultation"]
    assert consultations
    for key in consultations:
        assert player.highlight(key) == truth[key]["highlight"], key
    projects = [key for key in shown if truth[key]["kind"] == "project"]
    assert projects
    for key in projects:
        bars = player.page.locator(f"#slide-{key} .percent").all_text_contents()
        assert bars == [f"{bar['percent']}%" for bar in truth[key]["progress"]], key
    player.close()


def test_when_everything_has_ended_the_default_slide_shows(
    browser: Any, small_content: Path, tmp_path: Path, serve: Any
) -> None:
    for source in [*(small_content / "projects").glob("*.md"), *(small_content / "ideas").glob("*.md")]:
        source.unlink()  # a project in progress has no end date of its own (and the idea refers to it)
    output = build_small(small_content, tmp_path / "out")
    slides = slides_of(output)
    assert {s["kind"] for s in slides} == {"consultation", "hearing", "news", "ideas"}
    server = serve(output)
    player = Player(browser, f"{server.url}/display/portrait/", BUILD_TIME)
    server.stop()
    player.advance_to(at(12, 11))
    assert player.shown_in_rotation() == ["obshtina"]
    expect(player.page.locator(".slide:not([hidden])")).to_have_attribute("data-key", "obshtina")
    player.close()
