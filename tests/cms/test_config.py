"""The editor's configuration is generated from the schema, and what Decap writes reads back."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from tests.conftest import ROOT, build_site
from uchastvai.content.reader import parse_front_matter
from uchastvai.content.schema import CONTENT_TYPES, Consultation, Project, nested_model
from uchastvai.content.validation import SourceFile, validate_file
from uchastvai.core.i18n import gettext
from uchastvai.editors import cms

CONFIG = cms.cms_config({"SITEURL": "http://127.0.0.1:8000"})


def walk(model: type[BaseModel], fields: list[dict[str, Any]], path: str, required_parent: bool = True) -> int:
    """Check every schema field of ``model`` against the editor's fields; return how many."""
    by_name = {entry["name"]: entry for entry in fields}
    count = 0
    for name, info in model.model_fields.items():
        where = f"{path}.{name}"
        assert name in by_name, f"{where} is missing from the editor"
        entry = by_name[name]
        assert entry["label"] == gettext(info.title), where
        assert entry.get("hint", "") == gettext(info.description or ""), where
        if required_parent and info.is_required():
            assert entry["required"] is True, where
        if not info.is_required() and tuple(where.split(".")) not in cms._REQUIRED_IN_EDITOR:
            assert entry["required"] is False, where
        count += 1
        inner = nested_model(info.annotation)
        if inner is not None:
            assert entry["widget"] in ("list", "object"), where
            count += walk(inner, entry["fields"], where, required_parent and info.is_required())
    return count


def test_every_field_of_every_type_is_in_the_editor_with_its_label_hint_and_required_flag() -> None:
    collections = {collection["name"]: collection for collection in CONFIG["collections"]}
    assert set(collections) == {model.folder for model in CONTENT_TYPES.values()}
    total = 0
    for model in CONTENT_TYPES.values():
        collection = collections[model.folder]
        assert collection["folder"] == f"content/{model.folder}"
        assert collection["label"] == gettext(model.label_plural)
        assert collection["fields"][-1]["name"] == "body"
        total += walk(model, collection["fields"][:-1], model.type_name)
    assert total > 100


def test_a_field_added_to_the_schema_appears_in_the_editor() -> None:
    class WithExtra(Consultation):
        website: str | None = Consultation.model_fields["area"]

    fields = cms.model_fields(WithExtra, "bg", "consultation")
    assert fields[-1]["name"] == "website" and fields[-1]["widget"] == "string"


def field(collection: str, *names: str) -> dict[str, Any]:
    fields = next(c for c in CONFIG["collections"] if c["name"] == collection)["fields"]
    for name in names:
        entry = next(entry for entry in fields if entry["name"] == name)
        fields = entry.get("fields", [])
    return entry


def test_widgets_follow_the_types() -> None:
    assert field("consultations", "id")["pattern"][0] == r"^\d{4}-\d{3}$"
    assert field("ideas", "id")["pattern"][0] == r"^И-\d{4}-\d{3}$"
    assert field("consultations", "opens")["widget"] == "datetime"
    assert field("consultations", "opens")["format"] == "YYYY-MM-DD"
    assert field("consultations", "hearings", "start")["format"] == "YYYY-MM-DD HH:mm"
    assert field("projects", "budget", "total")["pattern"][0] == cms._AMOUNT
    assert field("projects", "milestones")["widget"] == "list"
    assert field("projects", "indicators", "target")["widget"] == "string"
    assert field("consultations", "contacts")["min"] == 1
    assert field("consultations", "kind")["options"][0] == {
        "label": "Наредба или друг нормативен акт",
        "value": "regulation",
    }
    document = field("consultations", "documents", "file")
    assert (document["widget"], document["media_folder"], document["public_folder"]) == (
        "file",
        "/content/documents",
        "documents",
    )
    assert field("news", "images", "file")["widget"] == "image"
    # Inside an optional group nothing is required before saving (an outcome not yet known).
    assert field("consultations", "outcome", "proposals_received")["required"] is False


def test_the_files_decap_writes_are_read_like_hand_written_ones(tmp_path: Path) -> None:
    """Decap's own YAML library (npm yaml, as Decap calls it) writes the front matter."""
    data = {
        "title": "Проект: нова наредба",
        "summary": "Първи ред\nвтори ред",
        "sample": "yes",
        "draft": "no",
        "code": "BG16FFPR002-4.001-0077-C01",
        "programme": "Програма „Развитие на регионите“ 2021-2027",
        "period": "2021-2027",
        "fund": "ERDF",
        "beneficiary": "Община",
        "contract": {"number": "0077", "date": "2026-06-15"},
        "start": "2026-07-01",
        "end": "2027-12-31",
        "budget": {
            "currency": "EUR",
            "total": "0700",
            "grant_eu": "500.50",
            "grant_national": "199.50",
            "own": "0",
            "paid": "0",
        },
        "indicators": [{"name": "Сгради", "unit": "бр.", "target": "1"}],
        "milestones": [{"date": "2026-07-01", "title": "Начало", "done": "no"}],
        "updated": "2026-11-20",
    }
    script = (
        "const yaml = require('yaml'); const data = JSON.parse(process.argv[1]);"
        "const doc = new yaml.Document(); doc.contents = yaml.createNode(data); process.stdout.write(doc.toString());"
    )
    written = subprocess.run(
        ["node", "-e", script, json.dumps(data)],
        cwd=cms.PACKAGE,
        capture_output=True,
        encoding="utf-8",
        check=True,
        env={"NODE_PATH": str(cms.PACKAGE / "node_modules"), "PATH": "/usr/bin:/bin"},
    ).stdout
    read, lines, problems = parse_front_matter(written)
    assert problems == []
    assert read == data
    item, errors = validate_file(SourceFile("projects/x.md", Project, read, lines))
    assert errors == [] and item is not None
    assert str(item.budget.total) == "700.00" and item.sample is True and item.milestones[0].done is False


def test_the_preview_build_has_the_editor_and_its_policy(tmp_path: Path) -> None:
    if not cms.bundle_files():
        pytest.fail("the editor bundle is missing: ./dev.sh test installs it (npm ci --prefix admin)")
    output = build_site(ROOT / "content", tmp_path / "out")
    admin = output / cms.ADMIN
    assert (admin / "decap-cms.js").is_file()
    assert not list(admin.glob("*.map"))
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "proxy", "proxy_url": cms.LOCAL_PROXY}
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert "connect-src &#x27;self&#x27; blob: data: http://127.0.0.1:8081;" in page
    script = (admin / "uchastvai-admin.js").read_text(encoding="utf-8")
    stylesheet = re.search(r'registerPreviewStyle\("([^"]+)"\)', script).group(1)
    assert stylesheet.endswith(".css") and (output / stylesheet.lstrip("/")).is_file()


def test_the_published_site_has_an_editor_only_with_a_git_host(tmp_path: Path) -> None:
    settings = {"CMS_BACKEND": None}
    cms.write_admin(tmp_path, settings)
    assert not (tmp_path / cms.ADMIN).exists()
    gitea = {
        "name": "gitea",
        "repo": "obshtina/uchastvai",
        "base_url": "https://git.obshtina.example",
        "api_root": "https://git.obshtina.example/api/v1",
    }
    cms.write_admin(tmp_path, {"CMS_BACKEND": gitea, "THEME": str(ROOT / "theme")})
    config = yaml.safe_load((tmp_path / cms.ADMIN / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == gitea
    assert "connect-src 'self' blob: data: https://git.obshtina.example;" in cms.admin_csp({"CMS_BACKEND": gitea})
