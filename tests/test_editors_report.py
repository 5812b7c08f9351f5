"""The editors' report: what is open, what is due, what is missing, what is broken."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BUILD_TIME, ROOT, isolated
from uchastvai.build import build
from uchastvai.editors_report import check_pages, editors_report


def test_the_report_on_the_sample_site_lists_what_is_due(tmp_path: Path) -> None:
    result = build(
        ROOT / "pelicanconf.py",
        tmp_path / "out",
        BUILD_TIME,
        extra_settings=isolated(ROOT / "content", tmp_path / "out"),
    )
    report = editors_report(result.catalog, check_pages(result.output, result.site_url))
    assert report.splitlines()[0] == "Отчет за редакторите към ср, 25 ноември 2026, 12:00 ч."
    open_part = report.split("== Открити консултации ==")[1].split("==")[0]
    assert [line.split(" · ")[0].strip() for line in open_part.strip().splitlines()] == [
        "2026-029",
        "2026-028",
        "2026-030",
    ]
    assert "чт, 26 ноември 2026, 18:00 ч. · обществено обсъждане · 2026-029" in report
    assert "2026-024 · приключила преди 16 дни" in report
    assert "== Счупени връзки ==\n  няма" in report
    assert "== Изображения без алтернативен текст ==\n  няма" in report


def test_broken_links_and_missing_alt_texts_are_found(small_site: Path, tmp_path: Path) -> None:
    news = next((small_site / "news").glob("*.md"))
    news.write_text(
        news.read_text(encoding="utf-8") + "\n[Наредбата](/konsultatsii/nyama-takava/) ![](/images/gerb.svg)\n",
        encoding="utf-8",
    )
    result = build(
        ROOT / "pelicanconf.py", tmp_path / "out", BUILD_TIME, extra_settings=isolated(small_site, tmp_path / "out")
    )
    pages = check_pages(result.output, result.site_url)
    assert (
        "novini/zapochna-obsazhdaneto-na-naredbata-za-zelenata-sistema/index.html",
        "/konsultatsii/nyama-takava/",
    ) in pages.broken_links
    assert [src for _, src in pages.missing_alt] == ["/images/gerb.svg"]
