"""End-to-end: the site builds safely, reproducibly, and for any municipality."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import BUILD_TIME, FIXTURES, ROOT, build_site, fixture_settings, isolated
from uchastvai.build import build
from uchastvai.dates import SOFIA
from uchastvai.plugin import ContentInvalid

BROKEN_FILE = FIXTURES.parent / "broken" / "consultations" / "period-of-13-days.md"
UNSAFE_WARNING_FILE = FIXTURES.parent / "broken" / "consultations" / "without-impact-assessment.md"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_same_content_and_build_time_give_byte_identical_output(tmp_path: Path) -> None:
    first = build_site(ROOT / "content", tmp_path / "one")
    second = build_site(ROOT / "content", tmp_path / "two")
    assert tree_digest(first) == tree_digest(second)
    assert len(tree_digest(first)) > 50


def test_a_later_build_time_changes_states_not_identity(tmp_path: Path) -> None:
    later = datetime(2027, 2, 1, 12, 0, tzinfo=SOFIA)
    output = build_site(ROOT / "content", tmp_path / "later", build_time=later)
    # Nothing is open any more: the list the feeds page links to is empty, not missing.
    assert '<ul class="cards">' not in (output / "konsultatsii" / "otvoreni" / "index.html").read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_last_good_output_untouched(small_site: Path, tmp_path: Path) -> None:
    output = build_site(small_site, tmp_path / "output")
    before = tree_digest(output)
    (small_site / "consultations" / BROKEN_FILE.name).write_bytes(BROKEN_FILE.read_bytes())
    with pytest.raises(ContentInvalid):
        build_site(small_site, output)
    assert tree_digest(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []


def test_a_deleted_source_leaves_no_stale_page(small_site: Path, tmp_path: Path) -> None:
    output = build_site(small_site, tmp_path / "output")
    assert (output / "novini").exists()
    news_pages = [p for p in (output / "novini").iterdir() if p.is_dir()]
    for source in (small_site / "news").iterdir():
        source.unlink()
    build_site(small_site, output)
    assert not any(page.exists() for page in news_pages)


def test_warnings_pass_a_preview_build_and_fail_a_strict_one(small_site: Path, tmp_path: Path) -> None:
    (small_site / "consultations" / UNSAFE_WARNING_FILE.name).write_bytes(UNSAFE_WARNING_FILE.read_bytes())
    result = build(
        ROOT / "pelicanconf.py",
        tmp_path / "preview",
        BUILD_TIME,
        extra_settings=isolated(small_site, tmp_path / "preview"),
    )
    assert [w.code for w in result.warnings] == ["missing_impact_assessment"]
    with pytest.raises(ContentInvalid) as stopped:
        build(
            ROOT / "pelicanconf.py",
            tmp_path / "strict",
            BUILD_TIME,
            strict=True,
            extra_settings=isolated(small_site, tmp_path / "strict"),
        )
    assert [p.code for p in stopped.value.problems] == ["missing_impact_assessment"]


def test_the_command_line_reports_in_bulgarian_without_a_traceback(small_site: Path, tmp_path: Path) -> None:
    (small_site / "consultations" / BROKEN_FILE.name).write_bytes(BROKEN_FILE.read_bytes())
    run = subprocess.run(
        [sys.executable, "-m", "uchastvai.build", "--content", str(small_site), "--output", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp()))},
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "content/consultations/period-of-13-days.md" in run.stderr
    assert "срокът за предложения е 13 дни" in run.stderr
    assert "Сайтът не беше изграден; предишната версия остава непроменена." in run.stderr
    assert not (tmp_path / "out").exists()


def test_another_municipality_leaves_no_trace_of_the_first(tmp_path: Path) -> None:
    settings = fixture_settings("site")
    output = build_site(FIXTURES / "site" / "content", tmp_path / "output", **settings)
    traces = ("Асеновград", "асеновград", "Asenovgrad", "asenovgrad")
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".css", ".js", ".txt", ".ics", ".csv", ".svg"}:
            text = path.read_text(encoding="utf-8")
            assert not any(trace in text for trace in traces), path
    assert "Община Примерно" in (output / "index.html").read_text(encoding="utf-8")
