"""Markdown converted ahead of Pelican's reading loop, in worker processes.

Pelican reads files one after another in one process, and converting Markdown was about
40% of a cold build (bench/README.md). When a generator is created, the Markdown files it
will read and that its content cache cannot serve are handed, in batches, to
``MARKDOWN_PROCESSES`` forked workers; the front-matter reader then takes each body's HTML
from them instead of converting it itself. The workers run the same function with the
same settings as the reader, so the HTML is the same bytes either way.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from uchastvai import pelican_compat
from uchastvai.content.reader import FrontMatterReader, markdown_converter, render_body

BATCH = 40  # files per task: fewer round trips than one task per file
MINIMUM_FILES = 200  # below this, starting workers costs more than it saves

_worker_converter: Any = None


def _start_worker(markdown_settings: dict[str, Any]) -> None:
    global _worker_converter  # noqa: PLW0603 - one converter per worker process
    _worker_converter = markdown_converter(markdown_settings)


def _render_batch(paths: list[str]) -> list[str]:
    return [render_body(_worker_converter, Path(path).read_text(encoding="utf-8", errors="replace")) for path in paths]


class Prerendered:
    """HTML of Markdown bodies, converted by worker processes, taken once per path."""

    def __init__(self, paths: list[str], markdown_settings: dict[str, Any], processes: int) -> None:
        context = multiprocessing.get_context("fork")
        self._pool = ProcessPoolExecutor(
            processes, mp_context=context, initializer=_start_worker, initargs=(markdown_settings,)
        )
        self._pending: dict[str, tuple[Future[list[str]], int]] = {}
        for start in range(0, len(paths), BATCH):
            batch = paths[start : start + BATCH]
            future = self._pool.submit(_render_batch, batch)
            for index, path in enumerate(batch):
                self._pending[path] = (future, index)

    def take(self, path: str) -> str | None:
        """The HTML of ``path``'s body, or None if it was not handed to the workers."""
        entry = self._pending.pop(path, None)
        if entry is None:
            return None
        future, index = entry
        try:
            html: str | None = future.result()[index]
        except Exception:  # the reader converts it again and reports the error as usual
            html = None
        if not self._pending:
            self.close()
        return html

    def close(self) -> None:
        self._pending.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)


_ACTIVE: list[Prerendered] = []


def files_to_render(generator: Any, paths_setting: str, excludes_setting: str) -> list[str]:
    """Absolute paths of the generator's Markdown files that its reader cache cannot serve."""
    settings = generator.settings
    readers = generator.readers
    found = []
    for relative in generator.get_files(settings[paths_setting], exclude=settings[excludes_setting]):
        path = os.path.abspath(os.path.join(generator.path, relative))
        reader = readers.readers.get(relative.rsplit(".", 1)[-1])
        if isinstance(reader, FrontMatterReader) and not pelican_compat.is_cached(readers, path):
            found.append(path)
    return found


def start(generator: Any, paths_setting: str, excludes_setting: str) -> None:
    """Hand the generator's uncached Markdown files to workers, if there are enough of them."""
    processes = int(generator.settings.get("MARKDOWN_PROCESSES") or 0)
    if processes < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return
    paths = files_to_render(generator, paths_setting, excludes_setting)
    if len(paths) < MINIMUM_FILES:
        return
    prerendered = Prerendered(paths, generator.settings["MARKDOWN"], processes)
    _ACTIVE.append(prerendered)
    for reader in generator.readers.readers.values():
        if isinstance(reader, FrontMatterReader):
            reader.prerendered = prerendered


def start_for_articles(generator: Any) -> None:
    start(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def start_for_pages(generator: Any) -> None:
    start(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def stop_all() -> None:
    """End every worker (files never read, e.g. after an error, are simply dropped)."""
    while _ACTIVE:
        _ACTIVE.pop().close()
