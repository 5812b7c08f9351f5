"""The kiosk page's own files, written under ``display/assets/`` with content-hashed names.

A player caches a file for as long as its name stays the same, so a name that changes
with the content is the only reliable way to make it fetch a changed file, and the
service worker can keep old and new versions apart. The display folder is complete in
itself: the image renderer and the service worker need nothing from elsewhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

THEME_FILES = ("kiosk.css", "kiosk.js", "eu-emblem.svg")
WORKER = "sw.js"


def content_hash(data: bytes, length: int = 10) -> str:
    return hashlib.sha256(data).hexdigest()[:length]


def hashed_name(name: str, data: bytes) -> str:
    """``kiosk.css`` → ``kiosk.3f2a9c01de.css``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{content_hash(data)}.{suffix}" if dot else f"{name}.{content_hash(data)}"


@dataclass(frozen=True)
class Asset:
    name: str  # how templates refer to it
    path: str  # relative to display/, e.g. assets/kiosk.3f2a9c01de.css
    data: bytes


def theme_folder(settings: dict[str, Any]) -> Path:
    return Path(settings["THEME"]) / "static" / "display"


def collect_assets(settings: dict[str, Any]) -> list[Asset]:
    """The theme's kiosk files and the municipality's coat of arms (name ``arms``)."""
    folder = theme_folder(settings)
    sources = [(name, folder / name) for name in THEME_FILES]
    arms = Path(settings["PATH"]) / settings["MUNICIPALITY"]["coat_of_arms"]
    sources.append(("arms", arms if arms.is_file() else folder / "eu-emblem.svg"))
    assets = []
    for name, source in sources:
        data = source.read_bytes()
        assets.append(Asset(name, f"assets/{hashed_name(source.name, data)}", data))
    return assets


def colours_asset(colours: dict[str, str]) -> Asset:
    """The municipality's colours as a stylesheet file of their own.

    The production CSP (``style-src 'self'``) blocks inline ``<style>``, so the colours
    cannot be written into the page; a file beside the kiosk's CSS can be loaded.
    """
    names = {"primary": "--primary", "on_primary": "--on-primary", "accent": "--accent"}
    rules = "".join(f" {prop}: {_css_colour(colours[key])};" for key, prop in names.items())
    data = f":root {{{rules} }}\n".encode()
    return Asset("colours.css", f"assets/{hashed_name('colours.css', data)}", data)


def _css_colour(value: str) -> str:
    """A ``#rgb``/``#rrggbb`` colour as is; anything else from the settings is refused."""
    text = value.strip()
    if not (text.startswith("#") and len(text) in (4, 7) and all(c in "0123456789abcdefABCDEF" for c in text[1:])):
        raise ValueError(f"MUNICIPALITY colours: {value!r} is not a colour of the form #rrggbb")
    return text


def worker_source(settings: dict[str, Any]) -> str:
    return (theme_folder(settings) / WORKER).read_text(encoding="utf-8")
