"""Validation: front matter against the schema, the rules, and checks across files.

Everything is collected, nothing raises: the editor gets every problem of every file
in one report (see :mod:`uchastvai.content.problems`).
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from uchastvai.content import images, rules
from uchastvai.content.manifest import alias_url
from uchastvai.content.problems import Problem
from uchastvai.content.schema import CONTENT_TYPES, ContentItem, Idea, News, Project, nested_model
from uchastvai.content.vocabulary import STATES
from uchastvai.core.i18n import gettext
from uchastvai.core.paths import PATHS


@dataclass
class SourceFile:
    """What validation needs to know about one content file."""

    source: str  # path as shown to editors, e.g. content/projects/x.md
    model: type[ContentItem]
    data: dict[str, Any]
    lines: dict[str, int]  # dotted field path -> line


def _enum_of(annotation: Any) -> type[Enum] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return candidate
    return None


def field_label(model: type[BaseModel], path: tuple[str | int, ...], lang: str = "bg") -> str:
    """„Публични обсъждания › № 2 › Начало“: each step by its translated label."""
    labels: list[str] = []
    current: type[BaseModel] | None = model
    for step in path:
        if isinstance(step, int):
            labels.append(f"№ {step + 1}")
            continue
        info = current.model_fields.get(step) if current else None
        if info is None:
            labels.append(step)
            current = None
            continue
        labels.append(gettext(info.title or step, lang))
        current = nested_model(info.annotation)
    return " › ".join(labels)


def field_info(model: type[BaseModel], path: tuple[str | int, ...]) -> Any:
    """The pydantic FieldInfo at ``path`` (list indices skipped), or None."""
    current: type[BaseModel] | None = model
    info = None
    for step in path:
        if isinstance(step, int):
            continue
        info = current.model_fields.get(step) if current else None
        if info is None:
            return None
        current = nested_model(info.annotation)
    return info


def line_of(lines: dict[str, int], path: tuple[str | int, ...]) -> int | None:
    """The line of ``path``, or of its nearest parent that has one."""
    for end in range(len(path), 0, -1):
        key = ".".join(str(step) for step in path[:end])
        if key in lines:
            return lines[key]
    return None


def _found(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def problem_from_error(error: dict[str, Any], model: type[ContentItem], source: str, lines: dict[str, int]) -> Problem:
    """One pydantic error as a problem in the editor's terms."""
    path = tuple(step for step in error["loc"] if isinstance(step, (str, int)))
    code = error["type"]
    expected = ""
    if code in ("enum", "literal_error"):
        info = field_info(model, path)
        enum = _enum_of(info.annotation) if info else None
        code = "enum"
        expected = ", ".join(member.value for member in enum) if enum else str(error.get("ctx", {}).get("expected", ""))
    elif code == "greater_than_equal":
        expected = str(error["ctx"]["ge"])
    elif code == "less_than_equal":
        expected = str(error["ctx"]["le"])
    elif code.startswith("decimal") or code.startswith("float"):
        code = "decimal_parsing"
    elif code == "extra_forbidden":
        parent = field_label(model, path[:-1])
        nearest = nearest_field(model, path)
        return Problem.error(
            code="extra_forbidden_suggest" if nearest else code,
            expected=nearest,
            source=source,
            line=line_of(lines, path),
            field=path,
            field_label=f"{parent} › {path[-1]}" if parent else str(path[-1]),
            found=str(path[-1]),
        )
    found = "" if code == "missing" else _found(error.get("input"))
    line = line_of(lines, path)
    if code == "missing":
        line = line_of(lines, path[:-1]) if len(path) > 1 else None
    return Problem.error(
        code=code,
        source=source,
        line=line,
        field=path,
        field_label=field_label(model, path),
        found=found,
        expected=expected,
    )


def nearest_field(model: type[BaseModel], path: tuple[str | int, ...]) -> str:
    """The known field closest in spelling to the unknown last step of ``path`` (closses → closes)."""
    parent: type[BaseModel] | None = model
    if len(path) > 1:
        info = field_info(model, path[:-1])
        parent = nested_model(info.annotation) if info else None
    if parent is None:
        return ""
    matches = difflib.get_close_matches(str(path[-1]), list(parent.model_fields), n=1, cutoff=0.6)
    return matches[0] if matches else ""


def misplaced(file: SourceFile) -> Problem | None:
    """A file whose fields are another content type's: one clear problem instead of many unknown fields."""
    from uchastvai.content.intake import guess_type

    looks_like = guess_type(file.data)
    if looks_like is None or looks_like is file.model:
        return None
    return Problem.error(
        code="wrong_folder",
        source=file.source,
        line=1,
        found=gettext(looks_like.label).lower(),
        expected=f"content/{looks_like.folder}/",
    )


def validate_file(file: SourceFile) -> tuple[ContentItem | None, list[Problem]]:
    """The typed item (when the schema accepts the file) and the file's problems."""
    try:
        item = file.model.model_validate(file.data)
    except ValidationError as error:
        errors = error.errors()
        wrong_type = misplaced(file) if any(e["type"] == "extra_forbidden" for e in errors) else None
        if wrong_type is not None:
            return None, [wrong_type]
        return None, [problem_from_error(e, file.model, file.source, file.lines) for e in errors]
    return item, []


def locate(problems: Iterable[Problem], file: SourceFile) -> list[Problem]:
    """Fill in the file, line and label of problems found by rules."""
    located = []
    for problem in problems:
        problem.source = problem.source or file.source
        if problem.line is None and problem.field:
            problem.line = line_of(file.lines, problem.field)
        if problem.field and not problem.field_label:
            problem.field_label = field_label(file.model, problem.field)
        located.append(problem)
    return located


def check_rules(item: ContentItem, file: SourceFile, build_time: datetime) -> list[Problem]:
    return locate(rules.check_item(item, build_time), file)


@dataclass
class Entry:
    """A validated item with where it came from."""

    item: ContentItem
    file: SourceFile
    url: str


def _located(entry: Entry, path: tuple[str | int, ...], **kwargs: Any) -> Problem:
    return locate([Problem.error(field=path, **kwargs)], entry.file)[0]


def check_unique(entries: list[Entry]) -> list[Problem]:
    """Numbers, codes and addresses are unique across the site."""
    problems: list[Problem] = []
    seen_ids: dict[str, Entry] = {}
    seen_urls: dict[str, Entry] = {}
    for entry in entries:
        key_field = "code" if isinstance(entry.item, Project) else "id"
        identifier = getattr(entry.item, key_field, None)
        if identifier:
            if identifier in seen_ids:
                first = seen_ids[identifier].file.source
                problems.append(_located(entry, (key_field,), code="duplicate_id", found=identifier, expected=first))
            else:
                seen_ids[identifier] = entry
        if entry.url in seen_urls:
            first = seen_urls[entry.url].file.source
            field = ("slug",) if entry.item.slug else ("title",)
            problems.append(_located(entry, field, code="duplicate_url", found=entry.url, expected=first))
        else:
            seen_urls[entry.url] = entry
    return problems


# The site's own folders: the web editor (uchastvai.editors.cms), the theme's files (Pelican's
# THEME_STATIC_DIR), the static content folders and every section and page of PATHS.
_SITE_FOLDERS = frozenset(
    {"admin", "theme", "documents", "images"}
    | {path.split("/")[0] for path in vars(PATHS).values() if path.endswith("/")}
    | {model.section for model in CONTENT_TYPES.values() if model.section}
)


def _section_folders(section: str) -> frozenset[str]:
    """The folders the site writes inside a section: state filters, facets and list pages."""
    facets = {PATHS.year_facet.split("/")[0], PATHS.area_facet.split("/")[0], "page"}
    states = {
        state.slug
        for type_name, vocabulary in STATES.items()
        if CONTENT_TYPES[type_name].section == section
        for state in vocabulary
    }
    return frozenset(facets | states)


def is_site_folder(url: str) -> bool:
    """Whether an item's address is a folder the site writes itself (a page ``novini/``, an item
    ``konsultatsii/otvoreni/``): Pelican would stop on writing the same file twice."""
    parts = url.strip("/").split("/")
    if len(parts) == 1:
        return parts[0] in _SITE_FOLDERS
    return len(parts) == 2 and parts[1] in _section_folders(parts[0])


def check_site_folders(entries: list[Entry]) -> list[Problem]:
    """No item or old address takes a folder of the site's own."""
    problems = []
    for entry in entries:
        if is_site_folder(entry.url):
            field = ("slug",) if entry.item.slug else ("title",)
            problems.append(_located(entry, field, code="reserved_url", found=entry.url))
        for index, alias in enumerate(entry.item.aliases):
            if _ALIAS.match(alias) and is_site_folder(alias_url(entry.item, alias)):
                problems.append(
                    _located(entry, ("aliases", index), code="reserved_url", found=alias_url(entry.item, alias))
                )
    return problems


def check_files_exist(entries: list[Entry], content_root: Path) -> list[Problem]:
    """Every linked document and image is there, so no citizen meets a broken link."""
    problems = []
    for entry in entries:
        for group in ("documents", "images"):
            for index, attachment in enumerate(getattr(entry.item, group)):
                if attachment.file and not (content_root / attachment.file).is_file():
                    problems.append(
                        _located(entry, (group, index, "file"), code="file_not_found", found=attachment.file)
                    )
                elif group == "images" and attachment.file and not _image_readable(content_root, attachment.file):
                    problems.append(
                        _located(entry, (group, index, "file"), code="image_unreadable", found=attachment.file)
                    )
    return problems


def _image_readable(content_root: Path, file: str) -> bool:
    """Raster images decode (other files, such as SVG, are not decoded by the build)."""
    if Path(file).suffix.lower() not in images.RASTER_SUFFIXES:
        return True
    return images.readable(str(content_root.resolve()), file)


def check_references(entries: list[Entry]) -> list[Problem]:
    """Ideas point at real projects; news at real consultations and projects."""
    projects = {entry.item.code for entry in entries if isinstance(entry.item, Project)}
    known = projects | {getattr(entry.item, "id", None) for entry in entries} - {None}
    problems = []
    for entry in entries:
        if isinstance(entry.item, Idea) and entry.item.project and entry.item.project not in projects:
            problems.append(_located(entry, ("project",), code="unknown_project", found=entry.item.project))
        if isinstance(entry.item, News):
            for index, reference in enumerate(entry.item.related):
                if reference not in known:
                    problems.append(_located(entry, ("related", index), code="unknown_related", found=reference))
    return problems


_ALIAS = re.compile(r"^[\w-]+(/[\w-]+)*$")


def check_aliases(entries: list[Entry]) -> list[Problem]:
    """Old addresses stay inside the site and never take another page's address."""
    owners = {entry.url: entry for entry in entries}
    problems = []
    for entry in entries:
        for index, alias in enumerate(entry.item.aliases):
            if not _ALIAS.match(alias) or any(part in (".", "..") for part in alias.split("/")):
                problems.append(_located(entry, ("aliases", index), code="alias_unsafe", found=alias))
                continue
            path = alias_url(entry.item, alias)
            owner = owners.get(path)
            if owner is not None:
                problems.append(
                    _located(entry, ("aliases", index), code="alias_collision", found=alias, expected=owner.file.source)
                )
            else:
                owners[path] = entry
    return problems


def check_site(entries: list[Entry], content_root: Path) -> list[Problem]:
    """All checks that need more than one file."""
    entries = sorted(entries, key=lambda entry: entry.file.source)
    return (
        check_unique(entries)
        + check_site_folders(entries)
        + check_aliases(entries)
        + check_files_exist(entries, content_root)
        + check_references(entries)
    )
