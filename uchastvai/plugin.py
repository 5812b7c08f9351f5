"""Wiring into Pelican's documented signals (no patching of Pelican internals).

initialized             the content cache gets a folder per version of our reader
readers_init            our front-matter reader takes the Markdown files
article_generator_init, page_generator_init
                        uncached Markdown bodies go to worker processes (prerender)
generator_init          translations and filters for the templates
all_generators_finalized
                        validate every item, report all problems at once (and stop the
                        build before anything is written if there are errors), derive
                        facts, build the catalogue
get_generators          the section list pages
"""

from __future__ import annotations

import copy
import functools
import gzip
import hashlib
import logging
import os
import pickle
import re
import sys
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator

from uchastvai import hosting, pelican_compat, pelican_log, prerender
from uchastvai.content import intake, manifest
from uchastvai.content.problems import Problem, Severity, format_report, has_errors
from uchastvai.content.reader import FrontMatterReader
from uchastvai.content.schema import CONTENT_TYPES
from uchastvai.content.validation import Entry, SourceFile, check_rules, check_site, validate_file
from uchastvai.core import buildcache
from uchastvai.core.dates import build_time_from_env, local
from uchastvai.core.i18n import translations
from uchastvai.display.generator import add_generator as add_display_generator
from uchastvai.editors import cms, drafts, guide
from uchastvai.facts.catalog import Catalog
from uchastvai.facts.derive import derive
from uchastvai.facts.urls import municipality_name
from uchastvai.outputs import filters, incremental, theme
from uchastvai.outputs.calendar import CalendarGenerator
from uchastvai.outputs.feeds import FeedGenerator
from uchastvai.outputs.incremental import AsRead, remembered
from uchastvai.outputs.opendata import OpenDataGenerator
from uchastvai.outputs.sections import SectionGenerator
from uchastvai.outputs.templates_cache import bytecode_cache

logger = logging.getLogger(__name__)


class ContentInvalid(SystemExit):
    """The content has errors: the build stops before writing anything.

    A ``SystemExit`` so that Pelican's own command line ends with the report and exit
    code 2 instead of a traceback; our build entry point and tests catch it.
    """

    def __init__(self, problems: list[Problem], report: str) -> None:
        super().__init__(2)
        self.problems = problems
        self.report = report


def build_time_of(settings: dict[str, Any]) -> datetime:
    """``BUILD_TIME`` from the settings (set by the entry point), else SOURCE_DATE_EPOCH / now."""
    value = settings.get("BUILD_TIME")
    if isinstance(value, datetime):
        return local(value)
    return build_time_from_env()


# What a cached read depends on besides the file itself: our reader and what it calls.
_READER_SOURCES = (
    "content/reader.py",
    "content/text_intake.py",
    "content/slugs.py",
    "core/dates.py",
    "content/problems.py",
)


def reader_fingerprint(settings: dict[str, Any]) -> str:
    """Short hash of the reader's code, Pelican's and Markdown's versions and the Markdown settings."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{version('pelican')} {version('markdown')} {settings.get('MARKDOWN')!r}".encode())
    for name in _READER_SOURCES:
        digest.update((Path(__file__).parent / name).read_bytes())
    digest.update("\n".join(module_layout(Path(__file__).parent)).encode())
    return digest.hexdigest()[:12]


def module_layout(package: Path) -> list[str]:
    """Every module file of the package, so a moved module gets a new cache.

    Pickled reads name the classes they hold by module (the settings' ``PATHS``, the
    items' types); after a module moves, an old cache would fail to load at all.
    """
    return sorted(path.relative_to(package).as_posix() for path in package.rglob("*.py"))


def versioned_cache(pelican: Any) -> None:
    """Point ``CACHE_PATH`` at a subfolder named after :func:`reader_fingerprint`.

    Pelican's cache knows only file stamps: after an upgrade of the plugin it would
    serve what the old reader produced. A new reader gets a new, empty folder instead.
    """
    settings = pelican.settings
    folder = f"reader-{reader_fingerprint(settings)}"
    using_cache = settings.get("CACHE_CONTENT") or settings.get("LOAD_CONTENT_CACHE")
    if using_cache and os.path.basename(settings["CACHE_PATH"]) != folder:
        settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], folder)
    if settings.get("LOAD_CONTENT_CACHE"):
        discard_cut_caches(Path(settings["CACHE_PATH"]), bool(settings.get("GZIP_CACHE")))


def discard_cut_caches(folder: Path, compressed: bool) -> list[Path]:
    """Remove Pelican cache files that a killed build left cut short; return them.

    Pelican writes its cache files in place and, loading them, recovers from a damaged
    pickle but not from an empty file or a cut gzip stream (``EOFError``): after a build
    killed at that moment every later build would fail. Without the file the next build
    reads every content file again.
    """
    removed = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        pelicans = path.name.endswith(("Generator", "Generator-Readers"))  # its cache names: class[-Readers]
        if pelicans and path.is_file() and not _whole_pickle(path, compressed):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _whole_pickle(path: Path, compressed: bool) -> bool:
    """Whether the file holds data ending as every pickle does (its STOP opcode, ``.``)."""
    last = b""
    try:
        if compressed:
            with gzip.open(path, "rb") as stream:  # reading to the end checks the stream's length and CRC
                while chunk := stream.read(1 << 20):
                    last = chunk[-1:]
        else:
            with path.open("rb") as stream:
                if stream.seek(0, os.SEEK_END):
                    stream.seek(-1, os.SEEK_END)
                    last = stream.read(1)
    except (OSError, EOFError, zlib.error):
        return False
    return last == pickle.STOP


def add_reader(readers: Any) -> None:
    pelican_compat.register_reader(readers, FrontMatterReader, FrontMatterReader.file_extensions)


def setup_templates(generator: Generator) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    lang = generator.settings.get("DEFAULT_LANG", "bg")
    env.autoescape = True  # whatever a municipality's settings say: content is text (uchastvai.content.sanitize)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters.update(filters.FILTERS)
    env.globals.update(filters.GLOBALS)
    env.globals["municipality_name"] = municipality_name(generator.settings)
    env.bytecode_cache = bytecode_cache(generator.settings)


def _contents(generators: list[Generator]) -> list[Any]:
    contents: list[Any] = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            contents += generator.articles + generator.translations + generator.drafts
        elif isinstance(generator, PagesGenerator):
            contents += generator.pages + generator.hidden_pages + generator.draft_pages
    return contents


def _shown_path(source_path: str, settings: dict[str, Any]) -> str:
    """Paths as the editor sees them in the project: content/consultations/x.md."""
    return os.path.relpath(source_path, _project_folder(settings["PATH"]))


@functools.lru_cache(maxsize=8)
def _project_folder(content: str) -> str:
    return str(Path(content).resolve().parent)


_INTERNAL_LINK = re.compile(r"""(?:href|src)=["']\{(?:static|filename|attach)\}([^"'#?]+)""")


def body_link_problems(content: Any, shown: str, content_root: Path) -> list[Problem]:
    """``{static}``/``{filename}`` links in the body that point at no file, with their line.

    Pelican only logs these and publishes a broken link; an editor should hear of it.
    """
    source = Path(content.source_path)
    problems = []
    lines: list[str] | None = None  # read only to tell the editor where a broken link is
    for target in _INTERNAL_LINK.findall(pelican_compat.raw_body(content)):
        path = unquote(target)
        resolved = content_root / path.lstrip("/") if path.startswith("/") else source.parent / path
        if not resolved.is_file():
            if lines is None:
                lines = source.read_text(encoding="utf-8").splitlines()
            line = next((number for number, text in enumerate(lines, 1) if target in text), None)
            problems.append(Problem.error(code="link_not_found", source=shown, line=line, found=target))
    return problems


def kept_body_problems(settings: dict[str, Any], content: Any, shown: str, draft: bool) -> list[Problem]:
    """:func:`intake.body_problems`, which reads the file again, kept between builds while
    the file (its identity) and what Pelican read from it are the same."""
    try:
        stat = os.stat(content.source_path)
    except OSError:
        return intake.body_problems(content, shown, draft)
    identity = (content.source_path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    key = ("body problems", identity, AsRead(content), shown, draft)
    found = remembered(settings, key, lambda: intake.body_problems(content, shown, draft))
    return [copy.copy(problem) for problem in found]  # the report may complete them


def validate_contents(contents: list[Any], settings: dict[str, Any], build_time: datetime) -> list[Problem]:
    """Validate each item, attach ``item`` and ``facts`` to the valid ones; return all problems."""
    content_root = Path(settings["PATH"])
    problems: list[Problem] = []
    entries: list[Entry] = []
    for content in contents:
        shown = _shown_path(content.source_path, settings)
        parse_problems = [Problem.from_dict(data) for data in content.metadata.get("front_matter_problems", [])]
        for problem in parse_problems:
            problem.source = shown
        problems += parse_problems
        model_name = content.metadata.get("type")
        if any(p.severity == Severity.ERROR for p in parse_problems) or model_name is None:
            if model_name is None:
                problems.append(
                    Problem.error(
                        code="not_in_section", source=shown, expected="consultations, projects, ideas, news, pages"
                    )
                )
            continue
        file = SourceFile(
            shown, CONTENT_TYPES[model_name], content.metadata["front_matter"], content.metadata["front_matter_lines"]
        )
        item, schema_problems = validate_file(file)
        problems += schema_problems
        if item is None:
            continue
        problems += check_rules(item, file, build_time)
        problems += body_link_problems(content, shown, content_root)
        pelican_compat.attach(content, item, derive(item, build_time, content_root))
        problems += kept_body_problems(settings, content, shown, item.draft)  # keyed by the item as read
        entries.append(Entry(item, file, content.url))
    problems += check_site(entries, content_root)
    return problems


def drop_invalid_drafts(generators: list[Generator]) -> None:
    """A draft the schema rejected is reported but not written: its page has no item to show,
    and a broken draft must never stop the published content from being built."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            generator.drafts = [c for c in generator.drafts if hasattr(c, "item")]
        elif isinstance(generator, PagesGenerator):
            generator.draft_pages = [c for c in generator.draft_pages if hasattr(c, "item")]


def freeze_urls(contents: list[Any]) -> None:
    """Compute each item's URL once: Pelican recomputes ``url`` from its patterns on every
    access (about 14 times per item, a tenth of the writing time). Once reading is over
    the URL cannot change, so it is stored as the item's ``override_url``, as a ``URL``
    metadata field would be."""
    for content in contents:
        pelican_compat.freeze_url(content)


def finalize(generators: list[Generator]) -> None:
    """Validate, report and derive, after reading and before writing."""
    settings = generators[0].settings
    context = generators[0].context
    build_time = build_time_of(settings)
    prerender.stop_all()
    contents = _contents(generators)
    freeze_urls(contents)
    problems = validate_contents(contents, settings, build_time)
    content_root = Path(settings["PATH"])
    problems += intake.unread_files(content_root, intake.read_paths(generators, contents, content_root), settings)
    published = [c for c in contents if pelican_compat.has_item(c) and not c.item.draft]
    shown = {c.source_path: _shown_path(c.source_path, settings) for c in published}
    context["url_manifest"], lost = manifest.check(published, shown, settings)
    problems += lost
    strict = bool(settings.get("STRICT_VALIDATION"))
    # Drafts are known by their front matter even when the schema rejects them: their
    # problems are reported but never stop the published content.
    drafts = {_shown_path(c.source_path, settings) for c in contents if getattr(c, "status", "") == "draft"}
    blocking = [p for p in problems if p.source not in drafts]
    if problems:
        report = format_report(problems, settings.get("DEFAULT_LANG", "bg"))
        if has_errors(blocking, strict):
            print(report, file=sys.stderr)
            raise ContentInvalid(problems, report)
        logger.warning("%s", report)
    drop_invalid_drafts(generators)
    context["catalog"] = Catalog.from_contents(published, build_time)
    context["build_time"] = build_time
    context["content_warnings"] = [p for p in problems if p.severity != Severity.ERROR or p.source in drafts]


def add_generators(pelican: Any) -> type[Generator]:
    return SectionGenerator


def subscription_generators(pelican: Any) -> list[type[Generator]]:
    """The generators of everything citizens subscribe to or download: feeds, calendars, data."""
    return [FeedGenerator, CalendarGenerator, OpenDataGenerator]


def connect_signals() -> None:
    signals.initialized.connect(buildcache.clear)
    pelican_log.install()
    signals.initialized.connect(versioned_cache)
    signals.readers_init.connect(add_reader)
    signals.article_generator_init.connect(prerender.start_for_articles)
    signals.page_generator_init.connect(prerender.start_for_pages)
    signals.generator_init.connect(setup_templates)
    signals.all_generators_finalized.connect(finalize)
    signals.get_generators.connect(add_generators)
    signals.get_generators.connect(subscription_generators)
    signals.get_generators.connect(add_display_generator)
    theme.connect_signals()
    incremental.connect_signals()
    signals.get_generators.connect(guide.add_generator)
    signals.get_generators.connect(manifest.add_generator)
    signals.get_generators.connect(hosting.add_generator)
    signals.finalized.connect(cms.on_finalized)
    signals.get_generators.connect(drafts.add_generator)
