"""The small Apache ``.htaccess`` that decides which release folder an FTP-only host serves.

FTP has no symlinks and no atomic folder swap, but it can rename one file over another. So each
release is uploaded to ``releases/<id>/`` and this file, rewritten and renamed into place last,
sends every request there. Lines outside our marked block (a host's PHP handler, say) are kept.
"""

from __future__ import annotations

import re

BEGIN = "# BEGIN uchastvai-deploy (written by the deploy; do not edit this block)"
END = "# END uchastvai-deploy"
RELEASE_LINE = "# uchastvai-release: "
BLOCK = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)

TEMPLATE = """{begin}
{release_line}{release}
RewriteEngine On
# Release folders are reachable only through the rewrite below, never by their own URL.
RewriteCond %{{ENV:REDIRECT_STATUS}} ^$
RewriteRule ^releases(/|$) - [R=404,L]
RewriteRule ^releases/ - [L]
# Never serve .htaccess files or the deploy lock, even where the host does not forbid them.
RewriteRule (^|/)\\.(ht|deploy\\.lock) - [R=404,L]
# A folder asked for without its trailing slash: redirect to the public URL, not the release path.
RewriteCond $1#%{{REQUEST_FILENAME}} ^([^#]*)#(.*)\\1$
RewriteCond %2releases/{release}/$1 -d
RewriteRule ^(.*[^/])$ %{{REQUEST_URI}}/ [R=301,L]
RewriteRule ^(.*)$ releases/{release}/$1 [L]
{end}
"""


def render(release: str, existing: str = "") -> str:
    """The root ``.htaccess`` pointing at ``release``, keeping the host's own lines."""
    block = TEMPLATE.format(
        begin=BEGIN, end=END, release_line=RELEASE_LINE, release=release
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
