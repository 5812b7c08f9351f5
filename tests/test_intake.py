"""Content intake end to end: nothing under content/ vanishes, addresses stay, no tracebacks.

Builds run in-process on a copy of the small test site; the command-line tests run the
documented tasks (``invoke build``, ``check``, ``publish``) as an editor would.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.conftest import BUILD_TIME, ROOT, SETTINGS, build_site, isolated
from uchastvai.build import build
from uchastvai.content.manifest import MANIFEST_NAME
from uchastvai.plugin import ContentInvalid

BROKEN = ROOT / "tests" / "broken"
NEWS = "news/otkrivane.md"
NEWS_URL = "novini/zapochna-obsazhdaneto-na-naredbata-za-zelenata-sistema/"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def retitle(content: Path, title: str) -> None:
    path = content / NEWS
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: Започна обсъждането на Наредбата за зелената система", f"title: {title}"), encoding="utf-8"
    )


def codes(problems: list) -> list[tuple[str, str, str]]:
    return sorted((p.code, p.severity.value, p.source) for p in problems)


# --------------------------------------------------------------------------- control characters and slugs


def test_control_characters_in_a_quoted_title_and_the_body_are_removed_with_warnings(
    small_site: Path, tmp_path: Path
) -> None:
    path = small_site / NEWS
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Започна", 'title: "Започна\\x0b\x0c', 1).replace("система\n", 'система"\n', 1)
    path.write_text(text.replace("Общината публикува", "Общината\x00 публикува\x1b"), encoding="utf-8")
    result_output = tmp_path / "output"
    result = build(SETTINGS, result_output, BUILD_TIME, extra_settings=isolated(small_site, result_output))
    lines = sorted((p.code, p.line) for p in result.warnings if p.source == f"content/{NEWS}")
    assert lines == [("control_character", 2), ("control_character", 2), ("control_character", 9)]
    page = (result_output / NEWS_URL / "index.html").read_text(encoding="utf-8")
    assert "\x0c" not in page and "\x00" not in page and "\x1b" not in page
    for feed in result_output.rglob("*.atom"):
        ElementTree.parse(feed)  # every feed is well-formed XML


def test_a_title_without_latin_or_cyrillic_letters_gets_its_address_from_the_number(
    small_site: Path, tmp_path: Path
) -> None:
    path = small_site / "ideas" / "i-2026-001.md"
    text = path.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title_line, "title: 🌳🌳 Ελιά"), encoding="utf-8")
    output = build_site(small_site, tmp_path / "output")
    assert (output / "idei" / "i-2026-001" / "index.html").is_file()


# --------------------------------------------------------------------------- the URL manifest


def test_the_build_writes_a_manifest_of_every_published_address(small_site: Path, tmp_path: Path) -> None:
    output = build_site(small_site, tmp_path / "output")
    manifest = json.loads((output / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["urls"][NEWS_URL] == f"content/{NEWS}"
    assert all((output / url / "index.html").is_file() for url in manifest["urls"])
    links = re.compile(rf"""(?:href|src)=["'][^"']*{re.escape(MANIFEST_NAME)}""")
    assert not any(links.search(page.read_text(encoding="utf-8")) for page in output.rglob("*.html"))


def test_a_corrected_title_that_would_move_a_page_is_an_error_in_a_strict_build(
    small_site: Path, tmp_path: Path
) -> None:
    output = build_site(small_site, tmp_path / "output", STRICT_VALIDATION=True)
    before = tree_digest(output)
    retitle(small_site, "Започна обсъждането на Наредбата за зелената система и парковете")
    with pytest.raises(ContentInvalid) as stopped:
        build_site(small_site, output, STRICT_VALIDATION=True)
    assert codes(stopped.value.problems) == [("url_moved", "error", f"content/{NEWS}")]
    moved = "Грешка: страницата е публикувана на адрес /{0}, а сега би се преместила на /novini/{1}/"
    slug = "zapochna-obsazhdaneto-na-naredbata-za-zelenata-sistema"
    assert moved.format(NEWS_URL, slug + "-i-parkovete") in stopped.value.report
    assert "slug: zapochna-obsazhdaneto-na-naredbata-za-zelenata-sistema" in stopped.value.report
    assert tree_digest(output) == before
    # The preview only warns; the advice kept, the strict build passes.
    build_site(small_site, tmp_path / "preview")
    path = small_site / NEWS
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "date:", "slug: zapochna-obsazhdaneto-na-naredbata-za-zelenata-sistema\ndate:"
        ),
        encoding="utf-8",
    )
    build_site(small_site, output, STRICT_VALIDATION=True)
    assert (output / NEWS_URL / "index.html").is_file()


def test_a_removed_page_needs_an_alias_from_its_old_address(small_site: Path, tmp_path: Path) -> None:
    output = build_site(small_site, tmp_path / "output")
    text = (small_site / NEWS).read_text(encoding="utf-8")
    (small_site / NEWS).unlink()
    with pytest.raises(ContentInvalid) as stopped:
        build_site(small_site, output, STRICT_VALIDATION=True)
    assert codes(stopped.value.problems) == [("url_gone", "error", f"content/{NEWS}")]
    moved = text.replace("date:", "aliases:\n  - zapochna-obsazhdaneto-na-naredbata-za-zelenata-sistema\ndate:")
    moved = moved.replace("title: Започна обсъждането", "title: Обсъждането започна")
    (small_site / "news" / "obsazhdaneto-zapochna.md").write_text(moved, encoding="utf-8")
    build_site(small_site, output, STRICT_VALIDATION=True)
    assert (output / NEWS_URL / "index.html").is_file()  # the redirect page


# --------------------------------------------------------------------------- the tasks, as editors run them


def invoke(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": str(int(BUILD_TIME.timestamp())),
        "UCHASTVAI_SLIDE_IMAGES": "0",
        "HOME": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


FOREIGN_FILES = {
    "consultations/saved-in-windows-1251.md": "вероятно е в Windows-1251",
    "news/saved-as-text.md.txt": "преименувайте го на „saved-as-text.md“",
    "news/written-in-word.docx": "документ на Word или LibreOffice",
    "belezhki/spisak.txt": "файлът е в content/belezhki/, която сайтът не чете",
}


@pytest.fixture
def foreign_site(small_site: Path) -> Path:
    """The small site with a file in the wrong encoding, with a wrong extension and in an unknown folder."""
    for name in FOREIGN_FILES:
        (small_site / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BROKEN / name, small_site / name)
    return small_site


def assert_reported(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Could not process" not in result.stderr + result.stdout
    for name, message in FOREIGN_FILES.items():
        assert f"content/{name}" in result.stderr
        assert message in result.stderr


def test_check_reports_every_file_the_site_would_not_read(foreign_site: Path) -> None:
    assert_reported(invoke("check", "--content", str(foreign_site)))


def test_build_reports_them_and_keeps_the_last_good_output(foreign_site: Path, tmp_path: Path) -> None:
    output = build_site(ROOT / "tests" / "fixtures" / "site" / "content", tmp_path / "output")
    before = tree_digest(output)
    assert_reported(invoke("build", "--strict", "--content", str(foreign_site), "--output", str(output)))
    assert tree_digest(output) == before


def test_publish_reports_them_uploads_nothing_and_keeps_the_build(foreign_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "publish"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site" / "content", foreign_site.parent / "clean")
    first = invoke(
        "build",
        "--settings",
        "publishconf.py",
        "--content",
        str(foreign_site.parent / "clean"),
        "--output",
        str(output),
    )
    assert first.returncode == 0, first.stderr
    before = tree_digest(output)
    assert_reported(invoke("publish", "--content", str(foreign_site), "--output", str(output)))
    assert tree_digest(output) == before


def test_publish_refuses_a_build_that_moves_a_published_page(small_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "publish"
    first = invoke("build", "--settings", "publishconf.py", "--content", str(small_site), "--output", str(output))
    assert first.returncode == 0, first.stderr
    assert (output / MANIFEST_NAME).is_file()
    before = tree_digest(output)
    retitle(small_site, "Обсъждането на Наредбата за зелената система започна")
    result = invoke("publish", "--content", str(small_site), "--output", str(output))
    assert result.returncode == 2
    assert f"content/{NEWS}" in result.stderr
    assert f"страницата е публикувана на адрес /{NEWS_URL}" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(output) == before


def test_an_invalid_build_time_gets_a_usage_message_and_strict_is_a_flag() -> None:
    result = invoke("build", "--strict", "--build-time", "2026-13-01T10:00")
    assert result.returncode == 2
    assert "невалиден --build-time „2026-13-01T10:00“" in result.stderr
    assert "Traceback" not in result.stderr and "needs value" not in result.stderr
    cli = subprocess.run(
        [sys.executable, "-m", "uchastvai.build", "--build-time", "2026-13-01T10:00"],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert cli.returncode == 2
    assert "usage:" in cli.stderr and "невалиден --build-time" in cli.stderr
    assert "Traceback" not in cli.stderr


# --------------------------------------------------------------------------- reader failures and Pelican's lines


def test_a_reader_failure_is_a_bulgarian_problem_of_the_file_not_an_exception(tmp_path: Path) -> None:
    from pelican.settings import DEFAULT_CONFIG

    from uchastvai.content.problems import Problem
    from uchastvai.content.reader import FrontMatterReader

    (tmp_path / "news" / "not-a-file.md").mkdir(parents=True)
    reader = FrontMatterReader({**DEFAULT_CONFIG, "PATH": str(tmp_path), "MARKDOWN": {}})
    body, metadata = reader.read(str(tmp_path / "news" / "not-a-file.md"))
    problems = [Problem.from_dict(data) for data in metadata["front_matter_problems"]]
    assert body == ""
    assert [p.render() for p in problems] == [
        "Грешка: файлът не може да бъде прочетен; проверете дали е текстов файл в UTF-8 с полетата между два реда ---."
    ]


@pytest.mark.parametrize(
    ("logger", "message"),
    [
        ("pelican.generators", "Could not process %s"),
        ("pelican.utils", 'There are %s items "%s" with lang %s'),
        ("pelican.readers", "Empty alt attribute for image %s in %s"),
    ],
)
def test_pelicans_english_lines_are_left_to_the_bulgarian_report(
    caplog: pytest.LogCaptureFixture, logger: str, message: str
) -> None:
    import logging

    from uchastvai import pelican_log

    pelican_log.install()
    logging.getLogger(logger).warning(message, *(["x"] * message.count("%s")))
    logging.getLogger(logger).warning("Something else from %s", logger)  # Pelican drops repeated lines itself
    assert [record.getMessage() for record in caplog.records] == [f"Something else from {logger}"]


def test_the_build_prints_no_english_summary_line(
    small_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_site(small_site, tmp_path / "output")
    captured = capsys.readouterr()
    assert "Done: Processed" not in captured.out + captured.err


def test_check_compares_the_addresses_with_the_last_published_build(small_site: Path, tmp_path: Path) -> None:
    published = tmp_path / "publish"
    first = invoke("build", "--settings", "publishconf.py", "--content", str(small_site), "--output", str(published))
    assert first.returncode == 0, first.stderr
    retitle(small_site, "Обсъждането на Наредбата за зелената система започна")
    preview = invoke("check", "--content", str(small_site), "--published", str(published))
    assert preview.returncode == 0, preview.stderr
    assert f"Предупреждение: страницата е публикувана на адрес /{NEWS_URL}" in preview.stderr
    strict = invoke("check", "--strict", "--content", str(small_site), "--published", str(published))
    assert strict.returncode == 2
    assert f"Грешка: страницата е публикувана на адрес /{NEWS_URL}" in strict.stderr
    assert f"content/{NEWS}" in strict.stderr


# --------------------------------------------------------------------------- progress


@pytest.mark.parametrize(("paid", "percent"), [("178962.40", 99), ("179739.99", 99), ("179740.00", 100), ("0.01", 0)])
def test_money_progress_is_never_rounded_up_to_100_before_everything_is_paid(paid: str, percent: int) -> None:
    from tests.factories import PROJECT, make
    from uchastvai.content.schema import Project
    from uchastvai.facts.derive import derive_project

    item = Project.model_validate(make(PROJECT, budget={**PROJECT["budget"], "paid": paid}))
    facts = derive_project(item, BUILD_TIME, ROOT / "content")
    assert next(p.percent for p in facts.progress if p.basis == "money") == percent


# --------------------------------------------------------------------------- template text


def test_a_scaffold_published_without_being_written_is_stopped(small_site: Path, tmp_path: Path) -> None:
    from datetime import date

    from tests.conftest import fixture_settings
    from uchastvai.content.scaffold import create

    path = create("news", small_site, date(2026, 11, 25), fixture_settings("site"))
    path.write_text(path.read_text(encoding="utf-8").replace("draft: yes\n", ""), encoding="utf-8")
    with pytest.raises(ContentInvalid) as stopped:
        build_site(small_site, tmp_path / "output")
    found = sorted((p.code, str(p.field)) for p in stopped.value.problems)
    assert found == [
        ("placeholder_field", "('summary',)"),
        ("placeholder_field", "('title',)"),
        ("placeholder_text", "()"),
    ]


def test_a_foreign_file_is_a_warning_in_the_preview_and_an_error_when_publishing(
    small_site: Path, tmp_path: Path
) -> None:
    shutil.copy(BROKEN / "news" / "written-in-word.docx", small_site / "news" / "written-in-word.docx")
    result = build(
        SETTINGS, tmp_path / "preview", BUILD_TIME, extra_settings=isolated(small_site, tmp_path / "preview")
    )
    assert codes(result.warnings) == [("word_document", "warning", "content/news/written-in-word.docx")]
    with pytest.raises(ContentInvalid) as stopped:
        build_site(small_site, tmp_path / "publish", STRICT_VALIDATION=True)
    assert codes(stopped.value.problems) == [("word_document", "error", "content/news/written-in-word.docx")]


def test_a_file_beside_an_item_that_its_text_links_is_published_not_reported(small_site: Path, tmp_path: Path) -> None:
    shutil.copy(small_site / "images" / "gerb.svg", small_site / "news" / "snimka.svg")
    path = small_site / NEWS
    path.write_text(path.read_text(encoding="utf-8") + "\n![Герб]({attach}snimka.svg)\n", encoding="utf-8")
    output = build_site(small_site, tmp_path / "output", STRICT_VALIDATION=True)
    assert list(output.rglob("snimka.svg"))


@pytest.mark.parametrize(
    ("name", "code", "expected"),
    [
        ("belezhka.md", "unknown_folder", "consultations, projects, ideas, news, pages, documents, images"),
        ("stari/2026-001.md", "unknown_folder_type", "content/consultations/"),
        ("news/statia.markdown.txt", "double_extension", "statia.md"),
        ("news/statia.TXT", "text_file", "statia.md"),
        ("pages/za-nas.odt", "word_document", "pages"),
        ("consultations/proekt.pdf", "attachment_in_text_folder", ""),
    ],
)
def test_each_file_the_site_would_not_read_says_what_to_do(
    small_site: Path, name: str, code: str, expected: str
) -> None:
    from pelican.settings import read_settings

    from uchastvai.content.intake import unread_files

    path = small_site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    source = small_site / "consultations" / "2026-001-naredba.md"
    path.write_bytes(source.read_bytes() if name.startswith("stari/") else b"%PDF-1.4")
    read = {p.resolve() for p in small_site.rglob("*") if p.is_file() and p != path}
    problems = unread_files(small_site, read, read_settings(str(SETTINGS)))
    assert [(p.code, p.severity.value, p.source, p.expected) for p in problems] == [
        (code, "warning", f"content/{name}", expected)
    ]
