"""Search that works on plain static hosting: a Pagefind index built with the site.

Pagefind writes a static index in chunks that the browser fetches only for the words
searched, so a search costs a few kilobytes and needs no server. It has no Bulgarian
stemmer; Bulgarian and Russian share most inflectional endings of nouns and adjectives,
and with the Russian stemmer „консултация“ also finds „консултации“ (see the tests), so
the index is built with ``--force-language ru`` unless ``SEARCH_STEMMER`` says otherwise.
The index is written into the staging folder after Pelican has finished, so a failed
indexing fails the build and never reaches the published site.

Only the text inside ``data-pagefind-body`` (the item and page templates) is indexed:
lists and the home page repeat summaries and would only add noise.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

DEFAULT_STEMMER = "ru"
BUNDLE = "pagefind"


class SearchIndexFailed(RuntimeError):
    """Pagefind could not index the site: the build must not be published."""


def pagefind_command(site: Path, stemmer: str | None) -> list[str]:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE, "--silent"]
    if stemmer:
        command += ["--force-language", stemmer]
    return command


def build_index(site: Path, stemmer: str | None = DEFAULT_STEMMER) -> Path:
    """Index the built ``site``; return the bundle folder."""
    result = subprocess.run(pagefind_command(site, stemmer), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexFailed(result.stderr.strip() or result.stdout.strip())
    return site / BUNDLE


def index_site(pelican: Any) -> None:
    """``finalized`` handler: index the output Pelican has just written."""
    settings = pelican.settings
    if not settings.get("SEARCH_ENABLED", True):
        return
    build_index(Path(pelican.output_path), settings.get("SEARCH_STEMMER", DEFAULT_STEMMER))
