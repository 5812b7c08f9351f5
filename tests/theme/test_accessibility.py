"""Every page type has no axe-core violations on a small phone and on a desktop (WCAG 2.x AA and best practices)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.theme.conftest import PAGES

WIDTHS = (320, 1280)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations_on_any_page_type(served_site, browser, axe, width):
    base, _ = served_site
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    reports = {}
    for name, path in PAGES.items():
        page.goto(f"{base}/{path}")
        results = axe.run(page)
        if results.violations_count:
            reports[name] = results.generate_report()
    context.close()
    assert not reports, "\n\n".join(f"{name}:\n{report}" for name, report in reports.items())


def test_search_results_have_no_axe_violations(served_site, browser, axe):
    base, _ = served_site
    page = browser.new_page(viewport={"width": 320, "height": 800})
    page.goto(f"{base}/tarsene/?q=бюджет")
    page.wait_for_selector("#search-results li")
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
