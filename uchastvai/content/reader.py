"""Markdown with YAML front matter, read so that every mistake can be pointed at.

Editors write lists of contacts, hearings, documents and milestones, which Pelican's
own ``Key: value`` metadata cannot express. Plain YAML loading would turn ``0700``
into 448 and ``no`` into ``False`` and forget line numbers, so the front matter is
*composed* (nodes with positions) and turned into plain strings, lists and dicts
here, with a map from each field path to its line. Types are the schema's job.

The reader never raises: a file that cannot be parsed still yields an item whose
metadata carries the problem, so the build can report all problems at once.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from pelican.readers import MarkdownReader

from uchastvai.core.dates import SOFIA
from uchastvai.content.problems import Problem
from uchastvai.content.sanitize import sanitize_html
from uchastvai.content.schema import TYPE_BY_FOLDER, ContentItem
from uchastvai.content.slugs import item_slug
from uchastvai.content.text_intake import CONTROL, clean_text

FieldPath = tuple[str | int, ...]
# libyaml's parser when present: the pure-Python one was half of the reading time (bench/README.md).
# Both give the same nodes, marks and errors; the base loader keeps every scalar a string.
_YAML_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
logger = logging.getLogger(__name__)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.DOTALL | re.MULTILINE)


class DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter, body, line where the body starts); ``None`` when there is none."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return None, text, 1
    body_line = match.group(0).count("\n") + 1
    return match.group(1), text.lstrip("\ufeff")[match.end() :], body_line


def node_to_data(node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int]) -> Any:
    """Plain data from a composed YAML node; records the 1-based line of every path."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in data:
                raise DuplicateKey(key, key_node.start_mark.line + 1)
            data[key] = node_to_data(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return data
    if isinstance(node, yaml.SequenceNode):
        return [node_to_data(item, (*path, index), lines) for index, item in enumerate(node.value)]
    return node.value


def parse_front_matter(text: str) -> tuple[dict[str, Any], dict[FieldPath, int], list[Problem]]:
    """Front matter as plain data, its line map, and problems that stop further checks."""
    lines: dict[FieldPath, int] = {}
    try:
        node = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark else None  # +1 for 1-based, +1 for the opening ---
        return {}, lines, [Problem.error(line=line, code="yaml_syntax")]
    if node is None:
        return {}, lines, []
    if not isinstance(node, yaml.MappingNode):
        return {}, lines, [Problem.error(line=2, code="front_matter_not_mapping")]
    try:
        data = node_to_data(node, (), lines)
    except DuplicateKey as duplicate:
        return {}, lines, [Problem.error(line=duplicate.line + 1, code="duplicate_key", found=duplicate.key)]
    # Shift by one: line 1 of the file is the opening ---.
    shifted = {path: line + 1 for path, line in lines.items()}
    warnings: list[Problem] = []
    return _without_control(data, (), shifted, warnings), shifted, warnings


def _without_control(value: Any, path: FieldPath, lines: dict[FieldPath, int], warnings: list[Problem]) -> Any:
    """Values without control characters that YAML escapes (``"\\x0b"``) put there, each with a warning."""
    if isinstance(value, dict):
        return {key: _without_control(inner, (*path, key), lines, warnings) for key, inner in value.items()}
    if isinstance(value, list):
        return [_without_control(inner, (*path, index), lines, warnings) for index, inner in enumerate(value)]
    found = sorted(set(CONTROL.findall(value)))
    if not found:
        return value
    names = ", ".join(f"U+{ord(char):04X}" for char in found)
    warnings.append(Problem.warning(code="control_character", line=lines.get(path), field=path, found=names))
    return CONTROL.sub("", value)


def content_type_for(source_path: str, content_root: str) -> type[ContentItem] | None:
    """The content type of a file, from the first folder under ``content/``."""
    relative = PurePosixPath(Path(source_path).resolve().relative_to(Path(content_root).resolve()).as_posix())
    return TYPE_BY_FOLDER.get(relative.parts[0]) if len(relative.parts) > 1 else None


def pelican_date(model: type[ContentItem], data: dict[str, Any]) -> datetime | None:
    """The item's date for Pelican (ordering, archives), if its date field parses."""
    if not model.date_field:
        return None
    try:
        day = datetime.strptime(str(data.get(model.date_field, "")), "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day, time(0, 0), tzinfo=SOFIA)


def markdown_converter(markdown_settings: dict[str, Any]) -> Any:
    """A Markdown converter with the site's settings (the front matter is ours, not ``meta``'s)."""
    from markdown import Markdown

    settings = dict(markdown_settings)
    settings["extensions"] = [e for e in settings.get("extensions", []) if e != "markdown.extensions.meta"]
    return Markdown(**settings)


def render_body(converter: Any, text: str) -> str:
    """HTML of a file's Markdown body; the reader and the prerender workers both use this."""
    _, body, _ = split_front_matter(CONTROL.sub("", text))
    return converter.reset().convert(body)


class FrontMatterReader(MarkdownReader):
    """Pelican reader for ``.md`` files with YAML front matter (see module docstring)."""

    file_extensions = ["md", "markdown"]
    _converter: Any = None
    # Bodies converted ahead by worker processes (uchastvai.prerender), when there are many.
    prerendered: Any = None

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        """Body HTML and metadata; any failure becomes a problem of the file, never an exception.

        An exception here would make Pelican skip the file with one English log line.
        """
        try:
            return self._read(source_path)
        except Exception:  # reported to the editor as a problem of this file
            logger.debug("reader failed on %s", source_path, exc_info=True)
            metadata = self._metadata(source_path, {}, {}, [Problem.error(code="reader_failed")], 1)
            return "", metadata

    def _read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        decoded = clean_text(Path(source_path).read_bytes())
        problems: list[Problem] = list(decoded.problems)
        unreadable = any(problem.code.startswith("encoding") for problem in problems)
        front_matter, body, body_line = split_front_matter(decoded.text)
        data: dict[str, Any] = {}
        lines: dict[FieldPath, int] = {}
        if unreadable:
            body = ""
        elif front_matter is None:
            problems.append(Problem.error(line=1, code="no_front_matter"))
        else:
            data, lines, parse_problems = parse_front_matter(front_matter)
            problems += parse_problems
        metadata = self._metadata(source_path, data, lines, problems, body_line)
        self._source_path = source_path
        html = self.prerendered.take(source_path) if self.prerendered else None
        if html is None or decoded.problems:  # workers converted the raw bytes
            html = self._markdown().convert(body)
        return sanitize_html(html), metadata

    def _metadata(
        self,
        source_path: str,
        data: dict[str, Any],
        lines: dict[FieldPath, int],
        problems: list[Problem],
        body_line: int,
    ) -> dict[str, Any]:
        model = content_type_for(source_path, self.settings["PATH"])
        metadata = self.pelican_metadata(source_path, model, data)
        metadata["front_matter"] = data
        metadata["front_matter_lines"] = {".".join(map(str, path)): line for path, line in lines.items()}
        metadata["front_matter_problems"] = [problem.as_dict() for problem in problems]
        metadata["body_line"] = body_line
        return metadata

    def _markdown(self) -> Any:
        """One Markdown converter per reader, reset between files (a new one per file cost a quarter more)."""
        if self._converter is None:
            self._converter = markdown_converter(self.settings["MARKDOWN"])
        return self._converter.reset()

    def pelican_metadata(self, source_path: str, model: type[ContentItem] | None, data: dict[str, Any]) -> dict:
        """The few keys Pelican itself needs: title, date, slug, type, template."""
        title = data.get("title") if isinstance(data.get("title"), str) and data.get("title") else None
        metadata: dict[str, Any] = {"title": title or Path(source_path).stem}
        summary = data.get("summary")
        if isinstance(summary, str):
            metadata["summary"] = html.escape(summary)
        # A malformed slug is the schema's error to report; Pelican gets a safe one meanwhile
        # (an unsafe one would make Pelican drop the file silently).
        slug = data.get("slug") if isinstance(data.get("slug"), str) and _SLUG.match(data["slug"]) else None
        key = next((data[k] for k in ("id", "code") if isinstance(data.get(k), str) and data[k]), "")
        metadata["slug"] = slug or item_slug(metadata["title"], key or Path(source_path).stem)
        if str(data.get("draft", "")).strip().lower() in ("yes", "true"):
            metadata["status"] = "draft"  # Pelican's own status: kept out of lists and feeds
        if model is not None:
            metadata["type"] = model.type_name
            metadata["template"] = model.type_name
            metadata["section"] = model.section
            # Pelican expects a category on articles (drafts are written with it); ours is the section.
            metadata["category"] = self.process_metadata("category", model.section or model.type_name)
            date = pelican_date(model, data)
            if date is not None or model.date_field:
                metadata["date"] = date or datetime(1970, 1, 1, tzinfo=SOFIA)
        return metadata
