"""The editors' guide at ``/pomosht/``: chapters written in Markdown, references made from code.

The chapters live in ``docs/redaktori/*.md`` (first line ``# Title``; a leading ``NN-``
in the file name only orders them). Two pages are generated and never written by hand,
so they cannot drift from what the checker does: the field reference (from
:mod:`uchastvai.content.schema`) and the list of every message of the editors' report (from
:data:`uchastvai.content.problems.MESSAGES`).
"""

from __future__ import annotations

import html
import importlib
import logging
import re
import shutil
import string
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.generators import Generator
from pydantic import BaseModel

from uchastvai.content import schema
from uchastvai.content.intake_advice import ADVICE as INTAKE_ADVICE
from uchastvai.content.problems import MESSAGES
from uchastvai.content.schema import CONTENT_TYPES, Labelled
from uchastvai.content.slugs import slugify
from uchastvai.core.i18n import N_, gettext
from uchastvai.core.written import announce
from uchastvai.facts.urls import absolute_url
from uchastvai.outputs.incremental import pure

logger = logging.getLogger(__name__)

GUIDE_URL = "pomosht/"
FIELDS_SLUG = "poleta"
ERRORS_SLUG = "greshki"
# The guide documents the software, so it ships with the package (package data; the folder
# uchastvai/redaktori links to docs/redaktori, where editors and the README find it).
DEFAULT_GUIDE_PATH = Path(__file__).resolve().parents[1] / "redaktori"
_ORDER_PREFIX = re.compile(r"^\d+[-_]")
SCREENSHOTS = "snimki"  # screenshots of the web editor, made by tests/cms/test_web_editor.py


def guide_url(slug: str = "") -> str:
    """Site-relative URL of the guide's index or of one of its pages."""
    return f"{GUIDE_URL}{slug}/" if slug else GUIDE_URL


# --------------------------------------------------------------------------- chapters


@dataclass(frozen=True)
class Chapter:
    """One chapter of the guide, rendered."""

    slug: str
    title: str
    summary: str
    html: str
    source: Path

    @property
    def url(self) -> str:
        return guide_url(self.slug)


class GuideError(ValueError):
    """A chapter cannot be published as it is (for the maintainer, not the editor)."""


def chapter_slug(path: Path) -> str:
    """``03-konsultatsii.md`` → ``konsultatsii``: the order prefix is not part of the address."""
    return slugify(_ORDER_PREFIX.sub("", path.stem))


class _LinkRewriter(Treeprocessor):
    """Links that work both on the code host and on the site.

    ``other-chapter.md#anchor`` points at that chapter's page; ``/path`` is under SITEURL.
    """

    def __init__(self, md: markdown.Markdown, site_url: Callable[[str], str]) -> None:
        super().__init__(md)
        self.site_url = site_url

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            link.set("href", self.rewrite(link.get("href", "")))
        for image in root.iter("img"):
            image.set("src", self.rewrite_image(image.get("src", "")))

    def rewrite_image(self, src: str) -> str:
        """``snimki/x.png`` (beside the chapters) is copied to ``/pomosht/snimki/x.png``."""
        if src.startswith(f"{SCREENSHOTS}/"):
            return self.site_url(f"{GUIDE_URL}{src}")
        return src

    def rewrite(self, href: str) -> str:
        target, _, anchor = href.partition("#")
        suffix = f"#{anchor}" if anchor else ""
        if target.endswith(".md") and "://" not in target:
            return self.site_url(guide_url(chapter_slug(Path(target)))) + suffix
        if target.startswith("/") and not target.startswith("//"):
            return self.site_url(target) + suffix
        return href


class _Links(Extension):
    def __init__(self, site_url: Callable[[str], str]) -> None:
        super().__init__()
        self.site_url = site_url

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # Markdown's API name
        md.treeprocessors.register(_LinkRewriter(md, self.site_url), "uchastvai_guide_links", 1)


def _sanitiser() -> Callable[[str], str] | None:
    """The site's HTML sanitiser, when the theme provides one (the guide works without it)."""
    try:
        module = importlib.import_module("uchastvai.content.sanitize")
    except ImportError:
        return None
    return getattr(module, "sanitize_html", None) or getattr(module, "sanitize", None)


def render_markdown(text: str, site_url: Callable[[str], str]) -> str:
    """HTML of a chapter body, with headings anchored and links rewritten for the site."""
    md = markdown.Markdown(extensions=["extra", "toc", _Links(site_url)], output_format="html5")
    rendered = md.convert(text)
    clean = _sanitiser()
    return clean(rendered) if clean else rendered


def _first_paragraph(rendered: str) -> str:
    match = re.search(r"<p>(.*?)</p>", rendered, re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def read_chapter(path: Path, site_url: Callable[[str], str]) -> Chapter:
    """A chapter from its Markdown file; the first line is its ``# Title``."""
    text = path.read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    if not first.startswith("# "):
        raise GuideError(f"{path}: the first line must be the chapter's title, as # Title")
    rendered = render_markdown(body, site_url)
    return Chapter(chapter_slug(path), first[2:].strip(), _first_paragraph(rendered), rendered, path)


def read_chapters(folder: Path, site_url: Callable[[str], str]) -> list[Chapter]:
    """Every chapter in file-name order; two pages at one address are a mistake, not a choice."""
    chapters = [read_chapter(path, site_url) for path in sorted(folder.glob("*.md"))]
    taken = {FIELDS_SLUG: "the field reference", ERRORS_SLUG: "the list of messages"}
    for chapter in chapters:
        if chapter.slug in taken:
            raise GuideError(f"{chapter.source}: the address /{chapter.url} is already used by {taken[chapter.slug]}")
        taken[chapter.slug] = str(chapter.source)
    return chapters


# --------------------------------------------------------------------------- field reference

# The schema's own field types, as an editor would describe them.
_KNOWN_TYPES: tuple[tuple[Any, str], ...] = (
    (schema.IsoDate, N_("date as YYYY-MM-DD, e.g. 2026-03-15")),
    (schema.IsoDateTime, N_("date and time as YYYY-MM-DD HH:MM, e.g. 2026-03-14 18:00")),
    (schema.Amount, N_("amount with a decimal point, e.g. 179740.00")),
    (schema.Email, N_("e-mail address")),
    (schema.Phone, N_("phone number")),
    (schema.Url, N_("web address starting with https://")),
    (schema.Text, N_("text")),
)
_BASIC_TYPES: tuple[tuple[type, str], ...] = (
    (bool, N_("yes or no")),
    (int, N_("whole number")),
    (Decimal, N_("number with a decimal point, e.g. 42.0117")),
    (datetime, N_("date and time as YYYY-MM-DD HH:MM, e.g. 2026-03-14 18:00")),
    (date, N_("date as YYYY-MM-DD, e.g. 2026-03-15")),
    (str, N_("text")),
)


@dataclass
class FieldDoc:
    """One field as the reference shows it; ``fields`` are those of a nested group."""

    anchor: str
    name: str
    label: str
    kind: str
    required: bool
    help: str
    default: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    fields: list[FieldDoc] = field(default_factory=list)


@dataclass
class ModelDoc:
    """A content type: its folder under content/ and its fields."""

    type_name: str
    label: str
    folder: str
    fields: list[FieldDoc]


def _without_none(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


def _list_item(annotation: Any) -> Any | None:
    """The entry type of a list field, or None when the field is not a list."""
    inner = schema.unwrap(annotation)
    return typing.get_args(inner)[0] if _is_list(inner) else None


def _choices_of(annotation: Any) -> type[Enum] | None:
    inner = schema.unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, Enum) else None


def type_description(annotation: Any, lang: str) -> str:
    """What an editor writes for a field of this type, in their language."""
    annotation = _without_none(annotation)
    for known, description in _KNOWN_TYPES:
        if annotation == known:
            return gettext(description, lang)
    entry = _list_item(annotation)
    if entry is not None:
        if schema.nested_model(entry, through_lists=False):
            return gettext(N_("list of groups: each entry starts with - and its fields are indented below"), lang)
        return gettext(N_("list: each entry on its own line starting with - , as {entry}"), lang).format(
            entry=type_description(entry, lang)
        )
    if schema.nested_model(annotation, through_lists=False):
        return gettext(N_("group of fields, each on its own indented line below the name"), lang)
    if _choices_of(annotation):
        return gettext(N_("one of the values listed below"), lang)
    inner = schema.unwrap(annotation)
    for basic, description in _BASIC_TYPES:
        if isinstance(inner, type) and issubclass(inner, basic):
            return gettext(description, lang)
    return gettext(N_("text"), lang)


def _default_shown(info: Any) -> str:
    """The value used when the field is left out, when there is one worth telling."""
    if info.is_required() or info.default is None or info.default_factory is not None:
        return ""
    value = info.default
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def describe_fields(model: type[BaseModel], lang: str, anchor: str) -> list[FieldDoc]:
    """Every field of ``model`` in declaration order, nested groups included."""
    hints = typing.get_type_hints(model, include_extras=True)
    docs = []
    for name, info in model.model_fields.items():
        annotation = hints.get(name, info.annotation)
        group = schema.nested_model(annotation)
        choices = _choices_of(annotation)
        field_anchor = f"{anchor}-{name}"
        docs.append(
            FieldDoc(
                anchor=field_anchor,
                name=name,
                label=gettext(info.title or name, lang),
                kind=type_description(annotation, lang),
                required=info.is_required(),
                help=gettext(info.description, lang) if info.description else "",
                default=_default_shown(info),
                choices=[(member.value, _choice_label(member, lang)) for member in choices] if choices else [],
                fields=describe_fields(group, lang, field_anchor) if group else [],
            )
        )
    return docs


def _choice_label(member: Enum, lang: str) -> str:
    return gettext(member.label, lang) if isinstance(member, Labelled) else str(member.value)


def field_reference(lang: str) -> list[ModelDoc]:
    """The reference of every content type, straight from the schema."""
    return [
        ModelDoc(type_name, gettext(model.label_plural, lang), model.folder, describe_fields(model, lang, type_name))
        for type_name, model in CONTENT_TYPES.items()
    ]


# --------------------------------------------------------------------------- messages

READING = N_("Reading the file")
FIELD_VALUES = N_("Values of fields")
LEGAL_RULES = N_("Legal rules")
CONSISTENCY = N_("Consistency, links and files")
OTHER = N_("Other messages")
GROUPS = (READING, FIELD_VALUES, LEGAL_RULES, CONSISTENCY, OTHER)


class Guidance(NamedTuple):
    group: str
    advice: str


# What to do about each message; a code missing here is still listed, under OTHER.
GUIDANCE: dict[str, Guidance] = {
    "no_front_matter": Guidance(READING, N_("Put the fields at the very top of the file, between two lines ---.")),
    "front_matter_not_mapping": Guidance(
        READING, N_("Every line between the two --- lines is name: value; remove stray text or move it below.")
    ),
    "yaml_syntax": Guidance(
        READING,
        N_(
            "Look at the line given and the one above it: indentation with spaces (never tabs), one colon after "
            "the name, and quotes around a value that contains a colon followed by a space."
        ),
    ),
    "duplicate_key": Guidance(READING, N_("Delete one of the two lines; only one value can be kept.")),
    "not_in_section": Guidance(
        READING, N_("Move the file into the folder of its type: consultations, projects, ideas, news or pages.")
    ),
    "pelican_failed": Guidance(
        READING, N_("Compare the file with a scaffold made by ./dev.sh new, or ask the site's maintainer.")
    ),
    "missing": Guidance(FIELD_VALUES, N_("Add the field; the field reference says what it holds.")),
    "extra_forbidden": Guidance(
        FIELD_VALUES, N_("Correct the field's name as in the field reference, or delete the line.")
    ),
    "iso_date": Guidance(FIELD_VALUES, N_("Write the year first: 2026-03-15, not 15.03.2026.")),
    "iso_datetime": Guidance(
        FIELD_VALUES, N_("Write the date year first and the time with a colon: 2026-03-14 18:00.")
    ),
    "no_such_date": Guidance(FIELD_VALUES, N_("Check the day and month against a calendar.")),
    "amount": Guidance(FIELD_VALUES, N_("Write digits with a decimal point and two decimals, no currency: 179740.00.")),
    "enum": Guidance(FIELD_VALUES, N_("Copy one of the allowed values exactly, in Latin letters.")),
    "bool_parsing": Guidance(FIELD_VALUES, N_("Write yes or no.")),
    "int_parsing": Guidance(FIELD_VALUES, N_("Write digits only, without spaces or words.")),
    "decimal_parsing": Guidance(FIELD_VALUES, N_("Write digits with a decimal point, e.g. 12.5.")),
    "greater_than_equal": Guidance(FIELD_VALUES, N_("Correct the number; it cannot be this small.")),
    "less_than_equal": Guidance(FIELD_VALUES, N_("Correct the number; it cannot be this large.")),
    "string_type": Guidance(
        FIELD_VALUES, N_("Write the value on the same line as the name; remove the indented lines below it.")
    ),
    "list_type": Guidance(
        FIELD_VALUES, N_("Put each entry on its own line below the name, indented, starting with - and a space.")
    ),
    "model_type": Guidance(
        FIELD_VALUES, N_("Write the group's fields on their own lines below the name, indented by two spaces.")
    ),
    "dict_type": Guidance(
        FIELD_VALUES, N_("Write the group's fields on their own lines below the name, indented by two spaces.")
    ),
    "model_attributes_type": Guidance(
        FIELD_VALUES, N_("Write the group's fields on their own lines below the name, indented by two spaces.")
    ),
    "string_too_short": Guidance(FIELD_VALUES, N_("Write a value after the colon, or delete the line if optional.")),
    "too_short": Guidance(FIELD_VALUES, N_("Add at least one entry to the list.")),
    "email": Guidance(FIELD_VALUES, N_("Check the address: one @, no spaces, a domain with a dot.")),
    "phone": Guidance(FIELD_VALUES, N_("Write digits, spaces and an optional + only; no words such as тел.")),
    "url": Guidance(FIELD_VALUES, N_("Copy the full address from the browser's address bar.")),
    "slug": Guidance(
        FIELD_VALUES, N_("Use small Latin letters, digits and hyphens only, or delete the line to have it made.")
    ),
    "currency": Guidance(FIELD_VALUES, N_("Write EUR or BGN in capital Latin letters.")),
    "consultation_id": Guidance(FIELD_VALUES, N_("Write the year, a hyphen and three digits: 2026-014.")),
    "idea_id": Guidance(FIELD_VALUES, N_("Write a Cyrillic И, a hyphen, the year, a hyphen and three digits.")),
    "isun_code": Guidance(FIELD_VALUES, N_("Copy the code exactly as it is in ИСУН and in the contract.")),
    "invalid": Guidance(FIELD_VALUES, N_("Compare the value with the field reference.")),
    "period_too_short": Guidance(
        LEGAL_RULES, N_("Move the last day for proposals later: at least 14 days, normally 30, after publication.")
    ),
    "short_period_without_reason": Guidance(
        LEGAL_RULES, N_("Either give 30 days, or state in short_period_reason why the period is shorter.")
    ),
    "missing_motives": Guidance(
        LEGAL_RULES, N_("Attach the motives or report as a document of type motives before publishing.")
    ),
    "missing_impact_assessment": Guidance(
        LEGAL_RULES, N_("Attach the preliminary impact assessment as a document of type impact_assessment.")
    ),
    "missing_draft": Guidance(LEGAL_RULES, N_("Attach the draft act as a document of type draft.")),
    "report_overdue": Guidance(
        LEGAL_RULES,
        N_("Publish the справка: attach it as a document of type report and fill in outcome with report_date."),
    ),
    "budget_hearing_too_late": Guidance(
        LEGAL_RULES, N_("Move the hearing later, or give the real earlier announcement date in announced.")
    ),
    "contact_unreachable": Guidance(CONSISTENCY, N_("Add email or phone to the contact.")),
    "document_target": Guidance(
        CONSISTENCY, N_("Add file with the path under content/, or url for a document published elsewhere.")
    ),
    "no_way_to_respond": Guidance(CONSISTENCY, N_("Fill in at least one line under respond.")),
    "accepted_exceeds_received": Guidance(CONSISTENCY, N_("Check both numbers in outcome.")),
    "date_order": Guidance(CONSISTENCY, N_("Check both dates; one of them is probably mistyped.")),
    "outcome_before_close": Guidance(
        CONSISTENCY, N_("Remove outcome until the period ends, or correct the closing date.")
    ),
    "report_without_document": Guidance(
        CONSISTENCY, N_("Attach the справка as a document of type report, or remove report_date.")
    ),
    "money_sum": Guidance(
        CONSISTENCY, N_("Copy the amounts from the contract again; the parts must add up to the total to the cent.")
    ),
    "paid_exceeds_total": Guidance(CONSISTENCY, N_("Check the amount paid and the total.")),
    "rejected_without_reason": Guidance(CONSISTENCY, N_("Write why the idea was rejected in rejection_reason.")),
    "accepted_without_project": Guidance(CONSISTENCY, N_("Write the resulting project's code in project.")),
    "unknown_project": Guidance(
        CONSISTENCY, N_("Copy the code from the project's file, or publish the project first.")
    ),
    "unknown_related": Guidance(CONSISTENCY, N_("Copy the number or code exactly from the item's file.")),
    "file_not_found": Guidance(
        CONSISTENCY, N_("Put the file in that folder, or correct the path: small letters, no spaces, with extension.")
    ),
    "link_not_found": Guidance(
        CONSISTENCY, N_("Correct the path after {static}, or put the file where the link points.")
    ),
    "duplicate_id": Guidance(CONSISTENCY, N_("Give this item the next free number or its own code.")),
    "duplicate_url": Guidance(CONSISTENCY, N_("Write a different slug for one of the two items.")),
    "reserved_url": Guidance(
        CONSISTENCY, N_("Write a slug that is not the name of a section or folder of the site, e.g. add a word.")
    ),
    "image_unreadable": Guidance(
        CONSISTENCY, N_("Open the image in an image program and save it as JPEG or PNG, or replace the file.")
    ),
    "file_overwrite": Guidance(CONSISTENCY, N_("Write a different slug for one of the two items.")),
}
GUIDANCE.update({code: Guidance(*entry) for code, entry in INTAKE_ADVICE.items()})  # uchastvai.content.intake_advice


class _Ellipsis(dict):
    """Formatting values for messages shown without a particular file: every placeholder is „…“."""

    def __missing__(self, key: str) -> str:
        return "…"


def message_template(code: str, lang: str) -> str:
    """A message as the report words it, with „…“ where the report names what it found."""
    return string.Formatter().vformat(gettext(MESSAGES[code], lang), (), _Ellipsis())


@dataclass
class MessageDoc:
    code: str
    text: str
    advice: str


def message_groups(lang: str) -> Iterator[tuple[str, list[MessageDoc]]]:
    """Every message of the report, in its group, in the order of :data:`MESSAGES`."""
    by_group: dict[str, list[MessageDoc]] = {group: [] for group in GROUPS}
    for code in MESSAGES:
        guidance = GUIDANCE.get(code, Guidance(OTHER, ""))
        advice = gettext(guidance.advice, lang) if guidance.advice else ""
        by_group[guidance.group].append(MessageDoc(code, message_template(code, lang), advice))
    for group in GROUPS:
        if by_group[group]:
            yield gettext(group, lang), by_group[group]


def add_generator(pelican: Any) -> type[Generator]:
    """Receiver of Pelican's ``get_generators`` signal."""
    return GuideGenerator


# --------------------------------------------------------------------------- the generator


class GuideGenerator(Generator):
    """Writes ``/pomosht/``: the index, one page per chapter, the fields and the messages."""

    def generate_context(self) -> None:
        folder = Path(self.settings.get("GUIDE_PATH") or DEFAULT_GUIDE_PATH)
        if not folder.is_dir():
            logger.warning("No editors' guide chapters in %s", folder)
        chapters = read_chapters(folder, self.site_url) if folder.is_dir() else []
        self.chapters = chapters
        self.context["guide_url"] = pure(guide_url)

    def site_url(self, path: str) -> str:
        return absolute_url(self.settings, path)

    def generate_output(self, writer: Any) -> None:
        lang = self.settings.get("DEFAULT_LANG", "bg")
        self._copy_screenshots()
        references = [
            (guide_url(FIELDS_SLUG), gettext(N_("Fields of every content type"), lang)),
            (guide_url(ERRORS_SLUG), gettext(N_("Messages of the content check"), lang)),
        ]
        common = {"chapters": self.chapters, "references": references}
        self._write(writer, guide_url(), "index", title=gettext(N_("Guide for editors"), lang), **common)
        for index, chapter in enumerate(self.chapters):
            previous = self.chapters[index - 1] if index else None
            following = self.chapters[index + 1] if index + 1 < len(self.chapters) else None
            self._write(
                writer, chapter.url, "chapter", title=chapter.title, chapter=chapter,
                previous=previous, following=following, **common,
            )  # fmt: skip
        self._write(writer, references[0][0], "fields", title=references[0][1], models=field_reference(lang), **common)
        self._write(
            writer, references[1][0], "errors", title=references[1][1], groups=list(message_groups(lang)), **common
        )

    def _copy_screenshots(self) -> None:
        folder = Path(self.settings.get("GUIDE_PATH") or DEFAULT_GUIDE_PATH) / SCREENSHOTS
        if not folder.is_dir():
            return
        target = Path(self.output_path) / GUIDE_URL / SCREENSHOTS
        target.mkdir(parents=True, exist_ok=True)
        for picture in sorted(folder.glob("*.png")):
            shutil.copyfile(picture, target / picture.name)
            announce(target / picture.name, self.context)

    def _write(self, writer: Any, url: str, kind: str, **values: Any) -> None:
        writer.write_file(
            f"{url}index.html",
            self.get_template("guide"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_url=url,
            guide_kind=kind,
            **values,
        )
