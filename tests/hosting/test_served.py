"""One table of addresses, asked of every real server: Apache (document root and FTP release
layout) and nginx must give the same status, type, charset and headers, so a difference fails.

The headers a path kind gets come from uchastvai.hosting (the one declaration both server files
are generated from); which kind each address is, and the status and type it must have, are
stated here independently.
"""

from __future__ import annotations

import http.client
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.hosting import servers
from tests.hosting.conftest import ACME, ACME_TEXT, SLIDE, Served
from uchastvai import hosting

SLUG = "konsultatsii/proekt-na-byudzhet-na-obshtina-asenovgrad-za-2027-godina"
UTF8 = "; charset=utf-8"


@dataclass(frozen=True)
class Row:
    path: str  # a glob relative to the build where a file name has a hash in it
    status: int
    type: str | None  # full Content-Type; None: not checked (redirect bodies)
    kind: str
    location: str | None = None  # the path a redirect must point at
    body: str | None = None  # "404": the site's own 404 page; other text: exactly that


TABLE: tuple[Row, ...] = (
    Row("/", 200, "text/html" + UTF8, "page"),
    Row(f"/{SLUG}/", 200, "text/html" + UTF8, "page"),
    Row("/konsultatsii", 301, None, "file", location="/konsultatsii/"),
    Row(f"/{SLUG}", 301, None, "file", location=f"/{SLUG}/"),
    Row("/novini/godina/2026", 301, None, "file", location="/novini/godina/2026/"),
    Row("/tarsene/?q=x", 200, "text/html" + UTF8, "page"),
    Row("/assets/site.*.css", 200, "text/css" + UTF8, "asset"),
    Row("/assets/search.*.js", 200, "text/javascript" + UTF8, "asset"),
    Row("/display/assets/kiosk.*.css", 200, "text/css" + UTF8, "asset"),
    Row("/" + SLIDE, 200, "image/png", "asset"),
    Row("/feeds/vsichko.atom", 200, "application/atom+xml" + UTF8, "feed"),
    Row("/feeds/vsichko.rss", 200, "application/rss+xml" + UTF8, "feed"),
    Row("/kalendar/konsultatsii.ics", 200, "text/calendar" + UTF8, "feed"),
    Row("/danni/konsultatsii.json", 200, "application/json" + UTF8, "feed"),
    Row("/danni/konsultatsii.csv", 200, "text/csv" + UTF8, "download"),
    Row("/display/rss.xml", 200, "application/rss+xml" + UTF8, "display-feed"),
    Row("/display/rss/konsultatsii.xml", 200, "application/rss+xml" + UTF8, "display-feed"),
    Row("/display/slides.json", 200, "application/json" + UTF8, "display-data"),
    Row("/display/sw.js", 200, "text/javascript" + UTF8, "service-worker"),
    Row("/display/", 200, "text/html" + UTF8, "kiosk"),
    Row("/display/portrait/", 200, "text/html" + UTF8, "kiosk"),
    Row("/display/nastroyka/", 200, "text/html" + UTF8, "page"),
    Row("/admin/", 200, "text/html" + UTF8, "admin"),
    Row("/admin/config.yml", 200, "text/yaml" + UTF8, "admin"),
    Row("/sitemap.xml", 200, "application/xml" + UTF8, "file"),
    Row("/robots.txt", 200, "text/plain" + UTF8, "file"),
    Row("/.well-known/security.txt", 200, "text/plain" + UTF8, "file"),
    Row("/favicon.ico", 200, "image/x-icon", "file"),
    Row("/pagefind/wasm.unknown.pagefind", 200, "application/octet-stream", "search-index"),
    Row("/404.html", 200, "text/html" + UTF8, "page", body="404"),
    Row("/no-such-page/", 404, "text/html" + UTF8, "page", body="404"),
    Row("/danni/no-such-table.csv", 404, "text/html" + UTF8, "page", body="404"),
    Row("/releases/", 404, "text/html" + UTF8, "page", body="404"),
    Row("/.deploy.lock/owner", 404, "text/html" + UTF8, "page", body="404"),
    Row("/.htaccess", 403, "text/html" + UTF8, "page", body="404"),
    Row("/" + ACME, 200, "text/plain" + UTF8, "host-file", body=ACME_TEXT),
)
KINDS = {kind.name: kind for kind in hosting.KINDS}
# Headers every answer may differ in without mattering to anyone.
IGNORED = {"date", "server", "etag", "last-modified", "accept-ranges", "connection", "content-length", "vary"}


def resolve(output: Path, path: str) -> str:
    """``/assets/site.*.css`` -> ``/assets/site.dc0748e0ee.css`` of this build."""
    if "*" not in path:
        return path
    found = sorted(output.glob(path.lstrip("/")))
    assert len(found) == 1, f"{path}: {found}"
    return "/" + found[0].relative_to(output).as_posix()


def fetch(base: str, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One GET without following redirects."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def problems_with(row: Row, served: Served, not_found: bytes) -> list[str]:
    """What differs from the table for one address on one server (empty when all is right)."""
    path = resolve(served.output, row.path)
    status, headers, body = fetch(served.base, path)
    found: list[str] = []
    if status != row.status:
        found.append(f"status {status}, expected {row.status}")
    if row.type is not None and headers.get("Content-Type") != row.type:
        found.append(f"Content-Type {headers.get('Content-Type')!r}, expected {row.type!r}")
    expected = KINDS[row.kind].all_headers()
    for name in hosting.VARIABLE_HEADERS:
        if headers.get(name) != expected.get(name):
            found.append(f"{name}: {headers.get(name)!r}, expected {expected.get(name)!r}")
        if len(headers.get_all(name) or []) > 1:
            found.append(f"{name} sent {len(headers.get_all(name) or [])} times")
    if row.location is not None and urlsplit(headers.get("Location", "")).path != row.location:
        found.append(f"Location {headers.get('Location')!r}, expected {row.location!r}")
    if row.body == "404" and body != not_found:
        found.append("not the site's 404 page")
    elif row.body not in (None, "404") and body.decode(errors="replace") != row.body:
        found.append(f"body {body[:80]!r}")
    unknown = {name.lower() for name in headers} - IGNORED - {h.lower() for h in hosting.VARIABLE_HEADERS}
    unknown -= {"content-type", "location", "content-encoding"}
    if unknown:
        found.append(f"unexpected headers {sorted(unknown)}")
    return [f"{path}: {problem}" for problem in found]


def test_every_address_is_served_as_the_table_says(served: Served) -> None:
    not_found = (served.output / "404.html").read_bytes()
    problems = [problem for row in TABLE for problem in problems_with(row, served, not_found)]
    assert problems == [], f"{served.name}:\n" + "\n".join(problems)


def test_the_release_path_never_leaks_into_a_redirect(apache_sites: dict[str, Served]) -> None:
    """mod_dir's own slash redirect would name releases/<id>/; the switch must answer first."""
    ftp = apache_sites["apache-ftp"]
    for path in ("/konsultatsii", f"/{SLUG}", "/novini/godina/2026", "/display", "/display/portrait"):
        status, headers, _ = fetch(ftp.base, path + "?x=1")
        assert status == 301, path
        assert headers["Location"] == f"{ftp.base}{path}/?x=1"


def test_the_shipped_nginx_file_is_the_generated_one_and_loads() -> None:
    """hosting/nginx.conf is what uchastvai.hosting writes, and `nginx -t` accepts it as documented."""
    shipped = servers.NGINX_SNIPPET.read_text(encoding="utf-8")
    assert shipped == hosting.nginx_conf(), "run: python -m uchastvai.hosting nginx > hosting/nginx.conf"
    with servers.scratch("uchastvai-nginx-t-") as folder:
        config = folder / "nginx.conf"
        config.write_text(servers.nginx_config(folder, folder, servers.free_port()), encoding="utf-8")
        result = subprocess.run(
            [
                servers.require(servers.NGINX),
                "-t",
                "-p",
                str(folder),
                "-e",
                str(folder / "error.log"),
                "-c",
                str(config),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == 0 and "[warn]" not in result.stderr, result.stderr


SERVED_AS_IS = [row for row in TABLE if row.status == 200 and row.body is None]


@pytest.mark.parametrize("row", SERVED_AS_IS, ids=lambda row: row.path)
def test_the_table_names_the_kind_the_policy_gives(row: Row) -> None:
    """The table and the policy agree on which kind each address is (redirects and errors aside)."""
    assert hosting.kind_of(row.path.split("?")[0].replace("*", "0123456789")).name == row.kind
