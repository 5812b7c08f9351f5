"""The build entry point: validate, build aside, swap in only on success.

A failed build (bad content, a crash) leaves the last good site untouched: Pelican
writes into a fresh folder next to the output, which replaces the old output only
when the whole build succeeded. A build killed at any moment leaves the old or the
new output, complete; the next build removes what a dead build left behind.

    python -m uchastvai.build [--settings pelicanconf.py] [--output output]
                              [--build-time 2026-11-25T12:00] [--strict]
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import fcntl
import gc
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pelican import Pelican, signals
from pelican.settings import read_settings

from uchastvai import pelican_compat, pelican_log, prerender
from uchastvai.content.problems import BAD_BUILD_TIME, Problem, format_report
from uchastvai.core.dates import build_time_from_env, local, parse_build_time
from uchastvai.core.i18n import gettext
from uchastvai.core.processes import pid_alive
from uchastvai.outputs import incremental, search
from uchastvai.plugin import ContentInvalid


@dataclass
class BuildResult:
    output: Path
    build_time: datetime
    warnings: list[Any]
    catalog: Any = None  # the Catalog of the build, for reports
    site_url: str = ""
    reuse: dict[str, int] | None = None  # output files kept, copied, rendered, removed (None: all written)


def load_settings(settings_file: str | Path, override: dict[str, Any]) -> dict[str, Any]:
    """Pelican settings with our overrides; the settings file's folder is importable (publishconf)."""
    folder = str(Path(settings_file).resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    settings: dict[str, Any] = read_settings(str(settings_file), override=override)
    return settings


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while building.

    A build allocates millions of objects that live until its end (content, records of
    the trees, kept pieces) and makes few cycles; with Python's default thresholds every
    full collection walks all of them, about a fifth of a 5 000-item rebuild. Measured
    there: 8.4 s with the defaults, 6.5 s with these (the same output); the defaults come
    back afterwards (a preview server keeps running)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_pelican(settings: dict[str, Any]) -> dict[str, Any]:
    """Run Pelican and return its shared context (catalogue, warnings) for the caller."""
    captured: dict[str, Any] = {}

    def capture(generators: list[Any]) -> None:
        captured.update(generators[0].context)

    pelican = Pelican(settings)  # registers our plugin's receivers first
    signals.all_generators_finalized.connect(capture)
    try:
        with pelican_log.quiet_console(), few_collections():  # Pelican's English summary line; ours follows
            pelican.run()
    except RuntimeError as error:
        written_twice = pelican_compat.overwritten_file(error)
        if written_twice is None:
            raise
        raise overwrite_invalid(written_twice, settings, captured) from error
    finally:
        signals.all_generators_finalized.disconnect(capture)
    return captured


def overwrite_invalid(filename: str, settings: dict[str, Any], context: dict[str, Any]) -> ContentInvalid:
    """Two things written to one address, which validation did not foresee: a Bulgarian error
    naming the item whose page it is (when one is), never Pelican's traceback."""
    path = os.path.relpath(filename, settings["OUTPUT_PATH"])
    contents = [*context.get("articles", []), *context.get("pages", []), *context.get("drafts", [])]
    owner = next((c for c in contents if getattr(c, "save_as", None) == path), None)
    root = Path(settings["PATH"]).resolve().parent
    source = os.path.relpath(owner.source_path, root) if owner is not None else "content/"
    problem = Problem.error(code="file_overwrite", source=source, found=path.removesuffix("index.html"))
    report = format_report([problem], settings.get("DEFAULT_LANG", "bg"))
    print(report, file=sys.stderr)
    return ContentInvalid([problem], report)


LEFTOVER = re.compile(r"\.(?:building|old)-(\d+)")
RELEASE_FILE = "release.json"  # what was built: carried by every deploy, read back by the nightly fallback


def _lock_folder(folder: Path) -> int | None:
    """An exclusive, non-blocking flock on ``folder``: the kernel drops it when its holder dies."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the staging and old folders of builds that are gone (killed, power cut).

    A folder belongs to a dead build when the process id in its name is not running and
    nobody holds its lock; a running build keeps both, so its folder is never touched.
    An old output left between the two renames of :func:`swap_in` is put back when there
    is no output. Returns what was cleaned up.
    """
    cleaned = []
    for path in sorted(target.parent.glob(f".{target.name}.*")):
        match = LEFTOVER.search(path.name[len(target.name) + 1 :])
        if not match or not path.is_dir() or pid_alive(int(match.group(1))):
            continue
        fd = _lock_folder(path)
        if fd is None:
            continue
        try:
            if ".old-" in path.name and not target.exists():
                path.rename(target)
            else:
                shutil.rmtree(path, ignore_errors=True)
            cleaned.append(path)
        finally:
            os.close(fd)
    return cleaned


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is None:
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if function(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), str(second))


def spare_of(output: Path) -> Path:
    """Where the output before the current one is kept: the next build starts from it
    and renders only what changed (:mod:`uchastvai.outputs.incremental`)."""
    return output.with_name(f".{output.name}.spare")


def take_spare(output: Path) -> Path | None:
    """The spare, renamed into a staging folder of this build; None when there is none."""
    staging = output.with_name(f".{output.name}.building-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        spare_of(output).rename(staging)
    except OSError:
        return None
    return staging


def keep_as_spare(old: Path, output: Path) -> None:
    """Keep the replaced output for the next build, or remove it when a spare is there."""
    try:
        old.rename(spare_of(output))
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def swap_in(new: Path, output: Path, keep_old: bool = False) -> None:
    """Replace ``output`` by ``new`` so that a kill at any moment leaves one of them complete.

    Where the kernel can, the two folders are exchanged in one atomic step and the old
    one (now at ``new``'s name) is removed or kept as the spare; elsewhere two renames,
    whose in-between state :func:`remove_leftovers` repairs.
    """
    if not output.exists():
        new.rename(output)
        return
    if _exchange(new, output):
        old = new
    else:
        old = output.with_name(f".{output.name}.old-{os.getpid()}")
        output.rename(old)
        new.rename(output)
    if keep_old:
        keep_as_spare(old, output)
    else:
        shutil.rmtree(old, ignore_errors=True)


def content_commit(content: Path) -> dict[str, Any]:
    """The git commit the content was built from (None outside git), for the release record."""

    def git(*args: str) -> str | None:
        try:
            run = subprocess.run(
                ["git", "-C", str(content), *args], capture_output=True, encoding="utf-8", check=False, timeout=60
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return run.stdout.strip() if run.returncode == 0 else None

    commit = git("rev-parse", "--verify", "HEAD")
    if commit is None:
        return {"commit": None, "content_path": None, "dirty": None}
    prefix = git("rev-parse", "--show-prefix") or ""
    return {
        "commit": commit,
        "content_path": prefix.rstrip("/") or ".",
        "dirty": bool(git("status", "--porcelain", "--", ".")),
    }


def write_release(folder: Path, settings: dict[str, Any]) -> None:
    """``release.json``: which content commit and build time a release shows (deploys carry it along).

    ``RELEASE_RECORD`` in the settings replaces the commit lookup (a rebuild from an exported commit).
    """
    found = settings.get("RELEASE_RECORD") or content_commit(Path(settings["PATH"]))
    record = {**found, "build_time": local(settings["BUILD_TIME"]).isoformat()}
    (folder / RELEASE_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def settings_source_digest(settings_file: Path) -> str:
    """The settings file and the ``pelicanconf.py`` beside it (``publishconf.py`` imports it):
    a function defined there (a Jinja filter) is in the settings only by its name, so reused
    output must also depend on its source."""
    digest = hashlib.sha256()
    for path in sorted({settings_file.resolve(), settings_file.resolve().with_name("pelicanconf.py")}):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
    override["SETTINGS_SOURCE_DIGEST"] = settings_source_digest(Path(settings_file))
    if strict is not None:
        override["STRICT_VALIDATION"] = strict
    settings = load_settings(settings_file, override)
    target = Path(output or settings["OUTPUT_PATH"]).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    settings.setdefault("PREVIOUS_OUTPUT_PATH", str(target))  # its url-manifest.json (uchastvai.content.manifest)
    remove_leftovers(target)
    reuse = bool(settings.get("REUSE_OUTPUT", True))
    staging = (take_spare(target) if reuse else None) or Path(
        tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent)
    )
    lock = _lock_folder(staging)  # held until the swap: no other build's clean-up removes it
    reused = None
    try:
        try:
            settings["OUTPUT_PATH"] = str(staging)
            settings["DELETE_OUTPUT_DIRECTORY"] = False
            if reuse:
                settings[incremental.ENABLE_SETTING] = True
                settings["STATIC_CHECK_IF_MODIFIED"] = True  # exact: incremental.prune_static
            context = run_pelican(settings)
            outputs = incremental.close(staging)
            if outputs is not None:
                outputs.finish()
                reused = outputs.summary()
            write_release(staging, settings)
        except BaseException:
            prerender.stop_all()  # no Markdown workers outlive a failed build
            search.stop()  # nor a search indexer
            incremental.close(staging)
            shutil.rmtree(staging, ignore_errors=True)
            raise
        staging.chmod(0o755)
        swap_in(staging, target, keep_old=reuse)
        if outputs is not None:
            outputs.forget_others([target, spare_of(target)])
    finally:
        if lock is not None:
            os.close(lock)
    return BuildResult(
        target,
        override["BUILD_TIME"],
        context.get("content_warnings", []),
        context.get("catalog"),
        settings["SITEURL"],
        reused,
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
    try:
        build_time = parse_build_time(args.build_time) if args.build_time else None
    except ValueError:
        parser.error(gettext(BAD_BUILD_TIME).format(found=args.build_time))  # usage, exit code 2
    try:
        extra = {"PATH": str(Path(args.content).resolve())} if args.content else None
        result = build(args.settings, args.output, build_time, args.strict, extra)
    except ContentInvalid:
        print(gettext("The site was not built; the previous version stays as it was."), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: the half-built folder is gone already (see build); no traceback
        print(gettext("The build was interrupted; the previous version stays as it was."), file=sys.stderr)
        return 130
    print(gettext("Site built in {output}.").format(output=result.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
