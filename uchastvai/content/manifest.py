"""The manifest of published addresses, so a published page never vanishes unnoticed.

Each build writes ``url-manifest.json`` into its output (linked from no page): every
item's address, with the file it came from, and the old addresses kept by ``aliases``.
The next build compares: an address of the previous build (the manifest in the output
folder being replaced — for ``publish``, the last published build) that is neither an
item's address nor an alias now would break links, bookmarks and printed QR codes. It
is a warning in the preview and an error in a strict (publishing) build, with what to
write to keep the address.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pelican.generators import Generator

from uchastvai.core.written import write_output
from uchastvai.content.problems import Problem, Severity

MANIFEST_NAME = "url-manifest.json"
VERSION = 1


def alias_url(item: Any, alias: str) -> str:
    """The site-relative address an alias keeps alive (as uchastvai.outputs.seo writes its redirect)."""
    section = type(item).section
    return f"{section}/{alias}/" if section else f"{alias}/"


def current_manifest(published: list[Any], shown: dict[str, str]) -> dict[str, Any]:
    """Addresses of the published items (``shown``: source path → path shown to editors)."""
    urls = {content.url: shown[content.source_path] for content in published}
    aliases = {alias_url(content.item, alias): content.url for content in published for alias in content.item.aliases}
    return {"version": VERSION, "urls": dict(sorted(urls.items())), "aliases": dict(sorted(aliases.items()))}


def load(folder: Path) -> dict[str, Any] | None:
    """The manifest in ``folder``, or None when there is none (a first build) or it is unreadable."""
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("urls"), dict) else None


def _slug_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def lost_addresses(previous: dict[str, Any], current: dict[str, Any], strict: bool) -> list[Problem]:
    """A problem for each address of ``previous`` that ``current`` no longer serves."""
    kept = set(current["urls"]) | set(current["aliases"])
    now_at = {source: url for url, source in current["urls"].items()}
    severity = Severity.ERROR if strict else Severity.WARNING
    problems = []
    for url, source in sorted(previous["urls"].items()):
        if url in kept:
            continue
        slug = _slug_of(url)
        moved_to = now_at.get(source)
        code, expected = ("url_moved", f"/{moved_to}") if moved_to else ("url_gone", "")
        problems.append(
            Problem(
                code=code,
                severity=severity,
                source=str(source),
                found=f"/{url}",
                expected=expected,
                params={"slug": slug},
            )
        )
    return problems


def check(
    published: list[Any], shown: dict[str, str], settings: dict[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """The new manifest, and the addresses of the previous build's manifest it has lost."""
    current = current_manifest(published, shown)
    folder = settings.get("PREVIOUS_OUTPUT_PATH") or settings["OUTPUT_PATH"]
    previous = load(Path(folder))
    if previous is None:
        return current, []
    return current, lost_addresses(previous, current, bool(settings.get("STRICT_VALIDATION")))


class ManifestGenerator(Generator):
    """Writes the manifest computed at validation time (``context["url_manifest"]``) into the output."""

    def generate_output(self, writer: Any) -> None:
        manifest = self.context.get("url_manifest")
        if manifest is None:
            return
        path = Path(self.output_path) / MANIFEST_NAME
        write_output(path, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", self.context)


def add_generator(pelican: Any) -> type[Generator]:
    return ManifestGenerator
