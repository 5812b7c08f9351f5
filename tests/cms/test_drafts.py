"""Drafts in the preview: a „Чернова“ notice on the page and an index at /chernovi/."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import build_site, read_html, text_of


def test_drafts_are_listed_and_marked_in_the_preview_only(small_site: Path, tmp_path: Path) -> None:
    news = next((small_site / "news").glob("*.md"))
    news.write_text(news.read_text(encoding="utf-8").replace("---\n", "---\ndraft: yes\n", 1), encoding="utf-8")
    output = build_site(small_site, tmp_path / "out")
    index = read_html(output, "chernovi/")
    links = index.select("main .draft-list a")
    assert len(links) == 1
    assert f"content/news/{news.name}" in text_of(index)
    draft = read_html(output, links[0]["href"].split("8000/", 1)[1])
    notice = draft.select_one("main .notice-draft")
    assert notice is not None and notice.get_text().startswith("Чернова")
    published = next(page for page in (output / "konsultatsii").glob("*/index.html"))
    assert "notice-draft" not in published.read_text(encoding="utf-8")

    public = build_site(small_site, tmp_path / "public", DRAFT_SAVE_AS="", DRAFT_PAGE_SAVE_AS="")
    assert not (public / "chernovi").exists()


def test_without_drafts_the_index_says_so(small_site: Path, tmp_path: Path) -> None:
    output = build_site(small_site, tmp_path / "out")
    assert "Няма чернови." in text_of(read_html(output, "chernovi/"))
