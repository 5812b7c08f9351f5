"""The site works under the Content-Security-Policy that hosting/.htaccess sends.

Every browser test serves the site with that policy (see conftest.PolicyHandler); here
the console is watched for anything the policy blocked.
"""

from __future__ import annotations

from tests.conftest import ROOT
from tests.theme.conftest import HTACCESS, site_csp

NGINX = ROOT / "hosting" / "nginx.conf"


def test_apache_and_nginx_send_the_same_policy_and_security_headers():
    nginx = NGINX.read_text(encoding="utf-8")
    assert f'set $csp "{site_csp()}";' in nginx
    htaccess = HTACCESS.read_text(encoding="utf-8")
    for header in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy"):
        assert header in htaccess and header in nginx
    assert "htaccess-data.conf" in htaccess and "htaccess-data.conf" in nginx


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
