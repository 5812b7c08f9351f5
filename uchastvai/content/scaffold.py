"""New content files from the schema: every field with its label and help as a comment.

Required fields get starting values that already pass validation (today's dates, the
next free number), so ``invoke new`` followed by ``invoke check`` is clean; optional
fields are listed commented out so editors discover them. The item starts as a draft
(``draft: yes``): it shows in the preview but is not published until the editor
removes that line.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from uchastvai.core.buildcache import per_build
from uchastvai.core.i18n import N_, gettext
from uchastvai.content.schema import CONTENT_TYPES, ContentItem, nested_model
from uchastvai.content.slugs import slugify

# The scaffold's starting texts: a published item must not still contain them.
BODY_PLACEHOLDER = N_("Write the full text here. Headings start with ## and lists with - .")
PLACEHOLDERS: tuple[str, ...] = (
    N_("One or two sentences for citizens."),
    N_("Name Surname"),
    N_("Name of the act"),
    N_("Responsible directorate"),
    N_("Name of the programme"),
    N_("Draft of a regulation"),
    N_("Title of the project"),
    N_("Title of the idea"),
    N_("Title of the news"),
    N_("Title of the page"),
    BODY_PLACEHOLDER,
)
_PLAIN = re.compile(r"^[^\s\"'#:{}\[\],&*!|>%@`-][^#:]*$")


class ScaffoldError(ValueError):
    """A scaffold cannot be made; the message is for the editor."""


def yaml_scalar(value: Any) -> str:
    """A YAML scalar that our string-only reader reads back exactly."""
    text = "yes" if value is True else "no" if value is False else str(value)
    if _PLAIN.match(text) and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


@per_build  # the catalogues may change between two builds of the preview, never during one
def placeholder_texts() -> frozenset[str]:
    """The placeholder texts in every language a scaffold can be written in."""
    return frozenset(gettext(text, lang) for text in PLACEHOLDERS for lang in ("bg", "en"))


def _comment(info: Any, lang: str) -> str:
    label = gettext(info.title or "", lang)
    required = gettext(" (required)", lang) if info.is_required() else ""
    return f"# {label}{required}: {gettext(info.description or '', lang)}"


def render_fields(model: type[BaseModel], data: dict[str, Any], indent: str, lang: str) -> list[str]:
    """Front-matter lines for ``model``: given values, and the other fields commented out."""
    lines: list[str] = []
    for name, info in model.model_fields.items():
        lines.append(f"{indent}{_comment(info, lang)}")
        if name not in data:
            lines.append(f"{indent}# {name}:")
            continue
        value = data[name]
        inner = nested_model(info.annotation)
        if isinstance(value, list):
            lines.append(f"{indent}{name}:")
            for entry in value:
                if isinstance(entry, dict) and inner is not None:
                    nested = render_fields(inner, entry, indent + "    ", lang)
                    first = next(i for i, line in enumerate(nested) if not line.strip().startswith("#"))
                    nested[first] = f"{indent}  - {nested[first].strip()}"
                    lines.extend(nested)
                else:
                    lines.append(f"{indent}  - {yaml_scalar(entry)}")
        elif isinstance(value, dict) and inner is not None:
            lines.append(f"{indent}{name}:")
            lines.extend(render_fields(inner, value, indent + "  ", lang))
        else:
            lines.append(f"{indent}{name}: {yaml_scalar(value)}")
    return lines


def next_number(content_root: Path, pattern: str, year: int) -> int:
    """The next free number of the year, from the numbers already used in content/."""
    used = [0]
    regex = re.compile(pattern.format(year=year), re.MULTILINE)
    for path in content_root.rglob("*.md"):
        for match in regex.finditer(path.read_text(encoding="utf-8", errors="replace")):
            used.append(int(match.group(1)))
    return max(used) + 1


def starting_values(
    type_name: str, today: date, content_root: Path, settings: dict[str, Any], lang: str, **given: str
) -> dict[str, Any]:
    """Values that pass validation as they are; the editor replaces them."""
    municipality = settings.get("MUNICIPALITY", {})
    contact = {"name": gettext(N_("Name Surname"), lang), "email": municipality.get("email", "info@example.bg")}
    common = {"draft": True, "summary": gettext(N_("One or two sentences for citizens."), lang)}
    iso = today.isoformat()
    if type_name == "consultation":
        number = next_number(content_root, r"^id:\s*{year}-(\d{{3}})\s*$", today.year)
        return {
            "id": f"{today.year}-{number:03d}",
            "title": given.get("title") or gettext(N_("Draft of a regulation"), lang),
            **common,
            "kind": "regulation",
            "act": gettext(N_("Name of the act"), lang),
            "unit": gettext(N_("Responsible directorate"), lang),
            "contacts": [contact],
            "opens": iso,
            "closes": (today + timedelta(days=30)).isoformat(),
            "respond": {"email": municipality.get("email", "info@example.bg"), "post": municipality.get("address", "")},
        }
    if type_name == "project":
        code = given.get("code")
        if not code:
            raise ScaffoldError(
                gettext(N_("A project needs its code from ИСУН: invoke new project --code BG16..."), lang)
            )
        return {
            "code": code,
            "title": given.get("title") or gettext(N_("Title of the project"), lang),
            **common,
            "programme": gettext(N_("Name of the programme"), lang),
            "period": "2021-2027",
            "fund": "ERDF",
            "beneficiary": municipality.get("name", ""),
            "contract": {"number": code, "date": iso},
            "start": iso,
            "end": (today + timedelta(days=365)).isoformat(),
            "budget": {
                "currency": "EUR",
                "total": "0.00",
                "grant_eu": "0.00",
                "grant_national": "0.00",
                "own": "0.00",
                "paid": "0.00",
            },
            "updated": iso,
        }
    if type_name == "idea":
        number = next_number(content_root, r"^id:\s*И-{year}-(\d{{3}})\s*$", today.year)
        return {
            "id": f"И-{today.year}-{number:03d}",
            "title": given.get("title") or gettext(N_("Title of the idea"), lang),
            **common,
            "proposer": "гражданин" if lang == "bg" else "citizen",
            "received": iso,
            "area": municipality.get("town", ""),
            "category": gettext(N_("Public spaces"), lang),
            "state": "received",
        }
    if type_name == "news":
        return {"title": given.get("title") or gettext(N_("Title of the news"), lang), **common, "date": iso}
    if type_name == "page":
        return {"title": given.get("title") or gettext(N_("Title of the page"), lang), **common}
    raise ScaffoldError(type_name)


def scaffold(model: type[ContentItem], values: dict[str, Any], lang: str = "bg") -> str:
    """The text of a new content file."""
    body = gettext(BODY_PLACEHOLDER, lang)
    return "\n".join(["---", *render_fields(model, values, "", lang), "---", body, ""])


def with_slug(values: dict[str, Any], given: dict[str, str]) -> dict[str, Any]:
    """``values`` with the page address written in.

    The address is fixed when the file is made, so correcting the title later never moves
    a published page (docs/redaktori). Without a title of the editor's own, the number
    or code keeps the placeholder title out of the address.
    """
    key = str(values.get("id") or values.get("code") or values.get("date") or "")
    title = given.get("title") or ""
    return {**values, "slug": slugify(title, fallback="") or slugify(key or values["title"])}


def file_name(type_name: str, values: dict[str, Any]) -> str:
    key = values.get("id") or values.get("date") or ""
    stem = slugify(f"{key} {values['title']}" if key else values["title"], max_length=60)
    return f"{stem}.md"


def create(
    type_name: str, content_root: Path, today: date, settings: dict[str, Any], lang: str = "bg", **given: str
) -> Path:
    """Write a new content file and return its path; never overwrite an existing one."""
    if type_name not in CONTENT_TYPES:
        choices = ", ".join(CONTENT_TYPES)
        raise ScaffoldError(
            gettext(N_("Unknown content type „{found}“; choose one of: {expected}"), lang).format(
                found=type_name, expected=choices
            )
        )
    model = CONTENT_TYPES[type_name]
    values = starting_values(type_name, today, content_root, settings, lang, **given)
    values = with_slug(values, given)
    path = content_root / model.folder / file_name(type_name, values)
    if path.exists():
        raise ScaffoldError(
            gettext(N_("The file {found} already exists; choose another title"), lang).format(found=path)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(model, values, lang), encoding="utf-8")
    return path
