"""An editor's paste cannot bring scripts, event handlers, frames or styles into a page."""

from __future__ import annotations

from tests.conftest import build_site, fixture_settings, read_html
from uchastvai.content.sanitize import sanitize_html


def test_script_and_style_are_dropped_with_their_content():
    assert sanitize_html("<p>Текст</p><script>alert(1)</script><style>p{}</style>") == "<p>Текст</p>"


def test_event_handlers_and_javascript_links_are_removed():
    cleaned = sanitize_html('<p onclick="steal()">a <a href="javascript:steal()">връзка</a></p>')
    assert "onclick" not in cleaned
    assert "javascript" not in cleaned
    assert "връзка" in cleaned


def test_frames_objects_and_inline_styles_are_removed():
    cleaned = sanitize_html(
        '<iframe src="https://x.example"></iframe><object data="x"></object><span style="position:fixed">т</span>'
    )
    assert cleaned == "<span>т</span>"


def test_what_markdown_writes_is_kept():
    html = (
        '<h2 id="srok">Срок</h2><p><strong>до</strong> <em>16</em> <a href="/konsultatsii/">тук</a>'
        ' <a href="mailto:a@b.bg">поща</a> <a href="tel:+359331">тел.</a></p>'
        "<table><thead><tr><th>А</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
        '<ol start="3"><li>три</li></ol><blockquote><p>цитат</p></blockquote><abbr title="Закон">ЗНА</abbr>'
    )
    assert sanitize_html(html) == html


def test_footnotes_keep_their_anchors_but_no_other_class():
    html = '<sup id="fnref:1"><a class="footnote-ref evil" href="#fn:1">1</a></sup><div class="footnote big"></div>'
    assert (
        sanitize_html(html)
        == '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup><div class="footnote"></div>'
    )


def test_a_built_page_carries_no_pasted_script(small_site, tmp_path):
    news = small_site / "news" / "otkrivane.md"
    news.write_text(
        news.read_text(encoding="utf-8") + '\n<script>alert("x")</script>\n\n<p onmouseover="x()">Абзац</p>\n',
        encoding="utf-8",
    )
    output = build_site(small_site, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    page = read_html(output, "novini/zapochna-obsazhdaneto-na-naredbata-za-zelenata-sistema/")
    body = page.find(class_="prose")
    assert "Абзац" in body.get_text()
    assert body.find("script") is None
    assert "onmouseover" not in str(body)
    scripts = page.find_all("script")
    assert all(script.get("type") == "application/ld+json" for script in scripts)


HOSTILE_TITLE = "Промени <script>alert(1)</script>"
HOSTILE_SUMMARY = 'Кавичка " затваря <b onevil="x()">атрибута</b> & </script>'


def _hostile_site(small_site):
    """The small site with markup in a title, a summary and a few other fields of each type."""
    quoted_title = "'" + HOSTILE_TITLE.replace("'", "''") + "'"
    quoted_summary = "'" + HOSTILE_SUMMARY.replace("'", "''") + "'"
    for path in small_site.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if line.startswith("title: "):
                lines[number] = f"title: {quoted_title}"
            elif line.startswith("summary: "):
                lines[number] = f"summary: {quoted_summary}"
            elif line.startswith(("    place: ", "area: ", "  text: ")):
                key = line.split(":", 1)[0]
                lines[number] = f"{key}: {quoted_summary}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return small_site


def test_markup_in_titles_and_summaries_is_inert_on_every_page(small_site, tmp_path):
    """Titles and summaries are text: escaped in elements, attributes and JSON-LD (issue 11)."""
    import json

    from bs4 import BeautifulSoup

    content = _hostile_site(small_site)
    output = build_site(content, tmp_path / "out", SEARCH_ENABLED=False, **fixture_settings("site"))
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    seen_title = seen_summary = 0
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(output)
        assert soup.find("b") is None, where
        assert not soup.find_all(attrs={"onevil": True}), where
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") in ("application/ld+json", "application/json"), where
            if script.get("type") == "application/ld+json":
                text = json.dumps(json.loads(script.string), ensure_ascii=False)
                assert "</script" not in script.string.lower(), where
                seen_title += HOSTILE_TITLE in text
        description = soup.find("meta", attrs={"name": "description"})
        if description is not None and description["content"] == HOSTILE_SUMMARY:
            seen_summary += 1
        if soup.h1 is not None and soup.h1.get_text() == HOSTILE_TITLE:
            seen_title += 1
    assert seen_title >= 5
    assert seen_summary >= 4


def test_autoescape_holds_even_when_a_municipality_settings_turn_it_off(small_site, tmp_path):
    """The plugin turns autoescape on for every template environment, whatever JINJA_ENVIRONMENT says."""
    from bs4 import BeautifulSoup

    content = _hostile_site(small_site)
    jinja = {"trim_blocks": True, "lstrip_blocks": True, "extensions": ["jinja2.ext.i18n"], "autoescape": False}
    output = build_site(
        content, tmp_path / "out", SEARCH_ENABLED=False, JINJA_ENVIRONMENT=jinja, **fixture_settings("site")
    )
    for path in output.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert soup.find("b") is None and not soup.find_all(attrs={"onevil": True}), path
