"""The exports validate against their generated schemas; the CSV reads back in a spreadsheet's way."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from tests.conftest import read_html
from tests.feeds.conftest import PUBLISHED_URL
from uchastvai.content.schema import Consultation, Project
from uchastvai.core.money import to_eur

DATASETS = ("konsultatsii", "proekti", "idei")


def load(output: Path, name: str) -> dict:
    return json.loads((output / f"danni/{name}.json").read_text(encoding="utf-8"))


def schema_of(output: Path, name: str) -> dict:
    return json.loads((output / f"danni/schema/{name}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", DATASETS)
def test_each_export_validates_against_its_published_schema(published_site: Path, name: str) -> None:
    schema = schema_of(published_site, name)
    Draft202012Validator.check_schema(schema)
    data = load(published_site, name)
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(data)
    assert data["count"] == len(data["items"]) > 0
    assert data["schema_url"] == schema["$id"] == f"{PUBLISHED_URL}/danni/schema/{name}.schema.json"
    assert data["license"]["name"] == "CC BY 4.0"


def test_the_schema_is_generated_from_the_content_models(published_site: Path) -> None:
    record = schema_of(published_site, "proekti")["$defs"]["ProjectRecord"]
    assert set(Project.model_fields) <= set(record["properties"])
    assert {"page", "guid", "state", "budget_eur"} <= set(record["properties"])
    assert record["properties"]["title"]["title"] == "Заглавие", "titles are translated for Bulgarian readers"
    consultation = schema_of(published_site, "konsultatsii")["$defs"]["ConsultationRecord"]
    assert set(consultation["required"]) >= {name for name, f in Consultation.model_fields.items() if f.is_required()}


def test_a_record_that_breaks_the_schema_is_rejected(published_site: Path) -> None:
    schema = schema_of(published_site, "konsultatsii")
    data = load(published_site, "konsultatsii")
    data["items"][0]["state"] = "maybe"
    assert list(Draft202012Validator(schema).iter_errors(data))


def test_project_money_is_there_in_the_original_currency_and_in_euro(published_site: Path) -> None:
    projects = load(published_site, "proekti")["items"]
    in_leva = [p for p in projects if p["budget"]["currency"] == "BGN"]
    assert in_leva, "the sample has a contract in leva"
    for project in projects:
        budget, euro = project["budget"], project["budget_eur"]
        assert Decimal(euro["total"]) == to_eur(Decimal(budget["total"]), budget["currency"])
        assert Decimal(euro["paid"]) == to_eur(Decimal(budget["paid"]), budget["currency"])
        assert euro["total"].count(".") == 1 and len(euro["total"].split(".")[1]) == 2


@pytest.mark.parametrize("name", DATASETS)
def test_the_csv_has_a_bom_and_reads_back_with_the_same_records(published_site: Path, name: str) -> None:
    raw = (published_site / f"danni/{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    items = load(published_site, name)["items"]
    assert [row["guid"] for row in rows] == [item["guid"] for item in items]
    assert [row["title"] for row in rows] == [item["title"] for item in items]


def test_csv_flattens_money_and_keeps_lists_readable(published_site: Path) -> None:
    raw = (published_site / "danni/proekti.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    items = {item["guid"]: item for item in load(published_site, "proekti")["items"]}
    for row in rows:
        item = items[row["guid"]]
        assert row["budget.total"] == item["budget"]["total"]
        assert row["budget_eur.total"] == item["budget_eur"]["total"]
        assert json.loads(row["milestones"] or "[]") == item["milestones"]
        assert row["aims"].split(" | ") == item["aims"] or not item["aims"]


def test_the_data_page_documents_files_columns_and_licence(published_site: Path) -> None:
    page = read_html(published_site, "danni/")
    hrefs = {a["href"] for a in page.select("a[href]")}
    for name in DATASETS:
        assert {f"{PUBLISHED_URL}/danni/{name}.json", f"{PUBLISHED_URL}/danni/{name}.csv"} <= hrefs
        assert f"{PUBLISHED_URL}/danni/schema/{name}.schema.json" in hrefs
    assert page.select_one('a[rel="license"]')["href"].startswith("https://creativecommons.org/licenses/by/4.0/")
    codes = {code.get_text() for code in page.select("code")}
    assert {"budget.total", "budget_eur.total", "closes", "deadline"} <= codes


def test_the_licence_is_a_setting(small_site: Path, tmp_path: Path) -> None:
    from tests.conftest import build_site, fixture_settings

    licence = {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
    output = build_site(small_site, tmp_path / "out", DATA_LICENSE=licence, **fixture_settings("site"))
    assert load(output, "konsultatsii")["license"] == licence


_JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
_JSON_VALUES = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    head=st.dictionaries(st.text(), _JSON_VALUES, min_size=1, max_size=4),
    items=st.lists(st.dictionaries(st.text(), _JSON_VALUES, max_size=4), max_size=4),
)
def test_an_export_assembled_from_kept_records_is_the_export_dumped_at_once(
    head: dict[str, Any], items: list[dict[str, Any]]
) -> None:
    """Each record is serialised once and kept between builds; the file assembled from them
    must be byte for byte what ``json.dumps`` makes of the whole export (strange text included)."""
    from uchastvai.outputs.opendata import _dump, dump_export

    data = {key: value for key, value in head.items() if key != "items"} | {"items": items}
    if len(data) == 1:
        data = {"title": "x", "items": items}
    serialised = [json.dumps(item, ensure_ascii=False, indent=2) for item in items]
    assert dump_export(data, serialised) == _dump(data)
