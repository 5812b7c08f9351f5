"""Search that works on plain static hosting: a Pagefind index built with the site.

Pagefind writes a static index in chunks that the browser fetches only for the words
searched, so a search costs a few kilobytes and needs no server. It has no Bulgarian
stemmer; Bulgarian and Russian share most inflectional endings of nouns and adjectives,
and with the Russian stemmer „консултация“ also finds „консултации“ (see the tests), so
the index is built with ``--force-language ru`` unless ``SEARCH_STEMMER`` says otherwise.

Only the text inside ``data-pagefind-body`` (the item and page templates) is indexed:
lists and the home page repeat summaries and would only add noise. Those pages are all
written by Pelican's article and page generators, which run first; so the indexer starts
as soon as they are done (``page_writer_finalized``) and works on the second core while
the feeds, calendars, lists and data are written. Pagefind is only shown the item and
page folders (``--glob``): a list page it meets half-written has no ``data-pagefind-body``
and is skipped either way. The build waits for it in ``finalized``, so a failed indexing
fails the build and never reaches the published site.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html

from uchastvai.content.schema import CONTENT_TYPES
from uchastvai.outputs import incremental

DEFAULT_STEMMER = "ru"
BUNDLE = "pagefind"

# Indexers started by this process and not yet waited for, by site folder.
_running: dict[Path, subprocess.Popen[str]] = {}
# Sites whose index was reused from an earlier build (nothing to wait for).
_reused: set[Path] = set()


class SearchIndexFailed(RuntimeError):
    """Pagefind could not index the site: the build must not be published."""


def pagefind_command(site: Path, stemmer: str | None, folders: list[str] | None = None) -> list[str]:
    """The indexer's command line; ``folders``: index only ``<folder>/*/index.html`` and top pages."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE, "--silent"]
    if folders:
        command += ["--glob", "{" + ",".join(["*", *(f"{folder}/*" for folder in sorted(folders))]) + "}/index.html"]
    if stemmer:
        command += ["--force-language", stemmer]
    return command


def _finish(process: subprocess.Popen[str]) -> None:
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise SearchIndexFailed(stderr.strip() or stdout.strip())


def build_index(site: Path, stemmer: str | None = DEFAULT_STEMMER) -> Path:
    """Index the built ``site`` (every page); return the bundle folder."""
    process = subprocess.Popen(
        pagefind_command(site, stemmer), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    _finish(process)
    return site / BUNDLE


def item_folders() -> list[str]:
    """The folders holding the indexed pages: one per content type's section."""
    return sorted({model.section for model in CONTENT_TYPES.values() if model.section})


def is_indexed(name: str, folders: list[str]) -> bool:
    """Whether Pagefind's ``--glob`` of :func:`pagefind_command` takes this output file."""
    parts = name.split("/")
    return parts[-1] == "index.html" and (len(parts) == 2 or (len(parts) == 3 and parts[0] in folders))


def indexed_files(site: Path, folders: list[str]) -> list[str]:
    """The files of ``site`` that Pagefind's ``--glob`` takes, relative to it."""
    patterns = ["*/index.html", *(f"{folder}/*/index.html" for folder in folders)]
    return [path.relative_to(site).as_posix() for pattern in patterns for path in site.glob(pattern)]


def indexed_text(path: Path) -> str:
    """What Pagefind takes from a page: its language, every ``data-pagefind-*`` attribute, and
    the body (``data-pagefind-body``) as markup, tags, attributes (but ``class``, which Pagefind
    reads only for selectors we do not configure), images and words, without the parts marked
    ``data-pagefind-ignore`` (countdowns, progress, states: what moves with the date)."""
    root = lxml.html.fromstring(path.read_bytes())
    for ignored in root.xpath("//*[@data-pagefind-ignore]"):
        ignored.drop_tree()
    for styled in root.xpath("//*[@class]"):  # a state's colour (status-open, hearing-past) is no word
        del styled.attrib["class"]
    parts = [root.get("lang") or ""]
    parts += [" ".join(e.text_content().split()) for e in root.xpath("(//h1)[1] | //title")]
    for element in root.xpath("//*[@*[starts-with(name(), 'data-pagefind')]]"):
        parts.append(repr(sorted((k, v) for k, v in element.attrib.items() if k.startswith("data-pagefind"))))
        if "data-pagefind-body" in element.attrib:
            parts.append(lxml.html.tostring(element, encoding="unicode"))
    return "\x1f".join(parts)


def same_indexed_text(new: Path, old: Path) -> bool:
    """Whether Pagefind would index the two pages alike."""
    try:
        return indexed_text(new) == indexed_text(old)
    except (OSError, ValueError):
        return False


def start_indexing(generator: Any, writer: Any = None) -> None:
    """``page_writer_finalized`` handler: every indexed page is written, start Pagefind.

    When the build reuses earlier output and none of the indexed pages changed, the
    earlier index is reused too (Pagefind cannot update an index, only make a new one).
    """
    settings = generator.settings
    if not settings.get("SEARCH_ENABLED", True):
        return
    incremental.render_deferred(generator, writer)  # whichever handler runs first: the pages must be there
    site = Path(generator.output_path).resolve()
    stop(site)
    stemmer = settings.get("SEARCH_STEMMER", DEFAULT_STEMMER)
    folders = item_folders()
    outputs = getattr(writer, "outputs", None)
    if outputs is not None:
        indexed = {name for name in outputs.records if is_indexed(name, folders)}
        key = outputs.digest_of(indexed)
        unkeyed = any(is_indexed(name, folders) for name in outputs.unkeyed)
        if not unkeyed and (
            outputs.reuse_folder(f"{BUNDLE}/", key)
            or (
                outputs.same_as_live(f"{BUNDLE}/", indexed, same_indexed_text)
                and outputs.inherit_folder(f"{BUNDLE}/", key)
            )
        ):
            _reused.add(site)
            return
        shutil.rmtree(site / BUNDLE, ignore_errors=True)  # Pagefind adds to a folder, never empties it
        if not unkeyed:
            outputs.wrote(f"{BUNDLE}/", key, inputs=indexed)
        outputs.remove_unrecorded(indexed_files(site, folders))
    command = pagefind_command(site, stemmer, folders)
    _running[site] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def index_site(pelican: Any) -> None:
    """``finalized`` handler: wait for the indexer (or run it, if nothing started it)."""
    settings = pelican.settings
    if not settings.get("SEARCH_ENABLED", True):
        return
    site = Path(pelican.output_path).resolve()
    if site in _reused:
        _reused.discard(site)
        return
    process = _running.pop(site, None)
    if process is None:
        build_index(site, settings.get("SEARCH_STEMMER", DEFAULT_STEMMER))
        return
    _finish(process)


def stop(site: Path | None = None) -> None:
    """End indexers of a failed build (all of them without ``site``), so none outlives it."""
    for folder in [site] if site is not None else list(_running):
        process = _running.pop(folder, None) if folder is not None else None
        if process is not None:
            process.kill()
            process.communicate()
