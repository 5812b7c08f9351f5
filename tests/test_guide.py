"""The editors' guide at /pomosht/: every chapter published, references complete, examples valid."""

from __future__ import annotations

import re
import shutil
import typing
from collections.abc import Iterator
from enum import Enum
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pydantic import BaseModel

from tests.conftest import FIXTURES, ROOT, build_site, fixture_settings, read_html
from uchastvai.content.problems import MESSAGES
from uchastvai.content.schema import CONTENT_TYPES, ContentItem, Labelled
from uchastvai.content.slugs import slugify
from uchastvai.core.i18n import gettext
from uchastvai.editors.guide import GuideError, read_chapters
from uchastvai.facts.derive import ConsultationState, ProjectState, state_label
from uchastvai.plugin import ContentInvalid

CHAPTERS = sorted((ROOT / "docs" / "redaktori").glob("*.md"))
EXAMPLE = re.compile(r"^```[\w-]*\n(---\n.*?)^```", re.MULTILINE | re.DOTALL)
PLACEHOLDER = re.compile(r"(?<!\{)\{[a-z_]+\}(?!\})")


def chapter_title(path: Path) -> str:
    return path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")


def chapter_url(path: Path) -> str:
    return f"pomosht/{slugify(re.sub(r'^[0-9]+-', '', path.stem))}/"


# --------------------------------------------------------------------------- chapters


def test_there_is_a_chapter_for_each_part_of_an_editors_work() -> None:
    slugs = {chapter_url(path).split("/")[1] for path in CHAPTERS}
    assert {"vavedenie", "konsultatsii", "proekti", "idei", "novini", "stranitsi", "publikuvane"} <= slugs
    assert {"dokumenti-i-snimki", "otchet"} <= slugs


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_has_its_own_page_under_its_heading(sample_site: Path, chapter: Path) -> None:
    page = read_html(sample_site, chapter_url(chapter))
    assert page.find("h1").get_text(strip=True) == chapter_title(chapter)
    assert page.select_one("article .body h2, article .body p"), "the chapter's body is on the page"
    assert "```" not in page.select_one("article .body").get_text(), "a code block was not recognised"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_code_blocks_stand_on_their_own_and_not_inside_lists(chapter: Path) -> None:
    """Python-Markdown does not see a fenced block inside a list item: the list and block break."""
    assert not re.search(r"^ +```", chapter.read_text(encoding="utf-8"), re.MULTILINE)


def test_the_index_lists_every_chapter_in_order_and_both_references(sample_site: Path) -> None:
    page = read_html(sample_site, "pomosht/")
    listed = [link.get_text(strip=True) for link in page.select("ol.guide-chapters > li > a")]
    assert listed == [chapter_title(path) for path in CHAPTERS]
    hrefs = {link["href"] for link in page.select("article a")}
    assert {"http://127.0.0.1:8000/pomosht/poleta/", "http://127.0.0.1:8000/pomosht/greshki/"} <= hrefs


def test_links_in_the_chapters_lead_to_pages_that_exist(sample_site: Path) -> None:
    checked = 0
    for chapter in CHAPTERS:
        for link in read_html(sample_site, chapter_url(chapter)).select("article .body a[href]"):
            href = link["href"]
            assert not href.endswith(".md"), f"{chapter.name}: {href} was not turned into a page address"
            if href.startswith("http://127.0.0.1:8000/"):
                path = href.removeprefix("http://127.0.0.1:8000/").split("#")[0]
                assert (sample_site / path / "index.html").is_file(), f"{chapter.name}: {href}"
                checked += 1
    assert checked >= 10


def test_the_state_names_in_the_guide_are_the_ones_the_site_shows() -> None:
    consultations = (ROOT / "docs" / "redaktori" / "02-konsultatsii.md").read_text(encoding="utf-8")
    projects = (ROOT / "docs" / "redaktori" / "03-proekti.md").read_text(encoding="utf-8")
    for state in ConsultationState:
        assert state_label(state.value) in consultations
    for state in ProjectState:
        assert state_label(state.value) in projects


def test_a_chapter_cannot_take_the_address_of_a_reference_page(tmp_path: Path) -> None:
    (tmp_path / "01-greshki.md").write_text("# Грешки\n\nТекст.\n", encoding="utf-8")
    with pytest.raises(GuideError, match="greshki"):
        read_chapters(tmp_path, lambda path: path)


def test_a_chapter_must_start_with_its_title(tmp_path: Path) -> None:
    (tmp_path / "01-bez-zaglavie.md").write_text("Текст без заглавие.\n", encoding="utf-8")
    with pytest.raises(GuideError, match="title"):
        read_chapters(tmp_path, lambda path: path)


# --------------------------------------------------------------------------- field reference


def nested_model(annotation: typing.Any) -> type[BaseModel] | None:
    """The group model inside ``X``, ``X | None``, ``list[X]`` or ``Annotated[...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = nested_model(argument)
        if found:
            return found
    return None


def choices(annotation: typing.Any) -> type[Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    return next(filter(None, (choices(argument) for argument in typing.get_args(annotation))), None)


def all_fields(model: type[BaseModel], anchor: str) -> Iterator[tuple[str, typing.Any]]:
    """(anchor, FieldInfo) of every field, groups and their fields included."""
    for name, info in model.model_fields.items():
        yield f"{anchor}-{name}", info
        inner = nested_model(info.annotation)
        if inner:
            yield from all_fields(inner, f"{anchor}-{name}")


@pytest.fixture(scope="module")
def fields_page(sample_site: Path) -> BeautifulSoup:
    return read_html(sample_site, "pomosht/poleta/")


@pytest.mark.parametrize("type_name", list(CONTENT_TYPES))
def test_the_field_reference_lists_every_field_with_label_and_whether_required(
    fields_page: BeautifulSoup, type_name: str
) -> None:
    model: type[ContentItem] = CONTENT_TYPES[type_name]
    section = fields_page.find("section", id=type_name)
    assert section.find("h2").get_text(strip=True) == gettext(model.label_plural)
    assert f"content/{model.folder}/" in section.get_text()
    fields = list(all_fields(model, type_name))
    assert len(fields) >= len(model.model_fields)
    for anchor, info in fields:
        entry = section.find(id=f"field-{anchor}")
        assert entry is not None, anchor
        term = entry.find("dt").get_text(" ", strip=True)
        assert gettext(info.title) in term and anchor.rsplit("-", 1)[1] in term
        marker = entry.find("dd").find("strong").get_text(strip=True)
        assert marker == ("задължително" if info.is_required() else "по избор"), anchor
        if info.description:
            assert gettext(info.description) in entry.find("dd").get_text(" ")


def test_groups_are_shown_inside_their_field(fields_page: BeautifulSoup) -> None:
    hearings = fields_page.find(id="field-consultation-hearings")
    assert hearings.find(id="field-consultation-hearings-start") is not None
    decision = fields_page.find(id="field-consultation-outcome-decision")
    assert decision.find(id="field-consultation-outcome-decision-number") is not None
    budget = fields_page.find(id="field-project-budget")
    assert {"grant_eu", "grant_national", "own", "total", "paid"} <= {
        code.get_text() for code in budget.select("dt code")
    }


def test_every_choice_is_listed_with_its_value_and_translated_label(fields_page: BeautifulSoup) -> None:
    checked = 0
    for type_name, model in CONTENT_TYPES.items():
        for anchor, info in all_fields(model, type_name):
            enum = choices(info.annotation)
            if enum is None:
                continue
            listed = fields_page.find(id=f"field-{anchor}").find("ul", class_="guide-choices").get_text(" ")
            for member in enum:
                assert member.value in listed
                if isinstance(member, Labelled):
                    assert gettext(member.label) in listed
            checked += 1
    assert checked >= 5  # document type, kind, period, fund, idea state


# --------------------------------------------------------------------------- messages


def as_shown_in_the_guide(message: str) -> str:
    """The translated message with every placeholder as „…“, as the guide shows it."""
    return PLACEHOLDER.sub("…", gettext(message)).replace("{{", "{").replace("}}", "}")


@pytest.fixture(scope="module")
def errors_page(sample_site: Path) -> BeautifulSoup:
    return read_html(sample_site, "pomosht/greshki/")


@pytest.mark.parametrize("code", list(MESSAGES))
def test_the_messages_page_lists_every_message_translated_with_its_code_and_advice(
    errors_page: BeautifulSoup, code: str
) -> None:
    assert gettext(MESSAGES[code]) != MESSAGES[code], f"{code} has no Bulgarian text"
    entry = errors_page.find(id=code)
    assert entry is not None
    term = entry.find("dt")
    assert term.find("code").get_text() == code
    assert as_shown_in_the_guide(MESSAGES[code]) in term.get_text()
    assert "{" + "found}" not in term.get_text()
    advice = entry.find("dd")
    assert advice is not None and len(advice.get_text(strip=True)) > 10, f"{code} has no advice"


def test_messages_are_grouped_by_what_they_are_about(errors_page: BeautifulSoup) -> None:
    groups = {section.find("h2").get_text(strip=True): section for section in errors_page.select("article section")}
    assert list(groups) == [
        "Четене на файла",
        "Стойности на полетата",
        "Законови правила",
        "Съгласуваност, връзки и файлове",
    ]
    assert groups["Четене на файла"].find(id="yaml_syntax")
    assert groups["Стойности на полетата"].find(id="iso_date")
    assert groups["Законови правила"].find(id="period_too_short")
    assert groups["Съгласуваност, връзки и файлове"].find(id="money_sum")


# --------------------------------------------------------------------------- the examples teach a valid format


def examples() -> list[tuple[str, str]]:
    """(chapter, text) of every full example file in the chapters: a fenced block starting with ---."""
    return [(path.name, match) for path in CHAPTERS for match in EXAMPLE.findall(path.read_text(encoding="utf-8"))]


def content_type_of(text: str) -> type[ContentItem]:
    """The one content type whose fields the example uses, with all the required ones present."""
    front_matter = yaml.safe_load(text.split("---\n")[1])
    matching = [
        model
        for model in CONTENT_TYPES.values()
        if set(front_matter) <= set(model.model_fields)
        and all(name in front_matter for name, info in model.model_fields.items() if info.is_required())
    ]
    assert len(matching) == 1, f"fits {[model.type_name for model in matching]}: {text[:80]}"
    return matching[0]


def referenced_files(text: str) -> list[str]:
    """Files the example expects the editor to have put under content/."""
    listed = re.findall(r"^\s*(?:- )?file:\s*(\S+)\s*$", text, re.MULTILINE)
    linked = re.findall(r"\{static\}/?([^)\s\"']+)", text)
    return listed + linked


def test_every_content_type_has_a_full_example() -> None:
    assert {content_type_of(text).type_name for _chapter, text in examples()} == set(CONTENT_TYPES)


def test_the_examples_in_the_guide_pass_the_strict_check(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    for index, (chapter, text) in enumerate(examples()):
        model = content_type_of(text)
        (content / model.folder / f"primer-{index}-{Path(chapter).stem}.md").write_text(text, encoding="utf-8")
        for file in referenced_files(text):
            target = content / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"%PDF-1.4\n% example\n")
    try:
        output = build_site(content, tmp_path / "output", STRICT_VALIDATION=True, **fixture_settings("site"))
    except ContentInvalid as failure:
        pytest.fail(f"an example in the guide does not pass the check:\n{failure.report}")
    pages = map(html_of, output.rglob("index.html"))
    headings = {heading.get_text(strip=True) for page in pages for heading in page.find_all("h1")}
    for _chapter, text in examples():
        assert yaml.safe_load(text.split("---\n")[1])["title"] in headings, "each example is published as a page"


def html_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# The three mistakes the chapter on the report makes in the examples, as (type, file name, change).
MISTAKES = (
    ("consultation", "2026-014-naredba-obshtestven-red.md", (r"  - type: impact_assessment\n(?:    .*\n)+", "")),
    ("idea", "i-2026-007-aleya-do-garata.md", (r"received: 2026-10-05", "received: 05.10.2026")),
    ("project", "uchilishten-dvor.md", (r"own: 50000.00", "own: 5000.00")),
)


def test_the_report_shown_in_the_guide_is_what_the_check_prints(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", content)
    by_type = {content_type_of(text).type_name: text for _chapter, text in examples()}
    for type_name, name, (pattern, replacement) in MISTAKES:
        text = by_type[type_name]
        for file in referenced_files(text):
            (content / file).parent.mkdir(parents=True, exist_ok=True)
            (content / file).write_bytes(b"%PDF-1.4\n")
        broken = re.sub(pattern, replacement, text)
        assert broken != text
        (content / CONTENT_TYPES[type_name].folder / name).write_text(broken, encoding="utf-8")
    with pytest.raises(ContentInvalid) as stopped:
        build_site(content, tmp_path / "output", **fixture_settings("site"))
    chapter = (ROOT / "docs" / "redaktori" / "09-otchet.md").read_text(encoding="utf-8")
    shown = re.search(r"^```\n(Проверка на съдържанието.*?)\n```", chapter, re.MULTILINE | re.DOTALL).group(1)
    assert stopped.value.report.replace("\u00a0", " ") == shown.replace("\u00a0", " ")  # no-break spaces in sums


# --------------------------------------------------------------------------- working without a terminal


def test_the_guide_covers_the_web_editor_windows_publishing_corrections_and_drafts() -> None:
    slugs = {chapter_url(path).split("/")[1] for path in CHAPTERS}
    assert {"ueb-redaktor", "kopie-i-windows", "ot-redaktora-do-sayta", "popravki-i-svalyane"} <= slugs
    text = "\n".join(path.read_text(encoding="utf-8") for path in CHAPTERS)
    for words in ("/chernovi/", "git pull", "WSL", "Notepad++", "proposals_received: 0", "{static}/images/", "aliases"):
        assert words in text, words


def test_screenshots_of_the_web_editor_are_shown_in_the_chapters(sample_site: Path) -> None:
    chapter = ROOT / "docs" / "redaktori" / "10-ueb-redaktor.md"
    images = read_html(sample_site, chapter_url(chapter)).select("article .body img")
    assert len(images) >= 4
    for image in images:
        assert image["alt"].strip()
        path = image["src"].removeprefix("http://127.0.0.1:8000/")
        assert path.startswith("pomosht/snimki/") and (sample_site / path).is_file(), image["src"]
