"""Tasks for editors and maintainers: ``invoke --list`` (or ``./dev.sh <task>``).

Each task's help is in Bulgarian and English, since both editors and IT staff run them.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import sys
import tempfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
HOST, PORT = "127.0.0.1", 8000


def _build(settings: str, output: Path, build_time: str | None, strict: bool | None) -> None:
    """Run the safe build; a content error ends the task with the report and exit code 2."""
    from uchastvai.build import build as run_build  # noqa: PLC0415
    from uchastvai.dates import parse_build_time  # noqa: PLC0415
    from uchastvai.i18n import gettext  # noqa: PLC0415
    from uchastvai.plugin import ContentInvalid  # noqa: PLC0415

    try:
        run_build(ROOT / settings, output, parse_build_time(build_time) if build_time else None, strict)
    except ContentInvalid:
        raise Exit(gettext("The site was not built; the previous version stays as it was."), code=2) from None
    print(gettext("Site built in {output}.").format(output=output))


@task(
    help={
        "build-time": "Момент на сглобяване (ISO, София) / build time, e.g. 2026-11-25T12:00",
        "strict": "Предупрежденията също спират / warnings fail too",
        "settings": "Файл с настройки / settings file",
    }
)
def build(c, build_time=None, strict=None, settings="pelicanconf.py"):
    """Сглобява сайта в output/ (при грешка остава предишният) / Build the site into output/."""
    _build(settings, OUTPUT, build_time, strict)


@task(help={"port": "Порт / port (8000)", "build-time": "Момент на сглобяване / build time"})
def serve(c, port=PORT, build_time=None):
    """Сглобява и показва сайта на http://127.0.0.1:8000 / Build and serve the site locally."""
    _build("pelicanconf.py", OUTPUT, build_time, None)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(OUTPUT))
    with ThreadingHTTPServer((HOST, int(port)), handler) as server:
        print(f"http://{HOST}:{port}/  (Ctrl+C)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@task(help={"strict": "Предупрежденията също са грешки / warnings count as errors"})
def check(c, strict=False):
    """Проверява цялото съдържание и показва всички проблеми / Validate all content."""
    with tempfile.TemporaryDirectory() as folder:
        _build("pelicanconf.py", Path(folder) / "output", None, strict)


@task
def clean(c):
    """Изтрива сглобения сайт и временните файлове / Remove build output and caches."""
    for path in (OUTPUT, ROOT / "cache"):
        shutil.rmtree(path, ignore_errors=True)
    for leftover in ROOT.glob(".output.*"):
        shutil.rmtree(leftover, ignore_errors=True)


if __name__ == "__main__":
    sys.exit("Run with invoke: invoke --list")
