"""The build entry point: validate, build aside, swap in only on success.

A failed build (bad content, a crash) leaves the last good site untouched: Pelican
writes into a fresh folder next to the output, which replaces the old output only
when the whole build succeeded.

    python -m uchastvai.build [--settings pelicanconf.py] [--output output]
                              [--build-time 2026-11-25T12:00] [--strict]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pelican import Pelican, signals
from pelican.settings import read_settings

from uchastvai import prerender, search
from uchastvai.dates import build_time_from_env, parse_build_time
from uchastvai.i18n import gettext
from uchastvai.plugin import ContentInvalid


@dataclass
class BuildResult:
    output: Path
    build_time: datetime
    warnings: list[Any]
    catalog: Any = None  # the Catalog of the build, for reports
    site_url: str = ""


def load_settings(settings_file: str | Path, override: dict[str, Any]) -> dict[str, Any]:
    """Pelican settings with our overrides; the settings file's folder is importable (publishconf)."""
    folder = str(Path(settings_file).resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return read_settings(str(settings_file), override=override)


def run_pelican(settings: dict[str, Any]) -> dict[str, Any]:
    """Run Pelican and return its shared context (catalogue, warnings) for the caller."""
    captured: dict[str, Any] = {}

    def capture(generators: list[Any]) -> None:
        captured.update(generators[0].context)

    pelican = Pelican(settings)  # registers our plugin's receivers first
    signals.all_generators_finalized.connect(capture)
    try:
        pelican.run()
    finally:
        signals.all_generators_finalized.disconnect(capture)
    return captured


def swap_in(new: Path, output: Path) -> None:
    """Replace ``output`` by ``new`` with two renames on the same file system."""
    old = None
    if output.exists():
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        output.rename(old)
    new.rename(output)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def build(
    settings_file: str | Path = "pelicanconf.py",
    output: str | Path | None = None,
    build_time: datetime | None = None,
    strict: bool | None = None,
    extra_settings: dict[str, Any] | None = None,
) -> BuildResult:
    """Build the site; raise :class:`ContentInvalid` (output untouched) on content errors."""
    override: dict[str, Any] = dict(extra_settings or {})
    override["BUILD_TIME"] = build_time or build_time_from_env()
    if strict is not None:
        override["STRICT_VALIDATION"] = strict
    settings = load_settings(settings_file, override)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        settings["OUTPUT_PATH"] = str(staging)
        settings["DELETE_OUTPUT_DIRECTORY"] = False
        context = run_pelican(settings)
    except BaseException:
        prerender.stop_all()  # no Markdown workers outlive a failed build
        search.stop()  # nor a search indexer
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)
    swap_in(staging, target)
    return BuildResult(
        target, override["BUILD_TIME"], context.get("content_warnings", []), context.get("catalog"), settings["SITEURL"]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=gettext("Build the site; the last good output stays on error."))
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default=None)
    parser.add_argument("--content", default=None, help="content folder (PATH); the settings' one if empty")
    parser.add_argument("--build-time", default=None, help="ISO date-time, Europe/Sofia if naive")
    parser.add_argument("--strict", action="store_true", default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    build_time = parse_build_time(args.build_time) if args.build_time else None
    try:
        extra = {"PATH": str(Path(args.content).resolve())} if args.content else None
        result = build(args.settings, args.output, build_time, args.strict, extra)
    except ContentInvalid:
        print(gettext("The site was not built; the previous version stays as it was."), file=sys.stderr)
        return 2
    print(gettext("Site built in {output}.").format(output=result.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
