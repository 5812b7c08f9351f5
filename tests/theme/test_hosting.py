"""The site works under the Content-Security-Policy the servers send (uchastvai.hosting).

Every browser test serves the site with that policy (see conftest.PolicyHandler); here the
console is watched for anything the policy blocked. tests/hosting runs the same pages through
real Apache and nginx.
"""

from __future__ import annotations


def test_no_page_breaks_the_policy_and_search_still_works(served_site, browser):
    base, _ = served_site
    page = browser.new_page()
    blocked = []

    def watch(message) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", watch)
    for path in ("", "proekti/tehnicheska-pomosht-za-obshtina-asenovgrad/", "predlozhi-ideya/", "404.html"):
        page.goto(f"{base}/{path}")
    page.goto(f"{base}/tarsene/?q=бюджет")
    page.wait_for_selector("#search-results li")
    assert blocked == []
    page.close()
