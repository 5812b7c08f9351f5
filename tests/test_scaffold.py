"""`invoke new`: scaffolds from the schema that pass the check unchanged, as drafts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import BUILD_TIME, ROOT, fixture_settings, isolated
from uchastvai.build import build
from uchastvai.content.reader import parse_front_matter, split_front_matter
from uchastvai.content.scaffold import ScaffoldError, create

TODAY = date(2026, 11, 25)


def make(kind: str, content: Path, **given: str) -> Path:
    return create(kind, content, TODAY, fixture_settings("site"), **given)


@pytest.mark.parametrize(
    ("kind", "given"),
    [
        ("consultation", {"title": "Наредба за чистотата"}),
        ("project", {"code": "BG16FFPR003-2.001-0077-C01"}),
        ("idea", {}),
        ("news", {"title": "Нова детска площадка"}),
        ("page", {"title": "Често задавани въпроси"}),
    ],
)
def test_a_new_item_passes_even_the_strict_check_unchanged(
    small_site: Path, tmp_path: Path, kind: str, given: dict
) -> None:
    path = make(kind, small_site, **given)
    result = build(
        ROOT / "pelicanconf.py",
        tmp_path / "out",
        BUILD_TIME,
        strict=True,
        extra_settings=isolated(small_site, tmp_path / "out"),
    )
    assert {w.source for w in result.warnings} <= {f"content/{path.relative_to(small_site)}"}


def test_a_new_item_is_a_draft_kept_out_of_the_lists(small_site: Path, tmp_path: Path) -> None:
    make("consultation", small_site, title="Наредба за чистотата")
    result = build(
        ROOT / "pelicanconf.py", tmp_path / "out", BUILD_TIME, extra_settings=isolated(small_site, tmp_path / "out")
    )
    assert [c.item.id for c in result.catalog.consultations] == ["2026-001"]
    assert (result.output / "chernovi" / "naredba-za-chistotata" / "index.html").exists()


def test_every_field_of_the_type_is_offered_with_its_bulgarian_label(small_site: Path) -> None:
    text = make("consultation", small_site, title="Наредба за чистотата").read_text(encoding="utf-8")
    assert "# Заглавие (задължително): " in text
    assert "# Причина за по-кратък срок: Задължително, когато срокът е от 14 до 29 дни" in text
    assert "# short_period_reason:" in text
    assert "# hearings:" in text


def test_the_number_is_the_next_free_one_of_the_year(small_site: Path) -> None:
    first = make("consultation", small_site, title="Първа")
    second = make("consultation", small_site, title="Втора")
    numbers = []
    for path in (first, second):
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        numbers.append(parse_front_matter(front)[0]["id"])
    assert numbers == ["2026-002", "2026-003"]


def test_dates_start_today_with_the_legal_30_days(small_site: Path) -> None:
    front, _, _ = split_front_matter(make("consultation", small_site, title="Срок").read_text(encoding="utf-8"))
    data = parse_front_matter(front)[0]
    assert (data["opens"], data["closes"]) == ("2026-11-25", "2026-12-25")


def test_a_project_without_its_code_is_refused_in_bulgarian(small_site: Path) -> None:
    with pytest.raises(ScaffoldError, match="Проектът се създава с кода си от ИСУН"):
        make("project", small_site)


def test_an_unknown_kind_is_refused_in_bulgarian(small_site: Path) -> None:
    with pytest.raises(ScaffoldError, match="Непознат вид съдържание „event“"):
        make("event", small_site)


def test_the_address_is_written_into_the_new_file_so_a_corrected_title_keeps_it(small_site: Path) -> None:
    path = make("consultation", small_site, title="Наредба за чистотата")
    data, _, _ = parse_front_matter(split_front_matter(path.read_text(encoding="utf-8"))[0])
    assert data["slug"] == "naredba-za-chistotata"
    untitled = make("idea", small_site)
    data, _, _ = parse_front_matter(split_front_matter(untitled.read_text(encoding="utf-8"))[0])
    assert data["slug"] == data["id"].lower().replace("и", "i")  # the number, not the placeholder title
