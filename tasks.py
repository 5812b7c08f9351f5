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
from typing import TYPE_CHECKING

from invoke import Exit, task

if TYPE_CHECKING:
    from uchastvai.build import BuildResult

ROOT = Path(__file__).resolve().parent
OUTPUT = ROOT / "output"
PUBLISH_OUTPUT = ROOT / "publish"  # the production build, kept apart from the preview
HOST, PORT = "127.0.0.1", 8000


def _build(
    settings: str,
    output: Path,
    build_time: str | None,
    strict: bool | None,
    content: str | None = None,
    *,
    previous: Path | None = None,
    overrides: dict[str, object] | None = None,
) -> BuildResult:
    """Run the safe build; a content error ends the task with the report and exit code 2.

    ``strict`` False or None: the settings decide (publishconf is strict). ``previous``: the
    folder whose url-manifest.json lists the addresses that must not vanish (default: ``output``).
    """
    from uchastvai.build import build as run_build
    from uchastvai.content.problems import BAD_BUILD_TIME
    from uchastvai.core.dates import parse_build_time
    from uchastvai.core.i18n import gettext
    from uchastvai.plugin import ContentInvalid

    try:
        moment = parse_build_time(build_time) if build_time else None
    except ValueError:
        raise Exit(gettext(BAD_BUILD_TIME).format(found=build_time), code=2) from None
    try:
        extra: dict[str, object] = dict(overrides or {})
        if content:
            extra["PATH"] = str(Path(content).resolve())
        if previous is not None:
            extra["PREVIOUS_OUTPUT_PATH"] = str(previous)
        result = run_build(ROOT / settings, output, moment, strict or None, extra or None)
    except ContentInvalid:
        raise Exit(gettext("The site was not built; the previous version stays as it was."), code=2) from None
    print(gettext("Site built in {output}.").format(output=output))
    return result


@task(
    help={
        "build-time": "Момент на сглобяване (ISO, София) / build time, e.g. 2026-11-25T12:00",
        "strict": "Предупрежденията също спират / warnings fail too",
        "settings": "Файл с настройки / settings file",
        "content": "Друга папка със съдържание / another content folder",
        "output": "Папка за сайта / build folder (output/)",
    }
)
def build(c, build_time=None, strict=False, settings="pelicanconf.py", content=None, output=None):  # noqa: PLR0917
    """Сглобява сайта в output/ (при грешка остава предишният) / Build the site into output/."""
    _build(settings, Path(output).resolve() if output else OUTPUT, build_time, strict, content)


@task(help={"port": "Порт / port (8000)", "build-time": "Момент на сглобяване / build time"})
def serve(c, port=PORT, build_time=None):
    """Сглобява и показва сайта на http://127.0.0.1:8000 / Build and serve the site locally."""
    _build("pelicanconf.py", OUTPUT, build_time, None)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(OUTPUT))
    with ThreadingHTTPServer((HOST, int(port)), handler) as server:
        print(f"http://{HOST}:{port}/  (Ctrl+C)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


@task(
    help={
        "strict": "Предупрежденията също са грешки / warnings count as errors",
        "build-time": "Момент / build time",
        "content": "Друга папка със съдържание / another content folder",
        "published": "Папка на последното публикуване / folder of the last publish build (publish/)",
    }
)
def check(c, strict=False, build_time=None, content=None, published=None):
    """Проверява съдържанието и показва отчета за редакторите / Validate content, print the editors' report."""
    from pelican.log import console

    from uchastvai.editors.editors_report import check_pages, editors_report

    console.quiet = True  # Pelican's own summary line is in English: the editors read only our report
    with tempfile.TemporaryDirectory() as folder:
        # Addresses are compared with the last published build, the one citizens have links to.
        previous = Path(published).resolve() if published else PUBLISH_OUTPUT
        result = _build("pelicanconf.py", Path(folder) / "output", build_time, strict, content, previous=previous)
        pages = check_pages(result.output, result.site_url)
        print(editors_report(result.catalog, pages))


@task(
    help={
        "kind": "consultation | project | idea | news | page",
        "title": "Заглавие / title",
        "code": "Код от ИСУН (за проект) / project code",
    },
    positional=["kind"],
)
def new(c, kind, title=None, code=None):
    """Създава нов файл по образец: invoke new consultation --title "..." / Scaffold a new item."""
    from datetime import datetime

    from uchastvai.build import load_settings
    from uchastvai.content.scaffold import ScaffoldError, create
    from uchastvai.core.dates import SOFIA

    settings = load_settings(ROOT / "pelicanconf.py", {})
    given = {key: value for key, value in (("title", title), ("code", code)) if value}
    try:
        path = create(kind, Path(settings["PATH"]), datetime.now(tz=SOFIA).date(), settings, **given)
    except ScaffoldError as error:
        raise Exit(str(error), code=2) from None
    print(path.relative_to(ROOT))


WATCH_INTERVAL_MS = 200


def _quick_watcher():
    """livereload's watcher, looking for saved files every 200 ms instead of its fixed 800 ms
    (without pyinotify), which alone added 0.4 s on average to every preview."""
    from livereload.watcher import Watcher
    from tornado.ioloop import PeriodicCallback

    class QuickWatcher(Watcher):
        def start(self, callback):
            PeriodicCallback(callback, WATCH_INTERVAL_MS).start()
            return True

    return QuickWatcher()


@task(help={"port": "Порт / port (8000)"})
def livereload(c, port=PORT):
    """Преглед с автоматично обновяване при запис / Preview that rebuilds on every save."""
    from livereload import Server

    from uchastvai.plugin import ContentInvalid

    def rebuild() -> None:
        try:
            # Slide images take seconds of a browser and the preview shows the kiosk page without them.
            _build("pelicanconf.py", OUTPUT, None, None, overrides={"DISPLAY_RENDER_IMAGES": False})
        except Exit as stopped:  # keep watching: the editor fixes the file and saves again
            print(stopped.message, file=sys.stderr)
        except ContentInvalid:
            pass

    rebuild()
    server = Server(watcher=_quick_watcher())
    for watched in ("content/**/*", "theme/**/*", "pelicanconf.py", "uchastvai/**/*.po"):
        server.watch(str(ROOT / watched), rebuild)
    server.serve(host=HOST, port=int(port), root=str(OUTPUT))


def _deploy_target():
    import os

    from uchastvai.build import load_settings
    from uchastvai.deploy import DeployTarget

    return DeployTarget.from_settings(load_settings(ROOT / "publishconf.py", {}), os.environ)


@task(
    help={
        "keep": "Колко издания да се пазят / releases to keep (5)",
        "build-time": "Момент / build time",
        "content": "Друга папка със съдържание / another content folder",
        "output": "Папка за изградения сайт / build folder (publish/)",
    }
)
def publish(c, keep=None, build_time=None, content=None, output=None):
    """Строга проверка, изграждане и качване; при грешка нищо не се качва / Check strictly, build, deploy."""
    from uchastvai.deploy import DeployError, deploy

    folder = Path(output).resolve() if output else PUBLISH_OUTPUT
    _build("publishconf.py", folder, build_time, True, content)  # a failed check ends here
    try:
        target = _deploy_target()
        release = deploy(folder, target, keep_releases=int(keep) if keep else None, progress=print)
    except DeployError as error:
        raise Exit(str(error), code=1) from None
    print(release)


# --- nightly rebuild (scheduled by hosting/uchastvai-rebuild.timer or crontab.example) ---------


@task(
    help={
        "pull": "Първо git pull --ff-only на съдържанието / git pull --ff-only the content first",
        "build-time": "Момент / build time",
        "content": "Друга папка със съдържание / another content folder",
        "output": "Папка за изградения сайт / build folder (publish/)",
    }
)
def nightly(c, pull=False, build_time=None, content=None, output=None):
    """Нощно обновяване: винаги към днешна дата, при грешка последното изправно съдържание / Nightly rebuild."""
    from uchastvai.editors.nightly import main

    argv = ["--pull"] if pull else []
    for option, value in (("--build-time", build_time), ("--content", content), ("--output", output)):
        argv += [option, value] if value else []
    code = main(argv)
    if code:
        raise Exit(code=code)


@task
def rollback(c):
    """Връща предишното издание на сайта / Switch the live site back to the previous release."""
    from uchastvai.deploy import DeployError
    from uchastvai.deploy import rollback as switch_back

    try:
        print(switch_back(_deploy_target()))
    except DeployError as error:
        raise Exit(str(error), code=1) from None


@task
def clean(c):
    """Изтрива сглобения сайт и временните файлове / Remove build output and caches."""
    for path in (OUTPUT, PUBLISH_OUTPUT, ROOT / "cache"):
        shutil.rmtree(path, ignore_errors=True)
    for leftover in ROOT.glob(".output.*"):
        shutil.rmtree(leftover, ignore_errors=True)


# --- Web editor (uchastvai/editors/editor.py; owned with docs/redaktori/10-ueb-redaktor.md) ----------------


@task(
    help={
        "port": "Порт на прегледа / preview port (8000)",
        "proxy-port": "Порт на локалния сървър на редактора / editor proxy port (8081)",
        "build-time": "Момент / build time",
    }
)
def editor(c, port=PORT, proxy_port=8081, build_time=None):
    """Уеб редакторът на http://127.0.0.1:8000/admin/ / The web editor with a live preview and check."""
    from uchastvai.core.dates import parse_build_time
    from uchastvai.editors.editor import run

    run(ROOT, OUTPUT, int(port), int(proxy_port), parse_build_time(build_time) if build_time else None)


if __name__ == "__main__":
    sys.exit("Run with invoke: invoke --list")
