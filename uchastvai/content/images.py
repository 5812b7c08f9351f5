"""Images sized for the screen that shows them, with their dimensions known up front.

A 4000-pixel photo from a phone would cost a prepaid user megabytes. At build time every
raster image under the content's image folders gets WebP copies in a few widths (never
wider than the original) and the page's ``<img>`` gets ``srcset``, ``sizes``, ``width``
and ``height`` (so nothing jumps while it loads). The copies' names carry a hash of the
original, so a replaced photo gets new addresses and old caches never show it. SVG
drawings are kept as they are; their size is read from the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pelican.generators import Generator
from PIL import Image

from uchastvai.core import written
from uchastvai.core.files import files_under
from uchastvai.core.buildcache import per_build

WIDTHS: tuple[int, ...] = (480, 960, 1440)
RASTER_SUFFIXES: frozenset[str] = frozenset({".jpg", ".jpeg", ".png", ".webp"})
WEBP_QUALITY = 80
# Column of the page the images sit in: full width on phones, at most ~46rem beside.
SIZES = "(min-width: 50rem) 46rem, 100vw"
_SVG_SIZE = re.compile(r"<svg\b[^>]*>", re.DOTALL)
_NUMBER = r"([0-9.]+)"


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative
    width: int
    height: int


@dataclass(frozen=True)
class ResponsiveImage:
    """What an ``<img>`` needs: a fallback source, its size, and the smaller copies."""

    src: str
    width: int
    height: int
    variants: tuple[Variant, ...] = ()
    sizes: str = SIZES

    @property
    def srcset(self) -> str:
        return self.srcset_under("")

    def srcset_under(self, base: str) -> str:
        """The ``srcset`` value with each copy's address under ``base`` (the site's URL and ``/``)."""
        return ", ".join(f"{base}{variant.url} {variant.width}w" for variant in self.variants)


def svg_size(path: Path) -> tuple[int, int]:
    """Width and height of an SVG from its attributes, else its viewBox."""
    tag_match = _SVG_SIZE.search(path.read_text(encoding="utf-8"))
    tag = tag_match.group(0) if tag_match else ""
    width = re.search(rf'\swidth="{_NUMBER}(?:px)?"', tag)
    height = re.search(rf'\sheight="{_NUMBER}(?:px)?"', tag)
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(rf'viewBox="[-0-9.]+[ ,]+[-0-9.]+[ ,]+{_NUMBER}[ ,]+{_NUMBER}"', tag)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return 300, 150  # the size browsers give an SVG without one


def variant_widths(width: int) -> list[int]:
    """The standard widths below the original, and the original's own width."""
    return [w for w in WIDTHS if w < width] + [width]


def variant_name(file: str, data: bytes, width: int) -> str:
    path = PurePosixPath(file)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return str(path.with_name(f"{path.stem}-{width}w.{digest}.webp"))


@per_build
def readable(content_root: str, file: str) -> bool:
    """Whether a raster image decodes: a damaged file (or another file with an image's name)
    is reported to the editors by validation instead of stopping the build."""
    try:
        with Image.open(Path(content_root) / file) as image:
            image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    return True


@per_build
def describe(content_root: str, file: str) -> ResponsiveImage:
    """The responsive description of ``file`` (a path under content/)."""
    path = Path(content_root) / file
    if path.suffix.lower() not in RASTER_SUFFIXES:
        width, height = svg_size(path) if path.suffix.lower() == ".svg" else (0, 0)
        return ResponsiveImage(file, width, height)
    if not readable(content_root, file):
        return ResponsiveImage(file, 0, 0)  # reported by validation; the original is still linked
    data = path.read_bytes()
    with Image.open(path) as image:
        width, height = image.size
    variants = tuple(Variant(variant_name(file, data, w), w, round(height * w / width)) for w in variant_widths(width))
    return ResponsiveImage(file, width, height, variants)


def write_variants(content_root: Path, file: str, output: Path) -> list[Path]:
    """Encode the WebP copies of one raster image; returns them all, those already there
    (their names hold a digest of the original, so an existing one is the same) included."""
    description = describe(str(content_root), file)
    targets: list[Path] = []
    if not description.variants:
        return targets
    with Image.open(content_root / file) as original:
        image = original.convert("RGBA" if original.mode in ("RGBA", "LA", "P") else "RGB")
        for variant in description.variants:
            target = output / variant.url
            targets.append(target)
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            resized = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
            resized.save(target, "WEBP", quality=WEBP_QUALITY, method=6)
    return targets


def image_files(content_root: Path, static_paths: list[str]) -> list[str]:
    """Raster images among the static files, as paths under content/."""
    files: list[str] = []
    for folder in static_paths:
        for name in files_under(content_root / folder):
            path = content_root / folder / name
            if path.suffix.lower() in RASTER_SUFFIXES and path.is_file():
                files.append(path.relative_to(content_root).as_posix())
    return files


class ImagesGenerator(Generator):
    """Gives templates ``responsive_image(file)`` and writes the smaller copies.

    Each copy announces itself (``content_written``), as every file the build writes does.
    """

    def generate_context(self) -> None:
        content_root = str(Path(self.settings["PATH"]).resolve())
        self.context["responsive_image"] = lambda file: describe(content_root, file)

    def generate_output(self, writer: Any) -> None:
        content_root = Path(self.settings["PATH"]).resolve()
        for file in image_files(content_root, self.settings.get("STATIC_PATHS", [])):
            for target in write_variants(content_root, file, Path(self.output_path)):
                written.announce(target, self.context)
