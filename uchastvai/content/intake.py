"""Nothing under content/ vanishes: every file the site does not read becomes a problem.

Pelican reads Markdown from the text folders, copies the file folders, and skips the
rest without a word (a ``.docx``, a ``.md.txt`` that Windows shows as ``.md``, a file
in a folder of its own). After reading, every file under ``content/`` that is neither
an item nor a static file is reported with what to do about it. The checks of a
body that need the source text (images without alt text, scaffold text left in) are
here too, since they read the file as the editor wrote it.

Hidden files (a name starting with a dot) and the system files of Windows and macOS
are not the editors' work and are left alone.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from stat import S_ISREG
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from uchastvai.content.problems import Problem, Severity
from uchastvai.content.scaffold import placeholder_texts
from uchastvai.content.schema import CONSULTATION_ID, CONTENT_TYPES, IDEA_ID, ContentItem
from uchastvai.content.text_intake import clean_text
from uchastvai.core.files import files_under

SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
WORD_DOCUMENTS = frozenset({".doc", ".docx", ".odt", ".rtf", ".pages"})
MARKDOWN = (".md", ".markdown")


def shown_path(path: Path, content_root: Path) -> str:
    """``content/consultations/x.md``: the path as the editor sees it in the project."""
    return PurePosixPath(path.resolve().relative_to(content_root.resolve().parent)).as_posix()


def guess_type(data: dict[str, Any]) -> type[ContentItem] | None:
    """The one content type whose fields include every field of ``data`` (None if none or several).

    A number's form settles what the fields alone cannot (consultations and ideas share ``id``).
    """
    keys = set(data)
    candidates = [model for model in CONTENT_TYPES.values() if keys and keys <= set(model.model_fields)]
    identifier = str(data.get("id", ""))
    if "id" in data and len(candidates) > 1:
        wanted = "idea" if IDEA_ID.match(identifier) else "consultation" if CONSULTATION_ID.match(identifier) else ""
        candidates = [model for model in candidates if model.type_name == wanted]
    return candidates[0] if len(candidates) == 1 else None


def guess_file_type(path: Path) -> type[ContentItem] | None:
    """The content type a Markdown file outside the text folders looks like, from its front matter."""
    from uchastvai.content.reader import parse_front_matter, split_front_matter

    decoded = clean_text(path.read_bytes())
    front_matter, _, _ = split_front_matter(decoded.text)
    if front_matter is None:
        return None
    data, _, problems = parse_front_matter(front_matter)
    return None if problems else guess_type(data)


def _folders(settings: dict[str, Any]) -> tuple[list[str], list[str]]:
    text = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]
    return text, list(settings.get("STATIC_PATHS", []))


def _ignored(relative: PurePosixPath) -> bool:
    return any(part.startswith((".", "~$")) for part in relative.parts) or relative.name.lower() in SYSTEM_FILES


def outside_the_folders(path: Path, relative: PurePosixPath, shown: str, settings: dict[str, Any]) -> Problem:
    """A file at the top of content/ or in a folder the site does not read; where it belongs, if it shows."""
    text_folders, file_folders = _folders(settings)
    folder = "content/" if len(relative.parts) == 1 else f"content/{relative.parts[0]}/"
    try:
        looks_like = guess_file_type(path) if relative.name.lower().endswith(MARKDOWN) else None
    except OSError:  # unreadable: the folder is still the problem to report
        looks_like = None
    if looks_like is not None:
        return Problem.error(
            code="unknown_folder_type", source=shown, found=folder, expected=f"content/{looks_like.folder}/"
        )
    return Problem.error(
        code="unknown_folder", source=shown, found=folder, expected=", ".join(text_folders + file_folders)
    )


def why_unread(path: Path, content_root: Path, settings: dict[str, Any]) -> Problem:
    """The problem of one file the site did not read: what it is and what to do."""
    relative = PurePosixPath(path.resolve().relative_to(content_root.resolve()).as_posix())
    text_folders, file_folders = _folders(settings)
    shown = shown_path(path, content_root)
    if len(relative.parts) == 1 or relative.parts[0] not in (*text_folders, *file_folders):
        return outside_the_folders(path, relative, shown, settings)
    name = relative.name.lower()
    suffix = PurePosixPath(name).suffix
    if relative.parts[0] in file_folders or suffix in MARKDOWN:
        return Problem.error(code="pelican_failed", source=shown)  # Pelican failed on a file it reads
    if re.search(r"\.(md|markdown)\.\w+$", name):
        return Problem.error(code="double_extension", source=shown, found=relative.name, expected=_stem_md(relative))
    if suffix in WORD_DOCUMENTS:
        return Problem.error(code="word_document", source=shown, found=relative.name, expected=relative.parts[0])
    if suffix == ".txt":
        return Problem.error(code="text_file", source=shown, found=relative.name, expected=_stem_md(relative))
    return Problem.error(code="attachment_in_text_folder", source=shown, found=relative.name)


def _stem_md(relative: PurePosixPath) -> str:
    """The name the file should have: everything before the first .md/.txt, then .md."""
    stem = re.sub(r"(\.(md|markdown))?\.\w+$", "", relative.name, flags=re.IGNORECASE)
    return f"{stem}.md"


def unread_files(
    content_root: Path, read: Iterable[str | os.PathLike[str]], settings: dict[str, Any]
) -> list[Problem]:
    """A problem for every file under ``content_root`` that is not in ``read``.

    A file is read when its path is one of ``read``; any other is compared by identity
    (device and inode), so a path through a link or with ``..`` is the file it names.

    A file Pelican failed on is an error. A file the site does not take (another folder,
    another format) is a warning while previewing, so the preview still shows the rest,
    and an error in a strict (publishing) build, which never goes out without it.
    """
    strict = bool(settings.get("STRICT_VALIDATION"))
    root = os.path.abspath(content_root)
    read = list(read)
    read_names = {os.path.normpath(os.path.abspath(path)) for path in read}  # the usual case, without a stat
    known: set[tuple[int, int]] | None = None
    problems = []
    for name in files_under(root):
        full = os.path.join(root, name)
        if full in read_names or _ignored(PurePosixPath(name)):
            continue
        try:
            stat = os.stat(full)
        except OSError:
            continue
        if known is None:
            known = {identity for identity in map(_identity, read) if identity is not None}
        if not S_ISREG(stat.st_mode) or (stat.st_dev, stat.st_ino) in known:
            continue
        path = content_root / name
        problem = why_unread(path, content_root, settings)
        if not strict and problem.code != "pelican_failed":
            problem.severity = Severity.WARNING
        problems.append(problem)
    return problems


_INTERNAL_LINK = re.compile(r"""(?:href|src)=["']\{(?:static|attach)\}([^"'#?]+)""")


def linked_files(content: Any, content_root: Path) -> set[str]:
    """Files an item's text links with ``{static}`` or ``{attach}``: Pelican copies them when writing."""
    source = os.path.dirname(content.source_path)
    found = set()
    for target in _INTERNAL_LINK.findall(getattr(content, "_content", "") or ""):
        path = unquote(target)
        found.add(os.path.join(content_root, path.lstrip("/")) if path.startswith("/") else os.path.join(source, path))
    return found


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def read_paths(generators: list[Any], contents: list[Any], content_root: Path) -> set[str]:
    """Every source file the site publishes: items, static files of the file folders, files the texts link."""
    paths = {content.source_path for content in contents}
    for content in contents:
        paths |= linked_files(content, content_root)
    for generator in generators:
        paths.update(static.source_path for static in getattr(generator, "staticfiles", []))
    return paths


# --------------------------------------------------------------------------- bodies


class _Images(HTMLParser):
    """``src`` of each ``<img>`` without alternative text."""

    def __init__(self) -> None:
        super().__init__()
        self.missing: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and not (values.get("alt") or "").strip() and values.get("role") != "presentation":
            self.missing.append(values.get("src") or "")


def _line_of(lines: list[str], needle: str, start: int) -> int | None:
    for number, text in enumerate(lines, 1):
        if number >= start and needle and needle in text:
            return number
    return None


def body_image_problems(html: str, source_lines: list[str], shown: str, body_line: int) -> list[Problem]:
    """WCAG 1.1.1: every image in the text has alternative text (Markdown ``![описание](файл)``)."""
    if "<img" not in (html or ""):
        return []  # most texts have no image: no need to parse them
    parser = _Images()
    parser.feed(html or "")
    problems = []
    for src in parser.missing:
        name = src.rsplit("/", 1)[-1]
        line = _line_of(source_lines, name, body_line) or _line_of(source_lines, "![", body_line)
        problems.append(Problem.warning(code="image_without_alt", source=shown, line=line, found=name))
    return problems


SENTENCE_LENGTH = 30  # placeholders this long are whole sentences, found anywhere in a line


def body_placeholder_problems(source_lines: list[str], shown: str, body_line: int) -> list[Problem]:
    """The scaffold's sentences left in the text of an item that is being published."""
    placeholders = placeholder_texts()
    sentences = {text for text in placeholders if len(text) >= SENTENCE_LENGTH}  # not „Име Фамилия“ in a text
    body = source_lines[max(body_line, 1) - 1 :]
    whole = "\n".join(body)
    if not any(s in whole for s in sentences) and placeholders.isdisjoint(text.strip() for text in body):
        return []  # the usual case, found without looking at each line
    return [
        Problem.error(code="placeholder_text", source=shown, line=number, found=text.strip())
        for number, text in enumerate(source_lines, 1)
        if number >= body_line and (text.strip() in placeholders or any(s in text for s in sentences))
    ]


def body_problems(content: Any, shown: str, draft: bool) -> list[Problem]:
    """Checks of one item's body against its source text."""
    # Lines as YAML and the reader count them: only at \n (splitlines would also break at U+2028 and \x85).
    source_lines = clean_text(Path(content.source_path).read_bytes()).text.replace("\r\n", "\n").split("\n")
    body_line = int(content.metadata.get("body_line", 1))
    problems = body_image_problems(content._content, source_lines, shown, body_line)
    if not draft:
        problems += body_placeholder_problems(source_lines, shown, body_line)
    return problems
