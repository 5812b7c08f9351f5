"""The HTML an editor's Markdown may produce, and nothing else.

Markdown passes raw HTML through, so a paste from a web page or a word processor could
bring a ``<script>``, an ``onclick``, a ``javascript:`` link, an ``<iframe>`` or inline
styles (which our Content-Security-Policy would block anyway). Every body is cleaned
with nh3 against an allow-list of what Markdown itself writes plus a few safe
text-level elements; content of ``<script>`` and ``<style>`` is dropped with the tag.

Templates render with autoescape on, so everything else an editor writes is text.
:func:`sanitized` is the one place where HTML becomes :class:`~markupsafe.Markup`: it
cleans again at the moment of marking, so nothing that skipped the reader (a cached
body, Pelican's link replacement, a guide chapter) can reach a page unclean.
:func:`xml_text` removes what XML 1.0 forbids (control characters, lone surrogates),
for the feeds and calendars, whatever the reader let through.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

# Elements Markdown (with extra, toc) writes, and safe text-level HTML editors use.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "em", "strong", "b", "i", "s", "del", "ins", "mark", "small", "sub", "sup",
        "abbr", "cite", "q", "kbd", "samp", "var", "time", "span", "div",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
        "img", "figure", "figcaption", "details", "summary",
    }
)  # fmt: skip
# An editor's h1 would compete with the page title: it is unwrapped to its text.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "hreflang", "id"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "time": {"datetime"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "blockquote": {"cite"},
    # Anchors that the table of contents and footnotes link to.
    **{tag: {"id"} for tag in ("h2", "h3", "h4", "h5", "h6", "li", "sup", "div")},
}
# Classes that Markdown's footnotes write; no other class can restyle the page.
ALLOWED_CLASSES: dict[str, set[str]] = {
    "div": {"footnote"},
    "a": {"footnote-ref", "footnote-backref"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
DROPPED_WITH_CONTENT: frozenset[str] = frozenset({"script", "style", "template", "noscript", "iframe", "object"})


def sanitize_html(html: str) -> str:
    """``html`` with every element, attribute and URL scheme outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=set(URL_SCHEMES),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        link_rel=None,
        strip_comments=True,
    )


def sanitized(html: str | None) -> Markup:
    """``html`` cleaned and marked safe for a template: the only way HTML reaches a page unescaped."""
    return Markup(sanitize_html(html or ""))


# Characters XML 1.0 does not allow (C0 controls but tab and newlines, lone surrogates,
# U+FFFE/U+FFFF) and the C1 controls and DEL it discourages.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document (feed) or calendar line cannot carry."""
    return _NOT_XML.sub("", text)
