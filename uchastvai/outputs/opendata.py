"""Open data: JSON and CSV exports of consultations, projects and ideas, with JSON Schemas.

The export records are the validated items as editors wrote them (the same pydantic
models that validate the content), plus a few derived facts (page, identifier, state,
money in euro). Their JSON Schema is generated from those models with pydantic, never
written by hand, so a new field in :mod:`uchastvai.content.schema` appears in the data, the
schema, the CSV columns and the documentation page at once.

Formats (documented on the data page):
* JSON: UTF-8; amounts as strings with a dot and two decimals („179740.00“), so no
  client turns cents into binary fractions; dates ISO 8601, date-times with the offset.
* CSV: RFC 4180 (comma, CRLF, quotes), UTF-8 *with* BOM so spreadsheet programs read the
  Cyrillic correctly; dot decimals as in JSON; nested objects become ``parent.child``
  columns, lists of text are joined with `` | ``, lists of objects are JSON in one cell.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pelican.generators import Generator
from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from uchastvai.content.schema import CONTENT_TYPES, nested_model
from uchastvai.content.vocabulary import ConsultationState, ProjectState
from uchastvai.core.dates import local
from uchastvai.core.i18n import N_, gettext
from uchastvai.core.paths import PATHS
from uchastvai.core.written import announce
from uchastvai.facts.urls import absolute_url, municipality_name, stable_id
from uchastvai.outputs.calendar import item_calendar_path
from uchastvai.outputs.feeds import item_feed, site_tag
from uchastvai.outputs.incremental import AsRead, remembered

DATA_DIR = PATHS.data.rstrip("/")
EXPORT_TYPES = ("consultation", "project", "idea")
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DEFAULT_LICENSE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/deed.bg"}
LIST_SEPARATOR = " | "
CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM: spreadsheets then read Cyrillic right


def data_license(settings: dict[str, Any]) -> dict[str, str]:
    """``DATA_LICENSE`` setting (``name`` and ``url``), CC BY 4.0 unless configured otherwise."""
    return {**DEFAULT_LICENSE, **settings.get("DATA_LICENSE", {})}


# --------------------------------------------------------------------------- record models


def derived(label: str, help: str, **kwargs: Any) -> Any:
    return Field(title=label, description=help, **kwargs)


class EuroAmounts(BaseModel):
    """A project's money converted once to euro at 1,95583 (GUIDE §3)."""

    model_config = ConfigDict(extra="forbid", title="EuroAmounts")

    total: Decimal = derived(N_("Total value"), N_("In euro."))
    grant: Decimal = derived(N_("Grant"), N_("EU and national share together, in euro."))
    grant_eu: Decimal = derived(N_("Grant: EU share"), N_("In euro."))
    grant_national: Decimal = derived(N_("Grant: national share"), N_("In euro."))
    own: Decimal = derived(N_("Own co-financing"), N_("In euro."))
    paid: Decimal = derived(N_("Paid to date"), N_("In euro."))


class ProgressRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", title="Progress")

    basis: typing.Literal["time", "money", "milestones"] = derived(
        N_("Measured by"), N_("time elapsed, money paid or milestones done.")
    )
    percent: int = derived(N_("Percent"), N_("0 to 100."))


_COMMON: dict[str, Any] = {
    "page": (str, derived(N_("Page"), N_("Address of the item's page on the site."))),
    "guid": (str, derived(N_("Permanent identifier"), N_("Never changes; the same as in the feeds and calendars."))),
}
_EXTRAS: dict[str, dict[str, Any]] = {
    "consultation": {
        "state": (ConsultationState, derived(N_("State"), N_("Derived from the dates at the time of the export."))),
        "state_label": (str, derived(N_("State (text)"), N_("The state as the site shows it."))),
        "deadline": (datetime, derived(N_("Deadline"), N_("The last moment for proposals, Europe/Sofia time."))),
        "period_days": (int, derived(N_("Period in days"), N_("Days from the day after publication to the deadline."))),
        "feed": (str, derived(N_("Feed"), N_("Atom feed of this consultation."))),
        "calendar": (str, derived(N_("Calendar"), N_("Deadline and hearings as an iCalendar file."))),
    },
    "project": {
        "state": (ProjectState, derived(N_("State"), N_("Derived from the dates at the time of the export."))),
        "state_label": (str, derived(N_("State (text)"), N_("The state as the site shows it."))),
        "budget_eur": (EuroAmounts, derived(N_("Budget in euro"), N_("Every amount of the budget in euro."))),
        "progress": (list[ProgressRecord], derived(N_("Progress"), N_("Progress by time, money and milestones."))),
        "feed": (str, derived(N_("Feed"), N_("Atom feed of this project."))),
    },
    "idea": {
        "state_label": (str, derived(N_("State (text)"), N_("The state as the site shows it."))),
        "estimated_cost_eur": (
            Decimal | None,
            derived(N_("Estimated cost in euro"), N_("The estimate converted to euro."), default=None),
        ),
    },
}


def record_model(type_name: str) -> type[BaseModel]:
    """The content model of ``type_name`` plus the derived fields of its export."""
    model = CONTENT_TYPES[type_name]
    return create_model(f"{model.__name__}Record", __base__=model, **_COMMON, **_EXTRAS[type_name])


class LicenceInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", title="Licence")

    name: str = derived(N_("Licence"), N_("Name of the licence, e.g. CC BY 4.0."))
    url: str = derived(N_("Licence text"), N_("Address of the licence."))


def export_model(type_name: str) -> type[BaseModel]:
    """The whole export file: who publishes it, under which licence, and the records."""
    model = CONTENT_TYPES[type_name]
    return create_model(
        f"{model.__name__}Export",
        __config__=ConfigDict(extra="forbid"),
        title=(str, derived(N_("Title"), N_("What the file contains."))),
        publisher=(str, derived(N_("Publisher"), N_("The municipality that publishes the data."))),
        license=(LicenceInfo, derived(N_("Licence"), N_("Terms of reuse."))),
        source=(str, derived(N_("Source"), N_("The site the data comes from."))),
        schema_url=(str, derived(N_("Schema"), N_("Address of this JSON Schema."))),
        generated=(datetime, derived(N_("Generated"), N_("Time of the build that wrote the file."))),
        count=(int, derived(N_("Count"), N_("Number of records."))),
        items=(list[record_model(type_name)], derived(model.label_plural, N_("The records."))),
    )


# --------------------------------------------------------------------------- JSON values


def jsonable(value: Any) -> Any:
    """Plain JSON values: enums by value, exact decimals as strings, date-times with offset."""
    if isinstance(value, BaseModel):
        return {name: jsonable(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return local(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {key: jsonable(v) for key, v in value.items()}
    return value


def extras(settings: dict[str, Any], content: Any) -> dict[str, Any]:
    """The derived fields of one record, read from the facts (never recomputed here)."""
    item, facts = content.item, content.facts
    values: dict[str, Any] = {
        "page": absolute_url(settings, content.url),
        "guid": stable_id(settings, content),
    }
    if item.type_name == "consultation":
        values |= {
            "state": facts.state,
            "state_label": facts.state_label,
            "deadline": facts.deadline,
            "period_days": facts.period_days,
            "feed": item_feed(settings, content).url(settings, "atom"),
            "calendar": absolute_url(settings, item_calendar_path(content)),
        }
    elif item.type_name == "project":
        values |= {
            "state": facts.state,
            "state_label": facts.state_label,
            "budget_eur": {name: getattr(facts, name).eur for name in EuroAmounts.model_fields},
            "progress": [{"basis": p.basis, "percent": p.percent} for p in facts.progress],
            "feed": item_feed(settings, content).url(settings, "atom"),
        }
    elif item.type_name == "idea":
        values |= {"state_label": facts.state_label, "estimated_cost_eur": facts.cost.eur if facts.cost else None}
    return values


def record(settings: dict[str, Any], content: Any) -> dict[str, Any]:
    return exported(settings, content)[0]


def exported(settings: dict[str, Any], content: Any) -> tuple[dict[str, Any], str]:
    """One item's record and its JSON text as :func:`_dump` writes it at the top level; kept
    between builds while the item as read and the derived fields it shows are the same (not
    every fact of the day: a project's days elapsed are not in its record)."""
    derived = extras(settings, content)

    def make() -> tuple[dict[str, Any], str]:
        data = jsonable(content.item) | jsonable(derived)
        return data, json.dumps(data, ensure_ascii=False, indent=2)

    return remembered(settings, ("open data record", AsRead(content), derived), make)


# --------------------------------------------------------------------------- CSV


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def columns(model: type[BaseModel], prefix: str = "") -> list[tuple[str, FieldInfo]]:
    """CSV columns from the model: nested objects flattened as ``parent.child``."""
    result: list[tuple[str, FieldInfo]] = []
    for name, info in model.model_fields.items():
        nested = nested_model(info.annotation, through_lists=False)
        if nested is not None:
            result += columns(nested, f"{prefix}{name}.")
        else:
            result.append((f"{prefix}{name}", info))
    return result


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return LIST_SEPARATOR.join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _lookup(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def to_csv(records: list[dict[str, Any]], model: type[BaseModel]) -> str:
    """RFC 4180 text (without the BOM, which the writer adds as the encoding)."""
    names = [name for name, _ in columns(model)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for data in records:
        writer.writerow([cell(_lookup(data, name)) for name in names])
    return buffer.getvalue()


# --------------------------------------------------------------------------- JSON Schema


def translate_schema(node: Any, lang: str) -> Any:
    """Titles and descriptions in the site's language (property names stay as in the data)."""
    if isinstance(node, dict):
        return {
            key: gettext(value, lang)
            if key in ("title", "description") and isinstance(value, str)
            else translate_schema(value, lang)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [translate_schema(value, lang) for value in node]
    return node


def json_schema(settings: dict[str, Any], type_name: str) -> dict[str, Any]:
    """The published JSON Schema of an export file, generated from the models."""
    generated = export_model(type_name).model_json_schema(mode="serialization")
    schema = {"$schema": JSON_SCHEMA_DIALECT, "$id": absolute_url(settings, schema_path(type_name))}
    schema |= translate_schema(generated, settings.get("DEFAULT_LANG", "bg"))
    return schema


# --------------------------------------------------------------------------- files


def dataset_name(type_name: str) -> str:
    """``konsultatsii``, ``proekti``, ``idei``: the section's Latin name."""
    return CONTENT_TYPES[type_name].section


def data_path(type_name: str, extension: str) -> str:
    return f"{DATA_DIR}/{dataset_name(type_name)}.{extension}"


def schema_path(type_name: str) -> str:
    return f"{DATA_DIR}/schema/{dataset_name(type_name)}.schema.json"


def export(settings: dict[str, Any], catalog: Any, type_name: str) -> dict[str, Any]:
    """The content of ``danni/<section>.json``."""
    model = CONTENT_TYPES[type_name]
    municipality = municipality_name(settings)
    records = [record(settings, content) for content in catalog.items(type_name)]
    return {
        "title": f"{gettext(model.label_plural)} – {municipality}",
        "publisher": municipality,
        "license": data_license(settings),
        "source": absolute_url(settings, ""),
        "schema_url": absolute_url(settings, schema_path(type_name)),
        "generated": local(catalog.build_time).isoformat(),
        "count": len(records),
        "items": records,
    }


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dump_export(data: dict[str, Any], items_json: list[str]) -> str:
    """What :func:`_dump` makes of ``data`` whose ``items`` (the last key) are the records
    serialised in ``items_json``: each one is indented two levels deeper, which is all that
    nesting changes in ``json.dumps`` (strings never hold a raw line break)."""
    head = {key: value for key, value in data.items() if key != "items"}
    if not head or list(data)[-1] != "items" or len(items_json) != len(data["items"]):
        raise ValueError("the records must be the export's last field")
    text = _dump(head)
    nested = ",\n".join("\n".join(f"    {line}" for line in item.split("\n")) for item in items_json)
    items = f'"items": [\n{nested}\n  ]' if items_json else '"items": []'
    return f"{text[: -len(CLOSING)]},\n  {items}{CLOSING}"


CLOSING = "\n}\n"


def write_data(settings: dict[str, Any], catalog: Any, output: Path) -> list[Path]:
    """JSON, CSV and JSON Schema of every exported type; returns the files written."""
    written: list[Path] = []
    for type_name in EXPORT_TYPES:
        data = export(settings, catalog, type_name)
        items_json = [exported(settings, content)[1] for content in catalog.items(type_name)]
        files = {
            data_path(type_name, "json"): dump_export(data, items_json).encode("utf-8"),
            data_path(type_name, "csv"): to_csv(data["items"], record_model(type_name)).encode(CSV_ENCODING),
            schema_path(type_name): _dump(json_schema(settings, type_name)).encode("utf-8"),
        }
        for path, payload in files.items():
            target = output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
            written.append(target)
    return written


def dataset_docs(settings: dict[str, Any], catalog: Any, output: Path) -> list[dict[str, Any]]:
    """What the data page shows of each dataset: files with sizes, columns with their meaning."""
    docs = []
    for type_name in EXPORT_TYPES:
        model = record_model(type_name)
        files = [
            (kind, absolute_url(settings, path), (output / path).stat().st_size)
            for kind, path in (
                ("JSON", data_path(type_name, "json")),
                ("CSV", data_path(type_name, "csv")),
                ("JSON Schema", schema_path(type_name)),
            )
        ]
        fields = [(name, gettext(info.title or name), gettext(info.description or "")) for name, info in columns(model)]
        docs.append(
            {
                "type_name": type_name,
                "title": gettext(CONTENT_TYPES[type_name].label_plural),
                "count": len(catalog.items(type_name)),
                "files": files,
                "columns": fields,
            }
        )
    return docs


class OpenDataGenerator(Generator):
    """Writes ``/danni/``: the exports, their schemas and the page that documents them."""

    def generate_output(self, writer: Any) -> None:
        output = Path(self.output_path)
        catalog = self.context["catalog"]
        for path in write_data(self.settings, catalog, output):
            announce(path, self.context)
        writer.write_file(
            f"{DATA_DIR}/index.html",
            self.get_template("data"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            datasets=dataset_docs(self.settings, catalog, output),
            data_license=data_license(self.settings),
            dataset_id=site_tag(self.settings, "data"),
            page_url=f"{DATA_DIR}/",
        )
