"""The editors' report: what is due, most urgent first, each with the file and line to edit."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from tests.conftest import BUILD_TIME, ROOT, isolated
from uchastvai.build import build
from uchastvai.core.dates import SOFIA
from uchastvai.editors.editors_report import check_pages, editors_report

ENGLISH = re.compile(r"[A-Za-z]{4,}")


def report_at(content: Path, output: Path, moment: datetime = BUILD_TIME) -> str:
    result = build(ROOT / "pelicanconf.py", output, moment, extra_settings=isolated(content, output))
    return editors_report(result.catalog, check_pages(result.output, result.site_url))


def part(report: str, heading: str) -> str:
    return report.split(f"== {heading} ==\n")[1].split("\n\n", maxsplit=1)[0]


def words_outside_paths(report: str) -> list[str]:
    """Latin words that are not file paths, addresses, codes or the справка's field name."""
    text = re.sub(r"(content/|/)[\w./-]+|BG\w+|\bline\b", "", report)
    return ENGLISH.findall(text)


def test_the_report_on_the_sample_site_names_the_file_and_line_of_each_task(tmp_path: Path) -> None:
    report = report_at(ROOT / "content", tmp_path / "out")
    assert report.splitlines()[0] == "Отчет за редакторите към ср, 25 ноември 2026, 12:00 ч."
    assert part(report, "Просрочено") == "  няма"
    assert part(report, "Срокове през следващите 7 дни") == (
        "  чт, 26 ноември 2026, 18:00 ч. · обществено обсъждане · 2026-029 "
        "Промени в правилата за паркиране в централната градска част\n"
        "      → content/consultations/2026-029-parkirane-tsentralna-gradska-chast.md, ред 23"
    )
    source = ROOT / "content/consultations/2026-029-parkirane-tsentralna-gradska-chast.md"
    assert source.read_text(encoding="utf-8").splitlines()[22].strip().startswith("- start:")
    later = part(report, "Предстои по-късно")
    assert "2026-024 · приключила преди 16 дни · публикувайте справката" in later
    assert "→ content/consultations/2026-024-programa-opazvane-okolnata-sreda.md, ред" in later
    open_part = part(report, "Открити консултации")
    assert [line.split(" · ")[0].strip() for line in open_part.splitlines()] == ["2026-029", "2026-028", "2026-030"]
    assert "== Счупени връзки ==\n  няма" in report
    assert "== Изображения без алтернативен текст ==\n  няма" in report
    assert words_outside_paths(report) == []


def test_overdue_work_comes_first_then_the_next_seven_days(tmp_path: Path) -> None:
    """Built in late January 2027: справки long overdue, projects stale, nothing open."""
    report = report_at(ROOT / "content", tmp_path / "out", datetime(2027, 1, 25, 12, 0, tzinfo=SOFIA))
    headings = re.findall(r"^== (.+) ==$", report, re.MULTILINE)
    assert headings[:3] == ["Просрочено", "Срокове през следващите 7 дни", "Предстои по-късно"]
    overdue = part(report, "Просрочено")
    assert "2026-024" in overdue and "2026-029" in overdue
    ids = re.findall(r"^  (2026-\d{3}) ·", overdue, re.MULTILINE)
    assert ids.index("2026-024") < ids.index("2026-029"), "the longest overdue comes first"
    assert all(line.strip().startswith("→ content/") for line in overdue.splitlines()[1::2])
    assert part(report, "Открити консултации") == "  няма"
    assert "== Счупени връзки ==\n  няма" in report, "no false broken links when nothing is open"
    assert words_outside_paths(report) == []


def test_broken_links_name_the_content_file_and_line(small_site: Path, tmp_path: Path) -> None:
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
    report = editors_report(result.catalog, pages)
    line = len(news.read_text(encoding="utf-8").splitlines())
    assert f"→ content/news/{news.name}, ред {line}" in part(report, "Счупени връзки")


def test_drafts_give_no_false_broken_links(small_site: Path, tmp_path: Path) -> None:
    news = next((small_site / "news").glob("*.md"))
    news.write_text(news.read_text(encoding="utf-8").replace("---\n", "---\ndraft: yes\n", 1), encoding="utf-8")
    result = build(
        ROOT / "pelicanconf.py", tmp_path / "out", BUILD_TIME, extra_settings=isolated(small_site, tmp_path / "out")
    )
    assert list((result.output / "chernovi").glob("*/index.html")), "the draft is in the preview"
    assert check_pages(result.output, result.site_url).broken_links == []
