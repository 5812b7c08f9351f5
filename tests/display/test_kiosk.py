"""The kiosk page in Debian's Chromium, served from 127.0.0.1 with the production CSP.

Specifications: every kind of slide is shown and the page rotates; no CSP violation and
progress bars at their real widths; at 1280×720, 1920×1080, 3840×2160 and their portrait
forms every required line of every slide is on screen, unclipped, at the same proportions
and never below the minimum text sizes; with the server gone the page keeps rotating from
its cache; a new build is picked up by polling; an empty site shows the default slide;
memory does not grow with rotations. No test waits for wall-clock time: the player's clock
is Playwright's, and every wait is an auto-waiting expectation.
"""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import BUILD_TIME
from tests.display.conftest import CSP_WATCH, build_small

PAGES = {"landscape": "display/", "portrait": "display/portrait/"}
SIZES = {
    "landscape": [(1280, 720), (1920, 1080), (3840, 2160)],
    "portrait": [(720, 1280), (1080, 1920), (2160, 3840)],
}
KINDS = {"consultation", "hearing", "project", "news", "ideas"}


def open_kiosk(browser: Any, url: str, width: int, height: int, **options: Any) -> Any:
    """The kiosk at the sites' build time, its clock then still: a slide shown by a test stays
    shown (with the real clock, a rotation or a hearing that is over by now would replace it)."""
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    page.add_init_script(CSP_WATCH)
    page.clock.install(time=BUILD_TIME)
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-ready", "1")
    page.clock.pause_at(BUILD_TIME + timedelta(minutes=1))
    return page


def controlled(page: Any) -> None:
    """Until the service worker controls the page (wait_for_function would need eval, which the CSP forbids)."""
    page.evaluate(
        """() => navigator.serviceWorker.controller !== null || new Promise(done =>
            navigator.serviceWorker.addEventListener('controllerchange', () => done(true)))"""
    )


def visible_slides(page: Any) -> list[str]:
    return page.eval_on_selector_all(".slide:not([hidden])", "slides => slides.map(s => s.dataset.key)")


@pytest.fixture
def sample(autoescaped_sample: Path) -> Path:
    return autoescaped_sample


@pytest.mark.parametrize("orientation", PAGES)
def test_every_kind_of_slide_is_shown_one_at_a_time_and_rotates(
    browser: Any, sample_server: Any, orientation: str
) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, service_workers="block")
    page.clock.install(time=BUILD_TIME)
    page.goto(f"{sample_server.url}/{PAGES[orientation]}")
    expect(page.locator("html")).to_have_attribute("data-ready", "1")
    page.clock.pause_at(BUILD_TIME + timedelta(minutes=1))  # time moves only when the test moves it
    first = visible_slides(page)
    assert len(first) == 1
    duration = int(page.get_attribute(f"#slide-{first[0]}", "data-duration"))
    page.clock.run_for((duration - 1) * 1000)
    assert visible_slides(page) == first
    page.clock.run_for(2000)
    (second,) = visible_slides(page)
    assert second != first[0]
    seen = set()
    for _ in range(page.locator(".slide").count()):
        (key,) = visible_slides(page)
        seen.add(page.get_attribute(f"#slide-{key}", "data-kind"))
        page.evaluate("window.uchastvaiDisplay.next()")
    assert seen == KINDS
    assert page.locator("#clock-time").inner_text() == "12:01"
    page.close()


@pytest.mark.parametrize("orientation", PAGES)
def test_no_csp_violation_and_bars_at_their_real_widths(browser: Any, sample_server: Any, orientation: str) -> None:
    page = open_kiosk(browser, f"{sample_server.url}/{PAGES[orientation]}", 1920, 1080, service_workers="block")
    project = page.locator(".slide[data-kind=project]").first.get_attribute("data-key")
    page.evaluate("key => window.uchastvaiShow(key)", project)
    bars = page.evaluate(
        """() => [...document.querySelectorAll('.slide:not([hidden]) .track')].map(track => ({
            percent: Number(track.getAttribute('aria-valuenow')),
            drawn: 100 * track.querySelector('.fill').getBoundingClientRect().width / track.getBoundingClientRect().width,
        }))"""
    )
    assert len(bars) == 3
    assert {bar["percent"] for bar in bars} != {100}
    for bar in bars:
        assert abs(bar["drawn"] - bar["percent"]) < 0.5, bars
    # The municipality's colour came from the generated stylesheet, not an inline <style>.
    band = page.evaluate("getComputedStyle(document.querySelector('.band')).backgroundColor")
    assert band == "rgb(11, 79, 108)"  # pelicanconf's MUNICIPALITY colours.primary #0b4f6c
    assert page.evaluate("window.__csp") == []
    page.close()


REQUIRED_REPORT = """([width, height]) => {
  const slide = document.querySelector('.slide:not([hidden])');
  const text = slide.querySelector('.text');
  const unit = Math.min(width, height) / 1080;
  const problems = [];
  const roles = [];
  const box = el => el.getBoundingClientRect();
  const inside = (r, o) => r.left >= o.left - 1 && r.right <= o.right + 1 && r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
  const view = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  for (const el of slide.querySelectorAll('.req')) {
    const role = el.dataset.role;
    roles.push(role);
    const r = box(el);
    if (el.hidden || getComputedStyle(el).display === 'none' || r.width === 0 || r.height === 0) problems.push('hidden: ' + role);
    if (!inside(r, view)) problems.push('outside the screen: ' + role);
    if (text.contains(el) && !inside(r, box(text))) problems.push('outside its column: ' + role);
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) problems.push('clipped: ' + role);
  }
  if (text.scrollHeight > text.clientHeight + 1 || text.scrollWidth > text.clientWidth + 1) problems.push('text column overflows');
  for (const el of slide.querySelectorAll('.kicker, .title, .highlight, .lines li, .bar, .qr-box, .eu'))
    if (!inside(box(el), view)) problems.push('outside the screen: ' + el.className);
  const size = el => parseFloat(getComputedStyle(el).fontSize) / unit;
  if (size(slide.querySelector('.title')) < 95.9) problems.push('title below 96 px at 1080');
  for (const el of slide.querySelectorAll('.kicker, .lines li, .bar-label span, .qr-caption, .eu p, .highlight'))
    if (size(el) < 55.9) problems.push('text below 56 px at 1080: ' + el.className);
  const title = slide.querySelector('.title');
  const full = title.dataset.full.split(' '), shown = title.textContent;
  if (shown !== title.dataset.full) {
    const words = shown.slice(0, -1).split(' ');
    const whole = shown.endsWith('…') && words.length < full.length && words.every(
      (word, i) => word === full[i] || (i === words.length - 1 && full[i].replace(/[,;:–-]+$/, '') === word));
    if (!whole) problems.push('title not cut at a word: ' + shown);
    if (words[words.length - 1].replace(/[.,;:–-]+$/, '').length <= 2) problems.push('title cut after a short word: ' + shown);
  }
  const layout = [...slide.querySelectorAll('.title, .req, .qr-box')].map(el => {
    const r = box(el);
    return [el.dataset.role || el.className, +(r.left / innerWidth).toFixed(3), +(r.top / innerHeight).toFixed(3),
            +(r.width / innerWidth).toFixed(3), +(r.height / innerHeight).toFixed(3)];
  });
  return {problems, roles, layout};
}"""


@pytest.mark.parametrize("orientation", PAGES)
def test_required_lines_are_on_screen_at_every_size_in_the_same_proportions(
    browser: Any, sample: Path, sample_server: Any, orientation: str
) -> None:
    slides = json.loads((sample / "display" / "slides.json").read_text(encoding="utf-8"))["slides"]
    required = {slide["key"]: set(slide["required"]) for slide in slides}
    layouts: dict[str, list[Any]] = {}
    for width, height in SIZES[orientation]:
        page = open_kiosk(browser, f"{sample_server.url}/{PAGES[orientation]}", width, height, service_workers="block")
        for key, roles in required.items():
            page.evaluate("key => window.uchastvaiShow(key)", key)
            report = page.evaluate(REQUIRED_REPORT, [width, height])
            assert report["problems"] == [], f"{width}×{height} {key}: {report['problems']}"
            assert roles <= set(report["roles"]), f"{key}: required {roles}, marked {report['roles']}"
            layouts.setdefault(key, []).append(report["layout"])
        assert page.evaluate("window.__csp") == []
        page.close()
    for key, per_size in layouts.items():
        smallest, *others = per_size
        for other in others:
            for a, b in zip(smallest, other, strict=True):
                assert a[0] == b[0] and all(abs(x - y) <= 0.01 for x, y in zip(a[1:], b[1:], strict=True)), (key, a, b)


def test_with_the_server_gone_the_page_keeps_rotating_its_cached_slides(
    browser: Any, small_content: Path, tmp_path: Path, serve: Any
) -> None:
    output = build_small(small_content, tmp_path / "out")
    server = serve(output)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{server.url}/display/?speed=30")
    controlled(page)
    keys = page.eval_on_selector_all(".slide", "slides => slides.map(s => s.dataset.key)")
    server.stop()
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-ready", "1")
    assert page.eval_on_selector_all(".slide", "slides => slides.map(s => s.dataset.key)") == keys
    first = visible_slides(page)[0]
    expect(page.locator(".slide:not([hidden])")).not_to_have_attribute("data-key", first)
    context.close()


def test_a_new_build_is_picked_up_by_polling(browser: Any, small_content: Path, tmp_path: Path, serve: Any) -> None:
    output = tmp_path / "out"
    build_small(small_content, output, DISPLAY_POLL_SECONDS=1)
    server = serve(output)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{server.url}/display/")
    controlled(page)
    assert page.locator("#slide-novina-vtora").count() == 0
    news = small_content / "news" / "vtora.md"
    news.write_text(
        "---\ntitle: Втора новина за дисплеите\nsummary: Нова новина.\nsample: yes\ndate: 2026-11-24\n---\nТекст.\n",
        encoding="utf-8",
    )
    build_small(small_content, output, DISPLAY_POLL_SECONDS=1)
    expect(page.locator("#slide-novina-vtora")).to_have_count(1, timeout=30_000)  # a generous bound, not a speed test
    context.close()


def test_an_empty_site_shows_the_default_slide(browser: Any, small_content: Path, tmp_path: Path, serve: Any) -> None:
    for folder in ("consultations", "projects", "news", "ideas"):
        shutil.rmtree(small_content / folder)
        (small_content / folder).mkdir()
    server = serve(build_small(small_content, tmp_path / "out"))
    for path in PAGES.values():
        page = open_kiosk(browser, f"{server.url}/{path}", 1920, 1080, service_workers="block")
        assert visible_slides(page) == ["obshtina"]
        assert "Община Примерно" in page.locator(".slide").inner_text()
        assert page.locator(".slide svg.qr").count() == 1
        page.close()


def test_memory_after_500_rotations_stays_within_10_percent_of_after_50(browser: Any, sample_server: Any) -> None:
    page = open_kiosk(browser, f"{sample_server.url}/display/", 1920, 1080, service_workers="block")
    session = page.context.new_cdp_session(page)

    def heap_after(rotations: int) -> float:
        page.evaluate("n => { for (let i = 0; i < n; i++) window.uchastvaiDisplay.next(); }", rotations)
        session.send("HeapProfiler.collectGarbage")
        return session.send("Runtime.getHeapUsage")["usedSize"]

    after_50 = heap_after(50)
    after_500 = heap_after(450)
    assert after_500 <= after_50 * 1.10, (after_50, after_500)
    page.close()


def test_required_lines_fit_even_with_the_longest_texts(
    browser: Any, small_content: Path, tmp_path: Path, serve: Any
) -> None:
    """Titles of 80 characters and addresses near the line limit: required lines stay, whole and on screen."""
    source = small_content / "consultations" / "2026-001-naredba.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace(
        "title: Проект на Наредба за зелената система",
        "title: Проект на Наредба за изменение и допълнение на Наредбата за опазване на зелената система",
    )
    text = text.replace(
        "  post: гр. Примерно 1000, ул. „Първа“ № 1",
        "  post: Община Примерно, Деловодство, гр. Примерно 1000, ул. „Първа“ № 1, ет. 2, стая 204 (с надпис „Зелена система“)",
    )
    text = text.replace(
        "  email: konsultatsii@primerno.example", "  email: obshtestveni.konsultatsii.ekologia@primerno.example"
    )
    text = text.replace(
        "    place: Зала 1",
        "    place: Голямата заседателна зала на Общинския съвет в сградата на Общинската администрация",
    )
    text = text.replace(
        "    address: ул. „Първа“ № 1",
        "    address: гр. Примерно 1000, ул. „Първа“ № 1, ет. 3, вход откъм площад „Свобода“\n    online: https://primerno.example/live",
    )
    source.write_text(text, encoding="utf-8")
    output = build_small(small_content, tmp_path / "out")
    server = serve(output)
    slides = json.loads((output / "display" / "slides.json").read_text(encoding="utf-8"))["slides"]
    for orientation, sizes in SIZES.items():
        for width, height in sizes[:2]:
            page = open_kiosk(browser, f"{server.url}/{PAGES[orientation]}", width, height, service_workers="block")
            for slide in slides:
                page.evaluate("key => window.uchastvaiShow(key)", slide["key"])
                report = page.evaluate(REQUIRED_REPORT, [width, height])
                assert report["problems"] == [], f"{width}×{height} {slide['key']}: {report['problems']}"
                assert set(slide["required"]) <= set(report["roles"])
            page.close()
