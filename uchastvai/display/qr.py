"""QR codes as inline SVG: sharp at any size, no extra request, no third party."""

from __future__ import annotations

import hashlib
from pathlib import Path

import segno

from uchastvai.core.written import replace_atomically


def qr_svg(url: str, dark: str = "#000000", light: str = "#ffffff") -> str:
    """An SVG QR code for ``url`` that scales to its box (no fixed size, viewBox only).

    Error correction „M“ keeps the modules large enough to scan from a phone at 1–2 m
    on a 320 px code; the quiet zone of 2 modules is inside the SVG, on a light ground.
    """
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=1, border=2, dark=dark, light=light, omitsize=True, svgclass="qr", lineclass=None)


def cached_qr_svg(url: str, cache_dir: Path | None) -> str:
    """:func:`qr_svg`, kept in ``cache_dir`` by the address, so a rebuild draws no code again."""
    if cache_dir is None:
        return qr_svg(url)
    path = _cached_path(url, cache_dir)
    if path.is_file():
        return path.read_text(encoding="utf-8")
    svg = qr_svg(url)
    replace_atomically(path, svg)
    return svg


def _cached_path(url: str, cache_dir: Path) -> Path:
    return cache_dir / "qr" / f"{hashlib.sha256(url.encode()).hexdigest()[:24]}.svg"


def prune_qr_cache(urls: list[str], cache_dir: Path | None) -> None:
    """Keep only the codes of this build's slides, so the cache does not grow with the archive."""
    if cache_dir is None or not (cache_dir / "qr").is_dir():
        return
    keep = {_cached_path(url, cache_dir).name for url in urls}
    for old in (cache_dir / "qr").glob("*.svg"):
        if old.name not in keep:
            old.unlink(missing_ok=True)  # another build may have pruned it already
