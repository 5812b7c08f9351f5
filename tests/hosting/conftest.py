"""The sample site served by real Apache and nginx, as hosts run them.

Three document roots, each with the host's own file for certificate renewal:

* ``apache`` / ``plain``  the build as document root (SSH deploys, ``current`` symlink or in place)
* ``apache`` / ``ftp``    the FTP release layout: ``releases/<id>/`` plus the switch ``.htaccess``
                          the deploy writes, and a deploy lock as a running deploy leaves it
* ``nginx`` / ``site``    the build as document root with the shipped hosting/nginx.conf

Each server gets a build whose SITEURL is its own address, so a browser loads every file from it.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, build_site
from tests.hosting import servers
from uchastvai.deploy import htaccess
from uchastvai.deploy.lock import LOCK_NAME

RELEASE = "20261125T100000Z-0123abcd"
ACME = ".well-known/acme-challenge/x"
ACME_TEXT = "token-from-the-certificate-authority\n"
# A file named like a slide image (the test builds do not render slides: that needs seconds each).
SLIDE = "display/images/test-slide.landscape.0123456789ab.png"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@dataclass(frozen=True)
class Served:
    """One way the site is served: where to ask, and the build behind it."""

    name: str
    base: str
    output: Path


def _build(folder: Path, port: int) -> Path:
    output = build_site(ROOT / "content", folder / "output", SITEURL=f"http://127.0.0.1:{port}")
    (output / SLIDE).parent.mkdir(parents=True, exist_ok=True)
    (output / SLIDE).write_bytes(PNG)
    return output


def _host_file(root: Path) -> None:
    path = root / ACME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ACME_TEXT, encoding="utf-8")


def _lock(root: Path) -> None:
    (root / LOCK_NAME).mkdir()
    (root / LOCK_NAME / "owner").write_text('{"token": "t"}', encoding="utf-8")


def ftp_layout(output: Path, root: Path) -> Path:
    """The document root after an FTP deploy of ``output``, with a deploy holding the lock."""
    shutil.copytree(output, root / "releases" / RELEASE)
    (root / ".htaccess").write_text(htaccess.render(RELEASE), encoding="utf-8")
    _lock(root)
    _host_file(root)
    return root


@pytest.fixture(scope="session")
def apache_sites() -> Iterator[dict[str, Served]]:
    """Apache with the build as document root and under the FTP release layout."""
    with servers.scratch("uchastvai-apache-") as folder:
        ports = {"plain": servers.free_port(), "ftp": servers.free_port()}
        plain = _build(folder / "plain", ports["plain"])
        _host_file(plain)
        _lock(plain)  # as DEPLOY_METHOD=rsync-inplace leaves it during a deploy
        ftp_root = ftp_layout(_build(folder / "ftp", ports["ftp"]), folder / "ftp-root")
        (folder / "apache").mkdir()
        with servers.apache(folder / "apache", {"plain": plain, "ftp": ftp_root}, ports) as apache:
            yield {
                "apache": Served("apache", apache.url("plain").rstrip("/"), plain),
                "apache-ftp": Served("apache-ftp", apache.url("ftp").rstrip("/"), ftp_root / "releases" / RELEASE),
            }


@pytest.fixture(scope="session")
def nginx_site() -> Iterator[Served]:
    """nginx with the shipped snippet and the build as document root."""
    with servers.scratch("uchastvai-nginx-") as folder:
        port = servers.free_port()
        output = _build(folder / "site", port)
        _host_file(output)
        _lock(output)
        (folder / "nginx").mkdir()
        with servers.nginx(folder / "nginx", output, port) as nginx:
            yield Served("nginx", nginx.url("site").rstrip("/"), output)


@pytest.fixture(params=["apache", "apache-ftp", "nginx"])
def served(request: pytest.FixtureRequest) -> Served:
    if request.param == "nginx":
        return request.getfixturevalue("nginx_site")
    return request.getfixturevalue("apache_sites")[request.param]
