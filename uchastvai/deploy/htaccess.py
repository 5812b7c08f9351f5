"""The small Apache ``.htaccess`` that decides which release folder an FTP-only host serves.

FTP has no symlinks and no atomic folder swap, but it can rename one file over another. So each
release is uploaded to ``releases/<id>/`` and this file, rewritten and renamed into place last,
sends every request there. Lines outside our marked block (a host's PHP handler, say) are kept.

The block also carries the site's header policy (:func:`uchastvai.hosting.apache_policy`): files
the host keeps in the document root (``/.well-known/acme-challenge/…``, ``DEPLOY_EXCLUDE``) are
served from there, outside any release, and get the same headers as the site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from uchastvai.hosting import apache_policy

BEGIN = "# BEGIN uchastvai-deploy (written by the deploy; do not edit this block)"
END = "# END uchastvai-deploy"
RELEASE_LINE = "# uchastvai-release: "
BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
# Always the host's, whatever DEPLOY_EXCLUDE says: certificate renewal over HTTP needs it.
HOST_PATHS = ("/.well-known/",)

TEMPLATE = """{begin}
{release_line}{release}
RewriteEngine On
# Files the host keeps in the document root are served from there.
RewriteCond %{{REQUEST_FILENAME}} -f
RewriteRule ^({host_paths}) - [L]
# Release folders and the deploy lock are never reachable by their own URL: the site's 404 page.
RewriteCond %{{ENV:REDIRECT_STATUS}} ^$
RewriteRule ^(releases(/|$)|\\.deploy\\.lock(/|$)) - [R=404,L]
RewriteRule ^releases/ - [L]
# A folder asked for without its trailing slash: redirect to the public URL, never the release
# path. The folder's path on disk is REQUEST_FILENAME plus PATH_INFO (Apache stops the file name
# at the first part that does not exist in the document root) minus the requested path.
RewriteCond $1#%{{REQUEST_FILENAME}}%{{PATH_INFO}} ^([^#]*)#(.*)\\1$
RewriteCond %2releases/{release}/$1 -d
RewriteRule ^(.*[^/])$ %{{REQUEST_URI}}/ [R=301,L]
RewriteRule ^(.*)$ releases/{release}/$1 [L]
# The site's headers, types and error page (the same as in each release's own .htaccess).
{policy}{end}
"""


def host_paths_pattern(exclude: Iterable[str] = ()) -> str:
    """The host-owned path prefixes as one alternation, relative to the document root."""
    prefixes = dict.fromkeys(path.strip("/") for path in (*HOST_PATHS, *exclude) if path.strip("/"))
    return "|".join(re.escape(prefix) + "(/|$)" for prefix in prefixes)


def render(release: str, existing: str = "", exclude: Iterable[str] = ()) -> str:
    """The root ``.htaccess`` pointing at ``release``, keeping the host's own lines."""
    block = TEMPLATE.format(
        begin=BEGIN,
        end=END,
        release_line=RELEASE_LINE,
        release=release,
        host_paths=host_paths_pattern(exclude),
        policy=apache_policy(),
    )
    rest = BLOCK.sub("", existing).strip("\n")
    return block + ("\n" + rest + "\n" if rest else "")


def live_release(text: str) -> str | None:
    """The release our block points at, or None before the first deploy."""
    match = BLOCK.search(text)
    if not match:
        return None
    for line in match.group(0).splitlines():
        if line.startswith(RELEASE_LINE):
            return line.removeprefix(RELEASE_LINE).strip()
    return None
