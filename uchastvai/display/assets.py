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


def worker_source(settings: dict[str, Any]) -> str:
    return (theme_folder(settings) / WORKER).read_text(encoding="utf-8")


def write_assets(assets: list[Asset], display_dir: Path) -> None:
    for asset in assets:
        target = display_dir / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset.data)
