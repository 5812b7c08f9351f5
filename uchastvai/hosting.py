"""The web server configuration of the site: one header policy, written for Apache and nginx.

Hosts run either Apache (shared hosting: the site's own ``.htaccess``) or nginx (a snippet the
administrator includes in the site's ``server { }``). Both are generated from :data:`KINDS`, the
ordered list of path kinds (first match wins, as nginx picks its first matching regex
``location``), so the two servers cannot drift apart. The tests run both servers with these
files and compare every answer.

* ``python -m uchastvai.hosting nginx``    prints the nginx snippet (shipped as hosting/nginx.conf)
* ``python -m uchastvai.hosting apache``   prints the ``.htaccess`` that every build writes
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from uchastvai.core.written import write_output

HTACCESS = ".htaccess"
NOT_FOUND_PAGE = "/404.html"

# Paths the deploy keeps out of the public site (see uchastvai.deploy): the FTP release folders
# and the lock. A release id never contains a slash, so this prefix finds the release below the
# document root while Apache serves a request rewritten into it.
RELEASE_PREFIX = r"(?:/releases/[^/]+)?"

SITE_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self' mailto:; frame-ancestors 'self'; upgrade-insecure-requests"
)
# The kiosk page is shown inside display players' iframes, on any origin.
KIOSK_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "worker-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors *"
)

SECURITY: dict[str, str] = {
    # Browsers ignore HSTS on plain http, so it is safe to send before HTTPS is set up.
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# Every type the site serves, pinned on both servers: their own tables disagree (.xml, .js, .ico).
TYPES: dict[str, str] = {
    "html": "text/html",
    "css": "text/css",
    "js": "text/javascript",
    "json": "application/json",
    "xml": "application/xml",
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "ics": "text/calendar",
    "csv": "text/csv",
    "txt": "text/plain",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "ico": "image/x-icon",
    "pdf": "application/pdf",
    "wasm": "application/wasm",
    "pagefind": "application/octet-stream",
    "pf_meta": "application/octet-stream",
    "pf_index": "application/octet-stream",
    "pf_fragment": "application/octet-stream",
    "woff2": "font/woff2",
    "yml": "text/yaml",
}
# Text types get "; charset=utf-8" (the site is Bulgarian: never let a client guess).
CHARSET_TYPES = (
    "text/html",
    "text/css",
    "text/javascript",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "text/calendar",
    "text/csv",
    "text/plain",
    "image/svg+xml",
    "text/yaml",
)

PAGE_CACHE = "public, max-age=300, must-revalidate"  # daily rebuilds: countdowns, states
IMMUTABLE = "public, max-age=31536000, immutable"  # content-hashed names never change
FILE_CACHE = "public, max-age=3600"  # images and documents under stable names
NO_CACHE = "no-cache"  # players and the service worker ask every time (304 when unchanged)


@dataclass(frozen=True)
class Kind:
    """One kind of path and every header it gets; headers another kind sets are removed."""

    name: str
    pattern: str | None  # regex on the URL path; None: everything no other kind matched
    extensions: tuple[str, ...]  # the types pinned for this kind (keys of TYPES)
    headers: dict[str, str] = field(default_factory=dict)
    force_type: str | None = None  # one type for every file, whatever its name
    note: str = ""

    def all_headers(self) -> dict[str, str]:
        return {**SECURITY, **self.headers}


def _page(csp: str, cache: str) -> dict[str, str]:
    return {"Content-Security-Policy": csp, "Cache-Control": cache}


def _data(cache: str, **extra: str) -> dict[str, str]:
    return {"Content-Security-Policy": SITE_CSP, "Cache-Control": cache, "Access-Control-Allow-Origin": "*", **extra}


ASSET_EXTENSIONS = ("css", "js", "webp", "png", "svg", "jpg")
STATIC_EXTENSIONS = ("svg", "png", "jpg", "jpeg", "webp", "ico", "txt", "pdf", "css", "js", "wasm", "woff2", "xml")
PAGEFIND_EXTENSIONS = ("pagefind", "pf_meta", "pf_index", "pf_fragment")


def _ext(extensions: tuple[str, ...]) -> str:
    return "(" + "|".join(re.escape(extension) for extension in extensions) + ")"


KINDS: tuple[Kind, ...] = (
    Kind(
        "host-file",
        r"^/\.well-known/acme-challenge/",
        (),
        {"Content-Security-Policy": SITE_CSP, "Cache-Control": NO_CACHE},
        force_type="text/plain",
        note="files the host puts in the document root (certificate renewal)",
    ),
    Kind(
        "admin",
        r"^/admin/",
        ("html", "js", "yml", "wasm"),
        # No CSP header: two policies would both apply, and the site's blocks the CMS. The page
        # carries its own in a <meta> (uchastvai.editors.cms.admin_csp: 'unsafe-eval' and the Git host's
        # API); a <meta> cannot forbid framing, so the header does that.
        {"Cache-Control": NO_CACHE, "X-Frame-Options": "SAMEORIGIN"},
        note="the web editor, only where publishconf.py sets CMS_BACKEND",
    ),
    Kind(
        "service-worker",
        r"^/display/sw\.js$",
        ("js",),
        {"Content-Security-Policy": KIOSK_CSP, "Cache-Control": NO_CACHE, "Access-Control-Allow-Origin": "*"},
        note="the kiosk's offline cache: a player must see a new version at once",
    ),
    Kind(
        "display-feed",
        r"^/display/.+\.xml$",
        ("xml",),
        _data(NO_CACHE),
        force_type="application/rss+xml",
        note="RSS and MRSS that display players poll",
    ),
    Kind(
        "display-data",
        r"^/display/.+\.json$",
        ("json",),
        _data(NO_CACHE),
        note="the slides as JSON, polled by the kiosk and players",
    ),
    Kind(
        "kiosk",
        r"^/display/(portrait/)?(index\.html)?$",
        ("html",),
        _page(KIOSK_CSP, PAGE_CACHE),
        note="the kiosk pages, framed by players on any origin",
    ),
    Kind(
        "asset",
        r"\.[0-9a-f]{10,}\." + _ext(ASSET_EXTENSIONS) + "$",
        ASSET_EXTENSIONS,
        {"Content-Security-Policy": SITE_CSP, "Cache-Control": IMMUTABLE},
        note="content-hashed CSS, JS and images",
    ),
    Kind(
        "download",
        r"\.csv$",
        ("csv",),
        _data(PAGE_CACHE, **{"Content-Disposition": "attachment"}),
        note="open data tables, saved and opened in a spreadsheet",
    ),
    Kind(
        "feed",
        r"\.(atom|rss|ics|json)$",
        ("atom", "rss", "ics", "json"),
        _data(PAGE_CACHE),
        note="feeds, calendars and open data, readable from other sites",
    ),
    Kind(
        "page",
        r"(/|\.html)$",
        ("html",),
        _page(SITE_CSP, PAGE_CACHE),
        note="HTML pages and folder addresses",
    ),
    Kind(
        "search-index",
        r"\." + _ext(PAGEFIND_EXTENSIONS) + "$",
        PAGEFIND_EXTENSIONS,
        {"Content-Security-Policy": SITE_CSP, "Cache-Control": PAGE_CACHE},
        note="Pagefind's index, rebuilt with the site",
    ),
    Kind(
        "file",
        None,
        STATIC_EXTENSIONS,
        {"Content-Security-Policy": SITE_CSP, "Cache-Control": FILE_CACHE},
        note="everything else: images, documents, robots.txt",
    ),
)

# Every header some kind sets: each kind sets or removes each of them, so nothing leaks from
# one kind to another across Apache's internal redirects (rewrite, error page, folder index).
VARIABLE_HEADERS: tuple[str, ...] = tuple(sorted({name for kind in KINDS for name in kind.all_headers()}))


def kind_of(path: str) -> Kind:
    """The kind a URL path belongs to (what both servers decide)."""
    for kind in KINDS:
        if kind.pattern is None or re.search(kind.pattern, path):
            return kind
    raise AssertionError("the last kind matches everything")


# --- Apache -------------------------------------------------------------------------------------


def _apache_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apache_kind(kind: Kind) -> list[str]:
    headers = kind.all_headers()
    lines = [f"  # {kind.name}: {kind.note}"]
    if kind.force_type:
        charset = "; charset=utf-8" if kind.force_type in CHARSET_TYPES else ""
        lines.append(f"  ForceType {_apache_value(kind.force_type + charset)}")
    for name in VARIABLE_HEADERS:
        if name in headers:
            lines.append(f"  Header always set {name} {_apache_value(headers[name])}")
        else:
            lines.append(f"  Header always unset {name}")
    return lines


def _apache_condition(pattern: str) -> str:
    anchored = pattern.startswith("^")
    body = pattern[1:] if anchored else pattern
    regex = f"^{RELEASE_PREFIX}{body}" if anchored else body
    if "#" in regex:
        raise ValueError(f"'#' delimits the expression: {regex}")
    return f'"%{{REQUEST_URI}} =~ m#{regex}#"'


def apache_policy() -> str:
    """The directives of the policy, for the site's ``.htaccess`` and the FTP switch file.

    ``<If>`` chains pick the kind by the URL path, with an optional ``/releases/<id>`` in front:
    behind the FTP release switch Apache evaluates them on the rewritten path.
    """
    extensions: dict[str, list[str]] = {}
    for extension, mime in TYPES.items():
        extensions.setdefault(mime, []).append(extension)
    lines = [
        "AddDefaultCharset utf-8",
        "DirectoryIndex index.html",
        "Options -Indexes -MultiViews",
        f"ErrorDocument 404 {NOT_FOUND_PAGE}",
        f"ErrorDocument 403 {NOT_FOUND_PAGE}",
        "<IfModule mod_mime.c>",
        *(f"  AddType {mime} " + " ".join(f".{e}" for e in names) for mime, names in extensions.items()),
        "  AddCharset utf-8 " + " ".join(f".{e}" for e, mime in TYPES.items() if mime in CHARSET_TYPES),
        "</IfModule>",
        "# The deploy lock (in the document root with DEPLOY_METHOD=rsync-inplace) is never served.",
        "<IfModule mod_alias.c>",
        '  RedirectMatch 404 "^/\\.deploy\\.lock(/|$)"',
        "</IfModule>",
        "# Server files (.htaccess, .htpasswd) are never served, whatever the host's own settings.",
        '<FilesMatch "^\\.ht">',
        "  Require all denied",
        "</FilesMatch>",
        "<IfModule mod_headers.c>",
    ]
    keyword = "If"
    for kind in KINDS:
        if kind.pattern is None:
            lines += ["<Else>", *_apache_kind(kind), "</Else>"]
        else:
            lines += [f"<{keyword} {_apache_condition(kind.pattern)}>", *_apache_kind(kind), f"</{keyword}>"]
            keyword = "ElseIf"
    lines += [
        "</IfModule>",
        "<IfModule mod_deflate.c>",
        "  AddOutputFilterByType DEFLATE " + " ".join(CHARSET_TYPES),
        "</IfModule>",
    ]
    return "\n".join(lines) + "\n"


def htaccess() -> str:
    """The ``.htaccess`` written into every build."""
    return (
        "# Участвай: Apache 2.4 configuration of the site (mod_headers, mod_mime; mod_rewrite for FTP deploys).\n"
        "# Written by every build from uchastvai/hosting.py; edit that file, not this one.\n" + apache_policy()
    )


# --- nginx --------------------------------------------------------------------------------------


def _nginx_value(value: str) -> str:
    """Quoted for nginx (a regex with ``{n}`` must be): only ``"`` needs escaping here."""
    return '"' + value.replace('"', '\\"') + '"'


def _nginx_location(head: str, kind: Kind, pin_types: bool) -> list[str]:
    body = [f"    # {kind.name}: {kind.note}"]
    if kind.force_type:
        body += ["    types { }", f"    default_type {kind.force_type};"]
    elif pin_types:
        # Inside a location a `types` block replaces the table only here, for these extensions.
        pinned = " ".join(f"{TYPES[extension]} {extension};" for extension in kind.extensions)
        body += [f"    types {{ {pinned} }}"]
    body += [f"    add_header {name} {_nginx_value(value)} always;" for name, value in kind.all_headers().items()]
    return [f"{head} {{", *body, "}"]


def _nginx_kind(kind: Kind) -> list[str]:
    if kind.pattern is not None:
        return _nginx_location(f"location ~ {_nginx_value(kind.pattern)}", kind, pin_types=True)
    # The rest: the site's own extensions with pinned types, anything else with nginx's table.
    pinned = _nginx_value(r"\." + _ext(kind.extensions) + "$")
    return [
        *_nginx_location(f"location ~ {pinned}", kind, pin_types=True),
        *_nginx_location("location /", kind, pin_types=False),
    ]


def nginx_conf() -> str:
    """The snippet for the site's ``server { }``: include it after ``root``."""
    lines = [
        "# Участвай: nginx configuration of the site. Include it inside the site's server block:",
        "#     server { listen ...; server_name ...; root /path/to/current; include /path/to/nginx.conf; }",
        "# The http block keeps nginx's own MIME table (include mime.types;); this file pins the site's",
        "# types only inside its own locations. Generated from uchastvai/hosting.py",
        "# (python -m uchastvai.hosting nginx > hosting/nginx.conf); edit that file, not this one.",
        "",
        "index index.html;",
        "autoindex off;",
        f"error_page 403 404 {NOT_FOUND_PAGE};",
        "charset utf-8;",
        # text/html is always in both lists; naming it again is a warning.
        f"charset_types {' '.join(mime for mime in CHARSET_TYPES if mime != 'text/html')};",
        "gzip on;",
        "gzip_vary on;",
        f"gzip_types {' '.join(mime for mime in CHARSET_TYPES if mime != 'text/html')};",
        "",
        "# Server files and what the deploy keeps for itself are never served.",
        'location ~ "(^|/)\\.ht" {',
        "    deny all;",
        "}",
        'location ~ "^/(releases(/|$)|\\.deploy\\.lock)" {',
        "    return 404;",
        "}",
        "# The path kinds, first match wins; a location with add_header gets no server-level add_header,",
        "# so each repeats all of its own.",
    ]
    for kind in KINDS:
        lines += _nginx_kind(kind)
    return "\n".join(lines) + "\n"


# --- the build ----------------------------------------------------------------------------------


class HostingGenerator(Generator):
    """Writes the site's ``.htaccess`` into every build, so each release carries its headers."""

    def generate_output(self, writer: Any) -> None:
        path = Path(self.output_path) / HTACCESS
        write_output(path, htaccess(), self.context)


def add_generator(pelican: Any) -> type[Generator]:
    """Receiver of ``signals.get_generators``."""
    return HostingGenerator


def main(argv: list[str]) -> int:
    outputs = {"nginx": nginx_conf, "apache": htaccess}
    if len(argv) != 1 or argv[0] not in outputs:
        print("usage: python -m uchastvai.hosting {nginx,apache}", file=sys.stderr)
        return 2
    sys.stdout.write(outputs[argv[0]]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
